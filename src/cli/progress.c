/* The commands' progress lines on stderr (see progress.h). */
#include "progress.h"
#include "util/vis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int progress_wanted(int json)
{
	const char *p = getenv("PWB_PROGRESS");

	return (!json && isatty(2)) || (p && !strcmp(p, "1"));
}

void progress_check(void *ud, const struct check_progress_event *ev)
{
	char id[24] = "";

	(void)ud;
	switch (ev->kind) {
	case CHECK_PROGRESS_STAGE:
		if (ev->check_id >= 0)
			snprintf(id, sizeof(id), " %ld", ev->check_id);
		fprintf(stderr, "pwb check%s [%d/%d] %5.0fs %s\n", id,
			ev->step, ev->steps, ev->elapsed, vis(ev->text));
		break;
	case CHECK_PROGRESS_BOOT:
		fprintf(stderr, "pwb check %ld   %s %s run %ld/%ld\n",
			ev->check_id, vis(ev->suite), vis(ev->label), ev->nth,
			ev->of);
		break;
	}
}

void progress_build_line(void *ud, const char *line)
{
	(void)ud;
	if (line)
		fprintf(stderr, "\r\033[K  %.70s", vis(line));
	else
		fprintf(stderr, "\r\033[K");
}

kbuild_progress_fn progress_build(int json)
{
	return !json && isatty(2) ? progress_build_line : NULL;
}

void progress_check_setup(struct check_opts *o, int json)
{
	int on = progress_wanted(json);

	o->progress = on ? progress_check : NULL;
	o->progress_ud = NULL;
	o->cluster_progress = on;
	/* \r lines: terminals (PWB_PROGRESS=1 does not bring them) */
	o->build_progress = on && isatty(2) ? progress_build_line : NULL;
	o->build_progress_ud = NULL;
}
