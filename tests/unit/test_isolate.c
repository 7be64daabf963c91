/* The child-process isolation: messages, a hang, a crash, bad frames. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/isolate.h"
#include "core/util.h"

static void
child_talks(struct nd_chan *ch, void *arg)
{
	json_object *m = json_object_new_object();

	(void)arg;
	nd_chan_step(ch, "C_Initialize");
	json_object_object_add(m, "rv", json_object_new_int(0));
	nd_chan_send(ch, m);
	json_object_put(m);
}

static void
child_hangs(struct nd_chan *ch, void *arg)
{
	(void)arg;
	nd_chan_step(ch, "C_GetSlotList");
	for (;;)
		pause();
}

static void
child_crashes(struct nd_chan *ch, void *arg)
{
	(void)arg;
	nd_chan_step(ch, "C_GetTokenInfo");
	raise(SIGSEGV);
}

static bool
count_msgs(json_object *msg, void *ctx)
{
	int *n = ctx;

	assert_int_equal(nd_jint(msg, "rv", -1), 0);
	(*n)++;
	return true;
}

static void
messages_arrive(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 2000, 5000 };
	int n = 0;

	(void)state;
	assert_int_equal(nd_child_run(child_talks, NULL, &lim, count_msgs, &n, &res), ND_OK);
	assert_int_equal(res.end, ND_CHILD_EXITED);
	assert_int_equal(res.code, 0);
	assert_int_equal(n, 1);
	assert_string_equal(res.step, "C_Initialize");
}

static void
hang_is_killed_and_named(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 300, 5000 };

	(void)state;
	assert_int_equal(nd_child_run(child_hangs, NULL, &lim, NULL, NULL, &res), ND_OK);
	assert_int_equal(res.end, ND_CHILD_TIMEOUT);
	assert_string_equal(res.step, "C_GetSlotList");
	assert_true(res.elapsed_ms >= 300 && res.elapsed_ms < 3000);
}

static void
crash_is_reported(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 2000, 5000 };

	(void)state;
	assert_int_equal(nd_child_run(child_crashes, NULL, &lim, NULL, NULL, &res), ND_OK);
	assert_int_equal(res.end, ND_CHILD_SIGNALED);
	assert_int_equal(res.code, SIGSEGV);
	assert_string_equal(res.step, "C_GetTokenInfo");
}

static bool
never(json_object *m, void *c)
{
	(void)m;
	(void)c;
	fail();
	return true;
}

static void
bad_frames(void **state)
{
	struct nd_chan_decoder d = { 0 };
	const uint8_t huge[] = { 0x7f, 0xff, 0xff, 0xff };
	const uint8_t notjson[] = { 0, 0, 0, 3, 'a', 'b', 'c' };
	const uint8_t array[] = { 0, 0, 0, 2, '[', ']' };
	const uint8_t trailing[] = { 0, 0, 0, 4, '{', '}', '{', '}' };
	const uint8_t half[] = { 0, 0, 0, 9, '{' };

	(void)state;
	assert_int_equal(nd_chan_decode(&d, huge, sizeof huge, never, NULL), ND_ERR_PROTOCOL);
	nd_chan_decoder_free(&d);
	assert_int_equal(nd_chan_decode(&d, notjson, sizeof notjson, never, NULL), ND_ERR_PARSE);
	nd_chan_decoder_free(&d);
	assert_int_equal(nd_chan_decode(&d, array, sizeof array, never, NULL), ND_ERR_PARSE);
	nd_chan_decoder_free(&d);
	assert_int_equal(nd_chan_decode(&d, trailing, sizeof trailing, never, NULL), ND_ERR_PARSE);
	nd_chan_decoder_free(&d);
	assert_int_equal(nd_chan_decode(&d, half, sizeof half, never, NULL), ND_OK);
	assert_int_equal(d.len, sizeof half);
	nd_chan_decoder_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(messages_arrive),
		cmocka_unit_test(hang_is_killed_and_named),
		cmocka_unit_test(crash_is_reported),
		cmocka_unit_test(bad_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
