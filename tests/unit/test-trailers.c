/* Unit tests: trailers collected from replies (trailers.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trailers.h"

static void test_trailers(void **state)
{
	struct trailer *t = NULL;
	size_t n = 0;
	const char *body =
		"On Mon, someone wrote:\n"
		"> Reviewed-by: Quoted <q@example.com>\n"
		"  > Acked-by: Also Quoted <aq@example.com>\n"
		"Looks good.\n"
		"\n"
		"reviewed-by: Low Case <lc@example.com>\n"
		"Acked-by: A Person <a@example.com>\n"
		"Acked-by: A Person <a@example.com>\n"
		"Tested-by: no address here\n"
		"Signed-off-by: Not Collected <s@example.com>\n"
		"Fixes: 0123456789ab (\"mm: broke it\")\n"
		"Fixes: nothex\n"
		"base-commit: 0123456789abcdef0123456789abcdef01234567\n"
		"-- \n"
		"Reviewed-by: In Signature <sig@example.com>\n";

	(void)state;
	trailers_extract(body, "m@x", &t, &n);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].kind, "Reviewed-by");
	assert_string_equal(t[0].person, "Low Case <lc@example.com>");
	assert_string_equal(t[1].kind, "Acked-by");
	assert_string_equal(t[1].person, "A Person <a@example.com>");
	assert_string_equal(t[2].kind, "Fixes");
	assert_string_equal(t[2].person, "0123456789ab (\"mm: broke it\")");
	assert_string_equal(t[2].from_msgid, "m@x");
	trailers_free(t, n);
}

/* Link:/Closes: collected, Outlook's <a@b<mailto:a@b>> undone */
static void test_trailers_b4(void **state)
{
	struct trailer *t = NULL;
	size_t n = 0;
	char *a;

	(void)state;
	trailers_extract("ok\n\nLink: https://lore.kernel.org/r/x@y\n"
			 "Closes: https://bugzilla.example.org/1\n"
			 "Link: not a url\n"
			 "Reviewed-by: H J <h@example.com<mailto:h@example.com>>\n"
			 "Acked-by: O <o@example.com<mailto:other@example.com>>\n",
			 "m@x", &t, &n);
	assert_int_equal(n, 4);
	assert_string_equal(t[0].kind, "Link");
	assert_string_equal(t[0].person, "https://lore.kernel.org/r/x@y");
	assert_string_equal(t[1].kind, "Closes");
	assert_string_equal(t[2].person, "H J <h@example.com>");
	/* a mailto: that is another address is left as written */
	assert_string_equal(t[3].person,
			    "O <o@example.com<mailto:other@example.com>>");
	a = trailer_address("H J <H@Example.com>");
	assert_string_equal(a, "h@example.com");
	free(a);
	assert_null(trailer_address("https://x/y"));
	trailers_free(t, n);
}

/* a second reply appends to the same array; what is there is not added
 * again, and from_msgid is the caller's pointer, not a copy */
static void test_trailers_append(void **state)
{
	static const char first[] = "m1@x", second[] = "m2@x";
	struct trailer *t = NULL;
	size_t n = 0;

	(void)state;
	trailers_extract("Acked-by: A <a@example.com>\n", first, &t, &n);
	trailers_extract("Acked-by: A <a@example.com>\n"
			 "Tested-by: B <b@example.com>", second, &t, &n);
	assert_int_equal(n, 2);
	assert_ptr_equal(t[0].from_msgid, first);
	assert_string_equal(t[1].kind, "Tested-by");
	assert_string_equal(t[1].person, "B <b@example.com>");
	assert_ptr_equal(t[1].from_msgid, second);
	trailers_free(t, n);
}

/* what is not a trailer */
static void test_trailers_rejected(void **state)
{
	struct trailer *t = NULL;
	size_t n = 0;

	(void)state;
	trailers_extract("Reviewed-by:A <a@example.com>\n"	/* no space */
			 "Reviewed-by: \n"			/* no value */
			 "Reviewed-by: a@example.com <A>\n"	/* @ before < */
			 "Reviewed-by: A <a@example.com> x\n"	/* after > */
			 "Fixes: 0123456 (\"seven digits\")\n"
			 "Fixes: 0123456789ab\n"		/* no subject */
			 "Link: ftp://example.org/x\n"
			 "Closes: https://example.org/a b\n"
			 "Cc: C <c@example.com>\n"		/* not collected */
			 "1Acked-by: N <n@example.com>\n"
			 "Signed-off-by: S <s@example.com>\n",
			 "m@x", &t, &n);
	assert_int_equal(n, 0);
	assert_null(t);
	/* trailing white space goes, the kind is normalised */
	trailers_extract("TESTED-BY:   T <t@example.com>  \t\n", "m@x", &t, &n);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].kind, "Tested-by");
	assert_string_equal(t[0].person, "T <t@example.com>");
	trailers_free(t, n);
}

static void test_trailer_address(void **state)
{
	char *a;

	(void)state;
	a = trailer_address("A <a@b> <Last@Example.ORG>");
	assert_string_equal(a, "last@example.org");
	free(a);
	assert_null(trailer_address("Empty <>"));
	assert_null(trailer_address("Open <a@b"));
	assert_null(trailer_address("0123456789ab (\"subject\")"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trailers),
		cmocka_unit_test(test_trailers_b4),
		cmocka_unit_test(test_trailers_append),
		cmocka_unit_test(test_trailers_rejected),
		cmocka_unit_test(test_trailer_address),
	};

	return cmocka_run_group_tests_name("trailers", tests, NULL, NULL);
}
