#!/bin/sh
# pwb tree / apply / checkout on small repositories made here.
. "$(dirname "$0")/lib.sh"

F="$SRCDIR/tests/fixtures/threads"
# series 1's own branch: its message-id and version, as in every database
BR=pwb/20190815073000.2000-0-mhocko_example.com-v2

# The fixture base commit, made again with the identity and date
# tests/fixtures/make-threads.py used: same id, so base-commit resolves.
make_fixture_repo() {
	rm -rf "$1" && mkdir "$1" && cp -R "$SRCDIR/tests/fixtures/base/." "$1/" &&
	(cd "$1" && git init -q -b base && git add -A &&
	 GIT_AUTHOR_NAME="Michal Hocko" GIT_AUTHOR_EMAIL=mhocko@example.com \
	 GIT_COMMITTER_NAME="Michal Hocko" GIT_COMMITTER_EMAIL=mhocko@example.com \
	 GIT_AUTHOR_DATE="2019-08-14 10:00:00 +0200" \
	 GIT_COMMITTER_DATE="2019-08-14 10:00:00 +0200" git commit -qm base)
}

test_expect_success 'setup: fixture thread and tree' '
	"$PWB" -q fetch "$F/mmn-pairing.mbox" >/dev/null &&
	make_fixture_repo fix &&
	test "$(git -C fix rev-parse HEAD)" = "$(awk "\$1 == \"base\" { print \$2 }" "$F/trees.txt")" &&
	"$PWB" tree add fixture fix &&
	"$PWB" tree list >l && grep -q "^fixture *$TRASH/fix\$" l &&
	test_fails_with "already registered" "$PWB" tree add fixture fix &&
	test_fails_with "not a git repository" "$PWB" tree add other "$TRASH"
'

test_expect_success 'apply on the base-commit: original tree, repository untouched' '
	before_head=$(git -C fix rev-parse HEAD) &&
	git -C fix status --porcelain >before_status &&
	"$PWB" apply 1 --tree fixture --json >a.json &&
	python3 -c "
import json; a = json.load(open(\"a.json\"))
assert a[\"branch\"] == \"$BR\" and a[\"base_rule\"] == \"base-commit\", a
assert [p[\"status\"] for p in a[\"patches\"]] == [\"applied\"] * 3
assert all(p[\"strategy\"] == \"exact\" for p in a[\"patches\"])
assert a[\"reused\"] is False" &&
	test "$(git -C fix rev-parse $BR^{tree})" = "$(awk "\$1 == \"v2\" { print \$2 }" "$F/trees.txt")" &&
	test "$(git -C fix rev-parse HEAD)" = "$before_head" &&
	git -C fix status --porcelain >after_status && test_cmp before_status after_status &&
	test "$(git -C fix symbolic-ref HEAD)" = refs/heads/base
'

test_expect_success 'commits carry author, date, trailers and Link:' '
	git -C fix log -1 --format="%an|%ae|%ad|%cn" --date=raw $BR~1 >who &&
	echo "Jérôme Glisse|jglisse@example.org|1565854202 +0200|pwb" >expect &&
	test_cmp expect who &&
	git -C fix log -1 --format=%B $BR~1 >msg &&
	grep -q "^Tested-by: Christian König <ckoenig@example.com>\$" msg &&
	grep -q "^Link: https://lore.kernel.org/all/20190815073000.2000-2-mhocko@example.com\$" msg &&
	test "$(grep -c "^Acked-by" msg)" = 1
'

test_expect_success 'applying again on the same base reuses the commits' '
	head=$(git -C fix rev-parse $BR) &&
	"$PWB" apply 1 --tree "$TRASH/fix" >out &&
	grep -q "commits reused from an earlier apply" out &&
	test "$(git -C fix rev-parse $BR)" = "$head" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = 2
'

test_expect_success 'a trailer that arrived since: applied afresh, not reused' '
	head=$(git -C fix rev-parse $BR) &&
	sqlite3 "$PWB_DB" "INSERT INTO trailers (patch_row, kind, person, from_msgid)
		SELECT id, '"'"'Tested-by'"'"', '"'"'Late Tester <late@example.com>'"'"', '"'"'late@x'"'"'
		FROM patches WHERE series_id = 1 AND idx = 3" &&
	"$PWB" apply 1 --tree fixture >out &&
	! grep -q "reused" out &&
	test "$(git -C fix rev-parse $BR)" != "$head" &&
	git -C fix log -1 --format=%B $BR | grep -q "^Tested-by: Late Tester" &&
	test "$(git -C fix rev-parse $BR^{tree})" = "$(git -C fix rev-parse "$head^{tree}")"
'

test_expect_success 'no usable base: a clear error' '
	git init -q empty && (cd empty && git commit -q --allow-empty -m e) &&
	test_fails_with "base-commit febe02bd.* is not in" "$PWB" apply 1 --tree empty &&
	test_fails_with "--base nope: not a commit" "$PWB" apply 1 --tree fix --base nope
'

test_expect_success 'apply.fallbackbase: the base when the base-commit is not in the tree' '
	rm -rf moved && mkdir moved && cp -R "$SRCDIR/tests/fixtures/base/." moved/ &&
	(cd moved && git init -q -b main && git add -A && git commit -qm "same files, another commit") &&
	"$PWB" tree add moved moved >/dev/null &&
	"$PWB" -c apply.fallbackbase=main apply 1 --tree moved --json >fb.json 2>fb.err &&
	grep -q "base .*: apply.fallbackbase main (its base-commit febe02bd.* is not in the tree)" fb.err &&
	python3 -c "
import json; a = json.load(open(\"fb.json\"))
assert a[\"base_rule\"] == \"fallback\" and all(p[\"status\"] == \"applied\" for p in a[\"patches\"]), a" &&
	test "$(git -C moved rev-parse $BR^{tree})" = "$(git -C fix rev-parse $BR^{tree})" &&
	test_fails_with "apply.fallbackbase nope: not a commit" \
		"$PWB" -c apply.fallbackbase=nope apply 1 --tree moved &&
	"$PWB" -c apply.fallbackbase=main apply 1 --tree moved --base main --json >opt.json &&
	grep -q "\"base_rule\": \"option\"" opt.json
'

# A series made on an older commit, applied where the file has moved on:
# patch 1 needs an offset, patch 2 a three-way merge; git am -3 agrees.
test_expect_success 'setup: a series that needs offset and three-way' '
	git init -q sc && cd sc &&
	seq 1 40 | sed "s/^/line /" >f.c && git add f.c && git commit -qm base &&
	git tag A && git checkout -q -b topic &&
	sed -i "s/^line 20\$/line 20 changed/" f.c && git commit -qam "f: change line 20" &&
	sed -i "s/^line 30\$/line 30 changed/" f.c && git commit -qam "f: change line 30" &&
	git format-patch -q --thread --stdout A..topic >../sc.mbox &&
	git checkout -q master &&
	{ seq 1 5 | sed "s/^/new /"; cat f.c; } >f2 && mv f2 f.c &&
	sed -i "s/^line 33\$/line 33 moved on/" f.c && git commit -qam "main moves on" &&
	git checkout -q -b conflict master~0 &&
	sed -i "s/^line 30\$/line 30 differently/" f.c && git commit -qam "conflict" &&
	git checkout -q master && cd .. &&
	"$PWB" fetch --json sc.mbox >sc.json &&
	python3 -c "import json; print(json.load(open(\"sc.json\"))[\"id\"])" >sc.id
'

test_expect_success 'offset and three-way are used and recorded; trees equal git am -3' '
	"$PWB" apply "$(cat sc.id)" --tree sc --base master --json >b.json &&
	python3 -c "
import json; a = json.load(open(\"b.json\"))
s = [(p[\"status\"], p[\"strategy\"], p[\"offset\"]) for p in a[\"patches\"]]
assert s == [(\"applied\", \"offset\", 5), (\"applied\", \"three-way\", 0)], s
assert a[\"base_rule\"] == \"option\"" &&
	git clone -q sc am && (cd am && git checkout -q master &&
		git -c user.name=t -c user.email=t@t am -q -3 ../sc.mbox) &&
	test "$(git -C am rev-parse HEAD^{tree})" = \
	     "$(git -C sc rev-parse "$(applied_branch "$(cat sc.id)")^{tree}")" &&
	applied_branch "$(cat sc.id)" >sc.branch
'

test_expect_success 'a patch that does not apply: exit 2, reason, no branch' '
	git -C sc branch -D "$(cat sc.branch)" >/dev/null &&
	"$PWB" apply "$(cat sc.id)" --tree sc --base conflict --json >c.json 2>c.err;
	test $? = 2 &&
	python3 -c "
import json; a = json.load(open(\"c.json\"))
st = [p[\"status\"] for p in a[\"patches\"]]
assert st == [\"applied\", \"failed\"], st
e = a[\"patches\"][1][\"error\"]
assert \"f.c: hunk 1\" in e and \"conflicts\" in e, e
assert a[\"branch\"] is None and a[\"head\"] is None" &&
	grep -q "patch 2/2 does not apply: f.c: hunk 1" c.err &&
	test_must_fail_quiet git -C sc rev-parse -q --verify "$(cat sc.branch)" &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM applies ORDER BY id DESC LIMIT 1")" = failed &&
	test "$(sqlite3 "$PWB_DB" "SELECT group_concat(status) FROM apply_patches WHERE apply_id = (SELECT max(id) FROM applies)")" = "applied,failed"
'

# A series without base-commit (as most on lore): the base is guessed from
# the pre-image blobs of its index lines, newest by ancestry, not by date.
test_expect_success 'setup: a series without base-commit, and trees it was or was not made on' '
	git init -q gb && (cd gb &&
	seq 1 30 | sed "s/^/f /" >f.c && seq 1 30 | sed "s/^/g /" >g.c &&
	echo h >h.c && git add . &&
	GIT_COMMITTER_DATE="2020-01-01 00:00:00 +0000" git commit -qm A && git tag old &&
	git checkout -q -b topic &&
	sed -i "s/^f 10\$/f 10 changed/" f.c && git commit -qam "f: 10" &&
	sed -i "s/^g 20\$/g 20 changed/" g.c && git commit -qam "g: 20" &&
	git format-patch -q --thread --stdout old..topic >../gb.mbox &&
	git checkout -q master &&
	echo h2 >h.c && GIT_COMMITTER_DATE="2001-01-01 00:00:00 +0000" git commit -qam B &&
	git tag want &&
	sed -i "s/^f 30\$/f 30 later/" f.c &&
	GIT_COMMITTER_DATE="2000-01-01 00:00:00 +0000" git commit -qam C &&
	git branch -q -D topic) &&
	! grep -q "^base-commit" gb.mbox &&
	"$PWB" fetch --json gb.mbox >gb.json &&
	python3 -c "import json; print(json.load(open(\"gb.json\"))[\"id\"])" >gb.id
'

test_expect_success 'no base-commit: the newest commit with every pre-image blob, whatever the dates' '
	"$PWB" apply "$(cat gb.id)" --tree gb --json >g.json 2>g.err &&
	python3 -c "
import json; a = json.load(open(\"g.json\"))
assert a[\"base_rule\"] == \"guessed\", a
assert a[\"base_why\"] == \"guessed from 2 of 2 pre-image blobs (the series has no base-commit)\", a
assert all(p[\"status\"] == \"applied\" for p in a[\"patches\"]), a
open(\"g.base\", \"w\").write(a[\"base\"])" &&
	test "$(cat g.base)" = "$(git -C gb rev-parse want)" &&
	grep -q "base [0-9a-f]*: guessed from 2 of 2 pre-image blobs" g.err &&
	test "$(sqlite3 "$PWB_DB" "SELECT base_rule || \" \" || base_why FROM applies ORDER BY id DESC LIMIT 1")" = \
		"guessed guessed from 2 of 2 pre-image blobs (the series has no base-commit)" &&
	"$PWB" apply "$(cat gb.id)" --tree gb >g.txt &&
	grep -q "base: *$(cat g.base): guessed from 2 of 2" g.txt
'

test_expect_success 'a base only a tag reaches: the tags are looked at when no branch has the blobs' '
	rm -rf gt && git init -q -b main gt &&
	git -C gt fetch -q "$TRASH/gb" refs/tags/want:refs/tags/rel &&
	(cd gt && seq 1 30 | sed "s/^/other /" >f.c && git add f.c && git commit -qm unrelated) &&
	"$PWB" apply "$(cat gb.id)" --tree "$TRASH/gt" --json >t.json &&
	python3 -c "
import json; a = json.load(open(\"t.json\"))
assert a[\"base_rule\"] == \"guessed\" and a[\"base_why\"].startswith(\"guessed from 2 of 2\"), a
open(\"t.base\", \"w\").write(a[\"base\"])" &&
	test "$(cat t.base)" = "$(git -C gt rev-parse rel^{commit})"
'

test_expect_success 'no pre-image blob anywhere: HEAD when the series applies there' '
	rm -rf gh && mkdir gh && git -C gb archive want | tar -x -C gh &&
	(cd gh && echo "/* moved on */" >>f.c && echo "/* too */" >>g.c &&
	 git init -q && git add . && git commit -qm other) &&
	"$PWB" apply "$(cat gb.id)" --tree "$TRASH/gh" --json >h.json &&
	python3 -c "
import json; a = json.load(open(\"h.json\"))
assert a[\"base_rule\"] == \"head\" and a[\"base_why\"].startswith(\"HEAD (the series has no base-commit\"), a
assert all(p[\"status\"] == \"applied\" for p in a[\"patches\"]), a"
'

test_expect_success 'no base found and it does not apply on HEAD: no base, not "does not apply"; nothing recorded' '
	rm -rf gn && mkdir gn && git -C gb archive want | tar -x -C gn &&
	(cd gn && sed -i "s/^f 10\$/f 10 elsewhere/" f.c && echo "/* x */" >>g.c &&
	 git init -q && git add . && git commit -qm other) &&
	before=$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies") &&
	test_fails_with "no base: the series does not apply on [0-9a-f]*, the base pwb tried: HEAD .*patch 1/2: f.c: hunk 1 .*(give --base)" \
		"$PWB" apply "$(cat gb.id)" --tree "$TRASH/gn" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = "$before" &&
	test -z "$(git -C gn for-each-ref refs/heads/pwb/)"
'

test_expect_success 'a branch named from the message-id: the same from a second database, which moves it' '
	msgid=$(sqlite3 "$PWB_DB" "SELECT msgid FROM series WHERE id = $(cat gb.id)") &&
	br=$(applied_branch "$(cat gb.id)") &&
	test "$br" = "pwb/$(echo "$msgid" | tr "@" _)-v1" &&
	"$PWB" --db other.sqlite -q fetch gb.mbox >/dev/null &&
	"$PWB" --db other.sqlite -q fetch "$F/mmn-pairing.mbox" >/dev/null &&
	"$PWB" --db other.sqlite apply 1 --tree "$TRASH/gb" --base want >o.txt 2>o.err &&
	test "$(applied_branch 1 other.sqlite)" = "$br" &&
	! grep -q "instead" o.err &&
	git -C gb commit-tree -p "$br" -m mine "$br^{tree}" >mine &&
	git -C gb update-ref "refs/heads/$br" "$(cat mine)" &&
	"$PWB" --db other.sqlite apply 1 --tree "$TRASH/gb" --base old >o.txt 2>o.err &&
	grep -q "branch $br has commits pwb did not make; applied on $br-2 instead" o.err &&
	test "$(git -C gb rev-parse "$br")" = "$(cat mine)"
'

evil_mbox() { # subject, diff body
	cat <<-EOM
	From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
	From: Evil <evil@example.com>
	Date: Mon, 1 Jan 2024 00:00:00 +0000
	Subject: [PATCH] $1
	Message-ID: <evil.$(echo "$1" | tr -c "a-z0-9\n" _)@example.com>

	evil
	---
	$2
	EOM
}

t_refused() { # name, diff, pattern
	evil_mbox "$1" "$2" >evil.mbox &&
	"$PWB" fetch --json evil.mbox >e.json &&
	id=$(python3 -c "import json; print(json.load(open(\"e.json\"))[\"id\"])") &&
	"$PWB" apply "$id" --tree ev --base HEAD --json >r.json 2>r.err;
	test $? = 2 && grep -q "$3" r.err &&
	test -z "$(git -C ev for-each-ref refs/heads/pwb/)" &&
	test ! -e "$TRASH/outside" && test ! -e "$TRASH/pwned"
}

test_expect_success 'setup: a tree with a symlink' '
	git init -q ev && (cd ev && echo x >file && ln -s "$TRASH" link &&
	mkdir sub && echo y >sub/f && git add -A && git commit -qm ev)
'
test_expect_success 'a path with .. is refused' '
	t_refused dotdot "diff --git a/../outside b/../outside
new file mode 100644
--- /dev/null
+++ b/../outside
@@ -0,0 +1 @@
+pwned" "refused path\|cannot parse"
'
test_expect_success 'a path naming .git in any case is refused' '
	t_refused dotgit "diff --git a/sub/.GIT/config b/sub/.GIT/config
new file mode 100644
--- /dev/null
+++ b/sub/.GIT/config
@@ -0,0 +1 @@
+[core]" "refused path .sub/.GIT/config."
'
test_expect_success 'an absolute path is refused' '
	t_refused abs "diff --git a//tmp/pwned b//tmp/pwned
new file mode 100644
--- /dev/null
+++ b//tmp/pwned
@@ -0,0 +1 @@
+pwned" "refused path\|cannot parse"
'
test_expect_success 'a path under a symlink is refused' '
	t_refused symlink "diff --git a/link/pwned b/link/pwned
new file mode 100644
--- /dev/null
+++ b/link/pwned
@@ -0,0 +1 @@
+pwned" "under a symlink"
'
test_expect_success 'a binary patch without data is a clear error' '
	t_refused binary "diff --git a/file b/file
index 587be6b..0000001 100644
Binary files a/file and b/file differ" "binary patch without data"
'

# Issue 15: what git am applies, pwb applies to the same tree.
# t_like_am NAME REPO RANGE: the commits RANGE of REPO as an mbox, applied
# by git am and by pwb on copies of REPO at RANGE's base; same tree.
t_like_am() {
	git -C "$2" format-patch -q --stdout "$3" >"$1.mbox" &&
	base=${3%%..*} &&
	rm -rf "$1.am" "$1.pwb" && git clone -q "$2" "$1.am" && git clone -q "$2" "$1.pwb" &&
	git -C "$1.am" checkout -q "$base" && git -C "$1.pwb" checkout -q "$base" &&
	(cd "$1.am" && git am -q "../$1.mbox") &&
	"$PWB" fetch --json "$1.mbox" >"$1.json" &&
	id=$(python3 -c "import json; print(json.load(open(\"$1.json\"))[\"id\"])") &&
	"$PWB" apply "$id" --tree "$TRASH/$1.pwb" --base HEAD --json >"$1.apply" &&
	test "$(git -C "$1.pwb" rev-parse "$(applied_branch $id)^{tree}")" = "$(git -C "$1.am" rev-parse HEAD^{tree})"
}

test_expect_success 'quoted paths (UTF-8, a quote, a tab, a backslash) apply as git am applies them' '
	git init -q qp && (cd qp && echo base >README && git add README &&
	 git commit -qm base && git tag base &&
	 printf "e\n" >"$(printf "\303\251.txt")" && echo q >"q\"uote.txt" &&
	 printf "t\n" >"$(printf "tab\there")" && echo b >"back\\slash" &&
	 mkdir "$(printf "d\303\256r")" && echo n >"$(printf "d\303\256r/n")" &&
	 git add -A && git commit -qm "quoted names" &&
	 echo more >>"q\"uote.txt" && git mv "$(printf "\303\251.txt")" "$(printf "\303\251-2.txt")" &&
	 git commit -qam "rename and change") &&
	git -C qp format-patch -q --stdout base..master | grep -q "^diff --git \"a/\\\\303\\\\251.txt\"" &&
	t_like_am qp qp base..master
'

test_expect_success 'quoted paths that are really unsafe are still refused' '
	t_refused qdotdot "diff --git \"a/\056\056/outside\" \"b/\056\056/outside\"
new file mode 100644
--- /dev/null
+++ \"b/\056\056/outside\"
@@ -0,0 +1 @@
+pwned" "refused path .\.\./outside." &&
	t_refused qgit "diff --git \"a/sub/.Git/\303\251\" \"b/sub/.Git/\303\251\"
new file mode 100644
--- /dev/null
+++ \"b/sub/.Git/\303\251\"
@@ -0,0 +1 @@
+x" "refused path .sub/.Git/" &&
	t_refused qbad "diff --git \"a/x\q\" \"b/x\q\"
new file mode 100644
--- /dev/null
+++ \"b/x\q\"
@@ -0,0 +1 @@
+x" "cannot unquote" &&
	t_refused qnul "diff --git \"a/x\000y\" \"b/x\000y\"
new file mode 100644
--- /dev/null
+++ \"b/x\000y\"
@@ -0,0 +1 @@
+x" "cannot unquote"
'

test_expect_success 'a symlink replaced by a directory in the same patch applies as with git am' '
	git init -q sl && (cd sl && echo t >target && ln -s target ln &&
	 git add -A && git commit -qm base && git tag base &&
	 git rm -q ln && mkdir ln && echo f >ln/f && echo g >ln/g &&
	 git add -A && git commit -qm "ln: a directory now") &&
	t_like_am sl sl base..master &&
	git -C sl.pwb ls-tree -r "$(applied_branch $id)" >lt && grep -q "	ln/f\$" lt &&
	! grep -q "120000" lt
'

test_expect_success 'a path under a symlink the same patch makes is refused' '
	t_refused newlink "diff --git a/nl b/nl
new file mode 120000
--- /dev/null
+++ b/nl
@@ -0,0 +1 @@
+/tmp
\ No newline at end of file
diff --git a/nl/pwned b/nl/pwned
new file mode 100644
--- /dev/null
+++ b/nl/pwned
@@ -0,0 +1 @@
+pwned" "under a symlink"
'

test_expect_success 'GIT binary patches: whole, applied as git am does, exported for git am' '
	git init -q bin && (cd bin && printf "text\n" >t &&
	 head -c 3000 /dev/urandom >old.bin && git add -A && git commit -qm base && git tag base &&
	 printf "\000\001\002\n\n\nzero\000" >new.bin && head -c 100 old.bin >>new.bin &&
	 { head -c 1000 old.bin; printf "\000changed\000"; tail -c 1500 old.bin; } >o2 && mv o2 old.bin &&
	 printf "text\nmore\n" >t && git add -A && git commit -qm "binary and text") &&
	git -C bin format-patch -q --stdout base..master >bin-fp.mbox &&
	grep -q "^GIT binary patch" bin-fp.mbox && grep -q "^delta " bin-fp.mbox &&
	t_like_am bin bin base..master &&
	"$PWB" series export "$id" -o bin-export.mbox &&
	rm -rf bin.am2 && git clone -q bin bin.am2 && git -C bin.am2 checkout -q base &&
	(cd bin.am2 && git am -q ../bin-export.mbox) &&
	test "$(git -C bin.am2 rev-parse HEAD^{tree})" = "$(git -C bin.am rev-parse HEAD^{tree})"
'

test_expect_success 'patch-id equals git patch-id --stable (binary, no newline at end, mbox)' '
	printf "a\nb" >nonl.base && (cd bin && git checkout -q master &&
	 printf "x\ny" >nonl && git add nonl && git commit -qm nonl &&
	 printf "x\nz" >nonl && git commit -qam "nonl 2") &&
	for r in base..master~2 master~2..master~1 master~1..master base..master; do
		git -C bin format-patch -q --stdout "$r" >pid.mbox &&
		git -C bin diff "${r%%..*}" "${r##*..}" --binary >pid.diff &&
		for f in pid.mbox pid.diff; do
			want=$(git patch-id --stable <$f | head -n 1 | cut -d" " -f1) &&
			got=$("$PWB" patch-id <$f) &&
			test "$got" = "$want" || { echo "$r $f: $got != $want"; return 1; }
		done
	done &&
	git -C bin format-patch -q --stdout master~1..master >pid.mbox &&
	"$PWB" fetch --json pid.mbox >pid.json &&
	python3 -c "import json; print(json.load(open(\"pid.json\"))[\"patches\"][0][\"patch_id\"])" >got &&
	git patch-id --stable <pid.mbox | cut -d" " -f1 >want && test_cmp want got &&
	python3 -c "import json; print(json.load(open(\"bin.json\"))[\"patches\"][0][\"patch_id\"])" >got &&
	git patch-id --stable <bin-fp.mbox | cut -d" " -f1 >want && test_cmp want got
'

# The branch pwb/<id>-v<N> is moved only where pwb left it and when no
# worktree has it checked out; else pwb applies on pwb/<id>-v<N>-2, -3...
test_expect_success 'setup: a tree with two more bases' '
	make_fixture_repo own &&
	(cd own && git checkout -q -b newbase base && echo one >newfile &&
	 git add newfile && git commit -qm "newbase" &&
	 git checkout -q -b newbase2 base && echo two >newfile2 &&
	 git add newfile2 && git commit -qm "newbase2" && git checkout -q base) &&
	"$PWB" tree add own own >/dev/null &&
	"$PWB" apply 1 --tree own >/dev/null &&
	git -C own rev-parse $BR >h1
'

test_expect_success 're-apply: a branch where pwb left it moves, same name' '
	"$PWB" apply 1 --tree own --base newbase --json >m.json 2>m.err &&
	python3 -c "
import json; a = json.load(open(\"m.json\"))
assert a[\"branch\"] == \"$BR\" and not a[\"reused\"], a
open(\"h2\", \"w\").write(a[\"head\"] + \"\\n\")" &&
	test ! -s m.err &&
	test "$(git -C own rev-parse $BR)" = "$(cat h2)" &&
	test "$(git -C own rev-parse $BR)" != "$(cat h1)" &&
	git -C own merge-base --is-ancestor newbase $BR &&
	"$PWB" apply 1 --tree own --base newbase >out 2>err &&
	grep -q "branch: $BR at .* (commits reused" out && test ! -s err &&
	test "$(git -C own rev-parse $BR)" = "$(cat h2)"
'

test_expect_success 'a branch the user committed to is not moved: another name' '
	git -C own worktree add -q ../own-wt $BR &&
	(cd own-wt && echo mine >>mm/oom_kill.c && git commit -qam "my own work") &&
	mine=$(git -C own rev-parse $BR) &&
	"$PWB" apply 1 --tree own --base newbase >out 2>err &&
	echo "pwb: branch $BR has commits pwb did not make; applied on $BR-2 instead" >expect &&
	test_cmp expect err &&
	grep -q "branch: $BR-2 at" out &&
	test "$(git -C own rev-parse $BR)" = "$mine" &&
	test "$(git -C own rev-parse $BR-2)" = "$(cat h2)" &&
	test -z "$(git -C own-wt status --porcelain)" &&
	test "$(sqlite3 "$PWB_DB" "SELECT branch FROM applies ORDER BY id DESC LIMIT 1")" = $BR-2 &&
	git -C own worktree remove ../own-wt &&
	"$PWB" apply 1 --tree own --base newbase --json >j 2>err &&
	grep -q "\"branch\": \"$BR-2\"" j && grep -q "applied on $BR-2 instead" err &&
	test "$(git -C own rev-parse $BR)" = "$mine"
'

test_expect_success 'a checked-out branch is not moved, the index stays clean' '
	cur=$(sqlite3 "$PWB_DB" "SELECT branch FROM applies ORDER BY id DESC LIMIT 1") &&
	at=$(git -C own rev-parse "$cur") &&
	git -C own checkout -q --ignore-other-worktrees "$cur" &&
	"$PWB" apply 1 --tree own --base newbase2 --json >j 2>err &&
	new=$(python3 -c "import json; print(json.load(open(\"j\"))[\"branch\"])") &&
	test "$(git -C own rev-parse "$cur")" = "$at" &&
	test "$(git -C own symbolic-ref HEAD)" = "refs/heads/$cur" &&
	test -z "$(git -C own status --porcelain)" &&
	test "$cur" = $BR-2 && test "$new" = $BR-3 &&
	echo "pwb: branch $BR has commits pwb did not make, $BR-2 is checked out; applied on $BR-3 instead" >expect &&
	test_cmp expect err &&
	git -C own merge-base --is-ancestor newbase2 $BR-3 &&
	git -C own checkout -q base
'

test_expect_success 'every name taken by branches pwb did not make: refused, one line' '
	make_fixture_repo full && "$PWB" tree add full full >/dev/null &&
	rows=$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies") &&
	{ echo "create refs/heads/$BR base"; for i in $(seq 2 99); do
		echo "create refs/heads/$BR-$i base"; done; } |
		git -C full update-ref --stdin &&
	git -C full for-each-ref refs/heads/pwb >before &&
	test_fails_with "apply: branches $BR to $BR-99 are all checked out or not where pwb left them" \
		"$PWB" apply 1 --tree full &&
	test ! -s .out &&
	git -C full for-each-ref refs/heads/pwb >after && test_cmp before after &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = "$rows"
'

# A trigger whose deferred foreign key fails at COMMIT, after the branch
# was written: the branch is put back (or removed), nothing recorded.
test_expect_success 'the record fails at commit: the branch is put back' '
	git -C moved commit -q --allow-empty -m "main moves on" &&
	before=$(git -C moved rev-parse $BR) &&
	make_fixture_repo fresh && "$PWB" tree add fresh fresh >/dev/null &&
	rows=$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies") &&
	sqlite3 "$PWB_DB" "CREATE TABLE t_fail (x INTEGER REFERENCES trees(id)
			DEFERRABLE INITIALLY DEFERRED);
		CREATE TRIGGER t_fail AFTER INSERT ON applies
			BEGIN INSERT INTO t_fail VALUES (-1); END;" &&
	test_fails_with "FOREIGN KEY" "$PWB" apply 1 --tree moved --base main &&
	test "$(git -C moved rev-parse $BR)" = "$before" &&
	test_fails_with "FOREIGN KEY" "$PWB" apply 1 --tree fresh &&
	test_must_fail_quiet git -C fresh rev-parse -q --verify $BR &&
	sqlite3 "$PWB_DB" "DROP TRIGGER t_fail; DROP TABLE t_fail" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = "$rows" &&
	"$PWB" apply 1 --tree moved --base main >out &&
	grep -q "branch: $BR at" out &&
	test "$(git -C moved rev-parse $BR)" != "$before"
'

# The repository on a small tmpfs: libgit2's object writes fail there.
small_fs() {
	mkdir -p small && mount -t tmpfs -o size=2m tmpfs small 2>/dev/null &&
	test_at_exit "umount -l $TRASH/small"
}

if small_fs; then
	test_expect_success 'disk full while applying: exit 3, one error, nothing recorded' '
		make_fixture_repo small/r && "$PWB" tree add small small/r >/dev/null &&
		rows=$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies") &&
		dd if=/dev/zero of=small/fill bs=4k 2>/dev/null;
		"$PWB" apply 1 --tree small >out 2>err;
		test $? = 3 &&
		test "$(grep -c "^pwb: error:" err)" = 1 &&
		grep -q "^pwb: error: apply: .*: No space left on device" err &&
		test "$(wc -l <err)" = 1 &&
		test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = "$rows" &&
		test_must_fail_quiet git -C small/r rev-parse -q --verify $BR &&
		rm small/fill &&
		"$PWB" apply 1 --tree small >out &&
		grep -q "branch: $BR at" out &&
		test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = $((rows + 1))
	'

	test_expect_success 'a read-only repository (the branch write fails): exit 3, nothing recorded' '
		rows=$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies") &&
		mount -o remount,ro small &&
		test_at_exit "mount -o remount,rw $TRASH/small" &&
		"$PWB" apply 1 --tree small --base HEAD >out 2>err;
		rc=$? && mount -o remount,rw small && test $rc = 3 &&
		test "$(wc -l <err)" = 1 &&
		grep -q "^pwb: error: apply: .*Read-only file system" err &&
		test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = "$rows"
	'

	test_expect_success 'disk full during pwb check: could not check (exit 3), not does-not-apply' '
		make_fixture_repo small/r2 && "$PWB" tree add small2 small/r2 >/dev/null &&
		dd if=/dev/zero of=small/fill bs=4k 2>/dev/null;
		"$PWB" check 1 --tree small2 --suite mmn-pairing >out 2>err;
		rc=$? && rm -f small/fill && test $rc = 3 &&
		grep -q "No space left on device" err &&
		test "$(sqlite3 "$PWB_DB" "SELECT verdict FROM checks ORDER BY id DESC LIMIT 1")" = "infra-error"
	'
else
	test_skip "disk-full and read-only repository cases" "cannot mount a tmpfs here (not root?)"
fi

test_expect_success 'checkout: files of a commit on disk, repository untouched' '
	"$PWB" checkout base --tree fixture >p 2>err &&
	co=$(cat p) && test -f "$co/mm/oom_kill.c" &&
	test "$co" = "$XDG_CACHE_HOME/pwb/checkouts/fixture/0" &&
	grep -q "4 written" err &&
	(cd "$co" && find . -type f | sort) >files &&
	git -C fix ls-tree -r --name-only base | sed "s|^|./|" | sort >expect &&
	test_cmp expect files
'

test_expect_success 'checkout move rewrites only the files that differ' '
	co=$(cat p) && touch stamp && sleep 1.1 &&
	"$PWB" checkout $BR --tree fixture >/dev/null 2>err &&
	grep -q "3 written, 0 removed" err &&
	(cd "$co" && find . -type f -newer "$TRASH/stamp" | sort) >changed &&
	printf "./include/linux/mmu_notifier.h\n./mm/mmu_notifier.c\n./mm/oom_kill.c\n" >expect &&
	test_cmp expect changed &&
	git -C fix show $BR:mm/oom_kill.c >want && test_cmp want "$co/mm/oom_kill.c" &&
	"$PWB" checkout $BR --tree fixture >/dev/null 2>err &&
	grep -q "0 written, 0 removed" err
'

test_expect_success 'an interrupted move is repaired by content' '
	co=$(cat p) && rm "$co.state" && echo garbage >"$co/mm/oom_kill.c" &&
	touch stamp && sleep 1.1 &&
	"$PWB" checkout $BR --tree fixture >/dev/null 2>err &&
	grep -q "compared by content" err &&
	(cd "$co" && find . -type f -newer "$TRASH/stamp") >changed &&
	echo ./mm/oom_kill.c >expect && test_cmp expect changed &&
	git -C fix show $BR:mm/oom_kill.c >want && test_cmp want "$co/mm/oom_kill.c"
'

test_expect_success 'a second pwb waits for the slot lock' '
	co=$(cat p) &&
	python3 -c "
import fcntl, sys, time
f = open(sys.argv[1], \"w\"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], \"w\").close(); time.sleep(2)" "$co.lock" locked &
	holder=$! &&
	while [ ! -e locked ]; do sleep 0.1; done &&
	"$PWB" checkout base --tree fixture >/dev/null 2>err &&
	wait $holder &&
	grep -q "is in use; waiting" err
'

test_done
