#!/bin/sh
# Jobs and the Slurm backend on the fast QEMU tier: a one-node
# Slurm cluster on 127.0.0.1 started here (ci/slurm-cluster.sh) and
# stopped at the end; Debian's prebuilt kernel booted with the suites of
# tests/fixtures/datadir (no kernel build).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/ci/lib-pi.sh"

KERNEL=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$KERNEL" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	test_skip "slurm" "no /boot/vmlinuz-* or QEMU (make deps)"
	test_done
fi
if ! command -v sbatch >/dev/null || [ ! -x /usr/sbin/slurmctld ]; then
	test_skip "slurm" "no Slurm (make deps installs slurm-wlm)"
	test_done
fi
export PWB_DATADIR="$SRCDIR/tests/fixtures/datadir" TMPDIR="$TRASH/tmp"
mkdir -p "$TMPDIR"
git config -f "$XDG_CONFIG_HOME/pwb/config" slurm.workdir "$TRASH/shared"
git config -f "$XDG_CONFIG_HOME/pwb/config" slurm.poll 0.5
no_qemu_left() { ! pgrep -f "qemu-system-x86_64.*$TRASH" >/dev/null; }
# the ids of the rows that make up results, for "unchanged" checks
digest() {
	sqlite3 "$PWB_DB" "SELECT 'b', count(*) FROM boots; SELECT 'r', count(*)
		FROM suite_runs; SELECT 'c', count(*) FROM case_results;
		SELECT 'f', count(*) FROM findings; SELECT 'j', count(*) FROM jobs;"
}
# status and case statuses of each run of a pwb run --json
outcome() {
	python3 -c "
import json, sys
for r in json.load(open(sys.argv[1]))[\"runs\"]:
    print(r[\"status\"], sorted((c[\"name\"], c[\"status\"]) for c in r[\"cases\"]))" "$1"
}

test_expect_success 'setup: a one-node cluster on 127.0.0.1' '
	port=$(pi_free_port) &&
	test_at_exit "sh \"$SRCDIR/ci/slurm-cluster.sh\" stop \"$TRASH/slurm\"" &&
	sh "$SRCDIR/ci/slurm-cluster.sh" start "$TRASH/slurm" "$port" >env &&
	. ./env &&
	sinfo -h -o %a | grep -q up
'

test_expect_success 'a suite on the cluster gives what it gives here' '
	"$PWB" run --kernel "$KERNEL" --suite fast-ktap --repeat 2 --json >local.json &&
	"$PWB" run --kernel "$KERNEL" --suite fast-ktap --repeat 2 --on slurm \
		--json >slurm.json 2>slurm.err &&
	outcome local.json >local.out &&
	outcome slurm.json >slurm.out &&
	test_cmp local.out slurm.out &&
	test "$(wc -l <slurm.out)" = 2 &&
	grep -q "^passed .*proc_version.*pass" slurm.out &&
	test "$(sqlite3 "$PWB_DB" "SELECT group_concat(backend || status || attempts)
		FROM jobs")" = "slurmok1,slurmok1" &&
	ls "$TRASH"/shared/jobs/*/suite/0/a1/result.json >/dev/null &&
	no_qemu_left
'

test_expect_success 'run.backend = slurm in the config does the same' '
	"$PWB" -c run.backend=slurm run --kernel "$KERNEL" --suite fast-ktap \
		--repeat 1 >text.out &&
	grep -q "^fast-ktap run 1/1 on $KERNEL: passed" text.out &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM jobs")" = 3
'

test_expect_success 'pwb job import of the same bundles again changes nothing' '
	digest >before &&
	"$PWB" job import "$TRASH"/shared/jobs/*/suite/*/a1 >imp.out &&
	grep -q "imported before" imp.out &&
	! grep -q ": imported$" imp.out &&
	digest >after &&
	test_cmp before after
'

test_expect_success 'pwb job import into a fresh database brings every row' '
	PWB_DB="$TRASH/other.sqlite" "$PWB" job import "$TRASH"/shared/jobs/*/suite/*/a1 >imp2.out &&
	test "$(grep -c ": imported$" imp2.out)" = 3 &&
	test "$(sqlite3 "$TRASH/other.sqlite" "SELECT count(*) FROM suite_runs")" = 3 &&
	test "$(sqlite3 "$TRASH/other.sqlite" "SELECT count(*) FROM case_results
		WHERE status = '"'"'pass'"'"'")" = 6 &&
	test "$(sqlite3 "$TRASH/other.sqlite" "SELECT count(*) FROM suite_runs r
		JOIN boots b ON b.id = r.boot_id")" = 3
'

test_expect_success 'a job cancelled with scancel is an infrastructure failure, submitted again' '
	("$PWB" run --kernel "$KERNEL" --suite fast-slow --on slurm --json \
		>slow.json 2>slow.err; echo $? >slow.rc) &
	for i in $(seq 240); do
		job=$(squeue -h -t RUNNING -n pwb-suite -o %i | head -n 1)
		test -n "$job" && break
		sleep 0.5
	done &&
	test -n "$job" &&
	sleep 2 &&
	scancel "$job" &&
	wait &&
	test "$(cat slow.rc)" = 0 &&
	grep -q "Slurm job $job did not finish (CANCELLED); submitting it again" slow.err &&
	outcome slow.json >slow.out &&
	grep -q "^passed " slow.out &&
	test "$(sqlite3 "$PWB_DB" "SELECT status || attempts FROM jobs ORDER BY id DESC LIMIT 1")" = ok2 &&
	no_qemu_left
'

test_expect_success 'a kernel failure on the cluster is a result, not run again' '
	"$PWB" run --kernel "$KERNEL" --suite fast-panic --on slurm --json >panic.json;
	test $? = 1 &&
	outcome panic.json >panic.out &&
	grep -q "^kernel-failure " panic.out &&
	test "$(sqlite3 "$PWB_DB" "SELECT status || attempts FROM jobs ORDER BY id DESC LIMIT 1")" = failed1 &&
	b=$(sqlite3 "$PWB_DB" "SELECT bundle FROM jobs ORDER BY id DESC LIMIT 1") &&
	test -f "$b/result.json" && test ! -e "$(dirname "$b")/a2"
'

test_expect_success 'Slurm unreachable: a clear error before anything is submitted' '
	sed "s/^SlurmctldPort=.*/SlurmctldPort=$(pi_free_port)/" "$SLURM_CONF" >dead.conf &&
	n=$(ls "$TRASH/shared/jobs" | wc -l) &&
	digest >before &&
	(export SLURM_CONF="$TRASH/dead.conf" &&
	 test_fails_with "slurm: the cluster does not answer" \
		"$PWB" run --kernel "$KERNEL" --suite fast-ktap --on slurm) &&
	test "$(ls "$TRASH/shared/jobs" | wc -l)" = "$n" &&
	digest >after &&
	test_cmp before after
'

test_expect_success 'bad input: no slurm.workdir, a module suite on a prebuilt kernel, a bad spec' '
	test_fails_with "slurm.workdir is not set" \
		"$PWB" -c slurm.workdir= run --kernel "$KERNEL" --suite fast-ktap --on slurm &&
	(export PWB_DATADIR="$SRCDIR" &&
	 test_fails_with "builds a module against its kernel" \
		"$PWB" run --kernel "$KERNEL" --suite mmn-pairing) &&
	test_fails_with "--on elsewhere: local, slurm or recorded" \
		"$PWB" run --kernel "$KERNEL" --suite fast-ktap --on elsewhere &&
	echo "{\"pwb_job\": 1, \"id\": \"../x\", \"kind\": \"suite\"}" >bad.json &&
	test_fails_with "job spec bad.json: id: 8 to 64 lowercase hex digits" \
		"$PWB" job run bad.json --out out &&
	test_fails_with "not a finished job bundle" "$PWB" job import "$TRASH"
'

# last: it adds jobs and boots the tests above count
test_expect_success 'progress: the submission and the queue said on a terminal, nothing for --json' '
	! grep -q "^slurm: " slurm.err &&
	script -qec "\"$PWB\" run --kernel \"$KERNEL\" --suite fast-ktap --repeat 1 --on slurm" \
		/dev/null >tty.out &&
	{ grep -q "^slurm: 0 build jobs, 1 boot job in $TRASH/shared/jobs/" tty.out &&
	  grep -q "slurm: jobs [0-9,]*: [0-9]* running, [0-9]* pending   " tty.out; } ||
		{ cat tty.out; false; }
'

test_done
