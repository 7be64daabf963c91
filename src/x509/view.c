/* SPDX-License-Identifier: BSD-2-Clause */
/* The typed view of the x509 inventory: one name table per enum. */
#include <string.h>

#include "core/util.h"
#include "x509/x509.h"

/* Indexed by the enums; NULL for the values that have no JSON string. */
static const char *const rev_status_names[] = {
	[ND_RS_GOOD] = "good",
	[ND_RS_REVOKED] = "revoked",
	[ND_RS_UNKNOWN] = "unknown",
	[ND_RS_NONE] = "none",
	[ND_RS_OTHER] = NULL,
};

static const char *const rev_method_names[] = {
	[ND_RM_OCSP] = "ocsp",
	[ND_RM_CRL] = "crl",
	[ND_RM_OTHER] = NULL,
};

/* timeout, network and not_found are nd_err_name's words (a test keeps
 * them equal). */
static const char *const rev_error_names[] = {
	[ND_RE_OCSP_UNKNOWN] = "ocsp_unknown",
	[ND_RE_OFFLINE] = "offline",
	[ND_RE_NO_CRL] = "no_crl",
	[ND_RE_CRL_SCOPE] = "crl_scope",
	[ND_RE_CRL_UNUSABLE] = "crl_unusable",
	[ND_RE_CRL_TOO_LARGE] = "crl_too_large",
	[ND_RE_TIMEOUT] = "timeout",
	[ND_RE_NETWORK] = "network",
	[ND_RE_NOT_FOUND] = "not_found",
	[ND_RE_OTHER] = NULL,
};

static const char *const net_error_names[] = {
	[ND_NE_DNS] = "dns",
	[ND_NE_REFUSED] = "refused",
	[ND_NE_UNREACHABLE] = "unreachable",
	[ND_NE_PROXY] = "proxy",
	[ND_NE_HTTP_STATUS] = "http_status",
	[ND_NE_BAD_RESPONSE] = "bad_response",
	[ND_NE_TOO_LARGE] = "too_large",
	[ND_NE_TIMEOUT] = "timeout",
	[ND_NE_UNSUPPORTED] = "unsupported",
	[ND_NE_INTERNAL] = "internal",
	[ND_NE_OTHER] = NULL,
};

static const char *const chain_error_names[] = {
	[ND_CE_ISSUER_NOT_FOUND] = "issuer_not_found",
	[ND_CE_UNTRUSTED_ROOT] = "untrusted_root",
	[ND_CE_BAD_SIGNATURE] = "bad_signature",
	[ND_CE_CA_EXPIRED] = "ca_expired",
	[ND_CE_CA_NOT_YET_VALID] = "ca_not_yet_valid",
	[ND_CE_NOT_A_CA] = "not_a_ca",
	[ND_CE_PATH_LENGTH] = "path_length",
	[ND_CE_UNNAMED] = "other",
	[ND_CE_OTHER] = NULL,
};

static const char *const anchor_names[] = {
	[ND_ANCHOR_KAMUSM] = "kamusm",
	[ND_ANCHOR_GIVEN] = "anchor",
	[ND_ANCHOR_SYSTEM] = "system",
	[ND_ANCHOR_OTHER] = NULL,
};

static const char *const source_names[] = {
	[ND_SRC_TOKEN] = "token",
	[ND_SRC_FILE] = "file",
	[ND_SRC_CACHE] = "cache",
	[ND_SRC_AIA] = "aia",
	[ND_SRC_ANCHOR] = "anchor",
	[ND_SRC_SYSTEM] = "system",
	[ND_SRC_BUNDLED] = "bundled",
	[ND_SRC_OTHER] = NULL,
};

static const char *const kamusm_names[] = {
	[ND_KAMUSM_ROOT] = "root",
	[ND_KAMUSM_ISSUING_CA] = "issuing_ca",
	[ND_KAMUSM_OTHER] = NULL,
};

static const char *const crl_signature_names[] = {
	[ND_CRLSIG_VERIFIED] = "verified",
	[ND_CRLSIG_VERIFIED_BEFORE] = "verified_before",
	[ND_CRLSIG_OTHER] = NULL,
};

static const char *const nonce_names[] = {
	[ND_NONCE_ECHOED] = "echoed",
	[ND_NONCE_NOT_ECHOED] = "absent",
	[ND_NONCE_OTHER] = NULL,
};

static const char *const bundled_error_names[] = {
	[ND_BE_MISSING] = "missing",
	[ND_BE_IO] = "io",
	[ND_BE_PIN_MISMATCH] = "pin_mismatch",
	[ND_BE_PARSE] = "parse",
	[ND_BE_OTHER] = NULL,
};

static const char *const restriction_names[] = {
	[ND_RX_QC_LIMIT] = "qc_limit",
	[ND_RX_QC_LIMIT_ZERO] = "qc_limit_zero",
	[ND_RX_QC_LIMIT_UNREADABLE] = "qc_limit_unreadable",
	[ND_RX_QC_TYPE_ESEAL] = "qc_type_eseal",
	[ND_RX_QC_TYPE_OTHER] = "qc_type_other",
	[ND_RX_USER_NOTICE] = "user_notice",
	[ND_RX_NO_USER_NOTICE] = "no_user_notice",
	[ND_RX_OTHER] = NULL,
};

/* nd_err_name's words (a test keeps them equal) */
static const char *const input_error_names[] = {
	[ND_IE_PARSE] = "parse",
	[ND_IE_TRUNCATED] = "truncated",
	[ND_IE_OTHER] = NULL,
};

static const char *const key_type_names[] = {
	[ND_KEY_RSA] = "RSA",
	[ND_KEY_EC] = "EC",
	[ND_KEY_OTHER] = NULL,
};

/* OpenSSL's NIST names (EC_curve_nid2nist) */
static const char *const curve_names[] = {
	[ND_CURVE_P256] = "P-256",
	[ND_CURVE_P384] = "P-384",
	[ND_CURVE_OTHER] = NULL,
};

static const char *const cert_kind_names[] = {
	[ND_KIND_NES] = NULL,
	[ND_KIND_SEAL] = "seal",
	[ND_KIND_AUTHENTICATION] = "authentication",
	[ND_KIND_ENCRYPTION] = "encryption",
};

#define NAME_FN(fn, type, table) \
	const char *fn(type v) { return nd_name_of(table, ND_N_OF(table), (size_t)v); }
#define READ_FN(fn, type, key, table, other) \
	type fn(const json_object *o) { return (type)nd_name_lookup(table, ND_N_OF(table), nd_jstr(o, key), other); }

NAME_FN(nd_x509_rev_status_name, enum nd_x509_rev_status, rev_status_names)
NAME_FN(nd_x509_rev_method_name, enum nd_x509_rev_method, rev_method_names)
NAME_FN(nd_x509_rev_error_name, enum nd_x509_rev_error, rev_error_names)
NAME_FN(nd_x509_net_error_name, enum nd_x509_net_error, net_error_names)
NAME_FN(nd_x509_chain_error_name, enum nd_x509_chain_error, chain_error_names)
NAME_FN(nd_x509_anchor_name, enum nd_x509_anchor, anchor_names)
NAME_FN(nd_x509_source_name, enum nd_x509_source, source_names)
NAME_FN(nd_x509_kamusm_name, enum nd_x509_kamusm, kamusm_names)
NAME_FN(nd_x509_crl_signature_name, enum nd_x509_crl_signature, crl_signature_names)
NAME_FN(nd_x509_nonce_name, enum nd_x509_nonce, nonce_names)
NAME_FN(nd_x509_bundled_error_name, enum nd_x509_bundled_error, bundled_error_names)
NAME_FN(nd_x509_restriction_name, enum nd_x509_restriction, restriction_names)
NAME_FN(nd_x509_input_error_name, enum nd_x509_input_error, input_error_names)
NAME_FN(nd_x509_key_type_name, enum nd_x509_key_type, key_type_names)
NAME_FN(nd_x509_curve_name, enum nd_x509_curve, curve_names)
NAME_FN(nd_x509_cert_kind_name, enum nd_x509_cert_kind, cert_kind_names)

READ_FN(nd_x509_rev_status, enum nd_x509_rev_status, ND_X509_K_STATUS, rev_status_names, ND_RS_OTHER)
READ_FN(nd_x509_rev_method, enum nd_x509_rev_method, ND_X509_K_METHOD, rev_method_names, ND_RM_OTHER)
READ_FN(nd_x509_rev_error, enum nd_x509_rev_error, ND_X509_K_ERROR, rev_error_names, ND_RE_OTHER)
READ_FN(nd_x509_crl_signature, enum nd_x509_crl_signature, ND_X509_K_CRL_SIGNATURE, crl_signature_names,
    ND_CRLSIG_OTHER)
READ_FN(nd_x509_nonce, enum nd_x509_nonce, ND_X509_K_NONCE, nonce_names, ND_NONCE_OTHER)
READ_FN(nd_x509_net_error, enum nd_x509_net_error, ND_X509_K_ERROR, net_error_names, ND_NE_OTHER)
READ_FN(nd_x509_chain_error, enum nd_x509_chain_error, ND_X509_K_ERROR, chain_error_names, ND_CE_OTHER)
READ_FN(nd_x509_anchor, enum nd_x509_anchor, ND_X509_K_ANCHOR, anchor_names, ND_ANCHOR_OTHER)
READ_FN(nd_x509_source, enum nd_x509_source, ND_X509_K_SOURCE, source_names, ND_SRC_OTHER)
READ_FN(nd_x509_kamusm, enum nd_x509_kamusm, ND_X509_K_KAMUSM, kamusm_names, ND_KAMUSM_OTHER)
READ_FN(nd_x509_bundled_error, enum nd_x509_bundled_error, ND_X509_K_ERROR, bundled_error_names, ND_BE_OTHER)
READ_FN(nd_x509_restriction, enum nd_x509_restriction, ND_X509_K_KIND, restriction_names, ND_RX_OTHER)
READ_FN(nd_x509_input_error, enum nd_x509_input_error, ND_X509_K_ERROR, input_error_names, ND_IE_OTHER)
READ_FN(nd_x509_key_type, enum nd_x509_key_type, ND_X509_K_TYPE, key_type_names, ND_KEY_OTHER)
READ_FN(nd_x509_curve, enum nd_x509_curve, ND_X509_K_CURVE, curve_names, ND_CURVE_OTHER)

json_object *
nd_x509_facts(const json_object *inventory)
{
	return nd_jobj(inventory, ND_X509_K_X509);
}

json_object *
nd_x509_signing_cert(const json_object *inventory)
{
	return nd_jobj(inventory, ND_X509_K_SIGNING_CERTIFICATE);
}

json_object *
nd_x509_candidates(const json_object *inventory)
{
	return nd_jarr(inventory, ND_X509_K_SIGNING_CANDIDATES);
}

json_object *
nd_x509_ca_certs(const json_object *inventory)
{
	return nd_jarr(inventory, ND_X509_K_CA_CERTIFICATES);
}

json_object *
nd_x509_inputs(const json_object *inventory)
{
	return nd_jarr(inventory, ND_X509_K_INPUTS);
}

json_object *
nd_x509_chain_elems(const json_object *inventory)
{
	return nd_jarr(inventory, ND_X509_K_CHAIN);
}

json_object *
nd_x509_chain_facts(const json_object *inventory)
{
	return nd_jobj(inventory, ND_X509_K_CHAIN_STATUS);
}

json_object *
nd_x509_revocation_facts(const json_object *inventory)
{
	return nd_jobj(inventory, ND_X509_K_REVOCATION);
}

json_object *
nd_x509_net_log(const json_object *inventory)
{
	return nd_jarr(nd_x509_facts(inventory), ND_X509_K_NETWORK);
}

static bool
has_prefix(const json_object *arr, const char *prefix)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(arr, i));
		if (p && strncmp(p, prefix, strlen(prefix)) == 0)
			return true;
	}
	return false;
}

enum nd_x509_cert_kind
nd_x509_cert_kind(const json_object *cert)
{
	json_object *ku = nd_jarr(cert, ND_X509_K_KEY_USAGE), *types = nd_jarr(cert, ND_X509_K_QC_TYPES);

	if (has_prefix(nd_jarr(cert, ND_X509_K_POLICIES), ND_OID_KAMUSM_SEAL_POLICY_PREFIX))
		return ND_KIND_SEAL;
	if (nd_jarr_has_str(types, ND_OID_QC_TYPE_ESEAL) && !nd_jarr_has_str(types, ND_OID_QC_TYPE_ESIGN))
		return ND_KIND_SEAL;
	if (nd_jarr_has_str(ku, ND_X509_KU_NON_REPUDIATION))
		return ND_KIND_NES;
	if (nd_jarr_has_str(ku, ND_X509_KU_DIGITAL_SIGNATURE))
		return ND_KIND_AUTHENTICATION;
	if (nd_jarr_has_str(ku, ND_X509_KU_KEY_ENCIPHERMENT) || nd_jarr_has_str(ku, ND_X509_KU_DATA_ENCIPHERMENT) ||
	    nd_jarr_has_str(ku, ND_X509_KU_KEY_AGREEMENT))
		return ND_KIND_ENCRYPTION;
	return ND_KIND_NES;
}
