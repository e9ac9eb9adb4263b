#include "ctx.h"
#include "db.h"
#include "util/run.h"
#include "util/buf.h"
#include "util/util.h"

#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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

char *ctx_config_get(struct pwb_ctx *ctx, const char *key)
{
	size_t i = ctx->noverrides;
	git_buf gb = { 0 };
	char *v = NULL;

	while (i--)
		if (!strcasecmp(ctx->overrides[i].key, key))
			return xstrdup(ctx->overrides[i].value);
	if (ctx->cfg && !git_config_get_string_buf(&gb, ctx->cfg, key)) {
		v = xstrdup(gb.ptr);
		git_buf_dispose(&gb);
	}
	return v;
}

int ctx_backend(struct pwb_ctx *ctx, const char *opt, int *slurm)
{
	char *v = opt ? xstrdup(opt) : ctx_config_get(ctx, "run.backend");
	int rc = 0;

	*slurm = v && !strcmp(v, "slurm");
	if (v && !*slurm && strcmp(v, "local"))
		rc = error("%s %s: local or slurm", opt ? "--on" : "run.backend =", v);
	free(v);
	return rc;
}

int ctx_config_long(struct pwb_ctx *ctx, const char *key, long def, long *out)
{
	char *v = ctx_config_get(ctx, key);
	int rc = 0;

	*out = def;
	if (v && parse_long(v, out))
		rc = error("config %s: '%s' is not a number", key, v);
	free(v);
	return rc;
}

int ctx_config_size(struct pwb_ctx *ctx, const char *key, uint64_t def,
		    uint64_t *out)
{
	char *v = ctx_config_get(ctx, key);
	int rc = 0;

	*out = def;
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
		ctx->db_path = xstrdup(env);
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

char *pwb_datadir(struct pwb_ctx *ctx)
{
	const char *e = getenv("PWB_DATADIR");
	char *c;

	if (e && *e)
		return xstrdup(e);
	c = ctx_config_get(ctx, "core.datadir");
	return c ? c : xstrdup(PWB_SRCDIR);
}
