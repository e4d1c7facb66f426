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
i=0 bad=0
while [ $i -lt "$BOOTS" ]; do
	i=$((i + 1))
	t0=$(date +%s)
	id=$(dom_create -m 128 -n "$VCPUS" -i "$W/initrd.gz" -c "console=hvc0 ${KXEN_CMDLINE:-}" "$W/vmlinux") || exit 1
	if dom_hvc_wait "$id" "KXEN-DOMU-INIT nproc=" 90; then
		echo "boot $i: /init after $(($(date +%s) - t0)) s"
		dom_wait "$id" 30 >/dev/null
	else
		bad=$((bad + 1))
		echo "boot $i: STALLED; kxen's view, three times 2 s apart:"
		for n in 1 2 3; do "$DOMU" list; sleep 2; done
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
