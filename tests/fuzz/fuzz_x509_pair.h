/* SPDX-License-Identifier: BSD-2-Clause */
/* A fixed issuer and leaf for the OCSP and CRL harnesses (and the unit
 * tests of revocation), and builders of CRLs and OCSP answers signed by
 * that issuer. The issuer's key is a fixed TEST KEY, written here in the
 * clear on purpose: the harnesses re-sign every input that parses with it,
 * so that what comes after the signature check is fuzzed too, and the
 * committed seeds (written by the harnesses themselves, see
 * tests/fuzz/README.md) verify against it. Everything is dated around
 * FUZZ_NOW, never the clock, so that a seed means the same thing in ten
 * years. */
#ifndef FUZZ_X509_PAIR_H
#define FUZZ_X509_PAIR_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define FUZZ_UNUSED __attribute__((unused))
#define FUZZ_NOW ((time_t)1700000000)   /* 2023-11-14 */
#define FUZZ_CRL_URL "http://fuzz.invalid/ca.crl"
#define FUZZ_LEAF_SERIAL 0x1005

/* TEST KEY ONLY (EC P-256), made for these harnesses; it signs nothing real. */
static const char fuzz_issuer_key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxjsjuG//METtlUDJ\n"
	"/FjULMVHrS5t44ZiZsypTN+P9K2hRANCAAR66BbwFOmCuKzlNnzZWmGR6nCQ7/ed\n"
	"zenkaXElgpcrc5KShqnxuY2RPik+9dtg+Kzc2ijVQVq58fLZgjkGxxiP\n"
	"-----END PRIVATE KEY-----\n";

static EVP_PKEY *fuzz_issuer_key;
static X509 *fuzz_issuer, *fuzz_leaf;

static FUZZ_UNUSED X509 *
fuzz_mk_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn, long serial)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	ASN1_TIME_set(X509_getm_notBefore(x), FUZZ_NOW - 86400L * 30);
	ASN1_TIME_set(X509_getm_notAfter(x), FUZZ_NOW + 86400L * 365 * 10);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, issuer ? "critical,CA:FALSE" : "critical,CA:TRUE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (issuer) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_crl_distribution_points, "URI:" FUZZ_CRL_URL);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	X509_sign(x, signer, EVP_sha256());
	X509_NAME_free(n);
	return x;
}

static FUZZ_UNUSED void
fuzz_pair_init(void)
{
	EVP_PKEY *lk;
	BIO *b;

	if (fuzz_issuer)
		return;
	b = BIO_new_mem_buf(fuzz_issuer_key_pem, -1);
	fuzz_issuer_key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!fuzz_issuer_key)
		abort();
	lk = EVP_EC_gen("P-256");   /* the leaf's key never signs anything */
	fuzz_issuer = fuzz_mk_cert(fuzz_issuer_key, fuzz_issuer_key, NULL, "Fuzz CA", 1);
	fuzz_leaf = fuzz_mk_cert(lk, fuzz_issuer_key, fuzz_issuer, "Fuzz Leaf", FUZZ_LEAF_SERIAL);
	EVP_PKEY_free(lk);
}

static FUZZ_UNUSED void
fuzz_pair_free(void)
{
	X509_free(fuzz_leaf);
	X509_free(fuzz_issuer);
	EVP_PKEY_free(fuzz_issuer_key);
	fuzz_leaf = fuzz_issuer = NULL;
	fuzz_issuer_key = NULL;
}

/* ---- CRLs ----------------------------------------------------------------- */

enum {
	FZ_LEAF_REVOKED = 1 << 0,     /* the leaf listed (keyCompromise) */
	FZ_LEAF_REMOVE = 1 << 1,      /* the leaf listed as removeFromCRL */
	FZ_OTHER_REMOVE = 1 << 2,     /* another entry with removeFromCRL */
	FZ_DELTA = 1 << 3,            /* deltaCRLIndicator */
	FZ_IDP_DP = 1 << 4,           /* IDP naming the leaf's distribution point */
	FZ_IDP_OTHER_DP = 1 << 5,     /* IDP naming another one */
	FZ_IDP_ONLY_USER = 1 << 6,
	FZ_IDP_ONLY_CA = 1 << 7,
	FZ_IDP_ONLY_ATTR = 1 << 8,
	FZ_IDP_SOME_REASONS = 1 << 9,
	FZ_IDP_INDIRECT = 1 << 10,
	FZ_CRIT_UNKNOWN = 1 << 11,    /* a critical extension nobody knows */
	FZ_NONCRIT_UNKNOWN = 1 << 12,
	FZ_ENTRY_CRIT_UNKNOWN = 1 << 13,
	FZ_ENTRY_CERT_ISSUER = 1 << 14,
	FZ_FRESHEST_CRIT = 1 << 15,   /* freshestCRL, critical */
	FZ_ENTRY_EXTRAS = 1 << 16,    /* invalidity date, hold instruction on an entry */
};

static FUZZ_UNUSED void
fuzz_add_unknown(STACK_OF(X509_EXTENSION) **sk, X509_CRL *crl, X509_REVOKED *rv, int crit)
{
	static const unsigned char null_der[] = { 0x05, 0x00 };
	ASN1_OBJECT *o = OBJ_txt2obj("1.3.6.1.4.1.99999.7", 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	(void)sk;
	ASN1_OCTET_STRING_set(os, null_der, sizeof null_der);
	e = X509_EXTENSION_create_by_OBJ(NULL, o, crit, os);
	if (crl)
		X509_CRL_add_ext(crl, e, -1);
	else
		X509_REVOKED_add_ext(rv, e, -1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(o);
}

static FUZZ_UNUSED X509_REVOKED *
fuzz_entry(long serial, int reason, unsigned flags)
{
	X509_REVOKED *rv = X509_REVOKED_new();
	ASN1_INTEGER *sn = ASN1_INTEGER_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, FUZZ_NOW - 86400L * 3);
	ASN1_ENUMERATED *e = ASN1_ENUMERATED_new();

	ASN1_INTEGER_set(sn, serial);
	X509_REVOKED_set_serialNumber(rv, sn);
	X509_REVOKED_set_revocationDate(rv, t);
	ASN1_ENUMERATED_set(e, reason);
	X509_REVOKED_add1_ext_i2d(rv, NID_crl_reason, e, 0, 0);
	if (flags & FZ_ENTRY_EXTRAS) {
		ASN1_GENERALIZEDTIME *g = ASN1_GENERALIZEDTIME_set(NULL, FUZZ_NOW - 86400L * 4);
		ASN1_OBJECT *hold = OBJ_nid2obj(NID_hold_instruction_reject);
		X509_REVOKED_add1_ext_i2d(rv, NID_invalidity_date, g, 0, 0);
		X509_REVOKED_add1_ext_i2d(rv, NID_hold_instruction_code, hold, 0, 0);
		ASN1_GENERALIZEDTIME_free(g);
	}
	ASN1_ENUMERATED_free(e);
	ASN1_TIME_free(t);
	ASN1_INTEGER_free(sn);
	return rv;
}

static FUZZ_UNUSED GENERAL_NAMES *
fuzz_uri_names(const char *url)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *s = ASN1_IA5STRING_new();

	ASN1_STRING_set(s, url, -1);
	GENERAL_NAME_set0_value(gn, GEN_URI, s);
	sk_GENERAL_NAME_push(gens, gn);
	return gens;
}

/* A CRL of fuzz_issuer's, signed with key (NULL: the issuer's), valid
 * from FUZZ_NOW - 1 day to FUZZ_NOW + 7 days. DER into *out (malloc'ed). */
static FUZZ_UNUSED size_t
fuzz_mk_crl(unsigned flags, EVP_PKEY *key, uint8_t **out)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, FUZZ_NOW - 86400L);
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	int n;

	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(fuzz_issuer));
	X509_CRL_set1_lastUpdate(crl, t);
	ASN1_TIME_set(t, FUZZ_NOW + 86400L * 7);
	X509_CRL_set1_nextUpdate(crl, t);
	X509_CRL_add0_revoked(crl, fuzz_entry(0x2001, 1, flags));
	if (flags & FZ_LEAF_REVOKED)
		X509_CRL_add0_revoked(crl, fuzz_entry(FUZZ_LEAF_SERIAL, 1, flags));
	if (flags & FZ_LEAF_REMOVE)
		X509_CRL_add0_revoked(crl, fuzz_entry(FUZZ_LEAF_SERIAL, CRL_REASON_REMOVE_FROM_CRL, 0));
	if (flags & FZ_OTHER_REMOVE)
		X509_CRL_add0_revoked(crl, fuzz_entry(0x2002, CRL_REASON_REMOVE_FROM_CRL, 0));
	if (flags & (FZ_ENTRY_CRIT_UNKNOWN | FZ_ENTRY_CERT_ISSUER)) {
		X509_REVOKED *rv = fuzz_entry(0x2003, 4, 0);
		if (flags & FZ_ENTRY_CRIT_UNKNOWN)
			fuzz_add_unknown(NULL, NULL, rv, 1);
		if (flags & FZ_ENTRY_CERT_ISSUER) {
			GENERAL_NAMES *g = sk_GENERAL_NAME_new_null();
			GENERAL_NAME *gn = GENERAL_NAME_new();
			GENERAL_NAME_set0_value(gn, GEN_DIRNAME, X509_NAME_dup(X509_get_subject_name(fuzz_leaf)));
			sk_GENERAL_NAME_push(g, gn);
			X509_REVOKED_add1_ext_i2d(rv, NID_certificate_issuer, g, 1, 0);
			GENERAL_NAMES_free(g);
		}
		X509_CRL_add0_revoked(crl, rv);
	}
	ASN1_INTEGER_set(num, 42);
	X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0);
	if (flags & FZ_DELTA)
		X509_CRL_add1_ext_i2d(crl, NID_delta_crl, num, 1, 0);
	if (flags & (FZ_IDP_DP | FZ_IDP_OTHER_DP | FZ_IDP_ONLY_USER | FZ_IDP_ONLY_CA | FZ_IDP_ONLY_ATTR |
	    FZ_IDP_SOME_REASONS | FZ_IDP_INDIRECT)) {
		ISSUING_DIST_POINT *idp = ISSUING_DIST_POINT_new();
		if (flags & (FZ_IDP_DP | FZ_IDP_OTHER_DP)) {
			idp->distpoint = DIST_POINT_NAME_new();
			idp->distpoint->type = 0;
			idp->distpoint->name.fullname =
			    fuzz_uri_names(flags & FZ_IDP_DP ? FUZZ_CRL_URL : "http://fuzz.invalid/other.crl");
		}
		idp->onlyuser = (flags & FZ_IDP_ONLY_USER) ? 0xff : 0;
		idp->onlyCA = (flags & FZ_IDP_ONLY_CA) ? 0xff : 0;
		idp->onlyattr = (flags & FZ_IDP_ONLY_ATTR) ? 0xff : 0;
		idp->indirectCRL = (flags & FZ_IDP_INDIRECT) ? 0xff : 0;
		if (flags & FZ_IDP_SOME_REASONS) {
			idp->onlysomereasons = ASN1_BIT_STRING_new();
			ASN1_BIT_STRING_set_bit(idp->onlysomereasons, 1, 1);   /* keyCompromise */
		}
		X509_CRL_add1_ext_i2d(crl, NID_issuing_distribution_point, idp, 1, 0);
		ISSUING_DIST_POINT_free(idp);
	}
	if (flags & FZ_CRIT_UNKNOWN)
		fuzz_add_unknown(NULL, crl, NULL, 1);
	if (flags & FZ_NONCRIT_UNKNOWN)
		fuzz_add_unknown(NULL, crl, NULL, 0);
	if (flags & FZ_FRESHEST_CRIT) {
		STACK_OF(DIST_POINT) *dps = sk_DIST_POINT_new_null();
		DIST_POINT *dp = DIST_POINT_new();
		dp->distpoint = DIST_POINT_NAME_new();
		dp->distpoint->type = 0;
		dp->distpoint->name.fullname = fuzz_uri_names("http://fuzz.invalid/delta.crl");
		sk_DIST_POINT_push(dps, dp);
		X509_CRL_add1_ext_i2d(crl, NID_freshest_crl, dps, 1, 0);
		sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	}
	X509_CRL_sort(crl);
	X509_CRL_sign(crl, key ? key : fuzz_issuer_key, EVP_sha256());
	n = i2d_X509_CRL(crl, &der);
	*out = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0)
		memcpy(*out, der, (size_t)n);
	OPENSSL_free(der);
	ASN1_INTEGER_free(num);
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	return n > 0 ? (size_t)n : 0;
}

/* ---- OCSP ----------------------------------------------------------------- */

/* The nonce of the harness's (and the tests') question: fixed, so that
 * seeds can echo it. */
static const unsigned char fuzz_nonce[16] = "nesdoctor-fuzz-1";

/* An OCSP answer about the leaf (status V_OCSP_CERTSTATUS_*), signed by the
 * issuer itself, produced at this_upd, with next_upd (0: none) and the
 * nonce (NULL: none). DER into *out (malloc'ed). */
static FUZZ_UNUSED size_t
fuzz_mk_ocsp(int status, time_t this_upd, time_t next_upd, const unsigned char *nonce, size_t nlen,
             uint8_t **out)
{
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, fuzz_leaf, fuzz_issuer);
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_RESPONSE *resp;
	ASN1_TIME *tu = ASN1_TIME_set(NULL, this_upd), *nu = next_upd ? ASN1_TIME_set(NULL, next_upd) : NULL;
	ASN1_TIME *rt = ASN1_TIME_set(NULL, this_upd - 86400L);
	unsigned char *der = NULL;
	int n;

	OCSP_basic_add1_status(bs, id, status, status == V_OCSP_CERTSTATUS_REVOKED ? 1 : -1,
	    status == V_OCSP_CERTSTATUS_REVOKED ? rt : NULL, tu, nu);
	if (nonce)
		OCSP_basic_add1_nonce(bs, (unsigned char *)(uintptr_t)nonce, (int)nlen);
	OCSP_basic_sign(bs, fuzz_issuer, fuzz_issuer_key, EVP_sha256(), NULL, 0);
	resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	n = i2d_OCSP_RESPONSE(resp, &der);
	*out = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0)
		memcpy(*out, der, (size_t)n);
	OPENSSL_free(der);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	ASN1_TIME_free(tu);
	ASN1_TIME_free(nu);
	ASN1_TIME_free(rt);
	OCSP_CERTID_free(id);
	return n > 0 ? (size_t)n : 0;
}

/* The question the harness and the tests ask, with fuzz_nonce. */
static FUZZ_UNUSED OCSP_REQUEST *
fuzz_mk_req(OCSP_CERTID *id)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();

	OCSP_request_add0_id(req, OCSP_CERTID_dup(id));
	OCSP_request_add1_nonce(req, (unsigned char *)(uintptr_t)fuzz_nonce, sizeof fuzz_nonce);
	return req;
}

/* Seeds: with ND_FUZZ_WRITE_SEEDS=DIR, a harness writes its seeds there. */
static FUZZ_UNUSED void
fuzz_write_seed(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

#endif
