/* SPDX-License-Identifier: BSD-2-Clause */
/* Pure helpers: TCKN masking and checksum, hex, the bounds-checked cursor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
base64(void **state)
{
	const uint8_t der[] = { 0x30, 0x82, 0x01, 0xff, 0x00 };
	uint8_t *back;
	size_t n;
	char *b;

	(void)state;
	for (size_t len = 1; len <= sizeof der; len++) {
		b = nd_base64(der, len);
		back = nd_unbase64(b, 64, &n);
		assert_non_null(back);
		assert_int_equal(n, len);
		assert_memory_equal(back, der, len);
		free(back);
		free(b);
	}
	assert_null(nd_unbase64("MII", 64, &n));          /* not a multiple of 4 */
	assert_null(nd_unbase64("", 64, &n));
	assert_null(nd_unbase64(NULL, 64, &n));
	assert_null(nd_unbase64("!!!!", 64, &n));          /* not base64 */
	assert_null(nd_unbase64("AAAAAAAA", 5, &n));       /* 6 bytes > max */
	back = nd_unbase64("AAAAAA==", 4, &n);             /* 4 bytes = max */
	assert_non_null(back);
	assert_int_equal(n, 4);
	free(back);
}

static void
read_file(void **state)
{
	char path[] = "/tmp/nd-util-XXXXXX";
	int fd = mkstemp(path);
	bool exists = false;
	char *t;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "ID=pardus\nVERSION=23\n", 22), 22);
	close(fd);
	t = nd_read_file(path, 9, &exists);
	assert_true(exists);
	assert_string_equal(t, "ID=pardus");   /* at most max bytes */
	free(t);
	unlink(path);
	assert_null(nd_read_file(path, 9, &exists));
	assert_false(exists);
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
		cmocka_unit_test(base64),
		cmocka_unit_test(read_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
