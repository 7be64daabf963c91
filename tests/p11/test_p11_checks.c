/* SPDX-License-Identifier: BSD-2-Clause */
/* The p11 and sign checks on hand-made inventories: what the person reads
 * (status, message, remedy) and the primary cause, for each failure the
 * layer knows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/i18n.h"
#include "core/opts.h"
#include "ndtest.h"
#include "report/report.h"

/* A stand-in for the PC/SC layer's card check: inventory.test_card says
 * "fail" or nothing. */
static void
eval_fake_card(const struct nd_report *rep, struct nd_result *r)
{
	json_object *v;

	if (json_object_object_get_ex(rep->inventory, "test_card", &v) &&
	    strcmp(json_object_get_string(v), "fail") == 0) {
		nd_result_set(r, ND_FAIL, "no card");
		nd_result_remedy(r, "insert the card");
	} else
		nd_result_set(r, ND_PASS, "card");
}

static const struct nd_check_def fake_card = { "pcsc.card", ND_LAYER_PCSC, { NULL }, eval_fake_card };

static struct nd_opts opts;

static void
run(struct nd_report *rep, const char *inv)
{
	const struct nd_check_def *defs[16];
	size_t n = 0;

	nd_opts_defaults(&opts);
	ndt_report(rep, &opts, inv);
	defs[n++] = &fake_card;
	n = ndt_add_layers(defs, n, sizeof defs / sizeof defs[0], ND_LAYER_P11 | ND_LAYER_SIGN);
	nd_report_evaluate_defs(rep, defs, n);
}

#define AKIS_OK "{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", \"status\": \"ok\", " \
	"\"info\": {\"manufacturer\": \"TUBITAK\", \"description\": \"AKIS\", \"library_version\": \"1.2\"}, \"slots\": []}"
#define TOKEN(flags) "{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, \"label\": \"AKIS_0011\", " \
	"\"reader\": \"ACS ACR39U ICC Reader 00 00\", \"flags\": {" flags "}, \"pin\": {\"min_len\": 4, \"max_len\": 8}, " \
	"\"mechanisms\": [{\"name\": \"CKM_SHA256_RSA_PKCS\", \"sign\": true}], \"anomalies\": []}"
#define FLAGS_OK "\"token_initialized\": true, \"user_pin_initialized\": true"
#define CERT(pk) "{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, \"token\": \"AKIS_0011\", " \
	"\"subject_cn\": \"TEST KULLANICI\", \"label\": \"100******46NES0\", \"id\": \"01\", \"key_type\": \"RSA\", " \
	"\"key_bits\": 2048, \"non_repudiation\": true, \"has_private_key\": " pk "}"

static void
all_good_is_ready(void **state)
{
	struct nd_report rep;

	(void)state;
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": [" CERT("true") "]}");
	assert_int_equal(ndt_result(&rep, "p11.module")->status, ND_PASS);
	assert_int_equal(ndt_result(&rep, "p11.token")->status, ND_PASS);
	ndt_has(ndt_result(&rep, "p11.token")->message, "ACS ACR39U ICC Reader 00 00");
	assert_int_equal(ndt_result(&rep, "p11.pin")->status, ND_PASS);
	assert_int_equal(ndt_result(&rep, "p11.objects")->status, ND_PASS);
	assert_int_equal(ndt_result(&rep, "p11.mechanisms")->status, ND_PASS);
	/* no signing test was run: undetermined, not failed */
	assert_int_equal(ndt_result(&rep, "sign.test")->status, ND_SKIP);
	assert_true(ndt_result(&rep, "sign.test")->undetermined);
	assert_null(rep.primary);
	nd_report_reset(&rep);
}

static void
no_akis_library(void **state)
{
	struct nd_report rep;

	(void)state;
	run(&rep, "{\"modules\": [], \"tokens\": [], \"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.module")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.module")->message, "libakisp11.so");
	ndt_has(ndt_result(&rep, "p11.module")->remedy, "AKİA");
	assert_string_equal(rep.primary->def->id, "p11.module");
	assert_int_equal(nd_verdict_exit(rep.verdict), 2);
	assert_int_equal(ndt_result(&rep, "p11.token")->status, ND_SKIP);
	assert_string_equal(ndt_result(&rep, "p11.token")->blocked_by, "p11.module");
	nd_report_reset(&rep);

	/* OpenSC alone does not stand in for the AKIS library */
	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so\", \"source\": \"opensc\", "
	    "\"status\": \"ok\"}], \"tokens\": [], \"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.module")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.module")->message, "not installed");
	nd_report_reset(&rep);
}

static void
module_failures_in_words(void **state)
{
	struct nd_report rep;

	(void)state;
	run(&rep, "{\"modules\": [{\"path\": \"/opt/Akia/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"wrong_arch\", \"elf\": {\"bits\": 32, \"machine\": \"i386\"}, "
	    "\"system\": {\"bits\": 64, \"machine\": \"x86-64\"}}], \"tokens\": [], \"certificates\": []}");
	ndt_has(ndt_result(&rep, "p11.module")->message, "32-bit i386");
	ndt_has(ndt_result(&rep, "p11.module")->message, "64-bit x86-64");
	ndt_has(ndt_result(&rep, "p11.module")->remedy, "64-bit");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"load_failed\", \"error_kind\": \"load\", \"dl_kind\": \"missing_library\", "
	    "\"missing_library\": \"libpcsclite.so.1\", \"package\": \"libpcsclite1\", "
	    "\"error\": \"libpcsclite.so.1: cannot open shared object file: No such file or directory\"}], "
	    "\"tokens\": [], \"certificates\": []}");
	ndt_has(ndt_result(&rep, "p11.module")->message, "libpcsclite.so.1");
	assert_string_equal(ndt_result(&rep, "p11.module")->remedy, "Install it: sudo apt install libpcsclite1");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"load_failed\", \"error_kind\": \"load\", \"dl_kind\": \"missing_library\", "
	    "\"missing_library\": \"libssl.so.1.1\", \"package\": \"libssl1.1\"}], \"tokens\": [], \"certificates\": []}");
	ndt_has(ndt_result(&rep, "p11.module")->remedy, "older system");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"timeout\", \"failed_call\": \"C_GetTokenInfo(slot 0)\", \"timeout_s\": 7}], "
	    "\"tokens\": [], \"certificates\": []}");
	ndt_has(ndt_result(&rep, "p11.module")->message, "7 s");
	ndt_has(ndt_result(&rep, "p11.module")->message, "C_GetTokenInfo(slot 0)");
	ndt_has(ndt_result(&rep, "p11.module")->remedy, "restart pcscd");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"crashed\", \"signal\": \"SIGSEGV\", \"failed_call\": \"C_Initialize\"}], "
	    "\"tokens\": [], \"certificates\": []}");
	ndt_has(ndt_result(&rep, "p11.module")->message, "SIGSEGV");
	ndt_has(ndt_result(&rep, "p11.module")->message, "C_Initialize");
	nd_report_reset(&rep);

	/* one copy works, another does not: a warning about the other */
	run(&rep, "{\"modules\": [" AKIS_OK ", {\"path\": \"/usr/lib/i386-linux-gnu/libakisp11.so\", "
	    "\"source\": \"akis-known-path\", \"status\": \"wrong_arch\", \"elf\": {\"bits\": 32, \"machine\": \"i386\"}, "
	    "\"system\": {\"bits\": 64, \"machine\": \"x86-64\"}}], \"tokens\": [" TOKEN(FLAGS_OK) "], "
	    "\"certificates\": [" CERT("true") "]}");
	assert_int_equal(ndt_result(&rep, "p11.module")->status, ND_WARN);
	ndt_has(ndt_result(&rep, "p11.module")->message, "/usr/lib/i386-linux-gnu/libakisp11.so");
	nd_report_reset(&rep);
}

static void
pin_states(void **state)
{
	struct nd_report rep;

	(void)state;
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK ", \"user_pin_locked\": true") "], "
	    "\"certificates\": [" CERT("null") "]}");
	assert_int_equal(ndt_result(&rep, "p11.pin")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.pin")->remedy, "Kilit Çözme");
	ndt_has(ndt_result(&rep, "p11.pin")->remedy, "444 5 576");
	assert_string_equal(rep.primary->def->id, "p11.pin");
	/* the signing test stands behind the PIN */
	assert_string_equal(ndt_result(&rep, "sign.test")->blocked_by, "p11.pin");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK ", \"user_pin_final_try\": true, \"user_pin_count_low\": true") "], "
	    "\"certificates\": [" CERT("null") "]}");
	assert_int_equal(ndt_result(&rep, "p11.pin")->status, ND_WARN);
	ndt_has(ndt_result(&rep, "p11.pin")->message, "FINAL TRY");
	ndt_has(ndt_result(&rep, "p11.pin")->remedy, "--force");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK ", \"user_pin_count_low\": true") "], "
	    "\"certificates\": [" CERT("null") "]}");
	assert_int_equal(ndt_result(&rep, "p11.pin")->status, ND_WARN);
	ndt_has(ndt_result(&rep, "p11.pin")->message, "wrong PIN");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK ", \"user_pin_to_be_changed\": true") "], "
	    "\"certificates\": [" CERT("null") "]}");
	assert_int_equal(ndt_result(&rep, "p11.pin")->status, ND_WARN);
	ndt_has(ndt_result(&rep, "p11.pin")->remedy, "PIN Değiştir");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK ", \"protected_authentication_path\": true") "], "
	    "\"certificates\": [" CERT("null") "]}");
	assert_int_equal(ndt_result(&rep, "p11.pin")->status, ND_PASS);
	ndt_has(ndt_result(&rep, "p11.pin")->message, "PIN pad");
	nd_report_reset(&rep);
}

static void
missing_token(void **state)
{
	struct nd_report rep;

	(void)state;
	/* the card check failed: the token check stands behind it */
	run(&rep, "{\"test_card\": \"fail\", \"modules\": [" AKIS_OK "], \"tokens\": [], \"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.token")->status, ND_SKIP);
	assert_string_equal(ndt_result(&rep, "p11.token")->blocked_by, "pcsc.card");
	assert_string_equal(rep.primary->def->id, "pcsc.card");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", \"status\": \"ok\", "
	    "\"slots\": [{\"id\": 0, \"description\": \"ACS ACR39U ICC Reader 00 00\", \"reader\": \"ACS ACR39U ICC Reader 00 00\", "
	    "\"token_present\": false}]}], \"readers\": [{\"name\": \"ACS ACR39U ICC Reader 00 00\", "
	    "\"card\": {\"family\": \"akis_tc\"}}], \"tokens\": [], \"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.token")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.token")->message, "ACS ACR39U ICC Reader 00 00");
	ndt_has(ndt_result(&rep, "p11.token")->remedy, "ID card");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, "
	    "\"reader\": \"R 00 00\", \"error\": {\"call\": \"C_GetTokenInfo\", \"rv\": \"CKR_TOKEN_NOT_RECOGNIZED\"}}], "
	    "\"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.token")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.token")->remedy, "e-signature (NES) card");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, "
	    "\"label\": \"KIMLIK\", \"device\": \"id_card\", \"reader\": \"R 00 00\", \"flags\": {}}], \"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.token")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.token")->message, "ID card");
	nd_report_reset(&rep);
}

static void
objects(void **state)
{
	struct nd_report rep;

	(void)state;
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.objects")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.objects")->message, "no certificate");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": [" CERT("false") "]}");
	assert_int_equal(ndt_result(&rep, "p11.objects")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.objects")->message, "private key");
	ndt_has(ndt_result(&rep, "p11.objects")->remedy, "renewed");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": ["
	    "{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, \"id\": \"01\", \"key_type\": \"RSA\", "
	    "\"has_private_key\": true, \"key_matches\": false}]}");
	assert_int_equal(ndt_result(&rep, "p11.objects")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.objects")->message, "does not belong");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": [" CERT("null") "]}");
	assert_int_equal(ndt_result(&rep, "p11.objects")->status, ND_PASS);
	ndt_has(ndt_result(&rep, "p11.objects")->message, "protected by the PIN");
	nd_report_reset(&rep);
}

static void
mechanisms(void **state)
{
	struct nd_report rep;

	(void)state;
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, "
	    "\"label\": \"AKIS_1\", \"flags\": {}, \"mechanisms\": [{\"name\": \"CKM_SHA1_RSA_PKCS\", \"sign\": true}]}], "
	    "\"certificates\": [" CERT("null") "]}");
	assert_int_equal(ndt_result(&rep, "p11.mechanisms")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "p11.mechanisms")->message, "SHA-256");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, "
	    "\"label\": \"AKIS_1\", \"flags\": {}, \"mechanisms\": [{\"name\": \"CKM_SHA256_RSA_PKCS\", \"sign\": true}, "
	    "{\"name\": \"CKM_ECDSA\", \"sign\": true}]}], \"certificates\": [{\"module\": \"/usr/lib/libakisp11.so\", "
	    "\"slot\": 0, \"id\": \"02\", \"key_type\": \"EC\", \"has_private_key\": true}]}");
	assert_int_equal(ndt_result(&rep, "p11.mechanisms")->status, ND_PASS);
	ndt_has(ndt_result(&rep, "p11.mechanisms")->message, "CKM_ECDSA");
	assert_null(strstr(ndt_result(&rep, "p11.mechanisms")->message, "RSA"));
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, "
	    "\"label\": \"AKIS_1\", \"flags\": {}}], \"certificates\": [" CERT("null") "]}");
	assert_true(ndt_result(&rep, "p11.mechanisms")->undetermined);
	nd_report_reset(&rep);
}

static void
signing_test_outcomes(void **state)
{
	struct nd_report rep;

	(void)state;
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": [" CERT("true") "], "
	    "\"sign_test\": {\"status\": \"verified\", \"mechanism\": \"CKM_SHA256_RSA_PKCS\", \"signature_bytes\": 256, "
	    "\"subject_cn\": \"TEST KULLANICI\"}}");
	assert_int_equal(ndt_result(&rep, "sign.test")->status, ND_PASS);
	ndt_has(ndt_result(&rep, "sign.test")->message, "TEST KULLANICI");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": [" CERT("true") "], "
	    "\"sign_test\": {\"status\": \"failed\", \"reason\": \"pin_incorrect\", \"login\": \"CKR_PIN_INCORRECT\", "
	    "\"flags_after\": {\"user_pin_final_try\": true}}}");
	assert_int_equal(ndt_result(&rep, "sign.test")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "sign.test")->message, "not tried again");
	ndt_has(ndt_result(&rep, "sign.test")->message, "one try is left");
	assert_string_equal(rep.primary->def->id, "sign.test");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK ", \"user_pin_final_try\": true") "], "
	    "\"certificates\": [" CERT("true") "], \"sign_test\": {\"status\": \"refused\", \"reason\": \"final_try\"}}");
	assert_int_equal(ndt_result(&rep, "sign.test")->status, ND_FAIL);
	ndt_has(ndt_result(&rep, "sign.test")->remedy, "--force");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": [" CERT("true") "], "
	    "\"sign_test\": {\"status\": \"not_run\", \"reason\": \"no_pin\"}}");
	ndt_has(ndt_result(&rep, "sign.test")->remedy, "--pin-fd");
	nd_report_reset(&rep);
}

static void
scope_of_module_option(void **state)
{
	struct nd_report rep;

	(void)state;
	/* with --module, only those count, AKIS or not */
	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/softhsm/libsofthsm2.so\", \"source\": \"--module\", "
	    "\"status\": \"ok\"}], \"tokens\": [{\"module\": \"/usr/lib/softhsm/libsofthsm2.so\", \"slot\": 5, "
	    "\"label\": \"t\", \"flags\": {" FLAGS_OK "}, \"mechanisms\": [{\"name\": \"CKM_ECDSA\"}]}], "
	    "\"certificates\": [{\"module\": \"/usr/lib/softhsm/libsofthsm2.so\", \"slot\": 5, \"id\": \"02\", "
	    "\"key_type\": \"EC\", \"has_private_key\": null}]}");
	assert_int_equal(ndt_result(&rep, "p11.module")->status, ND_PASS);
	assert_int_equal(ndt_result(&rep, "p11.token")->status, ND_PASS);
	assert_int_equal(ndt_result(&rep, "p11.mechanisms")->status, ND_PASS);
	nd_report_reset(&rep);
}

static void
turkish(void **state)
{
	struct nd_report rep;

	(void)state;
	nd_i18n_init("tr");
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK ", \"user_pin_locked\": true") "], "
	    "\"certificates\": [" CERT("null") "]}");
	ndt_has(ndt_result(&rep, "p11.pin")->message, "PIN");
	assert_null(strstr(ndt_result(&rep, "p11.pin")->message, "is locked"));
	nd_report_reset(&rep);
	nd_i18n_init("en");
}

/* Modules the layer's time did not reach are not blamed: a working module
 * passes next to them, a hanging one is named before them, and alone they
 * leave p11.module undetermined with what to do. */
static void
not_probed_modules(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	run(&rep, "{\"modules\": [" AKIS_OK ", {\"path\": \"/opt/x/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"not_probed\", \"error_kind\": \"time_ran_out\"}], \"tokens\": [" TOKEN(FLAGS_OK) "], "
	    "\"certificates\": []}");
	assert_int_equal(ndt_result(&rep, "p11.module")->status, ND_PASS);
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [{\"path\": \"/opt/x/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"not_probed\", \"error_kind\": \"time_ran_out\"}, {\"path\": \"/usr/lib/libakisp11.so\", "
	    "\"source\": \"akis-known-path\", \"status\": \"timeout\", \"failed_call\": \"C_Initialize\", \"timeout_s\": 2}], "
	    "\"tokens\": [], \"certificates\": []}");
	r = ndt_result(&rep, "p11.module");
	assert_int_equal(r->status, ND_FAIL);
	ndt_has(r->message, "/usr/lib/libakisp11.so did not answer within 2 s in C_Initialize");
	nd_report_reset(&rep);

	run(&rep, "{\"modules\": [{\"path\": \"/opt/x/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"not_probed\", \"error_kind\": \"time_ran_out\"}], \"tokens\": [], \"certificates\": []}");
	r = ndt_result(&rep, "p11.module");
	assert_int_equal(r->status, ND_SKIP);
	assert_true(r->undetermined);
	ndt_has(r->message, "was not probed to the end");
	ndt_has(r->remedy, "--timeout");
	nd_report_reset(&rep);
}

/* A hang's remedy restarts pcscd the way this system does: no systemctl in
 * a container without systemd. */
static void
hang_remedy_fits_the_system(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"timeout\", \"failed_call\": \"C_Initialize\", \"timeout_s\": 2}], \"tokens\": [], "
	    "\"certificates\": [], \"system\": {\"systemd\": false, \"container\": \"docker\"}}");
	r = ndt_result(&rep, "p11.module");
	ndt_has(r->remedy, "kill $(pidof pcscd); pcscd");
	if (strstr(r->remedy, "systemctl"))
		fail_msg("remedy in a container: %s", r->remedy);
	nd_report_reset(&rep);
	run(&rep, "{\"modules\": [{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", "
	    "\"status\": \"init_failed\", \"error\": \"CKR_GENERAL_ERROR\"}], \"tokens\": [], "
	    "\"certificates\": [], \"system\": {\"systemd\": false, \"container\": \"docker\"}}");
	r = ndt_result(&rep, "p11.module");
	ndt_has(r->remedy, "sys.pcscd");
	if (strstr(r->remedy, "systemctl"))
		fail_msg("remedy in a container: %s", r->remedy);
	nd_report_reset(&rep);

	/* the library sees no reader, in a container and on a desktop */
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [], \"certificates\": [], "
	    "\"system\": {\"systemd\": false, \"container\": \"docker\"}}");
	r = ndt_result(&rep, "p11.token");
	assert_int_equal(r->status, ND_FAIL);
	ndt_has(r->remedy, "sys.pcscd");
	if (strstr(r->remedy, "systemctl"))
		fail_msg("p11.token's remedy in a container: %s", r->remedy);
	nd_report_reset(&rep);
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [], \"certificates\": [], "
	    "\"system\": {\"systemd\": true}}");
	ndt_has(ndt_result(&rep, "p11.token")->remedy, "systemctl status pcscd");
	nd_report_reset(&rep);

	/* the library stopped during the signing test */
	run(&rep, "{\"modules\": [" AKIS_OK "], \"tokens\": [" TOKEN(FLAGS_OK) "], \"certificates\": [" CERT("true") "], "
	    "\"sign_test\": {\"status\": \"failed\", \"reason\": \"timeout\", \"call\": \"C_Sign\"}, "
	    "\"system\": {\"systemd\": false, \"container\": \"docker\"}}");
	r = ndt_result(&rep, "sign.test");
	assert_int_equal(r->status, ND_FAIL);
	ndt_has(r->remedy, "kill $(pidof pcscd); pcscd");
	if (strstr(r->remedy, "systemctl"))
		fail_msg("sign.test's remedy in a container: %s", r->remedy);
	nd_report_reset(&rep);
}

/* Several tokens and readers. Certificates judged by their own keys (no
 * DER here): qualified ones carry nonRepudiation and the QC statements. */
#define AKIS_SLOTS(slots) "{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", \"status\": \"ok\", " \
	"\"slots\": [" slots "]}"
#define SLOT(id, reader, present) "{\"id\": " id ", \"reader\": \"" reader "\", \"token_present\": " present "}"
#define TOK(slot, label, reader) "{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": " slot ", \"label\": \"" label "\", " \
	"\"reader\": \"" reader "\", \"device\": \"akis\", \"flags\": {" FLAGS_OK "}, " \
	"\"mechanisms\": [{\"name\": \"CKM_SHA256_RSA_PKCS\", \"sign\": true}], \"anomalies\": []}"
#define QCERT(slot, token, cn, not_after) "{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": " slot ", " \
	"\"token\": \"" token "\", \"subject_cn\": \"" cn "\", \"id\": \"01\", \"key_type\": \"RSA\", \"key_bits\": 2048, " \
	"\"non_repudiation\": true, \"key_usage\": [\"nonRepudiation\"], " \
	"\"qc_statements\": [\"0.4.0.1862.1.1\", \"2.16.792.1.61.0.1.5070.1.1\"], " \
	"\"not_before\": \"2020-01-01T00:00:00Z\", \"not_after\": \"" not_after "\"}"
#define READER(name, card) "{\"name\": \"" name "\"" card "}"
#define WITH_CARD ", \"card\": {\"state\": \"answers\"}"

static void
several_tokens(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;
	json_object *toks;

	(void)state;
	/* two qualified tokens: a program takes the first (A); the rule
	 * prefers B's later certificate, and both are named */
	run(&rep, "{\"modules\": [" AKIS_SLOTS(SLOT("0", "ACS ACR39U 00 00", "true") ", " SLOT("1", "ACS ACR39U 01 00", "true")) "], "
	    "\"tokens\": [" TOK("0", "AKIS_A", "ACS ACR39U 00 00") ", " TOK("1", "AKIS_B", "ACS ACR39U 01 00") "], "
	    "\"certificates\": [" QCERT("0", "AKIS_A", "KULLANICI A", "2099-01-01T00:00:00Z") ", "
	    QCERT("1", "AKIS_B", "KULLANICI B", "2099-06-01T00:00:00Z") "], "
	    "\"readers\": [" READER("ACS ACR39U 00 00", WITH_CARD) ", " READER("ACS ACR39U 01 00", WITH_CARD) "]}");
	r = ndt_expect(&rep, "p11.token", ND_WARN, "2 tokens with a qualified signing certificate", "Leave only");
	ndt_has(r->message, "AKIS_A in ACS ACR39U 00 00, AKIS_B in ACS ACR39U 01 00");
	ndt_has(r->message, "usually takes the first slot with a token (AKIS_A in ACS ACR39U 00 00); nesdoctor judged AKIS_B in ACS ACR39U 01 00");
	ndt_has(r->message, "pcscd lists the readers in this order: 1. ACS ACR39U 00 00, 2. ACS ACR39U 01 00.");
	/* the judged token is the one the certificate rule picks */
	ndt_has(ndt_result(&rep, "p11.objects")->message, "KULLANICI B");
	/* each token identified, with its own certificates */
	toks = json_object_object_get(r->details, "tokens");
	assert_int_equal(json_object_array_length(toks), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_array_get_idx(toks, 1), "label")), "AKIS_B");
	assert_int_equal(json_object_get_int(json_object_object_get(json_object_array_get_idx(toks, 1), "slot")), 1);
	assert_int_equal(json_object_get_int(json_object_object_get(json_object_array_get_idx(toks, 0), "qualified_certificates")), 1);
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_array_get_idx(toks, 0), "device")), "akis");
	nd_report_reset(&rep);

	/* the first token is also the one judged: said so */
	run(&rep, "{\"modules\": [" AKIS_OK "], "
	    "\"tokens\": [" TOK("0", "AKIS_A", "R1") ", " TOK("1", "AKIS_B", "R2") "], "
	    "\"certificates\": [" QCERT("0", "AKIS_A", "KULLANICI A", "2099-06-01T00:00:00Z") ", "
	    QCERT("1", "AKIS_B", "KULLANICI B", "2099-01-01T00:00:00Z") "]}");
	r = ndt_expect(&rep, "p11.token", ND_WARN, "the first slot with a token: AKIS_A in R1, the one nesdoctor judged", NULL);
	if (strstr(r->message, "pcscd lists"))
		fail_msg("no readers, yet an order: %s", r->message);
	nd_report_reset(&rep);

	/* one qualified token next to one without a qualified certificate
	 * (another kind of card): no warning, both identified */
	run(&rep, "{\"modules\": [" AKIS_OK "], "
	    "\"tokens\": [" TOK("0", "AKIS_A", "R1") ", " TOK("1", "OTHER", "R2") "], "
	    "\"certificates\": [" QCERT("0", "AKIS_A", "KULLANICI A", "2099-06-01T00:00:00Z") ", " CERT("true") "]}");
	r = ndt_expect(&rep, "p11.token", ND_PASS, "AKIS_A in R1 (and 1 more)", NULL);
	assert_int_equal(json_object_get_int(json_object_object_get(json_object_array_get_idx(
	    json_object_object_get(r->details, "tokens"), 1), "qualified_certificates")), 0);
	nd_report_reset(&rep);

	/* an empty slot ahead of the token: the order named, slot 0's trouble */
	run(&rep, "{\"modules\": [" AKIS_SLOTS(SLOT("0", "Virtual PCD 00 00", "false") ", " SLOT("1", "ACS ACR39U 00 00", "true")) "], "
	    "\"tokens\": [" TOK("1", "AKIS_A", "ACS ACR39U 00 00") "], "
	    "\"certificates\": [" QCERT("1", "AKIS_A", "KULLANICI A", "2099-01-01T00:00:00Z") "], "
	    "\"readers\": [" READER("Virtual PCD 00 00", "") ", " READER("ACS ACR39U 00 00", WITH_CARD) "]}");
	r = ndt_expect(&rep, "p11.token", ND_WARN, "The first slot, Virtual PCD 00 00, holds no usable token; AKIS_A comes later",
	    "slot 0 fail with \"no token\"");
	ndt_has(r->message, "The slots in order: 1. Virtual PCD 00 00 (no token), 2. ACS ACR39U 00 00 (AKIS_A).");
	ndt_has(r->message, "1. Virtual PCD 00 00 (no card), 2. ACS ACR39U 00 00.");
	ndt_has(r->remedy, "Unplug the reader that comes first (Virtual PCD 00 00)");
	nd_report_reset(&rep);

	/* the token in the first slot: nothing to say */
	run(&rep, "{\"modules\": [" AKIS_SLOTS(SLOT("0", "ACS ACR39U 00 00", "true") ", " SLOT("1", "Virtual PCD 00 00", "false")) "], "
	    "\"tokens\": [" TOK("0", "AKIS_A", "ACS ACR39U 00 00") "], "
	    "\"certificates\": [" QCERT("0", "AKIS_A", "KULLANICI A", "2099-01-01T00:00:00Z") "]}");
	ndt_expect(&rep, "p11.token", ND_PASS, "Token AKIS_A in ACS ACR39U 00 00", NULL);
	nd_report_reset(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_good_is_ready),
		cmocka_unit_test(no_akis_library),
		cmocka_unit_test(module_failures_in_words),
		cmocka_unit_test(pin_states),
		cmocka_unit_test(missing_token),
		cmocka_unit_test(objects),
		cmocka_unit_test(mechanisms),
		cmocka_unit_test(signing_test_outcomes),
		cmocka_unit_test(scope_of_module_option),
		cmocka_unit_test(turkish),
		cmocka_unit_test(not_probed_modules),
		cmocka_unit_test(hang_remedy_fits_the_system),
		cmocka_unit_test(several_tokens),
	};

	nd_i18n_init("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
