/* SPDX-License-Identifier: BSD-2-Clause */
/* nesdoctor sign-test, the parent's side: one real signature by the token,
 * verified here.
 *
 * The order matters for the person's PIN counter: refuse before asking
 * for a PIN when the token is locked (or on its final try without --force),
 * check the PIN's length against the token's limits, then log in exactly
 * once (sign_child.c). A wrong PIN is reported with the token's flags after
 * it, never tried again. The module runs in the child; the child only
 * signs, this side checks its messages again (the child ran foreign code)
 * and the signature with OpenSSL against the certificate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/util.h"
#include "p11/p11.h"
#include "p11/p11_int.h"

struct sign_state {
	json_object *st;      /* inventory.sign_test */
	char *der_b64;        /* the certificate as read in the signing session */
	char *sig_hex;
	unsigned long mech;
	bool have_sig, load_failed, init_failed;
	char *fail_reason;
	unsigned long login_rv, ctx_rv;
	bool have_login, have_ctx;
	size_t bad;
};

/* --- the child's messages, one handler each --------------------------- */

static void
on_load(struct sign_state *s, const char *t, const json_object *m)
{
	(void)t;
	if (!nd_jbool(m, "ok", false))
		s->load_failed = true;
}

static void
on_init(struct sign_state *s, const char *t, const json_object *m)
{
	unsigned long v;

	(void)t;
	if (!nd_p11_msg_ul(m, "rv", &v) || (v != CKR_OK && v != CKR_CRYPTOKI_ALREADY_INITIALIZED))
		s->init_failed = true;
}

/* flags_before, flags_after: the token's flags, by name */
static void
on_flags(struct sign_state *s, const char *t, const json_object *m)
{
	unsigned long v;

	if (nd_p11_msg_ul(m, "flags", &v))
		json_object_object_add(s->st, t, nd_p11_flags_json(v));
}

static void
on_cert(struct sign_state *s, const char *t, const json_object *m)
{
	const char *str = nd_jstr(m, "der");

	(void)t;
	if (str && strlen(str) <= 4 * (ND_P11_MAX_ATTR / 3) + 4 && !s->der_b64)
		s->der_b64 = nd_xstrdup(str);
}

static void
on_login(struct sign_state *s, const char *t, const json_object *m)
{
	unsigned long v;

	(void)t;
	if (nd_p11_msg_ul(m, "rv", &v) && !s->have_login) {
		s->login_rv = v;
		s->have_login = true;
	}
}

static void
on_context_login(struct sign_state *s, const char *t, const json_object *m)
{
	unsigned long v;

	(void)t;
	if (nd_p11_msg_ul(m, "rv", &v)) {
		s->ctx_rv = v;
		s->have_ctx = true;
	}
}

static void
on_key(struct sign_state *s, const char *t, const json_object *m)
{
	unsigned long v;

	(void)t;
	json_object_object_add(s->st, "always_authenticate",
	    json_object_new_boolean(nd_jbool(m, "always_authenticate", false)));
	if (nd_p11_msg_ul(m, "key_type", &v))
		nd_jset_str(s->st, "key_type", v == CKK_RSA ? "RSA" : v == CKK_EC ? "EC" : "other");
}

static void
on_signature(struct sign_state *s, const char *t, const json_object *m)
{
	const char *str = nd_jstr(m, "sig");
	unsigned long v;

	(void)t;
	if (nd_p11_msg_ul(m, "mechanism", &v) && nd_p11_mech_name(v) && str &&
	    strlen(str) <= 2 * ND_P11_SIG_MAX && !s->have_sig) {
		s->mech = v;
		s->sig_hex = nd_xstrdup(str);
		s->have_sig = true;
	}
}

static void
on_fail(struct sign_state *s, const char *t, const json_object *m)
{
	const char *str = nd_jstr(m, "reason");
	unsigned long v;

	(void)t;
	if (!str || s->fail_reason || strlen(str) >= 32)
		return;
	s->fail_reason = nd_p11_clean(str, strlen(str), 32, NULL);
	if (nd_p11_msg_ul(m, "rv", &v))
		json_object_object_add(s->st, "rv", json_object_new_string(nd_ckr_name(v)));
	if ((str = nd_jstr(m, "call")) && strlen(str) < 40)
		json_object_object_add(s->st, "failed_call", json_object_new_string(str));
}

/* logout, finalize: what the call answered, by name */
static void
on_close(struct sign_state *s, const char *t, const json_object *m)
{
	unsigned long v;

	if (nd_p11_msg_ul(m, "rv", &v))
		json_object_object_add(s->st, t, json_object_new_string(nd_ckr_name(v)));
}

static bool
on_sign_msg(json_object *m, void *ctx)
{
	static const struct {
		const char *t;
		void (*fn)(struct sign_state *, const char *, const json_object *);
	} handlers[] = {
		{ "load", on_load }, { "init", on_init },
		{ "flags_before", on_flags }, { "flags_after", on_flags },
		{ "cert", on_cert }, { "login", on_login }, { "context_login", on_context_login },
		{ "key", on_key }, { "signature", on_signature }, { "fail", on_fail },
		{ "logout", on_close }, { "finalize", on_close },
	};
	struct sign_state *s = ctx;
	const char *t = nd_jstr(m, "t");
	size_t i;

	for (i = 0; t && i < sizeof handlers / sizeof handlers[0]; i++)
		if (strcmp(handlers[i].t, t) == 0) {
			handlers[i].fn(s, handlers[i].t, m);
			break;
		}
	if (!t || i == sizeof handlers / sizeof handlers[0])
		s->bad++;
	/* a child that keeps talking nonsense is stopped */
	return s->bad < 16;
}

/* Verify the token's signature over msg with the certificate's key. */
static bool
verify(const uint8_t *der, size_t derlen, unsigned long mech, const uint8_t *sig, size_t siglen,
       const uint8_t *msg, size_t msglen)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)derlen);
	EVP_PKEY *pk = x ? X509_get0_pubkey(x) : NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	ECDSA_SIG *es = NULL;
	unsigned char *ecder = NULL;
	int ecdlen = 0;
	bool ok = false;

	if (!pk || !md || EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, pk) != 1)
		goto fail;
	switch (mech) {
	case CKM_SHA256_RSA_PKCS:
	case CKM_RSA_PKCS:
		if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
			goto fail;
		ok = EVP_DigestVerify(md, sig, siglen, msg, msglen) == 1;
		break;
	case CKM_SHA256_RSA_PKCS_PSS:
	case CKM_RSA_PKCS_PSS:
		if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA ||
		    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) != 1 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1)
			goto fail;
		ok = EVP_DigestVerify(md, sig, siglen, msg, msglen) == 1;
		break;
	case CKM_ECDSA:
	case CKM_ECDSA_SHA256: {
		/* PKCS#11 gives r || s; OpenSSL verifies the DER form */
		BIGNUM *r, *s;
		if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC || siglen == 0 || siglen % 2)
			goto fail;
		r = BN_bin2bn(sig, (int)(siglen / 2), NULL);
		s = BN_bin2bn(sig + siglen / 2, (int)(siglen / 2), NULL);
		es = ECDSA_SIG_new();
		if (!r || !s || !es || !ECDSA_SIG_set0(es, r, s)) {
			BN_free(r);
			BN_free(s);
			goto fail;
		}
		if ((ecdlen = i2d_ECDSA_SIG(es, &ecder)) <= 0)
			goto fail;
		ok = EVP_DigestVerify(md, ecder, (size_t)ecdlen, msg, msglen) == 1;
		break;
	}
	default:
		break;
	}
fail:
	OPENSSL_free(ecder);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	X509_free(x);
	return ok;
}

static void
result(json_object *st, const char *status, const char *reason)
{
	json_object_object_add(st, "status", json_object_new_string(status));
	nd_jset_str(st, "reason", reason);
}

static const char *
login_reason(unsigned long rv)
{
	switch (rv) {
	case CKR_PIN_INCORRECT: return "pin_incorrect";
	case CKR_PIN_LOCKED: return "pin_locked";
	case CKR_PIN_LEN_RANGE:
	case CKR_PIN_INVALID: return "pin_invalid";
	case CKR_PIN_EXPIRED: return "pin_expired";
	}
	return "login_failed";
}

static const char *
signal_name(int sig)
{
	const char *a = sigabbrev_np(sig);
	static _Thread_local char buf[16];

	if (a)
		snprintf(buf, sizeof buf, "SIG%s", a);
	else
		snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

/* The child hung, crashed or spoke nonsense: say where; true when that
 * happened before a signature (the result is set then). */
static bool
child_ended_badly(const struct sign_state *s, const struct nd_child_result *res)
{
	json_object *st = s->st;

	if (res->end != ND_CHILD_TIMEOUT && res->end != ND_CHILD_SIGNALED &&
	    res->end != ND_CHILD_BADMSG && res->end != ND_CHILD_STOPPED && res->end != ND_CHILD_FAILED)
		return false;
	/* a hang after a good signature (C_Logout, C_Finalize) does not undo
	 * the signature: judge it, and say what hung */
	json_object_object_add(st, "failed_call", json_object_new_string(res->step));
	if (res->end == ND_CHILD_SIGNALED)
		json_object_object_add(st, "signal", json_object_new_string(signal_name(res->code)));
	if (s->have_sig)
		return false;
	result(st, "failed", res->end == ND_CHILD_TIMEOUT ? "timeout"
	    : res->end == ND_CHILD_SIGNALED ? "crashed" : "module_error");
	return true;
}

/* The outcomes that leave no signature to judge: the child ended badly,
 * the module did not load or start, the child refused or failed a step, a
 * login failed. True when one of them set the result. */
static bool
no_signature(const struct sign_state *s, const struct nd_child_result *res)
{
	json_object *st = s->st;

	if (child_ended_badly(s, res))
		return true;
	if (s->load_failed) {
		result(st, "failed", "load_failed");
		return true;
	}
	if (s->init_failed) {
		result(st, "failed", "init_failed");
		return true;
	}
	if (s->fail_reason && !s->have_sig) {
		bool refused = strcmp(s->fail_reason, "locked") == 0 || strcmp(s->fail_reason, "final_try") == 0;
		result(st, refused ? "refused" : "failed", s->fail_reason);
		return true;
	}
	if (s->have_login && s->login_rv != CKR_OK && s->login_rv != CKR_USER_ALREADY_LOGGED_IN) {
		result(st, "failed", login_reason(s->login_rv));
		return true;
	}
	if (s->have_ctx && s->ctx_rv != CKR_OK) {
		result(st, "failed", s->ctx_rv == CKR_PIN_INCORRECT || s->ctx_rv == CKR_PIN_LOCKED
		    ? login_reason(s->ctx_rv) : "context_login_failed");
		return true;
	}
	if (!s->have_sig) {
		result(st, "failed", "sign_failed");
		return true;
	}
	return false;
}

/* Judge the signature against the certificate as read in the signing
 * session (else as collected). */
static void
judge_signature(const struct sign_state *s, const struct nd_p11_sign_arg *a, const char *collected_der)
{
	json_object *st = s->st;
	uint8_t *der, *sig;
	size_t derlen = 0;
	long siglen;

	der = nd_unbase64(s->der_b64 ? s->der_b64 : collected_der, ND_P11_MAX_ATTR, &derlen);
	if (s->der_b64 && collected_der && strcmp(s->der_b64, collected_der) != 0)
		json_object_object_add(st, "certificate_changed", json_object_new_boolean(1));
	sig = nd_xcalloc(ND_P11_SIG_MAX, 1);
	siglen = nd_unhex(s->sig_hex, sig, ND_P11_SIG_MAX);
	json_object_object_add(st, "signature_bytes", json_object_new_int64(siglen > 0 ? siglen : 0));
	if (der && siglen > 0 && verify(der, derlen, s->mech, sig, (size_t)siglen, a->msg, sizeof a->msg)) {
		json_object_object_add(st, "verified", json_object_new_boolean(1));
		result(st, "verified", NULL);
	} else {
		json_object_object_add(st, "verified", json_object_new_boolean(0));
		result(st, "failed", "verify_failed");
	}
	free(der);
	free(sig);
}

/* Finish inventory.sign_test from what the child said and how it ended. */
static void
conclude(struct sign_state *s, const struct nd_child_result *res, const struct nd_p11_sign_arg *a,
         const char *collected_der)
{
	json_object *st = s->st;

	json_object_object_add(st, "elapsed_ms", json_object_new_int64(res->elapsed_ms));
	if (s->have_login)
		json_object_object_add(st, "login", json_object_new_string(nd_ckr_name(s->login_rv)));
	if (s->have_ctx)
		json_object_object_add(st, "context_login", json_object_new_string(nd_ckr_name(s->ctx_rv)));
	if (s->have_sig)
		json_object_object_add(st, "mechanism", json_object_new_string(nd_p11_mech_name(s->mech)));
	if (!no_signature(s, res))
		judge_signature(s, a, collected_der);
}

/* Without a usable certificate: the first initialised token in scope, to
 * report its PIN state. */
static json_object *
first_token(const json_object *inv)
{
	json_object *toks = nd_jarr(inv, "tokens");
	size_t n = toks ? json_object_array_length(toks) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(toks, i);
		if (nd_p11_token_in_scope(inv, t) && !nd_jobj(t, "error") &&
		    nd_jbool(nd_jobj(t, "flags"), "token_initialized", true))
			return t;
	}
	return NULL;
}

static bool
flag(const json_object *tok, const char *name)
{
	return nd_jbool(nd_jobj(tok, "flags"), name, false);
}

/* The token and the certificate to sign with, described in st, and the
 * child's argument for them; NULL when the test cannot run (st says why:
 * refused before any PIN is asked, or not_run). */
static struct nd_p11_sign_arg *
sign_target(struct nd_report *rep, json_object *st, json_object **tokp, const char **collected_der,
            nd_err *rv)
{
	const struct nd_opts *o = rep->opts;
	json_object *certs, *cert, *tok, *d;
	struct nd_p11_sign_arg *a = NULL;
	const char *id;
	long idx, len;

	idx = nd_p11_pick_signing_cert(rep);
	certs = nd_jarr(rep->inventory, "certificates");
	cert = idx >= 0 ? json_object_array_get_idx(certs, (size_t)idx) : NULL;
	tok = cert ? nd_p11_cert_token(rep->inventory, cert) : first_token(rep->inventory);
	if (!tok) {
		result(st, "not_run", "no_token");
		goto fail;
	}
	nd_jset_str(st, "module", nd_jstr(tok, "module"));
	json_object_object_add(st, "slot", json_object_get(json_object_object_get(tok, "slot")));
	nd_jset_str(st, "token", nd_jstr(tok, "label"));
	nd_jset_str(st, "reader", nd_jstr(tok, "reader"));
	/* the PIN state first: a locked token is refused whatever else */
	if (flag(tok, "user_pin_locked")) {
		result(st, "refused", "locked");
		goto fail;
	}
	if (flag(tok, "user_pin_final_try") && !(o && o->force)) {
		result(st, "refused", "final_try");
		goto fail;
	}
	if (!cert) {
		result(st, "not_run", "no_certificate");
		goto fail;
	}
	d = json_object_array_get_idx(nd_jarr(rep->internal, "certificates"), (size_t)idx);
	*collected_der = nd_jstr(d, "der");
	json_object_object_add(st, "certificate", json_object_new_int64(idx));
	nd_jset_str(st, "certificate_label", nd_jstr(cert, "label"));
	nd_jset_str(st, "subject_cn", nd_jstr(cert, "subject_cn"));

	a = nd_xcalloc(1, sizeof *a);
	a->path = nd_jstr(tok, "module");
	a->slot = (unsigned long)json_object_get_uint64(json_object_object_get(tok, "slot"));
	a->label = nd_jstr(tok, "label");
	a->serial = nd_jstr(tok, "serial");
	a->force = o && o->force;
	a->quiet = !(o && o->verbose > 1);
	id = nd_jstr(cert, "id");
	len = id ? nd_unhex(id, a->id, sizeof a->id) : -1;
	if (len <= 0) {
		result(st, "not_run", "no_certificate_id");
		goto fail;
	}
	a->id_len = (size_t)len;
	if (RAND_bytes(a->msg, sizeof a->msg) != 1) {
		result(st, "not_run", "no_random");
		*rv = ND_ERR_CRYPTO;
		goto fail;
	}
	*tokp = tok;
	return a;
fail:
	if (a)
		explicit_bzero(a, sizeof *a);
	free(a);
	return NULL;
}

/* Where the PIN comes from: the reader's PIN pad (more time for the
 * person), or a PIN read now into *pin (locked memory) and checked against
 * the token's limits. False when no login should happen (st says why). */
static bool
take_pin(json_object *st, const json_object *tok, const struct nd_p11_pin_source *pinsrc, int timeout_s,
         struct nd_child_limits *lim, struct nd_p11_sign_arg *a, char **pin)
{
	json_object *pl = nd_jobj(tok, "pin");
	int64_t minl = nd_jint(pl, "min_len", 0), maxl = nd_jint(pl, "max_len", 0);
	const char *source = NULL;
	long len;

	if (flag(tok, "protected_authentication_path")) {
		/* the reader's PIN pad asks; the person may take a while */
		if (lim->step_ms < 60000)
			lim->step_ms = 60000;
		if (lim->total_ms < lim->step_ms + 6 * timeout_s * 1000)
			lim->total_ms = lim->step_ms + 6 * timeout_s * 1000;
		nd_jset_str(st, "pin_source", "pinpad");
		return true;
	}
	*pin = nd_xcalloc(ND_P11_PIN_MAX, 1);
	mlock(*pin, ND_P11_PIN_MAX);   /* best effort: keep it out of swap */
	len = pinsrc && pinsrc->read ? pinsrc->read(pinsrc->ctx, *pin, ND_P11_PIN_MAX,
	    nd_jstr(tok, "label"), &source) : -1;
	if (len <= 0) {
		/* no login with a PIN that cannot be the one meant */
		int e = errno;

		nd_jset_str(st, "pin_source", source);
		result(st, "not_run", len == 0 ? "pin_empty" : len == ND_PIN_UNREADABLE ? "pin_unreadable" :
		    len == ND_PIN_TOO_LONG ? "pin_too_long" : len == ND_PIN_HAS_NUL ? "pin_has_nul" : "no_pin");
		if (len == ND_PIN_UNREADABLE) {
			json_object_object_add(st, "pin_errno", json_object_new_int(e));
			nd_jset_str(st, "pin_error", strerrorname_np(e));
		}
		return false;
	}
	/* a PIN the token cannot accept would cost a try for nothing */
	if ((minl > 0 && len < minl) || (maxl > 0 && maxl < 256 && len > maxl)) {
		result(st, "not_run", "pin_length");
		return false;
	}
	a->pin = *pin;
	a->pin_len = (size_t)len;
	nd_jset_str(st, "pin_source", source);
	return true;
}

nd_err
nd_p11_sign_test(struct nd_report *rep, const struct nd_p11_pin_source *pinsrc)
{
	const struct nd_opts *o = rep->opts;
	int timeout_s = o->timeout_s;
	struct nd_child_limits lim = { timeout_s * 1000, 6 * timeout_s * 1000 };
	json_object *st = json_object_new_object(), *tok = NULL;
	struct sign_state s;
	struct nd_p11_sign_arg *a = NULL;
	struct nd_child_result res;
	char *pin = NULL;
	const char *collected_der = NULL;
	nd_err rv = ND_OK;

	memset(&s, 0, sizeof s);
	s.st = st;
	json_object_object_add(rep->inventory, "sign_test", st);
	json_object_object_add(st, "forced", json_object_new_boolean(o && o->force));
	if ((a = sign_target(rep, st, &tok, &collected_der, &rv)) == NULL ||
	    !take_pin(st, tok, pinsrc, timeout_s, &lim, a, &pin))
		goto fail;
	if (nd_child_run(nd_p11_sign_child, a, &lim, on_sign_msg, &s, &res) != ND_OK)
		res.end = ND_CHILD_FAILED;
	nd_freezero(pin, ND_P11_PIN_MAX);
	pin = NULL;
	conclude(&s, &res, a, collected_der);
fail:
	nd_freezero(pin, ND_P11_PIN_MAX);
	if (a)
		explicit_bzero(a, sizeof *a);
	free(a);
	free(s.der_b64);
	free(s.sig_hex);
	free(s.fail_reason);
	return rv;
}
