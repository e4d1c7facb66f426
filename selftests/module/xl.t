#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's xl, stock, on kxen, as a user runs it: the dom0 service (userspace/kxen-dom0)
# loads kxen and starts Debian's own daemons with Debian's init script; `xl create`
# boots the host's own vmlinuz as a PVH guest; `xl console` shows its boot; `xl list`,
# `vcpu-list`, `uptime` and `xentop` see it; pause, unpause, shutdown, reboot and
# destroy behave as on Xen; an `xl create` killed half way leaves nothing after `xl
# destroy`; a disk backed by Debian's QEMU (qdisk) reads and writes; stopping the
# service shuts down what runs and unloads kxen. Then the same boot with C xenstored
# instead of oxenstored.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/domain.sh"
. "$(dirname "$0")/xl.sh"

XEN=/usr/lib/xen-4.17/bin
[ -x $XEN/xl ] && [ -x /etc/init.d/xen ] || {
	skip "xl: no xen-utils-4.17 here"
	done_testing
	exit 0
}
KERNEL=$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL
[ -r "$KERNEL" ] || bail "no $KERNEL (scripts/deps all)"
W=$(mktemp -d)
BLKFRONT=$(find "$KXEN_CACHE/kernel/$KXEN_KREL/lib/modules" -name xen-blkfront.ko)
"$KXEN_TOP/pvops/mkinitrd" "$KXEN_CACHE/busybox/bin/busybox" "$W/initrd.gz" $BLKFRONT ||
	bail "cannot build the initramfs"
SERVICE=$KXEN_TOP/userspace/kxen-dom0
export KXEN_KO

# cfg NAME VCPUS [DISK]: a PVH guest's config, the host's kernel, staying up until
# told; with DISK, an image file as its xvda, served by QEMU (libxl's qdisk backend).
cfg() {
	cat > "$W/$1.cfg" <<-EOF
	name = "$1"
	type = "pvh"
	kernel = "$KERNEL"
	ramdisk = "$W/initrd.gz"
	extra = "console=hvc0 kxen_stay${3:+ kxen_disk}"
	memory = 128
	vcpus = $2
	on_poweroff = "destroy"
	on_reboot = "restart"
	EOF
	[ -z "${3:-}" ] ||
		echo "disk = [ 'format=raw,vdev=xvda,access=rw,backendtype=qdisk,target=$3' ]" \
			>> "$W/$1.cfg"
	echo "$W/$1.cfg"
}

# ---- The service, with Debian's defaults (oxenstored).
check "kxen-dom0 start: kxen, then Debian's /etc/init.d/xen" sh -c "$SERVICE start >$W/start.log 2>&1"
sed 's/^/# /' "$W/start.log"
check "oxenstored runs" sh -c "pgrep -x oxenstored >/dev/null"
check "xenconsoled runs" sh -c "pgrep -x xenconsoled >/dev/null"
like "$(xenstore-read /local/domain/0/name 2>&1)" "^Domain-0$" "xen-init-dom0 named dom0"
like "$(xl info 2>&1)" "^xen_commandline *: dom0_mem=[0-9]+M\$" \
	"xl info: dom0_mem= on the command line (xl does not try to balloon dom0)"

check "xl create (2 vcpus, 128 MiB, the host's vmlinuz)" sh -c "xl create $(cfg g1 2) >$W/create.log 2>&1"
sed 's/^/# /' "$W/create.log"
console g1
if seen g1 "KXEN-DOMU-INIT" 120; then
	ok "xl console: the guest booted to /init"
else
	not_ok "xl console: the guest booted to /init"
	tail -n 20 "$W/g1.con" | sed 's/^/#   /'
fi
like "$(grep KXEN-DOMU-INIT "$W/g1.con")" "nproc=2 kernel=$KXEN_KREL" \
	"xl console: on 2 CPUs, the host's kernel"
like "$(grep -c -E 'WARNING|BUG|Oops|Call Trace' "$W/g1.con")" '^0$' \
	"xl console: the guest's log has no WARN/BUG/oops"
d=$(domid g1)
# State: r(unning) or not, b(locked) or not, never p(aused) here.
like "$(row g1)" "^$d 128 2 [r-][b-]----\$" "xl list: g1 with 128 MiB and 2 vcpus, not paused"
like "$(xl vcpu-list g1 2>&1 | awk '$1 == "g1" { print $3 }' | tr '\n' ' ')" "^0 1 \$" \
	"xl vcpu-list: its 2 vcpus"
like "$(xl vcpu-list 2>&1)" "^Domain-0 +0 +0 " "xl vcpu-list: dom0's too"
like "$(xl uptime 2>&1)" "^g1 +$d +[0-9]" "xl uptime: g1"
like "$(xentop -b -i 1 2>&1)" "^ *g1 .* 2 " "xentop: g1, 2 vcpus"
check "xl pause g1" xl pause g1
like "$(row g1)" " --p---\$" "xl list: paused"
check "xl unpause g1" xl unpause g1
like "$(row g1)" " [r-][b-]----\$" "xl list: running again"

check "xl shutdown -w g1" sh -c "timeout 120 xl shutdown -w g1 >/dev/null 2>&1"
check "the guest powered itself off (its /sbin/poweroff)" seen g1 KXEN-DOMU-POWEROFF 5
check "xl list: g1 gone (on_poweroff destroy)" gone g1 30
console_stop

check "xl create g1 again" sh -c "xl create $(cfg g1 2) >/dev/null 2>&1"
console g1
check "it boots" seen g1 KXEN-DOMU-INIT 120
d=$(domid g1)
check "xl reboot g1" xl reboot g1
# on_reboot restart: xl's monitor destroys the domain and builds it again.
_t=0
while { [ -z "$(domid g1)" ] || [ "$(domid g1)" = "$d" ]; } && [ $_t -lt 300 ]; do
	sleep 0.2
	_t=$((_t + 1))
done
d2=$(domid g1)
like "$d2" "^[0-9]+\$" "xl list: g1 is back after the reboot"
check "  as a new domain (d$d, then d$d2)" test "$d2" != "$d"
console_stop
console g1
# A hang detector, not a speed test: a loaded machine boots it in well under this.
if seen g1 KXEN-DOMU-INIT 300; then
	ok "  and boots again"
else
	not_ok "  and boots again"
	diag "console tty: '$(xenstore-read "/local/domain/$d2/console/tty" 2>&1)'; xl list:"
	xl list 2>&1 | sed 's/^/#   /'
	tail -n 20 "$W/g1.con" | sed 's/^/#   /'
fi
console_stop
check "xl destroy g1" xl destroy g1
check "xl list: g1 gone" gone g1 10

# An xl create killed half way (while it loads the kernel): xl destroy cleans up.
xl create "$(cfg g2 1)" >/dev/null 2>&1 &
sleep 2
kill -9 $! 2>/dev/null
wait $! 2>/dev/null
for id in $(xl list 2>/dev/null | awk 'NR > 1 && $2 != 0 { print $2 }'); do
	xl destroy "$id" 2>/dev/null
done
is "$(xl list 2>/dev/null | awk 'NR > 1 && $2 != 0' | wc -l)" 0 \
	"xl create killed half way: nothing left after xl destroy"
is "$("$DOMU" list | wc -l)" 0 "  and nothing left in kxen"

# xl save, then xl restore (2 vcpus): the guest suspends when xl asks through
# xenstore, its memory and state go to a file and the domain goes; restored from the
# file, it runs on (Linux takes its second vcpu down and up again, VCPUOP_down/up):
# its console and xenstore work, and it shuts down when asked.
check "xl create s1 (2 vcpus)" sh -c "xl create $(cfg s1 2) >/dev/null 2>&1"
console s1
check "s1 boots" seen s1 KXEN-DOMU-INIT 120
console_stop
check "xl save s1" sh -c "timeout 180 xl save s1 $W/s1.save >$W/save.log 2>&1"
grep -E 'error|rror:' "$W/save.log" | head -n 5 | sed 's/^/# /'
check "xl list: s1 gone after its save" gone s1 10
check "xl restore" sh -c "timeout 180 xl restore $W/s1.save >$W/restore.log 2>&1"
grep -E 'error|rror:' "$W/restore.log" | head -n 5 | sed 's/^/# /'
rm -f "$W/s1.save"
like "$(row s1)" " 128 2 [r-][b-]----\$" "xl list: s1 back with its 2 vcpus, not paused"
console s1
sleep 3		# what the guest writes before xl console has its pty is not kept
check "the restored s1 answers xl shutdown -w" \
	sh -c "timeout 60 xl shutdown -w s1 >/dev/null 2>&1"
check "  its /sbin/poweroff ran, on its console" seen s1 KXEN-DOMU-POWEROFF 10 ||
	tail -n 5 "$W/s1.con" | sed 's/^/#   /'
check "xl list: s1 gone" gone s1 30
console_stop

# A disk: an image file, QEMU as its backend (Debian's init script started one for
# dom0; libxl starts one for the guest), the guest's blkfront reading and writing it.
# Then stopping the service with that guest running: it is shut down, kxen goes.
dd if=/dev/zero of="$W/disk.img" bs=1M count=8 2>/dev/null
echo "kxen test disk" | dd of="$W/disk.img" conv=notrunc 2>/dev/null
check "xl create g3, with an 8 MiB disk (qdisk)" sh -c "xl create $(cfg g3 1 "$W/disk.img") >/dev/null 2>&1"
console g3
check "g3 boots" seen g3 KXEN-DOMU-INIT 120
check "g3 reads its disk: 16384 sectors, our first line" seen g3 \
	"KXEN-DOMU-DISK sectors=16384 first=kxen test disk" 30
like "$(pgrep -af xen-qemu-system | grep -c -- '-xen-domid [1-9]')" "^1\$" \
	"  through a QEMU of its own (the device model libxl started)"
check "kxen-dom0 stop, with g3 running" sh -c "$SERVICE stop >$W/stop.log 2>&1"
sed 's/^/# /' "$W/stop.log"
console_stop
check "g3 was shut down (its /sbin/poweroff ran), not destroyed" \
	grep -q KXEN-DOMU-POWEROFF "$W/g3.con"
like "$(dd if="$W/disk.img" bs=4096 skip=1 count=1 2>/dev/null | head -n 1)" \
	"^written by the domU\$" "the image has what g3 wrote to its disk"
n=0
while pgrep -f xen-qemu-system >/dev/null && [ $n -lt 50 ]; do	# xl's SIGHUP takes a moment
	sleep 0.2
	n=$((n + 1))
done
is "$(pgrep -af xen-qemu-system)" "" "no QEMU left"
check "kxen is unloaded" test ! -d /sys/module/kxen
check "no xenstored left" sh -c "! pgrep -x oxenstored"

# ---- C xenstored: it maps a domain's store ring by grant, not by foreign mapping.
check "kxen-dom0 start, XENSTORED=xenstored" \
	sh -c "XENSTORED=$XEN/xenstored $SERVICE start >/dev/null 2>&1"
check "C xenstored runs" sh -c "pgrep -x xenstored >/dev/null"
check "xl create (1 vcpu)" sh -c "xl create $(cfg c1 1) >/dev/null 2>&1"
console c1
check "the guest boots to /init" seen c1 "KXEN-DOMU-INIT nproc=1" 120
console_stop
check "xl shutdown -w" sh -c "timeout 120 xl shutdown -w c1 >/dev/null 2>&1"
check "kxen-dom0 stop" sh -c "$SERVICE stop >/dev/null 2>&1"
check "kxen is unloaded" test ! -d /sys/module/kxen

rm -rf "$W"
dmesg_clean
done_testing
