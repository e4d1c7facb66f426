#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In dom0 of real Xen (run-on-xen): each named test guest in turn, by `xl create`; its
# result from its port 0xE9 lines in Xen's console. One TAP line per guest.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cfg=$(mktemp)
n=0
failed=0
for g in "$@"; do
	n=$((n + 1))
	vcpus=$(cat "$here/$g/vcpus" 2>/dev/null || echo 1)
	cat > "$cfg" <<CFG
type = "pvh"
name = "t-$g"
kernel = "$here/$g/test.elf"
memory = 32
vcpus = $vcpus
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
CFG
	xl dmesg -c >/dev/null
	# Paused at first, to learn its id before it can finish.
	if ! xl create -q -p "$cfg" || ! id=$(xl domid "t-$g") || ! xl unpause "$id"; then
		echo "not ok $n - $g on real Xen: xl create failed"
		xl destroy "t-$g" 2>/dev/null
		failed=1
		continue
	fi
	# Done when the domain is gone (it powered off, or crashed); 60 s at most.
	i=0
	while xl domid "t-$g" >/dev/null 2>&1 && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	xl destroy "t-$g" 2>/dev/null
	lines=$(xl dmesg | sed -n "s/^(d$id) //p")
	echo "$lines" | sed 's/^/# /'
	result=$(echo "$lines" | sed -n 's/^Test result: //p' | tail -n 1)
	case $result in
	SUCCESS) echo "ok $n - $g on real Xen";;
	SKIP) echo "ok $n # SKIP $g on real Xen";;
	*) echo "not ok $n - $g on real Xen: ${result:-no result}"; failed=1;;
	esac
done
rm -f "$cfg"
echo "1..$n"
exit $failed
