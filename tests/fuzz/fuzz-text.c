/* libFuzzer: the text parsers of outside input, one per first byte:
 * trailers in a reply, subjects ([PATCH v2 3/5]), RFC 2047 headers, patch
 * text (split, patch-id), paths in patches, KTAP, metric lines, console
 * triage fed in pieces. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "ktap.h"
#include "mail.h"
#include "metrics.h"
#include "patch-ids.h"
#include "series.h"
#include "trailers.h"
#include "triage.h"
#include "util/buf.h"
#include "util/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	mail_global_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	unsigned sel;

	if (!size || size > (1u << 20))
		return 0;
	sel = data[0] % 7;
	s = xmalloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (sel) {
	case 0: {
		struct trailer *tr = NULL;
		size_t n = 0;

		trailers_extract(s, "x@y", &tr, &n);
		trailers_free(tr, n);
		break;
	}
	case 1: {
		struct subject_info si;
		char *d = mail_decode_header(s), *c;

		if (!subject_parse(d ? d : s, &si))
			subject_info_release(&si);
		c = mail_cleanup_subject(s);
		free(c);
		free(d);
		break;
	}
	case 2: {
		struct buf st = BUF_INIT, diff = BUF_INIT;
		char id[41];

		patch_split(s, &st, &diff);
		patch_id_stable(diff.buf ? diff.buf : "", id);
		buf_release(&st);
		buf_release(&diff);
		break;
	}
	case 3:
		apply_path_is_safe(s);
		break;
	case 4: {
		struct ktap k;

		ktap_parse(s, &k);
		ktap_release(&k);
		break;
	}
	case 5: {
		struct metrics m;

		metrics_parse(s, &m);
		metrics_release(&m);
		break;
	}
	case 6: {
		struct triage t;
		size_t i, step = (size_t)(data[size > 1 ? 1 : 0] % 13) + 1;

		triage_init(&t);
		for (i = 0; i < size - 1; i += step)
			triage_feed(&t, s + i, size - 1 - i < step ? size - 1 - i : step);
		triage_finish(&t, (enum triage_end)(size % 3));
		triage_release(&t);
		break;
	}
	}
	free(s);
	return 0;
}
