# SPDX-License-Identifier: GPL-2.0
# Starting and watching domains from kxen's in-machine tests, through dom0's Xen ABI
# only: userspace/kxen-domu (built on the host; the harnesses build it). Sourced after
# tap.sh; POSIX sh.

DOMU=${KXEN_DOMU_TOOL:-$KXEN_TOP/userspace/kxen-domu/kxen-domu}

# dom_create [-m MiB] [-n VCPUS] [-i INITRD] [-c CMDLINE] KERNEL: start a domain; prints
# its id. Fails (no output) when kxen refuses.
dom_create() { "$DOMU" create "$@"; }

# dom_field ID N: field N of the domain's line (2 state, 3 shutdown code, 4 vcpus, 5 pages).
dom_field() { "$DOMU" list | awk -v id="$1" -v n="$2" '$1 == id { print $n }'; }

# dom_wait ID SECONDS: wait until the domain has stopped; prints its shutdown code, or
# "running" when it had not stopped in time.
dom_wait() {
	_t=0
	while [ "$(dom_field "$1" 2)" = running ] && [ $_t -lt $(($2 * 10)) ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	if [ "$(dom_field "$1" 2)" = shutdown ]; then dom_field "$1" 3; else echo running; fi
}

# Destroy it; its console reader (dom_hvc_wait) sees it go and ends.
dom_destroy() {
	"$DOMU" destroy "$1" || return 1
	[ -f "$KXEN_D_TMP/con-$1.pid" ] || return 0
	_t=0
	while kill -0 "$(cat "$KXEN_D_TMP/con-$1.pid")" 2>/dev/null && [ $_t -lt 50 ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	rm -f "$KXEN_D_TMP/con-$1.pid"
}

# The hypervisor console's lines from domain ID, without the "(dID) " prefix.
dom_console() { "$DOMU" dmesg | sed -n "s/^(d$1) //p"; }

# dom_hvc_wait ID REGEX SECONDS: the domain's PV console (hvc0), copied into
# $KXEN_OUT/hvc0-dID.log from the first call on, until a line matches; fails on timeout.
KXEN_D_TMP=$(mktemp -d)
dom_hvc_wait() {
	_log=${KXEN_OUT:-/tmp}/hvc0-d$1.log
	if [ ! -f "$KXEN_D_TMP/con-$1.pid" ]; then
		"$DOMU" console "$1" >> "$_log" &
		echo $! > "$KXEN_D_TMP/con-$1.pid"
	fi
	_t=0
	while [ $_t -lt $(($3 * 5)) ]; do
		grep -Eq -- "$2" "$_log" 2>/dev/null && return 0
		sleep 0.2
		_t=$((_t + 1))
	done
	return 1
}
