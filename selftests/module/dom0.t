#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Dom0's side of kxen (in either emulated machine; the parts that need Debian's Xen
# tools are skipped in Bochs'), as Debian's Xen tools use it: /dev/xen/privcmd and the
# hypercalls behind it (selftests/dom0/privcmd-test.c, with a domU running for
# getdomaininfo to find), a stock tool over it (lsevtchn lists the domU's event
# channels through libxenctrl), /dev/xen/gntdev (selftests/dom0/gntdev-test.c),
# /dev/xen/evtchn (selftests/dom0/evtchn-test.c), what xl create asks of kxen
# (selftests/dom0/domctl-test.c), and
# then Debian's own xenstored, xen-init-dom0 and xl, started as its init script does.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/domain.sh"

W=$(mktemp -d)
# Built on the host by the harness (make -C selftests/dom0), static.
for t in privcmd-test evtchn-test gntdev-test domctl-test; do
	[ -x "$KXEN_TOP/selftests/dom0/$t" ] || bail "no selftests/dom0/$t (make -C selftests/dom0)"
	ln -s "$KXEN_TOP/selftests/dom0/$t" "$W/$t"
done
insmod "$KXEN_KO" || bail "insmod failed"

check "/dev/xen/privcmd is there" test -c /dev/xen/privcmd
check "/proc/xen/privcmd is there" test -e /proc/xen/privcmd
# Every device and file of dom0's is root's: a non-root user is refused.
setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null ||
	skip "non-root opens: no util-linux setpriv here (busybox's has no --reuid)"
for f in /dev/xen/privcmd /dev/xen/evtchn /dev/xen/gntdev /proc/xen/privcmd \
	 /proc/xen/xsd_kva /proc/xen/xsd_port; do
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null || break
	like "$(setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "exec 3<>$f" 2>&1)" \
		"not permitted|Permission denied" "a non-root open of $f: refused"
done
# A domU that stays (it spins with interrupts off), after one that has gone: so the
# first domain with an id >= 1 is not domain 1.
gone=$(dom_create -m 8 "$KXEN_TOP/selftests/guests/xen-version/test.elf") &&
	dom_wait "$gone" 30 >/dev/null && dom_destroy "$gone" || bail "cannot run a domain"
id=$(dom_create -m 8 "$KXEN_TOP/selftests/guests/spin-irqs-off/test.elf") ||
	bail "cannot create a domain"
victim=$(dom_create -m 8 "$KXEN_TOP/selftests/guests/spin-irqs-off/test.elf") ||
	bail "cannot create a domain"
out=$("$W/privcmd-test" "$id" "$victim")	# it pauses and destroys the victim
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

check "/dev/xen/gntdev is there" test -c /dev/xen/gntdev
g=$(dom_create -m 8 "$KXEN_TOP/selftests/guests/spin-irqs-off/test.elf") ||
	bail "cannot create a domain"
out=$("$W/gntdev-test" "$g")	# it destroys the domain while it maps a page of it
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
is "$rc" 0 "gntdev-test: every check passed (the lines above)"

check "/dev/xen/evtchn is there" test -c /dev/xen/evtchn
out=$("$W/evtchn-test" "$id")	# it destroys the domain, for VIRQ_DOM_EXC
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
is "$rc" 0 "evtchn-test: every check passed (the lines above)"

# What xl create asks (selftests/dom0/domctl-test.c): createdomain and the domctls
# after it, populate_physmap, foreign mappings, HVM context, the CPU policy.
out=$("$W/domctl-test")
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
is "$rc" 0 "domctl-test: every check passed (the lines above)"

# Debian's xenstored, both flavours (oxenstored is Debian's default), started as
# /etc/init.d/xen starts them, then xen-init-dom0 and xl.
XEN=/usr/lib/xen-4.17/bin
# toolstack NAME COMMAND...: start a xenstored, check the store and xl on it, stop it.
toolstack() {
	name=$1
	shift
	rm -rf /run/xenstored /var/lib/xenstored
	mkdir -p /run/xen /run/xenstored /var/lib/xen /var/lib/xenstored /var/log/xen
	"$@" >"$W/$name.log" 2>&1 &
	xs=$!
	n=0
	while ! xenstore-read -s / >/dev/null 2>&1 && [ $n -lt 50 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	check "$name: starts and answers (xenstore-read -s /)" \
		sh -c "xenstore-read -s / >/dev/null"
	check "$name: xenstore-write, then" xenstore-write /kxen-test hello
	is "$(xenstore-read /kxen-test 2>&1)" hello "$name: xenstore-read gives it back"
	check "$name: stock xen-init-dom0" sh -c "$XEN/xen-init-dom0 >/dev/null"
	is "$(xenstore-read /local/domain/0/name 2>&1)" Domain-0 "$name: dom0 is named Domain-0"
	info=$(xl info 2>&1)
	diag "$name: xl info: $(printf '%s\n' "$info" | grep -E '^(xen_version|total_memory|nr_cpus|virt_caps|xen_caps)' | tr -s ' ' | tr '\n' ';')"
	like "$info" "^xen_version *: 4\.17" "$name: xl info: Xen 4.17"
	like "$info" "^nr_cpus *: $(nproc)\$" "$name: xl info: the host's CPUs"
	like "$info" "^total_memory *: $(($(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024))\$" \
		"$name: xl info: the host's memory (MiB)"
	like "$info" "^virt_caps *:.*hvm.*hap" "$name: xl info: virt_caps hvm, hap"
	like "$(xl dmesg 2>&1)" "^\(XEN\) Xen version 4\.17" "$name: xl dmesg: kxen's console"
	like "$(xl dmesg 2>&1)" "^\(d$gone\) Test result: SUCCESS" "$name: xl dmesg: a guest's line"
	list=$(xl list 2>&1)
	diag "$name: xl list: $(printf '%s\n' "$list" | tr -s ' ' | tr '\n' ';')"
	like "$list" "^Domain-0 +0 " "$name: xl list: Domain-0"
	if [ "$name" = oxenstored ]; then
		# A domain not made by xl (libxl warns that it lacks its xenstore entries).
		d=$(dom_create -m 8 "$KXEN_TOP/selftests/guests/spin-irqs-off/test.elf")
		state() { xl list 2>/dev/null | awk -v id="$d" '$2 == id { print $5 }'; }
		# Runnable: "r" while a host CPU runs its vcpu, "-" between slices.
		like "$(state)" '^[r-]-----$' "xl list: d$d runnable"
		check "xl pause $d" sh -c "xl pause $d 2>/dev/null"
		is "$(state)" --p--- "xl list: d$d paused"
		check "xl unpause $d" sh -c "xl unpause $d 2>/dev/null"
		like "$(state)" '^[r-]-----$' "xl list: d$d runnable again"
		check "xl destroy $d" sh -c "xl destroy $d 2>/dev/null"
		is "$(state)" "" "xl list: d$d gone"
		is "$(dom_field "$d" 1)" "" "kxen: d$d gone"
		check "xl dmesg -c" sh -c "xl dmesg -c >/dev/null"
		is "$(xl dmesg 2>&1 | grep -c 'Xen version')" 0 "then xl dmesg has forgotten it"
	fi
	kill $xs
	wait $xs 2>/dev/null
}
if [ -x $XEN/xenstored ] && [ -x $XEN/oxenstored ] && [ -x /usr/bin/xenstore-read ]; then
	toolstack xenstored env XENSTORED_ROOTDIR=/run/xenstored $XEN/xenstored -N \
		-F /run/xenstored.pid
	toolstack oxenstored $XEN/oxenstored --no-fork
else
	skip "stock xenstored and oxenstored: no xen-utils-4.17 here"
fi

check "rmmod" rmmod kxen
check "/dev/xen/privcmd has gone" test ! -e /dev/xen/privcmd
rm -rf "$W"
dmesg_clean
done_testing
