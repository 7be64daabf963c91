/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the cert layer: is the signing certificate qualified, in date,
 * the holder's, with a usable key, chained to Kamu SM, not revoked. Pure
 * functions of the inventory the x509 collector wrote (see
 * src/x509/collect.c and drivers-notes/kamusm-certificates.md). */
#include <stdlib.h>
#include <string.h>

#include <openssl/http.h>

#include "checks/checks.h"
#include "core/i18n.h"
#include "core/util.h"
#include "x509/x509.h"

/* Kamu SM's help line and online services, named in remedies. */
#define KAMUSM_PHONE "444 5 576"
#define KAMUSM_WEB "https://kamusm.bilgem.tubitak.gov.tr"
/* The largest RSA key accepted: OpenSSL's own limit for verifying. */
#define ND_RSA_MAX_BITS 16384

static json_object *
signing(const struct nd_report *rep)
{
	return nd_x509_signing_cert(rep->inventory);
}

static char *
join(const json_object *arr)
{
	char *out = nd_xstrdup("");

	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		char *n = nd_asprintf("%s%s%s", out, i ? ", " : "",
		    json_object_get_string(json_object_array_get_idx(arr, i)));
		free(out);
		out = n;
	}
	return out;
}

/* The CN of a distinguished name as nd_x509_name_str writes it ("C=TR,
 * ..., CN=Kamu SM ..."), or the whole name when it has none. malloc'ed. */
static char *
cn_of(const char *dn)
{
	const char *p = NULL, *q;

	for (q = dn; q && (q = strstr(q, "CN=")) != NULL; q += 3)
		if (q == dn || q[-1] == ' ')
			p = q + 3;
	if (!p)
		return nd_xstrdup(dn ? dn : "?");
	q = strstr(p, ", ");
	return q ? strndup(p, (size_t)(q - p)) : nd_xstrdup(p);
}

/* `verify` on files that hold only CA certificates: inventory.ca_certificates[]
 * (src/x509/collect.c), or NULL. */
static json_object *
ca_only(const struct nd_report *rep)
{
	json_object *cas = nd_x509_ca_certs(rep->inventory);

	return cas && json_object_array_length(cas) > 0 && !signing(rep) ? cas : NULL;
}

/* Common start of the checks after cert.qualified: the certificate, or a
 * result saying why there is none. */
static json_object *
need_signing(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = signing(rep);

	/* nothing is missing: there is just no person's certificate to judge */
	if (ca_only(rep)) {
		nd_result_set(r, ND_SKIP, "%s", _("the files hold only CA certificates: no personal certificate to check"));
		return NULL;
	}
	if (!nd_x509_facts(rep->inventory)) {
		nd_result_set(r, ND_SKIP, "%s", _("certificates were not examined"));
		r->undetermined = true;
		return NULL;
	}
	if (!sc) {
		nd_result_set(r, ND_SKIP, "%s", _("no signing certificate to check"));
		r->undetermined = true;
		return NULL;
	}
	return sc;
}

/* Files given to `verify` that could not be used. */
static bool
input_problem(const struct nd_report *rep, struct nd_result *r)
{
	json_object *inputs = nd_x509_inputs(rep->inventory);

	for (size_t i = 0; inputs && i < json_object_array_length(inputs); i++) {
		json_object *in = json_object_array_get_idx(inputs, i);
		const char *err = nd_jstr(in, ND_X509_K_ERROR), *file = nd_jstr(in, ND_X509_K_FILE);
		const char *detail = nd_jstr(in, ND_X509_K_DETAIL);

		if (!err)
			continue;
		switch (nd_x509_input_error(in)) {
		case ND_IE_PARSE:
		case ND_IE_TRUNCATED:
			nd_result_set(r, ND_FAIL, _("%s: %s"), file ? file : "?", detail ? detail : err);
			nd_result_remedy(r, "%s", _("The file must hold a certificate in PEM (-----BEGIN CERTIFICATE-----) "
			    "or DER form. Export it again, or ask whoever sent it for an undamaged copy."));
			break;
		default:
			nd_result_set(r, ND_SKIP, _("could not read %s: %s"), file ? file : "?", detail ? detail : err);
			r->undetermined = true;
			nd_result_remedy(r, "%s", _("Check the file name and that you may read the file."));
			break;
		}
		return true;
	}
	return false;
}

/* A qualified certificate whose details limit signing: warn, naming each
 * (a monetary limit, a QcType other than esign, a restricting or missing
 * user notice). Kamu SM's own conformance suite rejects these, but a
 * signature may still be made, so this is a warning, not a failure. */
static bool
limits(const json_object *sc, const char *who, struct nd_result *r)
{
	json_object *rs = nd_jarr(sc, ND_X509_K_RESTRICTIONS);
	size_t n = rs ? json_object_array_length(rs) : 0;
	char *what = nd_xstrdup("");
	bool any;

	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(rs, i), *d = NULL;
		const char *k = nd_jstr(e, ND_X509_K_KIND), *cur;
		enum nd_x509_restriction kind = nd_x509_restriction(e);
		char *one, *next;

		json_object_object_get_ex(e, ND_X509_K_DETAIL, &d);
		if (!k)
			continue;
		switch (kind) {
		case ND_RX_QC_LIMIT:
		case ND_RX_QC_LIMIT_ZERO:
			cur = nd_jstr(d, ND_X509_K_CURRENCY);
			one = nd_asprintf(_("a monetary limit (QcLimitValue) of %lld×10^%lld %s%s"),
			    (long long)nd_jint(d, ND_X509_K_AMOUNT, 0), (long long)nd_jint(d, ND_X509_K_EXPONENT, 0),
			    cur ? cur : "?", kind == ND_RX_QC_LIMIT_ZERO ? _(": zero, no transaction is covered") : "");
			break;
		case ND_RX_QC_LIMIT_UNREADABLE:
			one = nd_xstrdup(_("a monetary limit (QcLimitValue) that cannot be read"));
			break;
		case ND_RX_QC_TYPE_ESEAL:
		case ND_RX_QC_TYPE_OTHER:
			one = nd_asprintf(_("a QcType that is not electronic signature (%s)"), json_object_get_string(d));
			break;
		case ND_RX_USER_NOTICE:
			one = nd_asprintf(_("a policy notice that restricts use: \"%s\""), json_object_get_string(d));
			break;
		case ND_RX_NO_USER_NOTICE:
			one = nd_xstrdup(_("no user notice in the certificate policies, which a Kamu SM NES carries"));
			break;
		default:
			one = nd_xstrdup(k);
			break;
		}
		next = nd_asprintf("%s%s%s", what, what[0] ? "; " : "", one);
		free(one);
		free(what);
		what = next;
	}
	if (what[0]) {
		nd_result_set(r, ND_WARN, _("%s's certificate is qualified, but its details limit signing: %s"), who, what);
		nd_result_remedy(r, _("Kamu SM's conformance rules treat such a certificate as unusable for a NES "
		    "signature, and DYS may refuse it. Ask Kamu SM (%s) for a NES without these limits."), KAMUSM_PHONE);
	}
	any = what[0] != '\0';
	free(what);
	return any;
}

/* eval_qualified with no signing certificate to judge (or nothing
 * examined): sets the result and returns true; false when there is one. */
static bool
no_signing_cert(const struct nd_report *rep, const json_object *x509, const json_object *sc, struct nd_result *r)
{
	int64_t seen;
	json_object *errs;

	if (input_problem(rep, r))
		return true;
	if (!x509) {
		nd_result_set(r, ND_SKIP, "%s", _("certificates were not examined"));
		r->undetermined = true;
		return true;
	}
	if (sc)
		return false;
	if (!nd_jbool(x509, ND_X509_K_CERTIFICATES_LISTED, true)) {
		nd_result_set(r, ND_SKIP, "%s", _("no certificates were listed: the token was not read"));
		r->undetermined = true;
		return true;
	}
	if (ca_only(rep)) {
		nd_result_set(r, ND_SKIP, "%s", _("the files hold only CA certificates: no personal certificate to check"));
		return true;
	}
	seen = nd_jint(x509, ND_X509_K_CERTIFICATES_SEEN, 0);
	errs = nd_jarr(x509, ND_X509_K_DECODE_ERRORS);
	if (seen == 0)
		nd_result_set(r, ND_FAIL, "%s", _("no certificate found on the token"));
	else if (errs && (int64_t)json_object_array_length(errs) == seen)
		nd_result_set(r, ND_FAIL, "%s", _("the token's certificates could not be read (malformed data)"));
	else
		nd_result_set(r, ND_FAIL, "%s", _("no personal certificate: only CA certificates were found"));
	nd_result_remedy(r, _("A NES card holds your qualified certificate from Kamu SM. If the card was "
	    "just delivered, or was renewed, call Kamu SM's help line %s."), KAMUSM_PHONE);
	return true;
}

/* A company seal, an authentication or an encryption certificate: sets the
 * result and returns true. */
static bool
wrong_kind(const json_object *sc, const char *who, struct nd_result *r)
{
	enum nd_x509_cert_kind kind = nd_x509_cert_kind(sc);

	if (kind == ND_KIND_NES)
		return false;
	json_object_object_add(nd_result_details(r), "kind", json_object_new_string(nd_x509_cert_kind_name(kind)));
	switch (kind) {
	case ND_KIND_SEAL:
		nd_result_set(r, ND_FAIL, _("%s is a company seal (mali mühür), not a person's signing certificate"), who);
		break;
	case ND_KIND_AUTHENTICATION:
		nd_result_set(r, ND_FAIL, _("%s is an authentication certificate (key usage digitalSignature, no nonRepudiation), not a signing certificate"), who);
		break;
	default:
		nd_result_set(r, ND_FAIL, _("%s is an encryption certificate (key usage for enciphering, no nonRepudiation), not a signing certificate"), who);
		break;
	}
	nd_result_remedy(r, _("DYS signs documents with the person's own qualified certificate (NES), whose key usage is "
	    "nonRepudiation; a company seal, an authentication or an encryption certificate cannot sign there. "
	    "If the person has a NES card, use that one; otherwise apply through Kamu SM's online services "
	    "(%s) or call %s."), KAMUSM_WEB, KAMUSM_PHONE);
	return true;
}

static bool
has_kamusm_policy(json_object *pol)
{
	for (size_t i = 0; pol && i < json_object_array_length(pol); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(pol, i));
		if (p && strncmp(p, ND_OID_KAMUSM_POLICY_PREFIX, strlen(ND_OID_KAMUSM_POLICY_PREFIX)) == 0)
			return true;
	}
	return false;
}

/* A NES by its kind that is no qualified signing certificate after all:
 * no nonRepudiation, QC statements missing, or (a warning) not under a
 * Kamu SM policy. Sets the result and returns true. */
static bool
not_qualified(const json_object *sc, const char *who, struct nd_result *r)
{
	json_object *ku = nd_jarr(sc, ND_X509_K_KEY_USAGE), *qc = nd_jarr(sc, ND_X509_K_QC_STATEMENTS);
	json_object *pol = nd_jarr(sc, ND_X509_K_POLICIES);
	bool qc_c = nd_jarr_has_str(qc, ND_OID_QC_COMPLIANCE), qc_nes = nd_jarr_has_str(qc, ND_OID_QC_BTK_NES);

	if (!nd_jarr_has_str(ku, ND_X509_KU_NON_REPUDIATION)) {
		char *k = join(ku);
		nd_result_set(r, ND_FAIL, _("%s is not a signing certificate: its key usage lacks nonRepudiation (it has: %s)"),
		    who, k[0] ? k : "-");
		free(k);
		nd_result_remedy(r, _("DYS signs with the qualified (NES) certificate, whose key usage is nonRepudiation. "
		    "This device does not seem to hold one: ask Kamu SM (%s) or your institution's NES officer."),
		    KAMUSM_PHONE);
		return true;
	}
	if (!nd_x509_is_qualified(sc)) {
		char *miss = nd_asprintf("%s%s%s", !qc_c ? ND_OID_QC_COMPLIANCE : "",
		    (!qc_c && !qc_nes) ? ", " : "", !qc_nes ? ND_OID_QC_BTK_NES : "");
		nd_result_set(r, ND_FAIL, _("%s is not a qualified (NES) certificate: QC statements missing: %s"),
		    who, miss);
		free(miss);
		nd_result_remedy(r, _("Only a qualified electronic certificate (NES) can sign in DYS; a company "
		    "seal (mali mühür) or another certificate cannot. Apply for a NES through Kamu SM's online "
		    "services (%s) or call %s."), KAMUSM_WEB, KAMUSM_PHONE);
		return true;
	}
	if (!has_kamusm_policy(pol)) {
		char *p = join(pol);
		nd_result_set(r, ND_WARN, _("%s's certificate is qualified, but not under a Kamu SM policy (policies: %s)"),
		    who, p[0] ? p : "-");
		free(p);
		nd_result_remedy(r, _("DYS expects a NES certificate from Kamu SM. If signing fails, ask your "
		    "institution whether certificates from other providers are accepted, or call %s."), KAMUSM_PHONE);
		return true;
	}
	return false;
}

static void
eval_qualified(const struct nd_report *rep, struct nd_result *r)
{
	json_object *x509 = nd_x509_facts(rep->inventory), *sc = signing(rep);
	json_object *cands = nd_x509_candidates(rep->inventory);
	size_t ncand = cands ? json_object_array_length(cands) : 0;
	const char *who, *serial;
	bool from_files = nd_x509_source(sc) == ND_SRC_FILE;

	if (no_signing_cert(rep, x509, sc, r))
		return;
	json_object_object_add(nd_result_details(r), "candidates", json_object_new_int((int)ncand));
	who = nd_jstr(nd_jobj(sc, ND_X509_K_HOLDER), ND_X509_K_NAME);
	if (!who)
		who = nd_jstr(sc, ND_X509_K_SUBJECT);
	if (wrong_kind(sc, who, r) || not_qualified(sc, who, r) || limits(sc, who, r))
		return;
	serial = nd_jstr(sc, ND_X509_K_SERIAL) ? nd_jstr(sc, ND_X509_K_SERIAL) : "?";
	if (ncand > 1 && from_files)
		nd_result_set(r, ND_PASS, _("qualified signing certificate of %s; %zu personal certificates in the files given, a signing program would use this one (serial %s)"),
		    who, ncand, serial);
	else if (ncand > 1)
		nd_result_set(r, ND_PASS, _("qualified signing certificate of %s; %zu personal certificates on the token, DYS would use this one (serial %s)"),
		    who, ncand, serial);
	else
		nd_result_set(r, ND_PASS, _("qualified signing certificate of %s (nonRepudiation, QC statements, Kamu SM policy)"), who);
}

static void
eval_validity(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = need_signing(rep, r);
	int64_t nb, na, now = (int64_t)rep->time, days;
	int warn = rep->opts->expiry_warn_days;
	const char *nbs, *nas;

	if (!sc)
		return;
	nbs = nd_jstr(sc, ND_X509_K_NOT_BEFORE);
	nas = nd_jstr(sc, ND_X509_K_NOT_AFTER);
	nb = nd_x509_parse_time(nbs);
	na = nd_x509_parse_time(nas);
	if (nb == ND_X509_TIME_BAD || na == ND_X509_TIME_BAD) {
		nd_result_set(r, ND_FAIL, "%s", _("the certificate's validity dates cannot be read"));
		nd_result_remedy(r, _("The certificate looks damaged: call Kamu SM's help line %s."), KAMUSM_PHONE);
		return;
	}
	if (now < nb) {
		days = (nb - now + 86399) / 86400;
		json_object_object_add(nd_result_details(r), "days_until_valid", json_object_new_int64(days));
		nd_result_set(r, ND_FAIL, _("not valid yet: valid from %s (in %lld days)"), nbs, (long long)days);
		nd_result_remedy(r, _("Check this computer's date and time first: `timedatectl` shows them, "
		    "`sudo timedatectl set-ntp true` keeps them right. If the clock is right, the certificate "
		    "can be used from %s on."), nbs);
		return;
	}
	days = (na - now) / 86400;
	json_object_object_add(nd_result_details(r), "days_left", json_object_new_int64(now > na ? -1 : days));
	if (now > na) {
		days = (now - na) / 86400;
		nd_result_set(r, ND_FAIL, _("expired on %s (%lld days ago)"), nas, (long long)days);
		nd_result_remedy(r, _("An expired certificate cannot sign. Renew it through Kamu SM's online services "
		    "(%s) or call %s. If the date shown is wrong, check this computer's clock (`timedatectl`)."),
		    KAMUSM_WEB, KAMUSM_PHONE);
		return;
	}
	if (days < warn) {
		nd_result_set(r, ND_WARN, _("expires in %lld days (%s)"), (long long)days, nas);
		nd_result_remedy(r, _("Renew the certificate before %s through Kamu SM's online services (%s); "
		    "a new card takes 5 to 15 days to arrive. Help line: %s."), nas, KAMUSM_WEB, KAMUSM_PHONE);
		return;
	}
	nd_result_set(r, ND_PASS, _("valid until %s (%lld days left)"), nas, (long long)days);
}

static void
eval_holder(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = need_signing(rep, r), *h;
	const char *name, *id;

	if (!sc)
		return;
	h = nd_jobj(sc, ND_X509_K_HOLDER);
	name = nd_jstr(h, ND_X509_K_NAME);
	id = nd_jstr(h, ND_X509_K_TCKN);
	if (!name)
		name = "?";
	if (!nd_jbool(h, ND_X509_K_TCKN_PRESENT, false) || !id) {
		nd_result_set(r, ND_WARN, _("%s: no identity number (TCKN) in the certificate's subject serialNumber"), name);
		nd_result_remedy(r, _("DYS identifies signers by their TCKN. Ask Kamu SM (%s) whether this is your "
		    "personal NES certificate."), KAMUSM_PHONE);
		return;
	}
	if (!nd_jbool(h, ND_X509_K_TCKN_VALID, false)) {
		nd_result_set(r, ND_WARN, _("%s: the identity number %s fails the TCKN checksum"), name, id);
		nd_result_remedy(r, _("The certificate may carry a wrong identity number: DYS may not match it to "
		    "you. Check it with Kamu SM (%s)."), KAMUSM_PHONE);
		return;
	}
	nd_result_set(r, ND_PASS, _("holder %s, TCKN %s"), name, id);
}

static void
eval_key(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = need_signing(rep, r), *k, *pk;
	const char *type, *curve;
	int64_t bits;
	char *desc;

	if (!sc)
		return;
	k = nd_jobj(sc, ND_X509_K_KEY);
	type = nd_jstr(k, ND_X509_K_TYPE);
	curve = nd_jstr(k, ND_X509_K_CURVE);
	bits = nd_jint(k, ND_X509_K_BITS, 0);
	if (!type)
		type = "?";
	switch (nd_x509_key_type(k)) {
	case ND_KEY_RSA:
		if (bits < 2048) {
			nd_result_set(r, ND_FAIL, _("RSA key of %lld bits: too weak for signing (2048 bits or more needed)"),
			    (long long)bits);
			nd_result_remedy(r, _("Renew the certificate through Kamu SM (%s, help line %s)."), KAMUSM_WEB, KAMUSM_PHONE);
			return;
		}
		/* OpenSSL verifies no RSA signature above 16384 bits, and no card
		 * makes one: such a key is a forgery or a broken certificate */
		if (bits > ND_RSA_MAX_BITS) {
			nd_result_set(r, ND_FAIL, _("RSA key of %lld bits: unusually large, refused (at most %d bits are accepted)"),
			    (long long)bits, ND_RSA_MAX_BITS);
			nd_result_remedy(r, _("No smart card makes such keys: this certificate is damaged or forged. Do not "
			    "use it; call Kamu SM's help line %s."), KAMUSM_PHONE);
			return;
		}
		break;
	case ND_KEY_EC:
		if (nd_x509_curve(k) != ND_CURVE_P256 && nd_x509_curve(k) != ND_CURVE_P384) {
			nd_result_set(r, ND_FAIL, _("EC key on curve %s: not accepted for signing (P-256 or P-384 needed)"),
			    curve ? curve : "?");
			nd_result_remedy(r, _("Renew the certificate through Kamu SM (%s, help line %s)."), KAMUSM_WEB, KAMUSM_PHONE);
			return;
		}
		break;
	default:
		nd_result_set(r, ND_FAIL, _("%s key: not usable for signing (RSA or EC needed)"), type);
		nd_result_remedy(r, _("Renew the certificate through Kamu SM (%s, help line %s)."), KAMUSM_WEB, KAMUSM_PHONE);
		return;
	}
	desc = nd_x509_key_type(k) == ND_KEY_EC ? nd_asprintf("EC %s", curve) : nd_asprintf("RSA %lld-bit", (long long)bits);
	pk = NULL;
	json_object_object_get_ex(sc, ND_X509_K_HAS_PRIVATE_KEY, &pk);
	if (pk && json_object_is_type(pk, json_type_boolean) && !json_object_get_boolean(pk)) {
		nd_result_set(r, ND_FAIL, _("%s key: the token holds no private key for this certificate"), desc);
		nd_result_remedy(r, _("Without its private key the certificate cannot sign. The card may have been "
		    "initialised again or damaged: call Kamu SM's help line %s."), KAMUSM_PHONE);
	} else if (pk && json_object_is_type(pk, json_type_boolean))
		nd_result_set(r, ND_PASS, _("%s key, its private key is on the token"), desc);
	else if (nd_jstr(sc, ND_X509_K_FILE))
		nd_result_set(r, ND_PASS, _("%s key (private key not checked: certificate from a file)"), desc);
	else
		nd_result_set(r, ND_PASS, _("%s key (whether the token holds its private key is not known)"), desc);
	free(desc);
}

/* ---- requests that failed on the network ---------------------------------- */

/* The last failed request for url in inventory.x509.network[] (whose
 * "error" is a stable word: dns, refused, unreachable, proxy, http_status,
 * bad_response, too_large, timeout), or NULL. */
static json_object *
net_failure(const struct nd_report *rep, const char *url)
{
	json_object *log = nd_x509_net_log(rep->inventory), *found = NULL;

	for (size_t i = 0; url && log && i < json_object_array_length(log); i++) {
		json_object *e = json_object_array_get_idx(log, i);
		if (!nd_jbool(e, ND_X509_K_OK, true) && nd_jstr(e, ND_X509_K_URL) && strcmp(nd_jstr(e, ND_X509_K_URL), url) == 0)
			found = e;
	}
	return found;
}

/* The request could not reach the server at all. */
static bool
net_unreached(const json_object *fail)
{
	switch (nd_x509_net_error(fail)) {
	case ND_NE_DNS:
	case ND_NE_REFUSED:
	case ND_NE_UNREACHABLE:
	case ND_NE_PROXY:
		return true;
	default:
		return false;
	}
}

/* What a person can do about a failed request; false when the error word
 * has no remedy of its own here (timeout: the caller's). */
static bool
net_remedy(struct nd_result *r, const json_object *fail, const char *url)
{
	char *host = NULL;
	const char *proxy = nd_jstr(fail, ND_X509_K_PROXY);
	bool done = true;

	if (!url || !OSSL_HTTP_parse_url(url, NULL, NULL, &host, NULL, NULL, NULL, NULL, NULL))
		host = OPENSSL_strdup("?");
	if (!proxy)
		proxy = "?";
	switch (nd_x509_net_error(fail)) {
	case ND_NE_DNS:
		nd_result_remedy(r, _("The name %s cannot be looked up: check the network connection and the DNS "
		    "settings (/etc/resolv.conf, or ask IT). If the network is reached through an HTTP proxy, set "
		    "it with `export http_proxy=http://PROXY:PORT`; then run again."), host);
		break;
	case ND_NE_REFUSED:
		nd_result_remedy(r, _("%s refused the connection: a firewall probably blocks it. Ask IT to allow "
		    "HTTP (port 80) to %s (ocsp.kamusm.gov.tr and depo.kamusm.gov.tr must be reachable), or set "
		    "the institution's proxy with `export http_proxy=http://PROXY:PORT`; then run again."), host, host);
		break;
	case ND_NE_UNREACHABLE:
		nd_result_remedy(r, _("There is no network route to %s: check that this computer is connected "
		    "(cable, Wi-Fi, `ip route`). Where there is no network at all, run nesdoctor once online so "
		    "that the CA certificates and the CRL are kept in the cache, then use --offline."), host);
		break;
	case ND_NE_PROXY:
		if (nd_jint(fail, ND_X509_K_HTTP_STATUS, 0) == 407)
			nd_result_remedy(r, _("The HTTP proxy %s asks for a user name and password, which nesdoctor cannot "
		    "give: ask IT to let %s (and ocsp.kamusm.gov.tr, depo.kamusm.gov.tr) through without a login, "
		    "or list it in no_proxy if it can be reached directly; then run again."), proxy, host);
		else
			nd_result_remedy(r, _("The HTTP proxy %s does not work: check its address in http_proxy (`export "
		    "http_proxy=http://PROXY:PORT`), or unset it, or list %s in no_proxy if it can be reached "
		    "directly; then run again."), proxy, host);
		break;
	case ND_NE_HTTP_STATUS:
		nd_result_remedy(r, _("%s answered HTTP %d: the service may be down or the address may have "
		    "changed. Try again later; if it persists, call Kamu SM's help line %s."), host,
		    (int)nd_jint(fail, ND_X509_K_HTTP_STATUS, 0), KAMUSM_PHONE);
		break;
	case ND_NE_TOO_LARGE:
		nd_result_remedy(r, _("The answer from %s is larger than nesdoctor accepts: something on the way "
		    "(a proxy, a captive portal) may be sending something else. Check the network path "
		    "(http_proxy) and try again; if it persists, call %s."), host, KAMUSM_PHONE);
		break;
	case ND_NE_BAD_RESPONSE:
		nd_result_remedy(r, _("A proxy or captive portal may be changing the answer; check the network "
		    "path (http_proxy) and try again. If it persists, call %s."), KAMUSM_PHONE);
		break;
	default:
		done = false;
		break;
	}
	OPENSSL_free(host);
	return done;
}

/* A shipped Kamu SM certificate that was there but was not the pinned one
 * (chain_status.bundled_errors[]: pin_mismatch, parse): its file, or NULL. */
static const char *
bundled_bad(const json_object *cs)
{
	json_object *errs = nd_jarr(cs, ND_X509_K_BUNDLED_ERRORS);

	for (size_t i = 0; errs && i < json_object_array_length(errs); i++) {
		json_object *e = json_object_array_get_idx(errs, i);
		switch (nd_x509_bundled_error(e)) {
		case ND_BE_PIN_MISMATCH:
		case ND_BE_PARSE:
			return nd_jstr(e, ND_X509_K_FILE);
		default:
			break;
		}
	}
	return NULL;
}

static void
bundled_remedy(struct nd_result *r, const char *file)
{
	char *old = r->remedy ? nd_xstrdup(r->remedy) : NULL;

	nd_result_remedy(r, _("%s is not the Kamu SM certificate it should be (its SHA-256 is not the pinned "
	    "one), so it was ignored: reinstall nesdoctor, or find out who changed that folder.%s%s"), file,
	    old ? " " : "", old ? old : "");
	free(old);
}

/* A CA of the verified chain that its issuer's CRL lists as revoked
 * (chain[i].revocation, src/x509/revocation.c): the chain fails, naming
 * it. True when one was found. */
static bool
revoked_ca(const json_object *chain, struct nd_result *r)
{
	for (size_t i = 1; chain && i < json_object_array_length(chain); i++) {
		json_object *e = json_object_array_get_idx(chain, i), *rv = nd_jobj(e, ND_X509_K_REVOCATION);
		char *cn;

		if (nd_x509_rev_status(rv) != ND_RS_REVOKED)
			continue;
		cn = cn_of(nd_jstr(e, ND_X509_K_SUBJECT));
		json_object_object_add(nd_result_details(r), "revoked_ca", json_object_new_string(cn));
		nd_result_set(r, ND_FAIL, _("the CA certificate %s was REVOKED on %s (reason: %s), says %s"), cn,
		    nd_jstr(rv, ND_X509_K_DATE) ? nd_jstr(rv, ND_X509_K_DATE) : "?",
		    nd_jstr(rv, ND_X509_K_REASON) ? nd_jstr(rv, ND_X509_K_REASON) : _("not given"),
		    nd_jstr(rv, ND_X509_K_URL) ? nd_jstr(rv, ND_X509_K_URL) : "?");
		nd_result_remedy(r, _("Everything a revoked CA issued is untrusted, this certificate too: the whole "
		    "chain below %s. Do not sign with it; ask Kamu SM (%s) or the CA that issued it for a "
		    "certificate under a valid CA."), cn, KAMUSM_PHONE);
		free(cn);
		return true;
	}
	return false;
}

/* chain_status.error issuer_not_found: the issuer was to be downloaded
 * (offline), could not be, is offered only over LDAP, or is unknown. */
static void
issuer_not_found(const struct nd_report *rep, const json_object *cs, const char *missing, struct nd_result *r)
{
	const char *aia_url = nd_jstr(cs, ND_X509_K_AIA_URL), *aia_err = nd_jstr(cs, ND_X509_K_AIA_ERROR);
	const char *need = nd_jstr(cs, ND_X509_K_NEEDS_DOWNLOAD), *ldap = nd_jstr(cs, ND_X509_K_LDAP_URL);

	if (need) {
		nd_result_set(r, ND_SKIP, _("the issuer's certificate (%s) would have to be downloaded from %s, but the network is off (--offline)"),
		    missing, need);
		r->undetermined = true;
		nd_result_remedy(r, "%s", _("Run again without --offline; the downloaded certificate is kept in the cache for later offline runs."));
	} else if (aia_url) {
		nd_result_set(r, ND_WARN, _("the issuer's certificate (%s) could not be downloaded from %s: %s"),
		    missing, aia_url, aia_err ? aia_err : "?");
		r->undetermined = true;
		if (!net_remedy(r, net_failure(rep, aia_url), aia_url))
			nd_result_remedy(r, "%s", _("Check the network path to the certificate repository. An institutional "
			    "network often needs an HTTP proxy: set it with `export http_proxy=http://PROXY:PORT` "
			    "(and no_proxy for local hosts), or ask IT to allow depo.kamusm.gov.tr; then run again."));
	} else if (ldap) {
		nd_result_set(r, ND_WARN, _("the issuer's certificate (%s) is offered only over LDAP (%s), which nesdoctor does not fetch"),
		    missing, ldap);
		r->undetermined = true;
		nd_result_remedy(r, "%s", _("Save the issuing CA's certificate from Kamu SM's repository (http://depo.kamusm.gov.tr) "
		    "and run `nesdoctor verify` with that file next to this certificate."));
	} else {
		nd_result_set(r, ND_FAIL, _("issued by %s, which is neither Kamu SM nor another known CA: the chain cannot be built"),
		    missing);
		nd_result_remedy(r, _("This certificate was not issued by Kamu SM's NES CA, or its issuer cannot be found. "
		    "If it is a Kamu SM certificate, call %s."), KAMUSM_PHONE);
	}
}

static void
eval_signing_chain(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = need_signing(rep, r);
	json_object *cs = nd_x509_chain_facts(rep->inventory);
	json_object *chain = nd_x509_chain_elems(rep->inventory);
	const char *err, *text;
	char *missing = NULL, *subj = NULL;
	size_t len = chain ? json_object_array_length(chain) : 0;
	char *srcs = nd_xstrdup("");

	if (!sc)
		goto fail;
	if (!cs) {
		nd_result_set(r, ND_SKIP, "%s", _("the chain was not built"));
		r->undetermined = true;
		goto fail;
	}
	for (size_t i = 0; i < len; i++) {
		char *n = nd_asprintf("%s%s%s", srcs, i ? " → " : "",
		    nd_jstr(json_object_array_get_idx(chain, i), ND_X509_K_SOURCE) ?
		    nd_jstr(json_object_array_get_idx(chain, i), ND_X509_K_SOURCE) : "?");
		free(srcs);
		srcs = n;
	}
	if (nd_jbool(cs, ND_X509_K_VERIFIED, false) && revoked_ca(chain, r))
		goto fail;
	if (nd_jbool(cs, ND_X509_K_VERIFIED, false)) {
		char *top = cn_of(nd_jstr(cs, ND_X509_K_ANCHOR_SUBJECT));
		switch (nd_x509_anchor(cs)) {
		case ND_ANCHOR_KAMUSM:
			nd_result_set(r, ND_PASS, _("chains to Kamu SM (%zu certificates: %s)"), len, srcs);
			break;
		case ND_ANCHOR_GIVEN:
			nd_result_set(r, ND_PASS, _("chains to the trust anchor given with --anchor: %s (%zu certificates: %s)"),
			    top, len, srcs);
			break;
		default:
			nd_result_set(r, ND_WARN, _("chains to %s from the system's trust store, not to Kamu SM"), top);
			nd_result_remedy(r, _("DYS expects a NES certificate from Kamu SM. If signing fails, call %s."),
			    KAMUSM_PHONE);
			break;
		}
		free(top);
		if (bundled_bad(cs)) {
			char *msg = nd_xstrdup(r->message);
			nd_result_set(r, ND_WARN, _("%s; a shipped Kamu SM certificate was ignored"), msg);
			free(msg);
			bundled_remedy(r, bundled_bad(cs));
		}
		goto fail;
	}
	err = nd_jstr(cs, ND_X509_K_ERROR);
	text = nd_jstr(cs, ND_X509_K_ERROR_TEXT);
	missing = cn_of(nd_jstr(cs, ND_X509_K_MISSING_ISSUER));
	subj = cn_of(nd_jstr(cs, ND_X509_K_ERROR_SUBJECT));
	if (!err)
		err = "other";
	switch (nd_x509_chain_error(cs)) {
	case ND_CE_ISSUER_NOT_FOUND:
		issuer_not_found(rep, cs, missing, r);
		break;
	case ND_CE_UNTRUSTED_ROOT:
		nd_result_set(r, ND_FAIL, _("chains to %s, which is not a trusted root (not Kamu SM)"),
		    subj);
		nd_result_remedy(r, _("DYS accepts certificates that chain to Kamu SM's root. If this is a Kamu SM "
		    "certificate, call %s."), KAMUSM_PHONE);
		break;
	case ND_CE_BAD_SIGNATURE:
		nd_result_set(r, ND_FAIL, _("a signature in the chain does not verify (%s): the certificate is damaged or forged"),
		    subj);
		nd_result_remedy(r, _("Do not sign with this certificate; call Kamu SM's help line %s."), KAMUSM_PHONE);
		break;
	case ND_CE_CA_EXPIRED:
	case ND_CE_CA_NOT_YET_VALID:
		nd_result_set(r, ND_FAIL, _("the CA certificate %s is out of its validity period"),
		    subj);
		nd_result_remedy(r, _("Check this computer's date and time (`timedatectl`). If they are right, the "
		    "certificate must be renewed: Kamu SM's online services (%s), help line %s."), KAMUSM_WEB, KAMUSM_PHONE);
		break;
	default:
		nd_result_set(r, ND_FAIL, _("the chain does not verify: %s (%s)"), text ? text : err,
		    subj);
		nd_result_remedy(r, _("Call Kamu SM's help line %s with this message."), KAMUSM_PHONE);
		break;
	}
	if (bundled_bad(cs))
		bundled_remedy(r, bundled_bad(cs));
fail:
	free(missing);
	free(subj);
	free(srcs);
}

/* ---- `verify` on CA certificates ------------------------------------------ */

/* "CN (source) → CN (source)" of a chain[]. malloc'ed. */
static char *
chain_list(const json_object *chain)
{
	char *out = nd_xstrdup("");

	for (size_t i = 0; chain && i < json_object_array_length(chain); i++) {
		json_object *e = json_object_array_get_idx(chain, i);
		char *cn = cn_of(nd_jstr(e, ND_X509_K_SUBJECT)), *n;
		n = nd_asprintf("%s%s%s (%s)", out, i ? " → " : "", cn, nd_jstr(e, ND_X509_K_SOURCE) ? nd_jstr(e, ND_X509_K_SOURCE) : "?");
		free(cn);
		free(out);
		out = n;
	}
	return out;
}

enum ca_outcome { CA_PASS, CA_SYSTEM, CA_UNDETERMINED, CA_FAIL_DATE, CA_FAIL_CHAIN };

/* What a verified chain of a CA certificate ends in (single: the chain
 * is the certificate alone; root: it is Kamu SM's pinned root).
 * malloc'ed; *o becomes CA_SYSTEM for the system's store. */
static char *
ca_verified(const json_object *cs, bool single, bool root, const char *list, enum ca_outcome *o)
{
	switch (nd_x509_anchor(cs)) {
	case ND_ANCHOR_KAMUSM:
		if (single && root)
			return nd_xstrdup(_("a trusted root (pinned)"));
		if (single)
			return nd_xstrdup(_("trusted by its pin (Kamu SM's root was not at hand to check it against)"));
		return nd_asprintf(_("chains to Kamu SM's root: %s"), list);
	case ND_ANCHOR_GIVEN:
		return nd_asprintf(_("chains to the trust anchor given with --anchor: %s"), list);
	default:
		if (*o == CA_PASS)
			*o = CA_SYSTEM;
		return nd_asprintf(_("chains to the system's trust store, not to Kamu SM: %s"), list);
	}
}

/* Why a CA certificate's chain does not verify. malloc'ed; *o becomes
 * CA_UNDETERMINED (offline) or CA_FAIL_CHAIN. */
static char *
ca_unverified(const json_object *cs, enum ca_outcome *o)
{
	const char *err = nd_jstr(cs, ND_X509_K_ERROR), *text = nd_jstr(cs, ND_X509_K_ERROR_TEXT);
	const char *need = nd_jstr(cs, ND_X509_K_NEEDS_DOWNLOAD);
	char *m = NULL, *how;

	switch (nd_x509_chain_error(cs)) {
	case ND_CE_ISSUER_NOT_FOUND:
		if (need) {
			if (*o == CA_PASS)
				*o = CA_UNDETERMINED;
			return nd_asprintf(_("its issuer would have to be downloaded from %s, but the network is off (--offline)"),
			    need);
		}
		m = cn_of(nd_jstr(cs, ND_X509_K_MISSING_ISSUER));
		how = nd_asprintf(_("does not chain to a trusted root: its issuer %s cannot be found"), m);
		break;
	case ND_CE_UNTRUSTED_ROOT:
		m = cn_of(nd_jstr(cs, ND_X509_K_ERROR_SUBJECT));
		how = nd_asprintf(_("does not chain to a trusted root: %s is not trusted"), m);
		break;
	case ND_CE_BAD_SIGNATURE:
		m = cn_of(nd_jstr(cs, ND_X509_K_ERROR_SUBJECT));
		how = nd_asprintf(_("a signature in its chain does not verify (%s): forged or damaged"), m);
		break;
	default:
		how = nd_asprintf(_("its chain does not verify: %s"), text ? text : err ? err : "?");
		break;
	}
	free(m);
	*o = CA_FAIL_CHAIN;
	return how;
}

/* One CA certificate: which it is, its dates, its chain. *line gets what
 * is said of it (malloc'ed). */
static enum ca_outcome
judge_ca(const json_object *c, int64_t now, char **line)
{
	json_object *cs = nd_jobj(c, ND_X509_K_CHAIN_STATUS), *chain = nd_jarr(c, ND_X509_K_CHAIN);
	enum nd_x509_kamusm kamusm = nd_x509_kamusm(c);
	const char *nbs = nd_jstr(c, ND_X509_K_NOT_BEFORE), *nas = nd_jstr(c, ND_X509_K_NOT_AFTER);
	char *cn = cn_of(nd_jstr(c, ND_X509_K_SUBJECT)), *who, *when, *how, *list = chain_list(chain);
	enum ca_outcome o = CA_PASS;
	int64_t nb = nd_x509_parse_time(nbs), na = nd_x509_parse_time(nas);

	switch (kamusm) {
	case ND_KAMUSM_ROOT:
		who = nd_asprintf(_("Kamu SM's NES root (%s)"), cn);
		break;
	case ND_KAMUSM_ABSENT:
		who = nd_xstrdup(cn);
		break;
	default:
		who = nd_asprintf(_("Kamu SM's NES issuing CA (%s)"), cn);
		break;
	}
	if (nb == ND_X509_TIME_BAD || na == ND_X509_TIME_BAD) {
		when = nd_xstrdup(_("its validity dates cannot be read"));
		o = CA_FAIL_DATE;
	} else if (now > na) {
		when = nd_asprintf(_("EXPIRED on %s"), nas);
		o = CA_FAIL_DATE;
	} else if (now < nb) {
		when = nd_asprintf(_("not valid before %s"), nbs);
		o = CA_FAIL_DATE;
	} else
		when = nd_asprintf(_("valid until %s"), nas);
	if (nd_jbool(cs, ND_X509_K_VERIFIED, false))
		how = ca_verified(cs, json_object_array_length(chain) <= 1, kamusm == ND_KAMUSM_ROOT, list, &o);
	else
		how = ca_unverified(cs, &o);
	*line = nd_asprintf("%s: %s, %s", who, when, how);
	free(cn);
	free(who);
	free(when);
	free(how);
	free(list);
	return o;
}

static void
eval_ca_chain(const struct nd_report *rep, const json_object *cas, struct nd_result *r)
{
	enum ca_outcome worst = CA_PASS;
	char *all = nd_xstrdup(""), *line, *n;
	const char *bad = NULL;

	for (size_t i = 0; i < json_object_array_length(cas); i++) {
		json_object *c = json_object_array_get_idx(cas, i);
		enum ca_outcome o = judge_ca(c, (int64_t)rep->time, &line);

		if (o > worst)
			worst = o;
		if (!bad)
			bad = bundled_bad(nd_jobj(c, ND_X509_K_CHAIN_STATUS));
		n = nd_asprintf("%s%s%s", all, i ? "; " : "", line);
		free(line);
		free(all);
		all = n;
	}
	json_object_object_add(nd_result_details(r), "ca_certificates",
	    json_object_new_int((int)json_object_array_length(cas)));
	switch (worst) {
	case CA_PASS:
		nd_result_set(r, bad ? ND_WARN : ND_PASS, "%s", all);
		break;
	case CA_SYSTEM:
		nd_result_set(r, ND_WARN, "%s", all);
		nd_result_remedy(r, _("DYS expects a NES certificate from Kamu SM. If signing fails, call %s."), KAMUSM_PHONE);
		break;
	case CA_UNDETERMINED:
		nd_result_set(r, ND_SKIP, "%s", all);
		r->undetermined = true;
		nd_result_remedy(r, "%s", _("Run again without --offline; the downloaded certificate is kept in the cache for later offline runs."));
		break;
	case CA_FAIL_DATE:
		nd_result_set(r, ND_FAIL, "%s", all);
		nd_result_remedy(r, _("A CA certificate out of its validity period vouches for nothing. Check this "
		    "computer's date and time (`timedatectl`); if they are right, take the current certificates from "
		    "Kamu SM's repository (http://depo.kamusm.gov.tr) or call %s."), KAMUSM_PHONE);
		break;
	case CA_FAIL_CHAIN:
		nd_result_set(r, ND_FAIL, "%s", all);
		nd_result_remedy(r, "%s", _("This CA certificate does not lead to Kamu SM's root or to a root you trust. "
		    "If it should, give its root with --anchor FILE. A certificate that bears Kamu SM's name but does "
		    "not verify is not Kamu SM's: do not install it."));
		break;
	}
	if (bad)
		bundled_remedy(r, bad);
	free(all);
}

static void
eval_chain(const struct nd_report *rep, struct nd_result *r)
{
	json_object *cas = ca_only(rep);

	if (cas)
		eval_ca_chain(rep, cas, r);
	else
		eval_signing_chain(rep, r);
}

/* The leaf's revocation answer could not decide, for a reason other than
 * the network's (err: the error's word, "other" when none). */
static void
rev_undecided(struct nd_result *r, enum nd_x509_rev_error e, const char *err, const char *detail,
              const char *url, const char *host_hint)
{
	switch (e) {
	case ND_RE_TIMEOUT:
	case ND_RE_NETWORK:
		nd_result_set(r, ND_WARN, _("could not be checked: %s did not answer (%s)"), host_hint, detail ? detail : err);
		nd_result_remedy(r, _("An institutional network often needs an HTTP proxy: set it with "
		    "`export http_proxy=http://PROXY:PORT` (and no_proxy for local hosts), or ask IT to allow "
		    "%s and depo.kamusm.gov.tr; then run again."), host_hint);
		return;
	case ND_RE_CRL_SCOPE:
	case ND_RE_CRL_UNUSABLE:
	case ND_RE_CRL_TOO_LARGE:
		/* the CRL came, signed and in date, but cannot decide: never a pass */
		nd_result_set(r, ND_WARN, _("could not be checked: the CRL from %s cannot decide for this "
		    "certificate (%s)"), host_hint, detail ? detail : err);
		nd_result_remedy(r, _("nesdoctor reads only a complete CRL that covers the certificate; an OCSP "
		    "answer would decide. Make sure the OCSP responder named in the certificate can be reached "
		    "(http_proxy) and run again; if it persists, call %s."), KAMUSM_PHONE);
		return;
	case ND_RE_OCSP_UNKNOWN:
		nd_result_set(r, ND_WARN, "%s", _("the OCSP responder does not know this certificate, and no CRL answered"));
		nd_result_remedy(r, _("Call Kamu SM's help line %s."), KAMUSM_PHONE);
		return;
	case ND_RE_NOT_FOUND:
		if (url)
			break;
		nd_result_set(r, ND_WARN, "%s", detail ? detail : _("could not be checked"));
		nd_result_remedy(r, _("Call Kamu SM's help line %s."), KAMUSM_PHONE);
		return;
	default:
		break;
	}
	nd_result_set(r, ND_WARN, _("could not be checked: the answer from %s is not usable (%s)"),
	    host_hint, detail ? detail : err);
	nd_result_remedy(r, _("A proxy or captive portal may be changing the answer; check the network "
	    "path (http_proxy) and try again. If it persists, call %s."), KAMUSM_PHONE);
}

static void
eval_leaf_revocation(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = need_signing(rep, r), *rv, *nf;
	const char *url, *err, *detail, *host_hint;

	if (!sc)
		return;
	rv = nd_x509_revocation_facts(rep->inventory);
	if (!rv) {
		nd_result_set(r, ND_SKIP, "%s", _("revocation was not checked: there is no verified chain"));
		r->undetermined = true;
		return;
	}
	url = nd_jstr(rv, ND_X509_K_URL);
	err = nd_jstr(rv, ND_X509_K_ERROR);
	detail = nd_jstr(rv, ND_X509_K_DETAIL);
	if (url)
		json_object_object_add(nd_result_details(r), "url", json_object_new_string(url));
	switch (nd_x509_rev_status(rv)) {
	case ND_RS_GOOD:
		if (nd_x509_rev_method(rv) == ND_RM_CRL)
			nd_result_set(r, ND_PASS, _("not revoked (CRL from %s%s, next update %s)"), url ? url : "?",
			    nd_jbool(rv, ND_X509_K_CACHED, false) ? _(", cached") : "",
			    nd_jstr(rv, ND_X509_K_NEXT_UPDATE) ? nd_jstr(rv, ND_X509_K_NEXT_UPDATE) : "?");
		else
			nd_result_set(r, ND_PASS, _("not revoked (OCSP answer from %s)"), url ? url : "?");
		return;
	case ND_RS_REVOKED:
		nd_result_set(r, ND_FAIL, _("REVOKED on %s (reason: %s), says %s"),
		    nd_jstr(rv, ND_X509_K_DATE) ? nd_jstr(rv, ND_X509_K_DATE) : "?",
		    nd_jstr(rv, ND_X509_K_REASON) ? nd_jstr(rv, ND_X509_K_REASON) : _("not given"), url ? url : "?");
		nd_result_remedy(r, _("A revoked certificate can never sign again. Apply for a new certificate "
		    "through Kamu SM's online services (%s) or call %s."), KAMUSM_WEB, KAMUSM_PHONE);
		return;
	default:
		break;
	}
	if (!err)
		err = "other";
	host_hint = url ? url : "ocsp.kamusm.gov.tr";
	nf = net_failure(rep, url);
	if (nd_x509_rev_error(rv) == ND_RE_OFFLINE) {
		nd_result_set(r, ND_WARN, "%s", _("not checked: the network is off (--offline)"));
		nd_result_remedy(r, "%s", _("Run again without --offline to check revocation."));
	} else if (net_unreached(nf)) {
		nd_result_set(r, ND_WARN, _("could not be checked: %s cannot be reached (%s)"), host_hint,
		    detail ? detail : err);
		net_remedy(r, nf, url);
	} else if (nd_x509_net_error(nf) == ND_NE_HTTP_STATUS) {
		nd_result_set(r, ND_WARN, _("could not be checked: %s answered HTTP %d"), host_hint,
		    (int)nd_jint(nf, ND_X509_K_HTTP_STATUS, 0));
		net_remedy(r, nf, url);
	} else if (nd_x509_net_error(nf) == ND_NE_TOO_LARGE) {
		nd_result_set(r, ND_WARN, _("could not be checked: the answer from %s is not usable (%s)"),
		    host_hint, detail ? detail : err);
		net_remedy(r, nf, url);
	} else
		rev_undecided(r, nd_x509_rev_error(rv), err, detail, url, host_hint);
}

/* A CA of the chain whose revocation could not be determined
 * (chain[i].revocation.status "unknown"; a revoked one fails cert.chain):
 * the leaf's good answer becomes a warning naming the CA, the URL and the
 * network's remedy. Offline without the CA's CRL in the cache it is said
 * as for the leaf: "not checked, the network is off", and only once (not
 * when the leaf's own answer already says so). A leaf that warned for
 * another reason gets the CA named too; a revoked leaf stays as it is. */
static void
ca_revocation_unknown(const struct nd_report *rep, struct nd_result *r)
{
	json_object *chain = nd_x509_chain_elems(rep->inventory), *e = NULL, *rv = NULL;
	const char *err, *url, *detail;
	bool leaf_offline = nd_x509_rev_error(nd_x509_revocation_facts(rep->inventory)) == ND_RE_OFFLINE;
	enum nd_x509_rev_error why;
	char *cn, *msg;

	for (size_t i = 1; chain && i < json_object_array_length(chain) && !rv; i++) {
		json_object *ci = nd_jobj(json_object_array_get_idx(chain, i), ND_X509_K_REVOCATION);
		if (nd_x509_rev_status(ci) == ND_RS_UNKNOWN) {
			e = json_object_array_get_idx(chain, i);
			rv = ci;
		}
	}
	if (!rv || r->status == ND_FAIL || r->status == ND_SKIP)
		return;
	err = nd_jstr(rv, ND_X509_K_ERROR);
	url = nd_jstr(rv, ND_X509_K_URL);
	detail = nd_jstr(rv, ND_X509_K_DETAIL);
	if (!err)
		err = "other";
	why = nd_x509_rev_error(rv);
	if (why == ND_RE_OFFLINE && leaf_offline)
		return;
	cn = cn_of(nd_jstr(e, ND_X509_K_SUBJECT));
	json_object_object_add(nd_result_details(r), "ca_unchecked", json_object_new_string(cn));
	if (r->status == ND_WARN) {
		msg = nd_xstrdup(r->message);
		nd_result_set(r, ND_WARN, _("%s; the revocation of the issuing CA %s could not be checked either"), msg, cn);
		free(msg);
	} else if (why == ND_RE_OFFLINE) {
		nd_result_set(r, ND_WARN, _("the certificate is not revoked, but the revocation of the issuing CA %s "
		    "was not checked: the network is off (--offline) and its CRL is not in the cache"), cn);
		nd_result_remedy(r, "%s", _("Run again without --offline to check revocation."));
	} else if (why == ND_RE_NO_CRL) {
		nd_result_set(r, ND_WARN, _("the certificate is not revoked, but the revocation of the issuing CA %s "
		    "cannot be checked: its certificate names no CRL"), cn);
		nd_result_remedy(r, _("Call Kamu SM's help line %s."), KAMUSM_PHONE);
	} else {
		nd_result_set(r, ND_WARN, _("the certificate is not revoked, but the revocation of the issuing CA %s "
		    "could not be checked: %s (%s)"), cn, url ? url : "?", detail && detail[0] ? detail : err);
		if (!net_remedy(r, net_failure(rep, url), url))
			nd_result_remedy(r, _("An institutional network often needs an HTTP proxy: set it with "
			    "`export http_proxy=http://PROXY:PORT` (and no_proxy for local hosts), or ask IT to allow "
			    "%s and depo.kamusm.gov.tr; then run again."), url ? url : "?");
	}
	free(cn);
}

static void
eval_revocation(const struct nd_report *rep, struct nd_result *r)
{
	eval_leaf_revocation(rep, r);
	ca_revocation_unknown(rep, r);
}

const struct nd_check_def nd_check_cert_qualified = { "cert.qualified", ND_LAYER_CERT,
	{ "p11.objects", NULL }, eval_qualified };
const struct nd_check_def nd_check_cert_validity = { "cert.validity", ND_LAYER_CERT,
	{ "cert.qualified", NULL }, eval_validity };
const struct nd_check_def nd_check_cert_holder = { "cert.holder", ND_LAYER_CERT,
	{ "cert.qualified", NULL }, eval_holder };
const struct nd_check_def nd_check_cert_key = { "cert.key", ND_LAYER_CERT,
	{ "cert.qualified", NULL }, eval_key };
const struct nd_check_def nd_check_cert_chain = { "cert.chain", ND_LAYER_CERT,
	{ "cert.qualified", NULL }, eval_chain };
const struct nd_check_def nd_check_cert_revocation = { "cert.revocation", ND_LAYER_CERT,
	{ "cert.chain", NULL }, eval_revocation };
