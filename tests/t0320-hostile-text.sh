#!/bin/sh
# Hostile text from the list and the console: escape sequences in a
# Subject, a From name and a trailer (RFC 2047 encoded and raw), in a
# console log and a KTAP case name; a 100 KB Subject.  Every printer shows
# control characters made visible (text) or escaped (JSON), the database
# keeps the bytes as received, and the caps at intake refuse with one line.
. "$(dirname "$0")/lib.sh"

# no C0 control but newline, no DEL, no C1 (bare or UTF-8), no bidi override
cat >noctl.py <<'EOF'
import sys
bad = []
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for i, b in enumerate(data):
        if (b < 0x20 and b != 0x0a) or b == 0x7f:
            bad.append((path, i, hex(b)))
    text = data.decode("utf-8", "replace")
    for i, ch in enumerate(text):
        o = ord(ch)
        if 0x80 <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
            bad.append((path, i, hex(o)))
if bad:
    print("control characters printed raw:", bad[:10])
    sys.exit(1)
EOF
noctl() { python3 "$TRASH/noctl.py" "$@"; }

test_expect_success 'setup: a thread whose subject, sender and reply carry escapes' '
	python3 - <<-\EOF
	esc = "=1B"
	subj = ("=?utf-8?q?=5BPATCH=5D_mm:_fix" + esc + "=5B2J" + esc +
	        "=5D52;c;ZXZpbA=3D=3D=07_title=C2=9B31m_=E2=80=AEtxet?=")
	patch = (
	    "From: =?utf-8?q?Eve" + esc + "=5D0;pwned=07_Evil?= <eve@example.org>\n"
	    "Subject: " + subj + "\n"
	    "Date: Thu, 15 Aug 2019 09:30:00 -0700\n"
	    "Message-ID: <evil-1@example.org>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "\n"
	    "Fix it.\n\n"
	    "Signed-off-by: Eve <eve@example.org>\n"
	    "---\n"
	    " nothere.c | 1 +\n"
	    " 1 file changed, 1 insertion(+)\n\n"
	    "diff --git a/nothere.c b/nothere.c\n"
	    "index 1111111..2222222 100644\n"
	    "--- a/nothere.c\n"
	    "+++ b/nothere.c\n"
	    "@@ -1 +1,2 @@\n"
	    " int x;\n"
	    "+int y;\n"
	    "-- \n2.40.0\n")
	reply = (
	    "From: Mallory <mallory@example.org>\n"
	    "Subject: Re: [PATCH] mm: fix\n"
	    "Date: Thu, 15 Aug 2019 10:00:00 +0200\n"
	    "Message-ID: <evil-2@example.org>\n"
	    "In-Reply-To: <evil-1@example.org>\n"
	    "References: <evil-1@example.org>\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "\n"
	    "Reviewed-by: Mallory \x1b[31mRed\x7f <mallory@example.org>\n")
	with open("evil.mbox", "w") as f:
	    for m in (patch, reply):
	        f.write("From mboxrd@z Thu Jan  1 00:00:00 1970\n" + m + "\n")
	with open("big.mbox", "w") as f:
	    f.write("From mboxrd@z Thu Jan  1 00:00:00 1970\n"
	            "From: A <a@example.org>\nSubject: [PATCH] " + "x" * 102400 + "\n"
	            "Message-ID: <big@example.org>\n\nbody\n")
	EOF
	git init -q t && (cd t && echo hello >README &&
		git add README && git -c user.name=t -c user.email=t@t commit -qm one) &&
	"$PWB" tree add t t
'

test_expect_success 'fetch, series list/show and thread print no control character raw' '
	"$PWB" fetch evil.mbox >fetch.out 2>fetch.err &&
	"$PWB" series list >list.out &&
	"$PWB" series show 1 >show.out &&
	"$PWB" thread evil-1@example.org >thread.out &&
	noctl fetch.out fetch.err list.out show.out thread.out &&
	tr "\n" " " <list.out | tr -s " " |
		grep -q "fix\\\\x1b\[2J\\\\x1b\]52;c;ZXZpbA==\\\\x07 title\\\\u009b31m \\\\u202etxet" &&
	grep -q "Eve\\\\x1b\]0;pwned\\\\x07 Evil" show.out &&
	grep -q "Reviewed-by: Mallory \\\\x1b\[31mRed\\\\x7f" show.out &&
	grep -q "fix\\\\x1b" thread.out
'

test_expect_success 'the database keeps the bytes as received' '
	test "$(sqlite3 "$PWB_DB" "SELECT instr(subject, char(27)) > 0 FROM series")" = 1 &&
	test "$(sqlite3 "$PWB_DB" "SELECT instr(person, char(27)) > 0 FROM trailers")" = 1
'

test_expect_success 'JSON escapes them and decodes to the stored text' '
	"$PWB" series show 1 --json >show.json &&
	"$PWB" series list --json >list.json &&
	"$PWB" thread evil-1@example.org --json >thread.json &&
	noctl show.json list.json thread.json &&
	grep -qi "\\\\u001b\[2J" show.json &&
	grep -q "\\\\u009b31m" show.json &&
	python3 -c "
import json; s = json.load(open(\"show.json\"))
assert \"\\x1b]52;c;\" in s[\"subject\"] and \"\\u202e\" in s[\"subject\"], s[\"subject\"]
assert \"\\x7f\" in s[\"patches\"][0][\"trailers\"][0][\"person\"], s"
'

test_expect_success 'check, report (text, JSON, email) print no control character raw' '
	"$PWB" check 1 --tree t --base HEAD --suite mmn-pairing >check.out 2>check.err;
	test $? = 2 &&
	"$PWB" report 1 >report.out &&
	"$PWB" report 1 --format json >report.json &&
	"$PWB" report 1 --format email >mail.out &&
	noctl check.out check.err report.out report.json mail.out &&
	grep -q "^check 1: mm: fix\\\\x1b\[2J" report.out &&
	grep -q "^Subject: Re: \[PATCH\] mm: fix\\\\x1b" mail.out &&
	grep -q "^Hi Eve\\\\x1b" mail.out
'

test_expect_success 'a console log and KTAP case names: shown visible' '
	printf "[    1.0] BUG: kernel NULL pointer dereference\\033]52;c;ZXZpbA==\\007, address: 0\\n" >console.log &&
	printf "\\377\\376 not UTF-8\\n" >>console.log &&
	"$PWB" triage console.log >tri.out; test $? = 1 &&
	"$PWB" triage --json console.log >tri.json; test $? = 1 &&
	noctl tri.out tri.json &&
	grep -q "\\\\x1b\]N;c;ZXZpbA==\\\\x07" tri.out &&
	python3 -c "
import json; t = json.load(open(\"tri.json\"))
assert \"\\x1b]52\" in t[\"findings\"][0][\"lines\"], t" &&
	printf "KTAP version 1\\n1..1\\nnot ok 1 evil\\033[2Jname\\n" >k.tap &&
	"$PWB" ktap k.tap >ktap.out; test $? = 1 &&
	"$PWB" ktap --json k.tap >ktap.json; test $? = 1 &&
	noctl ktap.out ktap.json &&
	grep -q "evil\\\\x1b\[2Jname" ktap.out
'

test_expect_success 'error lines show the escapes too' '
	"$PWB" series show "$(printf "<no\\033]0;x\\007such@x>")" 2>err.out; test $? != 0 &&
	noctl err.out &&
	test "$(wc -l <err.out)" = 1
'

test_expect_success 'a 100 KB Subject is refused at intake with one line; nothing stored' '
	n=$(sqlite3 "$PWB_DB" "SELECT count(*) FROM messages") &&
	test_fails_with "Subject is 10[0-9]* bytes (at most 2048)" "$PWB" fetch big.mbox &&
	test "$(wc -c <"$TRASH/.err")" -lt 300 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM messages")" = "$n"
'

test_done
