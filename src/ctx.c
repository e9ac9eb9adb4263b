#include "ctx.h"
#include "db.h"
#include "util/run.h"
#include "util/suggest.h"
#include "util/buf.h"
#include "util/util.h"
#include "util/vis.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <limits.h>
#include <unistd.h>

#ifndef PWB_REL_DATADIR
#define PWB_REL_DATADIR "share/pwb"
#endif

void ctx_release(struct pwb_ctx *ctx)
{
	size_t i;

	if (ctx->db)
		sqlite3_close(ctx->db);
	if (ctx->cfg)
		git_config_free(ctx->cfg);
	for (i = 0; i < ctx->noverrides; i++) {
		free(ctx->overrides[i].key);
		free(ctx->overrides[i].value);
	}
	free(ctx->overrides);
	free(ctx->db_path);
	free(ctx->config_path);
	memset(ctx, 0, sizeof(*ctx));
}

char *xdg_dir(const char *env, const char *fallback)
{
	const char *v = getenv(env), *home;
	struct buf b = BUF_INIT;

	if (v && *v == '/')
		return xstrdup(v);
	home = getenv("HOME");
	if (!home || !*home)
		home = "/";
	buf_addf(&b, "%s/%s", home, fallback);
	return buf_detach(&b, NULL);
}

int ctx_load_config(struct pwb_ctx *ctx)
{
	const char *env = getenv("PWB_CONFIG");
	char *path;
	int rc;

	if (env && *env) {
		path = xstrdup(env);
	} else {
		char *dir = xdg_dir("XDG_CONFIG_HOME", ".config");
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s/pwb/config", dir);
		free(dir);
		path = buf_detach(&b, NULL);
	}
	if (access(path, F_OK)) {
		if (env && *env) {
			rc = error("config file %s: %s", path, strerror(errno));
			free(path);
			return rc;
		}
		free(path);
		return 0;
	}
	rc = git_config_open_ondisk(&ctx->cfg, path);
	if (rc < 0) {
		const git_error *e = git_error_last();

		rc = error("config file %s: %s", path,
			   e ? e->message : "cannot read");
		free(path);
		ctx->cfg = NULL;
		return rc;
	}
	ctx->config_path = path;
	return 0;
}

int ctx_add_override(struct pwb_ctx *ctx, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !strchr(arg, '.') || strchr(arg, '.') > eq)
		return error("-c expects section.key=value, got '%s'", arg);
	ctx->overrides = xrealloc(ctx->overrides,
				  (ctx->noverrides + 1) * sizeof(*ctx->overrides));
	ctx->overrides[ctx->noverrides].key = xstrndup(arg, (size_t)(eq - arg));
	ctx->overrides[ctx->noverrides].value = xstrdup(eq + 1);
	ctx->noverrides++;
	return 0;
}

/* The keys whose values are paths: "~/" expands as git's --type=path. */
static const char *const path_keys[] = {
	"boot.qemu", "core.datadir", "core.db", "core.workdir", "slurm.workdir",
};

static int is_path_key(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(path_keys); i++)
		if (!strcasecmp(path_keys[i], key))
			return 1;
	return 0;
}

char *ctx_config_get(struct pwb_ctx *ctx, const char *key)
{
	size_t i = ctx->noverrides;
	git_buf gb = { 0 };
	char *v = NULL;

	while (i--)
		if (!strcasecmp(ctx->overrides[i].key, key)) {
			v = xstrdup(ctx->overrides[i].value);
			goto out;
		}
	if (ctx->cfg && !git_config_get_string_buf(&gb, ctx->cfg, key)) {
		v = xstrdup(gb.ptr);
		git_buf_dispose(&gb);
	}
out:
	if (v && v[0] == '~' && is_path_key(key)) {
		char *e = expand_path(v);

		free(v);
		v = e;
	}
	return v;
}

/* The table's default of key (config_keys), which must be there. */
static const char *key_default(const char *key)
{
	size_t i;

	for (i = 0; i < nconfig_keys; i++)
		if (!strcmp(config_keys[i].key, key))
			return config_keys[i].def;
	die("config key %s is not in the table of keys (ctx.c)", key);
	return NULL;
}

int ctx_config_long(struct pwb_ctx *ctx, const char *key, long *out)
{
	const char *def = key_default(key);
	char *v = ctx_config_get(ctx, key);
	int rc = 0;

	if (!strcmp(def, "cores"))
		*out = sysconf(_SC_NPROCESSORS_ONLN);
	else if (parse_long(def, out))
		die("config key %s: its default '%s' is not a number", key, def);
	if (v && parse_long(v, out))
		rc = error("config %s: '%s' is not a number", key, v);
	free(v);
	return rc;
}

/* "true"/"false" and git's other spellings: 1, 0, or -1 for none */
static int parse_bool(const char *v)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	return -1;
}

int ctx_config_bool(struct pwb_ctx *ctx, const char *key, int *out)
{
	const char *def = key_default(key);
	char *v = ctx_config_get(ctx, key);
	int rc = 0;

	if ((*out = parse_bool(def)) < 0)
		die("config key %s: its default '%s' is not a boolean", key, def);
	if (v && (*out = parse_bool(v)) < 0) {
		rc = error("config %s: '%s' is not true or false", key, vis(v));
		*out = 0;
	}
	free(v);
	return rc;
}

int ctx_config_size(struct pwb_ctx *ctx, const char *key, uint64_t *out)
{
	const char *def = key_default(key);
	char *v = ctx_config_get(ctx, key);
	int rc = 0;

	if (parse_size(def, out))
		die("config key %s: its default '%s' is not a size", key, def);
	if (v && parse_size(v, out))
		rc = error("config %s: '%s' is not a size", key, v);
	free(v);
	return rc;
}

int ctx_resolve_db_path(struct pwb_ctx *ctx)
{
	const char *env = getenv("PWB_DB");
	char *cfg;

	if (ctx->db_path)
		return 0;
	if (env && *env) {
		ctx->db_path = expand_path(env);
		return 0;
	}
	cfg = ctx_config_get(ctx, "core.db");
	if (cfg) {
		ctx->db_path = cfg;
	} else {
		char *dir = xdg_dir("XDG_DATA_HOME", ".local/share");
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s/pwb/pwb.sqlite", dir);
		free(dir);
		ctx->db_path = buf_detach(&b, NULL);
	}
	return 0;
}

int ctx_open_db(struct pwb_ctx *ctx, int only_reads)
{
	if (ctx_resolve_db_path(ctx))
		return -1;
	if (only_reads)
		return db_open_existing(ctx->db_path, &ctx->db);
	return db_open(ctx->db_path, &ctx->db);
}

int ctx_configure_sandbox(struct pwb_ctx *ctx)
{
	char *sb = ctx_config_get(ctx, "sandbox.enabled");
	const char *env = getenv("PWB_SANDBOX");
	const char *v = env && *env ? env : sb;
	int on = 1;

	if (v) {
		if (!strcmp(v, "0") || !strcasecmp(v, "false") ||
		    !strcasecmp(v, "no") || !strcasecmp(v, "off"))
			on = 0;
		else if (strcmp(v, "1") && strcasecmp(v, "true") &&
			 strcasecmp(v, "yes") && strcasecmp(v, "on")) {
			error("sandbox.enabled = '%s': true or false", v);
			free(sb);
			return -1;
		}
	}
	free(sb);
	run_sandbox_set(on);
	return 0;
}

char *pwb_exec_relative(const char *rel)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct buf p = BUF_INIT;
	char *r;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	buf_addf(&p, "%s/%s", exe, rel);
	r = realpath(p.buf, NULL);
	buf_release(&p);
	return r;
}

/* dir/bench/suites is there: dir is a datadir */
static char *datadir_at(const char *rel)
{
	struct buf p = BUF_INIT;
	char *d;

	buf_addf(&p, "%s/bench/suites", rel);
	d = pwb_exec_relative(p.buf);
	buf_release(&p);
	if (!d)
		return NULL;
	/* d ends in /bench/suites */
	d[strlen(d) - strlen("/bench/suites")] = '\0';
	return d;
}

char *pwb_datadir(struct pwb_ctx *ctx)
{
	const char *e = getenv("PWB_DATADIR");
	char *c;

	if (e && *e)
		return expand_path(e);
	c = ctx_config_get(ctx, "core.datadir");
	if (c)
		return c;
	/* installed: PREFIX/bin/pwb and PREFIX/share/pwb (make install) */
	c = datadir_at("../" PWB_REL_DATADIR);
	/* a build in its source tree, wherever it was moved: bin/pwb */
	if (!c)
		c = datadir_at("..");
	return c ? c : xstrdup(PWB_SRCDIR);
}

const struct config_key config_keys[] = {
	{ "apply.fallbackbase", "", "base when --base is not given and the "
	  "series' base-commit is not in the tree (before a guess from its "
	  "blobs)",
	  "base for `apply`/`check`/`bisect` when `--base` is not "
	  "given and the series' `base-commit` is not in the tree, "
	  "before pwb guesses one from the series' pre-image blobs "
	  "(said on stderr; the apply row records rule `fallback`; "
	  "[The base](cli.md#the-base)). The tests and `make demo` set "
	  "it to `v6.1-debian`: the fixtures name the commit of the "
	  "Debian source they were written on, and a newer "
	  "`linux-source-6.1` gives another" },
	{ "boot.cpus", "1", "guest CPUs" },
	{ "boot.idletimeout", "60", "seconds without console output" },
	{ "boot.mem", "256", "guest memory, MiB",
	  "guest memory, MiB (a suite's `mem` wins)" },
	{ "boot.parallel", "cores", "boots side by side (base and candidate, "
	  "cells): 1 boots one at a time",
	  "boots side by side: a round of base and candidate (and "
	  "every cell's, in `pwb matrix`; a lone `pwb run`'s repeats) "
	  "at once, so both sides are measured under the same load; 1 "
	  "boots one at a time" },
	{ "boot.qemu", "the arch's", "QEMU binary (qemu-system-x86_64, "
	  "qemu-system-aarch64)",
	  "QEMU binary (`qemu-system-x86_64`, `qemu-system-aarch64`)" },
	{ "boot.timeout", "300", "seconds for a whole boot" },
	{ "build.arch", "x86_64", "arch built for without --arch: x86_64, arm64",
	  "arch built for without `--arch`: `x86_64`, `arm64`" },
	{ "build.cachesize", "2g", "kept bzImages (least recently used evicted)" },
	{ "build.jobs", "cores", "make -j",
	  "`make -j`" },
	{ "build.timeout", "7200", "seconds for one build" },
	{ "build.toolchain", "gcc", "toolchain without --toolchain: gcc, clang "
	  "(LLVM=1)",
	  "toolchain without `--toolchain`: `gcc`, `clang` (`LLVM=1`)" },
	{ "check.broadbuild", "true", "build the objects each patch affects "
	  "under allmodconfig W=1 (pwb check, local)",
	  "build the objects each patch affects under allmodconfig "
	  "`W=1` (and sparse) at the patch and before it "
	  "([checks.md](checks.md); local checks)" },
	{ "check.coverage", "true", "measure which changed lines the suites "
	  "ran, in a boot of its own (pwb check, local)",
	  "which changed lines the suites ran: the tip again with "
	  "gcov on the changed files, each suite booted once more "
	  "([checks.md](checks.md); local checks, gcc)" },
	{ "check.newwarnings", "warn", "a new warning of the broad build: warn "
	  "or fail (the patch does not build)",
	  "a new warning of the broad build: `warn`, or `fail` (the "
	  "patch does not build)" },
	{ "check.retries", "2", "more candidate boots before a case that "
	  "passes on the base and fails on the candidate is a new failure",
	  "candidate boots again before a case that passed on the "
	  "base and failed on the candidate counts as a new failure "
	  "(`--retries N`; 0 to 100)" },
	{ "check.suites", "every suite", "suites pwb check runs without --suite",
	  "suites `pwb check` runs without `--suite` (space or comma "
	  "separated; default every suite in `bench/suites`, `pwb "
	  "suite list`)" },
	{ "color.ui", "auto", "colours: auto (a terminal), always or never "
	  "(--color)" },
	{ "compare.alpha", "0.05", "significance level after adjustment" },
	{ "compare.correction", "bh", "p-value adjustment: bh, holm or none",
	  "p-value adjustment over a suite's metrics: `bh` "
	  "(Benjamini-Hochberg), `holm`, `none`" },
	{ "core.datadir", "beside the binary", "where bench/ is (also $PWB_DATADIR; "
	  "default PREFIX/share/pwb, or the source tree of bin/pwb)" },
	{ "core.db", "", "database path",
	  "database path (`--db` and `$PWB_DB` win; default "
	  "`$XDG_DATA_HOME/pwb/pwb.sqlite`)" },
	{ "core.pager", "$PAGER or less", "pager for long output on a "
	  "terminal; \"\" or cat: none ($PWB_PAGER wins, --no-pager)" },
	{ "core.workdir", "$XDG_CACHE_HOME/pwb", "checkouts and build directories",
	  "checkouts, build directories and kept kernels "
	  "([cli.md](cli.md#where-data-lives))" },
	{ "kcidb.origin", "pwb", "the origin of pwb report --format kcidb's "
	  "ids ([a-z0-9_]+)",
	  "the origin of `pwb report --format kcidb`'s ids "
	  "(`[a-z0-9_]+`; KCIDB gives each submitter one)" },
	{ "lore.connecttimeout", "15", "seconds to connect" },
	{ "lore.maxsize", "64m", "cap on a thread, compressed and decompressed",
	  "cap on the thread, compressed and decompressed (gzip bombs "
	  "stop there)" },
	{ "lore.maxwait", "60", "the longest Retry-After honoured, seconds" },
	{ "lore.retries", "3", "further attempts on 429/5xx and transfer errors",
	  "further attempts on 429/5xx and transfer errors (never on "
	  "404)" },
	{ "lore.timeout", "60", "seconds for a whole transfer" },
	{ "lore.url", "https://lore.kernel.org/all/", "archive base for message-ids",
	  "archive base for message-ids (`--lore`). Only https is "
	  "used; plain http only when the archive is on a loopback "
	  "address (`localhost`, 127.0.0.0/8, `::1`: tests, local "
	  "mirrors). Every redirect target is checked by the same "
	  "rule before pwb connects to it (after an https URL only "
	  "https), at most 5 redirects" },
	{ "run.backend", "local", "where builds and boots run: local, slurm or recorded (tests)",
	  "where `pwb run`, `check`, `matrix` and `bisect` run builds "
	  "and boots: `local`, `slurm` or `recorded` (`--on` wins; "
	  "[slurm.md](slurm.md); `recorded` replays the consoles a "
	  "test tree carries, [design.md](design.md))" },
	{ "sandbox.enabled", "true", "run make and QEMU in bubblewrap",
	  "run make and QEMU in bubblewrap ([safety.md](safety.md); "
	  "`$PWB_SANDBOX=0` too)" },
	{ "slurm.options", "", "more sbatch options, split on blanks",
	  "more `sbatch` options, split on blanks (for example "
	  "`--account=kernel --mem=4G`)" },
	{ "slurm.partition", "", "sbatch --partition",
	  "`sbatch --partition`" },
	{ "slurm.poll", "2", "seconds between squeue polls",
	  "seconds between `squeue` polls" },
	{ "slurm.time", "", "sbatch --time",
	  "`sbatch --time`" },
	{ "slurm.workdir", "", "a directory every node sees at the same path",
	  "a directory every node sees at the same path (job specs, "
	  "bundles, and under `cache/` the checkouts, build "
	  "directories and kernels the jobs share); required for "
	  "`--on slurm` ([slurm.md](slurm.md))" },
	{ "user.email", "pwb@localhost", "committer of the commits pwb apply makes",
	  "committer of the commits `pwb apply` makes; also the address of "
	  "the reply's `Reported-by: pwb <...>` (none without it)" },
	{ "user.name", "pwb", "committer of the commits pwb apply makes",
	  "committer of the commits `pwb apply` makes" },
};
const size_t nconfig_keys = sizeof(config_keys) / sizeof(config_keys[0]);

static void check_key(const char *key, const char *where)
{
	const char **names;
	const char *hint;
	size_t i;

	for (i = 0; i < nconfig_keys; i++)
		if (!strcasecmp(config_keys[i].key, key))
			return;
	/* unknown: only now the distances, for the nearest known key */
	names = xcalloc(nconfig_keys, sizeof(*names));
	for (i = 0; i < nconfig_keys; i++)
		names[i] = config_keys[i].key;
	hint = suggest_hint(key, names, nconfig_keys);
	if (*hint)
		warning("unknown config key %s (%s)%s", key, where, hint);
	else
		warning("unknown config key %s (%s); 'pwb help config' lists "
			"them", key, where);
	free(names);
}

static int check_entry(const git_config_entry *e, void *payload)
{
	check_key(e->name, payload);
	return 0;
}

void ctx_check_config_keys(struct pwb_ctx *ctx)
{
	size_t i;

	if (ctx->cfg)
		git_config_foreach(ctx->cfg, check_entry, ctx->config_path);
	for (i = 0; i < ctx->noverrides; i++)
		check_key(ctx->overrides[i].key, "-c");
}
