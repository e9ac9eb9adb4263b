#!/bin/sh
# git's conventions in the terminal: did-you-mean, the pager, colours,
# -q/-v anywhere, closed pipes, ~ in paths, the cache directory.
. "$(dirname "$0")/lib.sh"

MBOX="$SRCDIR/tests/fixtures/threads/mmn-pairing.mbox"

test_expect_success 'setup: a stored thread' '
	"$PWB" fetch "$MBOX" >/dev/null
'

test_expect_success 'a mistyped command suggests the nearest ones' '
	test_fails_with "'"'"'chek'"'"' is not a pwb command; did you mean check?" "$PWB" chek &&
	test_fails_with "did you mean check?" "$PWB" help chek &&
	test_fails_with "not a pwb command; see '"'"'pwb help'"'"'" "$PWB" frobnicate
'

test_expect_success 'a mistyped sub-command suggests the nearest ones' '
	test_fails_with "unknown series subcommand '"'"'lst'"'"'; did you mean list?" "$PWB" series lst &&
	test_fails_with "unknown job subcommand '"'"'imprt'"'"'; did you mean import?" "$PWB" job imprt
'

test_expect_success 'a mistyped suite suggests the nearest ones' '
	: >img &&
	test_fails_with "suite mmn-pairng: .*/suite.conf: no such suite; did you mean mmn-pairing?" \
		"$PWB" run --kernel img --suite mmn-pairng
'

test_expect_success "~ in core.db and --db= is the home directory (git's --type=path)" '
	mkdir wd && git config -f "$XDG_CONFIG_HOME/pwb/config" core.db "~/tilde.sqlite" &&
	(cd wd && unset PWB_DB && "$PWB" fetch "$MBOX" >/dev/null) &&
	git config -f "$XDG_CONFIG_HOME/pwb/config" --unset core.db &&
	test -f "$HOME/tilde.sqlite" && test ! -e "wd/~" &&
	(cd wd && "$PWB" --db=~/tilde2.sqlite fetch "$MBOX" >/dev/null) &&
	test -f "$HOME/tilde2.sqlite" && test ! -e "wd/~"
'

# tty CMD...: CMD with stdout and stderr on a terminal (script(1)'s pty)
tty() {
	script -qec "$*" /dev/null </dev/null
}

test_expect_success 'on a terminal, long output goes through the pager; --no-pager, --json and a pipe do not' '
	PAGER="sed s/^/PAGED:/" tty "\"$PWB\" series list" >out &&
	grep -q "^PAGED:.*mm, notifier" out &&
	PAGER="sed s/^/PAGED:/" tty "\"$PWB\" series list --no-pager" >out &&
	grep -q "mm, notifier" out && ! grep -q PAGED out &&
	PAGER="sed s/^/PAGED:/" tty "\"$PWB\" -P series show 1" >out &&
	grep -q "mm, notifier" out && ! grep -q PAGED out &&
	PAGER="sed s/^/PAGED:/" tty "\"$PWB\" series list --json" >out &&
	grep -q "\"subject\"" out && ! grep -q PAGED out &&
	PAGER="sed s/^/PAGED:/" "$PWB" series list >out &&
	grep -q "mm, notifier" out && ! grep -q PAGED out
'

test_expect_success 'the pager: PWB_PAGER, then core.pager, then PAGER; cat is none; LESS=FRX; pwb waits for it' '
	PWB_PAGER="sed s/^/PWB:/" PAGER="sed s/^/PAGER:/" tty "\"$PWB\" -c core.pager=\"sed s/^/CORE:/\" series list" >out &&
	grep -q "^PWB:" out &&
	PAGER="sed s/^/PAGER:/" tty "\"$PWB\" -c core.pager=\"sed s/^/CORE:/\" series list" >out &&
	grep -q "^CORE:" out &&
	PWB_PAGER=cat PAGER="sed s/^/PAGER:/" tty "\"$PWB\" series list" >out &&
	! grep -q "PAGER:" out && grep -q "mm, notifier" out &&
	unset LESS &&
	PAGER="echo LESS=\$LESS; cat >/dev/null; echo paged >\"$TRASH/paged\"" tty "\"$PWB\" thread 1" >out &&
	grep -q "^LESS=FRX" out && test -f paged
'

test_expect_success '--color=auto|always|never, color.ui; TERM=dumb and NO_COLOR: none' '
	test_fails_with "--color=sometimes: auto, always or never" "$PWB" --color=sometimes version &&
	test_fails_with "color.ui = .maybe.: auto, always or never" "$PWB" -c color.ui=maybe version &&
	"$PWB" version --color=never >/dev/null &&
	"$PWB" -c color.ui=always version >/dev/null
'

test_expect_success 'a reader that went away (| head) ends pwb quietly' '
	for c in "series export 1" "series show 1" "thread 1" "series show --json 1"; do
		python3 -c "
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
sys.stderr.buffer.write(p.stderr)
sys.exit(0 if p.returncode in (-13, 141) else 1)
" "$PWB" $c 2>err || { echo "$c: exit status"; cat err; return 1; }
		test ! -s err || { echo "$c:"; cat err; return 1; }
	done
'

test_expect_success '-q and -v mean the same before or after the command' '
	"$PWB" -q fetch "$MBOX" >o1 2>e1 &&
	"$PWB" fetch "$MBOX" -q >o2 2>e2 &&
	test_cmp o1 o2 && test_cmp e1 e2 &&
	"$PWB" -v series list >o1 &&
	"$PWB" series list --verbose >o2 &&
	test_cmp o1 o2 &&
	"$PWB" series list -- -q 2>err; test $? = 129 &&
	grep -q "series list takes only --json" err
'

test_expect_success 'pwb report N is check N; --series N and series:N the newest check of series N; it says which' '
	sqlite3 "$PWB_DB" "INSERT INTO checks (id, series_id, source, repo_path,
		config_name, repeat, status, verdict, started_at, finished_at)
		VALUES (1, 2, '"'"'2'"'"', '"'"'/x'"'"', '"'"'qemu-x86_64'"'"', 1, '"'"'done'"'"',
		'"'"'no-regression'"'"', 1, 2)" &&
	"$PWB" report 1 >out 2>err &&
	grep -q "^check 1: " out && grep -q "series 2 v1" out &&
	grep -q "^pwb: check 1, of series 2 (for series 1: pwb report --series 1)" err &&
	"$PWB" report --series 2 >out 2>err &&
	grep -q "^check 1: " out && test ! -s err &&
	"$PWB" report series:2 >out2 && test_cmp out out2 &&
	test_fails_with "series 1 has not been checked" "$PWB" report --series 1 &&
	test_fails_with "no check 2; for series 2: pwb report --series 2" "$PWB" report 2 &&
	test_fails_with "a CHECK or --series SERIES, not both" "$PWB" report 1 --series 2
'

test_expect_success 'pwb tree remove forgets a name, not the repository; a wrong name suggests' '
	git init -q repo && git -C repo commit -q --allow-empty -m one &&
	"$PWB" tree add linux repo >/dev/null &&
	test_fails_with "unknown tree subcommand .rmove.; did you mean remove?" "$PWB" tree rmove linux &&
	test_fails_with "no tree named .linx. (pwb tree list); did you mean linux?" "$PWB" tree remove linx &&
	"$PWB" tree remove linux >out &&
	grep -q "^tree linux removed (.*/repo stays on disk)" out &&
	"$PWB" tree list >out && ! grep -q linux out &&
	test -d repo/.git &&
	"$PWB" tree add linux repo >/dev/null &&
	test_fails_with "tree remove takes one NAME" "$PWB" tree remove
'

test_expect_success 'smaller things: series show/export without SERIES, thread SERIES, fetch of a non-mbox' '
	test_fails_with "series show needs a SERIES (an id from .pwb series list., a message-id or a URL)" \
		"$PWB" series show &&
	test_fails_with "series export needs a SERIES" "$PWB" series export &&
	"$PWB" thread 1 >by-id &&
	"$PWB" thread "<20190815073000.2000-0-mhocko@example.com>" >by-msgid &&
	test_cmp by-id by-msgid && test -s by-id &&
	test_fails_with "README.md is not an mbox (no \"From \" line) nor a mail (no headers)" \
		"$PWB" fetch "$SRCDIR/README.md" &&
	printf "hello\n" >hello &&
	test_fails_with "stdin is not an mbox" "$PWB" fetch - <hello
'

test_expect_success 'check --help: --base, --config once (the last wins), matrix: repeatable; --on names recorded everywhere' '
	"$PWB" check --help >h &&
	grep -q "^  --base REV .*(the last given wins)$" h &&
	! grep -q "^  --\(base\|config\|arch\|toolchain\) .*(repeatable)" h &&
	"$PWB" matrix --help >h &&
	grep -q "^  --base REV .*(repeatable)$" h &&
	for c in run bisect bisect-step check matrix; do
		"$PWB" $c --help >h &&
		! grep "^usage:.*--on local|slurm\]" h || return 1
	done
'

test_expect_success 'padding counts display columns: "Jérôme Glisse" aligns with "Michal Hocko"' '
	"$PWB" thread 2 >t.txt &&
	python3 -c "
lines = open(\"t.txt\", encoding=\"utf-8\").read().splitlines()
col = {l.index(\"[PATCH\") for l in lines if (\" [PATCH 1/3]\" in l or \" [PATCH 2/3]\" in l) and \"Re:\" not in l}
assert len(col) == 1, (col, lines)
assert any(\"Jérôme Glisse\" in l for l in lines)
"
'

test_done
