#!/bin/sh
# Fast QEMU tier: Debian's prebuilt kernel (linux-image-amd64) booted with a
# pwb initramfs under TCG: markers, a deliberate panic, a hang caught by the
# no-output timeout, pwb killed mid-boot, and infrastructure errors.  Each
# boot carries a unique token on its command line so the test can check
# that no QEMU is left behind.
. "$(dirname "$0")/lib.sh"

KERNEL=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$KERNEL" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	test_skip "fast QEMU tier" "no /boot/vmlinuz-* or QEMU (make deps)"
	test_done
fi
TOKEN="pwbtest.$$.$(date +%s)"
no_qemu_left() { ! pgrep -f "$TOKEN" >/dev/null; }
test_at_exit "pkill -f $TOKEN"
boot() { "$PWB" boot --kernel "$KERNEL" --append "$TOKEN" "$@"; }

test_expect_success 'a boot runs /init between the markers and powers off' '
	echo "guest file" >payload &&
	boot --file "$TRASH/payload:/pwb/payload" \
		--run "cat /pwb/payload; uname -r" --json --log console.log >b.json &&
	python3 -c "
import json; b = json.load(open(\"b.json\"))
assert b[\"status\"] == \"ok\" and b[\"end_status\"] == 0 and b[\"findings\"] == [], b
assert b[\"accel\"] in (\"tcg\", \"kvm\")" &&
	grep -q "^### pwb-init: start" console.log &&
	grep -q "^guest file" console.log &&
	grep -q "^### pwb-init: end status=0" console.log &&
	test "$(sqlite3 "$PWB_DB" "SELECT status, length(console_gz) > 100 FROM boots")" = "ok|1" &&
	no_qemu_left
'

test_expect_success 'the command status comes back from the guest' '
	boot --run "exit 3" --json >b.json &&
	python3 -c "import json; b = json.load(open(\"b.json\")); assert b[\"end_status\"] == 3, b"
'

test_expect_success 'a panic from /init is a kernel failure (exit 1), QEMU gone' '
	boot --run "echo c > /proc/sysrq-trigger" --json >b.json; test $? = 1 &&
	python3 -c "
import json; b = json.load(open(\"b.json\"))
assert b[\"status\"] == \"kernel-failure\" and b[\"end_status\"] is None, b
t = [(f[\"kind\"], f[\"title\"]) for f in b[\"findings\"]]
assert (\"panic\", \"Kernel panic - not syncing: sysrq triggered crash\") in t, t" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM findings WHERE kind = '"'"'panic'"'"'")" = 1 &&
	no_qemu_left
'

test_expect_success 'a hang: the no-output timeout fires and nothing is left running' '
	boot --run "sleep 600" --idle-timeout 5 --json >b.json; test $? = 1 &&
	python3 -c "
import json; b = json.load(open(\"b.json\"))
assert b[\"status\"] == \"timeout\", b
assert [f[\"kind\"] for f in b[\"findings\"]] == [\"timeout\"], b" &&
	no_qemu_left
'

test_expect_success 'pwb killed mid-boot takes QEMU with it and records it' '
	"$PWB" boot --kernel "$KERNEL" --append "$TOKEN" --run "sleep 600" >out 2>err &
	pid=$! &&
	i=0 && while ! pgrep -f "$TOKEN" >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done &&
	sleep 1 && kill -TERM $pid;
	wait $pid; rc=$? &&
	test $rc = 130 &&
	no_qemu_left &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM boots ORDER BY id DESC LIMIT 1")" = interrupted
'

test_expect_success 'Ctrl-C after /init started: interrupted, and no failure finding' '
	"$PWB" boot --kernel "$KERNEL" --append "$TOKEN" --run "sleep 600" --echo \
		>out 2>err &
	pid=$! &&
	i=0 && while ! grep -q "^### pwb-init: start" err && [ $i -lt 600 ]; do
		sleep 0.1; i=$((i+1)); done &&
	grep -q "^### pwb-init: start" err &&
	kill -INT $pid;
	wait $pid; rc=$? &&
	test $rc = 130 &&
	no_qemu_left &&
	id=$(sqlite3 "$PWB_DB" "SELECT max(id) FROM boots") &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM boots WHERE id = $id")" = interrupted &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM findings WHERE boot_id = $id")" = 0 &&
	! grep -q "FAILURE\|unexpected-reboot" out
'

test_expect_success 'pwb killed with SIGKILL mid-boot: QEMU dies with it' '
	"$PWB" boot --kernel "$KERNEL" --append "$TOKEN" --run "sleep 600" >out 2>err &
	pid=$! &&
	i=0 && while ! pgrep -f "$TOKEN" >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done &&
	sleep 1 && kill -KILL $pid;
	wait $pid;
	sleep 0.5 &&
	no_qemu_left
'

# A test repeating one line for minutes (6.1's kselftest harness in a
# failing teardown printed 16 MiB in 95 s, and the console cap cut off its
# KTAP plan): the console keeps the line once and a count, so the cases
# around it are still read.
test_expect_success 'a flood of one line is kept once with its count, the KTAP around it read' '
	boot --run "echo \"TAP version 13\"; echo 1..2; echo \"ok 1 before\"; yes \"# snapshot: Expected ret (-1) == 0 (0)\" | head -n 40000; echo \"not ok 2 snapshot\"" \
		--json --log flood.log >b.json &&
	python3 - flood.log <<-\EOF &&
	import re, sys
	text = open(sys.argv[1], "rb").read().decode()
	lines = text.count("# snapshot: Expected ret (-1) == 0 (0)")
	more = sum(int(n) for n in re.findall(r"\[pwb: the line above repeated (\d+) more times\]", text))
	assert lines + more == 40000 and 0 < lines < 100, (lines, more)
	assert len(text) < 200000, len(text)
	EOF
	"$PWB" ktap flood.log >cases; test $? = 1 &&
	printf "pass     before\nfail     snapshot\n" >want && test_cmp want cases &&
	no_qemu_left
'

test_expect_success 'QEMU killed from outside: an infrastructure error, not the kernel' '
	"$PWB" boot --kernel "$KERNEL" --append "$TOKEN" --run "sleep 600" --json >k.json 2>err &
	pid=$! &&
	i=0 && while ! pgrep -f "$TOKEN" >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done &&
	sleep 2 && pkill -KILL -f "qemu-system-x86_64 .*$TOKEN";
	wait $pid; rc=$? &&
	test $rc = 3 &&
	grep -q "QEMU was killed by signal 9" err &&
	python3 -c "
import json; b = json.load(open(\"k.json\"))
assert b[\"status\"] == \"infra-error\", b
assert not [f for f in b[\"findings\"] if f[\"failure\"]], b" &&
	no_qemu_left
'

test_expect_success 'infrastructure errors exit 3 and are no kernel failure' '
	test_fails_with "kernel image /no/such/kernel" "$PWB" boot --kernel /no/such/kernel;
	"$PWB" boot --kernel /no/such/kernel 2>/dev/null; test $? = 3 &&
	"$PWB" -c boot.qemu=/no/such/qemu boot --kernel "$KERNEL" 2>err; test $? = 3 &&
	grep -q "QEMU is missing" err &&
	echo "not a kernel" >junk && boot --kernel "$TRASH/junk" 2>err; test $? = 3 ||
	{ cat err; false; } &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM findings f JOIN boots b ON b.id = f.boot_id WHERE b.status = '"'"'infra-error'"'"'")" = 0
'

test_expect_success 'boot without --kernel or --tree is a usage error' '
	test_fails_with "boot needs --kernel" "$PWB" boot
'

# A KVM that opens and starts QEMU but runs no kernel (a nested host's
# PVM module here: SeaBIOS, then nothing): a QEMU that prints SeaBIOS's
# line and hangs under -accel kvm, the real one under TCG.
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	test_expect_success 'a KVM that runs no kernel: said once, TCG used, remembered for the host boot' '
		mkdir -p kvmcache &&
		printf "%s\n" "#!/bin/sh" \
			"case \" \$* \" in *\" -accel kvm \"*) echo SeaBIOS; sleep 120 ;; esac" \
			"exec qemu-system-x86_64 \"\$@\"" >hangkvm &&
		chmod +x hangkvm &&
		PWB_CACHE="$TRASH/kvmcache" "$PWB" -c sandbox.enabled=false \
			-c boot.qemu="$TRASH/hangkvm" boot --kernel "$KERNEL" \
			--append "$TOKEN" --run "echo hi" --json >k1.json 2>k1.err &&
		grep -q "KVM runs no kernel here" k1.err &&
		python3 -c "import json; b = json.load(open(\"k1.json\")); assert (b[\"status\"], b[\"accel\"]) == (\"ok\", \"tcg\"), b" &&
		grep -q " broken$" kvmcache/kvm-probe &&
		PWB_CACHE="$TRASH/kvmcache" "$PWB" -c sandbox.enabled=false \
			-c boot.qemu="$TRASH/hangkvm" boot --kernel "$KERNEL" \
			--append "$TOKEN" --run "echo hi" --json >k2.json 2>k2.err &&
		! grep -q "KVM" k2.err &&
		python3 -c "import json; b = json.load(open(\"k2.json\")); assert b[\"accel\"] == \"tcg\", b" &&
		no_qemu_left && ! pgrep -f "$TRASH/hangkvm" >/dev/null
	'
fi

test_done
