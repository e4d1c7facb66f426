#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A developer's loop, not part of make check: boot the stock kernel as a PVH domU again
# and again, and on the first boot that does not reach /init show what kxen and the
# guest were doing. Inside the emulated machine:
#   selftests/vm/kxen-vm --timeout 900 -- sh selftests/module/domu-loop.sh [BOOTS] [VCPUS]
set -u
. "$(dirname "$0")/domain.sh"
BOOTS=${1:-10} VCPUS=${2:-2}
W=$(mktemp -d)
"$KXEN_TOP/pvops/extract-vmlinux" "$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL" \
	"$W/vmlinux" || exit 1
"$KXEN_TOP/pvops/mkinitrd" "$KXEN_CACHE/busybox/bin/busybox" "$W/initrd.gz" || exit 1
echo 8 > /proc/sys/kernel/printk
insmod "$KXEN_KO" ${KXEN_PARAMS:-} || exit 1
# The guest's kernel is this machine's, at its link address (a PVH boot has no KASLR).
sym_stacks() {
	python3 - $KXEN_D/stacks <<'PY'
import bisect, sys
syms = sorted((int(a, 16), n) for a, t, n, *_ in (l.split() for l in open("/proc/kallsyms"))
              if t in "tT")
off = [a for a, n in syms if n == "_text"][0] - 0xffffffff81000000
keys = [a - off for a, n in syms]
for line in open(sys.argv[1]):
    out = []
    for w in line.split():
        if w.startswith("0xffffffff8"):
            i = bisect.bisect_right(keys, int(w, 16)) - 1
            w = "%s+%#x" % (syms[i][1], int(w, 16) - keys[i]) if i >= 0 else w
        out.append(w)
    print(" ".join(out))
PY
}
i=0 bad=0
while [ $i -lt "$BOOTS" ]; do
	i=$((i + 1))
	t0=$(date +%s)
	id=$(dom_create "kernel=$W/vmlinux initrd=$W/initrd.gz mem=128 vcpus=$VCPUS cmdline=console=hvc0 ${KXEN_CMDLINE:-}") || exit 1
	if dom_hvc_wait "$id" "KXEN-DOMU-INIT nproc=" 90; then
		echo "boot $i: /init after $(($(date +%s) - t0)) s"
		dom_wait "$id" 30 >/dev/null
	else
		bad=$((bad + 1))
		echo "boot $i: STALLED; kxen's view, three times 2 s apart:"
		for n in 1 2 3; do cat $KXEN_D/domains; sleep 2; done
		echo "--- the guests' stacks (kernel text symbols, the guest runs this machine's kernel):"
		sym_stacks
		echo "--- the guest's console:"
		tail -n 60 "$KXEN_OUT/hvc0-d$id.log"
		echo "--- the host's dmesg:"
		dmesg | tail -n 40
		[ -n "${KXEN_LOOP_KEEP_GOING:-}" ] || { dom_destroy "$id"; break; }
	fi
	dom_destroy "$id"
done
echo "$bad of $i boots stalled"
rmmod kxen
