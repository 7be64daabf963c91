/* SPDX-License-Identifier: BSD-2-Clause */
/* OCSP responses as they come from the network: parsed, nonce-checked,
 * signature-checked and searched for the leaf's status. Each input is
 * judged as it is (with and without the question's nonce), and, when it
 * holds a basic response, once more re-signed by the fixed test issuer:
 * so that the nonce, status and date logic after the signature check is
 * fuzzed too. ND_FUZZ_WRITE_SEEDS=DIR writes the seeds
 * (tests/fuzz/README.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <openssl/ocsp.h>

#include "fuzz_x509_pair.h"
#include "x509/x509_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static OCSP_CERTID *id;
static OCSP_REQUEST *req;
static X509_STORE *st;
static STACK_OF(X509) *certs;

static void
judge(const uint8_t *p, size_t n)
{
	struct nd_rev r;

	nd_ocsp_eval(p, n, req, id, st, certs, FUZZ_NOW, &r);
	nd_ocsp_eval(p, n, NULL, id, st, certs, FUZZ_NOW, &r);
	(void)nd_rev_status_name(r.status);
	(void)nd_crl_reason_name(r.reason);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct { const char *name; int status; long age, valid; bool nonce; } seeds[] = {
		{ "good-nonce.der", V_OCSP_CERTSTATUS_GOOD, 60, 86400, true },
		{ "good-no-nonce.der", V_OCSP_CERTSTATUS_GOOD, 3600, 7 * 86400, false },
		{ "good-stale-no-nonce.der", V_OCSP_CERTSTATUS_GOOD, 5 * 86400, 7 * 86400, false },
		{ "good-no-next.der", V_OCSP_CERTSTATUS_GOOD, 60, 0, true },
		{ "revoked.der", V_OCSP_CERTSTATUS_REVOKED, 60, 86400, true },
		{ "unknown.der", V_OCSP_CERTSTATUS_UNKNOWN, 60, 86400, true },
	};
	const char *dir = getenv("ND_FUZZ_WRITE_SEEDS");

	(void)argc;
	(void)argv;
	fuzz_pair_init();
	id = OCSP_cert_to_id(NULL, fuzz_leaf, fuzz_issuer);
	req = fuzz_mk_req(id);
	st = X509_STORE_new();
	X509_STORE_add_cert(st, fuzz_issuer);
	certs = sk_X509_new_null();
	sk_X509_push(certs, fuzz_issuer);
	if (!dir)
		return 0;
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		uint8_t *p = NULL;
		time_t tu = FUZZ_NOW - seeds[i].age;
		size_t n = fuzz_mk_ocsp(seeds[i].status, tu, seeds[i].valid ? tu + seeds[i].valid : 0,
		    seeds[i].nonce ? fuzz_nonce : NULL, sizeof fuzz_nonce, &p);
		fuzz_write_seed(dir, seeds[i].name, p, n);
		free(p);
	}
	exit(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	unsigned char *der = NULL;
	OCSP_RESPONSE *resp, *again = NULL;
	OCSP_BASICRESP *bs = NULL;
	int n;

	judge(data, size);
	if (size > ND_X509_MAX_OCSP || !(resp = d2i_OCSP_RESPONSE(NULL, &p, (long)size)))
		return 0;
	bs = OCSP_response_get1_basic(resp);
	/* OCSP_NOCERTS: the issuer is the trust anchor; the responder id is
	 * rewritten to name it */
	if (bs && OCSP_basic_sign(bs, fuzz_issuer, fuzz_issuer_key, EVP_sha256(), NULL, OCSP_NOCERTS) > 0 &&
	    (again = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs)) &&
	    (n = i2d_OCSP_RESPONSE(again, &der)) > 0)
		judge(der, (size_t)n);
	OPENSSL_free(der);
	OCSP_RESPONSE_free(again);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	return 0;
}
