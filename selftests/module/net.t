#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest networking as a user sets it up: a bridge in dom0 (xenbr0, made by the service
# through kxen-bridge), guests created by Debian's xl with
# `vif = ['bridge=xenbr0,mac=...']`, Debian's own vif-bridge script putting each
# guest's vif<domid>.0 on the bridge, kxen-netback (started by the service) as the
# backend, the host's vmlinuz with its unmodified xen-netfront as the guests. The guests ping dom0 and each other, dom0 pings them; one guest fetches
# 64 MiB from dom0's web server and streams it back at once, and both ends check its
# SHA-256; destroying a guest takes its vif away, and the backend carries on for the next.
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

# cfg NAME ADDR PEER [ARGS]: a guest on xenbr0 at 10.0.0.ADDR, pinging 10.0.0.PEER
# once up, with ARGS on its command line too (pvops/initrd/init).
cfg() {
	cat > "$W/$1.cfg" <<-EOF
	name = "$1"
	type = "pvh"
	kernel = "$KERNEL"
	ramdisk = "$W/initrd.gz"
	extra = "console=hvc0 kxen_stay kxen_net=10.0.0.$2/24 kxen_ping=10.0.0.$3 ${4:-}"
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

# The service makes the bridge, as /etc/default/kxen would ask it to.
check "kxen-dom0 start, KXEN_BRIDGE=xenbr0 KXEN_BRIDGE_ADDR=10.0.0.1/24" \
	sh -c "KXEN_BRIDGE=xenbr0 KXEN_BRIDGE_ADDR=10.0.0.1/24 $SERVICE start >$W/start.log 2>&1"
sed 's/^/# /' "$W/start.log"
check "kxen-netback runs" sh -c "pgrep -x kxen-netback >/dev/null"
check "it made xenbr0, a bridge, up" sh -c "[ -d /sys/class/net/xenbr0/bridge ] &&
	ip link show xenbr0 | grep -q '<.*UP.*>'"
like "$(ip -4 -br addr show xenbr0 2>&1)" "10\.0\.0\.1/24" "with 10.0.0.1/24"

# What n1 fetches from dom0 (busybox httpd) and sends back (busybox nc, into sha256sum).
BB=$KXEN_CACHE/busybox/bin/busybox
mkdir "$W/www" && head -c 64M /dev/urandom > "$W/www/64M"
SUM=$(sha256sum < "$W/www/64M" | cut -d' ' -f1)
$BB httpd -f -p 10.0.0.1:8080 -h "$W/www" &
httpd=$!
$BB nc -l -p 9000 -e sh -c "sha256sum > $W/back.part && mv $W/back.part $W/back" &
ncl=$!
XFER="kxen_fetch=http://10.0.0.1:8080/64M kxen_send=10.0.0.1:9000"

check "xl create n1 with a vif on xenbr0" sh -c "xl create $(cfg n1 2 1 "$XFER") >$W/n1.log 2>&1"
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
t0=$(date +%s)
if ! check "n1 fetched 64 MiB from dom0 intact (SHA-256)" seen n1 "KXEN-DOMU-FETCH .* sha256=$SUM" 900; then
	tail -n 15 "$W/n1.con" | sed 's/^/#   /'
	ip -s link show "vif$d1.0" | sed 's/^/#   /'
fi
check "dom0 got the 64 MiB n1 sent back intact" sh -c "n=0; while [ ! -f $W/back ] &&
	[ \$n -lt 600 ]; do sleep 0.5; n=\$((n + 1)); done; grep -q '^$SUM ' $W/back"
diag "64 MiB each way at once: $(($(date +%s) - t0)) s"
kill $httpd $ncl 2>/dev/null

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
check "kxen-netback still runs" sh -c "pgrep -x kxen-netback >/dev/null"

# A second vif on the running n2, and away again.
check "xl network-attach n2 bridge=xenbr0,mac=00:16:3e:00:01:03" \
	xl network-attach n2 bridge=xenbr0 mac=00:16:3e:00:01:03
check "n2's netfront found it: eth1" seen n2 "KXEN-DOMU-NETDEVS eth0 eth1 lo" 60
is "$(xenstore-read /local/domain/0/backend/vif/$d2/1/state 2>&1)" 4 "its backend is Connected"
like "$(basename "$(readlink /sys/class/net/vif$d2.1/master)" 2>&1)" "^xenbr0\$" \
	"vif-bridge put vif$d2.1 on xenbr0"
like "$(xl network-list n2 2>&1)" "00:16:3e:00:01:03" "xl network-list n2 lists it"
check "xl network-detach n2 1" xl network-detach n2 1
check "eth1 left n2" seen n2 "KXEN-DOMU-NETDEVS eth0 lo" 60
check "vif$d2.1 is gone" sh -c "[ ! -e /sys/class/net/vif$d2.1 ]"
unlike "$(xl network-list n2 2>&1)" "00:16:3e:00:01:03" "xl network-list n2 no longer lists it"

# Saved and restored, n2 comes back as a new domain with a new vif, and answers.
check "xl save n2" sh -c "timeout 300 xl save n2 $W/n2.save >$W/save.log 2>&1"
grep -E 'error|rror:' "$W/save.log" | head -n 5 | sed 's/^/# /'
check "xl restore n2" sh -c "timeout 300 xl restore $W/n2.save >$W/restore.log 2>&1"
grep -E 'error|rror:' "$W/restore.log" | head -n 5 | sed 's/^/# /'
rm -f "$W/n2.save"
d2=$(domid n2)
like "$(basename "$(readlink /sys/class/net/vif$d2.0/master)" 2>&1)" "^xenbr0\$" \
	"the restored n2's vif$d2.0 is on xenbr0"
like "$($PING -c 3 -w 60 10.0.0.3 2>&1)" " 0% packet loss" "the restored n2 answers dom0"
# The hostile frontend (selftests/guests/netif-hostile/): six vifs, one attack on the
# backend through each; dom0 sends ARP broadcasts meanwhile, for the one whose receive
# requests grant nothing. After it: the backend runs on, holds no more grant mappings,
# and n2 still talks.
HOSTILE=$KXEN_TOP/selftests/guests/netif-hostile/test.elf
nb=$(pgrep -x kxen-netback)
maps=$(grep -c gntdev "/proc/$nb/maps")
{
	echo 'name = "hostile"'
	echo 'type = "pvh"'
	echo "kernel = \"$HOSTILE\""
	echo 'memory = 16'
	echo 'on_poweroff = "destroy"'
	printf "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:02:00'"
	for i in 1 2 3 4 5; do printf ", 'bridge=xenbr0,mac=00:16:3e:00:02:0%s'" $i; done
	echo ' ]'
} > "$W/hostile.cfg"
check "xl create hostile (six vifs)" sh -c "xl create $W/hostile.cfg >$W/hostile.log 2>&1"
sed 's/^/# /' "$W/hostile.log"
dh=$(domid hostile)
(while [ -n "$(row hostile)" ]; do $BB arping -q -c 1 -w 1 -I xenbr0 10.0.0.77; done) \
	>/dev/null 2>&1 &
check "hostile ran to its end" gone hostile 400
result=$(xl dmesg | sed -n "s/^(d$dh) Test result: //p" | tail -n 1 | tr -d '\r')
is "$result" SUCCESS "netif-hostile: test result"
xl dmesg | grep "^(d$dh) " | sed 's/^/#   /'
check "its six vifs are gone" sh -c "n=0; while ls /sys/class/net | grep -q '^vif$dh\.' &&
	[ \$n -lt 150 ]; do sleep 0.2; n=\$((n + 1)); done; ! ls /sys/class/net | grep -q '^vif$dh\.'"
check "kxen-netback still runs" sh -c "pgrep -x kxen-netback >/dev/null"
is "$(grep -c gntdev "/proc/$nb/maps")" "$maps" "kxen-netback holds no more grant mappings than before"
like "$($PING -c 3 -w 60 10.0.0.3 2>&1)" " 0% packet loss" "n2 still answers dom0"

# kxen-netback killed: n2's vif goes with it. Started again, it takes the vif over.
check "kill -9 kxen-netback" kill -9 "$nb"
check "vif$d2.0 went with it" sh -c "n=0; while [ -e /sys/class/net/vif$d2.0 ] && [ \$n -lt 150 ]; do
	sleep 0.2; n=\$((n + 1)); done; [ ! -e /sys/class/net/vif$d2.0 ]"
check "kxen-dom0 netback: started again" sh -c "$SERVICE netback >$W/nb.log 2>&1"
sed 's/^/# /' "$W/nb.log"
check "vif$d2.0 is back, on xenbr0" sh -c "n=0; while [ ! -e /sys/class/net/vif$d2.0/master ] &&
	[ \$n -lt 150 ]; do sleep 0.2; n=\$((n + 1)); done
	[ \$(basename \$(readlink /sys/class/net/vif$d2.0/master)) = xenbr0 ]"
like "$($PING -c 3 -w 60 10.0.0.3 2>&1)" " 0% packet loss" "n2 answers dom0 through the new kxen-netback"
check "xl destroy n2" xl destroy n2
console_stop

diag "kxen-netback's log:"
sed 's/^/#   /' /var/log/xen/kxen-netback.log
check "kxen-dom0 stop" sh -c "$SERVICE stop >$W/stop.log 2>&1"
sed 's/^/# /' "$W/stop.log"
check "kxen-netback stopped" sh -c "! pgrep -x kxen-netback"
check "xenbr0 taken away, as the service made it" sh -c "[ ! -e /sys/class/net/xenbr0 ]"
ip link del xenbr0 2>/dev/null
dmesg_clean
done_testing
