#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest networking as a user sets it up: a bridge in dom0 (xenbr0), guests created by
# Debian's xl with `vif = ['bridge=xenbr0,mac=...']`, Debian's own vif-bridge script
# putting each guest's vif<domid>.0 on the bridge, kxen-netback (started by the dom0
# service) as the backend, the host's vmlinuz with its unmodified xen-netfront as the
# guests. The guests ping dom0 and each other, dom0 pings them; destroying a guest
# takes its vif away, and the backend carries on for the next.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/xl.sh"

XEN=/usr/lib/xen-4.17/bin
[ -x $XEN/xl ] && [ -x /etc/init.d/xen ] || {
	skip "net: no xen-utils-4.17 here"
	done_testing
	exit 0
}
modprobe tun 2>/dev/null
modprobe bridge 2>/dev/null
[ -c /dev/net/tun ] && [ -d /sys/module/bridge ] || {
	skip "net: this kernel has no tun or bridge module"
	done_testing
	exit 0
}
KERNEL=$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL
[ -r "$KERNEL" ] || bail "no $KERNEL (scripts/deps all)"
W=$(mktemp -d)
NETFRONT=$(find "$KXEN_CACHE/kernel/$KXEN_KREL/lib/modules" -name xen-netfront.ko)
[ -n "$NETFRONT" ] || bail "no xen-netfront.ko in the guest kernel's modules"
"$KXEN_TOP/pvops/mkinitrd" "$KXEN_CACHE/busybox/bin/busybox" "$W/initrd.gz" $NETFRONT ||
	bail "cannot build the initramfs"
SERVICE=$KXEN_TOP/userspace/kxen-dom0
PING="$KXEN_CACHE/busybox/bin/busybox ping"
export KXEN_KO

# cfg NAME ADDR PEER: a guest on xenbr0 at 10.0.0.ADDR, pinging 10.0.0.PEER once up.
cfg() {
	cat > "$W/$1.cfg" <<-EOF
	name = "$1"
	type = "pvh"
	kernel = "$KERNEL"
	ramdisk = "$W/initrd.gz"
	extra = "console=hvc0 kxen_stay kxen_net=10.0.0.$2/24 kxen_ping=10.0.0.$3"
	memory = 128
	vcpus = 1
	vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:0$2' ]
	on_poweroff = "destroy"
	EOF
	echo "$W/$1.cfg"
}

# backend_state NAME: the state kxen-netback wrote for the guest's vif 0.
backend_state() {
	xenstore-read "/local/domain/0/backend/vif/$(domid "$1")/0/state" 2>/dev/null
}

check "kxen-dom0 start" sh -c "$SERVICE start >$W/start.log 2>&1"
sed 's/^/# /' "$W/start.log"
check "kxen-netback runs" pgrep -x kxen-netback
check "a bridge, xenbr0, 10.0.0.1/24, in dom0" sh -c "ip link add xenbr0 type bridge stp_state 0 forward_delay 0 &&
	ip addr add 10.0.0.1/24 dev xenbr0 && ip link set xenbr0 up"

check "xl create n1 with a vif on xenbr0" sh -c "xl create $(cfg n1 2 1) >$W/n1.log 2>&1"
sed 's/^/# /' "$W/n1.log"
d1=$(domid n1)
console n1
like "$(basename "$(readlink /sys/class/net/vif$d1.0/master)" 2>&1)" "^xenbr0\$" \
	"vif-bridge put vif$d1.0 on xenbr0"
check "n1's netfront came up with its MAC" seen n1 "KXEN-DOMU-NET eth0 mac=00:16:3e:00:00:02" 120 ||
	tail -n 20 "$W/n1.con" | sed 's/^/#   /'
is "$(backend_state n1)" 4 "the backend is Connected (4)"
check "n1 pinged dom0: 3 of 3 came back" seen n1 "KXEN-DOMU-PING 10.0.0.1 received=3" 90 ||
	grep KXEN-DOMU "$W/n1.con" | sed 's/^/#   /'
like "$($PING -c 3 -w 60 10.0.0.2 2>&1)" " 0% packet loss" "dom0 pings n1"

check "xl create n2, pinging n1" sh -c "xl create $(cfg n2 3 2) >$W/n2.log 2>&1"
sed 's/^/# /' "$W/n2.log"
d2=$(domid n2)
console n2
check "n2 pinged n1 across the bridge: 3 of 3" seen n2 "KXEN-DOMU-PING 10.0.0.2 received=3" 120 ||
	grep KXEN-DOMU "$W/n2.con" | sed 's/^/#   /'

check "xl destroy n1" xl destroy n1
check "its vif is gone" sh -c "n=0; while [ -e /sys/class/net/vif$d1.0 ] && [ \$n -lt 150 ]; do
	sleep 0.2; n=\$((n + 1)); done; [ ! -e /sys/class/net/vif$d1.0 ]"
is "$(xenstore-ls /local/domain/0/backend/vif/$d1 2>/dev/null)" "" "and its backend directory"
like "$($PING -c 3 -w 60 10.0.0.3 2>&1)" " 0% packet loss" "n2 still answers dom0"
check "kxen-netback still runs" pgrep -x kxen-netback
check "xl destroy n2" xl destroy n2
console_stop

diag "kxen-netback's log:"
sed 's/^/#   /' /var/log/xen/kxen-netback.log
check "kxen-dom0 stop" sh -c "$SERVICE stop >$W/stop.log 2>&1"
sed 's/^/# /' "$W/stop.log"
check "kxen-netback stopped" sh -c "! pgrep -x kxen-netback"
ip link del xenbr0 2>/dev/null
dmesg_clean
done_testing
