/* SPDX-License-Identifier: BSD-2-Clause */
/* The typed view of the x509 inventory: every documented JSON string maps
 * to its own enum value and back, an absent key is ABSENT, a value this
 * build does not know is OTHER, the words shared with nd_err_name are
 * spelt as it spells them, and the accessors tolerate missing parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/util.h"
#include "x509/x509.h"


/* One enum: the key it is read from, its documented strings in enum
 * order (from 1), and its OTHER value. */
struct table {
	const char *what;
	const char *key;
	const char *const *doc;
	size_t n;
	int other;
	int (*read)(const json_object *o);
	const char *(*name)(int v);
};

static int
read_with(const struct table *t, const char *s)
{
	json_object *o = json_object_new_object();
	int v;

	if (s)
		json_object_object_add(o, t->key, json_object_new_string(s));
	v = t->read(o);
	json_object_put(o);
	return v;
}

static void
check_table(const struct table *t)
{
	json_object *o;

	for (size_t i = 0; i < t->n; i++) {
		int v = read_with(t, t->doc[i]);

		if (v != (int)i + 1)
			fail_msg("%s: \"%s\" read as %d, not %zu", t->what, t->doc[i], v, i + 1);
		assert_string_equal(t->name(v), t->doc[i]);
	}
	assert_int_equal(t->other, (int)t->n + 1);
	assert_int_equal(read_with(t, NULL), 0);
	assert_int_equal(t->read(NULL), 0);
	assert_int_equal(read_with(t, ""), t->other);
	assert_int_equal(read_with(t, "no such value"), t->other);
	o = json_object_new_object();
	json_object_object_add(o, t->key, json_object_new_int(1));
	assert_int_equal(t->read(o), 0);   /* not a string: as absent, like nd_jstr */
	json_object_put(o);
	assert_null(t->name(0));
	assert_null(t->name(t->other));
	assert_null(t->name(99));
}

/* Casts from the typed functions to the table's int ones, kept in one
 * place: each wrapper calls the real function. */
#define WRAP(fn, type) \
	static int r_##fn(const json_object *o) { return (int)fn(o); } \
	static const char *n_##fn(int v) { return fn##_name((type)v); }
WRAP(nd_x509_rev_status, enum nd_x509_rev_status)
WRAP(nd_x509_rev_method, enum nd_x509_rev_method)
WRAP(nd_x509_rev_error, enum nd_x509_rev_error)
WRAP(nd_x509_crl_signature, enum nd_x509_crl_signature)
WRAP(nd_x509_nonce, enum nd_x509_nonce)
WRAP(nd_x509_net_error, enum nd_x509_net_error)
WRAP(nd_x509_chain_error, enum nd_x509_chain_error)
WRAP(nd_x509_anchor, enum nd_x509_anchor)
WRAP(nd_x509_source, enum nd_x509_source)
WRAP(nd_x509_kamusm, enum nd_x509_kamusm)
WRAP(nd_x509_bundled_error, enum nd_x509_bundled_error)
WRAP(nd_x509_restriction, enum nd_x509_restriction)
WRAP(nd_x509_input_error, enum nd_x509_input_error)
WRAP(nd_x509_key_type, enum nd_x509_key_type)
WRAP(nd_x509_curve, enum nd_x509_curve)

#define DOC(...) (const char *const[]){ __VA_ARGS__ }, sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)

static void
all_tables(void **state)
{
	const struct table ts[] = {
		{ "revocation.status", "status", DOC("good", "revoked", "unknown", "none"), ND_RS_OTHER,
		  r_nd_x509_rev_status, n_nd_x509_rev_status },
		{ "revocation.method", "method", DOC("ocsp", "crl"), ND_RM_OTHER,
		  r_nd_x509_rev_method, n_nd_x509_rev_method },
		{ "revocation.error", "error", DOC("ocsp_unknown", "offline", "no_crl", "crl_scope", "crl_unusable",
		  "crl_too_large", "timeout", "network", "not_found"), ND_RE_OTHER,
		  r_nd_x509_rev_error, n_nd_x509_rev_error },
		{ "revocation.crl_signature", "crl_signature", DOC("verified", "verified_before"), ND_CRLSIG_OTHER,
		  r_nd_x509_crl_signature, n_nd_x509_crl_signature },
		{ "revocation.nonce", "nonce", DOC("echoed", "absent"), ND_NONCE_OTHER,
		  r_nd_x509_nonce, n_nd_x509_nonce },
		{ "network[].error", "error", DOC("dns", "refused", "unreachable", "proxy", "http_status",
		  "bad_response", "too_large", "timeout", "unsupported", "internal"), ND_NE_OTHER,
		  r_nd_x509_net_error, n_nd_x509_net_error },
		{ "chain_status.error", "error", DOC("issuer_not_found", "untrusted_root", "bad_signature",
		  "ca_expired", "ca_not_yet_valid", "not_a_ca", "path_length", "other"), ND_CE_OTHER,
		  r_nd_x509_chain_error, n_nd_x509_chain_error },
		{ "chain_status.anchor", "anchor", DOC("kamusm", "anchor", "system"), ND_ANCHOR_OTHER,
		  r_nd_x509_anchor, n_nd_x509_anchor },
		{ "chain[].source", "source", DOC("token", "file", "cache", "aia", "anchor", "system", "bundled"),
		  ND_SRC_OTHER, r_nd_x509_source, n_nd_x509_source },
		{ "kamusm", "kamusm", DOC("root", "issuing_ca"), ND_KAMUSM_OTHER, r_nd_x509_kamusm, n_nd_x509_kamusm },
		{ "bundled_errors[].error", "error", DOC("missing", "io", "pin_mismatch", "parse"), ND_BE_OTHER,
		  r_nd_x509_bundled_error, n_nd_x509_bundled_error },
		{ "restrictions[].kind", "kind", DOC("qc_limit", "qc_limit_zero", "qc_limit_unreadable", "qc_type_eseal",
		  "qc_type_other", "user_notice", "no_user_notice"), ND_RX_OTHER,
		  r_nd_x509_restriction, n_nd_x509_restriction },
		{ "inputs[].error", "error", DOC("parse", "truncated"), ND_IE_OTHER,
		  r_nd_x509_input_error, n_nd_x509_input_error },
		{ "key.type", "type", DOC("RSA", "EC"), ND_KEY_OTHER, r_nd_x509_key_type, n_nd_x509_key_type },
		{ "key.curve", "curve", DOC("P-256", "P-384"), ND_CURVE_OTHER, r_nd_x509_curve, n_nd_x509_curve },
	};

	(void)state;
	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++)
		check_table(&ts[i]);
	/* a key of a view is its own spelling: "rsa" is not RSA */
	assert_int_equal(read_with(&ts[13], "rsa"), ND_KEY_OTHER);
}

/* The words the view shares with core/error.c are spelt as nd_err_name
 * spells them: the inventory holds nd_err_name's output there. */
static void
err_name_words(void **state)
{
	(void)state;
	assert_string_equal(nd_x509_rev_error_name(ND_RE_TIMEOUT), nd_err_name(ND_ERR_TIMEOUT));
	assert_string_equal(nd_x509_rev_error_name(ND_RE_NETWORK), nd_err_name(ND_ERR_NETWORK));
	assert_string_equal(nd_x509_rev_error_name(ND_RE_NOT_FOUND), nd_err_name(ND_ERR_NOT_FOUND));
	assert_string_equal(nd_x509_input_error_name(ND_IE_PARSE), nd_err_name(ND_ERR_PARSE));
	assert_string_equal(nd_x509_input_error_name(ND_IE_TRUNCATED), nd_err_name(ND_ERR_TRUNCATED));
}

static json_object *
cert_with(const char *ku, const char *policy, const char *qc_type)
{
	json_object *c = json_object_new_object(), *a;

	a = json_object_new_array();
	if (ku)
		json_object_array_add(a, json_object_new_string(ku));
	json_object_object_add(c, ND_X509_K_KEY_USAGE, a);
	a = json_object_new_array();
	if (policy)
		json_object_array_add(a, json_object_new_string(policy));
	json_object_object_add(c, ND_X509_K_POLICIES, a);
	a = json_object_new_array();
	if (qc_type)
		json_object_array_add(a, json_object_new_string(qc_type));
	json_object_object_add(c, ND_X509_K_QC_TYPES, a);
	return c;
}

static void
cert_kinds(void **state)
{
	struct { const char *ku, *policy, *qc_type; enum nd_x509_cert_kind kind; const char *name; } cases[] = {
		{ "nonRepudiation", ND_OID_KAMUSM_NES_POLICY_PREFIX "1", NULL, ND_KIND_NES, NULL },
		{ "nonRepudiation", ND_OID_KAMUSM_SEAL_POLICY_PREFIX "1", NULL, ND_KIND_SEAL, "seal" },
		{ "nonRepudiation", NULL, ND_OID_QC_TYPE_ESEAL, ND_KIND_SEAL, "seal" },
		{ "nonRepudiation", NULL, ND_OID_QC_TYPE_ESIGN, ND_KIND_NES, NULL },
		{ "digitalSignature", NULL, NULL, ND_KIND_AUTHENTICATION, "authentication" },
		{ "keyEncipherment", NULL, NULL, ND_KIND_ENCRYPTION, "encryption" },
		{ "dataEncipherment", NULL, NULL, ND_KIND_ENCRYPTION, "encryption" },
		{ "keyAgreement", NULL, NULL, ND_KIND_ENCRYPTION, "encryption" },
		{ NULL, NULL, NULL, ND_KIND_NES, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_object *c = cert_with(cases[i].ku, cases[i].policy, cases[i].qc_type);
		enum nd_x509_cert_kind k = nd_x509_cert_kind(c);

		assert_int_equal(k, cases[i].kind);
		if (cases[i].name)
			assert_string_equal(nd_x509_cert_kind_name(k), cases[i].name);
		else
			assert_null(nd_x509_cert_kind_name(k));
		json_object_put(c);
	}
	assert_int_equal(nd_x509_cert_kind(NULL), ND_KIND_NES);
}

static void
accessors(void **state)
{
	json_object *inv = json_tokener_parse("{\"x509\":{\"network\":[{\"error\":\"dns\"}]},"
	    "\"signing_certificate\":{\"subject\":\"CN=A\"},\"signing_candidates\":[],\"ca_certificates\":[],"
	    "\"inputs\":[],\"chain\":[{}],\"chain_status\":{\"verified\":true},\"revocation\":{\"status\":\"good\"}}");

	(void)state;
	assert_non_null(inv);
	assert_int_equal(nd_x509_net_error(json_object_array_get_idx(nd_x509_net_log(inv), 0)), ND_NE_DNS);
	assert_string_equal(nd_jstr(nd_x509_signing_cert(inv), ND_X509_K_SUBJECT), "CN=A");
	assert_non_null(nd_x509_facts(inv));
	assert_non_null(nd_x509_candidates(inv));
	assert_non_null(nd_x509_ca_certs(inv));
	assert_non_null(nd_x509_inputs(inv));
	assert_int_equal(json_object_array_length(nd_x509_chain_elems(inv)), 1);
	assert_true(nd_jbool(nd_x509_chain_facts(inv), ND_X509_K_VERIFIED, false));
	assert_int_equal(nd_x509_rev_status(nd_x509_revocation_facts(inv)), ND_RS_GOOD);
	json_object_put(inv);
	/* nothing there: NULL, never a crash */
	assert_null(nd_x509_facts(NULL));
	assert_null(nd_x509_net_log(NULL));
	assert_null(nd_x509_signing_cert(NULL));
	assert_null(nd_x509_chain_elems(NULL));
	assert_null(nd_x509_revocation_facts(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_tables),
		cmocka_unit_test(err_name_words),
		cmocka_unit_test(cert_kinds),
		cmocka_unit_test(accessors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
