#!/bin/sh
# Install the Debian packages pwb, its tests and its benchmarks need.
# Idempotent: does nothing when everything is there.  Needs root to install.
set -eu

PKGS="gcc make pkg-config git ca-certificates
libgit2-dev libcurl4-openssl-dev libsqlite3-dev libgmime-3.0-dev zlib1g-dev
libjansson-dev libcmocka-dev libarchive-dev sqlite3 python3 curl bc
public-inbox b4 linux-source-6.1
qemu-system-x86 busybox-static linux-image-amd64 flex bison libelf-dev libssl-dev
ccache kmod
bubblewrap clang libclang-rt-14-dev valgrind
slurm-wlm"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

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
