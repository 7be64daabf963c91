/* SPDX-License-Identifier: BSD-2-Clause */
/* Language and locale: Turkish from the environment, whether or not the
 * tr_TR locale is generated (i18n_tr.sh runs this both ways), and ASCII
 * case rules kept even in a Turkish locale (the dotless-i trap). */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "core/i18n.h"

static void
turkish_from_the_environment(void **state)
{
	(void)state;
	assert_string_equal(nd_i18n_init(NULL), "tr");
	assert_string_equal(_("Cause:"), "Neden:");
	assert_string_equal(nd_i18n_lang(), "tr");
}

static void
ascii_case_rules_in_turkish(void **state)
{
	(void)state;
	nd_i18n_init(NULL);
	/* in tr_TR.UTF-8 itself, tolower('I') is 'I' */
	assert_int_equal(tolower('I'), 'i');
	assert_int_equal(toupper('i'), 'I');
	assert_int_equal(strcasecmp("PIN", "pin"), 0);
	assert_non_null(strcasestr("TCKK KIMLIK", "kimlik"));
}

static void
english_forced(void **state)
{
	(void)state;
	assert_string_equal(nd_i18n_init("en"), "en");
	assert_string_equal(_("Cause:"), "Cause:");
	assert_null(nd_i18n_init("de"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(turkish_from_the_environment),
		cmocka_unit_test(ascii_case_rules_in_turkish),
		cmocka_unit_test(english_forced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
