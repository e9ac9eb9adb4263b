#!/bin/sh
# Install the Debian packages pwb, its tests and its benchmarks need.
# Idempotent: does nothing when everything is there.  Needs root to install.
set -eu

PKGS="gcc binutils make pkg-config git ca-certificates
libgit2-dev libcurl4-openssl-dev libsqlite3-dev libgmime-3.0-dev zlib1g-dev
libjansson-dev libcmocka-dev libarchive-dev sqlite3 python3 python3-jsonschema curl bc
public-inbox b4 linux-source-6.1 linux-source-6.12
qemu-system-x86 busybox-static linux-image-amd64 flex bison libelf-dev libssl-dev
ccache kmod sparse
gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
bubblewrap clang lld llvm libclang-rt-14-dev valgrind
slurm-wlm
man-db"

# arm64 guests need an arm64 busybox.  Installing busybox-static:arm64
# (multiarch) would remove the amd64 one every x86 initramfs uses, so the
# package is downloaded and unpacked into pwb's cache instead.
CACHE=${PWB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pwb}
BB_ARM64="$CACHE/arm64/busybox"

arm64_busybox() {
	[ -x "$BB_ARM64" ] && return 0
	if [ "$(id -u)" -ne 0 ] &&
	   ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "pwb: no arm64 busybox: run 'sudo make deps'" >&2
		return 1
	fi
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64
		apt-get update -q >/dev/null
	fi
	tmp=$(mktemp -d)
	( cd "$tmp" && apt-get download -q busybox-static:arm64 >/dev/null 2>&1 ) ||
	{ [ "$(id -u)" -eq 0 ] && apt-get update -q >/dev/null &&
	  ( cd "$tmp" && apt-get download -q busybox-static:arm64 >/dev/null ); } ||
	{ rm -rf "$tmp"; echo "pwb: apt-get download busybox-static:arm64 failed" >&2; return 1; }
	dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/x"
	mkdir -p "$(dirname "$BB_ARM64")"
	cp "$tmp/x/bin/busybox" "$BB_ARM64.tmp" && mv "$BB_ARM64.tmp" "$BB_ARM64"
	rm -rf "$tmp"
	echo "ci/deps.sh: arm64 busybox in $BB_ARM64"
}

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	arm64_busybox
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "pwb: missing Debian packages:$missing" >&2
	echo "pwb: run 'sudo make deps' (or: apt-get install$missing)" >&2
	exit 1
fi
echo "ci/deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing >/dev/null; then
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
arm64_busybox
