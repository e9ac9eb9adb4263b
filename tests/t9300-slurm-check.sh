#!/bin/sh
# Kernel tier through Slurm (issue 8): pwb check --on slurm on the 6.1 tree,
# with a one-node cluster on 127.0.0.1 started and stopped here.  The
# series' builds stay local (bisectability); the suite's build and boots
# of base and tip are Slurm jobs whose bundles are imported, and the
# verdict is computed here exactly as for a local check (t9200 asserts
# the same cases locally).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/ci/lib-pi.sh"
kernel_tier
if ! command -v sbatch >/dev/null || [ ! -x /usr/sbin/slurmctld ]; then
	test_skip "slurm" "no Slurm (make deps installs slurm-wlm)"
	test_done
fi
git config -f "$XDG_CONFIG_HOME/pwb/config" slurm.workdir "$TRASH/shared"
# this machine is a node too: its own builds in the cluster's cache, so
# the jobs find the build directory where the local builds left it
git config -f "$XDG_CONFIG_HOME/pwb/config" core.workdir "$TRASH/shared/cache"

test_expect_success 'setup: the 6.1 tree and a one-node cluster' '
	git clone -q --shared --no-checkout "$(ref_tree)" linux &&
	"$PWB" tree add linux linux >/dev/null &&
	port=$(pi_free_port) &&
	test_at_exit "sh \"$SRCDIR/ci/slurm-cluster.sh\" stop \"$TRASH/slurm\"" &&
	sh "$SRCDIR/ci/slurm-cluster.sh" start "$TRASH/slurm" "$port" >env &&
	. ./env
'

test_expect_success 'check --on slurm: mmn-undo-removal regresses the 8 reaper cases' '
	"$PWB" check "$SRCDIR/patches/mmn-undo-removal.mbox" --tree linux \
		--suite mmn-pairing --on slurm --json >c.json 2>c.err;
	rc=$?;
	test $rc = 1 || { echo "exit $rc"; tail -n 5 c.err; false; } &&
	python3 -c "
import json; r = json.load(open(\"c.json\"))
assert r[\"verdict\"] == \"regression\", r[\"verdict\"]
s = r[\"suites\"][0]
assert s[\"runs\"] == {\"base\": 1, \"candidate\": 1}, s[\"runs\"]
new = sorted(c[\"name\"] for c in s[\"cases\"] if c[\"verdict\"] == \"new-failure\")
assert new == sorted([\"oom_%d_fail_%s\" % (n, w) for n in (2, 3, 4)
                      for w in (\"first\", \"middle\", \"last\") if (n, w) != (2, \"middle\")]), new" &&
	test "$(sqlite3 "$PWB_DB" "SELECT group_concat(kind || backend || status, \" \")
		FROM (SELECT * FROM jobs ORDER BY id)")" = \
		"buildslurmok suiteslurmok buildslurmok suiteslurmfailed" &&
	! pgrep -f "qemu-system-x86_64.*$TRASH" >/dev/null
'

test_expect_success 'the same check again: every run reused, nothing submitted' '
	n=$(ls "$TRASH/shared/jobs" | wc -l) &&
	"$PWB" check "$SRCDIR/patches/mmn-undo-removal.mbox" --tree linux \
		--suite mmn-pairing --on slurm --json >c2.json;
	test $? = 1 &&
	test "$(ls "$TRASH/shared/jobs" | wc -l)" = "$n" &&
	grep -q "\"verdict\": \"regression\"" c2.json
'

test_done
