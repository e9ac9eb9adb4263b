/*
 * pwb tree add NAME PATH | list
 */
#include "cmds.h"
#include "db.h"
#include "output.h"
#include "tree.h"
#include "util/util.h"

#include <string.h>

static const char usage[] =
	"usage: pwb tree add NAME PATH\n"
	"       pwb tree list [--json]\n"
	"\n"
	"Registers a kernel git repository under a name; every --tree option\n"
	"takes a registered NAME or a path.\n";

int cmd_tree(int argc, char **argv, struct pwb_ctx *ctx)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage_help(usage);
	if (argc == 4 && !strcmp(argv[1], "add")) {
		if (tree_add(ctx->db, argv[2], argv[3]))
			return EXIT_FAIL;
		printf("tree %s registered\n", argv[2]);
		return EXIT_OK;
	}
	if (argc >= 2 && !strcmp(argv[1], "list") && argc <= 3) {
		int json = argc == 3 && !strcmp(argv[2], "--json");
		sqlite3_stmt *st;
		json_t *arr = json ? json_array() : NULL;
		int rc;

		if (argc == 3 && !json)
			return usage_error(usage, "tree list takes only --json");
		if (db_prepare(ctx->db, &st, "SELECT name, path FROM trees "
			       "ORDER BY name"))
			return EXIT_FAIL;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *n = (const char *)sqlite3_column_text(st, 0);
			const char *p = (const char *)sqlite3_column_text(st, 1);

			if (json) {
				json_t *o = json_object();

				json_object_set_new(o, "name", json_string(n));
				json_object_set_new(o, "path", json_string(p));
				json_array_append_new(arr, o);
			} else {
				printf("%-16s %s\n", n, p);
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			json_decref(arr);
			db_error(ctx->db, "list trees");
			return EXIT_FAIL;
		}
		if (json) {
			rc = json_print(arr);
			json_decref(arr);
			return rc ? EXIT_FAIL : EXIT_OK;
		}
		return EXIT_OK;
	}
	return usage_error(usage, "tree needs 'add NAME PATH' or 'list'");
}
