# SPDX-License-Identifier: GPL-2.0
# Watching domains that Debian's xl started, from kxen's in-machine tests: their rows
# in `xl list`, their consoles through `xl console`. Sourced after tap.sh; wants $W, a
# folder of the test's own. POSIX sh.

# The domain's id and xl list columns (name id mem vcpus state), or nothing.
row() { xl list 2>/dev/null | awk -v n="$1" '$1 == n { print $2, $3, $4, $5 }'; }
domid() { row "$1" | cut -d' ' -f1; }

# console NAME: attach `xl console` to the domain, its output into $W/NAME.con, in
# the background (a pty from script(1), its input held open until killed).
console() {
	# xl console finds the console by the tty xenconsoled writes into xenstore once
	# it has seen the domain: attached before that, it gives up at once.
	_t=0
	_d=$(domid "$1")
	while [ -z "$(xenstore-read "/local/domain/$_d/console/tty" 2>/dev/null)" ] &&
	      [ $_t -lt 600 ]; do
		sleep 0.2
		_t=$((_t + 1))
		_d=$(domid "$1")
	done
	: > "$W/$1.con"
	(sleep 600 | script -qfc "xl console $1" /dev/null > "$W/$1.con" 2>&1) 2>/dev/null &
	con_pid=$!
}
console_stop() {
	pkill -f "xl console" 2>/dev/null
	pkill -f "sleep 600" 2>/dev/null
	wait $con_pid 2>/dev/null
}

# seen NAME REGEX SECONDS [COUNT]: the console has shown COUNT (1) lines matching.
seen() {
	_t=0
	while [ "$(grep -c -- "$2" "$W/$1.con")" -lt "${4:-1}" ] && [ $_t -lt $(($3 * 5)) ]; do
		sleep 0.2
		_t=$((_t + 1))
	done
	[ "$(grep -c -- "$2" "$W/$1.con")" -ge "${4:-1}" ]
}

# gone NAME SECONDS: xl no longer lists it.
gone() {
	_t=0
	while [ -n "$(row "$1")" ] && [ $_t -lt $(($2 * 5)) ]; do
		sleep 0.2
		_t=$((_t + 1))
	done
	[ -z "$(row "$1")" ]
}
