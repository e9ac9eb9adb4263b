/* libFuzzer: a suite.conf (git-config syntax through libgit2, then pwb's
 * own keys and values), loaded from a scratch bench/suites/f/. */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suite.h"
#include "util/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[] = "/tmp/pwb-fuzz-suite.XXXXXX";
static char conf[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char d[256];

	(void)argc;
	(void)argv;
	git_libgit2_init();
	if (!mkdtemp(root))
		abort();
	snprintf(d, sizeof(d), "%s/bench/suites/f/guest", root);
	if (mkdir_p(d, 0777))
		abort();
	snprintf(d, sizeof(d), "%s/bench/suites/f/guest/p.c", root);
	fclose(fopen(d, "w"));
	snprintf(conf, sizeof(conf), "%s/bench/suites/f/suite.conf", root);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct suite s;
	FILE *f;

	if (size > 65536)
		return 0;
	f = fopen(conf, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (!suite_load(root, "f", &s)) {
		if (s.nmetrics)
			suite_metric_find(&s, "hog_ms/subs=2");
		suite_release(&s);
	}
	return 0;
}
