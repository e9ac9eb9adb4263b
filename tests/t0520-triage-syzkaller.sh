#!/bin/sh
# Console triage against syzkaller's report parser test data
# ($PWB_PEER_DIR/syzkaller-report: header lines, a blank line, the console
# log).  Measures, on every file: does pwb find a kernel failure where
# syzkaller finds a crash (and none where it finds none), of the right
# kind, naming the same function and the same title.  The figures are
# printed as TAP comments; the targets pwb set itself are asserted.  What
# differs on purpose is in docs/conformance-triage.md.
. "$(dirname "$0")/lib.sh"

SYZ="$PEER_DIR/syzkaller-report"
if [ ! -d "$SYZ" ]; then
	test_skip "syzkaller report corpus" "no $SYZ"
	test_done
fi

cat >measure.py <<'PY'
# measure.py PWB CORPUS: runs pwb triage --json on every corpus file and
# writes figures (key value lines) to figures, one line per file to
# details.
import json, os, re, subprocess, sys

pwb, corpus = sys.argv[1], sys.argv[2]

# syzkaller's class (TITLE prefix first, then TYPE) -> pwb's kind.
# Ordered: the first rule that matches decides.
TITLE_KINDS = [
    (r'KASAN: ', 'kasan'),
    (r'KMSAN: ', 'kmsan'),
    (r'KCSAN: ', 'kcsan'),
    (r'KFENCE: ', 'kfence'),
    (r'memory leak in ', 'kmemleak'),
    (r'UBSAN: ', 'ubsan'),
    (r'INFO: rcu detected stall', 'rcu-stall'),
    (r'INFO: task hung', 'hung-task'),
    (r'INFO: task can.t die', 'hung-task'),
    (r'BUG: soft lockup', 'soft-lockup'),
    (r'unexpected kernel reboot', 'unexpected-reboot'),
    # syzkaller types these LOCKDEP, but they come from spinlock
    # debugging and DEBUG_PREEMPT, not from lockdep: pwb calls them bug
    (r'BUG: (spinlock|rwlock) ', 'bug'),
    (r'BUG: using \S+\(\) in preemptible', 'bug'),
    # lockdep's own reports, whatever their banner
    (r'(possible deadlock|inconsistent lock state) in ', 'lockdep'),
    (r'(WARNING|BUG|INFO): (locking bug|bad unlock balance|held lock freed|'
     r'nested lock was not taken|still has locks held|'
     r'lock held when returning to user space|suspicious RCU usage|'
     r'trying to register non-static key|Invalid wait context|'
     r'MAX_STACK_TRACE_ENTRIES too low)', 'lockdep'),
    (r'WARNING', 'warning'),
    (r'kernel panic: ', 'panic'),
    (r'trusty: ', 'panic'),
    # faults the kernel reports with "BUG:" (and arm's "Unable to handle
    # kernel ..."): pwb's kind follows the banner, bug; the "Oops:" line
    # that follows is a finding of its own, kind oops
    (r'(BUG: )?unable to handle kernel', 'bug'),
    (r'BUG: stack guard page was hit', 'bug'),
    # CPU exceptions: the oops family
    (r'(general protection fault|divide error|PANIC: double fault|'
     r'stack segment fault|int3|Unhandled fault|Internal error|'
     r'kernel stack overflow|invalid opcode)', 'oops'),
    (r'(kernel BUG|BUG: |BUG |INFO: |VFS: |attempt to )', 'bug'),
    (r'unregister_netdevice: waiting', 'hung-task'),
]

# Not kernel console reports: syzkaller's own executor and Go runtime.
# They must not crash pwb but are outside detection.
def out_of_scope(h):
    t = h.get('TITLE', '')
    return h.get('TYPE') == 'SYZ_FAILURE' or t.startswith('SYZFAIL') or \
        t.startswith('go runtime error') or t.startswith('lost connection') or \
        t.startswith('no output')

def want_kind(title):
    for rx, kind in TITLE_KINDS:
        if re.match(rx, title):
            return kind
    return None

def func_of(title):
    """The function a title names: what follows the last ' in '."""
    m = re.search(r' in ([A-Za-z0-9_.]+(?: / [A-Za-z0-9_.]+)?)$', title)
    # syzkaller says "in corrupted" when it found no frame
    return m.group(1) if m and m.group(1) != 'corrupted' else None

def clean(fn):
    return re.sub(r'\.(cold|isra|constprop|part|lto_priv|llvm)[.0-9a-z_]*$', '', fn or '')

def header(path):
    h, alts, body = {}, [], b''
    with open(path, 'rb') as f:
        data = f.read()
    # the header ends at the first empty line (the first line if no header)
    if data.startswith(b'\n'):
        head, body = b'', data[1:]
    else:
        head, _, body = data.partition(b'\n\n')
    for line in head.decode('utf-8', 'replace').split('\n'):
        if line.startswith('#') or ':' not in line:
            continue
        k, v = line.split(':', 1)
        v = v.strip()
        if k == 'ALT':
            alts.append(v)
        elif k not in h:
            h[k] = v
    return h, alts, body

files = sorted((f for f in os.listdir(corpus) if f.isdigit()), key=int)
fig = dict(files=len(files), reports=0, clean=0, outofscope=0, detected=0,
           falsepos=0, kind=0, named=0, func=0, title=0, badexit=0)
details = []
os.makedirs('logs', exist_ok=True)
for name in files:
    h, alts, body = header(os.path.join(corpus, name))
    log = os.path.join('logs', name)
    with open(log, 'wb') as f:
        f.write(body)
    try:
        p = subprocess.run(['timeout', '20', pwb, 'triage', '--json', log],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        rc = p.returncode
    except OSError:
        rc = -1
    if rc not in (0, 1):
        fig['badexit'] += 1
        details.append('%s BADEXIT rc=%d' % (name, rc))
        continue
    findings = [f for f in json.loads(p.stdout)['findings'] if f['failure']]
    first = findings[0] if findings else None
    title = h.get('TITLE', '')
    if not title:
        fig['clean'] += 1
        if first:
            fig['falsepos'] += 1
            details.append('%s FALSEPOS %s|%s' % (name, first['kind'], first['title']))
        continue
    if out_of_scope(h):
        fig['outofscope'] += 1
        continue
    fig['reports'] += 1
    kind = want_kind(title)
    fn = clean(h.get('FRAME') or func_of(title))
    fns = {clean(x) for x in [h.get('FRAME'), func_of(title)] + [func_of(a) for a in alts] if x}
    if fn:
        fig['named'] += 1
    if not first:
        details.append('%s MISSED want %s|%s' % (name, kind, title))
        continue
    fig['detected'] += 1
    ok_kind = first['kind'] == kind
    got_fn = clean(func_of(first['title']))
    ok_fn = bool(fn) and got_fn in fns
    ok_title = first['title'] in [title] + alts
    fig['kind'] += ok_kind
    fig['func'] += ok_fn
    fig['title'] += ok_title
    details.append('%s %s%s%s want %s|%s got %s|%s' % (
        name, 'K' if ok_kind else 'k', ('F' if ok_fn else 'f') if fn else '-',
        'T' if ok_title else 't', kind, title, first['kind'], first['title']))

with open('figures', 'w') as f:
    for k, v in fig.items():
        f.write('%s %d\n' % (k, v))
with open('details', 'w') as f:
    f.write('\n'.join(details) + '\n')
PY

pct() { python3 -c "import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); print('%.1f' % (100.0 * a / b if b else 100.0))" "$1" "$2"; }
fig() { sed -n "s/^$1 //p" figures; }

test_expect_success 'pwb triage exits 0 or 1 on every corpus file (no crash, no hang)' '
	python3 measure.py "$PWB" "$SYZ" &&
	test "$(fig badexit)" = 0 || { grep BADEXIT details; return 1; }
'

if [ -f figures ]; then
	echo "# files $(fig files): $(fig reports) crash reports, $(fig clean) without a crash, $(fig outofscope) not kernel output (syzkaller's executor, Go runtime)"
	echo "# detection $(fig detected)/$(fig reports) ($(pct "$(fig detected)" "$(fig reports)")%)"
	echo "# false positives $(fig falsepos)/$(fig clean)"
	echo "# kind right $(fig kind)/$(fig detected) ($(pct "$(fig kind)" "$(fig detected)")% of detected)"
	echo "# same function $(fig func)/$(fig named) ($(pct "$(fig func)" "$(fig named)")% of the reports that name one)"
	echo "# same title $(fig title)/$(fig reports) ($(pct "$(fig title)" "$(fig reports)")%)"
	[ -n "${PWB_TEST_VERBOSE:-}" ] && sed 's/^/# /' details
fi

# at least pct percent: num * 100 >= pct * den
at_least() { [ $(($1 * 100)) -ge $(($3 * $2)) ]; }

test_expect_success 'detection: at least 97% of the crash reports' '
	at_least "$(fig detected)" "$(fig reports)" 97 ||
	{ grep MISSED details; return 1; }
'

test_expect_success 'no false positive on the logs without a crash' '
	test "$(fig falsepos)" = 0 || { grep FALSEPOS details; return 1; }
'

test_expect_success 'kind right for at least 95% of the detected reports' '
	at_least "$(fig kind)" "$(fig detected)" 95 ||
	{ grep "^[0-9]* k" details; return 1; }
'

test_expect_success 'same function for at least 70% of the reports that name one' '
	at_least "$(fig func)" "$(fig named)" 70 ||
	{ grep "^[0-9]* .f" details | head -40; return 1; }
'

test_done
