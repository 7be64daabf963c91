/* SPDX-License-Identifier: BSD-2-Clause */
/* The child side of sign-test: everything that touches module code runs
 * here (nd_child_run). It finds the token again, refuses a locked token or
 * a final try, logs in exactly once, signs the parent's message and sends
 * the signature back; the parent (sign_parent.c) judges it. Each step
 * below is one phase of the session, in the order the PIN counter needs.
 * The PIN is wiped as soon as the token has it, and on every path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "core/util.h"
#include "p11/p11.h"
#include "p11/p11_int.h"

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
same_token(const CK_TOKEN_INFO *ti, const struct nd_p11_sign_arg *a)
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
find_token(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f, const struct nd_p11_sign_arg *a, CK_SLOT_ID *slot,
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
         struct nd_p11_sign_arg *a, CK_OBJECT_HANDLE *o)
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
wipe_pin(struct nd_p11_sign_arg *a)
{
	if (a->pin)
		explicit_bzero(a->pin, ND_P11_PIN_MAX);
	a->pin_len = 0;
}

/* One signing session and what it has opened, for the closing step. */
struct signer {
	struct nd_chan *ch;
	struct nd_p11_sign_arg *a;
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE h;
	CK_SLOT_ID slot;
	CK_OBJECT_HANDLE key;
	CK_KEY_TYPE kt;
	CK_BBOOL always;      /* CKA_ALWAYS_AUTHENTICATE: the PIN again for C_Sign */
	bool initialized, logged_in;
};

/* Find the token, refuse it when its PIN state says so (its word now, not
 * the collector's of a moment ago), open a session and send the
 * certificate as read in it. */
static bool
open_token(struct signer *s)
{
	CK_FUNCTION_LIST_PTR f = s->f;
	CK_OBJECT_HANDLE cert;
	CK_TOKEN_INFO ti;
	CK_RV rv;

	if (!f->C_OpenSession || !f->C_Login || !f->C_FindObjectsInit || !f->C_FindObjects ||
	    !f->C_FindObjectsFinal || !f->C_GetAttributeValue || !f->C_SignInit || !f->C_Sign) {
		send_fail(s->ch, "missing_function", NULL, 0);
		return false;
	}
	if (!find_token(s->ch, f, s->a, &s->slot, &ti)) {
		send_fail(s->ch, "token_gone", NULL, 0);
		return false;
	}
	send_flags(s->ch, "flags_before", ti.flags);
	if (ti.flags & CKF_USER_PIN_LOCKED) {
		send_fail(s->ch, "locked", NULL, 0);
		return false;
	}
	if ((ti.flags & CKF_USER_PIN_FINAL_TRY) && !s->a->force) {
		send_fail(s->ch, "final_try", NULL, 0);
		return false;
	}
	nd_chan_step(s->ch, "C_OpenSession(slot %lu)", s->slot);
	rv = f->C_OpenSession(s->slot, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s->h);
	if (rv != CKR_OK) {
		send_fail(s->ch, "session", "C_OpenSession", rv);
		return false;
	}
	if (!find_one(s->ch, f, s->h, CKO_CERTIFICATE, s->a, &cert)) {
		send_fail(s->ch, "no_certificate", NULL, 0);
		return false;
	}
	send_cert(s->ch, f, s->h, cert);
	return true;
}

/* The one login of this run, with the token's flags after it. */
static bool
login(struct signer *s)
{
	CK_TOKEN_INFO ti;
	CK_RV rv;

	nd_chan_step(s->ch, "C_Login");
	rv = s->f->C_Login(s->h, CKU_USER, (CK_UTF8CHAR_PTR)s->a->pin, s->a->pin ? s->a->pin_len : 0);
	send_rv(s->ch, "login", rv);
	if (token_info(s->ch, s->f, s->slot, &ti))
		send_flags(s->ch, "flags_after", ti.flags);
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
		return false;
	s->logged_in = rv == CKR_OK;
	return true;
}

/* The private key beside the certificate: its type and whether it wants
 * the PIN again for each signature. */
static bool
find_key(struct signer *s)
{
	CK_ATTRIBUTE kta = { CKA_KEY_TYPE, &s->kt, sizeof s->kt };
	CK_ATTRIBUTE aa = { CKA_ALWAYS_AUTHENTICATE, &s->always, sizeof s->always };
	json_object *m;

	if (!find_one(s->ch, s->f, s->h, CKO_PRIVATE_KEY, s->a, &s->key)) {
		send_fail(s->ch, "no_key", NULL, 0);
		return false;
	}
	nd_chan_step(s->ch, "C_GetAttributeValue(private key)");
	if (s->f->C_GetAttributeValue(s->h, s->key, &kta, 1) != CKR_OK)
		s->kt = CKK_RSA;
	if (s->f->C_GetAttributeValue(s->h, s->key, &aa, 1) != CKR_OK)
		s->always = CK_FALSE;
	m = nd_p11_msg_new("key");
	json_object_object_add(m, "key_type", json_object_new_int64((int64_t)s->kt));
	json_object_object_add(m, "always_authenticate", json_object_new_boolean(s->always != CK_FALSE));
	nd_p11_msg_send(s->ch, m);
	return true;
}

/* A qualified-signature key wants the PIN again for this one operation:
 * part of the same signature, not a second try. */
static bool
context_login(struct signer *s)
{
	CK_TOKEN_INFO ti;
	CK_RV rv;

	nd_chan_step(s->ch, "C_Login(CKU_CONTEXT_SPECIFIC)");
	rv = s->f->C_Login(s->h, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)s->a->pin,
	    s->a->pin ? s->a->pin_len : 0);
	send_rv(s->ch, "context_login", rv);
	if (rv != CKR_OK) {
		if (token_info(s->ch, s->f, s->slot, &ti))
			send_flags(s->ch, "flags_after", ti.flags);
		return false;
	}
	return true;
}

/* Sign the parent's message with the best mechanism the token offers and
 * send the signature. */
static bool
sign(struct signer *s)
{
	CK_RSA_PKCS_PSS_PARAMS pss = { CKM_SHA256, CKG_MGF1_SHA256, 32 };
	CK_MECHANISM mech = { 0, NULL_PTR, 0 };
	uint8_t in[256], sig[ND_P11_SIG_MAX];
	size_t inlen = 0;
	CK_ULONG siglen = sizeof sig;
	json_object *m;
	char *hex;
	CK_RV rv;

	mech.mechanism = choose_mech(s->ch, s->f, s->slot, s->kt);
	if (mech.mechanism == CK_UNAVAILABLE_INFORMATION) {
		send_fail(s->ch, "no_mechanism", NULL, 0);
		return false;
	}
	if (mech.mechanism == CKM_RSA_PKCS_PSS || mech.mechanism == CKM_SHA256_RSA_PKCS_PSS) {
		mech.pParameter = &pss;
		mech.ulParameterLen = sizeof pss;
	}
	if (!sign_input(mech.mechanism, s->a->msg, sizeof s->a->msg, in, &inlen)) {
		send_fail(s->ch, "sign_failed", NULL, 0);
		return false;
	}
	nd_chan_step(s->ch, "C_SignInit(%s)", nd_p11_mech_name(mech.mechanism));
	rv = s->f->C_SignInit(s->h, &mech, s->key);
	if (rv != CKR_OK) {
		send_fail(s->ch, "sign_failed", "C_SignInit", rv);
		return false;
	}
	if (s->always && !context_login(s))
		return false;
	wipe_pin(s->a);
	nd_chan_step(s->ch, "C_Sign(%s)", nd_p11_mech_name(mech.mechanism));
	rv = s->f->C_Sign(s->h, in, inlen, sig, &siglen);
	if (rv != CKR_OK || siglen == 0 || siglen > sizeof sig) {
		send_fail(s->ch, "sign_failed", "C_Sign", rv == CKR_OK ? CKR_GENERAL_ERROR : rv);
		return false;
	}
	m = nd_p11_msg_new("signature");
	json_object_object_add(m, "mechanism", json_object_new_int64((int64_t)mech.mechanism));
	hex = nd_hex(sig, siglen);
	json_object_object_add(m, "sig", json_object_new_string(hex));
	free(hex);
	nd_p11_msg_send(s->ch, m);
	return true;
}

/* Close what was opened, in reverse: log out, close the session, finalize. */
static void
close_all(struct signer *s)
{
	CK_FUNCTION_LIST_PTR f = s->f;   /* NULL when loading failed: nothing is open then */

	wipe_pin(s->a);
	if (s->logged_in && f->C_Logout) {
		nd_chan_step(s->ch, "C_Logout");
		send_rv(s->ch, "logout", f->C_Logout(s->h));
	}
	if (s->h != CK_INVALID_HANDLE && f->C_CloseSession) {
		nd_chan_step(s->ch, "C_CloseSession");
		f->C_CloseSession(s->h);
	}
	if (s->initialized && f->C_Finalize) {
		nd_chan_step(s->ch, "C_Finalize");
		send_rv(s->ch, "finalize", f->C_Finalize(NULL_PTR));
	}
}

void
nd_p11_sign_child(struct nd_chan *ch, void *arg)
{
	struct signer s = { .ch = ch, .a = arg, .h = CK_INVALID_HANDLE, .kt = CKK_RSA, .always = CK_FALSE };
	struct rlimit nocore = { 0, 0 };

	/* a crash must not leave the PIN in a core file */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0);
	if (s.a->quiet)
		nd_p11_child_quiet();
	if (nd_p11_child_load(ch, s.a->path, &s.f) && (s.initialized = nd_p11_child_init(ch, s.f)) &&
	    open_token(&s) && login(&s) && find_key(&s))
		(void)sign(&s);
	close_all(&s);   /* wipes the PIN; closes only what was opened */
}
