/* SPDX-License-Identifier: BSD-2-Clause */
/* dys.ready on hand-made inventories: the lower layers are stand-in checks
 * with the real ids (their outcome read from inventory.fake), the cert
 * layer and dys.ready are the real ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "core/i18n.h"
#include "core/opts.h"
#include "core/util.h"
#include "ndtest.h"
#include "report/report.h"

static void
eval_fake(const struct nd_report *rep, struct nd_result *r)
{
	const char *s = nd_jstr(nd_jobj(rep->inventory, "fake"), r->def->id);

	if (!s || strcmp(s, "pass") == 0)
		nd_result_set(r, ND_PASS, "%s ok", r->def->id);
	else if (strcmp(s, "warn") == 0) {
		nd_result_set(r, ND_WARN, "%s warns", r->def->id);
		nd_result_remedy(r, "mind %s", r->def->id);
	} else if (strcmp(s, "undetermined") == 0) {
		nd_result_set(r, ND_SKIP, "%s unknown", r->def->id);
		r->undetermined = true;
	} else {
		nd_result_set(r, ND_FAIL, "%s failed", r->def->id);
		nd_result_remedy(r, "fix %s", r->def->id);
	}
}

#define FAKE(var, id, ...) \
	static const struct nd_check_def var = { id, ND_LAYER_PCSC, { __VA_ARGS__ }, eval_fake }
FAKE(f_usb, "usb.driver", NULL);
FAKE(f_service, "pcsc.service", NULL);
FAKE(f_reader, "pcsc.reader", "pcsc.service", NULL);
FAKE(f_card, "pcsc.card", "pcsc.reader", NULL);
FAKE(f_type, "pcsc.card_type", "pcsc.card", NULL);
FAKE(f_module, "p11.module", NULL);
FAKE(f_token, "p11.token", "p11.module", "pcsc.card", NULL);
FAKE(f_pin, "p11.pin", "p11.token", NULL);
FAKE(f_objects, "p11.objects", "p11.token", NULL);
FAKE(f_mech, "p11.mechanisms", "p11.token", NULL);

static struct nd_report rep;
static struct nd_opts opts;

/* fake: JSON map id -> outcome; skip: an id to leave out (not evaluated) */
static void
run(const char *fake, const char *skip, const char *revocation)
{
	const struct nd_check_def *lower[] = { &f_usb, &f_service, &f_reader, &f_card, &f_type, &f_module,
		&f_token, &f_pin, &f_objects, &f_mech };
	const struct nd_check_def *defs[32];
	size_t n = 0;
	char nb[32], na[32], *sc;
	time_t now = time(NULL);
	struct tm tm;

	for (size_t i = 0; i < sizeof lower / sizeof lower[0]; i++)
		if (!skip || strcmp(lower[i]->id, skip) != 0)
			defs[n++] = lower[i];
	n = ndt_add_layers(defs, n, sizeof defs / sizeof defs[0], ND_LAYER_CERT | ND_LAYER_DYS);

	gmtime_r(&(time_t){ now - 86400 }, &tm);
	strftime(nb, sizeof nb, "%Y-%m-%dT%H:%M:%SZ", &tm);
	gmtime_r(&(time_t){ now + 86400 * 700 }, &tm);
	strftime(na, sizeof na, "%Y-%m-%dT%H:%M:%SZ", &tm);
	sc = nd_asprintf("{\"subject\": \"CN=AYŞE\", \"not_before\": \"%s\", \"not_after\": \"%s\","
	    " \"key_usage\": [\"nonRepudiation\"],"
	    " \"qc_statements\": [\"0.4.0.1862.1.1\", \"2.16.792.1.61.0.1.5070.1.1\"],"
	    " \"policies\": [\"2.16.792.1.2.1.1.5.7.1.1\"],"
	    " \"key\": {\"type\": \"RSA\", \"bits\": 2048},"
	    " \"holder\": {\"name\": \"AYŞE\", \"tckn\": \"100******46\", \"tckn_present\": true, \"tckn_valid\": true},"
	    " \"has_private_key\": true}", nb, na);

	nd_opts_defaults(&opts);
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "fake", json_tokener_parse(fake));
	json_object_object_add(rep.inventory, "x509", json_tokener_parse("{\"certificates_seen\": 1}"));
	json_object_object_add(rep.inventory, "signing_certificate", json_tokener_parse(sc));
	json_object_object_add(rep.inventory, "chain_status", json_tokener_parse(
	    "{\"verified\": true, \"anchor\": \"kamusm\"}"));
	json_object_object_add(rep.inventory, "revocation", json_tokener_parse(revocation ? revocation :
	    "{\"status\": \"good\", \"method\": \"ocsp\", \"url\": \"http://ocsp.kamusm.gov.tr\"}"));
	free(sc);
	nd_report_evaluate_defs(&rep, defs, n);
}

static const struct nd_result *
ready(void)
{
	return ndt_result(&rep, "dys.ready");
}

static void
everything_passes(void **state)
{
	(void)state;
	run("{}", NULL, NULL);
	assert_int_equal(ready()->status, ND_PASS);
	assert_non_null(strstr(ready()->message, "AYŞE"));
	assert_int_equal(rep.verdict, ND_READY);
	assert_null(rep.primary);
	nd_report_reset(&rep);
}

static void
failure_is_named_and_stays_primary(void **state)
{
	(void)state;
	run("{\"p11.pin\": \"fail\"}", NULL, NULL);
	assert_int_equal(ready()->status, ND_FAIL);
	assert_non_null(strstr(ready()->message, "p11.pin"));
	assert_string_equal(ready()->remedy, "fix p11.pin");
	assert_string_equal(rep.primary->def->id, "p11.pin");
	assert_int_equal(nd_verdict_exit(rep.verdict), 2);
	nd_report_reset(&rep);
}

static void
lowest_failure_wins(void **state)
{
	(void)state;
	/* the card fails: the token, objects and certificates are skipped
	 * because of it, and dys.ready blames the card, not a skipped check */
	run("{\"pcsc.card\": \"fail\", \"p11.module\": \"fail\"}", NULL, NULL);
	assert_int_equal(ready()->status, ND_FAIL);
	assert_non_null(strstr(ready()->message, "pcsc.card"));
	assert_string_equal(rep.primary->def->id, "pcsc.card");
	assert_int_equal(nd_report_find(&rep, "cert.qualified")->status, ND_SKIP);
	nd_report_reset(&rep);
}

static void
warnings_make_ready_with_warnings(void **state)
{
	(void)state;
	run("{\"p11.pin\": \"warn\"}", NULL,
	    "{\"status\": \"unknown\", \"error\": \"offline\", \"offline\": true}");
	assert_int_equal(ready()->status, ND_WARN);
	assert_non_null(strstr(ready()->message, "p11.pin"));
	assert_non_null(strstr(ready()->message, "cert.revocation"));
	assert_int_equal(rep.verdict, ND_WARNING);
	assert_int_equal(nd_verdict_exit(rep.verdict), 1);
	nd_report_reset(&rep);
}

static void
missing_layer_is_not_determined(void **state)
{
	(void)state;
	run("{}", "p11.mechanisms", NULL);
	assert_int_equal(ready()->status, ND_SKIP);
	assert_true(ready()->undetermined);
	assert_non_null(strstr(ready()->message, "p11.mechanisms"));
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	nd_report_reset(&rep);

	run("{\"p11.token\": \"undetermined\"}", NULL, NULL);
	assert_true(ready()->undetermined);
	assert_int_equal(nd_verdict_exit(rep.verdict), 3);
	nd_report_reset(&rep);

	/* but a failure elsewhere still decides */
	run("{\"pcsc.service\": \"fail\"}", "p11.mechanisms", NULL);
	assert_int_equal(ready()->status, ND_FAIL);
	assert_int_equal(rep.verdict, ND_NOT_READY);
	nd_report_reset(&rep);
}

static void
revoked_certificate_blocks(void **state)
{
	(void)state;
	run("{}", NULL, "{\"status\": \"revoked\", \"method\": \"ocsp\", \"reason\": \"keyCompromise\"}");
	assert_int_equal(ready()->status, ND_FAIL);
	assert_non_null(strstr(ready()->message, "cert.revocation"));
	assert_string_equal(rep.primary->def->id, "cert.revocation");
	nd_report_reset(&rep);
}

static void
failure_in_any_layer_is_named(void **state)
{
	(void)state;
	/* a layer dys.ready does not list by name (usb, sys) still decides,
	 * and the verdict check agrees with the report's primary cause */
	run("{\"usb.driver\": \"fail\", \"p11.pin\": \"fail\"}", NULL, NULL);
	assert_int_equal(ready()->status, ND_FAIL);
	assert_non_null(strstr(ready()->message, "usb.driver"));
	assert_string_equal(ready()->remedy, "fix usb.driver");
	assert_string_equal(rep.primary->def->id, "usb.driver");
	nd_report_reset(&rep);

	run("{\"usb.driver\": \"warn\"}", NULL, NULL);
	assert_int_equal(ready()->status, ND_WARN);
	assert_non_null(strstr(ready()->message, "usb.driver"));
	nd_report_reset(&rep);
}

static void
no_dependencies(void **state)
{
	(void)state;
	assert_null(nd_check_dys_ready.deps[0]);
	assert_string_equal(nd_check_dys_ready.id, "dys.ready");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(everything_passes),
		cmocka_unit_test(failure_is_named_and_stays_primary),
		cmocka_unit_test(lowest_failure_wins),
		cmocka_unit_test(warnings_make_ready_with_warnings),
		cmocka_unit_test(missing_layer_is_not_determined),
		cmocka_unit_test(revoked_certificate_blocks),
		cmocka_unit_test(failure_in_any_layer_is_named),
		cmocka_unit_test(no_dependencies),
	};
	nd_i18n_init("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
