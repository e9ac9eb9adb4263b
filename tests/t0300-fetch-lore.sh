#!/bin/sh
# pwb fetch against a real public-inbox-httpd on 127.0.0.1.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-lore.sh"

F="$SRCDIR/tests/fixtures/threads"
V2=20190815073000.2000-0-mhocko@example.com

test_expect_success 'start public-inbox with the fixture threads' '
	pi_start test "$F/mmn-pairing.mbox" "$F/missing-patch.mbox" "$F/no-patch.mbox"
'

test_expect_success 'fetch by message-id with <> from the local lore' '
	"$PWB" fetch --lore "$PI_URL" "<$V2>" >out &&
	grep -q "12 messages (12 new)" out &&
	grep -q "^series 1: v2" out &&
	test "$(sqlite3 "$PWB_DB" "SELECT DISTINCT list_id FROM messages")" = "<test.example.com>"
'

test_expect_success 'pwb check takes --lore as pwb fetch does' '
	git init -q t && (cd t && echo hello >README &&
		git add README && git -c user.name=t -c user.email=t@t commit -qm one) &&
	"$PWB" --db "$TRASH/check.sqlite" check "<$V2>" --lore "$PI_URL" --tree t \
		--base HEAD --suite mmn-pairing >out 2>err;
	test $? = 2 &&
	test "$(sqlite3 "$TRASH/check.sqlite" "SELECT verdict FROM checks")" = does-not-apply &&
	test "$(sqlite3 "$TRASH/check.sqlite" "SELECT source FROM threads")" = "$PI_URL$V2/"
'

test_expect_success 'pwb check of a message-id the database has checks the stored series, no network' '
	# the archive is out of reach: the stored thread is what is checked
	"$PWB" --db "$TRASH/check.sqlite" -c lore.url=http://127.0.0.1:1/none/ \
		check "$V2" --tree t --base HEAD --suite mmn-pairing >out 2>err;
	test $? = 2 &&
	grep -q "^pwb: series 1, as stored (pwb fetch it again for newer mail)" err &&
	! grep -q "cannot fetch" err &&
	test "$(sqlite3 "$TRASH/check.sqlite" "SELECT count(*) FROM checks")" = 2 &&
	# one it does not have is fetched, and that failing is said
	test_expect_code 3 "$PWB" --db "$TRASH/check.sqlite" \
		-c lore.url=http://127.0.0.1:1/none/ check "<nobody@example.com>" \
		--tree t --base HEAD --suite mmn-pairing 2>err &&
	grep -q "cannot fetch" err
'

test_expect_success 'fetch by a lore URL of a reply finds the same thread' '
	"$PWB" fetch "${PI_URL}20190815091500.bbbb@example.com/T/#u" >out &&
	grep -q "12 messages (0 new)" out &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM series")" = 2
'

test_expect_success 'lore.url from the config file is used for a bare message-id' '
	printf "[lore]\n\turl = %s\n" "$PI_URL" >"$XDG_CONFIG_HOME/pwb/config" &&
	"$PWB" --db "$TRASH/cfg.sqlite" fetch --json "$V2" >j &&
	python3 -c "import json; s=json.load(open(\"j\")); assert s[\"new_messages\"] == 12 and s[\"link\"].startswith(\"$PI_URL\")" &&
	"$PWB" -c lore.url=http://127.0.0.1:1/none/ --db "$TRASH/cfg2.sqlite" \
		fetch "$V2" 2>err; test $? -ne 0 && grep -q "127.0.0.1:1" err
'

test_expect_success 'the raw thread is kept: export works with the server gone' '
	test "$(sqlite3 "$PWB_DB" "SELECT length(mbox_gz) > 1000 FROM threads")" = 1 &&
	sqlite3 "$PWB_DB" "SELECT writefile(\"kept.gz\", mbox_gz) FROM threads" >/dev/null &&
	test "$(zcat kept.gz | grep -c "^From mboxrd@z")" = 12 &&
	pi_stop &&
	rm -rf repo && mkdir repo && cp -R "$SRCDIR/tests/fixtures/base/." repo/ &&
	(cd repo && git init -q && git add -A && git commit -qm base) &&
	"$PWB" series export "$V2" -o exp.mbox &&
	(cd repo && git am -q ../exp.mbox) &&
	test "$(git -C repo rev-parse HEAD^{tree})" = "$(awk "\$1 == \"v2\" { print \$2 }" "$F/trees.txt")"
'

test_expect_success 'restart the server' '
	pi_start test2 "$F/missing-patch.mbox" "$F/no-patch.mbox"
'

test_expect_success 'a 404 from lore: one-line error, nothing stored' '
	before=$(db_digest) &&
	test_fails_with "not found" "$PWB" fetch --lore "$PI_URL" nobody@example.com &&
	test_fails_with "thread <a/b@example.com> not found" \
		"$PWB" fetch --lore "$PI_URL" "<a/b@example.com>" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a series with a missing patch from lore: error, nothing stored' '
	before=$(db_digest) &&
	test_fails_with "missing patch 2/3" "$PWB" fetch --lore "$PI_URL" \
		20190816071000.3000-0-mhocko@example.com &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a thread without patches from lore: error, nothing stored' '
	before=$(db_digest) &&
	test_fails_with "no patches in the thread" "$PWB" fetch --lore "$PI_URL" \
		20190814000000.talk@example.com &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'plain http is refused unless the host is loopback' '
	test_fails_with "https is required" "$PWB" fetch --lore http://lore.example.com/all/ x@y &&
	test_fails_with "https is required" "$PWB" fetch http://lore.example.com/all/x@y/
'

test_expect_success 'a Message-ID with a space fetches from lore as from the file' '
	pi_stop &&
	pi_start test3 "$F/space-msgid.mbox" &&
	"$PWB" --db "$TRASH/sp-file.sqlite" fetch "$F/space-msgid.mbox" >file.out &&
	"$PWB" --db "$TRASH/sp-lore.sqlite" fetch --lore "$PI_URL" "<a b@example.com>" >lore.out &&
	grep -q "2 messages (2 new)" lore.out &&
	q="SELECT p.msgid, t.kind, t.person FROM patches p JOIN trailers t ON t.patch_row = p.id ORDER BY 1, 2, 3" &&
	sqlite3 "$TRASH/sp-file.sqlite" "$q" >file.rows &&
	sqlite3 "$TRASH/sp-lore.sqlite" "$q" >lore.rows &&
	test_cmp file.rows lore.rows &&
	grep -q "^a b@example.com|Reviewed-by|Rex Reviewer <rex@example.com>$" lore.rows &&
	test "$(sqlite3 "$TRASH/sp-lore.sqlite" "SELECT source FROM threads")" = "${PI_URL}a%20b@example.com/" &&
	"$PWB" --db "$TRASH/sp-lore.sqlite" fetch "${PI_URL}a%20b@example.com/T/#u" >url.out &&
	grep -q "2 messages (0 new)" url.out
'

test_done
