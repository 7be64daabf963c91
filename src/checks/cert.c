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
	return nd_jobj(rep->inventory, "signing_certificate");
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
	json_object *cas = nd_jarr(rep->inventory, "ca_certificates");

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
	if (!nd_jobj(rep->inventory, "x509")) {
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
	json_object *inputs = nd_jarr(rep->inventory, "inputs");

	for (size_t i = 0; inputs && i < json_object_array_length(inputs); i++) {
		json_object *in = json_object_array_get_idx(inputs, i);
		const char *err = nd_jstr(in, "error"), *file = nd_jstr(in, "file");
		const char *detail = nd_jstr(in, "detail");

		if (!err)
			continue;
		if (strcmp(err, "parse") == 0 || strcmp(err, "truncated") == 0) {
			nd_result_set(r, ND_FAIL, _("%s: %s"), file ? file : "?", detail ? detail : err);
			nd_result_remedy(r, "%s", _("The file must hold a certificate in PEM (-----BEGIN CERTIFICATE-----) "
			    "or DER form. Export it again, or ask whoever sent it for an undamaged copy."));
		} else {
			nd_result_set(r, ND_SKIP, _("could not read %s: %s"), file ? file : "?", detail ? detail : err);
			r->undetermined = true;
			nd_result_remedy(r, "%s", _("Check the file name and that you may read the file."));
		}
		return true;
	}
	return false;
}

/* What a certificate that is not a person's NES is: "seal" (Kamu SM's
 * mali mühür arc, or QcType eseal), "authentication" (digitalSignature
 * without nonRepudiation), "encryption" (enciphering bits only), or NULL. */
static const char *
not_nes_kind(const json_object *sc)
{
	json_object *ku = nd_jarr(sc, "key_usage"), *pol = nd_jarr(sc, "policies");
	json_object *types = nd_jarr(sc, "qc_types");

	for (size_t i = 0; pol && i < json_object_array_length(pol); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(pol, i));
		if (p && strncmp(p, ND_OID_KAMUSM_SEAL_POLICY_PREFIX, strlen(ND_OID_KAMUSM_SEAL_POLICY_PREFIX)) == 0)
			return "seal";
	}
	if (nd_jarr_has_str(types, ND_OID_QC_TYPE_ESEAL) && !nd_jarr_has_str(types, ND_OID_QC_TYPE_ESIGN))
		return "seal";
	if (nd_jarr_has_str(ku, "nonRepudiation"))
		return NULL;
	if (nd_jarr_has_str(ku, "digitalSignature"))
		return "authentication";
	if (nd_jarr_has_str(ku, "keyEncipherment") || nd_jarr_has_str(ku, "dataEncipherment") ||
	    nd_jarr_has_str(ku, "keyAgreement"))
		return "encryption";
	return NULL;
}

/* A qualified certificate whose details limit signing: warn, naming each
 * (a monetary limit, a QcType other than esign, a restricting or missing
 * user notice). Kamu SM's own conformance suite rejects these, but a
 * signature may still be made, so this is a warning, not a failure. */
static bool
limits(const json_object *sc, const char *who, struct nd_result *r)
{
	json_object *rs = nd_jarr(sc, "restrictions");
	size_t n = rs ? json_object_array_length(rs) : 0;
	char *what = nd_xstrdup("");
	bool any;

	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(rs, i), *d = NULL;
		const char *k = nd_jstr(e, "kind");
		char *one, *next;

		json_object_object_get_ex(e, "detail", &d);
		if (!k)
			continue;
		if (strcmp(k, "qc_limit") == 0 || strcmp(k, "qc_limit_zero") == 0) {
			const char *cur = nd_jstr(d, "currency");
			one = nd_asprintf(_("a monetary limit (QcLimitValue) of %lld×10^%lld %s%s"),
			    (long long)nd_jint(d, "amount", 0), (long long)nd_jint(d, "exponent", 0), cur ? cur : "?",
			    strcmp(k, "qc_limit_zero") == 0 ? _(": zero, no transaction is covered") : "");
		} else if (strcmp(k, "qc_limit_unreadable") == 0)
			one = nd_xstrdup(_("a monetary limit (QcLimitValue) that cannot be read"));
		else if (strcmp(k, "qc_type_eseal") == 0 || strcmp(k, "qc_type_other") == 0)
			one = nd_asprintf(_("a QcType that is not electronic signature (%s)"), json_object_get_string(d));
		else if (strcmp(k, "user_notice") == 0)
			one = nd_asprintf(_("a policy notice that restricts use: \"%s\""), json_object_get_string(d));
		else if (strcmp(k, "no_user_notice") == 0)
			one = nd_xstrdup(_("no user notice in the certificate policies, which a Kamu SM NES carries"));
		else
			one = nd_xstrdup(k);
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

static void
eval_qualified(const struct nd_report *rep, struct nd_result *r)
{
	json_object *x509 = nd_jobj(rep->inventory, "x509"), *sc = signing(rep);
	json_object *cands = nd_jarr(rep->inventory, "signing_candidates");
	json_object *qc, *ku, *pol;
	bool nr, qc_c, qc_nes, kamusm_policy = false;
	size_t ncand = cands ? json_object_array_length(cands) : 0;
	const char *who, *kind, *src = nd_jstr(sc, "source");
	bool from_files = src && strcmp(src, "file") == 0;

	if (input_problem(rep, r))
		return;
	if (!x509) {
		nd_result_set(r, ND_SKIP, "%s", _("certificates were not examined"));
		r->undetermined = true;
		return;
	}
	if (!sc && !nd_jbool(x509, "certificates_listed", true)) {
		nd_result_set(r, ND_SKIP, "%s", _("no certificates were listed: the token was not read"));
		r->undetermined = true;
		return;
	}
	if (!sc && ca_only(rep)) {
		nd_result_set(r, ND_SKIP, "%s", _("the files hold only CA certificates: no personal certificate to check"));
		return;
	}
	if (!sc) {
		int64_t seen = nd_jint(x509, "certificates_seen", 0);
		json_object *errs = nd_jarr(x509, "decode_errors");

		if (seen == 0)
			nd_result_set(r, ND_FAIL, "%s", _("no certificate found on the token"));
		else if (errs && (int64_t)json_object_array_length(errs) == seen)
			nd_result_set(r, ND_FAIL, "%s", _("the token's certificates could not be read (malformed data)"));
		else
			nd_result_set(r, ND_FAIL, "%s", _("no personal certificate: only CA certificates were found"));
		nd_result_remedy(r, _("A NES card holds your qualified certificate from Kamu SM. If the card was "
		    "just delivered, or was renewed, call Kamu SM's help line %s."), KAMUSM_PHONE);
		return;
	}
	ku = nd_jarr(sc, "key_usage");
	qc = nd_jarr(sc, "qc_statements");
	pol = nd_jarr(sc, "policies");
	nr = nd_jarr_has_str(ku, "nonRepudiation");
	qc_c = nd_jarr_has_str(qc, ND_OID_QC_COMPLIANCE);
	qc_nes = nd_jarr_has_str(qc, ND_OID_QC_BTK_NES);
	for (size_t i = 0; pol && i < json_object_array_length(pol); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(pol, i));
		if (p && strncmp(p, ND_OID_KAMUSM_POLICY_PREFIX, strlen(ND_OID_KAMUSM_POLICY_PREFIX)) == 0)
			kamusm_policy = true;
	}
	json_object_object_add(nd_result_details(r), "candidates", json_object_new_int((int)ncand));
	who = nd_jstr(nd_jobj(sc, "holder"), "name");
	if (!who)
		who = nd_jstr(sc, "subject");
	kind = not_nes_kind(sc);
	if (kind) {
		json_object_object_add(nd_result_details(r), "kind", json_object_new_string(kind));
		if (strcmp(kind, "seal") == 0)
			nd_result_set(r, ND_FAIL, _("%s is a company seal (mali mühür), not a person's signing certificate"), who);
		else if (strcmp(kind, "authentication") == 0)
			nd_result_set(r, ND_FAIL, _("%s is an authentication certificate (key usage digitalSignature, no nonRepudiation), not a signing certificate"), who);
		else
			nd_result_set(r, ND_FAIL, _("%s is an encryption certificate (key usage for enciphering, no nonRepudiation), not a signing certificate"), who);
		nd_result_remedy(r, _("DYS signs documents with the person's own qualified certificate (NES), whose key usage is "
		    "nonRepudiation; a company seal, an authentication or an encryption certificate cannot sign there. "
		    "If the person has a NES card, use that one; otherwise apply through Kamu SM's online services "
		    "(%s) or call %s."), KAMUSM_WEB, KAMUSM_PHONE);
		return;
	}
	if (!nr) {
		char *k = join(ku);
		nd_result_set(r, ND_FAIL, _("%s is not a signing certificate: its key usage lacks nonRepudiation (it has: %s)"),
		    who, k[0] ? k : "-");
		free(k);
		nd_result_remedy(r, _("DYS signs with the qualified (NES) certificate, whose key usage is nonRepudiation. "
		    "This device does not seem to hold one: ask Kamu SM (%s) or your institution's NES officer."),
		    KAMUSM_PHONE);
		return;
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
		return;
	}
	if (!kamusm_policy) {
		char *p = join(pol);
		nd_result_set(r, ND_WARN, _("%s's certificate is qualified, but not under a Kamu SM policy (policies: %s)"),
		    who, p[0] ? p : "-");
		free(p);
		nd_result_remedy(r, _("DYS expects a NES certificate from Kamu SM. If signing fails, ask your "
		    "institution whether certificates from other providers are accepted, or call %s."), KAMUSM_PHONE);
		return;
	}
	if (limits(sc, who, r))
		return;
	if (ncand > 1 && from_files)
		nd_result_set(r, ND_PASS, _("qualified signing certificate of %s; %zu personal certificates in the files given, a signing program would use this one (serial %s)"),
		    who, ncand, nd_jstr(sc, "serial") ? nd_jstr(sc, "serial") : "?");
	else if (ncand > 1)
		nd_result_set(r, ND_PASS, _("qualified signing certificate of %s; %zu personal certificates on the token, DYS would use this one (serial %s)"),
		    who, ncand, nd_jstr(sc, "serial") ? nd_jstr(sc, "serial") : "?");
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
	nbs = nd_jstr(sc, "not_before");
	nas = nd_jstr(sc, "not_after");
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
	h = nd_jobj(sc, "holder");
	name = nd_jstr(h, "name");
	id = nd_jstr(h, "tckn");
	if (!name)
		name = "?";
	if (!nd_jbool(h, "tckn_present", false) || !id) {
		nd_result_set(r, ND_WARN, _("%s: no identity number (TCKN) in the certificate's subject serialNumber"), name);
		nd_result_remedy(r, _("DYS identifies signers by their TCKN. Ask Kamu SM (%s) whether this is your "
		    "personal NES certificate."), KAMUSM_PHONE);
		return;
	}
	if (!nd_jbool(h, "tckn_valid", false)) {
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
	k = nd_jobj(sc, "key");
	type = nd_jstr(k, "type");
	curve = nd_jstr(k, "curve");
	bits = nd_jint(k, "bits", 0);
	if (!type)
		type = "?";
	if (strcmp(type, "RSA") == 0) {
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
	} else if (strcmp(type, "EC") == 0) {
		if (!curve || (strcmp(curve, "P-256") != 0 && strcmp(curve, "P-384") != 0)) {
			nd_result_set(r, ND_FAIL, _("EC key on curve %s: not accepted for signing (P-256 or P-384 needed)"),
			    curve ? curve : "?");
			nd_result_remedy(r, _("Renew the certificate through Kamu SM (%s, help line %s)."), KAMUSM_WEB, KAMUSM_PHONE);
			return;
		}
	} else {
		nd_result_set(r, ND_FAIL, _("%s key: not usable for signing (RSA or EC needed)"), type);
		nd_result_remedy(r, _("Renew the certificate through Kamu SM (%s, help line %s)."), KAMUSM_WEB, KAMUSM_PHONE);
		return;
	}
	desc = strcmp(type, "EC") == 0 ? nd_asprintf("EC %s", curve) : nd_asprintf("RSA %lld-bit", (long long)bits);
	pk = NULL;
	json_object_object_get_ex(sc, "has_private_key", &pk);
	if (pk && json_object_is_type(pk, json_type_boolean) && !json_object_get_boolean(pk)) {
		nd_result_set(r, ND_FAIL, _("%s key: the token holds no private key for this certificate"), desc);
		nd_result_remedy(r, _("Without its private key the certificate cannot sign. The card may have been "
		    "initialised again or damaged: call Kamu SM's help line %s."), KAMUSM_PHONE);
	} else if (pk && json_object_is_type(pk, json_type_boolean))
		nd_result_set(r, ND_PASS, _("%s key, its private key is on the token"), desc);
	else if (nd_jstr(sc, "file"))
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
	json_object *log = nd_jarr(nd_jobj(rep->inventory, "x509"), "network"), *found = NULL;

	for (size_t i = 0; url && log && i < json_object_array_length(log); i++) {
		json_object *e = json_object_array_get_idx(log, i);
		if (!nd_jbool(e, "ok", true) && nd_jstr(e, "url") && strcmp(nd_jstr(e, "url"), url) == 0)
			found = e;
	}
	return found;
}

static bool
net_is(const json_object *fail, const char *word)
{
	const char *e = nd_jstr(fail, "error");
	return e && strcmp(e, word) == 0;
}

/* The request could not reach the server at all. */
static bool
net_unreached(const json_object *fail)
{
	return net_is(fail, "dns") || net_is(fail, "refused") || net_is(fail, "unreachable") ||
	    net_is(fail, "proxy");
}

/* What a person can do about a failed request; false when the error word
 * has no remedy of its own here (timeout: the caller's). */
static bool
net_remedy(struct nd_result *r, const json_object *fail, const char *url)
{
	char *host = NULL;
	const char *proxy = nd_jstr(fail, "proxy");
	bool done = true;

	if (!url || !OSSL_HTTP_parse_url(url, NULL, NULL, &host, NULL, NULL, NULL, NULL, NULL))
		host = OPENSSL_strdup("?");
	if (!proxy)
		proxy = "?";
	if (net_is(fail, "dns"))
		nd_result_remedy(r, _("The name %s cannot be looked up: check the network connection and the DNS "
		    "settings (/etc/resolv.conf, or ask IT). If the network is reached through an HTTP proxy, set "
		    "it with `export http_proxy=http://PROXY:PORT`; then run again."), host);
	else if (net_is(fail, "refused"))
		nd_result_remedy(r, _("%s refused the connection: a firewall probably blocks it. Ask IT to allow "
		    "HTTP (port 80) to %s (ocsp.kamusm.gov.tr and depo.kamusm.gov.tr must be reachable), or set "
		    "the institution's proxy with `export http_proxy=http://PROXY:PORT`; then run again."), host, host);
	else if (net_is(fail, "unreachable"))
		nd_result_remedy(r, _("There is no network route to %s: check that this computer is connected "
		    "(cable, Wi-Fi, `ip route`). Where there is no network at all, run nesdoctor once online so "
		    "that the CA certificates and the CRL are kept in the cache, then use --offline."), host);
	else if (net_is(fail, "proxy") && nd_jint(fail, "http_status", 0) == 407)
		nd_result_remedy(r, _("The HTTP proxy %s asks for a user name and password, which nesdoctor cannot "
		    "give: ask IT to let %s (and ocsp.kamusm.gov.tr, depo.kamusm.gov.tr) through without a login, "
		    "or list it in no_proxy if it can be reached directly; then run again."), proxy, host);
	else if (net_is(fail, "proxy"))
		nd_result_remedy(r, _("The HTTP proxy %s does not work: check its address in http_proxy (`export "
		    "http_proxy=http://PROXY:PORT`), or unset it, or list %s in no_proxy if it can be reached "
		    "directly; then run again."), proxy, host);
	else if (net_is(fail, "http_status"))
		nd_result_remedy(r, _("%s answered HTTP %d: the service may be down or the address may have "
		    "changed. Try again later; if it persists, call Kamu SM's help line %s."), host,
		    (int)nd_jint(fail, "http_status", 0), KAMUSM_PHONE);
	else if (net_is(fail, "too_large"))
		nd_result_remedy(r, _("The answer from %s is larger than nesdoctor accepts: something on the way "
		    "(a proxy, a captive portal) may be sending something else. Check the network path "
		    "(http_proxy) and try again; if it persists, call %s."), host, KAMUSM_PHONE);
	else if (net_is(fail, "bad_response"))
		nd_result_remedy(r, _("A proxy or captive portal may be changing the answer; check the network "
		    "path (http_proxy) and try again. If it persists, call %s."), KAMUSM_PHONE);
	else
		done = false;
	OPENSSL_free(host);
	return done;
}

/* A shipped Kamu SM certificate that was there but was not the pinned one
 * (chain_status.bundled_errors[]: pin_mismatch, parse): its file, or NULL. */
static const char *
bundled_bad(const json_object *cs)
{
	json_object *errs = nd_jarr(cs, "bundled_errors");

	for (size_t i = 0; errs && i < json_object_array_length(errs); i++) {
		json_object *e = json_object_array_get_idx(errs, i);
		const char *w = nd_jstr(e, "error");
		if (w && (strcmp(w, "pin_mismatch") == 0 || strcmp(w, "parse") == 0))
			return nd_jstr(e, "file");
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
		json_object *e = json_object_array_get_idx(chain, i), *rv = nd_jobj(e, "revocation");
		const char *st = nd_jstr(rv, "status");
		char *cn;

		if (!st || strcmp(st, "revoked") != 0)
			continue;
		cn = cn_of(nd_jstr(e, "subject"));
		json_object_object_add(nd_result_details(r), "revoked_ca", json_object_new_string(cn));
		nd_result_set(r, ND_FAIL, _("the CA certificate %s was REVOKED on %s (reason: %s), says %s"), cn,
		    nd_jstr(rv, "date") ? nd_jstr(rv, "date") : "?",
		    nd_jstr(rv, "reason") ? nd_jstr(rv, "reason") : _("not given"),
		    nd_jstr(rv, "url") ? nd_jstr(rv, "url") : "?");
		nd_result_remedy(r, _("Everything a revoked CA issued is untrusted, this certificate too: the whole "
		    "chain below %s. Do not sign with it; ask Kamu SM (%s) or the CA that issued it for a "
		    "certificate under a valid CA."), cn, KAMUSM_PHONE);
		free(cn);
		return true;
	}
	return false;
}

static void
eval_signing_chain(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = need_signing(rep, r);
	json_object *cs = nd_jobj(rep->inventory, "chain_status");
	json_object *chain = nd_jarr(rep->inventory, "chain");
	const char *err, *anchor, *aia_url, *aia_err, *need, *text;
	char *missing = NULL, *subj = NULL;
	size_t len = chain ? json_object_array_length(chain) : 0;
	char *srcs = nd_xstrdup("");

	if (!sc)
		goto out;
	if (!cs) {
		nd_result_set(r, ND_SKIP, "%s", _("the chain was not built"));
		r->undetermined = true;
		goto out;
	}
	for (size_t i = 0; i < len; i++) {
		char *n = nd_asprintf("%s%s%s", srcs, i ? " → " : "",
		    nd_jstr(json_object_array_get_idx(chain, i), "source") ?
		    nd_jstr(json_object_array_get_idx(chain, i), "source") : "?");
		free(srcs);
		srcs = n;
	}
	anchor = nd_jstr(cs, "anchor");
	if (nd_jbool(cs, "verified", false) && revoked_ca(chain, r))
		goto out;
	if (nd_jbool(cs, "verified", false)) {
		char *top = cn_of(nd_jstr(cs, "anchor_subject"));
		if (anchor && strcmp(anchor, "kamusm") == 0)
			nd_result_set(r, ND_PASS, _("chains to Kamu SM (%zu certificates: %s)"), len, srcs);
		else if (anchor && strcmp(anchor, "anchor") == 0)
			nd_result_set(r, ND_PASS, _("chains to the trust anchor given with --anchor: %s (%zu certificates: %s)"),
			    top, len, srcs);
		else {
			nd_result_set(r, ND_WARN, _("chains to %s from the system's trust store, not to Kamu SM"), top);
			nd_result_remedy(r, _("DYS expects a NES certificate from Kamu SM. If signing fails, call %s."),
			    KAMUSM_PHONE);
		}
		free(top);
		if (bundled_bad(cs)) {
			char *msg = nd_xstrdup(r->message);
			nd_result_set(r, ND_WARN, _("%s; a shipped Kamu SM certificate was ignored"), msg);
			free(msg);
			bundled_remedy(r, bundled_bad(cs));
		}
		goto out;
	}
	err = nd_jstr(cs, "error");
	text = nd_jstr(cs, "error_text");
	missing = cn_of(nd_jstr(cs, "missing_issuer"));
	subj = cn_of(nd_jstr(cs, "error_subject"));
	aia_url = nd_jstr(cs, "aia_url");
	aia_err = nd_jstr(cs, "aia_error");
	need = nd_jstr(cs, "needs_download");
	if (!err)
		err = "other";
	if (strcmp(err, "issuer_not_found") == 0 && need) {
		nd_result_set(r, ND_SKIP, _("the issuer's certificate (%s) would have to be downloaded from %s, but the network is off (--offline)"),
		    missing, need);
		r->undetermined = true;
		nd_result_remedy(r, "%s", _("Run again without --offline; the downloaded certificate is kept in the cache for later offline runs."));
	} else if (strcmp(err, "issuer_not_found") == 0 && aia_url) {
		nd_result_set(r, ND_WARN, _("the issuer's certificate (%s) could not be downloaded from %s: %s"),
		    missing, aia_url, aia_err ? aia_err : "?");
		r->undetermined = true;
		if (!net_remedy(r, net_failure(rep, aia_url), aia_url))
			nd_result_remedy(r, "%s", _("Check the network path to the certificate repository. An institutional "
			    "network often needs an HTTP proxy: set it with `export http_proxy=http://PROXY:PORT` "
			    "(and no_proxy for local hosts), or ask IT to allow depo.kamusm.gov.tr; then run again."));
	} else if (strcmp(err, "issuer_not_found") == 0 && nd_jstr(cs, "ldap_url")) {
		nd_result_set(r, ND_WARN, _("the issuer's certificate (%s) is offered only over LDAP (%s), which nesdoctor does not fetch"),
		    missing, nd_jstr(cs, "ldap_url"));
		r->undetermined = true;
		nd_result_remedy(r, "%s", _("Save the issuing CA's certificate from Kamu SM's repository (http://depo.kamusm.gov.tr) "
		    "and run `nesdoctor verify` with that file next to this certificate."));
	} else if (strcmp(err, "issuer_not_found") == 0) {
		nd_result_set(r, ND_FAIL, _("issued by %s, which is neither Kamu SM nor another known CA: the chain cannot be built"),
		    missing);
		nd_result_remedy(r, _("This certificate was not issued by Kamu SM's NES CA, or its issuer cannot be found. "
		    "If it is a Kamu SM certificate, call %s."), KAMUSM_PHONE);
	} else if (strcmp(err, "untrusted_root") == 0) {
		nd_result_set(r, ND_FAIL, _("chains to %s, which is not a trusted root (not Kamu SM)"),
		    subj);
		nd_result_remedy(r, _("DYS accepts certificates that chain to Kamu SM's root. If this is a Kamu SM "
		    "certificate, call %s."), KAMUSM_PHONE);
	} else if (strcmp(err, "bad_signature") == 0) {
		nd_result_set(r, ND_FAIL, _("a signature in the chain does not verify (%s): the certificate is damaged or forged"),
		    subj);
		nd_result_remedy(r, _("Do not sign with this certificate; call Kamu SM's help line %s."), KAMUSM_PHONE);
	} else if (strcmp(err, "ca_expired") == 0 || strcmp(err, "ca_not_yet_valid") == 0) {
		nd_result_set(r, ND_FAIL, _("the CA certificate %s is out of its validity period"),
		    subj);
		nd_result_remedy(r, _("Check this computer's date and time (`timedatectl`). If they are right, the "
		    "certificate must be renewed: Kamu SM's online services (%s), help line %s."), KAMUSM_WEB, KAMUSM_PHONE);
	} else {
		nd_result_set(r, ND_FAIL, _("the chain does not verify: %s (%s)"), text ? text : err,
		    subj);
		nd_result_remedy(r, _("Call Kamu SM's help line %s with this message."), KAMUSM_PHONE);
	}
	if (bundled_bad(cs))
		bundled_remedy(r, bundled_bad(cs));
out:
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
		char *cn = cn_of(nd_jstr(e, "subject")), *n;
		n = nd_asprintf("%s%s%s (%s)", out, i ? " → " : "", cn, nd_jstr(e, "source") ? nd_jstr(e, "source") : "?");
		free(cn);
		free(out);
		out = n;
	}
	return out;
}

enum ca_outcome { CA_PASS, CA_SYSTEM, CA_UNDETERMINED, CA_FAIL_DATE, CA_FAIL_CHAIN };

/* One CA certificate: which it is, its dates, its chain. *line gets what
 * is said of it (malloc'ed). */
static enum ca_outcome
judge_ca(const json_object *c, int64_t now, char **line)
{
	json_object *cs = nd_jobj(c, "chain_status"), *chain = nd_jarr(c, "chain");
	const char *k = nd_jstr(c, "kamusm"), *err = nd_jstr(cs, "error"), *anchor = nd_jstr(cs, "anchor");
	const char *nbs = nd_jstr(c, "not_before"), *nas = nd_jstr(c, "not_after");
	char *cn = cn_of(nd_jstr(c, "subject")), *who, *when, *how, *list = chain_list(chain);
	enum ca_outcome o = CA_PASS;
	int64_t nb = nd_x509_parse_time(nbs), na = nd_x509_parse_time(nas);

	if (k && strcmp(k, "root") == 0)
		who = nd_asprintf(_("Kamu SM's NES root (%s)"), cn);
	else if (k)
		who = nd_asprintf(_("Kamu SM's NES issuing CA (%s)"), cn);
	else
		who = nd_xstrdup(cn);
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
	if (nd_jbool(cs, "verified", false) && json_object_array_length(chain) <= 1 &&
	    anchor && strcmp(anchor, "kamusm") == 0 && k && strcmp(k, "root") == 0)
		how = nd_xstrdup(_("a trusted root (pinned)"));
	else if (nd_jbool(cs, "verified", false) && json_object_array_length(chain) <= 1 &&
	    anchor && strcmp(anchor, "kamusm") == 0)
		how = nd_xstrdup(_("trusted by its pin (Kamu SM's root was not at hand to check it against)"));
	else if (nd_jbool(cs, "verified", false) && anchor && strcmp(anchor, "kamusm") == 0)
		how = nd_asprintf(_("chains to Kamu SM's root: %s"), list);
	else if (nd_jbool(cs, "verified", false) && anchor && strcmp(anchor, "anchor") == 0)
		how = nd_asprintf(_("chains to the trust anchor given with --anchor: %s"), list);
	else if (nd_jbool(cs, "verified", false)) {
		how = nd_asprintf(_("chains to the system's trust store, not to Kamu SM: %s"), list);
		if (o == CA_PASS)
			o = CA_SYSTEM;
	} else if (err && strcmp(err, "issuer_not_found") == 0 && nd_jstr(cs, "needs_download")) {
		how = nd_asprintf(_("its issuer would have to be downloaded from %s, but the network is off (--offline)"),
		    nd_jstr(cs, "needs_download"));
		if (o == CA_PASS)
			o = CA_UNDETERMINED;
	} else if (err && strcmp(err, "issuer_not_found") == 0) {
		char *m = cn_of(nd_jstr(cs, "missing_issuer"));
		how = nd_asprintf(_("does not chain to a trusted root: its issuer %s cannot be found"), m);
		free(m);
		o = CA_FAIL_CHAIN;
	} else if (err && strcmp(err, "untrusted_root") == 0) {
		char *m = cn_of(nd_jstr(cs, "error_subject"));
		how = nd_asprintf(_("does not chain to a trusted root: %s is not trusted"), m);
		free(m);
		o = CA_FAIL_CHAIN;
	} else if (err && strcmp(err, "bad_signature") == 0) {
		char *m = cn_of(nd_jstr(cs, "error_subject"));
		how = nd_asprintf(_("a signature in its chain does not verify (%s): forged or damaged"), m);
		free(m);
		o = CA_FAIL_CHAIN;
	} else {
		how = nd_asprintf(_("its chain does not verify: %s"),
		    nd_jstr(cs, "error_text") ? nd_jstr(cs, "error_text") : err ? err : "?");
		o = CA_FAIL_CHAIN;
	}
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
			bad = bundled_bad(nd_jobj(c, "chain_status"));
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

static void
eval_leaf_revocation(const struct nd_report *rep, struct nd_result *r)
{
	json_object *sc = need_signing(rep, r), *rv;
	const char *st, *method, *url, *err, *detail, *host_hint;

	if (!sc)
		return;
	rv = nd_jobj(rep->inventory, "revocation");
	if (!rv) {
		nd_result_set(r, ND_SKIP, "%s", _("revocation was not checked: there is no verified chain"));
		r->undetermined = true;
		return;
	}
	st = nd_jstr(rv, "status");
	method = nd_jstr(rv, "method");
	url = nd_jstr(rv, "url");
	err = nd_jstr(rv, "error");
	detail = nd_jstr(rv, "detail");
	if (!st)
		st = "unknown";
	if (url)
		json_object_object_add(nd_result_details(r), "url", json_object_new_string(url));
	if (strcmp(st, "good") == 0) {
		if (method && strcmp(method, "crl") == 0)
			nd_result_set(r, ND_PASS, _("not revoked (CRL from %s%s, next update %s)"), url ? url : "?",
			    nd_jbool(rv, "cached", false) ? _(", cached") : "",
			    nd_jstr(rv, "next_update") ? nd_jstr(rv, "next_update") : "?");
		else
			nd_result_set(r, ND_PASS, _("not revoked (OCSP answer from %s)"), url ? url : "?");
		return;
	}
	if (strcmp(st, "revoked") == 0) {
		nd_result_set(r, ND_FAIL, _("REVOKED on %s (reason: %s), says %s"),
		    nd_jstr(rv, "date") ? nd_jstr(rv, "date") : "?",
		    nd_jstr(rv, "reason") ? nd_jstr(rv, "reason") : _("not given"), url ? url : "?");
		nd_result_remedy(r, _("A revoked certificate can never sign again. Apply for a new certificate "
		    "through Kamu SM's online services (%s) or call %s."), KAMUSM_WEB, KAMUSM_PHONE);
		return;
	}
	if (!err)
		err = "other";
	host_hint = url ? url : "ocsp.kamusm.gov.tr";
	if (strcmp(err, "offline") == 0) {
		nd_result_set(r, ND_WARN, "%s", _("not checked: the network is off (--offline)"));
		nd_result_remedy(r, "%s", _("Run again without --offline to check revocation."));
	} else if (net_unreached(net_failure(rep, url))) {
		nd_result_set(r, ND_WARN, _("could not be checked: %s cannot be reached (%s)"), host_hint,
		    detail ? detail : err);
		net_remedy(r, net_failure(rep, url), url);
	} else if (net_is(net_failure(rep, url), "http_status")) {
		nd_result_set(r, ND_WARN, _("could not be checked: %s answered HTTP %d"), host_hint,
		    (int)nd_jint(net_failure(rep, url), "http_status", 0));
		net_remedy(r, net_failure(rep, url), url);
	} else if (net_is(net_failure(rep, url), "too_large")) {
		nd_result_set(r, ND_WARN, _("could not be checked: the answer from %s is not usable (%s)"),
		    host_hint, detail ? detail : err);
		net_remedy(r, net_failure(rep, url), url);
	} else if (strcmp(err, "timeout") == 0 || strcmp(err, "network") == 0) {
		nd_result_set(r, ND_WARN, _("could not be checked: %s did not answer (%s)"), host_hint, detail ? detail : err);
		nd_result_remedy(r, _("An institutional network often needs an HTTP proxy: set it with "
		    "`export http_proxy=http://PROXY:PORT` (and no_proxy for local hosts), or ask IT to allow "
		    "%s and depo.kamusm.gov.tr; then run again."), host_hint);
	} else if (strcmp(err, "crl_scope") == 0 || strcmp(err, "crl_unusable") == 0 ||
	    strcmp(err, "crl_too_large") == 0) {
		/* the CRL came, signed and in date, but cannot decide: never a pass */
		nd_result_set(r, ND_WARN, _("could not be checked: the CRL from %s cannot decide for this "
		    "certificate (%s)"), host_hint, detail ? detail : err);
		nd_result_remedy(r, _("nesdoctor reads only a complete CRL that covers the certificate; an OCSP "
		    "answer would decide. Make sure the OCSP responder named in the certificate can be reached "
		    "(http_proxy) and run again; if it persists, call %s."), KAMUSM_PHONE);
	} else if (strcmp(err, "ocsp_unknown") == 0) {
		nd_result_set(r, ND_WARN, "%s", _("the OCSP responder does not know this certificate, and no CRL answered"));
		nd_result_remedy(r, _("Call Kamu SM's help line %s."), KAMUSM_PHONE);
	} else if (strcmp(err, "not_found") == 0 && !url) {
		nd_result_set(r, ND_WARN, "%s", detail ? detail : _("could not be checked"));
		nd_result_remedy(r, _("Call Kamu SM's help line %s."), KAMUSM_PHONE);
	} else {
		nd_result_set(r, ND_WARN, _("could not be checked: the answer from %s is not usable (%s)"),
		    host_hint, detail ? detail : err);
		nd_result_remedy(r, _("A proxy or captive portal may be changing the answer; check the network "
		    "path (http_proxy) and try again. If it persists, call %s."), KAMUSM_PHONE);
	}
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
	json_object *chain = nd_jarr(rep->inventory, "chain"), *e = NULL, *rv = NULL;
	const char *err, *url, *detail, *leaf_err = nd_jstr(nd_jobj(rep->inventory, "revocation"), "error");
	char *cn, *msg;

	for (size_t i = 1; chain && i < json_object_array_length(chain) && !rv; i++) {
		const char *st = nd_jstr(nd_jobj(json_object_array_get_idx(chain, i), "revocation"), "status");
		if (st && strcmp(st, "unknown") == 0) {
			e = json_object_array_get_idx(chain, i);
			rv = nd_jobj(e, "revocation");
		}
	}
	if (!rv || r->status == ND_FAIL || r->status == ND_SKIP)
		return;
	err = nd_jstr(rv, "error");
	url = nd_jstr(rv, "url");
	detail = nd_jstr(rv, "detail");
	if (!err)
		err = "other";
	if (strcmp(err, "offline") == 0 && leaf_err && strcmp(leaf_err, "offline") == 0)
		return;
	cn = cn_of(nd_jstr(e, "subject"));
	json_object_object_add(nd_result_details(r), "ca_unchecked", json_object_new_string(cn));
	if (r->status == ND_WARN) {
		msg = nd_xstrdup(r->message);
		nd_result_set(r, ND_WARN, _("%s; the revocation of the issuing CA %s could not be checked either"), msg, cn);
		free(msg);
	} else if (strcmp(err, "offline") == 0) {
		nd_result_set(r, ND_WARN, _("the certificate is not revoked, but the revocation of the issuing CA %s "
		    "was not checked: the network is off (--offline) and its CRL is not in the cache"), cn);
		nd_result_remedy(r, "%s", _("Run again without --offline to check revocation."));
	} else if (strcmp(err, "no_crl") == 0) {
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
