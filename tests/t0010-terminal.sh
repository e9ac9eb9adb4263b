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
	test_fails_with "no suite '"'"'mmn-pairng'"'"' in .*; did you mean mmn-pairing?" \
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

test_done
