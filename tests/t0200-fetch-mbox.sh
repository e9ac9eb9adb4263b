#!/bin/sh
# pwb fetch from local mbox files and stdin: series assembly, trailers,
# refetch without duplicates, export + git am, and bad input.
. "$(dirname "$0")/lib.sh"

F="$SRCDIR/tests/fixtures/threads"
V2=20190815073000.2000-0-mhocko@example.com

test_expect_success 'fetch an mbox file stores both versions, v2 selected' '
	"$PWB" fetch "$F/mmn-pairing.mbox" >out &&
	grep -q "12 messages (12 new)" out &&
	grep -q "^series 1: v2" out &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM series")" = 2 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM patches")" = 6
'

test_expect_success 'series show --json has the fields and values' '
	"$PWB" series show "<$V2>" --json >s.json &&
	python3 - s.json <<-PY
	import json, sys
	s = json.load(open(sys.argv[1]))
	assert s["version"] == 2 and s["complete"] is True, s
	assert s["cover"] == "$V2"
	assert s["base_commit"] == "febe02bd792fd35b8aed433c90a06b873e3a93ac"
	assert s["subject"] == "mm, notifier: pair invalidate_range_start and _end"
	p = s["patches"]
	assert [x["index"] for x in p] == [1, 2, 3]
	assert p[1]["author_name"] == "J\u00e9r\u00f4me Glisse", p[1]
	assert p[1]["author_email"] == "jglisse@example.org"
	assert p[0]["date"] == "2019-08-15T09:30:01+02:00", p[0]["date"]
	kinds = lambda q: sorted((t["kind"], t["person"]) for t in q["trailers"])
	ack = ("Acked-by", "Andrew Morton <akpm@example.org>")
	assert kinds(p[0]) == [ack], kinds(p[0])
	assert kinds(p[2]) == [ack], kinds(p[2])
	assert kinds(p[1]) == [ack, ("Reviewed-by", "Christian K\u00f6nig <ckoenig@example.com>"),
	                       ("Tested-by", "Christian K\u00f6nig <ckoenig@example.com>")], kinds(p[1])
	for q in p:
	    for k, who in kinds(q):
	        assert "quoted@" not in who and "sig@" not in who, who
	PY
'

test_expect_success 'v1 keeps its own review; the reply with a diff is no patch' '
	"$PWB" series show 20190815071000.1000-0-mhocko@example.com --json >v1.json &&
	python3 -c "
import json; s = json.load(open(\"v1.json\"))
assert s[\"version\"] == 1
t = [x[\"person\"] for x in s[\"patches\"][0][\"trailers\"]]
assert t == [\"Jason Gunthorpe <jgg@example.com>\"], t
assert all(p[\"msgid\"] != \"20190815092000.GB2@example.com\" for p in s[\"patches\"])
"
'

test_expect_success 'patch-ids equal git patch-id --stable' '
	test_expect_code 129 "$PWB" series export 1 --json 2>/dev/null &&
	"$PWB" series export 1 -o v2.mbox &&
	for i in 1 2 3; do
		sqlite3 "$PWB_DB" "SELECT patch_id FROM patches WHERE series_id = 1 AND idx = $i" >ours
		mkdir -p "split$i" && git mailsplit -o"split$i" v2.mbox >/dev/null
		git mailinfo /dev/null "patch$i" <"split$i/000$i" >/dev/null &&
		git patch-id --stable <"patch$i" | cut -d" " -f1 >theirs
		test_cmp theirs ours || return 1
	done
'

apply_export() { # series-arg, expected-tree-name
	rm -rf repo && mkdir repo && cp -R "$SRCDIR/tests/fixtures/base/." repo/ &&
	(cd repo && git init -q && git add -A && git commit -qm base) &&
	"$PWB" series export "$1" -o "$TRASH/exp.mbox" &&
	(cd repo && git am -q "$TRASH/exp.mbox") &&
	want=$(awk -v n="$2" '$1 == n { print $2 }' "$F/trees.txt") &&
	test "$(git -C repo rev-parse HEAD^{tree})" = "$want"
}

test_expect_success 'export + git am gives the original v2 tree, trailers kept' '
	apply_export 1 v2 &&
	git -C repo log -1 --format=%B HEAD~1 >msg &&
	grep -q "^Signed-off-by: Michal Hocko <mhocko@example.com>\$" msg &&
	grep -v "^\$" msg | tail -n 5 | cut -d: -f1 | tr "\n" " " >order &&
	printf "Signed-off-by Signed-off-by Acked-by Reviewed-by Tested-by " >expect &&
	test_cmp expect order &&
	git -C repo log -1 --format="%an <%ae> %ad" --date=iso HEAD~1 >who &&
	grep -q "^J.*r.*me Glisse <jglisse@example.org> 2019-08-15 09:30:02 +0200" who &&
	git -C repo log --format=%B HEAD~2 -1 | grep -q "^From the point of view"
'

test_expect_success 'export + git am of v1 gives the original v1 tree' '
	apply_export 20190815071000.1000-2-mhocko@example.com v1
'

test_expect_success 'fetching again adds nothing and duplicates nothing' '
	before=$(db_digest) &&
	"$PWB" fetch "$F/mmn-pairing.mbox" >out &&
	grep -q "12 messages (0 new)" out &&
	test "$(db_digest)" = "$before" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM trailers")" = 6
'

test_expect_success 'a later fetch adds the new replies and their trailers' '
	db=$TRASH/grow.sqlite &&
	python3 - "$F/mmn-pairing.mbox" early.mbox <<-PY &&
	import sys
	d = open(sys.argv[1], "rb").read().split(b"From mboxrd@z ")
	open(sys.argv[2], "wb").write(b"From mboxrd@z ".join(d[:10]))
	PY
	"$PWB" --db "$db" fetch early.mbox >out &&
	grep -q "9 messages (9 new)" out &&
	test "$(sqlite3 "$db" "SELECT count(*) FROM trailers")" = 1 &&
	"$PWB" --db "$db" fetch "$F/mmn-pairing.mbox" >out &&
	grep -q "12 messages (3 new)" out &&
	test "$(sqlite3 "$db" "SELECT count(*) FROM trailers")" = 6 &&
	test "$(sqlite3 "$db" "SELECT count(*) FROM series")" = 2 &&
	test "$(sqlite3 "$db" "SELECT count(*) FROM patches")" = 6
'

test_expect_success 'thread shows the tree with depth' '
	"$PWB" thread "$V2" >t &&
	test "$(grep -c "^2019-" t)" = 12 &&
	grep -q "^2019-08-15 09:45 +0[0-9]00  Christian K.*       Re: \[PATCH v2 2/3\]" t &&
	test -z "$(awk "length(\$0) > 80" t)" &&
	grep -A1 "^2019-08-15 09:10 +0200  Michal Hocko *\[PATCH 0/3\] mm, notifier: pair$" t |
		grep -q "^ \{45\}invalidate_range_start and _end$"
'

test_expect_success 'one date convention: the sender'"'"'s time with its zone, in list, show and thread' '
	"$PWB" series list >l &&
	grep -q "^ *1  2019-08-15 09:30 +0200  v2" l &&
	"$PWB" series show 1 >s &&
	grep -q "2019-08-15 09:30 +0200, patch-id" s &&
	"$PWB" thread "$V2" >t &&
	grep -q "^2019-08-15 09:30 +0200  " t
'

test_expect_success '--version 1 selects v1 and fetch from stdin works' '
	"$PWB" --db "$TRASH/other.sqlite" fetch --version 1 --json - <"$F/mmn-pairing.mbox" >j &&
	python3 -c "import json; assert json.load(open(\"j\"))[\"version\"] == 1"
'

test_expect_success 'a missing patch is an error naming it; nothing stored' '
	before=$(db_digest) &&
	test_fails_with "missing patch 2/3" "$PWB" fetch "$F/missing-patch.mbox" &&
	test "$(db_digest)" = "$before"
'

test_expect_success '--allow-incomplete stores it, marked incomplete' '
	"$PWB" fetch --allow-incomplete --json "$F/missing-patch.mbox" >j &&
	python3 -c "
import json; s = json.load(open(\"j\"))
assert s[\"complete\"] is False and [p[\"index\"] for p in s[\"patches\"]] == [1, 3]
assert s[\"prefixes\"] == \"RFC\", s[\"prefixes\"]"
'

test_expect_success 'a thread with no patch is an error; nothing stored' '
	before=$(db_digest) &&
	test_fails_with "no patches in the thread" "$PWB" fetch "$F/no-patch.mbox" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'duplicate Message-IDs with different content are refused' '
	before=$(db_digest) &&
	sed "s/20190815091500.bbbb@example.com/20190815090000.aaaa@example.org/" \
		"$F/mmn-pairing.mbox" >dup.mbox &&
	test_fails_with "duplicate Message-ID <20190815090000.aaaa@example.org>" \
		"$PWB" fetch dup.mbox &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'invalid UTF-8 in a message (not the diff) is refused' '
	before=$(db_digest) &&
	python3 -c "
d = open(\"$F/mmn-pairing.mbox\", \"rb\").read()
d = d.replace(b\"document the pairing rule\n\", b\"document the pairing \xff\xfe rule\n\", 1)
open(\"badutf.mbox\", \"wb\").write(d)" &&
	test_fails_with "not valid in its declared charset (in the message" "$PWB" fetch badutf.mbox &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a truncated gzip file is refused' '
	gzip -c "$F/mmn-pairing.mbox" | head -c 2000 >trunc.mbox.gz &&
	test_fails_with "truncated gzip" "$PWB" fetch trunc.mbox.gz
'

test_expect_success 'git format-patch output without Message-IDs gets derived ids' '
	rm -rf fp && mkdir fp && cp -R "$SRCDIR/tests/fixtures/base/." fp/ &&
	(cd fp && git init -q && git add -A && git commit -qm base &&
	 echo change >>README && git commit -qam "README: add a line" &&
	 git format-patch -1 --stdout >../fp.mbox) &&
	"$PWB" --db fp.sqlite fetch fp.mbox 2>err >out &&
	grep -q "has no Message-ID; using <pwb-" err &&
	"$PWB" --db fp.sqlite fetch fp.mbox 2>err2 >out2 &&
	grep -q "(0 new)" out2
'

test_expect_success 'unknown source and bad usage fail clearly' '
	test_fails_with "not a message-id, a lore URL or a readable mbox file" \
		"$PWB" fetch no-such-thing &&
	test_fails_with "fetch takes one SOURCE" "$PWB" fetch &&
	test_fails_with "no series known for <nobody@example.com>" \
		"$PWB" series show nobody@example.com
'

# export as mboxrd, the diffstat as git writes it, and blank
# context lines cut from the end of a mail given back
mk_repo() { # dir
	rm -rf "$1" && mkdir "$1" && (cd "$1" && git init -q &&
	 git config user.name "E X" && git config user.email e@example.com &&
	 printf "a\nb\nc\n\n\n" >f && git add f && git commit -qm base)
}

test_expect_success 'export: no body line passes for "From "; git am (mbox and mboxrd) round-trips' '
	mk_repo rd &&
	(cd rd && printf "a\nB\nc\n\n\n" >f &&
	 printf "f: B\n\nFrom the top:\n>From quoted\nx=1 \n" >msg &&
	 git commit -qaF msg && git format-patch -1 --stdout >../rd.mbox &&
	 git log -1 --format=%B >../rd.want && git reset -q --hard HEAD~1) &&
	"$PWB" --db rd.sqlite fetch --mbox rd.mbox >/dev/null &&
	"$PWB" --db rd.sqlite series export 1 -o rd.exp &&
	test "$(grep -c "^>*From " rd.exp)" = 1 &&
	grep -q "^Content-Transfer-Encoding: quoted-printable" rd.exp &&
	(cd rd && git am -q ../rd.exp && git log -1 --format=%B >../rd.got &&
	 git reset -q --hard HEAD~1 && git am -q --patch-format=mboxrd ../rd.exp &&
	 git log -1 --format=%B >../rd.got2) &&
	test_cmp rd.want rd.got && test_cmp rd.want rd.got2 &&
	"$PWB" --db rd2.sqlite fetch rd.exp >/dev/null &&
	"$PWB" --db rd2.sqlite series export 1 -o rd2.exp && test_cmp rd.exp rd2.exp
'

test_expect_success 'export keeps the leading space of the first diffstat line' '
	sed -n "/^---\$/{n;p;}" rd.exp >stat1 &&
	grep -q "^ f | 2 +-\$" stat1
'

test_expect_success 'blank context lines that lost their space at the end of a mail are kept' '
	mk_repo bl &&
	(cd bl && printf "a\nB\nc\n\n\n" >f && git commit -qam "f: B" &&
	 git format-patch -1 --stdout | sed "s/^ \$//" |
	 sed -e "/^-- \$/,\$d" >../bl.mbox && git reset -q --hard HEAD~1) &&
	"$PWB" --db bl.sqlite fetch bl.mbox >/dev/null &&
	"$PWB" --db bl.sqlite series export 1 -o bl.exp &&
	sed -n "/^@@/,/^-- \$/p" bl.exp >hunk &&
	test "$(wc -l <hunk)" = 8 &&
	(cd bl && git am -q ../bl.exp && test "$(git diff HEAD~1 --stat | wc -l)" = 2)
'

test_expect_success 'bytes not valid in the declared charset: the diff is kept as sent (as git am)' '
	B5="$F/big5-staging.mbox" &&
	rm -rf b5 && mkdir -p b5/drivers/staging/foo &&
	printf "/* \244\244\244\345 */\nint foo(void)\n{\n\treturn 0;\n}\n" >b5/drivers/staging/foo/foo.c &&
	(cd b5 && git init -q && git add -A &&
		git -c user.name=t -c user.email=t@t commit -qm base) &&
	rm -rf b5am && git clone -q b5 b5am &&
	(cd b5am && git -c user.name=t -c user.email=t@t am -q "$B5") &&
	"$PWB" --db b5.sqlite fetch "$B5" >out &&
	grep -q "patches:  2/2" out &&
	test "$(sqlite3 b5.sqlite "SELECT instr(hex(diff), \"2F2A20A4A4A4E5202A2F\") > 0 AND instr(hex(diff), \"A4E5FF\") = 0 FROM patches WHERE idx = 1")" = 1 &&
	test "$(sqlite3 b5.sqlite "SELECT instr(hex(diff), \"2F2A20A4E5FF202A2F\") > 0 FROM patches WHERE idx = 2")" = 1 &&
	"$PWB" --db b5.sqlite apply 1 --tree b5 --base HEAD >out &&
	br=$(sqlite3 b5.sqlite "SELECT branch FROM applies") &&
	test "$(git -C b5 rev-parse $br^{tree})" = "$(git -C b5am rev-parse HEAD^{tree})" &&
	git -C b5 log --format=%B -1 $br | grep -q "message (中文) is Big5" &&
	"$PWB" --db b5.sqlite series export 1 -o b5.exp &&
	rm -rf b5exp && git clone -q b5 b5exp &&
	(cd b5exp && git -c user.name=t -c user.email=t@t am -q ../b5.exp) &&
	test "$(git -C b5exp rev-parse HEAD^{tree})" = "$(git -C b5am rev-parse HEAD^{tree})"
'

test_expect_success 'pwb mailinfo matches git mailinfo on those mails' '
	rm -rf b5split && mkdir b5split &&
	git mailsplit -ob5split "$F/big5-staging.mbox" >/dev/null &&
	for m in b5split/0001 b5split/0002; do
		git mailinfo $m.gmsg $m.gpatch <$m >$m.ginfo &&
		"$PWB" mailinfo $m.pmsg $m.ppatch <$m >$m.pinfo &&
		test_cmp $m.ginfo $m.pinfo &&
		test_cmp $m.gmsg $m.pmsg &&
		test_cmp $m.gpatch $m.ppatch || return 1
	done
'

test_done
