/* Revocation answers judged on their own: CRLs of every scope (RFC 5280
 * 6.3.3) and OCSP answers with and without the nonce, made and signed here
 * by the fixed test issuer of the fuzz harnesses (tests/fuzz/fuzz_x509_pair.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../fuzz/fuzz_x509_pair.h"
#include "core/i18n.h"
#include "x509/x509_int.h"

/* Judge a CRL made with flags; *cached: whether it would be cached. */
static void
crl(unsigned flags, struct nd_rev *r, bool *cached)
{
	uint8_t *p = NULL;
	size_t n = fuzz_mk_crl(flags, NULL, &p);
	X509_CRL *c = NULL;

	assert_true(n > 0);
	nd_crl_eval(p, n, fuzz_leaf, fuzz_issuer, FUZZ_CRL_URL, FUZZ_NOW, r, &c);
	*cached = c != NULL;
	X509_CRL_free(c);
	free(p);
}

static void
expect_unusable(unsigned flags, const char *error, const char *says)
{
	struct nd_rev r;
	bool cached;

	crl(flags, &r, &cached);
	print_message("flags %#x: status %d error %s: %s\n", flags, r.status, r.error ? r.error : "-", r.err);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_non_null(r.error);
	assert_string_equal(r.error, error);
	assert_non_null(strstr(r.err, says));
	assert_false(cached);
}

static void
crl_complete(void **state)
{
	struct nd_rev r;
	bool cached;

	(void)state;
	crl(0, &r, &cached);
	assert_int_equal(r.status, ND_REV_GOOD);
	assert_true(cached);
	crl(FZ_LEAF_REVOKED | FZ_ENTRY_EXTRAS, &r, &cached);
	assert_int_equal(r.status, ND_REV_REVOKED);
	assert_int_equal(r.reason, 1);
	/* an IDP that names the certificate's own distribution point, for
	 * end-user certificates: a complete CRL for it */
	crl(FZ_IDP_DP | FZ_IDP_ONLY_USER, &r, &cached);
	assert_int_equal(r.status, ND_REV_GOOD);
	/* unknown extensions that are not critical are ignored */
	crl(FZ_NONCRIT_UNKNOWN, &r, &cached);
	assert_int_equal(r.status, ND_REV_GOOD);
}

static void
crl_narrow_scope(void **state)
{
	(void)state;
	expect_unusable(FZ_DELTA, "crl_scope", "delta CRL");
	expect_unusable(FZ_IDP_ONLY_CA, "crl_scope", "only CA certificates");
	expect_unusable(FZ_IDP_ONLY_ATTR, "crl_scope", "only attribute certificates");
	expect_unusable(FZ_IDP_SOME_REASONS, "crl_scope", "only some revocation reasons");
	expect_unusable(FZ_IDP_OTHER_DP, "crl_scope", "another distribution point");
	expect_unusable(FZ_IDP_INDIRECT, "crl_scope", "indirect CRL");
}

static void
crl_unusable(void **state)
{
	(void)state;
	expect_unusable(FZ_CRIT_UNKNOWN, "crl_unusable", "1.3.6.1.4.1.99999.7");
	expect_unusable(FZ_FRESHEST_CRIT, "crl_unusable", "2.5.29.46");
	expect_unusable(FZ_ENTRY_CRIT_UNKNOWN, "crl_unusable", "entry has a critical extension");
	expect_unusable(FZ_ENTRY_CERT_ISSUER, "crl_unusable", "another certificate issuer");
	expect_unusable(FZ_OTHER_REMOVE, "crl_unusable", "removeFromCRL");
	expect_unusable(FZ_LEAF_REMOVE, "crl_unusable", "removeFromCRL");
}

/* A delta or partial-reasons CRL that lists the certificate still says so. */
static void
crl_partial_says_revoked(void **state)
{
	struct nd_rev r;
	bool cached;

	(void)state;
	crl(FZ_DELTA | FZ_LEAF_REVOKED, &r, &cached);
	assert_int_equal(r.status, ND_REV_REVOKED);
	assert_null(r.error);
	crl(FZ_IDP_SOME_REASONS | FZ_LEAF_REVOKED, &r, &cached);
	assert_int_equal(r.status, ND_REV_REVOKED);
	/* but never when the scope does not cover it at all */
	expect_unusable(FZ_IDP_ONLY_CA | FZ_LEAF_REVOKED, "crl_scope", "only CA certificates");
}

static void
crl_too_large(void **state)
{
	struct nd_rev r;
	size_t n = ND_X509_MAX_CRL + 1;
	uint8_t *p = calloc(1, n);

	(void)state;
	assert_non_null(p);
	nd_crl_eval(p, n, fuzz_leaf, fuzz_issuer, FUZZ_CRL_URL, FUZZ_NOW, &r, NULL);
	free(p);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_string_equal(r.error, "crl_too_large");
	assert_non_null(strstr(r.err, "larger than nesdoctor reads"));
}

/* ---- OCSP ---------------------------------------------------------------- */

struct q {
	OCSP_CERTID *id;
	OCSP_REQUEST *req;
	X509_STORE *st;
	STACK_OF(X509) *certs;
};

static void
ocsp(struct q *q, int status, long age, long valid, const unsigned char *nonce, struct nd_rev *r)
{
	uint8_t *p = NULL;
	time_t tu = FUZZ_NOW - age;
	size_t n = fuzz_mk_ocsp(status, tu, valid ? tu + valid : 0, nonce, sizeof fuzz_nonce, &p);

	nd_ocsp_eval(p, n, q->req, q->id, q->st, q->certs, FUZZ_NOW, r);
	print_message("age %ld valid %ld nonce %s: status %d %s\n", age, valid, nonce ? "yes" : "no",
	    r->status, r->err);
	free(p);
}

static void
ocsp_nonce(void **state)
{
	static const unsigned char wrong[16] = "another-question";
	struct q q;
	struct nd_rev r;

	(void)state;
	q.id = OCSP_cert_to_id(NULL, fuzz_leaf, fuzz_issuer);
	q.req = fuzz_mk_req(q.id);
	q.st = X509_STORE_new();
	X509_STORE_add_cert(q.st, fuzz_issuer);
	q.certs = sk_X509_new_null();
	/* echoed */
	ocsp(&q, V_OCSP_CERTSTATUS_GOOD, 60, 86400, fuzz_nonce, &r);
	assert_int_equal(r.status, ND_REV_GOOD);
	assert_string_equal(r.nonce, "echoed");
	assert_true(r.nonce_echoed);
	/* not echoed (RFC 5019), fresh: taken */
	ocsp(&q, V_OCSP_CERTSTATUS_GOOD, 3600, 7 * 86400, NULL, &r);
	assert_int_equal(r.status, ND_REV_GOOD);
	assert_string_equal(r.nonce, "absent");
	assert_false(r.nonce_echoed);
	ocsp(&q, V_OCSP_CERTSTATUS_REVOKED, 3 * 86400, 7 * 86400, NULL, &r);
	assert_int_equal(r.status, ND_REV_REVOKED);
	/* not echoed and older than the bound, though nextUpdate is ahead */
	ocsp(&q, V_OCSP_CERTSTATUS_GOOD, 5 * 86400, 7 * 86400, NULL, &r);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_non_null(strstr(r.err, "nonce"));
	/* not echoed, nextUpdate passed */
	ocsp(&q, V_OCSP_CERTSTATUS_GOOD, 2 * 86400, 86400, NULL, &r);
	assert_int_equal(r.status, ND_REV_NONE);
	/* a wrong nonce, however fresh */
	ocsp(&q, V_OCSP_CERTSTATUS_GOOD, 60, 86400, wrong, &r);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_int_equal(r.code, ND_ERR_CRYPTO);
	assert_non_null(strstr(r.err, "does not match"));
	/* from the future */
	ocsp(&q, V_OCSP_CERTSTATUS_GOOD, -3600, 86400, fuzz_nonce, &r);
	assert_int_equal(r.status, ND_REV_NONE);
	sk_X509_free(q.certs);
	X509_STORE_free(q.st);
	OCSP_REQUEST_free(q.req);
	OCSP_CERTID_free(q.id);
}

static int
setup(void **state)
{
	(void)state;
	fuzz_pair_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fuzz_pair_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crl_complete),
		cmocka_unit_test(crl_narrow_scope),
		cmocka_unit_test(crl_unusable),
		cmocka_unit_test(crl_partial_says_revoked),
		cmocka_unit_test(crl_too_large),
		cmocka_unit_test(ocsp_nonce),
	};
	nd_i18n_init("en");
	return cmocka_run_group_tests(tests, setup, teardown);
}
