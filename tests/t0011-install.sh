#!/bin/sh
# make install and uninstall (DESTDIR, PREFIX): a copy of the clone is
# built and installed into a scratch DESTDIR, then moved away, so that
# the path compiled into pwb no longer exists; the installed pwb runs a
# recorded check with its data from PREFIX/share/pwb, its man pages and
# bash completion are there and say what --help says; the moved clone's
# own bin/pwb still finds its suites; make uninstall takes it all away.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-recorded.sh"

DEST="$TRASH/dest"
IPWB="$DEST/usr/bin/pwb"
MAN1="$DEST/usr/share/man/man1"
COMPL="$DEST/usr/share/bash-completion/completions/pwb"
unset PWB_DATADIR

if ! git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
	test_skip 'make install from a copy of the clone' 'not a git checkout'
	test_done
fi

test_expect_success 'setup: a copy of the clone (its files only) built and installed into DESTDIR' '
	mkdir clone &&
	(cd "$SRCDIR" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 tar cf - --ignore-failed-read) | tar xf - -C clone &&
	test -f clone/Makefile && test ! -e clone/bin &&
	nice env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C clone -j2 install DESTDIR="$DEST" PREFIX=/usr \
		CFLAGS="-O0 -g" DEVELOPER=0 >install.log 2>&1 &&
	test -x "$IPWB" && test -f "$MAN1/pwb.1" && test -f "$MAN1/pwb-check.1" &&
	test -f "$COMPL" &&
	test -f "$DEST/usr/share/pwb/bench/suites/mmn-pairing/suite.conf" &&
	test -f "$DEST/usr/share/pwb/bench/configs/qemu-x86_64.config" &&
	# the clone goes away: the path compiled into pwb is no more
	mv clone clone.moved && test ! -e clone
'

test_expect_success "$RECORDED_SETUP" '
	PWB="$IPWB" recorded_setup
'

test_expect_success 'the installed pwb checks a series with the suites it installed' '
	mkdir -p elsewhere && cd elsewhere &&
	"$IPWB" check ../three.mbox --tree t --suite mmn-pairing --on recorded \
		--json >../three.json 2>../three.err;
	test $? = 1 &&
	cd .. &&
	python3 -c "
import json; r = json.load(open(\"three.json\"))
assert r[\"verdict\"] == \"regression\", r[\"verdict\"]
c = {x[\"name\"]: x[\"verdict\"] for x in r[\"suites\"][0][\"cases\"]}
assert c[\"oom_4_fail_middle\"] == \"new-failure\", c" &&
	# a suite that is not there is looked for under the prefix
	"$IPWB" run --kernel /nonexistent --suite nosuch >/dev/null 2>err;
	test $? != 0 &&
	grep -q "$DEST/usr/share/pwb/bench/suites/nosuch" err
'

test_expect_success 'PWB_DATADIR and core.datadir still win over the prefix' '
	mkdir -p other/bench/suites &&
	PWB_DATADIR="$TRASH/other" "$IPWB" run --kernel /x --suite nosuch 2>err;
	grep -q "$TRASH/other/bench/suites/nosuch" err &&
	"$IPWB" -c core.datadir="$TRASH/other" run --kernel /x --suite nosuch 2>err;
	grep -q "$TRASH/other/bench/suites/nosuch" err
'

test_expect_success 'a moved clone: its bin/pwb finds the suites of its own tree' '
	"$TRASH/clone.moved/bin/pwb" run --kernel /x --suite nosuch 2>err;
	grep -q "$TRASH/clone.moved/bench/suites/nosuch" err &&
	"$TRASH/clone.moved/bin/pwb" check three.mbox --tree t --suite mmn-pairing \
		--on recorded >/dev/null 2>&1;
	test $? = 1
'

test_expect_success 'man pwb-check: the page renders, with every option --help lists' '
	MANWIDTH=100 man -l "$MAN1/pwb-check.1" >page 2>man.err &&
	grep -q "^NAME" page && grep -q "pwb-check - pre-merge check" page &&
	grep -q "^OPTIONS" page &&
	"$IPWB" check --help >help &&
	sed -n "s/^  \(-., \)\{0,1\}\(--[a-z-]*\).*/\2/p" help >opts &&
	test "$(wc -l <opts)" -gt 8 &&
	while read o; do
		grep -q -- "^ *\(-., \)\{0,1\}$o\\b" page ||
			{ echo "man lacks $o"; return 1; }
	done <opts &&
	# found by name through MANPATH, as man pwb-check after install
	MANPATH="$DEST/usr/share/man" MANWIDTH=100 man pwb-check >page2 2>&1 &&
	grep -q -- "--base REV" page2 &&
	MANPATH="$DEST/usr/share/man" MANWIDTH=100 man pwb >main 2>&1 &&
	grep -q "pwb-check(1)" main && grep -q "pwb-series(1)" main
'

test_expect_success 'a man page for each command pwb lists, and no other' '
	"$IPWB" --list-cmds | cut -f1 | sed "s/.*/pwb-&.1/" | sort >want &&
	echo pwb.1 >>want && sort -o want want &&
	ls "$MAN1" | sort >have &&
	test_cmp want have
'

test_expect_success 'the pages and completion are what this build of pwb makes of its tables' '
	sh "$SRCDIR/ci/gen-doc.sh" man "$PWB" made &&
	sh "$SRCDIR/ci/gen-doc.sh" completion "$PWB" made.bash &&
	for f in "$MAN1"/*.1; do
		test_cmp "$f" "made/${f##*/}" || return 1
	done &&
	test_cmp "$COMPL" made.bash
'

test_expect_success 'pwb help check on a terminal opens the installed page' '
	command -v script >/dev/null || { echo "no script(1)"; return 0; }
	MANPAGER=cat PAGER=cat MANWIDTH=100 script -qec "$IPWB help check" /dev/null >tty.raw &&
	# man on a terminal: bold by overstriking, lines ending CR LF
	sed -e "s/.$(printf "\b")//g" -e "s/$(printf "\r")\$//" tty.raw >tty.out &&
	grep -q "^NAME" tty.out && grep -q "pwb-check - pre-merge" tty.out &&
	# not a terminal: the --help text
	"$IPWB" help check >plain.out && ! grep -q "^NAME" plain.out &&
	grep -q "^usage: pwb check" plain.out
'

test_expect_success 'bash completion: commands, sub-commands, options and their values' '
	cat >comp.sh <<-\EOF &&
	. "$1"
	c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _pwb; echo "${COMPREPLY[*]}"; }
	c pwb ch
	c pwb check --b
	c pwb series ""
	c pwb --db x.sqlite check --on ""
	c pwb help seri
	complete -p pwb
	EOF
	bash comp.sh "$COMPL" >comp.out &&
	cat >comp.want <<-\EOF &&
	checkout check
	--base
	list show export
	local slurm recorded
	series
	complete -o bashdefault -o default -F _pwb pwb
	EOF
	test_cmp comp.want comp.out
'

test_expect_success 'make uninstall leaves nothing but empty directories' '
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C clone.moved uninstall DESTDIR="$DEST" PREFIX=/usr >uninstall.log 2>&1 &&
	test -d "$DEST/usr/bin" &&
	test "$(find "$DEST" ! -type d | wc -l)" = 0 &&
	test ! -e "$DEST/usr/share/pwb" &&
	rm -rf clone.moved
'

test_done
