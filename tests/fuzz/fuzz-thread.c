/* libFuzzer: an mbox as lore serves it → mails (GMime, RFC 2047) → thread
 * → series assembly and selection (src/mail.c, src/series.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"
#include "series.h"
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
	struct thread_opts o = { size & 1, MBOX_AUTO };
	struct thread t;
	const struct series *sel;
	char *copy;

	if (size > (1u << 20))
		return 0;
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	memset(&t, 0, sizeof(t));
	if (!thread_build(&t, copy, size, &o)) {
		thread_select(&t, 0, 0, &sel);
		thread_select(&t, 0, 1, &sel);
		thread_select(&t, 2, 1, &sel);
	}
	thread_release(&t);
	return 0;
}
