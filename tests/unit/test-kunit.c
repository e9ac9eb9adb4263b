/* kunit.c: a kunitconfig read as kunit_tool writes them and checked
 * against a .config; filter_glob as KUnit's executor matches it; the KUnit
 * modules of a build found by their .kunit_test_suites section (ELF files
 * written here with libelf), the core loaded first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kunit.h"
#include "suite.h"
#include "util/buf.h"
#include "util/util.h"

static char *tmpdir(void)
{
	char t[] = "/tmp/pwb-test-kunit.XXXXXX";

	assert_non_null(mkdtemp(t));
	return xstrdup(t);
}

static char *put(const char *dir, const char *name, const char *text)
{
	char *p = xstrfmt("%s/%s", dir, name);

	assert_int_equal(write_file(p, text, strlen(text)), 0);
	return p;
}

static void rm_rf(const char *dir)
{
	char *cmd = xstrfmt("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void test_config(void **state)
{
	char *d = tmpdir(), *why = NULL, *kc, *dot;
	struct kunit_config c;

	(void)state;
	kc = put(d, "kunitconfig", "# what the suite needs\n\nCONFIG_KUNIT=y\n"
		 "  CONFIG_LIST_KUNIT_TEST=m  \n# CONFIG_KUNIT_DEBUGFS is not set\n"
		 "CONFIG_LOG_BUF_SHIFT=17\n");
	assert_int_equal(kunit_config_load(kc, &c, &why), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.opt[1].name, "CONFIG_LIST_KUNIT_TEST");
	assert_string_equal(c.opt[1].value, "m");
	assert_int_equal(c.opt[1].line, 4);
	assert_string_equal(c.opt[2].name, "CONFIG_KUNIT_DEBUGFS");
	assert_string_equal(c.opt[2].value, "n");

	/* =y is met by a module, =m by built in; values exactly; not set */
	dot = put(d, ".config", "CONFIG_KUNIT=m\nCONFIG_LIST_KUNIT_TEST=y\n"
		  "# CONFIG_KUNIT_DEBUGFS is not set\nCONFIG_LOG_BUF_SHIFT=17\n");
	assert_int_equal(kunit_config_check(&c, dot, &why), 0);
	assert_null(why);
	free(dot);
	dot = put(d, ".config", "CONFIG_KUNIT=m\nCONFIG_LOG_BUF_SHIFT=17\n");
	assert_int_equal(kunit_config_check(&c, dot, &why), -1);
	assert_string_equal(why, "the kernel's config has CONFIG_LIST_KUNIT_TEST=n, "
			    "its kunitconfig asks for CONFIG_LIST_KUNIT_TEST=m "
			    "(line 4): set it in the config fragment");
	free(why);
	free(dot);
	dot = put(d, ".config", "CONFIG_KUNIT=m\nCONFIG_LIST_KUNIT_TEST=m\n"
		  "CONFIG_KUNIT_DEBUGFS=y\nCONFIG_LOG_BUF_SHIFT=17\n");
	assert_int_equal(kunit_config_check(&c, dot, &why), -1);
	assert_non_null(strstr(why, "CONFIG_KUNIT_DEBUGFS=y, its kunitconfig asks "
			       "for CONFIG_KUNIT_DEBUGFS=n"));
	free(why);
	free(dot);
	kunit_config_release(&c);
	free(kc);

	/* a line that is not an option: the file and line */
	kc = put(d, "kunitconfig", "CONFIG_KUNIT=y\nKUNIT=y\n");
	assert_int_equal(kunit_config_load(kc, &c, &why), -1);
	assert_non_null(strstr(why, "kunitconfig:2: not CONFIG_NAME=VALUE: KUNIT=y"));
	assert_int_equal(c.n, 0);
	free(why);
	free(kc);
	kc = put(d, "kunitconfig", "CONFIG_KUNIT=\n");
	assert_int_equal(kunit_config_load(kc, &c, &why), -1);
	free(why);
	free(kc);
	rm_rf(d);
	free(d);
}

static void test_filter(void **state)
{
	(void)state;
	assert_true(kunit_filter_match(NULL, "list-kunit-test.list_test_list_init"));
	assert_true(kunit_filter_match("list-kunit-test", "list-kunit-test.list_test_list_init"));
	assert_true(kunit_filter_match("list*", "list-kunit-test.list_test_list_init"));
	assert_false(kunit_filter_match("memcpy", "list-kunit-test.list_test_list_init"));
	assert_true(kunit_filter_match("list*.*_del*", "list-kunit-test.list_test_list_del_init"));
	assert_false(kunit_filter_match("list*.*_add", "list-kunit-test.list_test_list_del"));
	/* the test part never matches a suite-level result */
	assert_false(kunit_filter_match("list*.x", "list-kunit-test"));
	assert_true(kunit_filter_match("slub_test", "slub_test.test_clobber_zone"));
	assert_true(kunit_filter_valid("list*.*_del*"));
	assert_true(kunit_filter_valid("slub_[ct]est"));
	assert_false(kunit_filter_valid(""));
	assert_false(kunit_filter_valid("x' ; reboot -f '"));
	assert_false(kunit_filter_valid("a b"));
}

static void test_filter_ktap(void **state)
{
	struct ktap k;

	(void)state;
	assert_int_equal(ktap_parse("KTAP version 1\n1..2\n"
		"    KTAP version 1\n    # Subtest: list-kunit-test\n    1..2\n"
		"    ok 1 list_test_list_init\n    not ok 2 list_test_list_del\n"
		"not ok 1 list-kunit-test\n"
		"    KTAP version 1\n    # Subtest: memcpy\n    1..1\n"
		"    ok 1 memset_test\nok 2 memcpy\n", &k), 0);
	assert_int_equal(k.nr, 3);
	kunit_filter_ktap(&k, "memcpy");
	assert_int_equal(k.nr, 1);
	assert_string_equal(k.cases[0].name, "memcpy.memset_test");
	ktap_release(&k);
}

/* KUnit prints a case's failure before its result; with printk's
 * timestamps, an unindented continuation line, the suite's totals, and
 * 6.12's attribute line between the suite's header and its plan */
static void test_kunit_log(void **state)
{
	struct ktap k;

	(void)state;
	assert_int_equal(ktap_parse_kunit(
		"[    2.000000]     KTAP version 1\n"
		"[    2.000001]     # Subtest: list_sort\n"
		"[    2.000001]     # module: test_list_sort\n"
		"[    2.000002]     1..2\n"
		"[    2.000003]     ok 1 list_sort_init\n"
		"[    2.000004]     # list_sort_test: ASSERTION FAILED at lib/test_list_sort.c:96\n"
		"[    2.000005]     Expected el->serial <= el1->serial, but\n"
		"[    2.000006] order of equivalent elements not preserved\n"
		"[    2.000007]     not ok 2 list_sort_test\n"
		"[    2.000008] # list_sort: pass:1 fail:1 skip:0 total:2\n"
		"[    2.000009] not ok 1 list_sort\n"
		"[    2.100000]     KTAP version 1\n"
		"[    2.100001]     # Subtest: memcpy\n"
		"[    2.100002]     1..1\n"
		"[    2.100003]     ok 1 memset_test\n"
		"[    2.100004] ok 1 memcpy\n", &k), 0);
	assert_int_equal(k.nr, 3);
	assert_string_equal(k.cases[1].name, "list_sort.list_sort_test");
	assert_int_equal(k.cases[1].status, KTAP_FAIL);
	assert_string_equal(k.cases[1].diag.buf,
		"# list_sort_test: ASSERTION FAILED at lib/test_list_sort.c:96\n"
		"Expected el->serial <= el1->serial, but\n"
		"order of equivalent elements not preserved\n");
	assert_int_equal(k.cases[0].diag.len, 0);
	assert_string_equal(k.cases[0].name, "list_sort.list_sort_init");
	/* the totals went with the suite, not the next module's first case */
	assert_string_equal(k.cases[2].name, "memcpy.memset_test");
	assert_int_equal(k.cases[2].diag.len, 0);
	ktap_release(&k);
}

/* an ELF relocatable with an empty section named sec (NULL: none) */
static void elf_with(const char *path, const char *sec)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	Elf *e;
	Elf64_Ehdr *eh;
	Elf_Scn *scn, *strs;
	Elf64_Shdr *sh;
	Elf_Data *d;
	static char names[64];
	size_t off = 1;

	assert_true(fd >= 0);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	assert_non_null(e);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_REL;
	eh->e_machine = EM_X86_64;
	memset(names, 0, sizeof(names));
	if (sec) {
		scn = elf_newscn(e);
		sh = elf64_getshdr(scn);
		sh->sh_type = SHT_PROGBITS;
		sh->sh_name = (Elf64_Word)off;
		strcpy(names + off, sec);
		off += strlen(sec) + 1;
	}
	strs = elf_newscn(e);
	sh = elf64_getshdr(strs);
	sh->sh_type = SHT_STRTAB;
	sh->sh_name = (Elf64_Word)off;
	strcpy(names + off, ".shstrtab");
	off += strlen(".shstrtab") + 1;
	d = elf_newdata(strs);
	d->d_buf = names;
	d->d_size = off;
	d->d_type = ELF_T_BYTE;
	eh->e_shstrndx = (Elf64_Half)elf_ndxscn(strs);
	assert_true(elf_update(e, ELF_C_WRITE) > 0);
	elf_end(e);
	close(fd);
}

static void test_stage(void **state)
{
	char *d = tmpdir(), *why = NULL, *p;
	struct initramfs_file *f = NULL;
	struct buf script = BUF_INIT;
	size_t n = 0, mods = 0;

	(void)state;
	p = xstrfmt("%s/lib/kunit", d);
	assert_int_equal(mkdir_p(p, 0755), 0);
	free(p);
	/* 6.1 names the .ko files, 6.12 the .o; mmn is not a KUnit module */
	p = put(d, "modules.order", "lib/kunit/kunit.ko\nlib/list-test.ko\n"
		"lib/mmn.o\nlib/memcpy_kunit.o\n../../etc/passwd.ko\n");
	free(p);
	p = xstrfmt("%s/lib/kunit/kunit.ko", d);
	elf_with(p, ".modinfo");
	free(p);
	p = xstrfmt("%s/lib/list-test.ko", d);
	elf_with(p, ".kunit_test_suites");
	free(p);
	p = xstrfmt("%s/lib/mmn.ko", d);
	elf_with(p, NULL);
	free(p);
	p = xstrfmt("%s/lib/memcpy_kunit.ko", d);
	elf_with(p, ".kunit_test_suites");
	free(p);
	assert_int_equal(kunit_stage(d, d, "list*", &f, &n, &mods, &why), 0);
	assert_int_equal(mods, 2);
	assert_int_equal(n, 4);
	assert_string_equal(f[0].dst, "/pwb/kunit/001-list-test.ko");
	assert_string_equal(f[1].dst, "/pwb/kunit/002-memcpy_kunit.ko");
	assert_string_equal(f[2].dst, "/pwb/kunit/000-kunit.ko");
	assert_string_equal(f[3].dst, "/pwb/kunit-run");
	assert_int_equal(f[3].mode, 0755);
	assert_int_equal(buf_read_file(&script, f[3].src, 1 << 16), 0);
	assert_non_null(strstr(script.buf, "insmod /pwb/kunit/000-kunit.ko "
			       "filter_glob='list*' ||"));
	assert_non_null(strstr(script.buf, "for m in /pwb/kunit/[0-9]*.ko"));
	buf_release(&script);
	suite_files_free(f, n);

	/* a file modules.order names that is not an ELF file */
	f = NULL;
	n = 0;
	p = put(d, "lib/list-test.ko", "not ELF");
	free(p);
	assert_int_equal(kunit_stage(d, d, NULL, &f, &n, &mods, &why), -1);
	assert_non_null(strstr(why, "list-test.ko: not a module pwb can read"));
	free(why);
	suite_files_free(f, n);
	rm_rf(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_ktap),
		cmocka_unit_test(test_kunit_log),
		cmocka_unit_test(test_stage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
