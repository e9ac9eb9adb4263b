#!/bin/sh
# Make (or reuse) the reference kernel tree: a git repository of Debian's
# /usr/src/linux-source-6.1.tar.xz, one commit tagged v6.1-debian.
#   ci/kernel-tree.sh [DEST]   prints the path of the repository
# DEST defaults to $PWB_REF_TREE, else $PWB_CACHE/linux-6.1-debian
# ($PWB_CACHE defaults to ~/.cache/pwb).  An existing repository with the
# tag is reused as it is.
#
# Debian's tarball has a top-level .gitignore ending in "/*" (Debian's
# packaging ignores every top-level path), so the import adds with -f;
# the tarball holds sources only, so nothing unwanted comes in.
set -eu
TAR=/usr/src/linux-source-6.1.tar.xz
DEST=${1:-${PWB_REF_TREE:-${PWB_CACHE:-$HOME/.cache/pwb}/linux-6.1-debian}}

if git -C "$DEST" rev-parse -q --verify refs/tags/v6.1-debian >/dev/null 2>&1; then
	echo "$DEST"
	exit 0
fi
if [ ! -f "$TAR" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "ci/kernel-tree.sh: installing linux-source-6.1" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends linux-source-6.1 >/dev/null ||
		{ apt-get update -q >/dev/null &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends linux-source-6.1 >/dev/null; }
	else
		echo "ci/kernel-tree.sh: $TAR missing: apt-get install linux-source-6.1" >&2
		exit 1
	fi
fi
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
GIT_AUTHOR_NAME="Debian linux-source-6.1" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org" \
GIT_COMMITTER_NAME="pwb" GIT_COMMITTER_EMAIL="pwb@localhost" \
GIT_AUTHOR_DATE="2022-12-11 14:15:00 -0800" GIT_COMMITTER_DATE="2022-12-11 14:15:00 -0800" \
	git commit -q -m "Linux 6.1 (Debian linux-source-6.1 $ver)"
git tag v6.1-debian
cd /
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST"
mv "$tmp" "$DEST"
trap - EXIT INT TERM
echo "$DEST"
