/* SPDX-License-Identifier: BSD-2-Clause */
/* CRLs as they come from the network or the cache: parsed, matched to the
 * issuer, signature- and date-checked, checked for scope (RFC 5280 6.3.3),
 * searched for the leaf. Each input is judged as it is, and, when it parses
 * as a CRL, once more re-signed with the fixed test issuer key: so the
 * mutations of what follows the signature check (extensions, entries,
 * dates) are fuzzed too, not only the parser.
 * ND_FUZZ_WRITE_SEEDS=DIR writes the seeds (tests/fuzz/README.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_x509_pair.h"
#include "x509/x509_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The stream parser fed in chunks whose sizes come from the input itself:
 * the answer must not depend on them. */
static void
judge(const uint8_t *p, size_t n)
{
	struct nd_rev r, c;
	X509_CRL *crl = NULL;
	struct nd_crl_stream *s;
	size_t off = 0, i = 0;

	nd_crl_eval(p, n, fuzz_leaf, fuzz_issuer, FUZZ_CRL_URL, FUZZ_NOW, &r, &crl);
	X509_CRL_free(crl);
	(void)nd_crl_reason_name(r.reason);
	s = nd_crl_stream_new(fuzz_leaf, fuzz_issuer, FUZZ_CRL_URL, FUZZ_NOW, true);
	while (off < n) {
		size_t k = 1 + (size_t)(p[i++ % n] % 97);
		if (k > n - off)
			k = n - off;
		nd_crl_stream_feed(s, p + off, k);
		off += k;
	}
	nd_crl_stream_finish(s, &c);
	nd_crl_stream_free(&s);
	if (c.status != r.status || c.code != r.code || c.reason != r.reason || strcmp(c.err, r.err) != 0 ||
	    strcmp(c.date, r.date) != 0 || (c.error == NULL) != (r.error == NULL) || c.cacheable != r.cacheable)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct { const char *name; unsigned flags; } seeds[] = {
		{ "complete.der", 0 },
		{ "revoked.der", FZ_LEAF_REVOKED | FZ_ENTRY_EXTRAS },
		{ "leaf-remove.der", FZ_LEAF_REMOVE },
		{ "other-remove.der", FZ_OTHER_REMOVE },
		{ "delta.der", FZ_DELTA | FZ_LEAF_REVOKED },
		{ "idp-dp.der", FZ_IDP_DP | FZ_IDP_ONLY_USER },
		{ "idp-other-dp.der", FZ_IDP_OTHER_DP },
		{ "idp-only-ca.der", FZ_IDP_ONLY_CA },
		{ "idp-only-attr.der", FZ_IDP_ONLY_ATTR },
		{ "idp-some-reasons.der", FZ_IDP_SOME_REASONS | FZ_LEAF_REVOKED },
		{ "idp-indirect.der", FZ_IDP_INDIRECT },
		{ "crit-unknown.der", FZ_CRIT_UNKNOWN },
		{ "noncrit-unknown.der", FZ_NONCRIT_UNKNOWN | FZ_FRESHEST_CRIT },
		{ "entry-crit.der", FZ_ENTRY_CRIT_UNKNOWN },
		{ "entry-issuer.der", FZ_ENTRY_CERT_ISSUER },
	};
	const char *dir = getenv("ND_FUZZ_WRITE_SEEDS");

	(void)argc;
	(void)argv;
	fuzz_pair_init();
	if (!dir)
		return 0;
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		uint8_t *p = NULL;
		size_t n = fuzz_mk_crl(seeds[i].flags, NULL, &p);
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
	X509_CRL *crl;
	int n;

	judge(data, size);
	if (size > ND_X509_MAX_CRL || !(crl = d2i_X509_CRL(NULL, &p, (long)size)))
		return 0;
	if (X509_CRL_sign(crl, fuzz_issuer_key, EVP_sha256()) > 0 && (n = i2d_X509_CRL(crl, &der)) > 0)
		judge(der, (size_t)n);
	OPENSSL_free(der);
	X509_CRL_free(crl);
	return 0;
}
