/* A small issuer and leaf made once in memory, for the OCSP and CRL
 * harnesses: the input is judged against them. */
#ifndef FUZZ_X509_PAIR_H
#define FUZZ_X509_PAIR_H

#include <openssl/evp.h>
#include <openssl/x509.h>

static X509 *
fuzz_mk_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn, long serial)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_set_pubkey(x, key);
	X509_sign(x, signer, EVP_sha256());
	X509_NAME_free(n);
	return x;
}

static X509 *fuzz_issuer, *fuzz_leaf;

static void
fuzz_pair_init(void)
{
	EVP_PKEY *ik, *lk;

	if (fuzz_issuer)
		return;
	ik = EVP_EC_gen("P-256");
	lk = EVP_EC_gen("P-256");
	fuzz_issuer = fuzz_mk_cert(ik, ik, NULL, "Fuzz CA", 1);
	fuzz_leaf = fuzz_mk_cert(lk, ik, fuzz_issuer, "Fuzz Leaf", 0x1005);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(lk);
}

#endif
