#!/bin/sh
# Kernel tier: build the reference 6.1 tree with bench/configs/qemu-x86_64
# and boot it; the same build again is not rebuilt; a commit with a syntax
# error is recorded as a failed build with its first error lines; a config
# option that cannot take is named before anything is built.
. "$(dirname "$0")/lib.sh"
kernel_tier

test_expect_success 'setup: a tree with a broken commit' '
	REF=$(ref_tree) &&
	git clone -q --shared --no-checkout "$REF" linux &&
	git -C linux read-tree v6.1-debian &&
	git -C linux show v6.1-debian:mm/oom_kill.c >oom_kill.c &&
	sed "0,/^static bool __oom_reap_task_mm/s//static bool __oom_reap_task_mm this is not C;\\n&/" \
		oom_kill.c >broken.c &&
	blob=$(git -C linux hash-object -w "$TRASH/broken.c") &&
	git -C linux update-index --cacheinfo "100644,$blob,mm/oom_kill.c" &&
	tree=$(git -C linux write-tree) &&
	c=$(git -C linux commit-tree "$tree" -p v6.1-debian -m "mm: break the build") &&
	git -C linux branch broken "$c" &&
	"$PWB" tree add linux linux
'

test_expect_success 'build v6.1-debian with qemu-x86_64.config' '
	"$PWB" build --tree linux --rev v6.1-debian --json >b.json &&
	python3 -c "
import json; b = json.load(open(\"b.json\"))
assert b[\"status\"] == \"ok\" and not b[\"cached\"], b
assert b[\"bzimage_size\"] > 500000 and b[\"vmlinux_size\"] > b[\"bzimage_size\"], b
assert b[\"toolchain\"].startswith(\"gcc\"), b
assert (b[\"arch\"], b[\"compiler\"]) == (\"x86_64\", \"gcc\"), b" &&
	grep -qx "CONFIG_KVM=y" "$KWORK/cache/build/linux/x86_64-gcc/qemu-x86_64/.config" &&
	grep -qx "CONFIG_MMU_NOTIFIER=y" "$KWORK/cache/build/linux/x86_64-gcc/qemu-x86_64/.config"
'

test_expect_success 'the built kernel boots to the end marker' '
	"$PWB" boot --tree linux --rev v6.1-debian --run "cat /proc/version" \
		--json --log k.log >boot.json &&
	python3 -c "
import json; b = json.load(open(\"boot.json\"))
assert b[\"status\"] == \"ok\" and b[\"end_status\"] == 0, b
assert b[\"build\"][\"cached\"], b[\"build\"]" &&
	grep -q "^Linux version 6.1" k.log
'

test_expect_success 'triage --vmlinux: a raw RIP of this build resolved against its vmlinux' '
	v="$KWORK/cache/build/linux/x86_64-gcc/qemu-x86_64/vmlinux" && test -f "$v" &&
	a=$(nm "$v" | sed -n "s/^\([0-9a-f]*\) T mmu_notifier_register\$/\1/p") && test -n "$a" &&
	rip=$(python3 -c "print(\"%x\" % (0x$a + 4))") &&
	{ printf "[    1.0] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
	  printf "[    1.0] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
	  printf "[    1.0] RIP: 0010:0x%s\n" "$rip"
	  printf "[    1.0] Kernel panic - not syncing: Fatal exception\n"; } >raw.log &&
	test_expect_code 1 "$PWB" triage --json --vmlinux "$v" raw.log >sym.json &&
	grep -q "RIP: 0010:mmu_notifier_register+0x4/0x[0-9a-f]*" sym.json
'

test_expect_success 'the same tree, config and toolchain is not built again' '
	"$PWB" build --tree linux --rev v6.1-debian >out &&
	grep -q "already built" out &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM builds WHERE cached_from IS NOT NULL")" = 2
'

test_expect_success 'artifacts deleted between runs: built again on demand' '
	rm -rf "$KWORK/cache/artifacts" &&
	"$PWB" build --tree linux --rev v6.1-debian --json >again.json &&
	python3 -c "
import json, os; b = json.load(open(\"again.json\"))
assert b[\"status\"] == \"ok\" and not b[\"cached\"], b
assert os.path.exists(b[\"bzimage\"])"
'

test_expect_success 'a series whose Makefile writes outside and dials out: a failed build, nothing outside' '
	port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); print(s.getsockname()[1]); s.close()") ||
		return 1
	python3 -c "
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"127.0.0.1\", int(sys.argv[1]))); s.listen(5)
while True:
    c, a = s.accept(); open(sys.argv[2], \"a\").write(\"connected\\n\"); c.close()
" "$port" "$TRASH/dialed" &
	echo $! >listener &&
	test_at_exit "kill $(cat listener) 2>/dev/null; rm -f /var/lib/pwb-escape-$$" &&
	git -C linux show v6.1-debian:mm/Makefile >Makefile.mm &&
	cat >escape.mk <<-\EOF &&

	$(obj)/oom_kill.o: $(obj)/pwb-escape
	$(obj)/pwb-escape: FORCE
	TAB-python3 -c "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 3)" 127.0.0.1 PORT
	TABtouch /var/lib/pwb-escape-TOKEN
	TABtouch $@
	EOF
	sed -e "s/TAB/\t/" -e "s/PORT/$port/" -e "s/TOKEN/$$/" escape.mk >>Makefile.mm &&
	blob=$(git -C linux hash-object -w "$TRASH/Makefile.mm") &&
	git -C linux read-tree v6.1-debian &&
	git -C linux update-index --cacheinfo "100644,$blob,mm/Makefile" &&
	c=$(git -C linux commit-tree "$(git -C linux write-tree)" -p v6.1-debian -m "mm: a Makefile that escapes") &&
	git -C linux branch escape "$c" &&
	"$PWB" build --tree linux --rev escape --json >esc.json 2>esc.err; test $? = 2 &&
	python3 -c "
import json; b = json.load(open(\"esc.json\"))
assert b[\"status\"] == \"failed\", b
assert \"pwb-escape\" in b[\"error\"], b[\"error\"]" &&
	test ! -e "/var/lib/pwb-escape-$$" &&
	test ! -s "$TRASH/dialed" &&
	PWB_SANDBOX=0 "$PWB" build --tree linux --rev escape >/dev/null 2>&1 &&
	test -e "/var/lib/pwb-escape-$$" &&
	test -s "$TRASH/dialed"
'

test_expect_success 'a syntax error is a failed build with its error lines' '
	"$PWB" build --tree linux --rev broken --json >f.json 2>f.err; test $? = 2 &&
	python3 -c "
import json; b = json.load(open(\"f.json\"))
assert b[\"status\"] == \"failed\" and b[\"bzimage\"] is None, b
assert \"mm/oom_kill.c\" in b[\"error\"] and \"error:\" in b[\"error\"], b[\"error\"]" &&
	grep -q "build failed: .*mm/oom_kill.c" f.err &&
	test "$(sqlite3 "$PWB_DB" "SELECT status, length(log_gz) > 100 FROM builds ORDER BY id DESC LIMIT 1")" = "failed|1"
'

test_expect_success 'an option that does not take is named before building' '
	cp "$SRCDIR/bench/configs/qemu-x86_64.config" bad.config &&
	echo CONFIG_PWB_NO_SUCH_OPTION=y >>bad.config &&
	"$PWB" build --tree linux --rev v6.1-debian --config "$TRASH/bad.config" 2>err; test $? = 2 &&
	grep -q "CONFIG_PWB_NO_SUCH_OPTION=y" err &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM builds ORDER BY id DESC LIMIT 1")" = config-error
'

test_done
