/* OCSP responses as they come from the network: parsed, nonce-checked,
 * signature-checked and searched for the leaf's status. */
#include <stddef.h>
#include <stdint.h>

#include <openssl/ocsp.h>

#include "fuzz_x509_pair.h"
#include "x509/x509_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static OCSP_CERTID *id;
static OCSP_REQUEST *req;
static X509_STORE *st;
static STACK_OF(X509) *certs;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_rev r;

	if (!id) {
		fuzz_pair_init();
		id = OCSP_cert_to_id(NULL, fuzz_leaf, fuzz_issuer);
		req = OCSP_REQUEST_new();
		OCSP_request_add0_id(req, OCSP_CERTID_dup(id));
		OCSP_request_add1_nonce(req, NULL, -1);
		st = X509_STORE_new();
		X509_STORE_add_cert(st, fuzz_issuer);
		certs = sk_X509_new_null();
		sk_X509_push(certs, fuzz_issuer);
	}
	nd_ocsp_eval(data, size, (size && data[0] & 1) ? req : NULL, id, st, certs, &r);
	(void)nd_rev_status_name(r.status);
	(void)nd_crl_reason_name(r.reason);
	return 0;
}
