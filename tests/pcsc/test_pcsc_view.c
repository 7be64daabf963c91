/* SPDX-License-Identifier: BSD-2-Clause */
/* The typed view of the pcsc inventory: every documented JSON string maps
 * to its own enum value and back, an absent key is ABSENT, a value this
 * build does not know is OTHER, and the accessors tolerate missing parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pcsc/view.h"

static json_object *
parse(const char *s)
{
	json_object *o = json_tokener_parse(s);

	if (!o)
		fail_msg("bad test JSON: %s", s);
	return o;
}

static enum nd_card_state
state_of(const char *s)
{
	json_object *card = json_object_new_object();
	enum nd_card_state st;

	if (s)
		json_object_object_add(card, "state", json_object_new_string(s));
	st = nd_pcsc_card_state(card);
	json_object_put(card);
	return st;
}

static void
card_states(void **state)
{
	/* the strings pcsc.h documents, in its order */
	static const char *const doc[] = { "answers", "mute", "in_use", "unsupported", "removed",
		"unpowered", "no_service", "error", "not_probed", "probe_failed" };
	bool seen[ND_CARD_OTHER + 1] = { false };

	(void)state;
	for (size_t i = 0; i < sizeof doc / sizeof doc[0]; i++) {
		enum nd_card_state st = state_of(doc[i]);

		assert_true(st != ND_CARD_ABSENT && st != ND_CARD_OTHER);
		assert_false(seen[st]);
		seen[st] = true;
		assert_string_equal(nd_card_state_name(st), doc[i]);
	}
	assert_int_equal(state_of("answers"), ND_CARD_ANSWERS);
	assert_int_equal(state_of("in_use"), ND_CARD_IN_USE);
	assert_int_equal(state_of(NULL), ND_CARD_ABSENT);
	assert_int_equal(state_of("Answers"), ND_CARD_OTHER);
	assert_int_equal(state_of(""), ND_CARD_OTHER);
	assert_int_equal(nd_pcsc_card_state(NULL), ND_CARD_ABSENT);
	assert_null(nd_card_state_name(ND_CARD_ABSENT));
	assert_null(nd_card_state_name(ND_CARD_OTHER));
	assert_null(nd_card_state_name((enum nd_card_state)99));
}

static void
services(void **state)
{
	static const char *const doc[] = { "ok", "not_running", "refused", "protocol_mismatch",
		"no_answer", "error", "collector_failed" };
	json_object *inv;

	(void)state;
	for (size_t i = 0; i < sizeof doc / sizeof doc[0]; i++) {
		json_object *p = json_object_new_object();
		enum nd_pcsc_service s;

		json_object_object_add(p, "service", json_object_new_string(doc[i]));
		s = nd_pcsc_service(p);
		assert_true(s != ND_PCSC_SVC_ABSENT && s != ND_PCSC_SVC_OTHER);
		assert_string_equal(nd_pcsc_service_name(s), doc[i]);
		json_object_put(p);
	}
	inv = parse("{\"pcsc\": {\"service\": \"sleeping\"}}");
	assert_int_equal(nd_pcsc_service(nd_pcsc_facts(inv)), ND_PCSC_SVC_OTHER);
	json_object_put(inv);
	inv = parse("{\"pcsc\": {\"service\": 3}}");
	assert_int_equal(nd_pcsc_service(nd_pcsc_facts(inv)), ND_PCSC_SVC_ABSENT);
	json_object_put(inv);
	assert_int_equal(nd_pcsc_service(NULL), ND_PCSC_SVC_ABSENT);
}

static void
readers_and_cards(void **state)
{
	json_object *inv = parse("{\"pcsc\": {\"service\": \"ok\", \"readers_rv\": \"SCARD_E_NO_READERS_AVAILABLE\"},"
	    " \"readers\": [{\"name\": \"A\", \"card\": null},"
	    "  {\"name\": \"B\", \"card\": {\"state\": \"answers\","
	    "   \"atr_info\": {\"problems\": [\"tck_bad\", \"bogus\"]}}}]}");
	json_object *b;

	(void)state;
	assert_int_equal(nd_pcsc_n_readers(inv), 2);
	assert_null(nd_pcsc_reader_card(nd_pcsc_reader_at(inv, 0)));
	assert_null(nd_pcsc_reader_at(inv, 2));
	b = nd_pcsc_reader_card(nd_pcsc_reader_at(inv, 1));
	assert_int_equal(nd_pcsc_card_state(b), ND_CARD_ANSWERS);
	assert_int_equal(nd_pcsc_card_n_problems(b), 2);
	assert_int_equal(nd_pcsc_card_problem(b, 0), ND_ATR_TCK_BAD);
	assert_int_equal(nd_pcsc_card_problem(b, 1), 0);
	assert_int_equal(nd_pcsc_card_problem(b, 2), 0);
	assert_true(nd_pcsc_readers_listed(nd_pcsc_facts(inv)));
	json_object_put(inv);

	inv = parse("{\"pcsc\": {\"readers_rv\": \"SCARD_F_INTERNAL_ERROR\"}}");
	assert_false(nd_pcsc_readers_listed(nd_pcsc_facts(inv)));
	assert_int_equal(nd_pcsc_n_readers(inv), 0);
	assert_null(nd_pcsc_reader_at(inv, 0));
	json_object_put(inv);
	assert_true(nd_pcsc_readers_listed(NULL));
	assert_int_equal(nd_pcsc_card_n_problems(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(card_states),
		cmocka_unit_test(services),
		cmocka_unit_test(readers_and_cards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
