/* CRLs as they come from the network or the cache: parsed, matched to the
 * issuer, signature- and date-checked, searched for the leaf. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_x509_pair.h"
#include "x509/x509_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_rev r;
	X509_CRL *crl = NULL;

	fuzz_pair_init();
	nd_crl_eval(data, size, fuzz_leaf, fuzz_issuer, 1700000000, &r, &crl);
	X509_CRL_free(crl);
	return 0;
}
