#!/bin/sh
# Conformance with public-inbox's test mails (t/ of public-inbox, read
# from $PWB_PEER_DIR/public-inbox-samples).  For every sample
# that carries a patch: a repository holding the files the patch needs
# (made from the patch itself: the lines its hunks show at their line
# numbers, filler lines between; created files need nothing), then
# `git am` on one copy and pwb fetch + pwb apply on another, and the trees
# compared (or both refusing).  The stored patch-id is compared with
# `git patch-id --stable` on git mailinfo's patch.  Figures as TAP
# comments; differences on purpose in docs/conformance-mail.md.
. "$(dirname "$0")/lib.sh"

PI="$PEER_DIR/public-inbox-samples"
if [ ! -d "$PI" ]; then
	test_skip "public-inbox samples" "no $PI"
	test_done
fi

cat >picmp.py <<'PY'
"""For each public-inbox sample carrying a patch: a base tree made from
the patch itself, then git am and pwb (fetch + apply) on copies of it;
prints one line per sample: name, git's outcome, pwb's outcome, verdict."""
import json, os, re, shutil, subprocess, sys

pwb, samples, work = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def run(args, cwd=None, **kw):
    return subprocess.run(args, cwd=cwd, capture_output=True, **kw)


def unquote(p):
    """git's C-style quoted path ("a/\\303\\251") to bytes"""
    if not p.startswith(b'"'):
        return p
    out, i, esc = bytearray(), 1, {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10,
                                    ord("v"): 11, ord("f"): 12, ord("r"): 13}
    while i < len(p) and p[i] != ord('"'):
        c = p[i]
        if c == ord("\\"):
            i += 1
            c = p[i]
            if c in esc:
                out.append(esc[c])
            elif 48 <= c <= 51:
                out.append(int(p[i:i + 3], 8))
                i += 2
            else:
                out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out)


def strip_ab(p):
    p = unquote(p.split(b"\t")[0])
    return p[2:] if p[:2] in (b"a/", b"b/") else p


def preimage(patch):
    """{path: bytes} the patch applies to exactly, or (None, reason)"""
    files, cur, lines, i = {}, None, patch.split(b"\n"), 0
    while i < len(lines):
        l = lines[i]
        if l.startswith(b"diff --git "):
            cur = {"new": False, "old": None, "hunks": [], "binary": False}
            files.setdefault(id(cur), cur)
        elif cur is not None and l.startswith(b"new file mode"):
            cur["new"] = True
        elif cur is not None and l.startswith(b"GIT binary patch"):
            cur["binary"] = True
        elif cur is not None and l.startswith(b"rename from "):
            cur["old"] = unquote(l[12:])
        elif l.startswith(b"--- "):
            if cur is None:
                cur = {"new": False, "old": None, "hunks": [], "binary": False}
                files.setdefault(id(cur), cur)
            if l[4:].startswith(b"/dev/null"):
                cur["new"] = True
            elif cur["old"] is None:
                cur["old"] = strip_ab(l[4:])
        elif cur is not None and HUNK.match(l):
            m = HUNK.match(l)
            start, count = int(m.group(1)), int(m.group(2) or b"1")
            old, j, left = [], i + 1, count
            while j < len(lines) and left > 0:
                t = lines[j]
                if t[:1] in (b" ", b"-") or t == b"":
                    old.append([t[1:] + b"\n", True])
                    left -= 1
                elif not t.startswith(b"+") and not t.startswith(b"\\"):
                    break
                j += 1
                if j < len(lines) and lines[j].startswith(b"\\ ") and lines[j - 1][:1] != b"+" and old:
                    old[-1][0] = old[-1][0][:-1]
            cur["hunks"].append((start, old))
            i = j - 1
        i += 1
    out = {}
    for f in files.values():
        if f["new"]:
            continue
        if f["binary"]:
            return None, "a binary change to an existing file: its preimage is not in the mail"
        if f["old"] is None or not f["hunks"]:
            continue  # nothing to apply: the base tree goes without it
        text, n = [], 0
        for start, old in f["hunks"]:
            while n < start - 1:
                n += 1
                text.append(b"filler line %d\n" % n)
            for t, _ in old:
                n += 1
                text.append(t)
        out[f["old"]] = b"".join(text)
    return out, None


def mail_patch(mbox, d):
    os.makedirs(d)
    run(["git", "mailsplit", "-o" + d, mbox], check=True)
    with open(os.path.join(d, "0001"), "rb") as m:
        run(["git", "mailinfo", d + "/msg", d + "/patch"], stdin=m, check=True)
    return open(d + "/patch", "rb").read()


def git_am(base, mbox):
    am = base + ".am"
    shutil.rmtree(am, ignore_errors=True)
    shutil.copytree(base + ".base", am, symlinks=True)
    if run(["git", "am", "-q", mbox], cwd=am).returncode:
        return "fails"
    return run(["git", "rev-parse", "HEAD^{tree}"], cwd=am).stdout.decode().strip()


def make_repo(d, files):
    run(["git", "init", "-q", d], check=True)
    for p, data in files.items():
        full = os.path.join(d.encode(), p)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        open(full, "wb").write(data)
    run(["git", "add", "-A"], cwd=d, check=True)
    run(["git", "commit", "-q", "--allow-empty", "-m", "base"], cwd=d, check=True)


for name in sorted(os.listdir(samples)):
    if not name.endswith(".mbox"):
        continue
    mbox = os.path.join(samples, name)
    base = os.path.join(work, name[:-5])
    patch = mail_patch(mbox, base + ".mi")
    if not re.search(rb"^(diff |--- |\+\+\+ )", patch, re.M):
        print("%s nopatch - - skip git finds no patch in it" % name)
        continue
    files, why = preimage(patch)
    if files is None:
        print("%s - - skip %s" % (name, why))
        continue
    make_repo(base + ".base", files)
    shutil.copytree(base + ".base", base + ".pwb", symlinks=True)
    git, note = git_am(base, mbox), ""
    if git == "fails":
        # git mailinfo drops the newline of the mail's last line: a patch
        # that ends the file without a blank line after it (a GIT binary
        # patch) is corrupt to git apply.  Once more with one appended.
        nl = base + ".nl.mbox"
        open(nl, "wb").write(open(mbox, "rb").read() + b"\n")
        git = git_am(base, nl)
        if git != "fails":
            note = " (git am: only with a blank line appended to the file)"
    f = run([pwb, "fetch", "--json", mbox])
    if f.returncode:
        got = "nofetch"
    else:
        sid = json.loads(f.stdout)["id"]
        run([pwb, "tree", "add", "t-" + name[:-5], base + ".pwb"])
        a = run([pwb, "apply", str(sid), "--tree", "t-" + name[:-5], "--base", "HEAD", "--json"])
        got = "fails"
        if a.returncode == 0:
            br = json.loads(a.stdout)["branch"]
            got = run(["git", "rev-parse", br + "^{tree}"], cwd=base + ".pwb").stdout.decode().strip()
        open(base + ".pwb-err", "wb").write(a.stderr)
    if got == "nofetch" and git == "fails":
        got = "fails"  # both leave the tree as it was
    verdict = "agree" if git == got else "differ"
    print("%s %s %s %s%s" % (name, git[:12], got[:12], verdict, note))
PY

test_expect_success 'every public-inbox sample through git am and pwb apply' '
	mkdir w && python3 picmp.py "$PWB" "$PI" w >res
'
test_expect_success 'the stored patch-ids next to git patch-id --stable' '
	: >pid &&
	for mi in w/*.mi; do
		name=$(basename "$mi" .mi) &&
		want=$(git patch-id --stable <"$mi/patch" | head -n 1 | cut -d" " -f1) &&
		msgid=$(sed -n "s/^Message-I[dD]: *<\(.*\)>.*/\1/p" "$PI/$name.mbox" | head -n 1) &&
		got=$(sqlite3 "$PWB_DB" "SELECT patch_id FROM patches WHERE msgid = '"'"'$msgid'"'"'") &&
		if [ -z "$want$got" ]; then continue; fi &&
		if [ "$got" = "$want" ]; then r=same; else r=differ; fi &&
		echo "$name pwb=${got:-none} git=${want:-none} $r" >>pid || return 1
	done
'
sed "s/^/# /" res
total=$(grep -vc " skip " res)
agree=$(grep -c " agree" res)
echo "# apply: $agree/$total samples as git am (same tree, or both refuse), $(grep -c " skip " res) skipped"
sed "s/^/# /" pid
echo "# patch-id: $(grep -c " same\$" pid)/$(grep -vc " pwb=none " pid) samples pwb stores as git patch-id --stable; $(grep -c " pwb=none " pid) not taken as a patch by pwb"

test_expect_success 'apply: 6/6 samples as git am, the binary patch to the same tree' '
	test "$total" = 6 && test "$agree" = 6 &&
	grep -q "^data-binary.mbox \([0-9a-f]\{12\}\) \1 agree" res
'
test_expect_success 'patch-id: 4/4 stored patches as git patch-id --stable' '
	test "$(grep -vc " pwb=none " pid)" = 4 && test "$(grep -c " same\$" pid)" = 4
'
# the attached mbox (an application/octet-stream part holding two copies
# of one patch): pwb takes no patch from it, git am fails on it; the mail
# decoding is not this script's subject (docs/conformance-mail.md)
test_expect_success 'the one sample pwb takes no patch from: the attached mbox' '
	grep " pwb=none " pid | cut -d" " -f1 >none &&
	echo data-attached-mbox-with-utf8 >expect && test_cmp expect none &&
	grep -q "^data-attached-mbox-with-utf8.mbox fails fails agree\$" res
'

test_done
