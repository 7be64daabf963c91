/* SPDX-License-Identifier: BSD-2-Clause */
/* A first look at the certificates found on a token, for the inventory:
 * who, issued by whom, valid when, which key. OpenSSL reads the DER; the
 * certificate layer does the real judging (chain, qualified, revocation). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/util.h"
#include "p11/p11_int.h"
#include "x509/x509.h"

/* "CN=TEST KULLANICI, serialNumber=123******01, C=TR": the subject in the
 * order written, values as UTF-8, the TCKN masked unless show_id. */
static char *
name_string(const X509_NAME *nm, bool mask, char **cn)
{
	size_t cap = 256, len = 0;
	char *out = nd_xcalloc(cap, 1);
	int n = X509_NAME_entry_count(nm);

	for (int i = 0; i < n && i < 64; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(nm, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		const char *key = nid != NID_undef ? OBJ_nid2sn(nid) : "?";
		unsigned char *u = NULL;
		int ulen = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
		char *v, *m, *part;
		size_t plen;

		if (ulen < 0) {
			v = nd_xstrdup("?");
		} else {
			v = nd_p11_clean((const char *)u, (size_t)ulen, ND_P11_MAX_STR, NULL);
			OPENSSL_free(u);
		}
		if (mask && nid == NID_serialNumber) {
			m = nd_p11_mask_ids(v);
			free(v);
			v = m;
		}
		if (cn && nid == NID_commonName && !*cn)
			*cn = nd_xstrdup(v);
		part = nd_asprintf("%s%s=%s", len ? ", " : "", key, v);
		plen = strlen(part);
		if (len + plen + 1 > cap) {
			char *nb;
			while (len + plen + 1 > cap)
				cap *= 2;
			nb = realloc(out, cap);
			if (!nb) {
				free(part);
				free(v);
				break;
			}
			out = nb;
		}
		memcpy(out + len, part, plen + 1);
		len += plen;
		free(part);
		free(v);
	}
	return out;
}

static void
put_time(json_object *c, const char *key, const ASN1_TIME *t)
{
	struct tm tm;
	char buf[32];

	if (!t || !ASN1_TIME_to_tm(t, &tm)) {
		json_object_object_add(c, key, NULL);
		return;
	}
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(c, key, json_object_new_string(buf));
}

static void
put_key_usage(json_object *c, X509 *x)
{
	bool has = false;
	json_object *arr = nd_x509_key_usage(x, &has);

	json_object_object_add(c, "key_usage", has ? arr : NULL);
	if (!has)
		json_object_put(arr);
	json_object_object_add(c, "non_repudiation",
	    json_object_new_boolean(has && (X509_get_key_usage(x) & KU_NON_REPUDIATION)));
}

static void
put_key(json_object *c, X509 *x)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	char group[80];
	size_t glen = 0;

	if (!pk) {
		json_object_object_add(c, "key_type", NULL);
		return;
	}
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		json_object_object_add(c, "key_type", json_object_new_string("RSA"));
		break;
	case EVP_PKEY_EC:
		json_object_object_add(c, "key_type", json_object_new_string("EC"));
		if (EVP_PKEY_get_group_name(pk, group, sizeof group, &glen))
			json_object_object_add(c, "curve", json_object_new_string(group));
		break;
	default:
		json_object_object_add(c, "key_type",
		    json_object_new_string(OBJ_nid2sn(EVP_PKEY_get_base_id(pk))));
	}
	json_object_object_add(c, "key_bits", json_object_new_int(EVP_PKEY_get_bits(pk)));
}

bool
nd_p11_cert_summary(const uint8_t *der, size_t n, bool show_id, json_object *c)
{
	X509 *x = nd_x509_from_der(der, n);
	const ASN1_INTEGER *sn;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *s, *cn = NULL;

	if (!x)
		return false;
	s = name_string(X509_get_subject_name(x), !show_id, &cn);
	json_object_object_add(c, "subject", json_object_new_string(s));
	free(s);
	nd_jset_str(c, "subject_cn", cn);
	free(cn);
	s = name_string(X509_get_issuer_name(x), false, NULL);
	json_object_object_add(c, "issuer", json_object_new_string(s));
	free(s);
	sn = X509_get0_serialNumber(x);
	s = nd_hex(ASN1_STRING_get0_data(sn), (size_t)ASN1_STRING_length(sn));
	json_object_object_add(c, "serial", json_object_new_string(s));
	free(s);
	put_time(c, "not_before", X509_get0_notBefore(x));
	put_time(c, "not_after", X509_get0_notAfter(x));
	put_key(c, x);
	put_key_usage(c, x);
	if (X509_digest(x, EVP_sha256(), md, &mdlen)) {
		s = nd_hex(md, mdlen);
		json_object_object_add(c, "sha256", json_object_new_string(s));
		free(s);
	}
	X509_free(x);
	return true;
}

char *
nd_p11_cert_modulus_hex(const uint8_t *der, size_t n)
{
	X509 *x = nd_x509_from_der(der, n);
	EVP_PKEY *pk = x ? X509_get0_pubkey(x) : NULL;
	BIGNUM *bn = NULL;
	char *hex = NULL;

	if (pk && EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA &&
	    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &bn)) {
		int len = BN_num_bytes(bn);
		unsigned char *buf = nd_xcalloc((size_t)len + 1, 1);
		BN_bn2bin(bn, buf);
		hex = nd_hex(buf, (size_t)len);
		free(buf);
	}
	BN_free(bn);
	X509_free(x);
	return hex;
}
