/*
 * The subcommands.  Each takes its own argv (argv[0] is the command name),
 * the context the dispatcher prepared, and returns the exit status.
 */
#ifndef PWB_CMDS_H
#define PWB_CMDS_H

#include "ctx.h"

int cmd_fetch(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_series(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_thread(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_mailinfo(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_mailsplit(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_patch_id(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_tree(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_apply(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_checkout(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_triage(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_ktap(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_build(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_boot(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_run(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_check(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_matrix(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_report(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_bisect(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_history(int argc, char **argv, struct pwb_ctx *ctx);
int cmd_job(int argc, char **argv, struct pwb_ctx *ctx);

/* Print usage to stdout (help) or stderr (misuse) and return the status. */
int usage_help(const char *usage);
int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
