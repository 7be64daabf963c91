/* SPDX-License-Identifier: BSD-2-Clause */
/* The typed view of the p11 inventory: every JSON string the layer writes
 * maps to its own enum value and back, an absent key is ABSENT, a value
 * this build does not know is OTHER, and the token flags read with the
 * defaults the checks rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "p11/p11.h"

static json_object *
with(const char *key, const char *val)
{
	json_object *o = json_object_new_object();

	if (val)
		json_object_object_add(o, key, json_object_new_string(val));
	return o;
}

static void
module_statuses(void **state)
{
	static const char *const names[] = { "ok", "not_found", "wrong_arch", "not_elf", "load_failed",
		"init_failed", "timeout", "crashed", "exited", "bad_message", "skipped", "not_run", "not_probed" };
	bool seen[ND_MOD_OTHER + 1] = { false };
	json_object *m;

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		enum nd_module_status s;

		m = with("status", names[i]);
		s = nd_p11_module_status(m);
		json_object_put(m);
		assert_true(s != ND_MOD_ABSENT && s != ND_MOD_OTHER);
		assert_false(seen[s]);
		seen[s] = true;
		assert_string_equal(nd_module_status_name(s), names[i]);
	}
	m = with("status", "melted");
	assert_int_equal(nd_p11_module_status(m), ND_MOD_OTHER);
	json_object_put(m);
	m = with("status", NULL);
	assert_int_equal(nd_p11_module_status(m), ND_MOD_ABSENT);
	json_object_put(m);
	assert_null(nd_module_status_name(ND_MOD_OTHER));
}

static void
devices_and_sign(void **state)
{
	static const char *const reasons[] = { "locked", "pin_locked", "final_try", "no_pin", "pin_unreadable",
		"pin_too_long", "pin_empty", "pin_has_nul", "pin_length", "pin_incorrect", "pin_invalid",
		"pin_expired", "login_failed", "context_login_failed", "no_token", "token_gone",
		"no_certificate", "no_certificate_id", "no_key", "no_mechanism", "verify_failed", "timeout",
		"crashed" };
	json_object *o;

	(void)state;
	o = with("device", "akis");
	assert_int_equal(nd_p11_token_device(o), ND_DEV_AKIS);
	json_object_put(o);
	o = with("device", "id_card");
	assert_int_equal(nd_p11_token_device(o), ND_DEV_ID_CARD);
	assert_string_equal(nd_token_device_name(ND_DEV_ID_CARD), "id_card");
	json_object_put(o);
	o = with("device", "bank_card");
	assert_int_equal(nd_p11_token_device(o), ND_DEV_OTHER);
	json_object_put(o);
	assert_int_equal(nd_p11_token_device(NULL), ND_DEV_ABSENT);

	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		enum nd_sign_reason r;

		o = with("reason", reasons[i]);
		r = nd_p11_sign_reason(o);
		json_object_put(o);
		assert_true(r != ND_SR_ABSENT && r != ND_SR_OTHER);
		assert_string_equal(nd_sign_reason_name(r), reasons[i]);
	}
	/* reasons the check words as "failed (reason, rv in call)" */
	o = with("reason", "sign_failed");
	assert_int_equal(nd_p11_sign_reason(o), ND_SR_OTHER);
	json_object_put(o);
	o = with("status", "verified");
	assert_int_equal(nd_p11_sign_status(o), ND_SIGN_VERIFIED);
	json_object_put(o);
	o = with("status", "not_run");
	assert_int_equal(nd_p11_sign_status(o), ND_SIGN_NOT_RUN);
	assert_int_equal(nd_p11_sign_reason(o), ND_SR_ABSENT);
	json_object_put(o);
}

static void
flags(void **state)
{
	struct nd_token_flags f;
	json_object *o = json_tokener_parse("{\"user_pin_locked\": true, \"token_initialized\": false,"
	    " \"user_pin_final_try\": \"yes\"}");

	(void)state;
	nd_p11_flags(o, &f);
	assert_true(f.known);
	assert_true(f.user_pin_locked);
	assert_false(f.token_initialized);
	assert_true(f.user_pin_initialized);     /* absent: initialised */
	assert_false(f.user_pin_final_try);      /* not a boolean: the default */
	assert_false(f.protected_authentication_path);
	json_object_put(o);
	nd_p11_flags(NULL, &f);
	assert_false(f.known);
	assert_true(f.token_initialized);
	assert_false(f.user_pin_locked);
}

static void
arrays(void **state)
{
	json_object *inv = json_tokener_parse("{\"modules\": [], \"tokens\": [{}], \"sign_test\": {}}");

	(void)state;
	assert_non_null(nd_p11_modules(inv));
	assert_int_equal(json_object_array_length(nd_p11_tokens(inv)), 1);
	assert_null(nd_p11_certificates(inv));
	assert_non_null(nd_p11_sign_facts(inv));
	json_object_put(inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(module_statuses),
		cmocka_unit_test(devices_and_sign),
		cmocka_unit_test(flags),
		cmocka_unit_test(arrays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
