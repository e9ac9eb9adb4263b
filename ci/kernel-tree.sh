#!/bin/sh
# Make (or reuse) the reference kernel tree: one git repository with
# Debian's /usr/src/linux-source-6.1.tar.xz as a commit tagged v6.1-debian
# and, on top of it, /usr/src/linux-source-6.12.tar.xz tagged v6.12-debian
# (as a maintainer's tree holds many releases).
#   ci/kernel-tree.sh [DEST]   prints the path of the repository
# DEST defaults to $PWB_REF_TREE, else $PWB_CACHE/linux-6.1-debian
# ($PWB_CACHE defaults to ${XDG_CACHE_HOME:-~/.cache}/pwb).  Tags already there are reused.
#
# Debian's tarball has a top-level .gitignore ending in "/*" (Debian's
# packaging ignores every top-level path), so the import adds with -f;
# the tarball holds sources only, so nothing unwanted comes in.
set -eu
DEST=${1:-${PWB_REF_TREE:-${PWB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pwb}/linux-6.1-debian}}

# need_source VER: the tarball of linux-source-VER, installed if root
need_source() {
	tar=/usr/src/linux-source-$1.tar.xz
	[ -f "$tar" ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		echo "ci/kernel-tree.sh: installing linux-source-$1" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "linux-source-$1" >/dev/null ||
		{ apt-get update -q >/dev/null &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "linux-source-$1" >/dev/null; }
	else
		echo "ci/kernel-tree.sh: $tar missing: apt-get install linux-source-$1" >&2
		exit 1
	fi
}

# Fixed identity and dates: the same package gives the same commit id.
ident() {
	export GIT_AUTHOR_NAME="Debian linux-source-$1" \
		GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org" \
		GIT_COMMITTER_NAME="pwb" GIT_COMMITTER_EMAIL="pwb@localhost" \
		GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2"
}

# add_612: v6.12-debian as a child of v6.1-debian, written through a
# separate index so the repository's own work tree and index stay 6.1.
add_612() {
	need_source 6.12
	ver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || echo unknown)
	echo "ci/kernel-tree.sh: importing linux-source-6.12 ($ver) into $DEST" >&2
	tmp="$DEST.612.$$"
	trap 'rm -rf "$tmp"' EXIT INT TERM
	rm -rf "$tmp"
	mkdir -p "$tmp/src"
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$tmp/src" --strip-components=1
	export GIT_DIR="$DEST/.git" GIT_WORK_TREE="$tmp/src" GIT_INDEX_FILE="$tmp/index"
	git add -A -f
	t=$(git write-tree)
	ident 6.12 "2024-11-17 14:15:00 -0800"
	c=$(echo "Linux 6.12 (Debian linux-source-6.12 $ver)" |
		git commit-tree "$t" -p refs/tags/v6.1-debian)
	git tag v6.12-debian "$c"
	unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
	rm -rf "$tmp"
	trap - EXIT INT TERM
}

# one import at a time (ci/run-tests.sh starts one in the background while
# the first tests run; a kernel-tier test that needs the tree waits here)
mkdir -p "$(dirname "$DEST")"
exec 9>"$DEST.lock"
flock 9

if git -C "$DEST" rev-parse -q --verify refs/tags/v6.1-debian >/dev/null 2>&1; then
	git -C "$DEST" rev-parse -q --verify refs/tags/v6.12-debian >/dev/null 2>&1 ||
		add_612
	echo "$DEST"
	exit 0
fi
need_source 6.1
TAR=/usr/src/linux-source-6.1.tar.xz
ver=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null || echo unknown)
tmp="$DEST.tmp.$$"
trap 'rm -rf "$tmp"' EXIT INT TERM
rm -rf "$tmp"
mkdir -p "$tmp"
echo "ci/kernel-tree.sh: importing $TAR ($ver) into $DEST" >&2
tar -xJf "$TAR" -C "$tmp" --strip-components=1
cd "$tmp"
git init -q -b master
git config core.autocrlf false
git add -A -f
# fixed identity and dates: the same package gives the same commit id
(ident 6.1 "2022-12-11 14:15:00 -0800" && git commit -q -m "Linux 6.1 (Debian linux-source-6.1 $ver)")
git tag v6.1-debian
cd /
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST"
mv "$tmp" "$DEST"
trap - EXIT INT TERM
add_612
echo "$DEST"
