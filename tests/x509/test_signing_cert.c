/* SPDX-License-Identifier: BSD-2-Clause */
/* The signing certificate on certificates made here with OpenSSL: one rule
 * for which certificate signs (p11.objects, cert.* and the candidates list
 * agree), the details of a qualified certificate that limit signing, and
 * what a certificate is when it is not a NES. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/conf.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "core/i18n.h"
#include "core/opts.h"
#include "core/util.h"
#include "p11/p11_int.h"
#include "ndtest.h"
#include "report/report.h"
#include "x509/x509.h"
#include "x509/x509_int.h"

static EVP_PKEY *key;
static char cache[64];

static int
setup(void **state)
{
	(void)state;
	nd_i18n_init("en");
	key = EVP_EC_gen("P-256");
	snprintf(cache, sizeof cache, "/tmp/nd-signing-XXXXXX");
	return key && mkdtemp(cache) ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd = nd_asprintf("rm -rf '%s'", cache);

	(void)state;
	EVP_PKEY_free(key);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	return 0;
}

/* The extensions of a Kamu SM-like NES, and the pieces tests change. */
#define KU_NR "keyUsage = critical, nonRepudiation\n"
#define POLICY_NOTICE "certificatePolicies = @pol\n"
#define QC_NES "1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs\n"
#define SECTIONS \
	"[pol]\npolicyIdentifier = 2.16.792.1.2.1.1.5.7.1.1\nuserNotice.1 = @notice\n" \
	"[notice]\nexplicitText = \"UTF8:Bu sertifika, 5070 sayılı Elektronik İmza Kanununa göre nitelikli elektronik sertifikadır.\"\n" \
	"[qcs]\nc = SEQUENCE:qc_c\nn = SEQUENCE:qc_nes\n" \
	"[qc_c]\nid = OID:0.4.0.1862.1.1\n[qc_nes]\nid = OID:2.16.792.1.61.0.1.5070.1.1\n"
#define NES_EXT "basicConstraints = critical, CA:FALSE\n" KU_NR POLICY_NOTICE QC_NES

/* A certificate for cn, valid from nb to na days from now, with the
 * extensions in ext (an OpenSSL config whose [ext] section is added). */
static X509 *
mkcert(const char *cn, long nb, long na, const char *ext, const char *sections)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	char *text = nd_asprintf("[ext]\n%s%s", ext, sections ? sections : SECTIONS);
	CONF *conf = NCONF_new(NULL);
	BIO *b = BIO_new_mem_buf(text, -1);
	X509V3_CTX ctx;
	long line = 0;

	assert_true(NCONF_load_bio(conf, b, &line) == 1);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1000 + (long)strlen(cn) + nb);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_UTF8, (const unsigned char *)"TR", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "serialNumber", MBSTRING_UTF8, (const unsigned char *)"10000000146", -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_gmtime_adj(X509_getm_notBefore(x), nb * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), na * 86400);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	X509V3_set_nconf(&ctx, conf);
	assert_true(X509V3_EXT_add_nconf(conf, &ctx, "ext", x) == 1);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	X509_NAME_free(n);
	NCONF_free(conf);
	BIO_free(b);
	free(text);
	return x;
}

static struct nd_opts opts;

/* A report whose token (AKIS, slot 0) holds these certificates, each with
 * its private key, collected by the x509 layer offline. */
static void
token_report(struct nd_report *rep, X509 **xs, size_t n)
{
	json_object *certs = json_object_new_array(), *ders = json_object_new_array();

	nd_opts_defaults(&opts);
	opts.lang = "en";
	opts.offline = true;
	opts.cache_dir = cache;
	nd_report_init(rep, &opts);
	json_object_object_add(rep->inventory, "modules", json_tokener_parse(
	    "[{\"path\": \"/usr/lib/libakisp11.so\", \"source\": \"akis-known-path\", \"status\": \"ok\", "
	    "\"info\": {\"manufacturer\": \"TUBITAK\", \"description\": \"AKIS\"}, \"slots\": []}]"));
	json_object_object_add(rep->inventory, "tokens", json_tokener_parse(
	    "[{\"module\": \"/usr/lib/libakisp11.so\", \"slot\": 0, \"label\": \"AKIS_0011\", "
	    "\"reader\": \"ACS ACR39U ICC Reader 00 00\", \"flags\": {\"token_initialized\": true, "
	    "\"user_pin_initialized\": true}, \"pin\": {\"min_len\": 4, \"max_len\": 8}, "
	    "\"mechanisms\": [{\"name\": \"CKM_ECDSA\", \"sign\": true}], \"anomalies\": []}]"));
	for (size_t i = 0; i < n; i++) {
		unsigned char *der = NULL;
		int dl = i2d_X509(xs[i], &der);
		json_object *c = json_object_new_object(), *d = json_object_new_object();
		char *b64 = nd_base64(der, (size_t)dl);

		assert_true(nd_p11_cert_summary(der, (size_t)dl, false, c));
		nd_jset_str(c, "module", "/usr/lib/libakisp11.so");
		json_object_object_add(c, "slot", json_object_new_int(0));
		nd_jset_str(c, "token", "AKIS_0011");
		json_object_object_add(c, "has_private_key", json_object_new_boolean(1));
		json_object_array_add(certs, c);
		json_object_object_add(d, "der", json_object_new_string(b64));
		json_object_array_add(ders, d);
		free(b64);
		OPENSSL_free(der);
	}
	json_object_object_add(rep->inventory, "certificates", certs);
	json_object_object_add(rep->internal, "certificates", ders);
	nd_x509_collect(rep);
	ndt_evaluate(rep, ND_LAYER_P11 | ND_LAYER_CERT);
}

/* An expired NES and its renewal on one token: every layer names the
 * renewal, whichever is listed first. */
static void
one_rule_for_the_signing_certificate(void **state)
{
	struct nd_report rep;
	X509 *xs[2];
	json_object *sc, *cands;

	(void)state;
	xs[0] = mkcert("ESKI SERTIFIKA", -800, -30, NES_EXT, NULL);
	xs[1] = mkcert("YENI SERTIFIKA", -29, 700, NES_EXT, NULL);
	for (int order = 0; order < 2; order++) {
		X509 *in[2] = { xs[order], xs[1 - order] };
		long renewed = order == 0 ? 1 : 0;

		token_report(&rep, in, 2);
		sc = nd_jobj(rep.inventory, "signing_certificate");
		assert_int_equal(nd_jint(sc, "index", -1), renewed);
		assert_int_equal(nd_p11_pick_signing_cert(&rep), renewed);
		ndt_has(ndt_result(&rep, "p11.objects")->message, "YENI SERTIFIKA");
		assert_int_equal(nd_jint(ndt_result(&rep, "p11.objects")->details, "certificate", -1), renewed);
		ndt_has(ndt_result(&rep, "cert.qualified")->message, "YENI SERTIFIKA");
		assert_int_equal(ndt_result(&rep, "cert.validity")->status, ND_PASS);
		cands = nd_jarr(rep.inventory, "signing_candidates");
		assert_int_equal(json_object_array_length(cands), 2);
		for (size_t i = 0; i < 2; i++) {
			json_object *c = json_object_array_get_idx(cands, i);
			assert_int_equal(nd_jbool(c, "chosen", false), nd_jint(c, "index", -1) == renewed);
		}
		nd_report_reset(&rep);
	}
	X509_free(xs[0]);
	X509_free(xs[1]);
}

/* signing_candidates[].qualified and cert.qualified: one definition. */
static void
qualified_means_one_thing(void **state)
{
	struct nd_report rep;
	X509 *x = mkcert("IMZASIZ", -10, 300, "basicConstraints = critical, CA:FALSE\n"
	    "keyUsage = critical, digitalSignature\n" POLICY_NOTICE QC_NES, NULL);
	json_object *c;

	(void)state;
	token_report(&rep, &x, 1);
	c = json_object_array_get_idx(nd_jarr(rep.inventory, "signing_candidates"), 0);
	assert_false(nd_jbool(c, "qualified", true));
	assert_int_equal(ndt_result(&rep, "cert.qualified")->status, ND_FAIL);
	nd_report_reset(&rep);
	X509_free(x);
}

/* One certificate on the token; its cert.qualified result. */
static const struct nd_result *
qualified_of(struct nd_report *rep, const char *ext, const char *sections)
{
	X509 *x = mkcert("TEST KULLANICI", -10, 300, ext, sections);

	token_report(rep, &x, 1);
	X509_free(x);
	return ndt_result(rep, "cert.qualified");
}

#define QC_SECTIONS(extra_qcs, extra) \
	"[pol]\npolicyIdentifier = 2.16.792.1.2.1.1.5.7.1.1\nuserNotice.1 = @notice\n" \
	"[nopol]\npolicyIdentifier = 2.16.792.1.2.1.1.5.7.1.1\n" \
	"[seal]\npolicyIdentifier = 2.16.792.1.2.1.1.5.7.4.1\nuserNotice.1 = @notice\n" \
	"[notice]\nexplicitText = \"UTF8:Bu sertifika, 5070 sayılı Elektronik İmza Kanununa göre nitelikli elektronik sertifikadır.\"\n" \
	"[qcs]\nc = SEQUENCE:qc_c\nn = SEQUENCE:qc_nes\n" extra_qcs \
	"[qc_c]\nid = OID:0.4.0.1862.1.1\n[qc_nes]\nid = OID:2.16.792.1.61.0.1.5070.1.1\n" extra

/* Details that limit a qualified certificate: reported, and a warning. */
static void
limits_of_a_qualified_certificate(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;
	json_object *sc, *lim;

	(void)state;
	/* the plain NES passes, with its notice in the inventory */
	r = qualified_of(&rep, NES_EXT, NULL);
	assert_int_equal(r->status, ND_PASS);
	sc = nd_jobj(rep.inventory, "signing_certificate");
	ndt_has(nd_jstr(sc, "policy_user_notice"), "5070");
	assert_int_equal(json_object_array_length(nd_jarr(sc, "restrictions")), 0);
	nd_report_reset(&rep);

	/* QcLimitValue of 0 TRY */
	r = qualified_of(&rep, NES_EXT, QC_SECTIONS("l = SEQUENCE:qc_lim\n",
	    "[qc_lim]\nid = OID:0.4.0.1862.1.2\nv = SEQUENCE:mv\n"
	    "[mv]\ncur = PRINTABLESTRING:TRY\namount = INTEGER:0\nexp = INTEGER:0\n"));
	assert_int_equal(r->status, ND_WARN);
	ndt_has(r->message, "QcLimitValue");
	ndt_has(r->message, "zero");
	assert_non_null(r->remedy);
	sc = nd_jobj(rep.inventory, "signing_certificate");
	lim = nd_jobj(sc, "qc_limit");
	assert_string_equal(nd_jstr(lim, "currency"), "TRY");
	assert_int_equal(nd_jint(lim, "amount", -1), 0);
	assert_int_equal(nd_jint(lim, "exponent", -1), 0);
	assert_string_equal(nd_jstr(json_object_array_get_idx(nd_jarr(sc, "restrictions"), 0), "kind"), "qc_limit_zero");
	nd_report_reset(&rep);

	/* a Kamu SM NES whose policy has no user notice */
	r = qualified_of(&rep, "basicConstraints = critical, CA:FALSE\n" KU_NR "certificatePolicies = @nopol\n" QC_NES,
	    QC_SECTIONS("", ""));
	assert_int_equal(r->status, ND_WARN);
	ndt_has(r->message, "no user notice");
	assert_null(nd_jstr(nd_jobj(rep.inventory, "signing_certificate"), "policy_user_notice"));
	nd_report_reset(&rep);

	/* a user notice that restricts use */
	r = qualified_of(&rep, NES_EXT,
	    "[pol]\npolicyIdentifier = 2.16.792.1.2.1.1.5.7.1.1\nuserNotice.1 = @notice\n"
	    "[notice]\nexplicitText = \"UTF8:Bu sertifika yalnızca test amaçlıdır.\"\n"
	    "[qcs]\nc = SEQUENCE:qc_c\nn = SEQUENCE:qc_nes\n"
	    "[qc_c]\nid = OID:0.4.0.1862.1.1\n[qc_nes]\nid = OID:2.16.792.1.61.0.1.5070.1.1\n");
	assert_int_equal(r->status, ND_WARN);
	ndt_has(r->message, "yalnızca test");
	nd_report_reset(&rep);
}

/* A seal, an authentication and an encryption certificate are named. */
static void
what_a_certificate_is(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	r = qualified_of(&rep, "basicConstraints = critical, CA:FALSE\n" KU_NR "certificatePolicies = @seal\n" QC_NES,
	    QC_SECTIONS("", ""));
	assert_int_equal(r->status, ND_FAIL);
	ndt_has(r->message, "company seal (mali mühür)");
	ndt_has(r->remedy, "person's own");
	nd_report_reset(&rep);

	r = qualified_of(&rep, "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n"
	    POLICY_NOTICE, NULL);
	assert_int_equal(r->status, ND_FAIL);
	ndt_has(r->message, "authentication certificate");
	ndt_has(r->remedy, "person's own");
	nd_report_reset(&rep);

	r = qualified_of(&rep, "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, keyEncipherment\n"
	    POLICY_NOTICE, NULL);
	assert_int_equal(r->status, ND_FAIL);
	ndt_has(r->message, "encryption certificate");
	nd_report_reset(&rep);
}

/* An issuer offered only over LDAP: never "would have to be downloaded
 * from ldap://", offline or not. */
static void
ldap_is_not_downloaded(void **state)
{
	struct nd_report rep;
	X509 *x = mkcert("TEST KULLANICI", -10, 300, NES_EXT
	    "authorityInfoAccess = caIssuers;URI:ldap://depo.example/cn=Test%20CA?cACertificate\n", NULL);
	X509_NAME *iss = X509_NAME_new();
	const struct nd_result *r;

	(void)state;
	X509_NAME_add_entry_by_txt(iss, "CN", MBSTRING_UTF8, (const unsigned char *)"Test CA", -1, -1, 0);
	X509_set_issuer_name(x, iss);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	token_report(&rep, &x, 1);
	r = ndt_result(&rep, "cert.chain");
	if (strstr(r->message, "downloaded"))
		fail_msg("LDAP named as a download: %s", r->message);
	ndt_has(r->message, "only over LDAP");
	ndt_has(r->message, "ldap://depo.example");
	assert_non_null(r->remedy);
	nd_report_reset(&rep);
	X509_NAME_free(iss);
	X509_free(x);
}

/* Garbage before a good certificate and garbage after it are treated
 * alike: the certificate is read, and what was skipped is said. */
static void
pem_garbage_before_and_after(void **state)
{
	X509 *x = mkcert("TEST KULLANICI", -10, 300, NES_EXT, NULL);
	BIO *b = BIO_new(BIO_s_mem());
	char *pem, *before, *after, *path;
	long n;
	const char bad[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	const char pkey[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
	struct nd_report rep;
	json_object *in, *sk;
	FILE *f;

	(void)state;
	assert_true(PEM_write_bio_X509(b, x) == 1);
	n = BIO_get_mem_data(b, &pem);
	before = nd_asprintf("some notes\n%s%.*s", bad, (int)n, pem);
	after = nd_asprintf("%.*s%s%strailing words\n", (int)n, pem, pkey, bad);
	for (int i = 0; i < 2; i++) {
		const char *buf = i ? after : before;
		STACK_OF(X509) *out = sk_X509_new_null();
		json_object *skipped = json_object_new_array();
		char err[256];

		assert_int_equal(nd_x509_decode_certs_skipped((const uint8_t *)buf, strlen(buf), out, skipped,
		    err, sizeof err), ND_OK);
		assert_int_equal(sk_X509_num(out), 1);
		ndt_has(json_object_to_json_string(skipped), "damaged certificate block");
		ndt_has(json_object_to_json_string(skipped), "text outside PEM blocks (1 lines)");
		if (i)
			ndt_has(json_object_to_json_string(skipped), "PRIVATE KEY");
		sk_X509_pop_free(out, X509_free);
		json_object_put(skipped);
	}
	/* and verify's inputs[] says it */
	path = nd_asprintf("%s/before.pem", cache);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(before, f);
	fclose(f);
	nd_opts_defaults(&opts);
	nd_report_init(&rep, &opts);
	assert_int_equal(nd_x509_add_files(&rep, &path, 1), 1);
	in = json_object_array_get_idx(nd_jarr(rep.inventory, "inputs"), 0);
	assert_int_equal(nd_jint(in, "certificates", 0), 1);
	sk = nd_jarr(in, "skipped");
	assert_non_null(sk);
	assert_int_equal(json_object_array_length(sk), 2);
	nd_report_reset(&rep);
	free(path);
	free(before);
	free(after);
	BIO_free(b);
	X509_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_rule_for_the_signing_certificate),
		cmocka_unit_test(qualified_means_one_thing),
		cmocka_unit_test(limits_of_a_qualified_certificate),
		cmocka_unit_test(what_a_certificate_is),
		cmocka_unit_test(ldap_is_not_downloaded),
		cmocka_unit_test(pem_garbage_before_and_after),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
