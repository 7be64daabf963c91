/* nesdoctor sign-test: one real signature by the token, verified here.
 *
 * The order matters for the person's PIN counter: refuse before asking
 * for a PIN when the token is locked (or on its final try without --force),
 * check the PIN's length against the token's limits, then log in exactly
 * once. A wrong PIN is reported with the token's flags after it, never
 * tried again. The module runs in a child; the child only signs, the
 * parent checks the signature with OpenSSL against the certificate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/util.h"
#include "p11/p11.h"
#include "p11/p11_int.h"

#define MSG_LEN 64
#define SIG_MAX 1024   /* RSA-8192 */

struct sign_arg {
	const char *path;
	unsigned long slot;
	const char *label, *serial;   /* to find the token again */
	uint8_t id[256];              /* the certificate's CKA_ID */
	size_t id_len;
	char *pin;                    /* NULL: the reader's PIN pad */
	size_t pin_len;
	bool force, quiet;
	uint8_t msg[MSG_LEN];
};

/* --- the child --------------------------------------------------------- */

static void
send_rv(struct nd_chan *ch, const char *t, CK_RV rv)
{
	json_object *m = nd_p11_msg_new(t);

	json_object_object_add(m, "rv", json_object_new_int64((int64_t)rv));
	nd_p11_msg_send(ch, m);
}

static void
send_fail(struct nd_chan *ch, const char *reason, const char *call, CK_RV rv)
{
	json_object *m = nd_p11_msg_new("fail");

	json_object_object_add(m, "reason", json_object_new_string(reason));
	if (call) {
		json_object_object_add(m, "call", json_object_new_string(call));
		json_object_object_add(m, "rv", json_object_new_int64((int64_t)rv));
	}
	nd_p11_msg_send(ch, m);
}

static void
send_flags(struct nd_chan *ch, const char *t, CK_FLAGS flags)
{
	json_object *m = nd_p11_msg_new(t);

	json_object_object_add(m, "flags", json_object_new_int64((int64_t)flags));
	nd_p11_msg_send(ch, m);
}

static bool
token_info(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot, CK_TOKEN_INFO *ti)
{
	memset(ti, 0, sizeof *ti);
	nd_chan_step(ch, "C_GetTokenInfo(slot %lu)", slot);
	return f->C_GetTokenInfo && f->C_GetTokenInfo(slot, ti) == CKR_OK;
}

static bool
same_token(const CK_TOKEN_INFO *ti, const struct sign_arg *a)
{
	char *l = nd_p11_field(ti->label, sizeof ti->label, NULL);
	char *s = nd_p11_field(ti->serialNumber, sizeof ti->serialNumber, NULL);
	bool same = strcmp(l, a->label ? a->label : "") == 0 && strcmp(s, a->serial ? a->serial : "") == 0;

	free(l);
	free(s);
	return same;
}

/* Slot ids need not survive C_Finalize: find the token by label and serial,
 * trying its old slot first. */
static bool
find_token(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f, const struct sign_arg *a, CK_SLOT_ID *slot,
           CK_TOKEN_INFO *ti)
{
	CK_SLOT_ID v[ND_P11_MAX_SLOTS];
	CK_ULONG n = ND_P11_MAX_SLOTS;

	if (token_info(ch, f, a->slot, ti) && same_token(ti, a)) {
		*slot = a->slot;
		return true;
	}
	nd_chan_step(ch, "C_GetSlotList");
	if (!f->C_GetSlotList || f->C_GetSlotList(CK_TRUE, v, &n) != CKR_OK)
		return false;
	for (CK_ULONG i = 0; i < n && i < ND_P11_MAX_SLOTS; i++)
		if (token_info(ch, f, v[i], ti) && same_token(ti, a)) {
			*slot = v[i];
			return true;
		}
	return false;
}

static bool
find_one(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls,
         struct sign_arg *a, CK_OBJECT_HANDLE *o)
{
	CK_ATTRIBUTE t[2] = {
		{ CKA_CLASS, &cls, sizeof cls },
		{ CKA_ID, a->id, a->id_len },
	};
	CK_ULONG n = 0;
	CK_RV rv;

	nd_chan_step(ch, "C_FindObjects(%s)", cls == CKO_CERTIFICATE ? "certificate" : "private key");
	rv = f->C_FindObjectsInit(h, t, 2);
	if (rv != CKR_OK)
		return false;
	rv = f->C_FindObjects(h, o, 1, &n);
	f->C_FindObjectsFinal(h);
	return rv == CKR_OK && n == 1;
}

static void
send_cert(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o)
{
	CK_ATTRIBUTE a = { CKA_VALUE, NULL_PTR, 0 };
	json_object *m = nd_p11_msg_new("cert");
	uint8_t *der = NULL;

	nd_chan_step(ch, "C_GetAttributeValue(certificate)");
	if (f->C_GetAttributeValue(h, o, &a, 1) == CKR_OK && a.ulValueLen > 0 &&
	    a.ulValueLen <= ND_P11_MAX_ATTR) {
		CK_ULONG cap = a.ulValueLen;
		der = nd_xcalloc(cap, 1);
		a.pValue = der;
		if (f->C_GetAttributeValue(h, o, &a, 1) == CKR_OK && a.ulValueLen <= cap) {
			char *b64 = nd_base64(der, a.ulValueLen);
			json_object_object_add(m, "der", json_object_new_string(b64));
			free(b64);
		}
	}
	free(der);
	nd_p11_msg_send(ch, m);
}

struct mech_pref {
	CK_MECHANISM_TYPE m;
	CK_KEY_TYPE kt;
};

/* What we ask the token for, best first: PKCS#1 v1.5 with SHA-256 is what
 * DYS signs with; raw ECDSA over our own SHA-256 works on every EC card;
 * RSA-PSS only when that is all there is. */
static const struct mech_pref prefs[] = {
	{ CKM_SHA256_RSA_PKCS, CKK_RSA },
	{ CKM_RSA_PKCS, CKK_RSA },
	{ CKM_SHA256_RSA_PKCS_PSS, CKK_RSA },
	{ CKM_RSA_PKCS_PSS, CKK_RSA },
	{ CKM_ECDSA, CKK_EC },
	{ CKM_ECDSA_SHA256, CKK_EC },
};

static CK_MECHANISM_TYPE
choose_mech(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot, CK_KEY_TYPE kt)
{
	CK_MECHANISM_TYPE v[ND_P11_MAX_MECHS];
	CK_ULONG n = ND_P11_MAX_MECHS;

	nd_chan_step(ch, "C_GetMechanismList(slot %lu)", slot);
	if (!f->C_GetMechanismList || f->C_GetMechanismList(slot, v, &n) != CKR_OK)
		return CK_UNAVAILABLE_INFORMATION;
	for (size_t p = 0; p < sizeof prefs / sizeof prefs[0]; p++) {
		if (prefs[p].kt != kt)
			continue;
		for (CK_ULONG i = 0; i < n && i < ND_P11_MAX_MECHS; i++) {
			CK_MECHANISM_INFO mi;
			if (v[i] != prefs[p].m)
				continue;
			memset(&mi, 0, sizeof mi);
			/* a module without mechanism info: trust the list */
			if (f->C_GetMechanismInfo && f->C_GetMechanismInfo(slot, v[i], &mi) == CKR_OK &&
			    !(mi.flags & CKF_SIGN))
				continue;
			return v[i];
		}
	}
	return CK_UNAVAILABLE_INFORMATION;
}

/* The bytes the token signs for a mechanism: the message, its SHA-256, or
 * a DigestInfo around it (OpenSSL writes the DER). */
static bool
sign_input(CK_MECHANISM_TYPE mech, const uint8_t *msg, size_t n, uint8_t *out, size_t *outlen)
{
	uint8_t md[32];
	unsigned int mdlen = 0;
	X509_SIG *sig = NULL;
	X509_ALGOR *alg;
	ASN1_OCTET_STRING *digest;
	unsigned char *p = out;
	int len;

	switch (mech) {
	case CKM_SHA256_RSA_PKCS:
	case CKM_SHA256_RSA_PKCS_PSS:
	case CKM_ECDSA_SHA256:
		memcpy(out, msg, n);
		*outlen = n;
		return true;
	}
	if (!EVP_Digest(msg, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != sizeof md)
		return false;
	if (mech != CKM_RSA_PKCS) {
		memcpy(out, md, sizeof md);
		*outlen = sizeof md;
		return true;
	}
	sig = X509_SIG_new();
	if (!sig)
		return false;
	X509_SIG_getm(sig, &alg, &digest);
	if (!X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) ||
	    !ASN1_OCTET_STRING_set(digest, md, sizeof md) || (len = i2d_X509_SIG(sig, NULL)) <= 0 ||
	    len > 128) {
		X509_SIG_free(sig);
		return false;
	}
	i2d_X509_SIG(sig, &p);
	*outlen = (size_t)len;
	X509_SIG_free(sig);
	return true;
}

static void
wipe_pin(struct sign_arg *a)
{
	if (a->pin)
		explicit_bzero(a->pin, ND_P11_PIN_MAX);
	a->pin_len = 0;
}

static void
sign_child(struct nd_chan *ch, void *arg)
{
	struct sign_arg *a = arg;
	struct rlimit nocore = { 0, 0 };
	CK_FUNCTION_LIST_PTR f = NULL;
	CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
	CK_OBJECT_HANDLE cert, key;
	CK_SLOT_ID slot;
	CK_TOKEN_INFO ti;
	CK_KEY_TYPE kt = CKK_RSA;
	CK_BBOOL always = CK_FALSE;
	CK_ATTRIBUTE kta = { CKA_KEY_TYPE, &kt, sizeof kt }, aa = { CKA_ALWAYS_AUTHENTICATE, &always, sizeof always };
	CK_RSA_PKCS_PSS_PARAMS pss = { CKM_SHA256, CKG_MGF1_SHA256, 32 };
	CK_MECHANISM mech = { 0, NULL_PTR, 0 };
	uint8_t in[256], sig[SIG_MAX];
	size_t inlen = 0;
	CK_ULONG siglen = sizeof sig;
	bool initialized = false, logged_in = false;
	json_object *m;
	CK_RV rv;

	/* a crash must not leave the PIN in a core file */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0);
	if (a->quiet)
		nd_p11_child_quiet();
	if (!nd_p11_child_load(ch, a->path, &f) || !(initialized = nd_p11_child_init(ch, f)))
		goto out;
	if (!f->C_OpenSession || !f->C_Login || !f->C_FindObjectsInit || !f->C_FindObjects ||
	    !f->C_FindObjectsFinal || !f->C_GetAttributeValue || !f->C_SignInit || !f->C_Sign) {
		send_fail(ch, "missing_function", NULL, 0);
		goto out;
	}
	if (!find_token(ch, f, a, &slot, &ti)) {
		send_fail(ch, "token_gone", NULL, 0);
		goto out;
	}
	send_flags(ch, "flags_before", ti.flags);
	/* the token's word now, not the collector's of a moment ago */
	if (ti.flags & CKF_USER_PIN_LOCKED) {
		send_fail(ch, "locked", NULL, 0);
		goto out;
	}
	if ((ti.flags & CKF_USER_PIN_FINAL_TRY) && !a->force) {
		send_fail(ch, "final_try", NULL, 0);
		goto out;
	}
	nd_chan_step(ch, "C_OpenSession(slot %lu)", slot);
	rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &h);
	if (rv != CKR_OK) {
		send_fail(ch, "session", "C_OpenSession", rv);
		goto out;
	}
	if (!find_one(ch, f, h, CKO_CERTIFICATE, a, &cert)) {
		send_fail(ch, "no_certificate", NULL, 0);
		goto out;
	}
	send_cert(ch, f, h, cert);

	/* The one login of this run. */
	nd_chan_step(ch, "C_Login");
	rv = f->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR)a->pin, a->pin ? a->pin_len : 0);
	send_rv(ch, "login", rv);
	if (token_info(ch, f, slot, &ti))
		send_flags(ch, "flags_after", ti.flags);
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
		goto out;
	logged_in = rv == CKR_OK;

	if (!find_one(ch, f, h, CKO_PRIVATE_KEY, a, &key)) {
		send_fail(ch, "no_key", NULL, 0);
		goto out;
	}
	nd_chan_step(ch, "C_GetAttributeValue(private key)");
	if (f->C_GetAttributeValue(h, key, &kta, 1) != CKR_OK)
		kt = CKK_RSA;
	if (f->C_GetAttributeValue(h, key, &aa, 1) != CKR_OK)
		always = CK_FALSE;
	m = nd_p11_msg_new("key");
	json_object_object_add(m, "key_type", json_object_new_int64((int64_t)kt));
	json_object_object_add(m, "always_authenticate", json_object_new_boolean(always != CK_FALSE));
	nd_p11_msg_send(ch, m);

	mech.mechanism = choose_mech(ch, f, slot, kt);
	if (mech.mechanism == CK_UNAVAILABLE_INFORMATION) {
		send_fail(ch, "no_mechanism", NULL, 0);
		goto out;
	}
	if (mech.mechanism == CKM_RSA_PKCS_PSS || mech.mechanism == CKM_SHA256_RSA_PKCS_PSS) {
		mech.pParameter = &pss;
		mech.ulParameterLen = sizeof pss;
	}
	if (!sign_input(mech.mechanism, a->msg, sizeof a->msg, in, &inlen)) {
		send_fail(ch, "sign_failed", NULL, 0);
		goto out;
	}
	nd_chan_step(ch, "C_SignInit(%s)", nd_p11_mech_name(mech.mechanism));
	rv = f->C_SignInit(h, &mech, key);
	if (rv != CKR_OK) {
		send_fail(ch, "sign_failed", "C_SignInit", rv);
		goto out;
	}
	if (always) {
		/* a qualified-signature key wants the PIN again for this one
		 * operation: part of the same signature, not a second try */
		nd_chan_step(ch, "C_Login(CKU_CONTEXT_SPECIFIC)");
		rv = f->C_Login(h, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)a->pin, a->pin ? a->pin_len : 0);
		send_rv(ch, "context_login", rv);
		if (rv != CKR_OK) {
			if (token_info(ch, f, slot, &ti))
				send_flags(ch, "flags_after", ti.flags);
			goto out;
		}
	}
	wipe_pin(a);
	nd_chan_step(ch, "C_Sign(%s)", nd_p11_mech_name(mech.mechanism));
	rv = f->C_Sign(h, in, inlen, sig, &siglen);
	if (rv != CKR_OK || siglen == 0 || siglen > sizeof sig) {
		send_fail(ch, "sign_failed", "C_Sign", rv == CKR_OK ? CKR_GENERAL_ERROR : rv);
		goto out;
	}
	m = nd_p11_msg_new("signature");
	json_object_object_add(m, "mechanism", json_object_new_int64((int64_t)mech.mechanism));
	{
		char *hex = nd_hex(sig, siglen);
		json_object_object_add(m, "sig", json_object_new_string(hex));
		free(hex);
	}
	nd_p11_msg_send(ch, m);
out:
	wipe_pin(a);
	if (logged_in && f->C_Logout) {
		nd_chan_step(ch, "C_Logout");
		send_rv(ch, "logout", f->C_Logout(h));
	}
	if (h != CK_INVALID_HANDLE && f->C_CloseSession) {
		nd_chan_step(ch, "C_CloseSession");
		f->C_CloseSession(h);
	}
	if (initialized && f->C_Finalize) {
		nd_chan_step(ch, "C_Finalize");
		send_rv(ch, "finalize", f->C_Finalize(NULL_PTR));
	}
}

/* --- the parent -------------------------------------------------------- */

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

static bool
on_sign_msg(json_object *m, void *ctx)
{
	struct sign_state *s = ctx;
	const char *t = nd_jstr(m, "t"), *str;
	unsigned long v;

	if (!t) {
		s->bad++;
	} else if (strcmp(t, "load") == 0) {
		if (!nd_jbool(m, "ok", false))
			s->load_failed = true;
	} else if (strcmp(t, "init") == 0) {
		if (!nd_p11_msg_ul(m, "rv", &v) || (v != CKR_OK && v != CKR_CRYPTOKI_ALREADY_INITIALIZED))
			s->init_failed = true;
	} else if (strcmp(t, "flags_before") == 0 || strcmp(t, "flags_after") == 0) {
		if (nd_p11_msg_ul(m, "flags", &v))
			json_object_object_add(s->st, t, nd_p11_flags_json(v));
	} else if (strcmp(t, "cert") == 0) {
		if ((str = nd_jstr(m, "der")) && strlen(str) <= 4 * (ND_P11_MAX_ATTR / 3) + 4 && !s->der_b64)
			s->der_b64 = nd_xstrdup(str);
	} else if (strcmp(t, "login") == 0) {
		if (nd_p11_msg_ul(m, "rv", &v) && !s->have_login) {
			s->login_rv = v;
			s->have_login = true;
		}
	} else if (strcmp(t, "context_login") == 0) {
		if (nd_p11_msg_ul(m, "rv", &v)) {
			s->ctx_rv = v;
			s->have_ctx = true;
		}
	} else if (strcmp(t, "key") == 0) {
		json_object_object_add(s->st, "always_authenticate",
		    json_object_new_boolean(nd_jbool(m, "always_authenticate", false)));
		if (nd_p11_msg_ul(m, "key_type", &v))
			nd_jset_str(s->st, "key_type", v == CKK_RSA ? "RSA" : v == CKK_EC ? "EC" : "other");
	} else if (strcmp(t, "signature") == 0) {
		str = nd_jstr(m, "sig");
		if (nd_p11_msg_ul(m, "mechanism", &v) && nd_p11_mech_name(v) && str && strlen(str) <= 2 * SIG_MAX &&
		    !s->have_sig) {
			s->mech = v;
			s->sig_hex = nd_xstrdup(str);
			s->have_sig = true;
		}
	} else if (strcmp(t, "fail") == 0) {
		str = nd_jstr(m, "reason");
		if (str && !s->fail_reason && strlen(str) < 32) {
			s->fail_reason = nd_p11_clean(str, strlen(str), 32, NULL);
			if (nd_p11_msg_ul(m, "rv", &v))
				json_object_object_add(s->st, "rv", json_object_new_string(nd_ckr_name(v)));
			if ((str = nd_jstr(m, "call")) && strlen(str) < 40)
				json_object_object_add(s->st, "failed_call", json_object_new_string(str));
		}
	} else if (strcmp(t, "logout") == 0 || strcmp(t, "finalize") == 0) {
		if (nd_p11_msg_ul(m, "rv", &v))
			json_object_object_add(s->st, t, json_object_new_string(nd_ckr_name(v)));
	} else
		s->bad++;
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

/* Finish inventory.sign_test from what the child said and how it ended. */
static void
conclude(struct sign_state *s, const struct nd_child_result *res, const struct sign_arg *a,
         const char *collected_der)
{
	json_object *st = s->st;
	uint8_t *der = NULL, *sig = NULL;
	size_t derlen = 0;
	long siglen;

	json_object_object_add(st, "elapsed_ms", json_object_new_int64(res->elapsed_ms));
	if (s->have_login)
		json_object_object_add(st, "login", json_object_new_string(nd_ckr_name(s->login_rv)));
	if (s->have_ctx)
		json_object_object_add(st, "context_login", json_object_new_string(nd_ckr_name(s->ctx_rv)));
	if (s->have_sig)
		json_object_object_add(st, "mechanism", json_object_new_string(nd_p11_mech_name(s->mech)));

	if (res->end == ND_CHILD_TIMEOUT || res->end == ND_CHILD_SIGNALED ||
	    res->end == ND_CHILD_BADMSG || res->end == ND_CHILD_STOPPED || res->end == ND_CHILD_FAILED) {
		/* a hang after a good signature (C_Logout, C_Finalize) does
		 * not undo the signature: judge it, and say what hung */
		json_object_object_add(st, "failed_call", json_object_new_string(res->step));
		if (res->end == ND_CHILD_SIGNALED)
			json_object_object_add(st, "signal", json_object_new_string(signal_name(res->code)));
		if (!s->have_sig) {
			result(st, "failed", res->end == ND_CHILD_TIMEOUT ? "timeout"
			    : res->end == ND_CHILD_SIGNALED ? "crashed" : "module_error");
			return;
		}
	}
	if (s->load_failed) {
		result(st, "failed", "load_failed");
		return;
	}
	if (s->init_failed) {
		result(st, "failed", "init_failed");
		return;
	}
	if (s->fail_reason && !s->have_sig) {
		bool refused = strcmp(s->fail_reason, "locked") == 0 || strcmp(s->fail_reason, "final_try") == 0;
		result(st, refused ? "refused" : "failed", s->fail_reason);
		return;
	}
	if (s->have_login && s->login_rv != CKR_OK && s->login_rv != CKR_USER_ALREADY_LOGGED_IN) {
		result(st, "failed", login_reason(s->login_rv));
		return;
	}
	if (s->have_ctx && s->ctx_rv != CKR_OK) {
		result(st, "failed", s->ctx_rv == CKR_PIN_INCORRECT || s->ctx_rv == CKR_PIN_LOCKED
		    ? login_reason(s->ctx_rv) : "context_login_failed");
		return;
	}
	if (!s->have_sig) {
		result(st, "failed", "sign_failed");
		return;
	}
	der = nd_unbase64(s->der_b64 ? s->der_b64 : collected_der, ND_P11_MAX_ATTR, &derlen);
	if (s->der_b64 && collected_der && strcmp(s->der_b64, collected_der) != 0)
		json_object_object_add(st, "certificate_changed", json_object_new_boolean(1));
	sig = nd_xcalloc(SIG_MAX, 1);
	siglen = nd_unhex(s->sig_hex, sig, SIG_MAX);
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

nd_err
nd_p11_sign_test(struct nd_report *rep, const struct nd_p11_pin_source *pinsrc)
{
	const struct nd_opts *o = rep->opts;
	int timeout_s = o && o->timeout_s > 0 ? o->timeout_s : 10;
	struct nd_child_limits lim = { timeout_s * 1000, 6 * timeout_s * 1000 };
	json_object *st = json_object_new_object(), *certs, *cert, *tok, *d;
	struct sign_state s;
	struct sign_arg *a = NULL;
	struct nd_child_result res;
	char *pin = NULL;
	const char *source = NULL, *id, *collected_der = NULL;
	long idx, len;
	nd_err rv = ND_OK;

	memset(&s, 0, sizeof s);
	s.st = st;
	json_object_object_add(rep->inventory, "sign_test", st);
	json_object_object_add(st, "forced", json_object_new_boolean(o && o->force));
	idx = nd_p11_pick_signing_cert(rep);
	certs = nd_jarr(rep->inventory, "certificates");
	cert = idx >= 0 ? json_object_array_get_idx(certs, (size_t)idx) : NULL;
	tok = cert ? nd_p11_cert_token(rep->inventory, cert) : first_token(rep->inventory);
	if (!tok) {
		result(st, "not_run", "no_token");
		goto out;
	}
	nd_jset_str(st, "module", nd_jstr(tok, "module"));
	json_object_object_add(st, "slot", json_object_get(json_object_object_get(tok, "slot")));
	nd_jset_str(st, "token", nd_jstr(tok, "label"));
	nd_jset_str(st, "reader", nd_jstr(tok, "reader"));
	/* the PIN state first: a locked token is refused whatever else */
	if (flag(tok, "user_pin_locked")) {
		result(st, "refused", "locked");
		goto out;
	}
	if (flag(tok, "user_pin_final_try") && !(o && o->force)) {
		result(st, "refused", "final_try");
		goto out;
	}
	if (!cert) {
		result(st, "not_run", "no_certificate");
		goto out;
	}
	d = json_object_array_get_idx(nd_jarr(rep->internal, "certificates"), (size_t)idx);
	collected_der = nd_jstr(d, "der");
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
		goto out;
	}
	a->id_len = (size_t)len;
	if (RAND_bytes(a->msg, sizeof a->msg) != 1) {
		result(st, "not_run", "no_random");
		rv = ND_ERR_CRYPTO;
		goto out;
	}

	if (flag(tok, "protected_authentication_path")) {
		/* the reader's PIN pad asks; the person may take a while */
		source = "pinpad";
		if (lim.step_ms < 60000)
			lim.step_ms = 60000;
		if (lim.total_ms < lim.step_ms + 6 * timeout_s * 1000)
			lim.total_ms = lim.step_ms + 6 * timeout_s * 1000;
	} else {
		json_object *pl = nd_jobj(tok, "pin");
		int64_t minl = nd_jint(pl, "min_len", 0), maxl = nd_jint(pl, "max_len", 0);

		pin = nd_xcalloc(ND_P11_PIN_MAX, 1);
		mlock(pin, ND_P11_PIN_MAX);   /* best effort: keep it out of swap */
		len = pinsrc && pinsrc->read ? pinsrc->read(pinsrc->ctx, pin, ND_P11_PIN_MAX,
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
			goto out;
		}
		/* a PIN the token cannot accept would cost a try for nothing */
		if ((minl > 0 && len < minl) || (maxl > 0 && maxl < 256 && len > maxl)) {
			result(st, "not_run", "pin_length");
			goto out;
		}
		a->pin = pin;
		a->pin_len = (size_t)len;
	}
	nd_jset_str(st, "pin_source", source);
	if (nd_child_run(sign_child, a, &lim, on_sign_msg, &s, &res) != ND_OK)
		res.end = ND_CHILD_FAILED;
	nd_freezero(pin, ND_P11_PIN_MAX);
	pin = NULL;
	conclude(&s, &res, a, collected_der);
out:
	nd_freezero(pin, ND_P11_PIN_MAX);
	if (a)
		explicit_bzero(a, sizeof *a);
	free(a);
	free(s.der_b64);
	free(s.sig_hex);
	free(s.fail_reason);
	return rv;
}
