/*
 * Unit tests: symbolize against a tiny ELF made here (gcc -g): a raw RIP
 * becomes function+offset/size with its file:line, a func+off frame gets
 * its file:line, the rest stays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "symbolize.h"

static char dir[] = "/tmp/pwb-symbolize.XXXXXX";
static char elf[128];
static unsigned long probe_addr;

static const char src[] =
	"int pwb_probe(int x)\n"		/* line 1 */
	"{\n"
	"\tint y = x * 3;\n"			/* line 3 */
	"\treturn y + 1;\n"
	"}\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\t(void)argv;\n"
	"\treturn pwb_probe(argc);\n"
	"}\n";

static int setup(void **state)
{
	char cmd[512], line[256];
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/probe.c", dir);
	f = fopen(cmd, "w");
	if (!f)
		return -1;
	fputs(src, f);
	fclose(f);
	snprintf(elf, sizeof(elf), "%s/vmlinux", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && gcc -g -O0 -no-pie -o vmlinux probe.c", dir);
	if (system(cmd))
		return -1;
	snprintf(cmd, sizeof(cmd), "nm %s", elf);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " T pwb_probe\n"))
			probe_addr = strtoul(line, NULL, 16);
	pclose(f);
	return probe_addr ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

static void test_raw_rip(void **state)
{
	char in[256], want[128];
	char *out;

	(void)state;
	/* a few bytes into the function: past its prologue, on line 3 */
	snprintf(in, sizeof(in), "Oops: 0000 [#1] SMP\nRIP: 0010:0x%lx\n"
		 "Call Trace:\n ? 0x%lx\n other text 0x%lx\n", probe_addr + 7,
		 probe_addr, probe_addr);
	out = symbolize_lines(elf, dir, in);
	assert_non_null(out);
	snprintf(want, sizeof(want), "RIP: 0010:pwb_probe+0x7/0x");
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "probe.c:3\n"));
	/* the path relative to the tree */
	assert_null(strstr(out, dir));
	/* a trace frame too; the line that is not a frame stays */
	assert_non_null(strstr(out, " ? pwb_probe+0x0/0x"));
	assert_non_null(strstr(out, "probe.c:2\n"));
	snprintf(want, sizeof(want), " other text 0x%lx\n", probe_addr);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "Oops: 0000 [#1] SMP\n"));
	free(out);
}

static void test_func_offset(void **state)
{
	char *out;

	(void)state;
	out = symbolize_lines(elf, dir, "RIP: 0010:pwb_probe+0x7/0x1a\n"
			      " main+0x5/0x30\n nosuchfunc+0x1/0x2\n"
			      " pwb_probe+0x7/0x1a [mod]\n"
			      "pc : pwb_probe+0x7/0x1a\n");
	assert_non_null(out);
	assert_non_null(strstr(out, "RIP: 0010:pwb_probe+0x7/0x1a probe.c:3\n"));
	assert_non_null(strstr(out, " main+0x5/0x30 probe.c:"));
	assert_non_null(strstr(out, " nosuchfunc+0x1/0x2\n"));
	/* a module's frame: not in vmlinux */
	assert_non_null(strstr(out, " pwb_probe+0x7/0x1a [mod]\n"));
	assert_non_null(strstr(out, "pc : pwb_probe+0x7/0x1a probe.c:3\n"));
	free(out);
}

static void test_nothing_to_do(void **state)
{
	(void)state;
	assert_null(symbolize_lines(elf, dir, "no address here\n"));
	assert_null(symbolize_lines("/nonexistent/vmlinux", NULL,
				    "RIP: 0010:0xffffffff810e9cf4\n"));
	assert_null(symbolize_lines(elf, NULL, "RIP: 0010:0x10\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_rip),
		cmocka_unit_test(test_func_offset),
		cmocka_unit_test(test_nothing_to_do),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
