/*
 * Unit tests: the URL rule of lore fetches (lore_url_allowed), on strings
 * only; nothing here resolves a name or opens a connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lore.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HTTPS_FIRST "https://lore.kernel.org/all/x@y/t.mbox.gz"
#define LOOP_FIRST "http://127.0.0.1:8080/all/x@y/t.mbox.gz"

struct url_case {
	const char *url, *first;
	int ok;
	const char *why;	/* a part of the reason, when refused */
};

static void check(const struct url_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *why = "unset";
		int rc = lore_url_allowed(c[i].url, c[i].first, &why);

		if (rc != (c[i].ok ? 0 : -1) ||
		    (c[i].ok ? why != NULL :
		     !why || !strstr(why, c[i].why)))
			fail_msg("%s (first %s): rc %d, why \"%s\"", c[i].url,
				 c[i].first ? c[i].first : "none", rc,
				 why ? why : "(null)");
	}
}

static void test_first_url(void **state)
{
	static const struct url_case c[] = {
		{ "https://lore.kernel.org/all/", NULL, 1, NULL },
		{ "HTTPS://lore.kernel.org/all/", NULL, 1, NULL },
		{ "http://127.0.0.1:8080/all/", NULL, 1, NULL },
		{ "http://127.1.2.3/all/", NULL, 1, NULL },
		{ "http://localhost:8080/all/", NULL, 1, NULL },
		{ "http://[::1]:8080/all/", NULL, 1, NULL },
		{ "http://lore.kernel.org/all/", NULL, 0, "loopback" },
		{ "http://10.1.2.3/x", NULL, 0, "plain http only on a loopback" },
		{ "http://128.0.0.1/x", NULL, 0, "loopback" },
		{ "http://[::2]/x", NULL, 0, "loopback" },
		{ "http://[::ffff:10.0.0.1]/x", NULL, 0, "loopback" },
		/* names that only look like loopback addresses */
		{ "http://127.0.0.1.evil.example/x", NULL, 0, "loopback" },
		{ "http://localhost.evil.example/x", NULL, 0, "loopback" },
		{ "http://localhost.evil/x", NULL, 0, "loopback" },
		{ "http://evil-localhost/x", NULL, 0, "loopback" },
		/* the host is what follows the userinfo */
		{ "http://127.0.0.1@evil.example/", NULL, 0, "loopback" },
		{ "http://localhost:80@evil.example/", NULL, 0, "loopback" },
		{ "http://user@127.0.0.1/", NULL, 1, NULL },
		{ "ftp://127.0.0.1/x", NULL, 0, "https is required" },
		{ "ftp://lore.kernel.org/x", NULL, 0, "https is required" },
		{ "file:///etc/passwd", NULL, 0, "https is required" },
		{ "gopher://127.0.0.1/x", NULL, 0, "https is required" },
		{ "lore.kernel.org/all/", NULL, 0, "URL" },
		{ "", NULL, 0, "URL" },
	};

	(void)state;
	check(c, N(c));
}

static void test_redirect_from_https(void **state)
{
	static const struct url_case c[] = {
		{ "https://lore.kernel.org/r/x@y/t.mbox.gz", HTTPS_FIRST, 1, NULL },
		{ "https://mirror.example.org/x", HTTPS_FIRST, 1, NULL },
		{ "https://127.0.0.1/x", HTTPS_FIRST, 1, NULL },
		/* no downgrade, not even to loopback */
		{ "http://127.0.0.1/x", HTTPS_FIRST, 0, "after an https URL" },
		{ "http://localhost:8080/x", HTTPS_FIRST, 0, "after an https URL" },
		{ "http://[::1]/x", HTTPS_FIRST, 0, "after an https URL" },
		{ "http://lore.kernel.org/x", HTTPS_FIRST, 0, "loopback" },
		{ "ftp://lore.kernel.org/x", HTTPS_FIRST, 0, "https is required" },
	};

	(void)state;
	check(c, N(c));
}

static void test_redirect_from_loopback(void **state)
{
	static const struct url_case c[] = {
		{ "http://127.0.0.1:8080/ok/x@y/t.mbox.gz", LOOP_FIRST, 1, NULL },
		{ "http://127.0.0.1:9/x", LOOP_FIRST, 1, NULL },
		{ "http://localhost/x", LOOP_FIRST, 1, NULL },
		{ "http://[::1]:8080/x", LOOP_FIRST, 1, NULL },
		{ "https://lore.kernel.org/all/x@y/t.mbox.gz", LOOP_FIRST, 1, NULL },
		{ "http://10.255.255.1:9/x", LOOP_FIRST, 0,
		  "plain http only on a loopback address" },
		{ "http://192.0.2.1:9/x", LOOP_FIRST, 0,
		  "plain http only on a loopback address" },
		{ "http://127.0.0.1.evil.example/x", LOOP_FIRST, 0, "loopback" },
		{ "http://localhost.evil/x", LOOP_FIRST, 0, "loopback" },
		{ "http://127.0.0.1@evil.example/", LOOP_FIRST, 0, "loopback" },
		{ "ftp://127.0.0.1/x", LOOP_FIRST, 0, "https is required" },
		{ "file:///etc/passwd", LOOP_FIRST, 0, "https is required" },
		/* a first URL that is itself refused allows nothing */
		{ "https://lore.kernel.org/x", "http://10.1.2.3/x", 0, "refused" },
		{ "https://lore.kernel.org/x", "ftp://127.0.0.1/x", 0, "refused" },
	};

	(void)state;
	check(c, N(c));
}

static void test_why_optional(void **state)
{
	(void)state;
	assert_int_equal(lore_url_allowed("https://lore.kernel.org/", NULL,
					  NULL), 0);
	assert_int_equal(lore_url_allowed("http://10.1.2.3/", NULL, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_url),
		cmocka_unit_test(test_redirect_from_https),
		cmocka_unit_test(test_redirect_from_loopback),
		cmocka_unit_test(test_why_optional),
	};
	int rc;

	lore_global_init();
	rc = cmocka_run_group_tests_name("lore", tests, NULL, NULL);
	lore_global_release();
	return rc;
}
