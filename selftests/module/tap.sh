# SPDX-License-Identifier: GPL-2.0
# A small TAP library for kxen's in-machine tests. POSIX sh: it runs under bash on the
# QEMU machine and under busybox sh on the Bochs one. Outcomes as in XTF: a test that
# ends "ok" succeeded, "not ok" is a failure of kxen, "# SKIP" a skip, and "Bail out!"
# an error: the test itself could not run.

TAP_N=0
TAP_FAILED=0

ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP $*"; }
diag() { echo "# $*"; }
bail() { echo "Bail out! $*"; exit 2; }

# check DESC CMD...: ok when CMD succeeds.
check() {
	_desc=$1; shift
	if "$@"; then ok "$_desc"; else not_ok "$_desc"; fi
}

# is GOT WANT DESC: ok when the two strings are equal.
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "  got:  '$1'"
		diag "  want: '$2'"
	fi
}

# like GOT PATTERN DESC: ok when GOT contains the grep -E PATTERN.
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok "$3"
	else
		not_ok "$3"
		diag "  got:  '$1'"
		diag "  want: /$2/"
	fi
}

# unlike GOT PATTERN DESC: ok when GOT does not contain the grep -E PATTERN.
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		not_ok "$3"
		diag "  got:  '$1'"
		diag "  not:  /$2/"
	else
		ok "$3"
	fi
}

# Kernel messages since this test started (a mark in the kernel log).
TAP_MARK="kxen-selftest: $(basename "$0") $$ start"
echo "$TAP_MARK" > /dev/kmsg
dmesg_since() { dmesg | sed -n "/$TAP_MARK/,\$p" | sed -e 1d -e 's/^\[[ 0-9.]*\] //'; }
# kxen's own lines, without the kernel's notes about loading an unsigned module.
kxen_lines() { dmesg_since | grep '^kxen: ' | grep -v -e 'taints kernel' -e 'tainting kernel'; }

# The kernel log must hold no warning, bug or oops from the test on.
dmesg_clean() {
	_bad=$(dmesg_since | grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection|kmemleak|UBSAN|refcount_t')
	if [ -z "$_bad" ]; then
		ok "kernel log has no WARN/BUG/oops"
	else
		not_ok "kernel log has no WARN/BUG/oops"
		printf '%s\n' "$_bad" | sed 's/^/#   /'
	fi
}

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" = 0 ]
}

[ -n "${KXEN_KO:-}" ] && [ -f "$KXEN_KO" ] || bail "no module at KXEN_KO='${KXEN_KO:-}'"
[ "$(id -u)" = 0 ] || bail "needs root"
