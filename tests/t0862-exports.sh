#!/bin/sh
# pwb report's exports of a check: patchwork's checks API, and KCIDB v5.3
# validated against KCIDB's own schema ($PWB_PEER_DIR/kcidb), through the
# recorded backend (tests/lib-recorded.sh).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-recorded.sh"

test_expect_success "$RECORDED_SETUP" recorded_setup

test_expect_success 'setup: checks to report (a regression, a metric regression, a build failure, a KASAN finding)' '
	test_expect_code 1 "$PWB" check three.mbox --tree t --suite mmn-pairing \
		--on recorded --json >three.json 2>/dev/null &&
	test_expect_code 1 "$PWB" check hammer.mbox --tree t --suite oom-reaper \
		--on recorded --json >hammer.json 2>/dev/null &&
	test_expect_code 2 "$PWB" check nobuild.mbox --tree t --suite mmn-pairing \
		--on recorded --json >nb.json 2>/dev/null &&
	test_expect_code 1 "$PWB" check kasan.mbox --tree t --suite mmn-pairing \
		--on recorded --json >kasan.json 2>/dev/null
'

test_expect_success 'report --format patchwork: per patch, the bodies of patchwork'"'"'s checks API' '
	"$PWB" report "$(python3 -c "import json; print(json.load(open(\"three.json\"))[\"check\"])")" \
		--format patchwork >pw-three.json &&
	"$PWB" report "$(python3 -c "import json; print(json.load(open(\"nb.json\"))[\"check\"])")" \
		--format patchwork >pw-nb.json &&
	python3 - pw-three.json pw-nb.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1]))
	assert [p["patch"] for p in t] == [1, 2, 3], t
	got = [[(c["context"], c["state"]) for c in p["checks"]] for p in t]
	# the checks of each patch: no checkpatch.pl in this tree (a
	# warning, never a success), no Fixes: tag, no sign-off (a failure);
	# kernel-doc: no scripts/kernel-doc either (a warning) where the
	# patch touches a .c file (patches 1 and 3)
	each = [("pwb-checkpatch", "warning"), ("pwb-fixes", "success"), ("pwb-signoff", "fail")]
	kd = [("pwb-kernel-doc", "warning")], [("pwb-kernel-doc", "success")]
	assert got == [[("pwb-build", "success")] + each + kd[0],
	               [("pwb-build", "success")] + each + kd[1],
	               [("pwb-build", "success")] + each + kd[0] + [("pwb-mmn-pairing", "fail")]], got
	last = t[2]["checks"][5]
	assert last["description"].startswith("1 regression, 0 fixed"), last
	assert all(c["target_url"].startswith("https://") for p in t for c in p["checks"])
	assert all(set(c) == {"state", "context", "description", "target_url"} for p in t for c in p["checks"])
	n = json.load(open(sys.argv[2]))
	assert [p["checks"][0]["state"] for p in n] == ["success", "fail"], n
	assert n[1]["checks"][0]["description"].startswith("build failed"), n
	EOF
'

KCIDB_SCHEMA="$PEER_DIR/kcidb/kcidb-v5.3.schema.json"

# kcidb CHECK-JSON OUT: pwb report --format kcidb of the check pwb check
# --json wrote, validated against KCIDB's own schema (jsonschema)
kcidb() {
	"$PWB" report "$(python3 -c "import json; print(json.load(open(\"$1\"))[\"check\"])")" \
		--format kcidb >"$2" &&
	python3 -c "
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))" \
		"$KCIDB_SCHEMA" "$2"
}

if [ -f "$KCIDB_SCHEMA" ] && python3 -c "import jsonschema" 2>/dev/null; then
test_expect_success 'report --format kcidb: a regression, valid KCIDB v5.3, a test per case and run' '
	kcidb three.json k-three.json &&
	python3 - k-three.json "$PWB_DB" <<-\EOF
	import hashlib, json, sqlite3, sys, zlib
	d = json.load(open(sys.argv[1]))
	assert d["version"] == {"major": 5, "minor": 3}
	(co,) = d["checkouts"]
	assert co["id"].startswith("pwb:check") and co["valid"] is True, co
	assert co["tree_name"] == "t" and len(co["git_commit_hash"]) == 40, co
	# KCIDB: sha256 over the newline-terminated sha256 of each patch
	db = sqlite3.connect(sys.argv[2])
	ids = [u["url"].split("/")[-2] for u in co["patchset_files"]]
	assert len(ids) == 3 and all(u["url"].endswith("/raw") for u in co["patchset_files"]), co
	raw = [zlib.decompress(db.execute("SELECT raw_gz FROM messages WHERE msgid = ?",
	                                   (m.replace("%40", "@"),)).fetchone()[0], 47) for m in ids]
	want = hashlib.sha256(b"".join(hashlib.sha256(r).hexdigest().encode() + b"\n" for r in raw)).hexdigest()
	assert co["patchset_hash"] == want, (co["patchset_hash"], want)
	assert [b["status"] for b in d["builds"]] == ["PASS"] * 4, d["builds"]
	assert {(b["architecture"], b["config_name"]) for b in d["builds"]} == {("x86_64", "qemu-x86_64")}
	base, tip = d["builds"][0]["id"], d["builds"][-1]["id"]
	# every run of each side (the checks and bisects since added runs)
	t = [(x["build_id"], x["status"]) for x in d["tests"] if x["path"] == "mmn_pairing.oom_4_fail_middle"]
	assert t[0] == (base, "PASS") and set(t[1:]) == {(tip, "FAIL")} and len(t) >= 4, t
	root = [x["status"] for x in d["tests"] if x["path"] == "mmn_pairing"]
	assert root == [s for _, s in t], root
	assert {x["path"] for x in d["tests"]} == {"mmn_pairing", "mmn_pairing.blockable_1",
	    "mmn_pairing.blockable_2_fail", "mmn_pairing.oom_2_fail_first", "mmn_pairing.oom_4_fail_middle",
	    "patch.checkpatch", "patch.fixes", "patch.signoff", "patch.kernel-doc"}
	# the checks of each patch, tests of that patch'"'"'s build
	pc = sorted((x["misc"]["patch"], x["path"], x["status"], x["build_id"])
	            for x in d["tests"] if x["path"].startswith("patch."))
	assert [p[:3] for p in pc] == [(i, "patch." + k, s) for i in (1, 2, 3) for k, s in
	    (("checkpatch", "SKIP"), ("fixes", "PASS"),
	     ("kernel-doc", "PASS" if i == 2 else "SKIP"), ("signoff", "FAIL"))], pc
	assert [p[3] for p in pc[-4:]] == [tip] * 4, pc
	assert len({x["id"] for x in d["tests"]}) == len(d["tests"])
	assert d["issues"] == [] and d["incidents"] == []
	EOF
'

test_expect_success 'report --format kcidb: a patch that does not build, one that does not apply' '
	kcidb nb.json k-nb.json &&
	python3 - k-nb.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert [b["status"] for b in d["builds"]] == ["PASS", "PASS", "FAIL"], d["builds"]
	assert "error: expected ; before }" in d["builds"][2]["log_excerpt"], d["builds"][2]
	assert d["checkouts"][0]["valid"] is True and d["tests"] == []
	EOF
	(cd t && git checkout -q -b moved base) &&
	commit "mm: long" "sed -i s/int/long/ mm/mmu_notifier.c" &&
	(cd t && git checkout -q -b conflict base) &&
	commit "mm: short" "sed -i s/int/short/ mm/mmu_notifier.c" &&
	series conflict && (cd t && git checkout -q master) &&
	test_expect_code 2 "$PWB" check conflict.mbox --tree t --base moved \
		--suite mmn-pairing --on recorded --json >conflict.json 2>/dev/null &&
	kcidb conflict.json k-conflict.json &&
	python3 - k-conflict.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	c = d["checkouts"][0]
	assert c["valid"] is False, c
	assert c["misc"]["patch_not_applying"] == 1, c["misc"]
	assert c["misc"]["apply_error"].startswith("mm/mmu_notifier.c: hunk 1"), c["misc"]
	assert c["misc"]["base_rule"] == "option" and c["misc"]["base_why"] == "--base moved", c["misc"]
	assert d["builds"] == [] and d["tests"] == [], d
	EOF
'

test_expect_success 'report --format kcidb: a console finding is an issue with an incident per run; metrics are numbers' '
	kcidb kasan.json k-kasan.json &&
	python3 - k-kasan.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	(i,) = d["issues"]
	assert i["report_subject"] == "KASAN: slab-out-of-bounds Write in __mmu_notifier_register", i
	assert i["categories"] == ["runtime.kasan"] and i["culprit"] == {"code": True}, i
	tests = {x["id"]: x for x in d["tests"]}
	(inc,) = d["incidents"]
	assert inc["issue_id"] == i["id"] and inc["present"] is True, inc
	t = tests[inc["test_id"]]
	assert t["path"] == "mmn_pairing" and t["build_id"] == d["builds"][-1]["id"], t
	EOF
	kcidb hammer.json k-hammer.json &&
	python3 - k-hammer.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	r = [x for x in d["tests"] if x["path"] == "oom_reaper.reaped.subs_2"]
	assert [(x["status"], x["number"]) for x in r] == [("DONE", {"value": 1, "unit": "bool"})] * 5 + \
	       [("DONE", {"value": 0, "unit": "bool"})] * 5, r
	EOF
	test_expect_code 1 "$PWB" -c kcidb.origin=Bad-Origin report --format kcidb >/dev/null 2>err &&
	test "$(cat err)" = "pwb: error: kcidb.origin = '"'"'Bad-Origin'"'"': lower-case letters, digits and _ (KCIDB'"'"'s origin)"
'
else
	test_skip "report --format kcidb" "no $KCIDB_SCHEMA or no python3-jsonschema"
fi

test_done
