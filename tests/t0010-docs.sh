#!/bin/sh
# The docs that are generated or point somewhere: docs/config.md is what
# `pwb help config --markdown` prints from the table of keys (make docs
# regenerates it), `pwb help` names `help config`, and every relative
# link of README.md and docs/*.md names a file that is there.
. "$(dirname "$0")/lib.sh"

test_expect_success 'docs/config.md is the table of keys (make docs)' '
	"$PWB" help config --markdown >config.md &&
	test_cmp config.md "$SRCDIR/docs/config.md" ||
	{ echo "docs/config.md differs from the table of keys: run make docs"; false; }
'

test_expect_success 'every key pwb help config lists is in docs/config.md' '
	"$PWB" help config >keys &&
	sed -n "s/^  \([a-z]*\.[a-z]*\) .*/\1/p" keys >names &&
	test "$(wc -l <names)" -ge 30 &&
	while read k; do
		grep -q "^| \`$k\` |" "$SRCDIR/docs/config.md" ||
		{ echo "$k missing"; return 1; }
	done <names
'

test_expect_success 'pwb help says help config; help config takes only --markdown' '
	"$PWB" help >h &&
	grep -q "pwb help config" h &&
	test_expect_code 129 "$PWB" help config --bogus 2>err &&
	grep -q "unknown option" err &&
	test_expect_code 129 "$PWB" help config extra 2>/dev/null
'

test_expect_success 'README and docs link only to files that are there' '
	for f in "$SRCDIR/README.md" "$SRCDIR"/docs/*.md "$SRCDIR/bench/README.md"; do
		d=$(dirname "$f")
		grep -o "](\([^)#:]*\)[)#]" "$f" | sed "s/^](//; s/[)#]$//" |
		while read l; do
			test -e "$d/$l" || { echo "$f: $l"; exit 1; }
		done || return 1
	done
'

test_expect_success 'README: the two set-up commands, a real lore thread, no dated timings' '
	R="$SRCDIR/README.md" &&
	grep -q "^    make demo" "$R" &&
	grep -q "^    make check" "$R" &&
	grep -q "pwb fetch https://lore.kernel.org/" "$R" &&
	! grep -n "on 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]" "$R"
'

test_done
