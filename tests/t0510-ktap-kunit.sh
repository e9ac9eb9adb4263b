#!/bin/sh
# Conformance of pwb's KTAP parser with the kernel's own, kunit_tool
# (tools/testing/kunit in Debian's linux-source-6.1, extracted from the
# tarball here): on each of its test logs (test_data/*.log), and on the
# same logs with "<6>", "kernel: ", "[   12.345678] " or a tab before every
# line, pwb's cases and statuses equal kunit_tool's parse of them.  What
# pwb does differently on purpose is in docs/conformance-ktap.md; each
# difference has a log of its own below, checked to be exactly that one.
. "$(dirname "$0")/lib.sh"

TARBALL=${PWB_LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
if [ ! -f "$TARBALL" ]; then
	test_skip "kunit_tool conformance" "no $TARBALL"
	test_done
fi
if ! command -v python3 >/dev/null; then
	test_skip "kunit_tool conformance" "no python3"
	test_done
fi
K="$TRASH/linux-source-6.1/tools/testing/kunit"

test_expect_success 'kunit_tool and its test logs come out of the tarball' '
	tar -xJf "$TARBALL" linux-source-6.1/tools/testing/kunit &&
	test -f "$K/kunit_parser.py" &&
	ls "$K"/test_data/*.log >logs && test $(wc -l <logs) = 22
'

# kunit-cases.py DIR FILE...: kunit_parser's reading of each log, as JSON:
# its overall status, and its leaf tests (the cases; kunit_tool counts
# these) in order, named as pwb names them ("suite.case"; a subtest that
# never came, nameless in kunit_tool, is "case N"), with kunit_tool's
# status and the one pwb gives it (a NO_TESTS suite, which ran nothing,
# is a skip)
cat >kunit-cases.py <<'PY'
import io, json, os, sys
sys.path.insert(0, sys.argv[1])
import kunit_parser, kunit_printer
kunit_printer.Printer.print = lambda self, message: None
PWB = {'SUCCESS': 'pass', 'FAILURE': 'fail', 'SKIPPED': 'skip',
       'TEST_CRASHED': 'crashed', 'NO_TESTS': 'skip'}
def leaves(test, prefix, out):
    for i, sub in enumerate(test.subtests, 1):
        name = sub.name if sub.name else 'case %d' % i
        full = prefix + '.' + name if prefix else name
        if sub.subtests:
            leaves(sub, prefix + '.' + sub.name if prefix and sub.name
                   else prefix or sub.name, out)
        else:
            out.append([full, PWB[sub.status.name], sub.status.name])
res = {}
for path in sys.argv[2:]:
    # as kunit.py parse reads a file
    with open(path, errors='backslashreplace') as f:
        lines = f.read().splitlines()
    r = {'status': None, 'cases': [], 'error': None}
    try:
        test = kunit_parser.parse_run_tests(lines)
        r['status'] = test.status.name
        leaves(test, '', r['cases'])
    except Exception as e:
        r['error'] = '%s: %s' % (type(e).__name__, e)
    res[os.path.basename(path)] = r
json.dump(res, sys.stdout, indent=1)
PY

# pwb-cases.py PWB DIR FILE...: pwb's reading, in the same shape
cat >pwb-cases.py <<'PY'
import json, os, subprocess, sys
res = {}
for path in sys.argv[2:]:
    p = subprocess.run([sys.argv[1], 'ktap', '--json', path],
                       capture_output=True)
    cases = json.loads(p.stdout) if p.returncode in (0, 1) else []
    res[os.path.basename(path)] = {
        'exit': p.returncode,
        'cases': [[c['name'], c['status']] for c in cases]}
json.dump(res, sys.stdout, indent=1)
PY

# compare.py KUNIT PWB LABEL: the figures, one line; each log that
# differs on the lines after.  pwb's exit status stands for kunit_tool's
# overall status: 0 SUCCESS, SKIPPED, NO_TESTS; 1 FAILURE, TEST_CRASHED;
# 2 FAILURE_TO_PARSE_TESTS (no KTAP at all).
cat >compare.py <<'PY'
import json, sys
k, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
EXIT = {'SUCCESS': 0, 'SKIPPED': 0, 'NO_TESTS': 0, 'FAILURE': 1,
        'TEST_CRASHED': 1, 'FAILURE_TO_PARSE_TESTS': 2}
cases = total = statuses = logs = 0
bad = []
for log in sorted(k):
    want = [c[:2] for c in k[log]['cases']]
    got = p[log]['cases']
    cases += sum(1 for c in want if c in got)
    total += len(want)
    logs += 1
    st = k[log]['status'] is not None and EXIT[k[log]['status']] == p[log]['exit']
    statuses += st
    if want != got or not st:
        bad.append('%s: kunit_tool %s %s, pwb exit %d %s' % (
            log, k[log]['status'] or k[log]['error'], want, p[log]['exit'], got))
print('cases %d/%d, overall status %d/%d (%s)' % (
    cases, total, statuses, logs, sys.argv[3]))
for b in bad:
    print(b)
PY

# kunit.py parse --json, the command line's view of the same parse: its
# test_cases are the leaves above (PASS, SKIP, ERROR for crashed, FAIL
# for anything else), so the reading above is kunit_tool's own
test_expect_success 'the leaves read from kunit_parser are kunit.py parse --json'"'"'s' '
	python3 kunit-cases.py "$K" $(cat logs) >kunit-plain.json &&
	for log in $(cat logs); do
		python3 "$K/kunit.py" parse --json "$log" >out 2>&1
		sed -n "/^{\$/,\$p" out >"json-$(basename "$log")" || return 1
	done &&
	python3 - kunit-plain.json <<-'"'"'PY'"'"'
	import json, os, sys
	ours = json.load(open(sys.argv[1]))
	MAP = {"SUCCESS": "PASS", "SKIPPED": "SKIP", "TEST_CRASHED": "ERROR"}
	def cases(g, prefix, out):
	    for c in g["test_cases"]:
	        out.append((prefix + "." + c["name"] if prefix else c["name"], c["status"]))
	    for s in g["sub_groups"]:
	        cases(s, prefix + "." + s["name"] if prefix and s["name"] else prefix or s["name"], out)
	for log, r in ours.items():
	    j = json.load(open("json-" + log))
	    got = []
	    cases(j, "", got)
	    # kunit_json names a missing subtest "", pwb "case N"
	    want = [(n.rsplit("case ", 1)[0] if s == "TEST_CRASHED" else n,
	             MAP.get(s, "FAIL")) for n, p, s in r["cases"]]
	    assert sorted(got) == sorted(want), (log, got, want)
	PY
'

# the same log with PREFIX before every line
prefixed() {
	mkdir -p "$1" &&
	for log in $(cat logs); do
		python3 -c "
import sys
text = open(sys.argv[2], 'rb').read().decode('utf-8', 'surrogateescape')
lines = text.split('\n')
last = lines.pop() if lines[-1] == '' else None
out = '\n'.join(sys.argv[1] + l for l in lines) + ('\n' if last is not None else '')
sys.stdout.buffer.write(out.encode('utf-8', 'surrogateescape'))" "$2" "$log" \
			>"$1/$(basename "$log")" || return 1
	done
}

for v in plain level journal timestamp tab; do
	case $v in
	plain) desc='as they are' ;;
	level) desc='behind <6>' ;;
	journal) desc='behind "kernel: "' ;;
	timestamp) desc='behind "[   12.345678] "' ;;
	tab) desc='behind a tab' ;;
	esac
	test_expect_success "the 22 logs $desc: pwb's cases and statuses are kunit_tool's" "
		case $v in
		plain) mkdir -p plain && cp \$(cat logs) plain/ ;;
		level) prefixed level '<6>' ;;
		journal) prefixed journal 'kernel: ' ;;
		timestamp) prefixed timestamp '[   12.345678] ' ;;
		tab) prefixed tab '	' ;;
		esac &&
		python3 kunit-cases.py \"\$K\" $v/*.log >kunit-$v.json &&
		python3 pwb-cases.py \"\$PWB\" $v/*.log >pwb-$v.json &&
		python3 compare.py kunit-$v.json pwb-$v.json '$desc' >figures-$v &&
		cat figures-$v && test \$(wc -l <figures-$v) = 1 &&
		python3 - kunit-plain.json kunit-$v.json <<-'PY'
		import json, sys
		a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
		assert a == b, 'kunit_tool reads the prefixed logs differently'
		PY
	"
	[ -f "$TRASH/figures-$v" ] && sed -n '1s/^/# /p' "$TRASH/figures-$v"
done

# What pwb does on purpose that kunit_tool does not: one log each, and
# what pwb gives, from kunit_tool's cases (docs/conformance-ktap.md).
mkdir -p differ
python3 - differ <<'PY'
import os, sys
d = sys.argv[1]
def w(name, text):
    open(os.path.join(d, name + '.log'), 'w').write(text)
w('todo', 'KTAP version 1\n1..2\nnot ok 1 later # TODO not yet\nok 2 fine\n')
w('failed-parent', 'KTAP version 1\n1..1\n    KTAP version 1\n'
  '    # Subtest: suite\n    1..1\n    ok 1 case\nnot ok 1 suite\n')
w('second-document', 'KTAP version 1\n1..1\nok 1 a\n'
  '[    2.000000] later\nKTAP version 1\n1..1\nnot ok 1 b\n')
w('unprefixed-line', '[    1.000000] KTAP version 1\n[    1.000000] 1..2\n'
  '[    1.000000] ok 1 a\nok 2 b\n')
w('many-missing', 'KTAP version 1\n1..150\nok 1 a\n')
w('huge-plan', 'KTAP version 1\n1..100001\nok 1 a\n')
deep = ['KTAP version 1', '1..1']
for i in range(1, 41):
    deep += ['  ' * i + '# Subtest: s%d' % i, '  ' * i + '1..1']
deep += ['  ' * 41 + 'ok 1 leaf'] + ['  ' * i + 'ok 1 s%d' % i for i in range(40, 0, -1)]
w('deep', '\n'.join(deep) + '\n')
w('long-name', 'KTAP version 1\n1..1\nok 1 ' + 'a' * 300 + '\n')
w('executor-only', 'kunit executor: filter_glob not found\n')
w('nameless-at-end', 'KTAP version 1\n1..1\n  KTAP version 1\n  1..1\n  ok 1 x\n')
PY

test_expect_success 'each difference kept on purpose is exactly the documented one' '
	python3 kunit-cases.py "$K" differ/*.log >kunit-differ.json &&
	python3 pwb-cases.py "$PWB" differ/*.log >pwb-differ.json &&
	python3 - kunit-differ.json pwb-differ.json <<-'"'"'PY'"'"'
	import json, sys
	k, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
	def want(log):
	    return [c[:2] for c in k[log + ".log"]["cases"]]
	def check(log, cases, exit, status=None):
	    got = p[log + ".log"]
	    assert got["cases"] == cases and got["exit"] == exit, (log, got, cases, exit)
	    if status:
	        assert k[log + ".log"]["status"] == status, (log, k[log + ".log"])
	# 1. "not ok ... # TODO": a known failure (kunit_tool: a failure)
	check("todo", [["later", "todo"], ["fine", "pass"]], 0, "FAILURE")
	assert want("todo") == [["later", "fail"], ["fine", "pass"]]
	# 2. "not ok" for a suite whose cases all passed is a case of its own
	check("failed-parent", want("failed-parent") + [["suite", "fail"]], 1, "SUCCESS")
	# 3. a further KTAP document after the first is read too
	check("second-document", want("second-document") + [["b", "fail"]], 1, "SUCCESS")
	# 4. a line without the prefix is read whole (kunit_tool cuts 15 bytes off)
	assert want("unprefixed-line") == [["a", "pass"], ["case 2", "crashed"]]
	check("unprefixed-line", [["a", "pass"], ["b", "pass"]], 0)
	# 5. past 100 missing subtests, one case says how many more
	w = want("many-missing")
	assert len(w) == 150
	check("many-missing", w[:101] + [["49 more missing cases", "crashed"]], 1)
	# 6. a plan above 100000 is no plan
	assert len(want("huge-plan")) == 100001
	check("huge-plan", [["a", "pass"]], 0)
	# 7. tests deeper than 32 levels (the main test one of them) are not
	#    parents: their names drop out
	w = want("deep")
	assert w == [[".".join("s%d" % i for i in range(1, 41)) + ".leaf", "pass"]], w
	check("deep", [[".".join("s%d" % i for i in range(1, 32)) + ".leaf", "pass"]], 0)
	# 8. names are cut at 256 bytes
	check("long-name", [["a" * 256, "pass"]], 0)
	assert want("long-name") == [["a" * 300, "pass"]]
	# 9. "kunit executor:" lines without any KTAP: no KTAP (kunit_tool: NO_TESTS)
	check("executor-only", [], 2, "NO_TESTS")
	# 10. kunit_tool raises at the end of the log when a nameless subtest
	#     seeks its result line; pwb reads what came
	assert k["nameless-at-end.log"]["error"].startswith("ValueError"), k["nameless-at-end.log"]
	check("nameless-at-end", [["x", "pass"]], 0)
	PY
'

test_done
