# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for kxen's scripts: where the cache lives, which Debian kernel
# release we target, and how a Debian package is fetched and unpacked (never installed).

export KXEN_TOP
KXEN_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KXEN_CACHE=${KXEN_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/kxen}

say() { echo "kxen: $*" >&2; }
die() { echo "kxen: error: $*" >&2; exit 1; }

# The release Debian 12's linux-image-amd64 metapackage points at today (e.g. 6.1.0-56-amd64).
# KXEN_KREL pins it.
kernel_rel() {
	if [ -n "${KXEN_KREL:-}" ]; then echo "$KXEN_KREL"; return; fi
	local rel
	metapackage_rel() {
		apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: linux-image-\([0-9][^ <>]*\)$/\1/p' | head -n 1
	}
	rel=$(metapackage_rel)
	if [ -z "$rel" ] && [ "$(id -u)" = 0 ]; then	# no package lists yet
		apt-get update -q >&2 || true
		rel=$(metapackage_rel)
	fi
	[ -n "$rel" ] || die "cannot resolve linux-image-amd64's release (apt-cache); set KXEN_KREL"
	echo "$rel"
}

# new_run_dir KIND: a fresh folder for one emulator run under $KXEN_CACHE/runs, pointed
# at by $KXEN_CACHE/last-KIND; only the newest runs of each kind are kept.
new_run_dir() {
	local kind=$1 dir
	mkdir -p "$KXEN_CACHE/runs" || return 1
	dir=$(mktemp -d "$KXEN_CACHE/runs/$kind-$(date +%Y%m%d-%H%M%S)-XXXX") || return 1
	ln -sfn "$dir" "$KXEN_CACHE/last-$kind"
	ls -dt "$KXEN_CACHE/runs/$kind"-* 2>/dev/null | tail -n +21 | xargs -r rm -rf
	echo "$dir"
}

# fetch_deb PKG DIR: download PKG with apt-get download and unpack it into DIR.
# DIR/.version records what was unpacked; an existing DIR is kept as it is.
fetch_deb() {
	local pkg=$1 dir=$2 dl
	[ -f "$dir/.version" ] && return 0
	dl=$(mktemp -d) || return 1
	chmod 755 "$dl"		# apt's sandbox user writes the download here
	say "downloading $pkg"
	if ! (cd "$dl" && apt-get download -q "$pkg" >&2); then
		[ "$(id -u)" = 0 ] && apt-get update -q >&2
		(cd "$dl" && apt-get download -q "$pkg" >&2) || { rm -rf "$dl"; return 1; }
	fi
	rm -rf "$dir.part" && mkdir -p "$dir.part" &&
		dpkg-deb -x "$dl"/*.deb "$dir.part" &&
		dpkg-deb -f "$dl"/*.deb Version > "$dir.part/.version" &&
		rm -rf "$dir" && mv "$dir.part" "$dir"
	local rc=$?
	rm -rf "$dl"
	return $rc
}
