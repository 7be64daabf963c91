/* SPDX-License-Identifier: BSD-2-Clause */
/* A typed view of the x509 inventory (inventory.x509, .signing_certificate,
 * .signing_candidates, .ca_certificates, .inputs, .chain, .chain_status,
 * .revocation; see src/x509/collect.c, chain.c and revocation.c for the
 * writers): the JSON stays the model, and checks and renderers read it
 * through these names and enums, so a misspelt key or value is a compile
 * error, not a silent NULL. Each enum has one name table in view.c, the
 * only place that maps the JSON strings to values. */
#ifndef ND_X509_VIEW_H
#define ND_X509_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* inventory */
#define ND_X509_K_X509               "x509"
#define ND_X509_K_SIGNING_CERTIFICATE "signing_certificate"
#define ND_X509_K_SIGNING_CANDIDATES "signing_candidates"
#define ND_X509_K_CA_CERTIFICATES    "ca_certificates"
#define ND_X509_K_INPUTS             "inputs"
#define ND_X509_K_CHAIN              "chain"          /* also in ca_certificates[] */
#define ND_X509_K_CHAIN_STATUS       "chain_status"   /* also in ca_certificates[] */
#define ND_X509_K_REVOCATION         "revocation"     /* also in chain[] */
/* inventory.x509 */
#define ND_X509_K_CERTIFICATES_LISTED "certificates_listed"
#define ND_X509_K_CERTIFICATES_SEEN  "certificates_seen"
#define ND_X509_K_DECODE_ERRORS      "decode_errors"
#define ND_X509_K_NETWORK            "network"
/* inventory.x509.network[] */
#define ND_X509_K_PURPOSE            "purpose"
#define ND_X509_K_OK                 "ok"
#define ND_X509_K_MS                 "ms"
#define ND_X509_K_PROXY              "proxy"
#define ND_X509_K_HTTP_STATUS        "http_status"
/* a certificate's facts (signing_certificate, candidates, chain[], ca_certificates[]) */
#define ND_X509_K_SUBJECT            "subject"
#define ND_X509_K_SERIAL             "serial"
#define ND_X509_K_NOT_BEFORE         "not_before"
#define ND_X509_K_NOT_AFTER          "not_after"
#define ND_X509_K_SOURCE             "source"
#define ND_X509_K_KAMUSM             "kamusm"
#define ND_X509_K_LABEL              "label"
#define ND_X509_K_FILE               "file"           /* also in inputs[], bundled_errors[] */
#define ND_X509_K_HOLDER             "holder"
#define ND_X509_K_NAME               "name"           /* in holder */
#define ND_X509_K_TCKN               "tckn"           /* in holder */
#define ND_X509_K_TCKN_PRESENT       "tckn_present"   /* in holder */
#define ND_X509_K_TCKN_VALID         "tckn_valid"     /* in holder */
#define ND_X509_K_KEY                "key"
#define ND_X509_K_TYPE               "type"           /* in key */
#define ND_X509_K_CURVE              "curve"          /* in key */
#define ND_X509_K_BITS               "bits"           /* in key */
#define ND_X509_K_HAS_PRIVATE_KEY    "has_private_key"
#define ND_X509_K_KEY_USAGE          "key_usage"
#define ND_X509_K_QC_STATEMENTS      "qc_statements"
#define ND_X509_K_QC_TYPES           "qc_types"
#define ND_X509_K_POLICIES           "policies"
#define ND_X509_K_RESTRICTIONS       "restrictions"
#define ND_X509_K_KIND               "kind"           /* in restrictions[] */
#define ND_X509_K_DETAIL             "detail"         /* in restrictions[], inputs[], revocation */
#define ND_X509_K_CURRENCY           "currency"       /* in restrictions[].detail */
#define ND_X509_K_AMOUNT             "amount"         /* in restrictions[].detail */
#define ND_X509_K_EXPONENT           "exponent"       /* in restrictions[].detail */
/* signing_candidates[] */
#define ND_X509_K_CHOSEN             "chosen"
#define ND_X509_K_QUALIFIED          "qualified"
#define ND_X509_K_NON_REPUDIATION    "non_repudiation"
#define ND_X509_K_VALID_NOW          "valid_now"
/* chain_status */
#define ND_X509_K_VERIFIED           "verified"
#define ND_X509_K_ANCHOR             "anchor"
#define ND_X509_K_ANCHOR_SUBJECT     "anchor_subject"
#define ND_X509_K_ERROR              "error"          /* also in revocation, inputs[], network[], bundled_errors[] */
#define ND_X509_K_ERROR_TEXT         "error_text"
#define ND_X509_K_ERROR_SUBJECT      "error_subject"
#define ND_X509_K_MISSING_ISSUER     "missing_issuer"
#define ND_X509_K_NEEDS_DOWNLOAD     "needs_download"
#define ND_X509_K_AIA_URL            "aia_url"
#define ND_X509_K_AIA_ERROR          "aia_error"
#define ND_X509_K_LDAP_URL           "ldap_url"
#define ND_X509_K_BUNDLED_ERRORS     "bundled_errors"
/* revocation, chain[].revocation */
#define ND_X509_K_STATUS             "status"
#define ND_X509_K_METHOD             "method"
#define ND_X509_K_URL                "url"            /* also in network[] */
#define ND_X509_K_CACHED             "cached"
#define ND_X509_K_NEXT_UPDATE        "next_update"
#define ND_X509_K_DATE               "date"
#define ND_X509_K_REASON             "reason"
#define ND_X509_K_CRL_SIGNATURE      "crl_signature"
#define ND_X509_K_NONCE              "nonce"

/* key_usage[] values (RFC 5280 names, as nd_x509_key_usage writes them) */
#define ND_X509_KU_DIGITAL_SIGNATURE "digitalSignature"
#define ND_X509_KU_NON_REPUDIATION   "nonRepudiation"
#define ND_X509_KU_KEY_ENCIPHERMENT  "keyEncipherment"
#define ND_X509_KU_DATA_ENCIPHERMENT "dataEncipherment"
#define ND_X509_KU_KEY_AGREEMENT     "keyAgreement"

/* Every enum below: ABSENT (0) when the key is missing, OTHER for a value
 * this build does not know, so a check's fallback behaves as it did when
 * it compared strings. */

/* revocation.status, chain[].revocation.status */
enum nd_x509_rev_status {
	ND_RS_ABSENT,
	ND_RS_GOOD,
	ND_RS_REVOKED,
	ND_RS_UNKNOWN,
	ND_RS_NONE,
	ND_RS_OTHER,
};

/* revocation.method */
enum nd_x509_rev_method {
	ND_RM_ABSENT,
	ND_RM_OCSP,
	ND_RM_CRL,
	ND_RM_OTHER,
};

/* revocation.error: the revocation layer's own words, and those of
 * nd_err_name (timeout, network, not_found) the checks tell apart; the
 * rest of nd_err_name's words are OTHER. */
enum nd_x509_rev_error {
	ND_RE_ABSENT,
	ND_RE_OCSP_UNKNOWN,
	ND_RE_OFFLINE,
	ND_RE_NO_CRL,
	ND_RE_CRL_SCOPE,
	ND_RE_CRL_UNUSABLE,
	ND_RE_CRL_TOO_LARGE,
	ND_RE_TIMEOUT,
	ND_RE_NETWORK,
	ND_RE_NOT_FOUND,
	ND_RE_OTHER,
};

/* x509.network[].error: net.c's stable words. */
enum nd_x509_net_error {
	ND_NE_ABSENT,
	ND_NE_DNS,
	ND_NE_REFUSED,
	ND_NE_UNREACHABLE,
	ND_NE_PROXY,
	ND_NE_HTTP_STATUS,
	ND_NE_BAD_RESPONSE,
	ND_NE_TOO_LARGE,
	ND_NE_TIMEOUT,
	ND_NE_UNSUPPORTED,
	ND_NE_INTERNAL,
	ND_NE_OTHER,
};

/* chain_status.error (chain.c's names for OpenSSL's verify errors).
 * UNNAMED is the JSON "other": an error chain.c has no name for. */
enum nd_x509_chain_error {
	ND_CE_ABSENT,
	ND_CE_ISSUER_NOT_FOUND,
	ND_CE_UNTRUSTED_ROOT,
	ND_CE_BAD_SIGNATURE,
	ND_CE_CA_EXPIRED,
	ND_CE_CA_NOT_YET_VALID,
	ND_CE_NOT_A_CA,
	ND_CE_PATH_LENGTH,
	ND_CE_UNNAMED,
	ND_CE_OTHER,
};

/* chain_status.anchor: what the verified chain ends in. GIVEN is the JSON
 * "anchor": a file given with --anchor. */
enum nd_x509_anchor {
	ND_ANCHOR_ABSENT,
	ND_ANCHOR_KAMUSM,
	ND_ANCHOR_GIVEN,
	ND_ANCHOR_SYSTEM,
	ND_ANCHOR_OTHER,
};

/* chain[].source, signing_certificate.source: where a certificate came from. */
enum nd_x509_source {
	ND_SRC_ABSENT,
	ND_SRC_TOKEN,
	ND_SRC_FILE,
	ND_SRC_CACHE,
	ND_SRC_AIA,
	ND_SRC_ANCHOR,
	ND_SRC_SYSTEM,
	ND_SRC_BUNDLED,
	ND_SRC_OTHER,
};

/* .kamusm of a certificate that is one of Kamu SM's pinned ones. */
enum nd_x509_kamusm {
	ND_KAMUSM_ABSENT,
	ND_KAMUSM_ROOT,
	ND_KAMUSM_ISSUING_CA,
	ND_KAMUSM_OTHER,
};

/* revocation.crl_signature */
enum nd_x509_crl_signature {
	ND_CRLSIG_ABSENT,
	ND_CRLSIG_VERIFIED,
	ND_CRLSIG_VERIFIED_BEFORE,
	ND_CRLSIG_OTHER,
};

/* revocation.nonce. NOT_ECHOED is the JSON "absent": the responder did
 * not send the nonce back. */
enum nd_x509_nonce {
	ND_NONCE_ABSENT,
	ND_NONCE_ECHOED,
	ND_NONCE_NOT_ECHOED,
	ND_NONCE_OTHER,
};

/* chain_status.bundled_errors[].error: a shipped Kamu SM certificate
 * that could not be used (anchors.c). */
enum nd_x509_bundled_error {
	ND_BE_ABSENT,
	ND_BE_MISSING,
	ND_BE_IO,
	ND_BE_PIN_MISMATCH,
	ND_BE_PARSE,
	ND_BE_OTHER,
};

/* restrictions[].kind: what limits a qualified certificate (describe.c). */
enum nd_x509_restriction {
	ND_RX_ABSENT,
	ND_RX_QC_LIMIT,
	ND_RX_QC_LIMIT_ZERO,
	ND_RX_QC_LIMIT_UNREADABLE,
	ND_RX_QC_TYPE_ESEAL,
	ND_RX_QC_TYPE_OTHER,
	ND_RX_USER_NOTICE,
	ND_RX_NO_USER_NOTICE,
	ND_RX_OTHER,
};

/* inputs[].error: nd_err_name's words for a file `verify` could not use;
 * those the checks tell apart (damaged), the rest OTHER (not readable). */
enum nd_x509_input_error {
	ND_IE_ABSENT,
	ND_IE_PARSE,
	ND_IE_TRUNCATED,
	ND_IE_OTHER,
};

/* key.type and key.curve of a certificate's facts (describe.c). */
enum nd_x509_key_type {
	ND_KEY_ABSENT,
	ND_KEY_RSA,
	ND_KEY_EC,
	ND_KEY_OTHER,
};

enum nd_x509_curve {
	ND_CURVE_ABSENT,
	ND_CURVE_P256,
	ND_CURVE_P384,
	ND_CURVE_OTHER,
};

/* What a certificate that is not a person's NES is (cert.qualified's
 * details "kind"); NES when it is none of these. Computed, not read. */
enum nd_x509_cert_kind {
	ND_KIND_NES,
	ND_KIND_SEAL,
	ND_KIND_AUTHENTICATION,
	ND_KIND_ENCRYPTION,
};

/* The JSON string of a value; NULL for ABSENT, OTHER (and ND_KIND_NES). */
const char *nd_x509_rev_status_name(enum nd_x509_rev_status s);
const char *nd_x509_rev_method_name(enum nd_x509_rev_method m);
const char *nd_x509_rev_error_name(enum nd_x509_rev_error e);
const char *nd_x509_net_error_name(enum nd_x509_net_error e);
const char *nd_x509_chain_error_name(enum nd_x509_chain_error e);
const char *nd_x509_anchor_name(enum nd_x509_anchor a);
const char *nd_x509_source_name(enum nd_x509_source s);
const char *nd_x509_kamusm_name(enum nd_x509_kamusm k);
const char *nd_x509_crl_signature_name(enum nd_x509_crl_signature c);
const char *nd_x509_nonce_name(enum nd_x509_nonce n);
const char *nd_x509_bundled_error_name(enum nd_x509_bundled_error e);
const char *nd_x509_restriction_name(enum nd_x509_restriction r);
const char *nd_x509_input_error_name(enum nd_x509_input_error e);
const char *nd_x509_key_type_name(enum nd_x509_key_type t);
const char *nd_x509_curve_name(enum nd_x509_curve c);
const char *nd_x509_cert_kind_name(enum nd_x509_cert_kind k);

/* Parts of the inventory (borrowed; NULL when absent). */
json_object *nd_x509_facts(const json_object *inventory);             /* .x509 */
json_object *nd_x509_signing_cert(const json_object *inventory);      /* .signing_certificate */
json_object *nd_x509_candidates(const json_object *inventory);        /* .signing_candidates */
json_object *nd_x509_ca_certs(const json_object *inventory);          /* .ca_certificates */
json_object *nd_x509_inputs(const json_object *inventory);            /* .inputs */
json_object *nd_x509_chain_elems(const json_object *inventory);       /* .chain */
json_object *nd_x509_chain_facts(const json_object *inventory);       /* .chain_status */
json_object *nd_x509_revocation_facts(const json_object *inventory);  /* .revocation */
json_object *nd_x509_net_log(const json_object *inventory);           /* .x509.network */

/* The value of the key each enum is named after, in the object holding it. */
enum nd_x509_rev_status nd_x509_rev_status(const json_object *revocation);
enum nd_x509_rev_method nd_x509_rev_method(const json_object *revocation);
enum nd_x509_rev_error nd_x509_rev_error(const json_object *revocation);
enum nd_x509_crl_signature nd_x509_crl_signature(const json_object *revocation);
enum nd_x509_nonce nd_x509_nonce(const json_object *revocation);
enum nd_x509_net_error nd_x509_net_error(const json_object *net_entry);
enum nd_x509_chain_error nd_x509_chain_error(const json_object *chain_status);
enum nd_x509_anchor nd_x509_anchor(const json_object *chain_status);
enum nd_x509_source nd_x509_source(const json_object *cert);
enum nd_x509_kamusm nd_x509_kamusm(const json_object *cert);
enum nd_x509_bundled_error nd_x509_bundled_error(const json_object *bundled_entry);
enum nd_x509_restriction nd_x509_restriction(const json_object *restriction);
enum nd_x509_input_error nd_x509_input_error(const json_object *input);
enum nd_x509_key_type nd_x509_key_type(const json_object *key);
enum nd_x509_curve nd_x509_curve(const json_object *key);

/* The one rule for what a certificate is when it is not a person's NES:
 * SEAL (Kamu SM's mali mühür arc, or QcType eseal without esign),
 * AUTHENTICATION (digitalSignature without nonRepudiation), ENCRYPTION
 * (enciphering bits only), else NES. */
enum nd_x509_cert_kind nd_x509_cert_kind(const json_object *cert);

#endif
