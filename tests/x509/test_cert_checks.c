/* SPDX-License-Identifier: BSD-2-Clause */
/* The cert checks on hand-made inventories: each finding, its status, and
 * that a remedy is there when it does not pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/i18n.h"
#include "core/opts.h"
#include "core/util.h"
#include "ndtest.h"
#include "report/report.h"

static char nb_ok[32], na_ok[32], past1[32], past2[32], soon[32], future[32];

static void
iso(char *buf, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
setup(void **state)
{
	time_t now = time(NULL);

	(void)state;
	nd_i18n_init("en");
	iso(nb_ok, now - 86400 * 100);
	iso(na_ok, now + 86400 * 400);
	iso(past1, now - 86400 * 800);
	iso(past2, now - 86400 * 3);
	iso(soon, now + 86400 * 10 + 3600);
	iso(future, now + 86400 * 30);
	return 0;
}

/* A signing certificate's facts; fields replaced by the caller's JSON. */
static json_object *
cert(const char *override)
{
	char *s = nd_asprintf(
	    "{\"subject\": \"C=TR, CN=TEST, serialNumber=100******46\", \"serial\": \"1001\","
	    " \"not_before\": \"%s\", \"not_after\": \"%s\","
	    " \"key_usage\": [\"nonRepudiation\"],"
	    " \"qc_statements\": [\"0.4.0.1862.1.1\", \"2.16.792.1.61.0.1.5070.1.1\"],"
	    " \"policies\": [\"2.16.792.1.2.1.1.5.7.1.1\"],"
	    " \"key\": {\"type\": \"EC\", \"curve\": \"P-384\", \"bits\": 384},"
	    " \"holder\": {\"name\": \"TEST\", \"tckn\": \"100******46\", \"tckn_present\": true, \"tckn_valid\": true},"
	    " \"has_private_key\": true, \"source\": \"token\"}", nb_ok, na_ok);
	json_object *c = json_tokener_parse(s), *o = override ? json_tokener_parse(override) : NULL;

	assert_non_null(c);
	if (o) {
		json_object_object_foreach(o, k, v)
			json_object_object_add(c, k, json_object_get(v));
		json_object_put(o);
	}
	free(s);
	return c;
}

static struct nd_report rep;
static struct nd_opts opts;
/* inventory.signing_candidates for eval() */
static const char *candidates = "[{}]";

/* Evaluate the cert layer over an inventory made of a certificate (or
 * none), a chain status and a revocation result. */
static void
eval(json_object *sc, const char *chain_status, const char *revocation)
{
	nd_opts_defaults(&opts);
	opts.lang = "en";
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "x509",
	    json_tokener_parse("{\"certificates_seen\": 1, \"decode_errors\": []}"));
	json_object_object_add(rep.inventory, "signing_certificate", sc);
	json_object_object_add(rep.inventory, "signing_candidates", json_tokener_parse(candidates));
	json_object_object_add(rep.inventory, "chain_status", chain_status ? json_tokener_parse(chain_status) : NULL);
	json_object_object_add(rep.inventory, "chain", json_tokener_parse(
	    "[{\"source\": \"token\"}, {\"source\": \"aia\"}, {\"source\": \"cache\"}]"));
	json_object_object_add(rep.inventory, "revocation", revocation ? json_tokener_parse(revocation) : NULL);
	ndt_evaluate(&rep, ND_LAYER_CERT);
}

static const char *const CHAIN_OK = "{\"verified\": true, \"anchor\": \"kamusm\", \"anchor_subject\": \"Kamu SM Kök\"}";
static const char *const REV_GOOD = "{\"status\": \"good\", \"method\": \"ocsp\", \"url\": \"http://ocsp.kamusm.gov.tr\"}";

static const struct nd_result *
res(const char *id)
{
	return ndt_result(&rep, id);
}

static void
expect(const char *id, enum nd_status st, const char *needle)
{
	const struct nd_result *r = res(id);

	if (r->status != st)
		fail_msg("%s: status %s, message: %s", id, nd_status_name(r->status), r->message);
	if (needle && !strstr(r->message, needle) && !(r->remedy && strstr(r->remedy, needle)))
		fail_msg("%s: '%s' not in message '%s' nor remedy '%s'", id, needle, r->message,
		    r->remedy ? r->remedy : "");
	if (st == ND_FAIL || st == ND_WARN)
		assert_non_null(r->remedy);
}

static void
all_good_is_ready(void **state)
{
	(void)state;
	eval(cert(NULL), CHAIN_OK, REV_GOOD);
	expect("cert.qualified", ND_PASS, "TEST");
	expect("cert.validity", ND_PASS, "days left");
	expect("cert.holder", ND_PASS, "100******46");
	expect("cert.key", ND_PASS, "P-384");
	expect("cert.chain", ND_PASS, "Kamu SM");
	expect("cert.revocation", ND_PASS, "OCSP");
	assert_int_equal(rep.verdict, ND_READY);
	nd_report_reset(&rep);
}

static void
not_collected_is_undetermined(void **state)
{
	(void)state;
	nd_opts_defaults(&opts);
	nd_report_init(&rep, &opts);
	ndt_evaluate(&rep, ND_LAYER_CERT);
	assert_int_equal(res("cert.qualified")->status, ND_SKIP);
	assert_true(res("cert.qualified")->undetermined);
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	nd_report_reset(&rep);

	/* the collector ran, but the token layer listed nothing */
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "x509",
	    json_tokener_parse("{\"certificates_listed\": false, \"certificates_seen\": 0}"));
	json_object_object_add(rep.inventory, "signing_certificate", NULL);
	ndt_evaluate(&rep, ND_LAYER_CERT);
	assert_int_equal(res("cert.qualified")->status, ND_SKIP);
	assert_true(res("cert.qualified")->undetermined);
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	nd_report_reset(&rep);
}

static void
no_certificate(void **state)
{
	(void)state;
	nd_opts_defaults(&opts);
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "x509", json_tokener_parse("{\"certificates_seen\": 0}"));
	json_object_object_add(rep.inventory, "signing_certificate", NULL);
	ndt_evaluate(&rep, ND_LAYER_CERT);
	expect("cert.qualified", ND_FAIL, "444 5 576");
	assert_string_equal(rep.primary->def->id, "cert.qualified");
	/* the others have nothing to look at, and do not fail on their own */
	assert_int_equal(res("cert.validity")->status, ND_SKIP);
	assert_string_equal(res("cert.validity")->blocked_by, "cert.qualified");
	assert_int_equal(rep.verdict, ND_NOT_READY);
	nd_report_reset(&rep);
}

static void
qualified_findings(void **state)
{
	(void)state;
	eval(cert("{\"key_usage\": [\"digitalSignature\", \"keyEncipherment\"]}"), CHAIN_OK, REV_GOOD);
	expect("cert.qualified", ND_FAIL, "nonRepudiation");
	nd_report_reset(&rep);
	eval(cert("{\"qc_statements\": [\"0.4.0.1862.1.1\"]}"), CHAIN_OK, REV_GOOD);
	expect("cert.qualified", ND_FAIL, "2.16.792.1.61.0.1.5070.1.1");
	nd_report_reset(&rep);
	eval(cert("{\"policies\": [\"1.2.3.4\"]}"), CHAIN_OK, REV_GOOD);
	expect("cert.qualified", ND_WARN, "1.2.3.4");
	nd_report_reset(&rep);
}

/* Files given to verify are not a token: the message says where the
 * certificates came from. */
static void
several_certificates_by_source(void **state)
{
	(void)state;
	candidates = "[{}, {}]";
	eval(cert("{\"source\": \"file\", \"file\": \"a.pem\"}"), CHAIN_OK, REV_GOOD);
	expect("cert.qualified", ND_PASS, "2 personal certificates in the files given");
	if (strstr(res("cert.qualified")->message, "token"))
		fail_msg("files called a token: %s", res("cert.qualified")->message);
	nd_report_reset(&rep);

	eval(cert(NULL), CHAIN_OK, REV_GOOD);
	expect("cert.qualified", ND_PASS, "2 personal certificates on the token");
	nd_report_reset(&rep);
	candidates = "[{}]";
}

static void
validity_findings(void **state)
{
	char o[160];

	(void)state;
	snprintf(o, sizeof o, "{\"not_before\": \"%s\", \"not_after\": \"%s\"}", past1, past2);
	eval(cert(o), CHAIN_OK, REV_GOOD);
	expect("cert.validity", ND_FAIL, "expired");
	expect("cert.validity", ND_FAIL, "kamusm.bilgem.tubitak.gov.tr");
	assert_string_equal(rep.primary->def->id, "cert.validity");
	nd_report_reset(&rep);

	snprintf(o, sizeof o, "{\"not_before\": \"%s\"}", future);
	eval(cert(o), CHAIN_OK, REV_GOOD);
	expect("cert.validity", ND_FAIL, "timedatectl");
	nd_report_reset(&rep);

	snprintf(o, sizeof o, "{\"not_after\": \"%s\"}", soon);
	eval(cert(o), CHAIN_OK, REV_GOOD);
	expect("cert.validity", ND_WARN, "expires in 10 days");
	assert_int_equal(rep.verdict, ND_WARNING);
	nd_report_reset(&rep);

	eval(cert("{\"not_after\": \"garbage\"}"), CHAIN_OK, REV_GOOD);
	expect("cert.validity", ND_FAIL, NULL);
	nd_report_reset(&rep);

	/* a notBefore before 1970 is a date like any other */
	eval(cert("{\"not_before\": \"1950-01-01T00:00:00Z\"}"), CHAIN_OK, REV_GOOD);
	expect("cert.validity", ND_PASS, "days left");
	nd_report_reset(&rep);
}

static void
expiry_warn_option(void **state)
{
	char o[160];

	(void)state;
	snprintf(o, sizeof o, "{\"not_after\": \"%s\"}", soon);
	nd_opts_defaults(&opts);
	opts.expiry_warn_days = 5;
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "x509", json_tokener_parse("{}"));
	json_object_object_add(rep.inventory, "signing_certificate", cert(o));
	ndt_evaluate(&rep, ND_LAYER_CERT);
	expect("cert.validity", ND_PASS, NULL);
	nd_report_reset(&rep);
}

static void
holder_and_key_findings(void **state)
{
	(void)state;
	eval(cert("{\"holder\": {\"name\": \"X\", \"tckn_present\": false}}"), CHAIN_OK, REV_GOOD);
	expect("cert.holder", ND_WARN, "TCKN");
	nd_report_reset(&rep);
	eval(cert("{\"holder\": {\"name\": \"X\", \"tckn\": \"123******01\", \"tckn_present\": true, \"tckn_valid\": false}}"),
	    CHAIN_OK, REV_GOOD);
	expect("cert.holder", ND_WARN, "checksum");
	nd_report_reset(&rep);
	eval(cert("{\"key\": {\"type\": \"RSA\", \"bits\": 1024}}"), CHAIN_OK, REV_GOOD);
	expect("cert.key", ND_FAIL, "1024");
	nd_report_reset(&rep);
	eval(cert("{\"key\": {\"type\": \"RSA\", \"bits\": 2048}}"), CHAIN_OK, REV_GOOD);
	expect("cert.key", ND_PASS, "2048");
	nd_report_reset(&rep);
	eval(cert("{\"key\": {\"type\": \"RSA\", \"bits\": 16384}}"), CHAIN_OK, REV_GOOD);
	expect("cert.key", ND_PASS, "16384");
	nd_report_reset(&rep);
	eval(cert("{\"key\": {\"type\": \"RSA\", \"bits\": 65536}}"), CHAIN_OK, REV_GOOD);
	expect("cert.key", ND_FAIL, "unusually large");
	assert_int_equal(rep.verdict, ND_NOT_READY);
	nd_report_reset(&rep);
	eval(cert("{\"key\": {\"type\": \"EC\", \"curve\": \"brainpoolP256r1\", \"bits\": 256}}"), CHAIN_OK, REV_GOOD);
	expect("cert.key", ND_FAIL, "brainpoolP256r1");
	nd_report_reset(&rep);
	eval(cert("{\"has_private_key\": false}"), CHAIN_OK, REV_GOOD);
	expect("cert.key", ND_FAIL, "private key");
	nd_report_reset(&rep);
}

static void
chain_findings(void **state)
{
	(void)state;
	eval(cert(NULL), "{\"verified\": true, \"anchor\": \"system\", \"anchor_subject\": \"Other Root\"}", REV_GOOD);
	expect("cert.chain", ND_WARN, "Other Root");
	nd_report_reset(&rep);
	eval(cert(NULL), "{\"verified\": false, \"error\": \"issuer_not_found\", \"missing_issuer\": \"CN=Kamu\","
	    " \"needs_download\": \"http://depo.kamusm.gov.tr/nes/x.crt\"}", NULL);
	expect("cert.chain", ND_SKIP, "--offline");
	assert_true(res("cert.chain")->undetermined);
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	nd_report_reset(&rep);
	eval(cert(NULL), "{\"verified\": false, \"error\": \"issuer_not_found\", \"missing_issuer\": \"CN=Kamu\","
	    " \"aia_url\": \"http://depo.kamusm.gov.tr/nes/x.crt\", \"aia_error\": \"no answer within 10 s\"}", NULL);
	expect("cert.chain", ND_WARN, "http_proxy");
	nd_report_reset(&rep);
	eval(cert(NULL), "{\"verified\": false, \"error\": \"issuer_not_found\", \"missing_issuer\": \"CN=Nobody\"}", NULL);
	expect("cert.chain", ND_FAIL, "Nobody");
	/* revocation depends on the chain */
	assert_int_equal(res("cert.revocation")->status, ND_SKIP);
	assert_string_equal(res("cert.revocation")->blocked_by, "cert.chain");
	nd_report_reset(&rep);
	eval(cert(NULL), "{\"verified\": false, \"error\": \"untrusted_root\", \"error_subject\": \"CN=Evil\"}", NULL);
	expect("cert.chain", ND_FAIL, "Evil");
	nd_report_reset(&rep);
	eval(cert(NULL), "{\"verified\": false, \"error\": \"bad_signature\", \"error_subject\": \"CN=X\"}", NULL);
	expect("cert.chain", ND_FAIL, "forged");
	nd_report_reset(&rep);
}

static void
revocation_findings(void **state)
{
	(void)state;
	eval(cert(NULL), CHAIN_OK, "{\"status\": \"revoked\", \"method\": \"crl\", \"url\": \"http://x/c.crl\","
	    " \"reason\": \"keyCompromise\", \"date\": \"2026-01-01T00:00:00Z\"}");
	expect("cert.revocation", ND_FAIL, "keyCompromise");
	expect("cert.revocation", ND_FAIL, "444 5 576");
	assert_string_equal(rep.primary->def->id, "cert.revocation");
	nd_report_reset(&rep);
	eval(cert(NULL), CHAIN_OK, "{\"status\": \"unknown\", \"error\": \"offline\", \"offline\": true}");
	expect("cert.revocation", ND_WARN, "--offline");
	assert_int_equal(rep.verdict, ND_WARNING);
	nd_report_reset(&rep);
	eval(cert(NULL), CHAIN_OK, "{\"status\": \"unknown\", \"error\": \"timeout\", \"method\": \"ocsp\","
	    " \"url\": \"http://ocsp.kamusm.gov.tr\", \"detail\": \"no answer within 10 s\"}");
	expect("cert.revocation", ND_WARN, "http://ocsp.kamusm.gov.tr");
	expect("cert.revocation", ND_WARN, "http_proxy");
	nd_report_reset(&rep);
	eval(cert(NULL), CHAIN_OK, "{\"status\": \"unknown\", \"error\": \"parse\", \"method\": \"ocsp\","
	    " \"url\": \"http://ocsp\", \"detail\": \"the answer is not an OCSP response\"}");
	expect("cert.revocation", ND_WARN, "not an OCSP response");
	nd_report_reset(&rep);
	eval(cert(NULL), CHAIN_OK, "{\"status\": \"good\", \"method\": \"crl\", \"url\": \"http://x/c.crl\","
	    " \"cached\": true, \"next_update\": \"2030-01-01T00:00:00Z\"}");
	expect("cert.revocation", ND_PASS, "cached");
	nd_report_reset(&rep);
}

static void
unreadable_and_corrupt_files(void **state)
{
	(void)state;
	nd_opts_defaults(&opts);
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "inputs", json_tokener_parse(
	    "[{\"file\": \"a.pem\", \"error\": \"parse\", \"detail\": \"not a certificate\"}]"));
	json_object_object_add(rep.inventory, "x509", json_tokener_parse("{\"certificates_seen\": 0}"));
	ndt_evaluate(&rep, ND_LAYER_CERT);
	expect("cert.qualified", ND_FAIL, "a.pem");
	assert_int_equal(nd_verdict_exit(rep.verdict), 2);
	nd_report_reset(&rep);
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "inputs", json_tokener_parse(
	    "[{\"file\": \"b.pem\", \"error\": \"not_found\", \"detail\": \"No such file\"}]"));
	json_object_object_add(rep.inventory, "x509", json_tokener_parse("{\"certificates_seen\": 0}"));
	ndt_evaluate(&rep, ND_LAYER_CERT);
	expect("cert.qualified", ND_SKIP, "b.pem");
	assert_int_equal(nd_verdict_exit(rep.verdict), 3);
	nd_report_reset(&rep);
}

static void
wrong_types_do_not_crash(void **state)
{
	(void)state;
	nd_opts_defaults(&opts);
	nd_report_init(&rep, &opts);
	json_object_object_add(rep.inventory, "x509", json_tokener_parse("{\"certificates_seen\": \"x\"}"));
	json_object_object_add(rep.inventory, "signing_certificate", json_tokener_parse(
	    "{\"key_usage\": \"nonRepudiation\", \"qc_statements\": 5, \"key\": [], \"holder\": 1,"
	    " \"not_before\": 7, \"has_private_key\": \"yes\"}"));
	json_object_object_add(rep.inventory, "chain_status", json_tokener_parse("{\"verified\": \"yes\"}"));
	json_object_object_add(rep.inventory, "chain", json_tokener_parse("[1, null, \"x\"]"));
	json_object_object_add(rep.inventory, "revocation", json_tokener_parse("{\"status\": 3}"));
	ndt_evaluate(&rep, ND_LAYER_CERT);
	assert_int_equal(res("cert.qualified")->status, ND_FAIL);
	nd_report_reset(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_good_is_ready),
		cmocka_unit_test(not_collected_is_undetermined),
		cmocka_unit_test(no_certificate),
		cmocka_unit_test(qualified_findings),
		cmocka_unit_test(validity_findings),
		cmocka_unit_test(several_certificates_by_source),
		cmocka_unit_test(expiry_warn_option),
		cmocka_unit_test(holder_and_key_findings),
		cmocka_unit_test(chain_findings),
		cmocka_unit_test(revocation_findings),
		cmocka_unit_test(unreadable_and_corrupt_files),
		cmocka_unit_test(wrong_types_do_not_crash),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
