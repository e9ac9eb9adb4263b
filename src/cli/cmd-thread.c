/*
 * pwb thread MSGID|SERIES: the stored thread as lore shows it, one line per
 * message (date, author, subject indented by depth).
 */
#include "cmds.h"
#include "db.h"
#include "output.h"
#include "store.h"
#include "util/timefmt.h"
#include "parse-options.h"
#include "util/util.h"
#include "util/vis.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"pwb thread (MSGID | SERIES) [--json]",
	NULL,
};
static const char usage_text[] =
	"MSGID is any message of a stored thread (or a lore URL of one);\n"
	"SERIES a series id (pwb series list): the thread it came in.\n";

struct tnode {
	const struct thread_msg *m;
	long parent_idx;
	int printed;
};

static void print_tree(struct tnode *n, size_t nr, long parent, int depth,
		       json_t *arr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		char date[40];

		if (n[i].parent_idx != parent || n[i].printed)
			continue;
		n[i].printed = 1;
		if (arr) {
			json_t *o = json_object();

			fmt_iso8601(date, n[i].m->date, n[i].m->tz);
			json_object_set_new(o, "msgid", json_text(n[i].m->msgid));
			json_object_set_new(o, "parent", n[i].parent_idx >= 0 ?
				json_text(n[parent].m->msgid) : json_null());
			json_object_set_new(o, "depth", json_integer(depth));
			json_object_set_new(o, "date", json_text(date));
			json_object_set_new(o, "from", json_text(n[i].m->from_name));
			json_object_set_new(o, "email", json_text(n[i].m->from_email));
			json_object_set_new(o, "subject", json_text(n[i].m->subject));
			json_array_append_new(arr, o);
		} else {
			fmt_short(date, n[i].m->date, n[i].m->tz);
			int ind = depth * 2 > 12 ? 12 : depth * 2;
			size_t at;

			/* within 80 columns: a long subject goes on under
			 * itself */
			at = strlen(date) + 2 + 18 + 1 + (size_t)ind;
			printf("%s  %s %*s", date, vis_cols(n[i].m->from_name, 18),
			       ind, "");
			fput_wrapped(stdout, at, at + 2, 80, vis(n[i].m->subject));
		}
		print_tree(n, nr, (long)i, depth + 1, arr);
	}
}

int cmd_thread(int argc, char **argv, struct pwb_ctx *ctx)
{
	struct thread_msg *msgs = NULL;
	struct tnode *n = NULL;
	size_t nr = 0, i, j;
	long tid;
	int nargs, json = 0, ret = EXIT_FAIL;
	json_t *arr = NULL;

	const struct opt opts[] = {
		OPT_JSON(&json),
		OPT_END(),
	};

	nargs = parse_options(argc, argv, usage, usage_text, opts);
	if (nargs < 0)
		return parse_options_exit(nargs);
	if (nargs != 1)
		return usage_with_options_error(usage, usage_text, opts,
				"thread takes one MSGID or SERIES id");
	if (!parse_long(argv[1], &tid) && tid > 0) {
		/* a series id, as every other command takes */
		struct stored_series s;
		long sid;

		if (store_find_series(ctx->db, argv[1], &sid) ||
		    store_load_series(ctx->db, sid, &s))
			return EXIT_FAIL;
		tid = s.thread_id;
		stored_series_release(&s);
	} else if (store_find_thread(ctx->db, argv[1], &tid)) {
		return EXIT_FAIL;
	}
	if (store_load_thread(ctx->db, tid, &msgs, &nr))
		goto out;
	n = xcalloc(nr, sizeof(*n));
	for (i = 0; i < nr; i++)
		n[i].m = &msgs[i];
	for (i = 0; i < nr; i++) {
		n[i].parent_idx = -1;
		for (j = 0; n[i].m->parent && j < nr; j++)
			if (j != i && !strcmp(n[j].m->msgid, n[i].m->parent))
				n[i].parent_idx = (long)j;
	}
	if (json)
		arr = json_array();
	print_tree(n, nr, -1, 0, arr);
	/* anything left hangs off a cycle: print it at the top */
	for (i = 0; i < nr; i++)
		if (!n[i].printed) {
			n[i].parent_idx = -1;
			print_tree(n, nr, -1, 0, arr);
		}
	if (json && json_print(arr))
		goto out;
	ret = EXIT_OK;
out:
	json_decref(arr);
	thread_msgs_free(msgs, nr);
	free(n);
	return ret;
}
