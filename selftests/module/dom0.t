#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Dom0's side of kxen, as Debian's Xen tools use it: /dev/xen/privcmd and the
# hypercalls behind it (selftests/dom0/privcmd-test.c, with a domU running for
# getdomaininfo to find), then a stock tool over it: lsevtchn lists the domU's event
# channels through libxenctrl, as on Xen.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/domain.sh"

W=$(mktemp -d)
gcc -O2 -Wall -o "$W/privcmd-test" "$KXEN_TOP/selftests/dom0/privcmd-test.c" ||
	bail "cannot build privcmd-test"
insmod "$KXEN_KO" || bail "insmod failed"

check "/dev/xen/privcmd is there" test -c /dev/xen/privcmd
check "/proc/xen/privcmd is there" test -e /proc/xen/privcmd
# A domU that stays (it spins with interrupts off), after one that has gone: so the
# first domain with an id >= 1 is not domain 1.
gone=$(dom_create "kernel=$KXEN_TOP/selftests/guests/xen-version/test.elf mem=8") &&
	dom_wait "$gone" 30 >/dev/null && dom_destroy "$gone" || bail "cannot run a domain"
id=$(dom_create "kernel=$KXEN_TOP/selftests/guests/spin-irqs-off/test.elf mem=8") ||
	bail "cannot create a domain"
out=$("$W/privcmd-test" "$id")
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
is "$rc" 0 "privcmd-test: every check passed (the lines above)"

LSEVTCHN=/usr/lib/xen-4.17/bin/lsevtchn
if [ -x $LSEVTCHN ]; then
	out=$($LSEVTCHN "$id" 2>&1)
	diag "lsevtchn $id: $out"
	# The builder's console port: unbound, waiting for dom0 (xenconsoled).
	like "$out" "^ *1: VCPU 0: Interdomain \(Waiting connection\) - Remote Domain 0" \
		"stock lsevtchn lists d$id's console port"
	like "$($LSEVTCHN 0 2>&1; echo "exit $?")" "exit 0" "stock lsevtchn 0 (dom0) runs"
else
	skip "stock lsevtchn: no xen-utils-4.17 here"
	skip "stock lsevtchn 0: no xen-utils-4.17 here"
fi

check "the domain is destroyed" dom_destroy "$id"
check "rmmod" rmmod kxen
check "/dev/xen/privcmd has gone" test ! -e /dev/xen/privcmd
rm -rf "$W"
dmesg_clean
done_testing
