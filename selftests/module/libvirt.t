#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# libvirt's Xen driver, stock, on kxen: `virsh -c xen:///system` sees Xen 4.17 and
# Domain-0, creates a PVH domain from XML (the host's own kernel, an interface on
# dom0's bridge), attaches to its console, sees it ping dom0, lists it and its
# interface, and destroys it. libvirt-driver/README.md says more.
. "$(dirname "$0")/tap.sh"

DRV=/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so
if ! command -v libvirtd >/dev/null || ! command -v virsh >/dev/null || [ ! -f $DRV ] ||
   [ ! -x /etc/init.d/xen ]; then
	skip "libvirt: no libvirt-daemon-driver-xen here"
	done_testing
	exit 0
fi
KERNEL=$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL
[ -r "$KERNEL" ] || bail "no $KERNEL (scripts/deps all)"
W=$(mktemp -d)
NETFRONT=$(find "$KXEN_CACHE/kernel/$KXEN_KREL/lib/modules" -name xen-netfront.ko)
"$KXEN_TOP/pvops/mkinitrd" "$KXEN_CACHE/busybox/bin/busybox" "$W/initrd.gz" $NETFRONT ||
	bail "cannot build the initramfs"
export KXEN_KO
SERVICE=$KXEN_TOP/userspace/kxen-dom0
V="virsh -c xen:///system"

check "kxen-dom0 start" sh -c "$SERVICE start >/dev/null 2>&1"
modprobe bridge 2>/dev/null
check "a bridge, xenbr0, 10.0.0.1/24, in dom0" sh -c "ip link add xenbr0 type bridge stp_state 0 forward_delay 0 &&
	ip addr add 10.0.0.1/24 dev xenbr0 && ip link set xenbr0 up"
mkdir -p "$W/drv" /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt
ln -s $DRV "$W/drv/"
LIBVIRT_DRIVER_DIR=$W/drv libvirtd >"$W/libvirtd.log" 2>&1 &
lv=$!
n=0
while ! $V version >/dev/null 2>&1 && [ $n -lt 60 ]; do
	sleep 0.5
	n=$((n + 1))
done
like "$($V version 2>&1)" "Running hypervisor: Xen 4\.17" "virsh version: Xen 4.17 (libvirt's Xen driver loaded)"
like "$($V capabilities 2>&1)" "<os_type>xenpvh</os_type>" "virsh capabilities: PVH guests"
like "$($V list 2>&1)" "^ *0 +Domain-0 +running" "virsh list: Domain-0"

sed -e "s|@NAME@|v1|" -e "s|@KERNEL@|$KERNEL|" -e "s|@INITRD@|$W/initrd.gz|" \
	-e "s|@CMDLINE@|console=hvc0 kxen_stay kxen_net=10.0.0.5/24 kxen_ping=10.0.0.1|" "$KXEN_TOP/libvirt-driver/pvh-domain.xml" \
	> "$W/v1.xml"
check "virsh create (a PVH domain from XML)" sh -c "$V create $W/v1.xml >/dev/null 2>&1"
like "$($V list 2>&1)" "^ *[0-9]+ +v1 +running" "virsh list: v1 running"
like "$(xl list 2>&1)" "^v1 " "xl list: v1 too"
# virsh console wants a terminal: script(1) gives it one, its input held open a while.
: > "$W/v1.con"
(sleep 300 | script -qfc "$V console v1" /dev/null > "$W/v1.con" 2>&1) 2>/dev/null &
con=$!
n=0
while ! grep -q KXEN-DOMU-PING "$W/v1.con" && [ $n -lt 900 ]; do
	sleep 0.2
	n=$((n + 1))
done
check "virsh console: the guest booted to /init" grep -q "KXEN-DOMU-INIT nproc=1" "$W/v1.con"
check "its interface on xenbr0 came up and pinged dom0: 3 of 3" \
	grep -q "KXEN-DOMU-PING 10.0.0.1 received=3" "$W/v1.con" ||
	grep KXEN-DOMU "$W/v1.con" | sed 's/^/#   /'
like "$($V domiflist v1 2>&1)" "vif[0-9]+\.0 +bridge +xenbr0" "virsh domiflist v1: vifN.0 on xenbr0"
pkill -f "$V console" 2>/dev/null
pkill -f "sleep 300" 2>/dev/null
wait $con 2>/dev/null
check "virsh destroy v1" sh -c "$V destroy v1 >/dev/null 2>&1"
is "$($V list --name 2>&1 | grep -c '^v1$')" 0 "virsh list: v1 gone"
is "$(xl list 2>&1 | grep -c '^v1 ')" 0 "xl list: v1 gone"

kill $lv
wait $lv 2>/dev/null
check "kxen-dom0 stop" sh -c "$SERVICE stop >/dev/null 2>&1"
check "kxen is unloaded" test ! -d /sys/module/kxen
ip link del xenbr0 2>/dev/null
grep -iE ' error ' "$W/libvirtd.log" | grep -v -e dnsmasq -e 'system bus' | head -5 | sed 's/^/# /'
rm -rf "$W"
dmesg_clean
done_testing
