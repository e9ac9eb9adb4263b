#!/bin/sh
# Conformance with git's own mailinfo test vectors (git t/t5100), read from
# $PWB_PEER_DIR/git-t5100.  Samples pwb treats differently on purpose are
# in docs/mailinfo-conformance.md; for those the test checks that the
# difference is exactly the documented one.
. "$(dirname "$0")/lib.sh"

if [ ! -d "$PEER_T5100" ]; then
	test_skip "git t5100 vectors" "no $PEER_T5100"
	test_done
fi
P=$PEER_T5100

test_expect_success 'mailsplit cuts sample.mbox as git mailsplit does' '
	mkdir -p ours theirs &&
	"$PWB" mailsplit "$P/sample.mbox" ours >count &&
	echo 18 >expect && test_cmp expect count &&
	git mailsplit -otheirs "$P/sample.mbox" >/dev/null &&
	for f in theirs/*; do test_cmp "$f" "ours/${f#theirs/}" || return 1; done
'

for n in 0001 0002 0003 0004 0005 0006 0007 0008 0009 0010 0012 0013 0014 0015 0016 0017 0018; do
	test_expect_success "sample $n: info, message and patch equal git's" "
		\"\$PWB\" mailinfo msg$n patch$n <ours/$n >info$n &&
		test_cmp \"\$P/info$n\" info$n &&
		test_cmp \"\$P/msg$n\" msg$n &&
		test_cmp \"\$P/patch$n\" patch$n
	"
done

test_expect_success 'sample 0011: same info and message; patch without trailing blank lines (documented)' '
	"$PWB" mailinfo msg11 patch11 <ours/0011 >info11 &&
	test_cmp "$P/info0011" info11 && test_cmp "$P/msg0011" msg11 &&
	sed -e :a -e "/^\n*\$/{\$d;N;ba" -e "}" "$P/patch0011" >expect11 &&
	test_cmp expect11 patch11
'

test_expect_success 'rfc2047 samples: names and subjects decode as in git' '
	"$PWB" mailsplit "$P/rfc2047-samples.mbox" rfc >/dev/null &&
	for f in rfc/*; do
		n=${f#rfc/}
		"$PWB" mailinfo m p <"$f" >i || return 1
		test_cmp "$P/rfc2047-info-$n" i || return 1
	done
'

test_expect_success 'mboxrd: >From lines lose one > (sample.mboxrd)' '
	"$PWB" mailsplit --mboxrd "$P/sample.mboxrd" rd >/dev/null &&
	"$PWB" mailinfo rd/m1 rd/p1 <rd/0001 >/dev/null &&
	"$PWB" mailinfo rd/m2 rd/p2 <rd/0002 >/dev/null &&
	test_cmp "$P/0001mboxrd" rd/m1 && test_cmp "$P/0002mboxrd" rd/m2
'

for c in info-from embed-from comment quoted-string; do
	test_expect_success "$c: info equals git's" "
		\"\$PWB\" mailinfo m p <\"\$P/$c.in\" >info &&
		test_cmp \"\$P/$c.expect\" info
	"
done

test_expect_success 'quoted-from: message equals git'"'"'s' '
	"$PWB" mailinfo m p <"$P/quoted-from.in" >/dev/null &&
	test_cmp "$P/quoted-from.expect" m
'

# git's expected files write CR as %%; pwb drops the CR of a CRLF line end
test_expect_success 'quoted-cr: CRs ending lines of a base64 body are stripped (documented)' '
	"$PWB" mailsplit "$P/quoted-cr.mbox" qcr >/dev/null &&
	"$PWB" mailinfo m p <qcr/0001 >info &&
	test_cmp "$P/quoted-cr-info" info &&
	cr=$(printf "\r") &&
	sed -e "s/%%\$//" -e "s/%%/$cr/g" "$P/quoted-cr-msg" >expect-msg &&
	test_cmp expect-msg m &&
	sed -e "s/%%\$//" -e "s/%%/$cr/g" "$P/quoted-cr-patch" >expect-patch &&
	test_cmp expect-patch p
'

test_expect_success 'nul-b64: a NUL byte is dropped from the text (documented)' '
	"$PWB" mailinfo m p <"$P/nul-b64.in" >/dev/null &&
	tr -d "\000" <"$P/nul-b64.expect" >expect && test_cmp expect p
'

test_done
