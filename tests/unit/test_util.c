/* Pure helpers: TCKN masking and checksum, hex, the bounds-checked cursor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/util.h"

static void
tckn(void **state)
{
	char *m;

	(void)state;
	m = nd_mask_tckn("12345678901");
	assert_string_equal(m, "123******01");
	free(m);
	assert_true(nd_tckn_valid("10000000146"));
	assert_false(nd_tckn_valid("10000000147"));
	assert_false(nd_tckn_valid("00000000000"));
	assert_false(nd_tckn_valid("1000000014"));
	assert_false(nd_tckn_valid("1000000014a"));
}

static void
hex(void **state)
{
	uint8_t b[4];
	char *h;
	char sp[16];

	(void)state;
	assert_int_equal(nd_unhex("3B 9f:00", b, sizeof b), 3);
	h = nd_hex(b, 3);
	assert_string_equal(h, "3B9F00");
	free(h);
	nd_hex_spaced(b, 3, sp, sizeof sp);
	assert_string_equal(sp, "3B 9F 00");
	assert_int_equal(nd_unhex("3B9", b, sizeof b), -1);
	assert_int_equal(nd_unhex("0102030405", b, sizeof b), -1);
	assert_int_equal(nd_unhex("zz", b, sizeof b), -1);
}

static void
cursor(void **state)
{
	const uint8_t data[] = { 1, 2, 3 };
	struct nd_cur c;
	uint8_t v;
	uint16_t w;
	uint32_t d;

	(void)state;
	nd_cur_init(&c, data, sizeof data);
	assert_true(nd_cur_u8(&c, &v));
	assert_int_equal(v, 1);
	assert_false(nd_cur_u32be(&c, &d));   /* only 2 left */
	assert_false(nd_cur_ok(&c));
	nd_cur_init(&c, data, sizeof data);
	assert_true(nd_cur_u16be(&c, &w));
	assert_int_equal(w, 0x0102);
	assert_int_equal(nd_cur_left(&c), 1);
	nd_cur_init(&c, NULL, 5);
	assert_false(nd_cur_u8(&c, &v));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tckn),
		cmocka_unit_test(hex),
		cmocka_unit_test(cursor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
