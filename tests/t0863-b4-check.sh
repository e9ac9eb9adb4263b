#!/bin/sh
# pwb b4-check: b4's external check protocol on the series' mails, the
# checks made through the recorded backend (tests/lib-recorded.sh).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-recorded.sh"

test_expect_success "$RECORDED_SETUP" recorded_setup

test_expect_success 'setup: the series three and nobuild checked' '
	test_expect_code 1 "$PWB" check three.mbox --tree t --suite mmn-pairing \
		--on recorded >/dev/null 2>&1 &&
	test_expect_code 2 "$PWB" check nobuild.mbox --tree t --suite mmn-pairing \
		--on recorded >/dev/null 2>&1
'

test_expect_success 'b4-check: b4'"'"'s external check protocol on the series'"'"' mails' '
	ls three.d/*.patch >three.list && test $(wc -l <three.list) = 4 &&
	# the mails as the mbox has them (series() names the covers apart)
	for f in $(cat three.list); do
		sed "s/<cover\./<cover-three./" "$f" | "$PWB" b4-check >"$f.json" || return 1
	done &&
	"$PWB" b4-check <nobuild.d/0002-mm-two-which-does-not-build.patch >nb2.json &&
	printf "From: a@b\nSubject: x\nMessage-ID: <nobody@example.org>\n\nhi\n" |
		"$PWB" b4-check >unknown.json &&
	printf "From: a@b\nSubject: x\n\nno id\n" | "$PWB" b4-check >noid.json &&
	printf "From: a@b\nSubject: x\nMessage-ID: <\377x@example.org>\n\nhi\n" |
		"$PWB" b4-check >hostile.json &&
	"$PWB" --db "$TRASH/none.sqlite" b4-check <nobuild.d/0002-mm-two-which-does-not-build.patch >nodb.json 2>nodb.err &&
	# a fixture thread pwb has fetched but not checked: every mail says so
	"$PWB" -q fetch "$SRCDIR/patches/mmn-3-series.mbox" >/dev/null &&
	"$PWB" mailsplit --mboxrd "$SRCDIR/patches/mmn-3-series.mbox" fx >/dev/null &&
	for f in fx/*; do
		"$PWB" b4-check <"$f" >"$f.json" &&
		python3 -c "import json, sys; x = json.load(open(sys.argv[1])); assert [e[\"status\"] for e in x] == [\"warn\"], x" "$f.json" ||
		return 1
	done &&
	cp fx/0001.json fixture.json &&
	test ! -e "$TRASH/none.sqlite" &&
	python3 - $(cat three.list) <<-\EOF
	import json, sys
	r = [json.load(open(f + ".json")) for f in sys.argv[1:]]
	def st(x):
	    return [(e["tool"], e["status"]) for e in x]
	assert all(set(e) <= {"tool", "status", "summary", "url", "details"} for x in r for e in x)
	assert st(r[0]) == [("pwb-mmn-pairing", "fail")], r[0]          # the cover letter
	# each patch: its build, then its checks (no checkpatch.pl in this
	# tree: a warning; no Fixes: tag; no sign-off: a failure, said)
	# kernel-doc: no scripts/kernel-doc either where a .c file is touched
	each = [("pwb-checkpatch", "warn"), ("pwb-fixes", "pass"), ("pwb-signoff", "fail")]
	assert st(r[1]) == [("pwb-build", "pass")] + each + [("pwb-kernel-doc", "warn")], r[1]
	assert st(r[2]) == [("pwb-build", "pass")] + each + [("pwb-kernel-doc", "pass")], r[2]
	assert st(r[3]) == [("pwb-build", "pass")] + each + [("pwb-kernel-doc", "warn"),
	                                                   ("pwb-mmn-pairing", "fail")], r[3]
	assert r[1][3]["summary"].startswith("no Signed-off-by: from the author"), r[1][3]
	assert r[1][1]["summary"] == "the base has no scripts/checkpatch.pl", r[1][1]
	assert r[1][4]["summary"] == "the base has no scripts/kernel-doc", r[1][4]
	assert r[2][4]["summary"] == "no .c or .h file touched", r[2][4]
	assert "new-failure    oom_4_fail_middle" in r[3][5]["details"], r[3][5]
	assert r[3][5]["summary"].startswith("1 regression"), r[3][5]
	assert r[3][5]["url"].startswith("https://"), r[3][5]
	nb = json.load(open("nb2.json"))
	assert st(nb) == [("pwb-build", "fail")] + each + [("pwb-kernel-doc", "pass")] and \
	       "expected ;" in nb[0]["details"], nb
	for f, want in (("unknown.json", "pwb does not know <nobody@example.org>"),
	                ("fixture.json", "pwb has not checked series"),
	                ("hostile.json", "pwb does not know <"),
	                ("noid.json", "pwb: the mail has no Message-ID"),
	                ("nodb.json", "pwb: no database to look in")):
	    x = json.load(open(f))
	    assert st(x) == [("pwb", "warn")] and x[0]["summary"].startswith(want), (f, x)
	EOF
'

test_done
