/* SPDX-License-Identifier: BSD-2-Clause */
/* core/run.h: the bounded command runner (exit status, stderr on request,
 * the deadline killing the whole group, the output cap, a missing command). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/run.h"
#include "core/util.h"

static void
bounded_commands(void **state)
{
	const char *echo[] = { "sh", "-c", "echo hello; echo err >&2; exit 3", NULL };
	const char *slow[] = { "sh", "-c", "sleep 5 & sleep 5", NULL };
	const char *loud[] = { "sh", "-c", "yes", NULL };
	const char *none[] = { "nd-no-such-command", NULL };
	struct nd_run_result r;
	int64_t t;

	(void)state;
	assert_int_equal(nd_run(echo, 2000, false, 1024, &r), ND_OK);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.out, "hello\n");
	nd_run_result_reset(&r);
	assert_int_equal(nd_run(echo, 2000, true, 1024, &r), ND_OK);
	assert_non_null(strstr(r.out, "err"));
	nd_run_result_reset(&r);
	t = nd_now_ms();
	assert_int_equal(nd_run(slow, 200, false, 1024, &r), ND_OK);
	assert_true(r.timed_out);
	assert_true(nd_now_ms() - t < 2000);   /* the whole group is killed */
	nd_run_result_reset(&r);
	assert_int_equal(nd_run(loud, 2000, false, 4096, &r), ND_OK);
	assert_true(r.truncated);
	assert_int_equal(r.out_len, 4096);
	nd_run_result_reset(&r);
	assert_int_equal(nd_run(none, 1000, false, 1024, &r), ND_ERR_NOT_FOUND);
	nd_run_result_reset(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bounded_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
