#!/bin/sh
# Console triage and the KTAP parser on a corpus written for pwb
# (tests/corpus): one log per class and corner case, compared exactly.
. "$(dirname "$0")/lib.sh"

C="$SRCDIR/tests/corpus"

for log in "$C"/console/*.log; do
	name=$(basename "$log" .log)
	test_expect_success "triage $name" "
		\"\$PWB\" triage --json \"$log\" >j; rc=\$?
		python3 - j <<-'PY' >got || return 1
		import json, sys
		d = json.load(open(sys.argv[1]))
		if not d['findings']:
		    print('clean')
		for f in d['findings']:
		    print('%s|%s' % (f['kind'], f['title']))
		PY
		test_cmp \"$C/console/$name.expect\" got &&
		if grep -qv '^oom\\|^clean' got; then test \$rc = 1; else test \$rc = 0; fi
	"
done

test_expect_success 'triage keeps the log lines of a finding' '
	"$PWB" triage --json "$C/console/oops-null.log" >j;
	python3 -c "
import json; d = json.load(open(\"j\"))
o = [f for f in d[\"findings\"] if f[\"kind\"] == \"oops\"][0]
assert \"__oom_reap_task_mm\" in o[\"lines\"] and o[\"line\"] == 5, o
assert \"[   12\" not in o[\"lines\"]"
'

for t in "$C"/ktap/*.tap; do
	name=$(basename "$t" .tap)
	test_expect_success "ktap $name" "
		\"\$PWB\" ktap --json \"$t\" >j 2>err; rc=\$?
		if [ \"\$(cat \"$C/ktap/$name.expect\")\" = ERROR ]; then
			test \$rc = 2 && grep -q 'no KTAP or TAP output' err
		else
			python3 -c \"
import json
for c in json.load(open('j')): print(c['name'], c['status'])\" >got &&
			test_cmp \"$C/ktap/$name.expect\" got &&
			if grep -q ' fail\$\\| crashed\$' got; then test \$rc = 1; else test \$rc = 0; fi
		fi
	"
done

test_expect_success 'ktap: a hostile console (huge plans, 40 levels deep) stays bounded' '
	python3 -c "
out = [\"KTAP version 1\", \"1..2\", \"ok 1 first\"]
for d in range(1, 41):
    out += [\" \" * 4 * d + \"KTAP version 1\", \" \" * 4 * d + \"1..99999\"]
print(\"\\n\".join(out + [\"ok 2 last\"]))" >hostile.tap &&
	test_expect_code 1 "$PWB" ktap --json hostile.tap >j &&
	python3 -c "
import json; d = json.load(open(\"j\"))
names = [c[\"name\"] for c in d]
assert names[0] == \"first\" and d[0][\"status\"] == \"pass\", d[0]
assert len(d) <= 32 * 101, len(d)
# as in kunit_tool, \"ok 2 last\" is the innermost test'"'"'s first result
assert names[1] == \"last\" and d[1][\"status\"] == \"pass\", d[1]
assert \"99898 more missing cases\" in names, names[-3:]
assert all(c[\"status\"] == \"crashed\" for c in d[2:])"
'

test_expect_success 'ktap keeps diagnostics with their case' '
	"$PWB" ktap --json "$C/ktap/kunit.tap" >j;
	python3 -c "
import json; c = json.load(open(\"j\"))
f = [x for x in c if x[\"name\"] == \"mmn_pairing.failing_first\"][0]
assert \"starts=3 ends=2\" in f[\"diag\"], f
s = [x for x in c if x[\"status\"] == \"skip\"][0]
assert s[\"directive\"] == \"SKIP no munmap today\", s"
'

test_expect_success 'triage --vmlinux: a raw RIP and call trace resolved as decode_stacktrace.sh does' '
	mkdir -p sym && printf "int pwb_probe(int x)\n{\n\tint y = x * 3;\n\treturn y + 1;\n}\nint main(int argc, char **argv)\n{\n\t(void)argv;\n\treturn pwb_probe(argc);\n}\n" >sym/probe.c &&
	(cd sym && gcc -g -O0 -no-pie -o vmlinux probe.c) &&
	a=$(nm sym/vmlinux | sed -n "s/^\([0-9a-f]*\) T pwb_probe\$/\1/p") && test -n "$a" &&
	rip=$(printf "%x" $((0x$a + 7))) &&
	{ printf "[    1.0] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
	  printf "[    1.0] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
	  printf "[    1.0] RIP: 0010:0x%s\n" "$rip"
	  printf "[    1.0] Call Trace:\n[    1.0]  <TASK>\n[    1.0]  ? 0x%s\n[    1.0]  </TASK>\n" "$rip"
	  printf "[    1.0] Kernel panic - not syncing: Fatal exception\n"; } >sym.log &&
	test_expect_code 1 "$PWB" triage --json sym.log >plain.json &&
	grep -q "RIP: 0010:0x$rip\\\\n" plain.json &&
	test_expect_code 1 "$PWB" triage --json --vmlinux sym/vmlinux --srcdir "$TRASH/sym" sym.log >sym.json &&
	python3 - sym.json <<-\EOF &&
	import json, re, sys
	f = json.load(open(sys.argv[1]))["findings"]
	lines = "\n".join(x["lines"] for x in f)
	assert re.search(r"RIP: 0010:pwb_probe\+0x7/0x[0-9a-f]+ probe\.c:[0-9]+", lines), lines
	assert re.search(r"\? pwb_probe\+0x7/0x[0-9a-f]+ probe\.c:[0-9]+", lines), lines
	assert "/tmp/" not in lines, lines
	EOF
	test_fails_with "--vmlinux nope: No such file" "$PWB" triage --vmlinux nope sym.log &&
	test_expect_code 129 "$PWB" triage --srcdir x sym.log 2>/dev/null
'

test_done
