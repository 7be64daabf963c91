/* SPDX-License-Identifier: BSD-2-Clause */
/* Outside data made safe for output: the TCKN masker, UTF-8 check and
 * repair, the terminal escaper and the JSON walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/safe.h"

/* 12345678950 and 10000000146 pass the TCKN checksum, 12345678901 does not */

static void
masks_every_valid_run(void **state)
{
	char s[] = "CN=ALI 12345678950, O=10000000146 Ltd, x=12345678901";
	char label[] = "12345678950NES0";
	char longer[] = "123456789501 012345678950 1234567895";

	(void)state;
	assert_int_equal(nd_mask_tckns(s), 2);
	assert_string_equal(s, "CN=ALI 123******50, O=100******46 Ltd, x=12345678901");
	/* the NES label: a letter ends the run */
	assert_int_equal(nd_mask_tckns(label), 1);
	assert_string_equal(label, "123******50NES0");
	/* 12 digits, a leading zero, 10 digits: no TCKN */
	assert_int_equal(nd_mask_tckns(longer), 0);
	assert_int_equal(nd_mask_tckns(NULL), 0);
}

static void
utf8_valid_and_repaired(void **state)
{
	char *r;

	(void)state;
	assert_true(nd_utf8_valid("Türkçe ğüşiöç İ €𝄞", strlen("Türkçe ğüşiöç İ €𝄞")));
	assert_false(nd_utf8_valid("a\xff", 2));
	assert_false(nd_utf8_valid("\xc0\xaf", 2));           /* overlong '/' */
	assert_false(nd_utf8_valid("\xed\xa0\x80", 3));       /* surrogate */
	assert_false(nd_utf8_valid("\xf4\x90\x80\x80", 4));   /* above U+10FFFF */
	assert_false(nd_utf8_valid("\xc3", 1));               /* cut short */
	r = nd_utf8_repair("ldap://x/\xfc\xe7-\xc3");
	assert_string_equal(r, "ldap://x/\xEF\xBF\xBD\xEF\xBF\xBD-\xEF\xBF\xBD");
	free(r);
}

static void
text_escapes_controls(void **state)
{
	char *t;

	(void)state;
	t = nd_safe_text("A\033]0;owned\a\nready (exit 0)\r\t\x7f\xc2\x9b""2J\xe2\x80\xae\xff ü", true, false);
	assert_string_equal(t, "A\\x1b]0;owned\\x07\\nready (exit 0)\\r\\t\\x7f\\u009b2J\\u202e\\xff ü");
	free(t);
	/* a remedy keeps its line breaks, nothing else */
	t = nd_safe_text("one\ntwo\033[2J", true, true);
	assert_string_equal(t, "one\ntwo\\x1b[2J");
	free(t);
	/* masked unless --show-id */
	t = nd_safe_text("CN=12345678950", false, false);
	assert_string_equal(t, "CN=123******50");
	free(t);
	t = nd_safe_text("CN=12345678950", true, false);
	assert_string_equal(t, "CN=12345678950");
	free(t);
	t = nd_safe_text(NULL, false, false);
	assert_string_equal(t, "");
	free(t);
}

static void
safe_line_formats_then_escapes(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	nd_safe_line(f, false, "nesdoctor: %s: %s", "a\nready (exit 0)", "12345678950.pem");
	fclose(f);
	assert_string_equal(buf, "nesdoctor: a\\nready (exit 0): 123******50.pem\n");
	free(buf);
}

static void
json_walk(void **state)
{
	json_object *in = json_tokener_parse("{\"inputs\": [{\"file\": \"x\", \"n\": 18446744073709551615, "
	    "\"d\": 1.5, \"b\": true, \"z\": null}], \"sha256\": \"12345678950A\", \"id\": \"12345678950\", "
	    "\"label\": \"12345678950NES0\"}");
	json_object *out, *v, *in0;
	const char *s;

	(void)state;
	assert_non_null(in);
	/* bytes no JSON text can hold: set them directly */
	in0 = json_object_array_get_idx(json_object_object_get(in, "inputs"), 0);
	json_object_object_add(in0, "file", json_object_new_string("/tmp/\xff""12345678950.pem"));
	json_object_object_add(in, "k\xfe", json_object_new_string("\xc3("));
	out = nd_safe_json(in, ND_SAFE_JSON, false);
	s = json_object_to_json_string(out);
	assert_true(nd_utf8_valid(s, strlen(s)));
	v = json_object_array_get_idx(json_object_object_get(out, "inputs"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(v, "file")),
	    "/tmp/\xEF\xBF\xBD""123******50.pem");
	/* the bytes, masked too: "/tmp/" FF "123******50.pem" */
	assert_string_equal(json_object_get_string(json_object_object_get(v, "file_hex")),
	    "2F746D702FFF3132332A2A2A2A2A2A35302E70656D");
	assert_string_equal(json_object_get_string(json_object_object_get(v, "n")), "18446744073709551615");
	assert_true(json_object_get_double(json_object_object_get(v, "d")) == 1.5);
	assert_true(json_object_get_boolean(json_object_object_get(v, "b")));
	assert_true(json_object_object_get_ex(v, "z", NULL));
	/* hex by nature stays, free text is masked */
	assert_string_equal(json_object_get_string(json_object_object_get(out, "sha256")), "12345678950A");
	assert_string_equal(json_object_get_string(json_object_object_get(out, "id")), "12345678950");
	assert_string_equal(json_object_get_string(json_object_object_get(out, "label")), "123******50NES0");
	assert_string_equal(json_object_get_string(json_object_object_get(out, "k\xEF\xBF\xBD")), "\xEF\xBF\xBD(");
	json_object_put(out);
	/* --show-id: the numbers stay; text mode escapes */
	out = nd_safe_json(in, ND_SAFE_TEXT, true);
	v = json_object_array_get_idx(json_object_object_get(out, "inputs"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(v, "file")), "/tmp/\\xff12345678950.pem");
	assert_false(json_object_object_get_ex(v, "file_hex", NULL));
	json_object_put(out);
	json_object_put(in);
	assert_null(nd_safe_json(NULL, ND_SAFE_JSON, false));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(masks_every_valid_run),
		cmocka_unit_test(utf8_valid_and_repaired),
		cmocka_unit_test(text_escapes_controls),
		cmocka_unit_test(safe_line_formats_then_escapes),
		cmocka_unit_test(json_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
