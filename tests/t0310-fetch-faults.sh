#!/bin/sh
# pwb fetch against a server that misbehaves (tests/fault-server.py):
# every case is a one-line error, a non-zero exit and an unchanged database.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-lore.sh"

F="$SRCDIR/tests/fixtures/threads"
MID=20190815073000.2000-0-mhocko@example.com
fault_start || { echo "not ok 1 - fault server"; exit 1; }

# keep retries and timeouts short; nothing here is timed
printf "[lore]\n\tretries = 2\n\ttimeout = 3\n\tconnecttimeout = 2\n" \
	>"$XDG_CONFIG_HOME/pwb/config"

test_expect_success 'a good thread through the same server is stored' '
	"$PWB" fetch --lore "$FAULT_URL/ok/" "$MID" >out &&
	grep -q "12 messages (12 new)" out
'

hits() { grep -c "^/$1/" "$TRASH/fault-hits"; }

t_fault() { # mode, expected error pattern
	before=$(db_digest) &&
	test_fails_with "$2" "$PWB" fetch --lore "$FAULT_URL/$1/" "$MID" &&
	test "$(db_digest)" = "$before"
}

test_expect_success 'HTML with status 200 is an error, not "0 patches"' '
	t_fault html "returned an HTML page"
'
test_expect_success 'truncated gzip' 't_fault trunc "truncated gzip"'
test_expect_success '404: no retry' '
	t_fault 404 "not found" && test "$(hits 404)" = 1
'
test_expect_success '503 with Retry-After: bounded retries, then an error' '
	t_fault 503 "HTTP 503 (after 3 attempts)" && test "$(hits 503)" = 3 &&
	grep -q "retrying in 1 s (1 of 2)" "$TRASH/.err"
'
test_expect_success '503 once, then the thread: retried and stored' '
	"$PWB" --db "$TRASH/once.sqlite" fetch --lore "$FAULT_URL/503once/" "$MID" >out &&
	grep -q "12 messages" out && test "$(hits 503once)" = 2
'
test_expect_success 'a Retry-After beyond lore.maxwait gives up at once' '
	before=$(db_digest) &&
	test_fails_with "longer than lore.maxwait" "$PWB" -c lore.maxwait=0 \
		fetch --lore "$FAULT_URL/503/" "$MID" &&
	test "$(db_digest)" = "$before"
'
test_expect_success 'a gzip bomb stops at lore.maxsize' '
	before=$(db_digest) &&
	test_fails_with "larger than lore.maxsize" "$PWB" -c lore.maxsize=8m \
		fetch --lore "$FAULT_URL/bomb/" "$MID" &&
	test "$(db_digest)" = "$before"
'
test_expect_success 'an oversized body stops at lore.maxsize' '
	before=$(db_digest) &&
	test_fails_with "larger than lore.maxsize" "$PWB" -c lore.maxsize=1m \
		fetch --lore "$FAULT_URL/big/" "$MID" &&
	test "$(db_digest)" = "$before"
'
test_expect_success 'a server that stops answering: timeout, retries, error' '
	before=$(db_digest) &&
	test_fails_with "cannot fetch" "$PWB" -c lore.retries=1 -c lore.timeout=2 \
		fetch --lore "$FAULT_URL/stall/" "$MID" &&
	test "$(db_digest)" = "$before"
'
test_expect_success 'the server dies in the middle of the transfer: retried, then an error' '
	t_fault dies "transfer closed with .* bytes remaining to read (after 3 attempts)" &&
	test "$(hits dies)" = 3
'

test_expect_success 'a thread message without Message-ID is an error' '
	t_fault nomsgid "has no Message-ID"
'
test_expect_success 'duplicate Message-IDs' '
	t_fault dupid "duplicate Message-ID"
'
test_expect_success 'invalid UTF-8 in a patch' '
	t_fault badutf "not valid in its declared charset"
'
test_expect_success 'a thread with no patch' 't_fault nopatch "no patches in the thread"'

# Redirects.  The fault server is also the proxy for every host but
# 127.0.0.1 here: should pwb follow a redirect it must refuse, the request
# goes to the fault server (logged as "PROXY ...", answered with 502), never
# to another machine, and no name is looked up.
offline() {
	env http_proxy="$FAULT_URL" https_proxy="$FAULT_URL" \
		HTTPS_PROXY="$FAULT_URL" all_proxy="$FAULT_URL" ALL_PROXY="$FAULT_URL" \
		no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 "$@"
}
proxied() { grep -c "^PROXY" "$TRASH/fault-hits" || :; }
no_proxied() { # nothing went through the proxy since proxied0 was taken
	test "$(proxied)" = "$proxied0" || { grep "^PROXY" "$TRASH/fault-hits"; false; }
}

t_redir_refused() { # mode, refused URL, reason
	before=$(db_digest) && proxied0=$(proxied) &&
	test_fails_with "lore: refusing redirect to $2: $3" \
		offline "$PWB" fetch --lore "$FAULT_URL/$1/" "$MID" &&
	test "$(db_digest)" = "$before" &&
	test "$(hits "$1")" = 1 && no_proxied
}

test_expect_success 'a redirect to file:// is not followed' '
	t_redir_refused redirfile "file:///etc/passwd" \
		"https is required (plain http only on a loopback address)"
'
test_expect_success 'a redirect to plain http off loopback is refused before any connection' '
	t_redir_refused redirnet "http://192.0.2.1:9/$MID/t.mbox.gz" \
		"plain http only on a loopback address"
'
test_expect_success 'the refusal exits as a refused --lore URL does' '
	offline "$PWB" fetch --lore http://192.0.2.1:9/ "$MID" 2>/dev/null
	want=$? &&
	test "$want" -ne 0 &&
	test_expect_code "$want" offline "$PWB" fetch --lore "$FAULT_URL/redirnet/" "$MID"
'
test_expect_success 'a redirect to a name that only starts like a loopback address is refused' '
	t_redir_refused redirhost \
		"http://127.0.0.1.evil.invalid:$FAULT_PORT/ok/$MID/t.mbox.gz" \
		"plain http only on a loopback address"
'
test_expect_success 'a base that only starts like a loopback address is refused' '
	proxied0=$(proxied) &&
	test_fails_with "https is required" \
		offline "$PWB" fetch --lore "http://127.0.0.1.evil.invalid:$FAULT_PORT/ok/" "$MID" &&
	test_fails_with "https is required" \
		offline "$PWB" fetch --lore "http://localhost.evil.invalid:$FAULT_PORT/ok/" "$MID" &&
	no_proxied
'
test_expect_success 'redirects on loopback (absolute, then relative) are followed' '
	proxied0=$(proxied) &&
	offline "$PWB" --db "$TRASH/redir.sqlite" fetch --lore "$FAULT_URL/redirok/" "$MID" >out &&
	grep -q "12 messages (12 new)" out &&
	test "$(hits redirok)" = 1 && test "$(hits redir2)" = 1 && no_proxied
'
test_expect_success 'at most 5 redirects are followed' '
	before=$(db_digest) &&
	test_fails_with "cannot fetch .*redirects" \
		offline "$PWB" fetch --lore "$FAULT_URL/redirloop/" "$MID" &&
	test "$(hits redirloop)" = 6 &&
	test "$(db_digest)" = "$before"
'
test_expect_success 'nothing was half-stored by any of the failures' '
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM threads")" = 1 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM messages")" = 12 &&
	test "$(sqlite3 "$PWB_DB" "PRAGMA integrity_check")" = ok
'

test_done
