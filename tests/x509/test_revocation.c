/* SPDX-License-Identifier: BSD-2-Clause */
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

#include <openssl/pem.h>

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

/* ---- the stream parser ------------------------------------------------- */

/* Feed p in chunks of k bytes (0: all at once). */
static void
stream(const uint8_t *p, size_t n, size_t k, X509 *leaf, X509 *issuer, time_t now, bool sig,
       struct nd_rev *r)
{
	struct nd_crl_stream *s = nd_crl_stream_new(leaf, issuer, FUZZ_CRL_URL, now, sig);

	for (size_t off = 0; off < n;) {
		size_t c = k && k < n - off ? k : n - off;
		nd_crl_stream_feed(s, p + off, c);
		off += c;
	}
	nd_crl_stream_finish(s, r);
	nd_crl_stream_free(&s);
}

static void
same_rev(const struct nd_rev *a, const struct nd_rev *b)
{
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->code, b->code);
	assert_int_equal(a->reason, b->reason);
	assert_string_equal(a->err, b->err);
	assert_string_equal(a->date, b->date);
	assert_string_equal(a->next_update, b->next_update);
	assert_true((a->error == NULL) == (b->error == NULL));
	if (a->error)
		assert_string_equal(a->error, b->error);
	assert_int_equal(a->cacheable, b->cacheable);
}

/* Whatever the chunks, the same answer, for every kind of CRL. */
static void
crl_stream_chunks(void **state)
{
	static const unsigned variants[] = { 0, FZ_LEAF_REVOKED | FZ_ENTRY_EXTRAS, FZ_LEAF_REMOVE, FZ_OTHER_REMOVE,
		FZ_DELTA, FZ_DELTA | FZ_LEAF_REVOKED, FZ_IDP_DP | FZ_IDP_ONLY_USER, FZ_IDP_OTHER_DP, FZ_IDP_ONLY_CA,
		FZ_IDP_SOME_REASONS | FZ_LEAF_REVOKED, FZ_IDP_INDIRECT, FZ_CRIT_UNKNOWN,
		FZ_NONCRIT_UNKNOWN | FZ_FRESHEST_CRIT, FZ_ENTRY_CRIT_UNKNOWN, FZ_ENTRY_CERT_ISSUER };
	static const size_t chunks[] = { 1, 2, 3, 5, 17, 64, 100 };

	(void)state;
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		uint8_t *p = NULL;
		size_t n = fuzz_mk_crl(variants[v], NULL, &p);
		struct nd_rev whole, r;

		nd_crl_eval(p, n, fuzz_leaf, fuzz_issuer, FUZZ_CRL_URL, FUZZ_NOW, &whole, NULL);
		for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
			stream(p, n, chunks[c], fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
			same_rev(&whole, &r);
		}
		free(p);
	}
}

/* Cut anywhere: never an answer, always "not a CRL". */
static void
crl_stream_truncated(void **state)
{
	uint8_t *p = NULL;
	size_t n = fuzz_mk_crl(FZ_LEAF_REVOKED, NULL, &p);
	struct nd_rev r;

	(void)state;
	for (size_t cut = 0; cut < n; cut++) {
		stream(p, cut, 7, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
		assert_int_equal(r.status, ND_REV_NONE);
		assert_int_equal(r.code, ND_ERR_PARSE);
		assert_false(r.cacheable);
	}
	/* and bytes after it are not taken either */
	p = realloc(p, n + 1);
	assert_non_null(p);
	p[n] = 0;
	stream(p, n + 1, 0, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
	assert_int_equal(r.code, ND_ERR_PARSE);
	free(p);
}

/* A broken signature, another key, another issuer, out of date. */
static void
crl_stream_rejects(void **state)
{
	uint8_t *p = NULL;
	size_t n = fuzz_mk_crl(0, NULL, &p);
	EVP_PKEY *other = EVP_EC_gen("P-256");
	struct nd_rev r;

	(void)state;
	p[n - 5] ^= 0x01;   /* inside the signature value */
	stream(p, n, 13, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_int_equal(r.code, ND_ERR_CRYPTO);
	assert_non_null(strstr(r.err, "signature does not verify"));
	/* from a CRL verified before (the cache's record): not checked again */
	stream(p, n, 13, fuzz_leaf, fuzz_issuer, FUZZ_NOW, false, &r);
	assert_int_equal(r.status, ND_REV_GOOD);
	assert_false(r.sig_checked);
	free(p);
	n = fuzz_mk_crl(0, other, &p);
	stream(p, n, 0, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
	assert_int_equal(r.code, ND_ERR_CRYPTO);
	assert_non_null(strstr(r.err, "signature does not verify"));
	free(p);
	n = fuzz_mk_crl(0, NULL, &p);
	stream(p, n, 0, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
	assert_int_equal(r.status, ND_REV_GOOD);
	assert_true(r.sig_checked);
	/* the issuer named is not the one given */
	stream(p, n, 0, fuzz_leaf, fuzz_leaf, FUZZ_NOW, true, &r);
	assert_int_equal(r.code, ND_ERR_CRYPTO);
	assert_non_null(strstr(r.err, "another issuer"));
	/* expired: nextUpdate is a week after FUZZ_NOW */
	stream(p, n, 0, fuzz_leaf, fuzz_issuer, FUZZ_NOW + 8 * 86400L, true, &r);
	assert_int_equal(r.code, ND_ERR_PROTOCOL);
	assert_non_null(strstr(r.err, "out of date"));
	stream(p, n, 0, fuzz_leaf, fuzz_issuer, FUZZ_NOW - 2 * 86400L, true, &r);
	assert_non_null(strstr(r.err, "in the future"));
	free(p);
	EVP_PKEY_free(other);
}

/* PEM streams too, text before the block skipped. */
static void
crl_stream_pem(void **state)
{
	uint8_t *der = NULL;
	size_t n = fuzz_mk_crl(FZ_LEAF_REVOKED, NULL, &der);
	const unsigned char *q = der;
	X509_CRL *c = d2i_X509_CRL(NULL, &q, (long)n);
	BIO *b = BIO_new(BIO_s_mem());
	char *pem;
	long pn;
	struct nd_rev r;

	(void)state;
	assert_non_null(c);
	BIO_puts(b, "Certificate Revocation List\nsome text\n");
	PEM_write_bio_X509_CRL(b, c);
	pn = BIO_get_mem_data(b, &pem);
	for (size_t k = 1; k < 80; k += 13) {
		stream((const uint8_t *)pem, (size_t)pn, k, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
		assert_int_equal(r.status, ND_REV_REVOKED);
		assert_int_equal(r.reason, 1);
	}
	/* cut before the END line */
	stream((const uint8_t *)pem, (size_t)pn - 30, 0, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
	assert_int_equal(r.code, ND_ERR_PARSE);
	BIO_free(b);
	X509_CRL_free(c);
	free(der);
}

/* One element beyond the bound makes the CRL unusable, whatever its size. */
static void
crl_stream_big_element(void **state)
{
	/* SEQUENCE { SEQUENCE { INTEGER 1, SEQUENCE (100 KiB) ... */
	size_t big = 100 * 1024, n = 4 + 4 + 3 + 4 + big;
	uint8_t *p = calloc(1, n);
	struct nd_rev r;

	(void)state;
	assert_non_null(p);
	memcpy(p, "\x30\x83\x01\x90\x0f" "\x30\x83\x01\x90\x0a" "\x02\x01\x01" "\x30\x83\x01\x90\x00", 18);
	stream(p, n, 4096, fuzz_leaf, fuzz_issuer, FUZZ_NOW, true, &r);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_string_equal(r.error, "crl_unusable");
	assert_non_null(strstr(r.err, "larger than nesdoctor reads"));
	free(p);
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
		cmocka_unit_test(crl_stream_chunks),
		cmocka_unit_test(crl_stream_truncated),
		cmocka_unit_test(crl_stream_rejects),
		cmocka_unit_test(crl_stream_pem),
		cmocka_unit_test(crl_stream_big_element),
		cmocka_unit_test(ocsp_nonce),
	};
	nd_i18n_init("en");
	return cmocka_run_group_tests(tests, setup, teardown);
}
