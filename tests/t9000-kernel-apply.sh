#!/bin/sh
# Kernel tier: a 3-patch series to mm/ on the reference 6.1 tree
# (Debian's linux-source-6.1 as v6.1-debian), compared with git am -3, and
# the build checkout moved between base and tip.
. "$(dirname "$0")/lib.sh"
kernel_tier

test_expect_success 'setup: reference tree and a series to mm/ made on it' '
	REF=$(ref_tree) && test -n "$REF" &&
	git -C "$REF" rev-parse -q --verify v6.1-debian >/dev/null &&
	git clone -q --shared --no-checkout "$REF" work &&
	git -C work checkout -q -b topic v6.1-debian &&
	cd work &&
	sed -i "0,/^static bool __oom_reap_task_mm/s//\\/* reap what can be reaped; see mn_hlist_invalidate_range_start *\\/\\n&/" mm/oom_kill.c &&
	git commit -qam "mm, oom: say where the notifier pairing lives" &&
	sed -i "0,/^static int mn_hlist_invalidate_range_start/s//\\/* every started subscription gets its end *\\/\\n&/" mm/mmu_notifier.c &&
	git commit -qam "mm/mmu_notifier: document the pairing rule" &&
	sed -i "0,/^static void oom_reap_task(/s//\\/* the reaper gives up after a few attempts *\\/\\n&/" mm/oom_kill.c &&
	git commit -qam "mm, oom: comment on the reaper retries" &&
	test "$(git diff --stat v6.1-debian | tail -1 | cut -d, -f1)" = " 2 files changed" &&
	git format-patch -q --thread --cover-letter --base=v6.1-debian --stdout \
		v6.1-debian..topic >../mm.mbox &&
	git format-patch -q --stdout v6.1-debian..topic >../mm-am.mbox &&
	cd .. &&
	"$PWB" fetch --json mm.mbox >s.json &&
	python3 -c "import json; s = json.load(open(\"s.json\")); assert s[\"total\"] == 3 and s[\"complete\"]"
'

test_expect_success 'pwb apply on v6.1-debian gives the tree git am -3 gives' '
	"$PWB" tree add linux work &&
	"$PWB" apply 1 --tree linux --json >a.json &&
	python3 -c "
import json; a = json.load(open(\"a.json\"))
assert a[\"base_rule\"] == \"base-commit\" and all(p[\"status\"] == \"applied\" for p in a[\"patches\"]), a
open(\"branch\", \"w\").write(a[\"branch\"])" &&
	br=$(cat branch) && case $br in pwb/*-v1) ;; *) false ;; esac &&
	git clone -q --shared --no-checkout "$(ref_tree)" am &&
	(cd am && git checkout -q v6.1-debian &&
	 git -c user.name=t -c user.email=t@t am -q -3 ../mm-am.mbox) &&
	test "$(git -C am rev-parse HEAD^{tree})" = "$(git -C work rev-parse $br^{tree})" &&
	test "$(git -C work rev-parse topic^{tree})" = "$(git -C work rev-parse $br^{tree})"
'

test_expect_success 'the checkout moves from base to tip touching only the 2 files' '
	"$PWB" checkout v6.1-debian --tree linux >p 2>err &&
	co=$(cat p) && test -f "$co/Makefile" && test -f "$co/mm/oom_kill.c" &&
	test "$(cd "$co" && find . -type f | wc -l)" = "$(git -C work ls-tree -r v6.1-debian | grep -vc "^120000\|^160000")" &&
	touch stamp && sleep 1.1 &&
	"$PWB" checkout "$(cat branch)" --tree linux >/dev/null 2>err &&
	grep -q "2 written, 0 removed" err &&
	(cd "$co" && find . -newer "$TRASH/stamp" -type f | sort) >changed &&
	printf "./mm/mmu_notifier.c\n./mm/oom_kill.c\n" >expect &&
	test_cmp expect changed &&
	git -C work show "$(cat branch)":mm/oom_kill.c | cmp - "$co/mm/oom_kill.c"
'

test_done
