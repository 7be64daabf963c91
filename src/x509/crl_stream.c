/* SPDX-License-Identifier: BSD-2-Clause */
/* A CRL checked as it streams (from the network or the cache): the
 * signature over the tbsCertList is computed as its bytes pass, the
 * certificate's serial is looked for entry by entry, and everything else
 * the CRL says (issuer, times, scope per RFC 5280 6.3.3) is decided at the
 * end, since the CRL's own extensions follow the entries. Memory does not
 * grow with the number of entries: the DER is walked with a bounded header
 * reader, and only one element at a time (a name, an extension block, an
 * entry; at most ELEM_MAX bytes) is held, decoded with OpenSSL when it
 * matters. An entry is decoded whole only when it is the certificate's;
 * the others are only looked at for what makes a CRL unusable (critical
 * unknown extensions, certificateIssuer, removeFromCRL).
 *
 * PEM is read through OpenSSL's streaming base64 decoder (EVP_DecodeUpdate),
 * one line at a time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/util.h"
#include "x509/x509_int.h"

/* One element held at a time: a name, the CRL extensions, an entry. Real
 * ones are a few hundred bytes. */
#define ELEM_MAX (64u * 1024)
/* A PEM line (64 characters by the standard). */
#define PEM_LINE_MAX 1024

enum st {
	S_OUTER,      /* CertificateList header */
	S_TBS,        /* tbsCertList header */
	S_VERSION,    /* version, or the signature algorithm */
	S_ISSUER,
	S_THIS,
	S_NEXT,       /* nextUpdate, entries, extensions, or the end of tbs */
	S_ENTRIES,    /* revoked entries, one by one */
	S_EXTS,       /* crlExtensions or the end of tbs */
	S_TBS_END,    /* only the end of tbs */
	S_SIGALG,
	S_SIGVAL,
	S_END,        /* nothing more may come */
};

enum pem { PEM_NO, PEM_BEFORE, PEM_BODY, PEM_AFTER };

struct nd_crl_stream {
	/* what is asked */
	X509 *leaf, *issuer;
	char *url;
	time_t now;
	bool check_sig;
	unsigned char *serial;   /* the leaf's serial, INTEGER content octets */
	size_t serial_len;

	/* where we are */
	enum st st;
	uint64_t off, fed;
	uint64_t outer_end, tbs_start, tbs_end, rev_end;
	uint8_t *acc;            /* a unit that straddles two chunks */
	size_t acc_len, need;

	/* PEM */
	enum pem pem;
	bool first;
	EVP_ENCODE_CTX *b64;
	char line[PEM_LINE_MAX + 1];
	size_t line_len;
	bool line_long;

	/* the signature */
	EVP_MD_CTX *md;
	uint8_t *prefix;         /* tbs bytes before the algorithm is known */
	size_t prefix_len;
	bool md_ready;
	X509_ALGOR *alg, *outer_alg;
	unsigned char *sig;
	size_t sig_len;
	char sig_why[128];       /* why the signature cannot be checked */

	/* what it says */
	X509_NAME *crl_issuer;
	bool issuer_ok, leaf_issuer_ok;
	ASN1_TIME *this_upd, *next_upd;
	STACK_OF(X509_EXTENSION) *exts;
	bool found, removes;
	char date[32];
	int reason;
	const char *ent_error;   /* the first entry that makes the CRL unusable */
	char ent_err[256];
	uint64_t entries;

	/* a fatal error: nothing more is read */
	bool stop;
	nd_err code;
	const char *error;
	char err[256];
	char number[80];         /* crlNumber, hex, "" when none */
};

static void
sfail(struct nd_crl_stream *s, nd_err code, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
sfail(struct nd_crl_stream *s, nd_err code, const char *error, const char *fmt, ...)
{
	va_list ap;

	if (s->stop)
		return;
	s->stop = true;
	s->code = code;
	s->error = error;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
}

static void
not_crl(struct nd_crl_stream *s)
{
	sfail(s, ND_ERR_PARSE, NULL, "%s", _("the answer is not a CRL"));
}

static void
too_large(struct nd_crl_stream *s)
{
	sfail(s, ND_ERR_PROTOCOL, "crl_too_large", _("the CRL is larger than nesdoctor reads (%u MiB at most)"),
	    ND_X509_MAX_CRL / (1024 * 1024));
}

/* ---- the signature, as the bytes pass ----------------------------------- */

static void
hash(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	if (!s->check_sig || s->sig_why[0])
		return;
	if (s->md_ready) {
		if (EVP_DigestVerifyUpdate(s->md, p, n) != 1)
			snprintf(s->sig_why, sizeof s->sig_why, "%s", "digest");
		return;
	}
	/* before the algorithm: the tbs header, version and algorithm, all
	 * bounded by ELEM_MAX each */
	if (s->prefix_len + n > 3 * (ELEM_MAX + 16)) {
		not_crl(s);
		return;
	}
	memcpy(s->prefix + s->prefix_len, p, n);
	s->prefix_len += n;
}

/* RSA-PSS: the digest, MGF1 digest and salt length from the parameters. */
static bool
pss_setup(EVP_PKEY_CTX *pctx, const X509_ALGOR *alg, const EVP_MD **md)
{
	const ASN1_OBJECT *obj;
	const void *pval;
	int ptype;
	const ASN1_STRING *ps;
	const unsigned char *p;
	RSA_PSS_PARAMS *pss = NULL;
	X509_ALGOR *mgf_md = NULL;
	const EVP_MD *mgf1;
	long salt = 20;
	bool ok = false;

	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE || !(ps = pval))
		goto fail;
	p = ASN1_STRING_get0_data(ps);
	if (!(pss = d2i_RSA_PSS_PARAMS(NULL, &p, ASN1_STRING_length(ps))))
		goto fail;
	*md = pss->hashAlgorithm ? EVP_get_digestbyobj(pss->hashAlgorithm->algorithm) : EVP_sha1();
	if (pss->maskGenAlgorithm) {
		const ASN1_STRING *mp;
		if (OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) != NID_mgf1 ||
		    pss->maskGenAlgorithm->parameter == NULL ||
		    pss->maskGenAlgorithm->parameter->type != V_ASN1_SEQUENCE)
			goto fail;
		mp = pss->maskGenAlgorithm->parameter->value.sequence;
		p = ASN1_STRING_get0_data(mp);
		if (!(mgf_md = d2i_X509_ALGOR(NULL, &p, ASN1_STRING_length(mp))))
			goto fail;
		mgf1 = EVP_get_digestbyobj(mgf_md->algorithm);
	} else
		mgf1 = EVP_sha1();
	if (pss->saltLength)
		salt = ASN1_INTEGER_get(pss->saltLength);
	if (pss->trailerField && ASN1_INTEGER_get(pss->trailerField) != 1)
		goto fail;
	if (!*md || !mgf1 || salt < 0 || salt > 1024)
		goto fail;
	ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, (int)salt) > 0 &&
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, mgf1) > 0;
fail:
	X509_ALGOR_free(mgf_md);
	RSA_PSS_PARAMS_free(pss);
	return ok;
}

/* The tbs's signature field is known: start the digest and hash what
 * came before it. */
static void
sig_start(struct nd_crl_stream *s)
{
	EVP_PKEY *pk = s->issuer ? X509_get0_pubkey(s->issuer) : NULL;
	EVP_PKEY_CTX *pctx = NULL;
	const EVP_MD *md = NULL;
	int nid = OBJ_obj2nid(s->alg->algorithm), md_nid = NID_undef, pk_nid = NID_undef;
	char name[80];

	if (!s->check_sig)
		return;
	if (!pk) {
		snprintf(s->sig_why, sizeof s->sig_why, "%s", "no issuer key");
		return;
	}
	if (!OBJ_find_sigid_algs(nid, &md_nid, &pk_nid)) {
		if (OBJ_obj2txt(name, sizeof name, s->alg->algorithm, 0) <= 0)
			snprintf(name, sizeof name, "?");
		snprintf(s->sig_why, sizeof s->sig_why, "unknown algorithm %s", name);
		return;
	}
	s->md = EVP_MD_CTX_new();
	if (pk_nid == EVP_PKEY_RSA_PSS || nid == NID_rsassaPss) {
		if (!s->md || EVP_DigestVerifyInit(s->md, &pctx, NULL, NULL, pk) != 1 ||
		    EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA || !pss_setup(pctx, s->alg, &md)) {
			snprintf(s->sig_why, sizeof s->sig_why, "%s", "RSA-PSS parameters");
			return;
		}
		/* the digest goes with the init: again, now that it is known */
		EVP_MD_CTX_reset(s->md);
		pctx = NULL;
		if (EVP_DigestVerifyInit(s->md, &pctx, md, NULL, pk) != 1 || !pss_setup(pctx, s->alg, &md)) {
			snprintf(s->sig_why, sizeof s->sig_why, "%s", "RSA-PSS parameters");
			return;
		}
	} else {
		/* Ed25519 and the like sign the whole message, not a digest:
		 * they cannot be checked as the bytes pass */
		md = md_nid != NID_undef ? EVP_get_digestbynid(md_nid) : NULL;
		if (!md) {
			snprintf(s->sig_why, sizeof s->sig_why, "%s", OBJ_nid2sn(nid));
			return;
		}
		/* the key must be of the algorithm's kind (an RSA signature with
		 * an EC key is no signature) */
		if (EVP_PKEY_get_base_id(pk) != pk_nid && !(pk_nid == NID_rsaEncryption &&
		    EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA)) {
			snprintf(s->sig_why, sizeof s->sig_why, "%s", "wrong public key type");
			return;
		}
		if (!s->md || EVP_DigestVerifyInit(s->md, NULL, md, NULL, pk) != 1) {
			snprintf(s->sig_why, sizeof s->sig_why, "%s", "init");
			return;
		}
	}
	s->md_ready = true;
	hash(s, s->prefix, s->prefix_len);
	s->prefix_len = 0;
}

/* ---- one revoked entry ----------------------------------------------------- */

static bool
oid_is(const uint8_t *p, size_t n, uint8_t last)
{
	/* 2.5.29.x: 55 1D x */
	return n == 3 && p[0] == 0x55 && p[1] == 0x1d && p[2] == last;
}

/* A DER header: 1 read, 0 more bytes needed, -1 not DER we read (a high
 * tag number, an indefinite or absurd length). */
static int
der_hdr(const uint8_t *p, size_t n, uint8_t *tag, uint64_t *len, size_t *hl)
{
	size_t k;
	uint64_t v = 0;

	/* bytes read straight, each index checked against n first: this runs
	 * for every element of a CRL, several million times for a large one */
	if (n < 2)
		return 0;
	*tag = p[0];
	if ((p[0] & 0x1f) == 0x1f)
		return -1;
	if (p[1] < 0x80) {
		*len = p[1];
		*hl = 2;
		return 1;
	}
	k = p[1] & 0x7f;
	if (k == 0 || k > 5)   /* indefinite (BER) or over a terabyte */
		return -1;
	if (n < 2 + k)
		return 0;
	for (size_t i = 0; i < k; i++)
		v = v << 8 | p[2 + i];
	*len = v;
	*hl = 2 + k;
	return 1;
}

/* A whole TLV inside a cursor: its tag and content. */
static bool
cur_tlv(struct nd_cur *c, uint8_t *tag, const uint8_t **v, size_t *vn)
{
	uint64_t len;
	size_t hl;

	if (der_hdr(c->p, c->len, tag, &len, &hl) != 1 || len > c->len - hl)
		return false;
	*vn = (size_t)len;
	return nd_cur_take(c, NULL, hl) && nd_cur_view(c, v, *vn);
}

static void
ent_unusable(struct nd_crl_stream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
ent_unusable(struct nd_crl_stream *s, const char *fmt, ...)
{
	va_list ap;

	if (s->ent_error)
		return;
	s->ent_error = "crl_unusable";
	va_start(ap, fmt);
	vsnprintf(s->ent_err, sizeof s->ent_err, fmt, ap);
	va_end(ap);
}

/* The reason in an extension value (an ENUMERATED), -1 when unreadable. */
static long
reason_of(const uint8_t *v, size_t vn)
{
	const unsigned char *p = v;
	ASN1_ENUMERATED *e;
	long r;

	if (vn == 3 && v[0] == 0x0a && v[1] == 1 && v[2] < 0x80)
		return v[2];
	e = d2i_ASN1_ENUMERATED(NULL, &p, (long)vn);
	r = e && p == v + vn ? ASN1_ENUMERATED_get(e) : -1;
	ASN1_ENUMERATED_free(e);
	return r;
}

/* An entry's extensions, looked at without decoding them. */
static bool
entry_exts(struct nd_crl_stream *s, const uint8_t *p, size_t n, bool *removed)
{
	struct nd_cur c;
	uint8_t tag;
	const uint8_t *ext;
	size_t en;

	*removed = false;
	nd_cur_init(&c, p, n);
	while (nd_cur_left(&c)) {
		struct nd_cur e;
		const uint8_t *oid, *v;
		size_t on, vn;
		bool crit = false;

		if (!cur_tlv(&c, &tag, &ext, &en) || tag != 0x30)
			return false;
		nd_cur_init(&e, ext, en);
		if (!cur_tlv(&e, &tag, &oid, &on) || tag != 0x06 || on == 0 || !cur_tlv(&e, &tag, &v, &vn))
			return false;
		if (tag == 0x01) {
			if (vn != 1)
				return false;
			crit = v[0] != 0;
			if (!cur_tlv(&e, &tag, &v, &vn))
				return false;
		}
		if (tag != 0x04 || nd_cur_left(&e))
			return false;
		if (oid_is(oid, on, 29)) {
			ent_unusable(s, "%s", _("a CRL entry names another certificate issuer (an indirect CRL), "
			    "which nesdoctor does not read"));
		} else if (oid_is(oid, on, 21)) {
			long r = reason_of(v, vn);
			if (r < 0)
				ent_unusable(s, "%s", _("a CRL entry's reason cannot be read"));
			else if (r == CRL_REASON_REMOVE_FROM_CRL)
				*removed = true;
		} else if (crit && !oid_is(oid, on, 24) && !oid_is(oid, on, 23)) {
			ASN1_OBJECT *o = NULL;
			const unsigned char *op = oid - 2;
			char name[80] = "?";
			/* the OID's own TLV starts two bytes before its content
			 * when short: decode it for its dotted name */
			if (on < 128 && (o = d2i_ASN1_OBJECT(NULL, &op, (long)on + 2)) != NULL)
				OBJ_obj2txt(name, sizeof name, o, 1);
			ASN1_OBJECT_free(o);
			ent_unusable(s, _("a CRL entry has a critical extension nesdoctor does not know (%s)"), name);
		}
	}
	return true;
}

/* INTEGER content in DER: at least one byte, no needless leading byte. */
static bool
int_minimal(const uint8_t *p, size_t n)
{
	if (n == 0)
		return false;
	if (n > 1 && ((p[0] == 0 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80))))
		return false;
	return true;
}

/* One revokedCertificates entry (the whole TLV). */
static void
entry(struct nd_crl_stream *s, const uint8_t *p, size_t n, size_t hl)
{
	struct nd_cur c;
	uint8_t tag;
	const uint8_t *ser, *t, *ex = NULL;
	size_t sn, tn, exn = 0;
	bool removed = false, match;

	s->entries++;
	nd_cur_init(&c, p + hl, n - hl);
	if (!cur_tlv(&c, &tag, &ser, &sn) || tag != 0x02 || !int_minimal(ser, sn) ||
	    !cur_tlv(&c, &tag, &t, &tn) || (tag != 0x17 && tag != 0x18)) {
		not_crl(s);
		return;
	}
	if (nd_cur_left(&c) && (!cur_tlv(&c, &tag, &ex, &exn) || tag != 0x30 || nd_cur_left(&c))) {
		not_crl(s);
		return;
	}
	if (ex && !entry_exts(s, ex, exn, &removed)) {
		not_crl(s);
		return;
	}
	if (removed)
		s->removes = true;
	match = !s->found && s->serial && sn == s->serial_len && memcmp(ser, s->serial, sn) == 0;
	if (match && s->leaf_issuer_ok && !removed) {
		/* ours: decoded whole, with OpenSSL */
		const unsigned char *q = p;
		X509_REVOKED *rv = d2i_X509_REVOKED(NULL, &q, (long)n);
		ASN1_ENUMERATED *reason;

		if (!rv || q != p + n) {
			X509_REVOKED_free(rv);
			not_crl(s);
			return;
		}
		s->found = true;
		nd_x509_time_str(X509_REVOKED_get0_revocationDate(rv), s->date, sizeof s->date);
		reason = X509_REVOKED_get_ext_d2i(rv, NID_crl_reason, NULL, NULL);
		s->reason = reason ? (int)ASN1_ENUMERATED_get(reason) : -1;
		ASN1_ENUMERATED_free(reason);
		X509_REVOKED_free(rv);
	}
}

/* ---- the walk ---------------------------------------------------------------- */

static bool
is_time(uint8_t tag)
{
	return tag == 0x17 || tag == 0x18;
}

/* Containers that end here move the state on. */
static void
settle(struct nd_crl_stream *s)
{
	if (s->st == S_ENTRIES && s->off == s->rev_end)
		s->st = S_EXTS;
	if (s->st >= S_NEXT && s->st <= S_TBS_END && s->off == s->tbs_end)
		s->st = S_SIGALG;
}

static void
parsed_name(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	const unsigned char *q = p;

	s->crl_issuer = d2i_X509_NAME(NULL, &q, (long)n);
	if (!s->crl_issuer || q != p + n) {
		not_crl(s);
		return;
	}
	s->issuer_ok = s->issuer && X509_NAME_cmp(s->crl_issuer, X509_get_subject_name(s->issuer)) == 0;
	/* an entry is the leaf's only if the leaf was issued under this name
	 * (as X509_CRL_get0_by_cert has it) */
	s->leaf_issuer_ok = s->leaf && X509_NAME_cmp(s->crl_issuer, X509_get_issuer_name(s->leaf)) == 0;
}

static ASN1_TIME *
parsed_time(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	ASN1_TIME *t = d2i_ASN1_TIME(NULL, &q, (long)n);

	if (!t || q != p + n || !ASN1_TIME_check(t)) {
		ASN1_TIME_free(t);
		not_crl(s);
		return NULL;
	}
	return t;
}

static void
parsed_exts(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	ASN1_INTEGER *num;

	s->exts = d2i_X509_EXTENSIONS(NULL, &q, (long)n);
	if (!s->exts || q != p + n) {
		not_crl(s);
		return;
	}
	num = X509V3_get_d2i(s->exts, NID_crl_number, NULL, NULL);
	if (num) {
		BIGNUM *bn = ASN1_INTEGER_to_BN(num, NULL);
		char *h = bn ? BN_bn2hex(bn) : NULL;
		snprintf(s->number, sizeof s->number, "%s", h ? h : "");
		OPENSSL_free(h);
		BN_free(bn);
	}
	ASN1_INTEGER_free(num);
}

static X509_ALGOR *
parsed_alg(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	X509_ALGOR *a = d2i_X509_ALGOR(NULL, &q, (long)n);

	if (!a || q != p + n) {
		X509_ALGOR_free(a);
		not_crl(s);
		return NULL;
	}
	return a;
}

/* The unit step() reads: the header at p, and the whole element's size. */
struct unit {
	const uint8_t *p;
	uint8_t tag;
	uint64_t len;   /* of the content */
	size_t hl;      /* of the header */
	size_t whole;   /* hl + len, once known to be at most ELEM_MAX */
};

/* What reading one whole element did. */
enum took {
	TOOK_NOTHING,   /* the step reads nothing (s->stop set, mostly) */
	TOOK_ALG,       /* the tbs's algorithm: hashed and passed already */
	TOOK_ELEM,      /* read: hash it if in the tbs, then pass it */
};

/* Where the element read now must end: the end of its container. */
static uint64_t
container_end(const struct nd_crl_stream *s)
{
	if (s->st == S_OUTER)
		return UINT64_MAX;
	if (s->st == S_TBS || s->st >= S_SIGALG)
		return s->outer_end;
	return s->st == S_ENTRIES ? s->rev_end : s->tbs_end;
}

/* An element that runs past its container is no CRL (or, the outer
 * header, a CRL larger than nesdoctor reads). */
static bool
within(struct nd_crl_stream *s, const struct unit *u)
{
	uint64_t end = container_end(s);

	if (u->hl <= end - s->off && u->len <= end - s->off - u->hl)
		return true;
	if (s->st == S_OUTER && u->len > ND_X509_MAX_CRL)
		too_large(s);
	else
		not_crl(s);
	return false;
}

static bool
is_container(const struct nd_crl_stream *s, uint8_t tag)
{
	return s->st == S_OUTER || s->st == S_TBS || (s->st == S_NEXT && tag == 0x30);
}

/* A container (the CRL, its tbs, the revoked list): only its header is
 * read, the elements inside come one by one. Returns the bytes consumed. */
static size_t
enter(struct nd_crl_stream *s, const struct unit *u, bool in_tbs)
{
	if (u->tag != 0x30) {
		not_crl(s);
		return 0;
	}
	if (s->st == S_OUTER) {
		if (u->len + u->hl > ND_X509_MAX_CRL) {
			too_large(s);
			return 0;
		}
		s->outer_end = u->hl + u->len;
		s->st = S_TBS;
	} else if (s->st == S_TBS) {
		s->tbs_start = s->off;
		s->tbs_end = s->off + u->hl + u->len;
		s->st = S_VERSION;
	} else {
		s->rev_end = s->off + u->hl + u->len;
		s->st = S_ENTRIES;
	}
	if (in_tbs)
		hash(s, u->p, u->hl);
	s->off += u->hl;
	return u->hl;
}

/* The tbs's algorithm: the digest for the signature can start, and it is
 * given the bytes before. */
static enum took
tbs_alg(struct nd_crl_stream *s, const struct unit *u)
{
	if (!(s->alg = parsed_alg(s, u->p, u->whole)))
		return TOOK_NOTHING;
	hash(s, u->p, u->whole);
	s->off += u->whole;
	sig_start(s);
	return TOOK_ALG;
}

static enum took
version(struct nd_crl_stream *s, const struct unit *u)
{
	if (u->tag == 0x02) {
		/* v2 (1); OpenSSL takes v1 written out (0) too */
		if (!(u->len == 1 && u->p[u->hl] <= 1)) {
			not_crl(s);
			return TOOK_NOTHING;
		}
		s->st = S_ISSUER;
		return TOOK_ELEM;
	}
	/* no version: this is the algorithm */
	if (u->tag != 0x30) {
		not_crl(s);
		return TOOK_NOTHING;
	}
	if (tbs_alg(s, u) == TOOK_NOTHING)
		return TOOK_NOTHING;
	s->st = S_ISSUER;
	return TOOK_ALG;
}

/* The issuer, or before it the algorithm when the version came first. */
static enum took
issuer(struct nd_crl_stream *s, const struct unit *u)
{
	if (u->tag == 0x30 && !s->alg)
		return tbs_alg(s, u);
	if (u->tag != 0x30) {
		not_crl(s);
		return TOOK_NOTHING;
	}
	parsed_name(s, u->p, u->whole);
	s->st = S_THIS;
	return TOOK_ELEM;
}

static enum took
this_update(struct nd_crl_stream *s, const struct unit *u)
{
	if (!is_time(u->tag) || !(s->this_upd = parsed_time(s, u->p, u->whole))) {
		not_crl(s);
		return TOOK_NOTHING;
	}
	s->st = S_NEXT;
	return TOOK_ELEM;
}

/* nextUpdate (optional), then the extensions. */
static enum took
next_or_exts(struct nd_crl_stream *s, const struct unit *u)
{
	if (s->st == S_NEXT && is_time(u->tag) && !s->next_upd) {
		if (!(s->next_upd = parsed_time(s, u->p, u->whole)))
			return TOOK_NOTHING;
		return TOOK_ELEM;
	}
	if (u->tag != 0xa0) {
		not_crl(s);
		return TOOK_NOTHING;
	}
	parsed_exts(s, u->p + u->hl, (size_t)u->len);
	s->st = S_TBS_END;
	return TOOK_ELEM;
}

/* The outer signatureAlgorithm, then the signature's bits. */
static enum took
signature(struct nd_crl_stream *s, const struct unit *u)
{
	if (s->st == S_SIGALG) {
		if (u->tag != 0x30) {
			not_crl(s);
			return TOOK_NOTHING;
		}
		if (!(s->outer_alg = parsed_alg(s, u->p, u->whole)))
			return TOOK_NOTHING;
		s->st = S_SIGVAL;
		return TOOK_ELEM;
	}
	if (u->tag != 0x03 || u->len < 1 || u->p[u->hl] != 0) {
		not_crl(s);
		return TOOK_NOTHING;
	}
	s->sig_len = (size_t)u->len - 1;
	s->sig = nd_xcalloc(s->sig_len + 1, 1);
	memcpy(s->sig, u->p + u->hl + 1, s->sig_len);
	s->st = S_END;
	return TOOK_ELEM;
}

/* A whole element, by the state it comes in. */
static enum took
element(struct nd_crl_stream *s, const struct unit *u)
{
	switch (s->st) {
	case S_VERSION:
		return version(s, u);
	case S_ISSUER:
		return issuer(s, u);
	case S_THIS:
		return this_update(s, u);
	case S_NEXT:
	case S_EXTS:
		return next_or_exts(s, u);
	case S_ENTRIES:
		if (u->tag != 0x30)
			break;
		entry(s, u->p, u->whole, u->hl);
		return TOOK_ELEM;
	case S_SIGALG:
	case S_SIGVAL:
		return signature(s, u);
	default:
		break;
	}
	not_crl(s);
	return TOOK_NOTHING;
}

/* One unit at p (n bytes available): a header we descend into, or a whole
 * element. Returns the bytes consumed, or 0 with s->need set (or s->stop). */
static size_t
step(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	struct unit u = { p, 0, 0, 0, 0 };
	enum took took;
	bool in_tbs;
	int rc;

	settle(s);
	if (s->st == S_END) {
		not_crl(s);   /* bytes after the CRL */
		return 0;
	}
	rc = der_hdr(p, n, &u.tag, &u.len, &u.hl);
	if (rc < 0) {
		not_crl(s);
		return 0;
	}
	if (rc == 0) {
		s->need = n + 1;
		return 0;
	}
	if (!within(s, &u))
		return 0;
	in_tbs = s->st >= S_TBS && s->st <= S_TBS_END;
	if (is_container(s, u.tag))
		return enter(s, &u, in_tbs);
	if (u.len > ELEM_MAX) {
		sfail(s, ND_ERR_UNSUPPORTED, "crl_unusable", _("an element of the CRL is larger than nesdoctor "
		    "reads (%u KiB at most)"), ELEM_MAX / 1024);
		return 0;
	}
	u.whole = u.hl + (size_t)u.len;
	if (u.whole > n) {
		s->need = u.whole;
		return 0;
	}
	took = element(s, &u);
	if (took != TOOK_ELEM)
		return took == TOOK_ALG ? u.whole : 0;
	if (s->stop)
		return 0;
	if (in_tbs)
		hash(s, p, u.whole);
	s->off += u.whole;
	return u.whole;
}

static void
der_feed(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	while (n > 0 && !s->stop) {
		size_t used;

		if (s->acc_len) {
			/* top the straddling unit up to what it needs */
			size_t k = s->need - s->acc_len;
			if (k > n)
				k = n;
			memcpy(s->acc + s->acc_len, p, k);
			s->acc_len += k;
			p += k;
			n -= k;
			if (s->acc_len < s->need)
				return;
			used = step(s, s->acc, s->acc_len);
			if (used) {
				/* a unit ends exactly where its bytes do */
				s->acc_len = 0;
			} else if (!s->stop && (s->need > ELEM_MAX + 16 || s->need <= s->acc_len)) {
				not_crl(s);   /* (a step that neither reads nor asks for more) */
			}
			continue;
		}
		used = step(s, p, n);
		if (used) {
			p += used;
			n -= used;
			continue;
		}
		if (s->stop)
			return;
		/* what is left is the start of a unit: held until it is whole */
		if (n > ELEM_MAX + 16 || s->need > ELEM_MAX + 16 || s->need <= n) {
			not_crl(s);
			return;
		}
		memcpy(s->acc, p, n);
		s->acc_len = n;
		return;
	}
}

/* ---- PEM ------------------------------------------------------------------ */

static void
pem_line(struct nd_crl_stream *s)
{
	static const char begin[] = "-----BEGIN X509 CRL-----", end[] = "-----END X509 CRL-----";
	char *l = s->line;
	size_t n = s->line_len;
	unsigned char out[PEM_LINE_MAX];
	int outl = 0;

	while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	l[n] = '\0';
	switch (s->pem) {
	case PEM_BEFORE:
		if (strcmp(l, begin) == 0)
			s->pem = PEM_BODY;
		break;
	case PEM_BODY:
		if (strcmp(l, end) == 0) {
			if (EVP_DecodeFinal(s->b64, out, &outl) < 0) {
				not_crl(s);
				break;
			}
			der_feed(s, out, (size_t)outl);
			s->pem = PEM_AFTER;
			break;
		}
		if (s->line_long || strchr(l, ':') || EVP_DecodeUpdate(s->b64, out, &outl,
		    (const unsigned char *)l, (int)n) < 0) {
			/* encrypted or headered PEM, or not base64 */
			not_crl(s);
			break;
		}
		der_feed(s, out, (size_t)outl);
		break;
	default:
		break;
	}
}

static void
pem_feed(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && !s->stop && s->pem != PEM_AFTER; i++) {
		if (p[i] == '\n') {
			pem_line(s);
			s->line_len = 0;
			s->line_long = false;
			continue;
		}
		if (s->line_len < PEM_LINE_MAX)
			s->line[s->line_len++] = (char)p[i];
		else
			s->line_long = true;
	}
}

/* ---- the interface ------------------------------------------------------ */

struct nd_crl_stream *
nd_crl_stream_new(X509 *leaf, X509 *issuer, const char *url, time_t now, bool check_signature)
{
	struct nd_crl_stream *s = nd_xcalloc(1, sizeof *s);
	const ASN1_INTEGER *sn = leaf ? X509_get0_serialNumber(leaf) : NULL;
	unsigned char *der = NULL;
	int dl = sn ? i2d_ASN1_INTEGER(sn, &der) : 0;

	s->leaf = leaf;
	s->issuer = issuer;
	s->url = url ? nd_xstrdup(url) : NULL;
	s->now = now;
	s->check_sig = check_signature;
	s->reason = -1;
	s->first = true;
	s->acc = nd_xcalloc(ELEM_MAX + 32, 1);
	s->prefix = check_signature ? nd_xcalloc(3 * (ELEM_MAX + 16), 1) : NULL;
	if (dl > 2) {
		/* the content octets, after the INTEGER's tag and length */
		uint8_t tag;
		uint64_t len;
		size_t hl;
		if (der_hdr(der, (size_t)dl, &tag, &len, &hl) == 1 && hl + len == (size_t)dl) {
			s->serial_len = (size_t)len;
			s->serial = nd_xcalloc(s->serial_len, 1);
			memcpy(s->serial, der + hl, s->serial_len);
		}
	}
	OPENSSL_free(der);
	return s;
}

void
nd_crl_stream_feed(struct nd_crl_stream *s, const uint8_t *p, size_t n)
{
	if (s->stop || n == 0)
		return;
	if (n > ND_X509_MAX_CRL || s->fed > ND_X509_MAX_CRL - n) {
		too_large(s);
		return;
	}
	s->fed += n;
	if (s->first) {
		s->first = false;
		/* DER starts with a SEQUENCE; anything else is taken for PEM,
		 * text before the BEGIN line skipped */
		if (p[0] != 0x30) {
			s->pem = PEM_BEFORE;
			s->b64 = EVP_ENCODE_CTX_new();
			if (!s->b64) {
				sfail(s, ND_ERR_NOMEM, NULL, "%s", nd_strerror(ND_ERR_NOMEM));
				return;
			}
			EVP_DecodeInit(s->b64);
		}
	}
	if (s->pem != PEM_NO)
		pem_feed(s, p, n);
	else
		der_feed(s, p, n);
}

bool
nd_crl_stream_failed(const struct nd_crl_stream *s)
{
	return s->stop;
}

uint64_t
nd_crl_stream_entries(const struct nd_crl_stream *s)
{
	return s->entries;
}

const char *
nd_crl_stream_number(const struct nd_crl_stream *s)
{
	return s->number;
}

void
nd_crl_stream_free(struct nd_crl_stream **sp)
{
	struct nd_crl_stream *s;

	if (!sp || !(s = *sp))
		return;
	*sp = NULL;
	EVP_MD_CTX_free(s->md);
	EVP_ENCODE_CTX_free(s->b64);
	X509_ALGOR_free(s->alg);
	X509_ALGOR_free(s->outer_alg);
	X509_NAME_free(s->crl_issuer);
	ASN1_TIME_free(s->this_upd);
	ASN1_TIME_free(s->next_upd);
	sk_X509_EXTENSION_pop_free(s->exts, X509_EXTENSION_free);
	free(s->sig);
	free(s->serial);
	free(s->prefix);
	free(s->acc);
	free(s->url);
	free(s);
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
idp_matches_leaf(DIST_POINT_NAME *idp_dp, const X509_NAME *crl_issuer, X509 *leaf, const char *url)
{
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(leaf, NID_crl_distribution_points, NULL, NULL);
	bool ok = false, by_url = false;

	if (!dps || !DIST_POINT_set_dpname(idp_dp, crl_issuer))
		goto fail;
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
fail:
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
crl_covers(const struct nd_crl_stream *s, struct nd_rev *res, bool *partial)
{
	STACK_OF(X509_EXTENSION) *exts = s->exts;
	ISSUING_DIST_POINT *idp = NULL;
	X509 *leaf = s->leaf;
	char oid[80];
	int crit = -1;
	bool ok = false;

	*partial = false;
	for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *ext = sk_X509_EXTENSION_value(exts, i);
		if (X509_EXTENSION_get_critical(ext) &&
		    !crl_ext_known(OBJ_obj2nid(X509_EXTENSION_get_object(ext)))) {
			ext_name(ext, oid, sizeof oid);
			nd_rev_unusable(res, "crl_unusable", _("the CRL has a critical extension nesdoctor does not "
			    "know (%s)"), oid);
			goto fail;
		}
	}
	idp = exts ? X509V3_get_d2i(exts, NID_issuing_distribution_point, &crit, NULL) : NULL;
	if (!idp && crit != -1) {
		/* present but unreadable, or twice */
		nd_rev_unusable(res, "crl_unusable", "%s", _("the CRL's issuing distribution point cannot be read"));
		goto fail;
	}
	if (idp && idp->indirectCRL) {
		nd_rev_unusable(res, "crl_scope", "%s", _("the CRL is an indirect CRL (it lists certificates of "
		    "other issuers too), which nesdoctor does not read"));
		goto fail;
	}
	if (idp && idp->onlyattr) {
		nd_rev_unusable(res, "crl_scope", "%s", _("the CRL covers only attribute certificates"));
		goto fail;
	}
	if (idp && idp->onlyCA && !leaf_is_ca(leaf)) {
		nd_rev_unusable(res, "crl_scope", "%s", _("the CRL covers only CA certificates"));
		goto fail;
	}
	if (idp && idp->onlyuser && leaf_is_ca(leaf)) {
		nd_rev_unusable(res, "crl_scope", "%s", _("the CRL covers only end-user certificates"));
		goto fail;
	}
	if (idp && idp->distpoint && !idp_matches_leaf(idp->distpoint, s->crl_issuer, leaf, s->url)) {
		nd_rev_unusable(res, "crl_scope", "%s", _("the CRL is for another distribution point than the "
		    "certificate's"));
		goto fail;
	}
	if (idp && idp->onlysomereasons) {
		nd_rev_fail(res, ND_ERR_UNSUPPORTED, "%s", _("the CRL covers only some revocation reasons: it "
		    "cannot say alone that a certificate is not revoked"));
		res->error = "crl_scope";
		*partial = true;
	}
	if (exts && X509v3_get_ext_by_NID(exts, NID_delta_crl, -1) >= 0) {
		nd_rev_fail(res, ND_ERR_UNSUPPORTED, "%s", _("the CRL is a delta CRL (the changes since a base "
		    "CRL): it cannot say alone that a certificate is not revoked"));
		res->error = "crl_scope";
		*partial = true;
	}
	ok = true;
fail:
	ISSUING_DIST_POINT_free(idp);
	return ok;
}

/* A CRL read whole ends after the PEM END line (if PEM), with no unit cut
 * short, where the outer SEQUENCE ends. */
static void
check_end(struct nd_crl_stream *s)
{
	if (!s->stop && s->pem != PEM_NO && s->pem != PEM_AFTER)
		not_crl(s);   /* no END line: cut short */
	if (!s->stop && s->acc_len)
		not_crl(s);   /* a unit cut short */
	if (!s->stop) {
		settle(s);
		if (s->st != S_END || s->off != s->outer_end || s->fed == 0)
			not_crl(s);
	}
}

/* The signature, when it is checked: the two algorithms the same, the
 * digest of the bytes passed verified. Returns false with res set. */
static bool
signature_ok(struct nd_crl_stream *s, struct nd_rev *res)
{
	int v = 0;
	char why[160];

	if (!s->check_sig)
		return true;
	if (!s->sig_why[0] && X509_ALGOR_cmp(s->alg, s->outer_alg) != 0)
		snprintf(s->sig_why, sizeof s->sig_why, "%s", "the two signature algorithms differ");
	if (!s->sig_why[0] && s->md_ready)
		v = EVP_DigestVerifyFinal(s->md, s->sig, s->sig_len);
	if (v != 1) {
		nd_err_from_openssl(why, sizeof why);
		nd_rev_fail(res, ND_ERR_CRYPTO, _("the CRL's signature does not verify (%s)"),
		    s->sig_why[0] ? s->sig_why : why[0] ? why : "-");
		return false;
	}
	res->sig_checked = true;
	return true;
}

/* Issued not in the future (beyond the clock skew allowed), next update
 * not yet due. Returns false with res set. */
static bool
dates_ok(struct nd_crl_stream *s, struct nd_rev *res)
{
	time_t ahead = s->now + ND_X509_SKEW_S;

	nd_x509_time_str(s->this_upd, res->this_update, sizeof res->this_update);
	nd_x509_time_str(s->next_upd, res->next_update, sizeof res->next_update);
	if (!s->this_upd || X509_cmp_time(s->this_upd, &ahead) > 0) {
		nd_rev_fail(res, ND_ERR_PROTOCOL, "%s", _("the CRL is dated in the future (check the clock)"));
		return false;
	}
	if (!s->next_upd || X509_cmp_time(s->next_upd, &s->now) < 0) {
		nd_rev_fail(res, ND_ERR_PROTOCOL, _("the CRL is out of date (next update was due %s)"),
		    res->next_update[0] ? res->next_update : "-");
		return false;
	}
	return true;
}

/* The leaf's status by the entries: revoked, or good when the CRL can say
 * so. Returns false with res saying why not (partial: crl_covers set it). */
static bool
leaf_status(const struct nd_crl_stream *s, struct nd_rev *res, bool partial)
{
	if (s->ent_error) {
		nd_rev_unusable(res, s->ent_error, "%s", s->ent_err);
		return false;
	}
	if (s->found) {
		res->status = ND_REV_REVOKED;
		snprintf(res->date, sizeof res->date, "%s", s->date);
		res->reason = s->reason;
		return true;
	}
	if (partial)
		return false;
	if (s->removes) {
		/* removeFromCRL belongs in delta CRLs only (RFC 5280 5.3.1): a
		 * complete CRL with it is not built the way we read it, and its
		 * silence about a certificate proves nothing */
		nd_rev_unusable(res, "crl_unusable", "%s", _("the CRL lists entries as removeFromCRL, which only a "
		    "delta CRL may do"));
		return false;
	}
	res->status = ND_REV_GOOD;
	return true;
}

void
nd_crl_stream_finish(struct nd_crl_stream *s, struct nd_rev *res)
{
	bool partial;

	nd_rev_init(res);
	ERR_clear_error();
	check_end(s);
	if (s->stop) {
		nd_rev_fail(res, s->code, "%s", s->err);
		res->error = s->error;
		goto fail;
	}
	if (!s->issuer_ok) {
		nd_rev_fail(res, ND_ERR_CRYPTO, "%s", _("the CRL is from another issuer"));
		goto fail;
	}
	if (!signature_ok(s, res) || !dates_ok(s, res))
		goto fail;
	if (!s->leaf || !crl_covers(s, res, &partial) || !leaf_status(s, res, partial))
		goto fail;
	res->code = ND_OK;
	res->error = NULL;
	res->err[0] = '\0';
	res->cacheable = true;
fail:
	ERR_clear_error();
}
