/* SPDX-License-Identifier: BSD-2-Clause */
/* Facts about one certificate, as JSON: what the cert checks read. All
 * parsing is OpenSSL's; this file only picks fields out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "core/util.h"
#include "x509/x509.h"
#include "x509/x509_int.h"

void
nd_x509_time_str(const ASN1_TIME *t, char *buf, size_t bufsz)
{
	struct tm tm;

	if (!bufsz)
		return;
	buf[0] = '\0';
	memset(&tm, 0, sizeof tm);
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return;
	strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t
nd_x509_parse_time(const char *s)
{
	struct tm tm;
	const char *end;

	if (!s)
		return ND_X509_TIME_BAD;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return ND_X509_TIME_BAD;
	/* time_t is 64 bits here: 1950 is a negative number, not an error */
	return (int64_t)timegm(&tm);
}

char *
nd_x509_sha256_hex(X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!X509_digest(x, EVP_sha256(), md, &n))
		return nd_xstrdup("");
	return nd_hex(md, n);
}

/* One attribute value as UTF-8; NULL when it cannot be converted. */
static char *
entry_utf8(const X509_NAME_ENTRY *e)
{
	unsigned char *u = NULL;
	int n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
	char *s;

	if (n < 0)
		return NULL;
	s = nd_xcalloc((size_t)n + 1, 1);
	memcpy(s, u, (size_t)n);
	OPENSSL_free(u);
	/* an embedded NUL would cut the string silently later: make it visible */
	for (int i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = '?';
	return s;
}

char *
nd_x509_name_str(const X509_NAME *n, bool show_id)
{
	char *out = nd_xstrdup("");
	int count = n ? X509_NAME_entry_count(n) : 0;

	for (int i = 0; i < count; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		char oid[80];
		const char *key = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;
		char *val = entry_utf8(e), *next;

		if (!key) {
			OBJ_obj2txt(oid, sizeof oid, X509_NAME_ENTRY_get_object(e), 1);
			key = oid;
		}
		if (val && nid == NID_serialNumber && !show_id) {
			char *m = nd_mask_tckn(val);
			free(val);
			val = m;
		}
		next = nd_asprintf("%s%s%s=%s", out, i ? ", " : "", key, val ? val : "?");
		free(out);
		free(val);
		out = next;
	}
	return out;
}

/* The first value of an attribute, UTF-8, or NULL. */
static char *
name_attr(const X509_NAME *n, int nid)
{
	int i = X509_NAME_get_index_by_NID(n, nid, -1);

	if (i < 0)
		return NULL;
	return entry_utf8(X509_NAME_get_entry(n, i));
}

static void
add_oid(json_object *arr, const ASN1_OBJECT *o)
{
	char buf[128];

	if (OBJ_obj2txt(buf, sizeof buf, o, 1) > 0)
		json_object_array_add(arr, json_object_new_string(buf));
}

/* An INTEGER that fits in int64, else false. */
static bool
int_of(const ASN1_TYPE *t, int64_t *v)
{
	return t && ASN1_TYPE_get(t) == V_ASN1_INTEGER && ASN1_INTEGER_get_int64(v, t->value.integer) == 1;
}

/* QcLimitValue (ETSI EN 319 412-5 4.3.2): MonetaryValue ::= SEQUENCE {
 * currency (PrintableString SIZE 3 | INTEGER), amount INTEGER, exponent
 * INTEGER }. Anything else is recorded as unreadable, not ignored. */
static json_object *
qc_limit(const ASN1_TYPE *info)
{
	json_object *lim = json_object_new_object();
	STACK_OF(ASN1_TYPE) *mv = NULL;
	const unsigned char *q;
	ASN1_TYPE *cur;
	int64_t amount, exponent, code;

	json_object_object_add(lim, "readable", json_object_new_boolean(0));
	if (!info || ASN1_TYPE_get(info) != V_ASN1_SEQUENCE)
		goto fail;
	q = ASN1_STRING_get0_data(info->value.sequence);
	mv = d2i_ASN1_SEQUENCE_ANY(NULL, &q, ASN1_STRING_length(info->value.sequence));
	if (!mv || sk_ASN1_TYPE_num(mv) != 3 || !int_of(sk_ASN1_TYPE_value(mv, 1), &amount) ||
	    !int_of(sk_ASN1_TYPE_value(mv, 2), &exponent))
		goto fail;
	cur = sk_ASN1_TYPE_value(mv, 0);
	if (ASN1_TYPE_get(cur) == V_ASN1_PRINTABLESTRING && ASN1_STRING_length(cur->value.printablestring) == 3) {
		char c[4] = { 0 };
		memcpy(c, ASN1_STRING_get0_data(cur->value.printablestring), 3);
		json_object_object_add(lim, "currency", json_object_new_string(c));
	} else if (int_of(cur, &code))
		json_object_object_add(lim, "currency", json_object_new_int64(code));
	else
		goto fail;
	json_object_object_add(lim, "amount", json_object_new_int64(amount));
	json_object_object_add(lim, "exponent", json_object_new_int64(exponent));
	json_object_object_add(lim, "readable", json_object_new_boolean(1));
fail:
	sk_ASN1_TYPE_pop_free(mv, ASN1_TYPE_free);
	return lim;
}

/* QcType (ETSI EN 319 412-5 4.2.3): SEQUENCE OF OID. */
static void
qc_types(const ASN1_TYPE *info, json_object *types)
{
	STACK_OF(ASN1_TYPE) *ts = NULL;
	const unsigned char *q;

	if (!info || ASN1_TYPE_get(info) != V_ASN1_SEQUENCE)
		return;
	q = ASN1_STRING_get0_data(info->value.sequence);
	ts = d2i_ASN1_SEQUENCE_ANY(NULL, &q, ASN1_STRING_length(info->value.sequence));
	for (int i = 0; ts && i < sk_ASN1_TYPE_num(ts); i++) {
		ASN1_TYPE *t = sk_ASN1_TYPE_value(ts, i);
		if (ASN1_TYPE_get(t) == V_ASN1_OBJECT)
			add_oid(types, t->value.object);
	}
	sk_ASN1_TYPE_pop_free(ts, ASN1_TYPE_free);
}

/* The statement ids; with fx, also qc_limit and qc_types into fx. */
static json_object *
qc_walk(X509 *x, json_object *fx)
{
	json_object *arr = json_object_new_array(), *types = json_object_new_array();
	int loc = X509_get_ext_by_NID(x, NID_qcStatements, -1);
	X509_EXTENSION *ext;
	ASN1_OCTET_STRING *val;
	const unsigned char *p;
	STACK_OF(ASN1_TYPE) *seq = NULL;

	if (loc < 0)
		goto fail;
	ext = X509_get_ext(x, loc);
	val = X509_EXTENSION_get_data(ext);
	p = ASN1_STRING_get0_data(val);
	/* QCStatements ::= SEQUENCE OF QCStatement;
	 * QCStatement ::= SEQUENCE { statementId OID, statementInfo ANY OPTIONAL } */
	seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(val));
	if (!seq)
		goto fail;
	for (int i = 0; i < sk_ASN1_TYPE_num(seq); i++) {
		ASN1_TYPE *t = sk_ASN1_TYPE_value(seq, i);
		STACK_OF(ASN1_TYPE) *st;
		const unsigned char *q;
		ASN1_TYPE *id;

		if (ASN1_TYPE_get(t) != V_ASN1_SEQUENCE)
			continue;
		q = ASN1_STRING_get0_data(t->value.sequence);
		st = d2i_ASN1_SEQUENCE_ANY(NULL, &q, ASN1_STRING_length(t->value.sequence));
		if (!st)
			continue;
		id = sk_ASN1_TYPE_num(st) > 0 ? sk_ASN1_TYPE_value(st, 0) : NULL;
		if (id && ASN1_TYPE_get(id) == V_ASN1_OBJECT) {
			ASN1_TYPE *info = sk_ASN1_TYPE_num(st) > 1 ? sk_ASN1_TYPE_value(st, 1) : NULL;
			char oid[128];

			add_oid(arr, id->value.object);
			OBJ_obj2txt(oid, sizeof oid, id->value.object, 1);
			if (fx && strcmp(oid, ND_OID_QC_LIMIT) == 0 && !nd_jobj(fx, "qc_limit"))
				json_object_object_add(fx, "qc_limit", qc_limit(info));
			else if (fx && strcmp(oid, ND_OID_QC_TYPE) == 0)
				qc_types(info, types);
		}
		sk_ASN1_TYPE_pop_free(st, ASN1_TYPE_free);
	}
fail:
	if (fx) {
		if (!nd_jobj(fx, "qc_limit"))
			json_object_object_add(fx, "qc_limit", NULL);
		json_object_object_add(fx, "qc_types", types);
	} else
		json_object_put(types);
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return arr;
}

json_object *
nd_x509_qc_statements(X509 *x)
{
	return qc_walk(x, NULL);
}

/* The first user notice's explicit text in the certificate policies, as
 * UTF-8 (NULs shown as '?'), or NULL. */
static char *
user_notice(X509 *x)
{
	CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
	char *out = NULL;

	for (int i = 0; cp && !out && i < sk_POLICYINFO_num(cp); i++) {
		POLICYINFO *pi = sk_POLICYINFO_value(cp, i);
		for (int j = 0; pi->qualifiers && !out && j < sk_POLICYQUALINFO_num(pi->qualifiers); j++) {
			POLICYQUALINFO *q = sk_POLICYQUALINFO_value(pi->qualifiers, j);
			unsigned char *u = NULL;
			int n;

			if (OBJ_obj2nid(q->pqualid) != NID_id_qt_unotice || !q->d.usernotice ||
			    !q->d.usernotice->exptext)
				continue;
			n = ASN1_STRING_to_UTF8(&u, q->d.usernotice->exptext);
			if (n < 0)
				continue;
			out = nd_xcalloc((size_t)n + 1, 1);
			memcpy(out, u, (size_t)n);
			for (int k = 0; k < n; k++)
				if (out[k] == '\0')
					out[k] = '?';
			OPENSSL_free(u);
		}
	}
	CERTIFICATEPOLICIES_free(cp);
	return out;
}

static bool
under_prefix(const json_object *arr, const char *prefix)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(arr, i));
		if (p && strncmp(p, prefix, strlen(prefix)) == 0)
			return true;
	}
	return false;
}

/* Words of a user notice that restrict use (Turkish and English, lower
 * case ASCII stems; "sınır" as it is written in UTF-8). */
static bool
notice_restricts(const char *text)
{
	static const char *const words[] = { "kısıt", "kisit", "sınır", "sinir", "yalnızca", "yalnizca",
		"sadece", "restrict", "limit", "only for", "test amaç", "test amac", "for test" };
	char *low = nd_xstrdup(text);
	bool hit = false;

	for (char *c = low; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	for (size_t i = 0; !hit && i < sizeof words / sizeof words[0]; i++)
		hit = strstr(low, words[i]) != NULL;
	free(low);
	return hit;
}

static void
add_restriction(json_object *arr, const char *kind, json_object *detail)
{
	json_object *r = json_object_new_object();

	json_object_object_add(r, "kind", json_object_new_string(kind));
	json_object_object_add(r, "detail", detail);
	json_object_array_add(arr, r);
}

/* What limits signing with a qualified certificate: a monetary limit, a
 * QcType other than esign, a user notice that restricts use, and a Kamu
 * SM NES without the user notice its profile requires (see
 * drivers-notes/kamusm-certificates.md). */
static void
restrictions(X509 *x, json_object *fx)
{
	json_object *arr = json_object_new_array(), *lim = nd_jobj(fx, "qc_limit");
	json_object *types = nd_jarr(fx, "qc_types");
	char *notice = user_notice(x);

	nd_jset_str(fx, "policy_user_notice", notice);
	if (lim) {
		bool zero = nd_jbool(lim, "readable", false) && nd_jint(lim, "amount", -1) == 0;
		add_restriction(arr, !nd_jbool(lim, "readable", false) ? "qc_limit_unreadable" :
		    zero ? "qc_limit_zero" : "qc_limit", json_object_get(lim));
	}
	for (size_t i = 0; types && i < json_object_array_length(types); i++) {
		const char *t = json_object_get_string(json_object_array_get_idx(types, i));
		if (t && strcmp(t, ND_OID_QC_TYPE_ESIGN) != 0)
			add_restriction(arr, strcmp(t, ND_OID_QC_TYPE_ESEAL) == 0 ? "qc_type_eseal" : "qc_type_other",
			    json_object_new_string(t));
	}
	if (notice && notice_restricts(notice))
		add_restriction(arr, "user_notice", json_object_new_string(notice));
	if (!notice && under_prefix(nd_jarr(fx, "policies"), ND_OID_KAMUSM_NES_POLICY_PREFIX) &&
	    nd_jarr_has_str(nd_jarr(fx, "qc_statements"), ND_OID_QC_BTK_NES))
		add_restriction(arr, "no_user_notice", NULL);
	json_object_object_add(fx, "restrictions", arr);
	free(notice);
}

static json_object *
policies(X509 *x)
{
	json_object *arr = json_object_new_array();
	CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);

	for (int i = 0; cp && i < sk_POLICYINFO_num(cp); i++)
		add_oid(arr, sk_POLICYINFO_value(cp, i)->policyid);
	CERTIFICATEPOLICIES_free(cp);
	return arr;
}

json_object *
nd_x509_key_usage(X509 *x, bool *present)
{
	static const struct { uint32_t bit; const char *name; } ku[] = {
		{ KU_DIGITAL_SIGNATURE, "digitalSignature" },
		{ KU_NON_REPUDIATION, "nonRepudiation" },
		{ KU_KEY_ENCIPHERMENT, "keyEncipherment" },
		{ KU_DATA_ENCIPHERMENT, "dataEncipherment" },
		{ KU_KEY_AGREEMENT, "keyAgreement" },
		{ KU_KEY_CERT_SIGN, "keyCertSign" },
		{ KU_CRL_SIGN, "cRLSign" },
		{ KU_ENCIPHER_ONLY, "encipherOnly" },
		{ KU_DECIPHER_ONLY, "decipherOnly" },
	};
	json_object *arr = json_object_new_array();
	uint32_t v = X509_get_key_usage(x);

	*present = (X509_get_extension_flags(x) & EXFLAG_KUSAGE) != 0;
	if (!*present)
		return arr;
	for (size_t i = 0; i < sizeof ku / sizeof ku[0]; i++)
		if (v & ku[i].bit)
			json_object_array_add(arr, json_object_new_string(ku[i].name));
	return arr;
}

static json_object *
ext_key_usage(X509 *x)
{
	json_object *arr = json_object_new_array();
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);

	for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++)
		add_oid(arr, sk_ASN1_OBJECT_value(eku, i));
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return arr;
}

static json_object *
key_facts(X509 *x)
{
	json_object *k = json_object_new_object();
	EVP_PKEY *pk = X509_get0_pubkey(x);
	char group[64];

	if (!pk) {
		json_object_object_add(k, "type", json_object_new_string("unreadable"));
		return k;
	}
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		json_object_object_add(k, "type", json_object_new_string("RSA"));
		break;
	case EVP_PKEY_EC:
		json_object_object_add(k, "type", json_object_new_string("EC"));
		if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group,
		    sizeof group, NULL) == 1) {
			const char *nist = EC_curve_nid2nist(OBJ_sn2nid(group));
			json_object_object_add(k, "curve", json_object_new_string(nist ? nist : group));
		}
		break;
	default:
		nd_jset_str(k, "type", OBJ_nid2sn(EVP_PKEY_get_base_id(pk)));
		break;
	}
	json_object_object_add(k, "bits", json_object_new_int(EVP_PKEY_get_bits(pk)));
	return k;
}

static void
uris_of(GENERAL_NAMES *names, json_object *arr)
{
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		char *s;

		if (g->type != GEN_URI)
			continue;
		/* an IA5String may hold anything, NULs included: copy by length */
		s = nd_xcalloc((size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier) + 1, 1);
		memcpy(s, ASN1_STRING_get0_data(g->d.uniformResourceIdentifier),
		    (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier));
		if (strlen(s) == (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier))
			json_object_array_add(arr, json_object_new_string(s));
		free(s);
	}
}

static void
access_urls(X509 *x, json_object *fx)
{
	json_object *ocsp = json_object_new_array(), *issuers = json_object_new_array();
	json_object *crl = json_object_new_array();
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);

	for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		GENERAL_NAMES *one = sk_GENERAL_NAME_new_null();
		int nid = OBJ_obj2nid(ad->method);

		if (!one)
			continue;
		sk_GENERAL_NAME_push(one, ad->location);
		if (nid == NID_ad_OCSP)
			uris_of(one, ocsp);
		else if (nid == NID_ad_ca_issuers)
			uris_of(one, issuers);
		sk_GENERAL_NAME_free(one);   /* the name itself belongs to aia */
	}
	for (int i = 0; dps && i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		if (dp->distpoint && dp->distpoint->type == 0)
			uris_of(dp->distpoint->name.fullname, crl);
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	json_object_object_add(fx, "ocsp_urls", ocsp);
	json_object_object_add(fx, "ca_issuers_urls", issuers);
	json_object_object_add(fx, "crl_urls", crl);
}

/* The identity number from the subject serialNumber: plain 11 digits, or
 * with an ETSI EN 319 412-1 prefix ("IDCTR-", "PNOTR-"). */
static json_object *
holder(X509 *x, bool show_id)
{
	json_object *h = json_object_new_object();
	const X509_NAME *subj = X509_get_subject_name(x);
	char *cn = name_attr(subj, NID_commonName);
	char *sn = name_attr(subj, NID_serialNumber);
	const char *id = sn;

	nd_jset_str(h, "name", cn);
	if (sn && (strncmp(sn, "IDCTR-", 6) == 0 || strncmp(sn, "PNOTR-", 6) == 0))
		id = sn + 6;
	json_object_object_add(h, "tckn_present", json_object_new_boolean(id != NULL));
	if (id) {
		char *m = show_id ? nd_xstrdup(id) : nd_mask_tckn(id);
		json_object_object_add(h, "tckn", json_object_new_string(m));
		json_object_object_add(h, "tckn_valid", json_object_new_boolean(nd_tckn_valid(id)));
		free(m);
	}
	free(cn);
	free(sn);
	return h;
}

json_object *
nd_x509_describe(X509 *x, bool show_id)
{
	json_object *fx = json_object_new_object();
	char tb[32], *s;
	const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
	BIGNUM *bn = serial ? ASN1_INTEGER_to_BN(serial, NULL) : NULL;
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	bool ku_present;
	json_object *ku;
	int sig_nid;

	s = nd_x509_name_str(X509_get_subject_name(x), show_id);
	json_object_object_add(fx, "subject", json_object_new_string(s));
	free(s);
	s = nd_x509_name_str(X509_get_issuer_name(x), show_id);
	json_object_object_add(fx, "issuer", json_object_new_string(s));
	free(s);
	nd_jset_str(fx, "serial", hex);
	OPENSSL_free(hex);
	BN_free(bn);
	nd_x509_time_str(X509_get0_notBefore(x), tb, sizeof tb);
	nd_jset_str(fx, "not_before", tb[0] ? tb : NULL);
	nd_x509_time_str(X509_get0_notAfter(x), tb, sizeof tb);
	nd_jset_str(fx, "not_after", tb[0] ? tb : NULL);
	s = nd_x509_sha256_hex(x);
	json_object_object_add(fx, "sha256", json_object_new_string(s));
	free(s);
	json_object_object_add(fx, "is_ca", json_object_new_boolean(X509_check_ca(x) > 0));
	json_object_object_add(fx, "self_signed", json_object_new_boolean(X509_self_signed(x, 0) == 1));
	ku = nd_x509_key_usage(x, &ku_present);
	json_object_object_add(fx, "key_usage_present", json_object_new_boolean(ku_present));
	json_object_object_add(fx, "key_usage", ku);
	json_object_object_add(fx, "ext_key_usage", ext_key_usage(x));
	json_object_object_add(fx, "qc_statements", qc_walk(x, fx));
	json_object_object_add(fx, "policies", policies(x));
	restrictions(x, fx);
	json_object_object_add(fx, "key", key_facts(x));
	sig_nid = X509_get_signature_nid(x);
	nd_jset_str(fx, "signature_algorithm", sig_nid != NID_undef ? OBJ_nid2sn(sig_nid) : NULL);
	json_object_object_add(fx, "holder", holder(x, show_id));
	access_urls(x, fx);
	return fx;
}
