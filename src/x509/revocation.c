/* Revocation of the signing certificate: OCSP first (fresh, signed, with a
 * nonce), then the CRL from the distribution point (signed by the issuer,
 * kept in the cache until its next update). Whatever the network does, the
 * answer is good, revoked, or unknown with the reason why: never a guess. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "core/i18n.h"
#include "core/util.h"
#include "x509/x509_int.h"

/* At most this many URLs of each kind are tried (a certificate may list
 * several mirrors; each costs up to a timeout). */
#define MAX_URLS 2

const char *
nd_rev_status_name(enum nd_rev_status s)
{
	switch (s) {
	case ND_REV_GOOD: return "good";
	case ND_REV_REVOKED: return "revoked";
	case ND_REV_UNKNOWN: return "unknown";
	case ND_REV_NONE: return "none";
	}
	return "none";
}

/* RFC 5280 CRLReason names. */
const char *
nd_crl_reason_name(int reason)
{
	static const char *const names[] = { "unspecified", "keyCompromise", "cACompromise",
		"affiliationChanged", "superseded", "cessationOfOperation", "certificateHold",
		NULL, "removeFromCRL", "privilegeWithdrawn", "aACompromise" };

	if (reason < 0 || reason >= (int)(sizeof names / sizeof names[0]) || !names[reason])
		return NULL;
	return names[reason];
}

static void
rev_init(struct nd_rev *res)
{
	memset(res, 0, sizeof *res);
	res->status = ND_REV_NONE;
	res->reason = -1;
}

static void
rev_vfail(struct nd_rev *res, nd_err code, const char *error, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void
rev_vfail(struct nd_rev *res, nd_err code, const char *error, const char *fmt, va_list ap)
{
	res->status = ND_REV_NONE;
	res->code = code;
	res->error = error;
	vsnprintf(res->err, sizeof res->err, fmt, ap);
}

static void
rev_fail(struct nd_rev *res, nd_err code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
rev_fail(struct nd_rev *res, nd_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rev_vfail(res, code, NULL, fmt, ap);
	va_end(ap);
}

/* A CRL that cannot decide for this certificate: error is "crl_scope" (it
 * does not cover it) or "crl_unusable" (it holds what we cannot read). */
static void
rev_unusable(struct nd_rev *res, const char *error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
rev_unusable(struct nd_rev *res, const char *error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rev_vfail(res, ND_ERR_UNSUPPORTED, error, fmt, ap);
	va_end(ap);
}

/* X509_cmp_time with its error (0) folded into "not ok" by the callers:
 * -1 before t, 1 after t, 0 unreadable. */
static int
time_cmp(const ASN1_TIME *a, time_t t)
{
	return a ? X509_cmp_time(a, &t) : 0;
}

/* thisUpdate not in the future, not older than maxage (when >= 0);
 * nextUpdate (when given) not passed and not before thisUpdate. */
static bool
ocsp_fresh(const ASN1_GENERALIZEDTIME *thisupd, const ASN1_GENERALIZEDTIME *nextupd, time_t now,
           long maxage)
{
	if (!thisupd || !ASN1_GENERALIZEDTIME_check(thisupd) || time_cmp(thisupd, now + ND_X509_SKEW_S) >= 0)
		return false;
	if (maxage >= 0 && time_cmp(thisupd, now - ND_X509_SKEW_S - maxage) <= 0)
		return false;
	if (nextupd && (!ASN1_GENERALIZEDTIME_check(nextupd) || time_cmp(nextupd, now - ND_X509_SKEW_S) <= 0 ||
	    ASN1_TIME_compare(nextupd, thisupd) < 0))
		return false;
	return true;
}

void
nd_ocsp_eval(const uint8_t *der, size_t n, OCSP_REQUEST *req, OCSP_CERTID *id, X509_STORE *st,
             STACK_OF(X509) *certs, time_t now, struct nd_rev *res)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *bs = NULL;
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	int rs, status = -1, reason = -1, nonce;
	long maxage;
	char why[160];

	rev_init(res);
	ERR_clear_error();
	if (!der || n == 0 || n > ND_X509_MAX_OCSP) {
		rev_fail(res, ND_ERR_PARSE, "%s", _("the answer is not an OCSP response"));
		goto fail;
	}
	resp = d2i_OCSP_RESPONSE(NULL, &p, (long)n);
	if (!resp || p != der + n) {
		rev_fail(res, ND_ERR_PARSE, "%s", _("the answer is not an OCSP response"));
		goto fail;
	}
	rs = OCSP_response_status(resp);
	if (rs != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		rev_fail(res, ND_ERR_PROTOCOL, _("the responder refused to answer (%s)"),
		    OCSP_response_status_str(rs));
		goto fail;
	}
	bs = OCSP_response_get1_basic(resp);
	if (!bs) {
		rev_fail(res, ND_ERR_PARSE, "%s", _("the answer is not an OCSP response"));
		goto fail;
	}
	if (req) {
		/* 1: echoed; -1: asked and not echoed (RFC 5019 responders,
		 * answers cached by a CDN): taken when fresh, below; 2, 3: we
		 * did not ask; 0: a different nonce, a replayed or foreign
		 * answer */
		nonce = OCSP_check_nonce(req, bs);
		if (nonce == 0) {
			rev_fail(res, ND_ERR_CRYPTO, "%s", _("the answer's nonce does not match the question"));
			goto fail;
		}
		res->nonce_echoed = nonce == 1;
		res->nonce = nonce == 1 ? "echoed" : "absent";
	}
	if (!st || OCSP_basic_verify(bs, certs, st, 0) <= 0) {
		nd_err_from_openssl(why, sizeof why);
		rev_fail(res, ND_ERR_CRYPTO, _("the answer's signature does not verify (%s)"),
		    why[0] ? why : "-");
		goto fail;
	}
	if (!id || !OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisupd, &nextupd)) {
		rev_fail(res, ND_ERR_PROTOCOL, "%s", _("the answer is about another certificate"));
		goto fail;
	}
	nd_x509_time_str(thisupd, res->this_update, sizeof res->this_update);
	nd_x509_time_str(nextupd, res->next_update, sizeof res->next_update);
	/* without a next update, an answer older than a week is too old */
	maxage = nextupd ? -1 : 7L * 86400;
	if (req && !res->nonce_echoed) {
		if (!ocsp_fresh(thisupd, nextupd, now, ND_OCSP_NONCELESS_MAX_AGE_S)) {
			rev_fail(res, ND_ERR_PROTOCOL, _("the answer does not echo the nonce and is not fresh "
			    "(produced %s, at most %ld days old is taken): it may be a replay"),
			    res->this_update[0] ? res->this_update : "-", ND_OCSP_NONCELESS_MAX_AGE_S / 86400);
			goto fail;
		}
	} else if (!ocsp_fresh(thisupd, nextupd, now, maxage)) {
		rev_fail(res, ND_ERR_PROTOCOL, "%s", _("the answer is out of date (or from the future: check the clock)"));
		goto fail;
	}
	switch (status) {
	case V_OCSP_CERTSTATUS_GOOD:
		res->status = ND_REV_GOOD;
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		res->status = ND_REV_REVOKED;
		res->reason = reason;
		nd_x509_time_str(rev, res->date, sizeof res->date);
		break;
	default:
		res->status = ND_REV_UNKNOWN;
		break;
	}
fail:
	ERR_clear_error();
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
}

static X509_CRL *
parse_crl(const uint8_t *buf, size_t n)
{
	static const char tag[] = "-----BEGIN X509 CRL-----";
	X509_CRL *crl = NULL;

	if (n > ND_X509_MAX_CRL || n > (size_t)INT32_MAX)
		return NULL;
	if (n >= sizeof tag - 1 && memmem(buf, n, tag, sizeof tag - 1)) {
		BIO *b = BIO_new_mem_buf(buf, (int)n);
		if (b)
			crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
		BIO_free(b);
	} else {
		const unsigned char *p = buf;
		crl = d2i_X509_CRL(NULL, &p, (long)n);
		if (crl && p != buf + n) {
			X509_CRL_free(crl);
			crl = NULL;
		}
	}
	return crl;
}

/* ---- does the CRL cover the certificate (RFC 5280 6.3.3)? --------------- */

/* The CRL extensions read here (RFC 5280 5.2). A critical one outside this
 * list makes the CRL unusable: freshestCRL is left out on purpose, since a
 * critical one would oblige us to fetch delta CRLs, which we do not. */
static bool
crl_ext_known(int nid)
{
	switch (nid) {
	case NID_crl_number:
	case NID_authority_key_identifier:
	case NID_issuing_distribution_point:
	case NID_delta_crl:
	case NID_issuer_alt_name:
		return true;
	default:
		return false;
	}
}

/* CRL entry extensions read here (5.3); certificateIssuer is handled apart. */
static bool
crl_entry_ext_known(int nid)
{
	return nid == NID_crl_reason || nid == NID_invalidity_date || nid == NID_hold_instruction_code;
}

static void
ext_name(X509_EXTENSION *ext, char *buf, size_t bufsz)
{
	if (OBJ_obj2txt(buf, (int)bufsz, X509_EXTENSION_get_object(ext), 1) <= 0)
		snprintf(buf, bufsz, "?");
}

static bool
gn_is_dir(GENERAL_NAME *gn, const X509_NAME *dir)
{
	return gn->type == GEN_DIRNAME && dir && X509_NAME_cmp(gn->d.directoryName, dir) == 0;
}

/* Whether two distribution point names share a name: full names any
 * GENERAL_NAME, a name relative to the CRL issuer as the directory name
 * it stands for (dpname, filled by DIST_POINT_set_dpname). */
static bool
dpn_match(DIST_POINT_NAME *a, DIST_POINT_NAME *b)
{
	if (a->type == 0 && b->type == 0) {
		for (int i = 0; i < sk_GENERAL_NAME_num(a->name.fullname); i++)
			for (int j = 0; j < sk_GENERAL_NAME_num(b->name.fullname); j++)
				if (GENERAL_NAME_cmp(sk_GENERAL_NAME_value(a->name.fullname, i),
				    sk_GENERAL_NAME_value(b->name.fullname, j)) == 0)
					return true;
		return false;
	}
	if (a->type == 1 && b->type == 1)
		return a->dpname && b->dpname && X509_NAME_cmp(a->dpname, b->dpname) == 0;
	if (a->type == 1) {
		DIST_POINT_NAME *t = a;
		a = b;
		b = t;
	}
	for (int i = 0; i < sk_GENERAL_NAME_num(a->name.fullname); i++)
		if (gn_is_dir(sk_GENERAL_NAME_value(a->name.fullname, i), b->dpname))
			return true;
	return false;
}

static bool
dpn_has_url(const DIST_POINT_NAME *d, const char *url)
{
	size_t n = strlen(url);

	if (d->type != 0)
		return false;
	for (int i = 0; i < sk_GENERAL_NAME_num(d->name.fullname); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(d->name.fullname, i);
		if (gn->type == GEN_URI && (size_t)ASN1_STRING_length(gn->d.uniformResourceIdentifier) == n &&
		    memcmp(ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier), url, n) == 0)
			return true;
	}
	return false;
}

/* Does the IDP's distribution point name one of leaf's CRL distribution
 * points: the one url came from, or any when url is not among them? */
static bool
idp_matches_leaf(DIST_POINT_NAME *idp_dp, X509_CRL *crl, X509 *leaf, const char *url)
{
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(leaf, NID_crl_distribution_points, NULL, NULL);
	bool ok = false, by_url = false;

	if (!dps || !DIST_POINT_set_dpname(idp_dp, X509_CRL_get_issuer(crl)))
		goto out;
	for (int i = 0; url && i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		if (dp->distpoint && dpn_has_url(dp->distpoint, url))
			by_url = true;
	}
	for (int i = 0; !ok && i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		if (!dp->distpoint || (by_url && !dpn_has_url(dp->distpoint, url)))
			continue;
		if (DIST_POINT_set_dpname(dp->distpoint, X509_get_issuer_name(leaf)) &&
		    dpn_match(idp_dp, dp->distpoint))
			ok = true;
	}
out:
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return ok;
}

static bool
leaf_is_ca(X509 *leaf)
{
	BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(leaf, NID_basic_constraints, NULL, NULL);
	bool ca = bc && bc->ca;

	BASIC_CONSTRAINTS_free(bc);
	return ca;
}

/* The CRL's own extensions and its scope. false (res filled) when the CRL
 * cannot decide for leaf at all; *partial when it can only say "revoked"
 * (a delta CRL, a CRL for some reasons only). */
static bool
crl_covers(X509_CRL *crl, X509 *leaf, const char *url, struct nd_rev *res, bool *partial)
{
	ISSUING_DIST_POINT *idp = NULL;
	char oid[80];
	int crit = -1;
	bool ok = false;

	*partial = false;
	for (int i = 0; i < X509_CRL_get_ext_count(crl); i++) {
		X509_EXTENSION *ext = X509_CRL_get_ext(crl, i);
		if (X509_EXTENSION_get_critical(ext) &&
		    !crl_ext_known(OBJ_obj2nid(X509_EXTENSION_get_object(ext)))) {
			ext_name(ext, oid, sizeof oid);
			rev_unusable(res, "crl_unusable", _("the CRL has a critical extension nesdoctor does not "
			    "know (%s)"), oid);
			goto out;
		}
	}
	idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, &crit, NULL);
	if (!idp && crit != -1) {
		/* present but unreadable, or twice */
		rev_unusable(res, "crl_unusable", "%s", _("the CRL's issuing distribution point cannot be read"));
		goto out;
	}
	if (idp && idp->indirectCRL) {
		rev_unusable(res, "crl_scope", "%s", _("the CRL is an indirect CRL (it lists certificates of "
		    "other issuers too), which nesdoctor does not read"));
		goto out;
	}
	if (idp && idp->onlyattr) {
		rev_unusable(res, "crl_scope", "%s", _("the CRL covers only attribute certificates"));
		goto out;
	}
	if (idp && idp->onlyCA && !leaf_is_ca(leaf)) {
		rev_unusable(res, "crl_scope", "%s", _("the CRL covers only CA certificates"));
		goto out;
	}
	if (idp && idp->onlyuser && leaf_is_ca(leaf)) {
		rev_unusable(res, "crl_scope", "%s", _("the CRL covers only end-user certificates"));
		goto out;
	}
	if (idp && idp->distpoint && !idp_matches_leaf(idp->distpoint, crl, leaf, url)) {
		rev_unusable(res, "crl_scope", "%s", _("the CRL is for another distribution point than the "
		    "certificate's"));
		goto out;
	}
	if (idp && idp->onlysomereasons) {
		rev_fail(res, ND_ERR_UNSUPPORTED, "%s", _("the CRL covers only some revocation reasons: it "
		    "cannot say alone that a certificate is not revoked"));
		res->error = "crl_scope";
		*partial = true;
	}
	if (X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0) {
		rev_fail(res, ND_ERR_UNSUPPORTED, "%s", _("the CRL is a delta CRL (the changes since a base "
		    "CRL): it cannot say alone that a certificate is not revoked"));
		res->error = "crl_scope";
		*partial = true;
	}
	ok = true;
out:
	ISSUING_DIST_POINT_free(idp);
	return ok;
}

/* The entries: no critical extension we do not know, no certificateIssuer
 * (indirect). *removes: an entry says removeFromCRL. */
static bool
crl_entries_ok(X509_CRL *crl, struct nd_rev *res, bool *removes)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	char oid[80];

	*removes = false;
	for (int i = 0; i < sk_X509_REVOKED_num(revs); i++) {
		X509_REVOKED *rv = sk_X509_REVOKED_value(revs, i);
		for (int j = 0; j < X509_REVOKED_get_ext_count(rv); j++) {
			X509_EXTENSION *ext = X509_REVOKED_get_ext(rv, j);
			int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
			ASN1_ENUMERATED *e;
			long reason;

			if (nid == NID_certificate_issuer) {
				rev_unusable(res, "crl_unusable", "%s", _("a CRL entry names another certificate "
				    "issuer (an indirect CRL), which nesdoctor does not read"));
				return false;
			}
			if (X509_EXTENSION_get_critical(ext) && !crl_entry_ext_known(nid)) {
				ext_name(ext, oid, sizeof oid);
				rev_unusable(res, "crl_unusable", _("a CRL entry has a critical extension nesdoctor "
				    "does not know (%s)"), oid);
				return false;
			}
			if (nid != NID_crl_reason)
				continue;
			e = X509V3_EXT_d2i(ext);
			reason = e ? ASN1_ENUMERATED_get(e) : -1;
			ASN1_ENUMERATED_free(e);
			if (reason < 0) {
				rev_unusable(res, "crl_unusable", "%s", _("a CRL entry's reason cannot be read"));
				return false;
			}
			if (reason == CRL_REASON_REMOVE_FROM_CRL)
				*removes = true;
		}
	}
	return true;
}

void
nd_crl_eval(const uint8_t *buf, size_t n, X509 *leaf, X509 *issuer, const char *url, time_t now,
            struct nd_rev *res, X509_CRL **crl_out)
{
	X509_CRL *crl = NULL;
	X509_REVOKED *rev = NULL;
	EVP_PKEY *pk;
	const ASN1_TIME *last, *next;
	time_t ahead = now + ND_X509_SKEW_S;
	ASN1_ENUMERATED *reason = NULL;
	char why[160];
	int found;
	bool partial, removes;

	rev_init(res);
	if (crl_out)
		*crl_out = NULL;
	ERR_clear_error();
	if (buf && n > ND_X509_MAX_CRL) {
		rev_fail(res, ND_ERR_PROTOCOL, _("the CRL is larger than nesdoctor reads (%u MiB at most)"),
		    ND_X509_MAX_CRL / (1024 * 1024));
		res->error = "crl_too_large";
		goto fail;
	}
	if (!buf || n == 0 || !(crl = parse_crl(buf, n))) {
		rev_fail(res, ND_ERR_PARSE, "%s", _("the answer is not a CRL"));
		goto fail;
	}
	if (!issuer || X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0) {
		rev_fail(res, ND_ERR_CRYPTO, "%s", _("the CRL is from another issuer"));
		goto fail;
	}
	pk = X509_get0_pubkey(issuer);
	if (!pk || X509_CRL_verify(crl, pk) <= 0) {
		nd_err_from_openssl(why, sizeof why);
		rev_fail(res, ND_ERR_CRYPTO, _("the CRL's signature does not verify (%s)"), why[0] ? why : "-");
		goto fail;
	}
	last = X509_CRL_get0_lastUpdate(crl);
	next = X509_CRL_get0_nextUpdate(crl);
	nd_x509_time_str(last, res->this_update, sizeof res->this_update);
	nd_x509_time_str(next, res->next_update, sizeof res->next_update);
	if (!last || X509_cmp_time(last, &ahead) > 0) {
		rev_fail(res, ND_ERR_PROTOCOL, "%s", _("the CRL is dated in the future (check the clock)"));
		goto fail;
	}
	if (!next || X509_cmp_time(next, &now) < 0) {
		rev_fail(res, ND_ERR_PROTOCOL, _("the CRL is out of date (next update was due %s)"),
		    res->next_update[0] ? res->next_update : "-");
		goto fail;
	}
	if (!leaf || !crl_covers(crl, leaf, url, res, &partial) || !crl_entries_ok(crl, res, &removes))
		goto fail;
	/* 1: listed; 2: listed as removeFromCRL (that is: not revoked) */
	found = X509_CRL_get0_by_cert(crl, &rev, leaf);
	if (found == 1) {
		res->status = ND_REV_REVOKED;
		nd_x509_time_str(X509_REVOKED_get0_revocationDate(rev), res->date, sizeof res->date);
		reason = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
		res->reason = reason ? (int)ASN1_ENUMERATED_get(reason) : -1;
	} else if (partial) {
		/* res already says why */
		goto fail;
	} else if (removes) {
		/* removeFromCRL belongs in delta CRLs only (RFC 5280 5.3.1): a
		 * complete CRL with it is not built the way we read it, and its
		 * silence about a certificate proves nothing */
		rev_unusable(res, "crl_unusable", "%s", _("the CRL lists entries as removeFromCRL, which only a "
		    "delta CRL may do"));
		goto fail;
	} else
		res->status = ND_REV_GOOD;
	res->code = ND_OK;
	res->error = NULL;
	res->err[0] = '\0';
	if (crl_out) {
		*crl_out = crl;
		crl = NULL;
	}
fail:
	ERR_clear_error();
	ASN1_ENUMERATED_free(reason);
	X509_CRL_free(crl);
}

/* ---- the driver ------------------------------------------------------------ */

static const char *
rev_error_name(const struct nd_rev *r)
{
	return r->error ? r->error : nd_err_name(r->code);
}

static json_object *
attempt_json(const char *method, const char *url, const struct nd_rev *r, bool cached)
{
	json_object *a = json_object_new_object();

	json_object_object_add(a, "method", json_object_new_string(method));
	nd_jset_str(a, "url", url);
	json_object_object_add(a, "status", json_object_new_string(nd_rev_status_name(r->status)));
	if (cached)
		json_object_object_add(a, "cached", json_object_new_boolean(1));
	if (r->status == ND_REV_NONE) {
		json_object_object_add(a, "error", json_object_new_string(rev_error_name(r)));
		json_object_object_add(a, "detail", json_object_new_string(r->err));
	}
	return a;
}

static bool
is_http(const char *url)
{
	return url && strncmp(url, "http://", 7) == 0;
}

static void
ocsp_try(const char *url, X509 *leaf, X509 *issuer, X509_STORE *st, STACK_OF(X509) *chain,
         struct nd_net *net, struct nd_rev *res)
{
	OCSP_CERTID *id = NULL;
	OCSP_REQUEST *req = NULL;
	unsigned char *der = NULL;
	uint8_t *ans = NULL;
	size_t ans_len = 0;
	int n;
	char err[256];
	nd_err e;

	rev_init(res);
	id = OCSP_cert_to_id(NULL, leaf, issuer);
	req = OCSP_REQUEST_new();
	if (!id || !req || !OCSP_request_add0_id(req, OCSP_CERTID_dup(id)) ||
	    !OCSP_request_add1_nonce(req, NULL, -1) || (n = i2d_OCSP_REQUEST(req, &der)) <= 0) {
		rev_fail(res, ND_ERR_INTERNAL, "%s", _("could not build the OCSP request"));
		goto fail;
	}
	e = nd_net_fetch(net, "ocsp", url, "application/ocsp-request", der, (size_t)n,
	    ND_X509_MAX_OCSP, &ans, &ans_len, err, sizeof err);
	if (e != ND_OK) {
		rev_fail(res, e, "%s", err);
		goto fail;
	}
	nd_ocsp_eval(ans, ans_len, req, id, st, chain, time(NULL), res);
fail:
	ERR_clear_error();
	free(ans);
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);
	OCSP_CERTID_free(id);
}

/* Was the last download refused for its size (net.c's log says so)? */
static bool
last_too_large(const struct nd_net *net)
{
	size_t n = net->log ? json_object_array_length(net->log) : 0;
	const char *e = n ? nd_jstr(json_object_array_get_idx(net->log, n - 1), "error") : NULL;

	return e && strcmp(e, "too_large") == 0;
}

/* A CRL from the cache when it is still good, else downloaded. */
static void
crl_try(const char *url, X509 *leaf, X509 *issuer, struct nd_net *net, const char *cache_dir,
        struct nd_rev *res, bool *cached)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	X509_CRL *crl = NULL;
	char err[256];
	nd_err e;
	time_t now = time(NULL);

	*cached = false;
	rev_init(res);
	if (nd_cache_load_url(cache_dir, "crl", url, &buf, &len) == ND_OK) {
		nd_crl_eval(buf, len, leaf, issuer, url, now, res, &crl);
		free(buf);
		buf = NULL;
		if (crl) {
			*cached = true;
			goto done;
		}
	}
	if (net->offline) {
		rev_fail(res, ND_ERR_NETWORK, "%s", _("offline"));
		goto done;
	}
	e = nd_net_fetch(net, "crl", url, NULL, NULL, 0, ND_X509_MAX_CRL, &buf, &len, err, sizeof err);
	if (e != ND_OK && last_too_large(net)) {
		rev_fail(res, e, _("the CRL is larger than nesdoctor reads (%u MiB at most)"),
		    ND_X509_MAX_CRL / (1024 * 1024));
		res->error = "crl_too_large";
		goto done;
	}
	if (e != ND_OK) {
		rev_fail(res, e, "%s", err);
		goto done;
	}
	/* crl is set only when it answered good or revoked: a CRL that
	 * cannot decide is never cached */
	nd_crl_eval(buf, len, leaf, issuer, url, now, res, &crl);
	if (crl)
		nd_cache_store_url(cache_dir, "crl", url, buf, len);
done:
	X509_CRL_free(crl);
	free(buf);
}

static void
set_final(json_object *o, const char *method, const char *url, const struct nd_rev *r, bool cached)
{
	const char *rn = nd_crl_reason_name(r->reason);

	json_object_object_add(o, "status", json_object_new_string(nd_rev_status_name(r->status)));
	nd_jset_str(o, "method", method);
	nd_jset_str(o, "url", url);
	nd_jset_str(o, "reason", r->status == ND_REV_REVOKED ? rn : NULL);
	nd_jset_str(o, "date", r->date[0] ? r->date : NULL);
	nd_jset_str(o, "this_update", r->this_update[0] ? r->this_update : NULL);
	nd_jset_str(o, "next_update", r->next_update[0] ? r->next_update : NULL);
	json_object_object_add(o, "cached", json_object_new_boolean(cached));
}

json_object *
nd_x509_revocation(X509 *leaf, X509 *issuer, X509_STORE *st, STACK_OF(X509) *chain,
                   const json_object *leaf_facts, struct nd_net *net, const char *cache_dir)
{
	json_object *out = json_object_new_object(), *attempts = json_object_new_array();
	json_object *ocsp = nd_jarr(leaf_facts, "ocsp_urls"), *crls = nd_jarr(leaf_facts, "crl_urls");
	struct nd_rev r, first_err;
	const char *first_url = NULL, *first_method = NULL;
	bool done = false, cached = false, ocsp_unknown = false;
	size_t tried = 0;

	rev_init(&first_err);
	json_object_object_add(out, "offline", json_object_new_boolean(net->offline));
	if (!issuer) {
		rev_fail(&first_err, ND_ERR_NOT_FOUND, "%s", _("the issuer's certificate is not known"));
		goto unknown;
	}
	for (size_t i = 0; !done && !net->offline && ocsp && i < json_object_array_length(ocsp) && tried < MAX_URLS; i++) {
		const char *url = json_object_get_string(json_object_array_get_idx(ocsp, i));
		if (!is_http(url))
			continue;
		tried++;
		ocsp_try(url, leaf, issuer, st, chain, net, &r);
		json_object_array_add(attempts, attempt_json("ocsp", url, &r, false));
		if (r.status == ND_REV_GOOD || r.status == ND_REV_REVOKED) {
			set_final(out, "ocsp", url, &r, false);
			json_object_object_add(out, "nonce_echoed", json_object_new_boolean(r.nonce_echoed));
			nd_jset_str(out, "nonce", r.nonce);
			done = true;
		} else if (r.status == ND_REV_UNKNOWN) {
			ocsp_unknown = true;
		} else if (!first_url) {
			first_err = r;
			first_url = url;
			first_method = "ocsp";
		}
	}
	tried = 0;
	for (size_t i = 0; !done && crls && i < json_object_array_length(crls) && tried < MAX_URLS; i++) {
		const char *url = json_object_get_string(json_object_array_get_idx(crls, i));
		if (!is_http(url))
			continue;
		tried++;
		crl_try(url, leaf, issuer, net, cache_dir, &r, &cached);
		json_object_array_add(attempts, attempt_json("crl", url, &r, cached));
		if (r.status == ND_REV_GOOD || r.status == ND_REV_REVOKED) {
			set_final(out, "crl", url, &r, cached);
			done = true;
		} else if (!first_url && !(net->offline && r.code == ND_ERR_NETWORK)) {
			first_err = r;
			first_url = url;
			first_method = "crl";
		}
	}
	if (done)
		goto out;
	if (!first_url && !net->offline && !ocsp_unknown)
		rev_fail(&first_err, ND_ERR_NOT_FOUND, "%s", _("the certificate names no OCSP responder and no CRL"));
unknown:
	r = first_err;
	r.status = ND_REV_UNKNOWN;
	set_final(out, first_method, first_url, &r, false);
	if (ocsp_unknown && !first_url)
		json_object_object_add(out, "error", json_object_new_string("ocsp_unknown"));
	else if (net->offline && !first_url && issuer)
		json_object_object_add(out, "error", json_object_new_string("offline"));
	else
		json_object_object_add(out, "error", json_object_new_string(rev_error_name(&first_err)));
	json_object_object_add(out, "detail", json_object_new_string(first_err.err));
out:
	json_object_object_add(out, "attempts", attempts);
	return out;
}
