# tests/lib.sh: sourced by every tests/tNNNN-*.sh (in the manner of git's
# t/test-lib.sh).  Each script runs in its own scratch directory with its
# own HOME, config and database; it prints TAP ("ok N - ...") and ends
# with test_done.  Set PWB_TEST_KEEP=1 to keep the scratch directory and
# PWB_TEST_VERBOSE=1 to see every command's output.

set -u
TEST_NAME=$(basename "$0" .sh)
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
# the peers' own test data (git's t5100 vectors, b4's, public-inbox's and
# syzkaller's samples, KCIDB's schema): tests that need it skip without it
PEER_DIR=${PWB_PEER_DIR:-$SRCDIR/../shared/peer}
PEER_T5100="$PEER_DIR/git-t5100"
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/pwb-$TEST_NAME.XXXXXX")
REAL_HOME=${HOME:-/root}
export HOME="$TRASH/home" XDG_CONFIG_HOME="$TRASH/config" \
	XDG_DATA_HOME="$TRASH/data" XDG_CACHE_HOME="$TRASH/cache" \
	PWB_DB="$TRASH/pwb.sqlite" LC_ALL=C.UTF-8 TZ=UTC
unset PWB_CONFIG
# no pager where a test gives pwb a terminal (script), unless it asks
export PAGER=cat
unset PWB_PAGER LESS
# pwb's cache of host facts, shared by every test: the arm64 busybox make
# deps unpacked (src/arch.h), whether KVM runs kernels here (src/qemu.c)
export PWB_CACHE="${PWB_CACHE:-$REAL_HOME/.cache/pwb}"
# kernel builds: one ccache for every test run, paths under the scratch
# directory made relative so that runs in different directories share it
export CCACHE_DIR="${CCACHE_DIR:-$REAL_HOME/.cache/ccache}" \
	CCACHE_BASEDIR="$TRASH" CCACHE_NOHASHDIR=1
mkdir -p "$HOME" "$XDG_CONFIG_HOME/pwb"
export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL="author@example.com" \
	GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL="committer@example.com"
cd "$TRASH" || exit 1

KWORK=
test_count=0
test_pass=0
test_fail=0
test_skip=0
cleanup_cmds=""

# Commands to run at exit, whatever happens (stop servers...).
test_at_exit() {
	cleanup_cmds="$1
$cleanup_cmds"
}

test_cleanup_all() {
	eval "$cleanup_cmds" >/dev/null 2>&1
	if [ -z "${PWB_TEST_KEEP:-}" ]; then
		rm -rf "$TRASH"
	else
		echo "# kept $TRASH"
	fi
}
trap 'test_cleanup_all' EXIT
trap 'exit 130' INT TERM

test_expect_success() {
	# PWB_TEST_ONLY=GLOB: only the tests whose title matches (and every
	# "setup: ..."), for one's own loop; the others are skipped
	if [ -n "${PWB_TEST_ONLY:-}" ]; then
		case "$1" in
		setup:*|$PWB_TEST_ONLY) ;;
		*) test_skip "$1" "PWB_TEST_ONLY"; return 0 ;;
		esac
	fi
	test_count=$((test_count + 1))
	# The body runs in this shell (as in git's test-lib): variables it sets
	# persist; chain commands with && and leave loops with "return 1".
	eval "test_body_() {
$2
}"
	t0_=$(date +%s)
	test_body_ >"$TRASH/.last.log" 2>&1
	rc=$?
	# the kernel tier's seconds a test ("#|" lines: ci/run-tests.sh shows
	# them), where its time goes
	[ -n "${KWORK:-}" ] && echo "#| $(($(date +%s) - t0_)) s	$1"
	cd "$TRASH" || exit 1
	[ -n "${PWB_TEST_VERBOSE:-}" ] && sed 's/^/# /' "$TRASH/.last.log"
	if [ $rc -eq 0 ]; then
		test_pass=$((test_pass + 1))
		echo "ok $test_count - $1"
	else
		test_fail=$((test_fail + 1))
		echo "not ok $test_count - $1"
		[ -f "$TRASH/.last.log" ] && tail -n 25 "$TRASH/.last.log" | sed 's/^/#   /'
	fi
}

test_skip() {
	test_count=$((test_count + 1))
	test_skip=$((test_skip + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

test_done() {
	echo "1..$test_count"
	echo "# $TEST_NAME: $test_pass passed, $test_fail failed, $test_skip skipped"
	[ $test_fail -eq 0 ]
	exit $?
}

# Helpers for test bodies.
test_cmp() { cmp "$1" "$2" || { diff -u "$1" "$2" | head -40; return 1; }; }

# The command must fail (non-zero, not a crash) with one line on stderr
# that contains the pattern.
test_fails_with() {
	pattern=$1; shift
	if "$@" >"$TRASH/.out" 2>"$TRASH/.err"; then
		echo "expected failure: $*"; return 1
	fi
	rc=$?
	if [ $rc -ge 128 ] && [ $rc -ne 129 ]; then
		echo "crashed ($rc): $*"; cat "$TRASH/.err"; return 1
	fi
	grep -q -- "$pattern" "$TRASH/.err" || {
		echo "stderr lacks '$pattern':"; cat "$TRASH/.err"; return 1; }
	grep -c '^pwb: error' "$TRASH/.err" | grep -qx 1 || {
		echo "not one error line:"; cat "$TRASH/.err"; return 1; }
}

# The branch pwb last applied series ID to (its own name: apply_branch_name),
# from the database DB (default $PWB_DB).
applied_branch() { # ID [DB]
	sqlite3 "${2:-$PWB_DB}" "SELECT branch FROM applies WHERE series_id = $1 AND status = 'applied' ORDER BY id DESC LIMIT 1"
}

# pwb report's text with each row's text that went under it (to stay
# within 80 columns, indented 9) put back on the row: "  1/2    fixes  fail  ..."
unwrap_rows() { # FILE
	awk '/^         [^ ]/ && row { prev = prev (joined ? " " : "  ") substr($0, 10); joined = 1; next }
	     { if (NR > 1) print prev; prev = $0; joined = 0; row = ($0 ~ /^  [0-9]+\/[0-9]+ /) }
	     END { if (NR) print prev }' "$1"
}

# A stable digest of the database's contents (for "unchanged" checks).
db_digest() {
	[ -f "$PWB_DB" ] || { echo "no-db"; return 0; }
	sqlite3 "$PWB_DB" "SELECT 'm', msgid FROM messages ORDER BY msgid;
		SELECT 's', msgid, version, complete FROM series ORDER BY msgid;
		SELECT 'p', msgid, patch_id FROM patches ORDER BY msgid;
		SELECT 't', kind, person FROM trailers ORDER BY 2, 3;" | sha1sum
}


# The command must fail (any non-zero status that is not a crash), quietly.
# test_expect_code N cmd...: cmd exits with exactly N
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	test "$got" = "$want" || { echo "exit $got, want $want: $*" >&2; return 1; }
}

test_must_fail_quiet() {
	"$@" >/dev/null 2>&1
	rc=$?
	[ $rc -ne 0 ] && [ $rc -lt 128 ]
}

# The reference kernel tree (ci/kernel-tree.sh), made once and cached
# outside the scratch directory.
ref_tree() {
	PWB_CACHE="${PWB_CACHE:-$REAL_HOME/.cache/pwb}" HOME="$REAL_HOME" \
		sh "$SRCDIR/ci/kernel-tree.sh"
}

# Kernel-tier tests skip themselves under make check-fast.
kernel_tier() {
	if [ -n "${PWB_FAST:-}" ]; then
		test_skip "kernel tier" "PWB_FAST (make check-fast)"
		test_done
	fi
	# the fixtures name the base-commit of the Debian source they were
	# written on; a newer linux-source-6.1 gives another commit, and the
	# series apply on the reference tree's tag instead
	git config -f "$XDG_CONFIG_HOME/pwb/config" apply.fallbackbase v6.1-debian
	# the broad build and coverage (docs/checks.md) cost minutes a check:
	# on where a test asks for them (t9200), off for the others' checks
	git config -f "$XDG_CONFIG_HOME/pwb/config" check.broadbuild false
	git config -f "$XDG_CONFIG_HOME/pwb/config" check.coverage false
	# one work directory for the kernel tier of a run (ci/run-tests.sh
	# makes it): the checkouts and build directories a test leaves are the
	# next test's, so a tree x arch x toolchain x config is built cold
	# once a run and then incrementally.  $KWORK/cache is core.workdir
	# (t9300 makes $KWORK its slurm.workdir, whose cache/ it is too).  A
	# test run alone gets one of its own in its scratch directory.
	KWORK=${PWB_TEST_WORKDIR:-$TRASH/shared}
	mkdir -p "$KWORK/cache"
	# the kernel's include paths are absolute under it (O= builds): made
	# relative for ccache, runs in other work directories share its cache
	export CCACHE_BASEDIR="$KWORK"
	git config -f "$XDG_CONFIG_HOME/pwb/config" core.workdir "$KWORK/cache"
}
