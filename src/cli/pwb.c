/*
 * pwb: the command table and the dispatcher.  Global options come before
 * the command (--db may also come after it); the dispatcher loads the
 * config, opens the database for commands that need it, runs the command
 * and checks that stdout was written completely.
 */
#include "cmds.h"
#include "db.h"
#include "lore.h"
#include "mail.h"
#include "util/buf.h"
#include "util/run.h"
#include "output.h"
#include "pager.h"
#include "parse-options.h"
#include "util/suggest.h"
#include "util/util.h"
#include "version.h"

#include <git2.h>
#include <gmime/gmime.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#define NEED_DB (1u << 0)
/* with NEED_DB: the command only reads, so a database that does not exist
 * is an error (a mistyped --db), not a new empty file */
#define READ_DB (1u << 1)
/* on a terminal, its output goes through the pager (not for --json, nor
 * for the sub-commands in no_page_subs) */
#define PAGE (1u << 2)

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct pwb_ctx *ctx);
	unsigned flags;
	const char *summary;
	/* with NEED_DB and not READ_DB: the subcommands that only read */
	const char *const *read_subs;
	/* with PAGE: the subcommands whose output is not paged */
	const char *const *no_page_subs;
};

static const char *const tree_reads[] = { "list", NULL };
static const char *const tree_no_page[] = { "add", "remove", NULL };
static const char *const series_no_page[] = { "export", NULL };

static int cmd_help(int argc, char **argv, struct pwb_ctx *ctx);
static int cmd_version(int argc, char **argv, struct pwb_ctx *ctx);

static const struct cmd commands[] = {
	{ "fetch", cmd_fetch, NEED_DB,
	  "fetch a thread (lore, mbox or stdin) and store its series" },
	{ "series", cmd_series, NEED_DB | READ_DB | PAGE,
	  "list, show and export stored series", NULL, series_no_page },
	{ "thread", cmd_thread, NEED_DB | READ_DB | PAGE,
	  "show a stored thread as a tree" },
	{ "tree", cmd_tree, NEED_DB | PAGE, "register kernel trees, list them",
	  tree_reads, tree_no_page },
	{ "apply", cmd_apply, NEED_DB,
	  "apply a stored series to a tree, one commit per patch" },
	{ "checkout", cmd_checkout, NEED_DB,
	  "files of a commit on disk for builds (incremental)" },
	{ "build", cmd_build, NEED_DB,
	  "build a kernel revision (out of tree, incremental, cached)" },
	{ "boot", cmd_boot, NEED_DB,
	  "boot a kernel in QEMU with a pwb initramfs; triage the console" },
	{ "run", cmd_run, NEED_DB,
	  "run a suite (bench/suites) on a revision: build, boot, record" },
	{ "check", cmd_check, NEED_DB,
	  "pre-merge check of a series: apply, build, suites, verdict" },
	{ "matrix", cmd_matrix, NEED_DB,
	  "check many series x configs at once (locally or on Slurm)" },
	{ "bisect", cmd_bisect, NEED_DB,
	  "first patch of a series, or commit of a range, that regresses" },
	{ "bisect-step", cmd_bisect_step, NEED_DB,
	  "one step of git bisect run: test HEAD, exit 0 good, 1 bad, 125 skip" },
	{ "suite", cmd_suite, 0,
	  "list the suites of bench/suites: what each tests, its config" },
	{ "history", cmd_history, NEED_DB | READ_DB | PAGE,
	  "a series across versions and checks, or a case across runs" },
	{ "job", cmd_job, 0,
	  "run one build or suite job into a bundle; import bundles" },
	{ "report", cmd_report, NEED_DB | READ_DB | PAGE,
	  "the report of a check: text, JSON or a reply for the list" },
	{ "b4-check", cmd_b4check, 0,
	  "b4's external check command: what pwb found for a mail on stdin" },
	{ "triage", cmd_triage, 0,
	  "kernel failures in a saved console log" },
	{ "ktap", cmd_ktap, 0, "(plumbing) the cases of KTAP/TAP output" },
	{ "mailinfo", cmd_mailinfo, 0,
	  "(plumbing) author, subject, message and patch of one mail" },
	{ "mailsplit", cmd_mailsplit, 0, "(plumbing) split an mbox into files" },
	{ "patch-id", cmd_patch_id, 0,
	  "(plumbing) the stable patch-id of a diff on stdin" },
	{ "help", cmd_help, PAGE, "show help for pwb or a command" },
	{ "version", cmd_version, 0, "print the version" },
};

static const char main_usage[] =
	"usage: pwb [--db PATH] [-c key=value]... [-q | -v] [--color[=WHEN]]\n"
	"           [--no-pager] <command> [<args>]\n"
	"       pwb --version | --help\n";

int usage_help(const char *usage)
{
	fputs(usage, stdout);
	return EXIT_OK;
}

int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("%s", msg);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* "'frob' is not a pwb command", with the nearest commands (git's help.c) */
static void not_a_command(const char *name)
{
	const char *names[ARRAY_SIZE(commands)];
	const char *hint;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	hint = suggest_hint(name, names, ARRAY_SIZE(commands));
	if (*hint)
		error("'%s' is not a pwb command%s", name, hint);
	else
		error("'%s' is not a pwb command; see 'pwb help'", name);
}

/* argv[0] is the command: does this invocation only read the database? */
static int only_reads(const struct cmd *c, int argc, char **argv)
{
	const char *const *s;

	if (c->flags & READ_DB)
		return 1;
	for (s = c->read_subs; s && *s && argc > 1; s++)
		if (!strcmp(argv[1], *s))
			return 1;
	return 0;
}

/* argv[0] is the command: does its output go through the pager? */
static int wants_pager(const struct cmd *c, int argc, char **argv)
{
	const char *const *s;
	int i;

	if (!(c->flags & PAGE))
		return 0;
	for (s = c->no_page_subs; s && *s && argc > 1; s++)
		if (!strcmp(argv[1], *s))
			return 0;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "--help") ||
		    starts_with(argv[i], "--format"))
			return 0;
	return 1;
}

static void list_commands(FILE *f)
{
	size_t i;

	fputs(main_usage, f);
	fputs("\ncommands:\n", f);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\n'pwb <command> --help' describes a command; 'pwb help config' "
	      "lists the\nconfig keys.  Data lives in $PWB_DB or "
	      "$XDG_DATA_HOME/pwb/pwb.sqlite;\nconfig in "
	      "$XDG_CONFIG_HOME/pwb/config.\n", f);
}

/*
 * pwb help CMD on a terminal, installed (make install): the man page
 * beside the binary, PREFIX/share/man/man1/pwb-CMD.1, through man(1), as
 * git help opens git-CMD(1).  0 when man showed it; -1: print the --help
 * text instead (not a terminal, not installed, no man).
 */
static int show_man_page(const char *name)
{
	struct buf rel = BUF_INIT;
	char *page;
	pid_t pid;
	int st = -1;

	if (!isatty(STDOUT_FILENO) || getenv("PWB_HELP_DUMP"))
		return -1;
	buf_addf(&rel, "../share/man/man1/pwb-%s.1", name);
	page = pwb_exec_relative(rel.buf);
	buf_release(&rel);
	if (!page)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execlp("man", "man", page, (char *)NULL);
		_exit(127);
	}
	free(page);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int cmd_help(int argc, char **argv, struct pwb_ctx *ctx)
{
	const struct cmd *c;
	char *sub[] = { NULL, "--help", NULL };

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		list_commands(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "config"))
		return help_config(argc - 1, argv + 1);
	c = find_cmd(argv[1]);
	if (!c) {
		not_a_command(argv[1]);
		return EXIT_USAGE;
	}
	if (c->fn == cmd_help) {
		list_commands(stdout);
		return EXIT_OK;
	}
	if (!show_man_page(c->name))
		return EXIT_OK;
	sub[0] = argv[1];
	return c->fn(2, sub, ctx);
}

static int cmd_version(int argc, char **argv, struct pwb_ctx *ctx)
{
	static const char *const usage[] = { "pwb version", NULL };
	static const struct opt opts[] = { OPT_END() };
	int maj, min, rev, n;

	(void)ctx;
	if (argc > 0) {
		n = parse_options(argc, argv, usage,
				  "The versions of pwb and its libraries.\n", opts);
		if (n < 0)
			return parse_options_exit(n);
		if (n)
			return usage_with_options_error(usage, NULL, opts,
							"version takes no arguments");
	}
	git_libgit2_version(&maj, &min, &rev);
	printf("pwb %s (libgit2 %d.%d.%d, sqlite %s, gmime %u.%u.%u)\n",
	       PWB_VERSION, maj, min, rev, sqlite3_libversion(),
	       gmime_major_version, gmime_minor_version, gmime_micro_version);
	return EXIT_OK;
}

/* The options that mean the same before and after the command. */
struct global_opts {
	int no_pager;
	const char *colour;	/* --color[=WHEN], --no-color: NULL unset */
};

/*
 * Take --db PATH, -q, -v, --color[=WHEN], --no-color and --no-pager (-P)
 * out of argv wherever they are (before --), as git takes its own before
 * the command and pwb's commands after it alike.  -c's value is skipped.
 */
static int take_global_options(int *argc, char **argv, struct pwb_ctx *ctx,
			       struct global_opts *g)
{
	int i, j = 1;

	for (i = 1; i < *argc; i++) {
		const char *v = NULL, *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(a, "-c") && i + 1 < *argc) {
			argv[j++] = argv[i++];
			argv[j++] = argv[i];
			continue;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = 1;
			verbose = 0;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			verbose = 1;
			quiet = 0;
			continue;
		}
		if (!strcmp(a, "--no-pager") || !strcmp(a, "-P")) {
			g->no_pager = 1;
			continue;
		}
		if (!strcmp(a, "--color") || !strcmp(a, "--colour")) {
			g->colour = "always";
			continue;
		}
		if (!strcmp(a, "--no-color") || !strcmp(a, "--no-colour")) {
			g->colour = "never";
			continue;
		}
		if (skip_prefix(a, "--color=", &v) ||
		    skip_prefix(a, "--colour=", &v)) {
			if (colour_when_parse(v) < 0)
				return error("--color=%s: auto, always or never",
					     v);
			g->colour = v;
			continue;
		}
		if (!strcmp(a, "--db")) {
			if (i + 1 >= *argc)
				return error("--db needs a path");
			v = argv[++i];
		} else if (!strncmp(a, "--db=", 5)) {
			v = a + 5;
		}
		if (v) {
			if (!*v)
				return error("--db needs a path");
			free(ctx->db_path);
			ctx->db_path = expand_path(v);
			continue;
		}
		argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return 0;
}

/* color.ui, then --color over it */
static int setup_colour(struct pwb_ctx *ctx, const struct global_opts *g)
{
	char *ui = ctx_config_get(ctx, "color.ui");
	int w = COLOUR_AUTO;

	if (ui && (w = colour_when_parse(ui)) < 0) {
		error("config color.ui = '%s': auto, always or never", ui);
		free(ui);
		return -1;
	}
	free(ui);
	if (g->colour)
		w = colour_when_parse(g->colour);
	colour_when = w;
	return 0;
}

int main(int argc, char **argv)
{
	struct pwb_ctx ctx = PWB_CTX_INIT;
	struct global_opts g = { 0 };
	const struct cmd *c;
	int i, ret = EXIT_FAIL;

	git_libgit2_init();
	if (take_global_options(&argc, argv, &ctx, &g)) {
		ret = EXIT_USAGE;
		goto out;
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			ret = cmd_version(0, NULL, &ctx);
			goto out;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			list_commands(stdout);
			ret = EXIT_OK;
			goto out;
		} else if (!strcmp(argv[i], "--list-cmds")) {
			/* for the man pages and the completion (ci/gen-doc.sh) */
			size_t k;

			for (k = 0; k < ARRAY_SIZE(commands); k++)
				printf("%s\t%s\n", commands[k].name,
				       commands[k].summary);
			ret = EXIT_OK;
			goto out;
		} else if (!strcmp(argv[i], "-c")) {
			if (i + 1 >= argc || ctx_add_override(&ctx, argv[i + 1])) {
				ret = EXIT_USAGE;
				goto out;
			}
			i++;
		} else {
			error("unknown option '%s'", argv[i]);
			fputs(main_usage, stderr);
			ret = EXIT_USAGE;
			goto out;
		}
	}
	if (i >= argc) {
		list_commands(stderr);
		ret = EXIT_USAGE;
		goto out;
	}
	c = find_cmd(argv[i]);
	if (!c) {
		not_a_command(argv[i]);
		ret = EXIT_USAGE;
		goto out;
	}
	if (ctx_load_config(&ctx))
		goto out;
	ctx_check_config_keys(&ctx);
	if (setup_colour(&ctx, &g)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (ctx_configure_sandbox(&ctx))
		goto out;
	if (c->flags & NEED_DB) {
		int wants_help = 0, k;

		for (k = i + 1; k < argc; k++)
			if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h"))
				wants_help = 1;
		if (!wants_help &&
		    ctx_open_db(&ctx, only_reads(c, argc - i, argv + i)))
			goto out;
	}
	if (!g.no_pager && wants_pager(c, argc - i, argv + i) &&
	    !pager_start(&ctx) && pager_in_use())
		colour_pager = 1;
	ret = c->fn(argc - i, argv + i, &ctx);
out:
	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		/* the reader went away (| head): quietly, as git */
		if (errno == EPIPE)
			ret = 128 + SIGPIPE;
		else
			error("write error on standard output");
		if (ret == EXIT_OK)
			ret = EXIT_FAIL;
	}
	pager_wait();
	ctx_release(&ctx);
	mail_global_release();
	lore_global_release();
	git_libgit2_shutdown();
	return ret;
}
