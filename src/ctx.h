/*
 * ctx: what every command gets from the dispatcher in pwb.c: the
 * configuration (file + -c overrides), the database path and, for
 * commands flagged NEED_DB, the open database.
 *
 * Ownership: the ctx owns everything it points to; ctx_release() frees it.
 * Strings returned by ctx_config_get() are newly allocated (caller frees).
 */
#ifndef PWB_CTX_H
#define PWB_CTX_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct git_config;

struct config_override {
	char *key;
	char *value;
};

struct pwb_ctx {
	char *db_path;          /* --db, $PWB_DB, or the XDG default */
	sqlite3 *db;            /* open when the command asked for it */
	char *config_path;      /* the file read, if any */
	struct git_config *cfg; /* libgit2 config of that file, or NULL */
	struct config_override *overrides; /* -c key=value, last wins */
	size_t noverrides;
};

#define PWB_CTX_INIT { 0 }

void ctx_release(struct pwb_ctx *ctx);

/* Load the config file ($PWB_CONFIG, else $XDG_CONFIG_HOME/pwb/config). */
int ctx_load_config(struct pwb_ctx *ctx);
/* -c key=value; fails on a malformed argument. */
int ctx_add_override(struct pwb_ctx *ctx, const char *arg);

/* Config lookup: -c overrides first, then the file.  NULL when unset.
 * The values of path keys (core.db, core.workdir, core.datadir,
 * slurm.workdir, boot.qemu) have "~/" and "~user/" expanded, as git's
 * --type=path. */
char *ctx_config_get(struct pwb_ctx *ctx, const char *key);
/* Integer or size (k/m/g) lookup; unset, the default is the one in the
 * table of keys (config_keys: what --help and README show; "cores" is
 * the number of CPUs).  An unparsable value is an error naming the key;
 * a key that is not in the table is a bug (die). */
int ctx_config_long(struct pwb_ctx *ctx, const char *key, long *out);
int ctx_config_size(struct pwb_ctx *ctx, const char *key, uint64_t *out);
/* true/false, yes/no, on/off, 1/0 (any case), as git reads them. */
int ctx_config_bool(struct pwb_ctx *ctx, const char *key, int *out);

/* Sandbox make and QEMU (util/run.h) unless $PWB_SANDBOX or config
 * sandbox.enabled turns it off; -1 on a value that is not a boolean. */
int ctx_configure_sandbox(struct pwb_ctx *ctx);
/* Resolve the database path (does not open). */
int ctx_resolve_db_path(struct pwb_ctx *ctx);
/* Resolve the path and open ctx->db (db_open); for a command that only
 * reads, a database that does not exist is an error and nothing is made
 * (db_open_existing).  0, or -1 said. */
int ctx_open_db(struct pwb_ctx *ctx, int only_reads);

/* $XDG_DATA_HOME, $XDG_CACHE_HOME... with the usual ~/.local fallbacks. */
char *xdg_dir(const char *env, const char *fallback_under_home);

/*
 * Every config key pwb reads, with its default as text and what it does:
 * `pwb help config` prints it (--markdown: docs/config.md, `make docs`); a key in the file or -c that is not here is
 * warned about, with the nearest known key.
 */
struct config_key {
	const char *key;
	const char *def;
	const char *help;	/* one line, for the terminal */
	const char *doc;	/* the longer meaning for docs/config.md
				 * (markdown), or NULL: help */
};
extern const struct config_key config_keys[];
extern const size_t nconfig_keys;
/* Warn (once per key) about keys in the file and -c that pwb does not
 * know; never an error, so that an older pwb reads a newer config. */
void ctx_check_config_keys(struct pwb_ctx *ctx);

/* Where bench/ and friends are: $PWB_DATADIR, config core.datadir, else
 * found beside the running binary: PREFIX/share/pwb for PREFIX/bin/pwb
 * (make install), the source tree for its bin/pwb (moved or not), and
 * last the source tree pwb was built in.  Newly allocated. */
char *pwb_datadir(struct pwb_ctx *ctx);
/* REL (a relative path) from the running binary's directory, resolved
 * (realpath), when it exists: newly allocated, else NULL. */
char *pwb_exec_relative(const char *rel);

#endif
