# SPDX-License-Identifier: GPL-2.0
# Starting and watching domains from kxen's in-machine tests, through the selftest-only
# debugfs files (kernel/testing/launch.c). Sourced after tap.sh; POSIX sh.

KXEN_D=/sys/kernel/debug/kxen
[ -d /sys/kernel/debug/tracing ] || [ -d $KXEN_D ] ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

# dom_create ARGS: start a domain ("kernel=... mem=... vcpus=... cmdline=..."); prints
# its id. Fails (no output) when kxen refuses.
dom_create() {
	_before=$(cut -d' ' -f1 $KXEN_D/domains | sort -n | tr '\n' ' ')
	echo "$*" > $KXEN_D/create || return 1
	for _id in $(cut -d' ' -f1 $KXEN_D/domains | sort -n); do
		case " $_before " in *" $_id "*) ;; *) echo "$_id"; return 0;; esac
	done
	return 1
}

# dom_field ID N: field N of the domain's line (2 state, 3 shutdown code, 4 vcpus, 5 pages).
dom_field() { awk -v id="$1" -v n="$2" '$1 == id { print $n }' $KXEN_D/domains; }

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

dom_destroy() { echo "$1" > $KXEN_D/destroy; }

# The hypervisor console's lines from domain ID, without the "(dID) " prefix.
dom_console() { sed -n "s/^(d$1) //p" $KXEN_D/console; }

# dom_hvc_wait ID REGEX SECONDS: drain the domain's PV console (hvc0) into
# $KXEN_OUT/hvc0-dID.log until a line matches; fails on timeout.
dom_hvc_wait() {
	_log=${KXEN_OUT:-/tmp}/hvc0-d$1.log
	_t=0
	while [ $_t -lt $(($3 * 5)) ]; do
		cat $KXEN_D/d$1-console >> "$_log" 2>/dev/null
		grep -Eq -- "$2" "$_log" && return 0
		sleep 0.2
		_t=$((_t + 1))
	done
	return 1
}
