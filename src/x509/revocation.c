/* SPDX-License-Identifier: BSD-2-Clause */
/* Revocation of the signing certificate: OCSP first (fresh, signed, with a
 * nonce), then the CRL from the distribution point (signed by the issuer,
 * kept in the cache until its next update). Whatever the network does, the
 * answer is good, revoked, or unknown with the reason why: never a guess. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

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

void
nd_rev_init(struct nd_rev *res)
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

void
nd_rev_fail(struct nd_rev *res, nd_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rev_vfail(res, code, NULL, fmt, ap);
	va_end(ap);
}

/* A CRL that cannot decide for this certificate: error is "crl_scope" (it
 * does not cover it) or "crl_unusable" (it holds what we cannot read). */
void
nd_rev_unusable(struct nd_rev *res, const char *error, const char *fmt, ...)
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

	nd_rev_init(res);
	ERR_clear_error();
	if (!der || n == 0 || n > ND_X509_MAX_OCSP) {
		nd_rev_fail(res, ND_ERR_PARSE, "%s", _("the answer is not an OCSP response"));
		goto fail;
	}
	resp = d2i_OCSP_RESPONSE(NULL, &p, (long)n);
	if (!resp || p != der + n) {
		nd_rev_fail(res, ND_ERR_PARSE, "%s", _("the answer is not an OCSP response"));
		goto fail;
	}
	rs = OCSP_response_status(resp);
	if (rs != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		nd_rev_fail(res, ND_ERR_PROTOCOL, _("the responder refused to answer (%s)"),
		    OCSP_response_status_str(rs));
		goto fail;
	}
	bs = OCSP_response_get1_basic(resp);
	if (!bs) {
		nd_rev_fail(res, ND_ERR_PARSE, "%s", _("the answer is not an OCSP response"));
		goto fail;
	}
	if (req) {
		/* 1: echoed; -1: asked and not echoed (RFC 5019 responders,
		 * answers cached by a CDN): taken when fresh, below; 2, 3: we
		 * did not ask; 0: a different nonce, a replayed or foreign
		 * answer */
		nonce = OCSP_check_nonce(req, bs);
		if (nonce == 0) {
			nd_rev_fail(res, ND_ERR_CRYPTO, "%s", _("the answer's nonce does not match the question"));
			goto fail;
		}
		res->nonce_echoed = nonce == 1;
		res->nonce = nonce == 1 ? "echoed" : "absent";
	}
	if (!st || OCSP_basic_verify(bs, certs, st, 0) <= 0) {
		nd_err_from_openssl(why, sizeof why);
		nd_rev_fail(res, ND_ERR_CRYPTO, _("the answer's signature does not verify (%s)"),
		    why[0] ? why : "-");
		goto fail;
	}
	if (!id || !OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisupd, &nextupd)) {
		nd_rev_fail(res, ND_ERR_PROTOCOL, "%s", _("the answer is about another certificate"));
		goto fail;
	}
	nd_x509_time_str(thisupd, res->this_update, sizeof res->this_update);
	nd_x509_time_str(nextupd, res->next_update, sizeof res->next_update);
	/* without a next update, an answer older than a week is too old */
	maxage = nextupd ? -1 : 7L * 86400;
	if (req && !res->nonce_echoed) {
		if (!ocsp_fresh(thisupd, nextupd, now, ND_OCSP_NONCELESS_MAX_AGE_S)) {
			nd_rev_fail(res, ND_ERR_PROTOCOL, _("the answer does not echo the nonce and is not fresh "
			    "(produced %s, at most %ld days old is taken): it may be a replay"),
			    res->this_update[0] ? res->this_update : "-", ND_OCSP_NONCELESS_MAX_AGE_S / 86400);
			goto fail;
		}
	} else if (!ocsp_fresh(thisupd, nextupd, now, maxage)) {
		nd_rev_fail(res, ND_ERR_PROTOCOL, "%s", _("the answer is out of date (or from the future: check the clock)"));
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

/* The whole CRL in memory, fed to the stream parser at once (tests, fuzz
 * harnesses). crl_out, when asked for, is OpenSSL's own decoding of a CRL
 * that answered good or revoked. */
void
nd_crl_eval(const uint8_t *buf, size_t n, X509 *leaf, X509 *issuer, const char *url, time_t now,
            struct nd_rev *res, X509_CRL **crl_out)
{
	struct nd_crl_stream *s;

	if (crl_out)
		*crl_out = NULL;
	if (buf && n > ND_X509_MAX_CRL) {
		nd_rev_init(res);
		nd_rev_fail(res, ND_ERR_PROTOCOL, _("the CRL is larger than nesdoctor reads (%u MiB at most)"),
		    ND_X509_MAX_CRL / (1024 * 1024));
		res->error = "crl_too_large";
		return;
	}
	s = nd_crl_stream_new(leaf, issuer, url, now, true);
	nd_crl_stream_feed(s, buf, buf ? n : 0);
	nd_crl_stream_finish(s, res);
	nd_crl_stream_free(&s);
	if (crl_out && res->cacheable)
		*crl_out = parse_crl(buf, n);
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
	/* The responder is the issuing CA or one it delegated to (RFC 6960
	 * 4.2.2.2, which OpenSSL checks): the issuer, already verified up to
	 * the anchor in this run, is the only anchor its signature needs.
	 * Verifying up to the root again would cost one more signature
	 * check (an EC P-384 one, for Kamu SM) for no new fact. */
	X509_STORE *ost = X509_STORE_new();

	if (ost && (!X509_STORE_add_cert(ost, issuer) ||
	    !X509_STORE_set_flags(ost, X509_V_FLAG_PARTIAL_CHAIN))) {
		X509_STORE_free(ost);
		ost = NULL;
	}
	nd_rev_init(res);
	id = OCSP_cert_to_id(NULL, leaf, issuer);
	req = OCSP_REQUEST_new();
	if (!id || !req || !OCSP_request_add0_id(req, OCSP_CERTID_dup(id)) ||
	    !OCSP_request_add1_nonce(req, NULL, -1) || (n = i2d_OCSP_REQUEST(req, &der)) <= 0) {
		nd_rev_fail(res, ND_ERR_INTERNAL, "%s", _("could not build the OCSP request"));
		goto fail;
	}
	e = nd_net_fetch(net, "ocsp", url, "application/ocsp-request", der, (size_t)n,
	    ND_X509_MAX_OCSP, &ans, &ans_len, err, sizeof err);
	if (e != ND_OK) {
		nd_rev_fail(res, e, "%s", err);
		goto fail;
	}
	nd_ocsp_eval(ans, ans_len, req, id, ost ? ost : st, chain, time(NULL), res);
fail:
	ERR_clear_error();
	X509_STORE_free(ost);
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

/* ---- the record of a verified CRL in the cache --------------------------------
 *
 * A CRL whose signature was verified is kept with a record next to it: the
 * file as it was written (device, inode, size, modification time) and the
 * issuer key that verified it, then what it said (thisUpdate, nextUpdate,
 * CRL number). While the record matches, a later run only scans the file
 * for the serial, without checking the signature again: the cache folder
 * is the user's own and nobody else may write it (nd_cache_usable refuses
 * it otherwise), so whoever could swap the file could as well swap the
 * record; a file rewritten in any way (another inode, size or time) or an
 * issuer with another key is verified again. Dates, scope and the entries
 * are read again on every run. */

static char *
crl_identity(const struct stat *st, X509 *issuer)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char *key, *id;

	if (!issuer || !X509_pubkey_digest(issuer, EVP_sha256(), md, &n))
		return NULL;
	key = nd_hex(md, n);
	id = nd_asprintf("nesdoctor-crl 1 dev=%ju ino=%ju size=%jd mtime=%jd.%09ld key=%s\n",
	    (uintmax_t)st->st_dev, (uintmax_t)st->st_ino, (intmax_t)st->st_size,
	    (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, key);
	free(key);
	return id;
}

static char *
crl_content(const struct nd_rev *r, const struct nd_crl_stream *s)
{
	return nd_asprintf("this=%s next=%s number=%s\n", r->this_update, r->next_update,
	    nd_crl_stream_number(s));
}

static void
crl_note(const char *cache_dir, const char *url, const struct stat *st, X509 *issuer,
         const struct nd_rev *r, const struct nd_crl_stream *s)
{
	char *id = crl_identity(st, issuer), *content = crl_content(r, s), *text;

	if (id) {
		text = nd_asprintf("%s%s", id, content);
		nd_cache_store_note(cache_dir, "crl", url, text);
		free(text);
	}
	free(id);
	free(content);
}

/* Feed a file to the parser in pieces; false when it could not be read. */
static bool
crl_feed_fd(int fd, struct nd_crl_stream *s)
{
	uint8_t *buf = nd_xcalloc(ND_NET_CHUNK * 4, 1);
	bool ok = true;

	for (;;) {
		ssize_t k = read(fd, buf, ND_NET_CHUNK * 4);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			ok = false;
		if (k <= 0)
			break;
		nd_crl_stream_feed(s, buf, (size_t)k);
		if (nd_crl_stream_failed(s))
			break;
	}
	free(buf);
	return ok;
}

/* The cached CRL for url: scanned only (record matches) or verified (and
 * the record written). *cached: it answered. */
static void
crl_from_cache(const char *url, X509 *leaf, X509 *issuer, const char *cache_dir, time_t now,
               struct nd_rev *res, bool *cached)
{
	struct stat st;
	int fd = nd_cache_open_url(cache_dir, "crl", url, &st);
	char *note = NULL, *id = NULL, *content = NULL;
	struct nd_crl_stream *s = NULL;
	bool trusted;

	*cached = false;
	if (fd < 0)
		return;
	note = nd_cache_load_note(cache_dir, "crl", url);
	id = crl_identity(&st, issuer);
	trusted = note && id && strncmp(note, id, strlen(id)) == 0;
	for (int pass = 0; pass < 2; pass++) {
		nd_crl_stream_free(&s);
		s = nd_crl_stream_new(leaf, issuer, url, now, !trusted);
		if (lseek(fd, 0, SEEK_SET) != 0 || !crl_feed_fd(fd, s))
			break;
		nd_crl_stream_finish(s, res);
		free(content);
		content = crl_content(res, s);
		/* what the record says it said, or verified again */
		if (trusted && (!res->cacheable || strcmp(note + strlen(id), content) != 0)) {
			trusted = false;
			continue;
		}
		if (res->cacheable) {
			*cached = true;
			res->verified_before = trusted;
			if (!trusted)
				crl_note(cache_dir, url, &st, issuer, res, s);
		}
		break;
	}
	nd_crl_stream_free(&s);
	free(content);
	free(id);
	free(note);
	close(fd);
}

struct crl_sink {
	struct nd_crl_stream *s;
	struct nd_cache_tmp tmp;
	bool store;
};

static bool
crl_sink_fn(void *ctx, const uint8_t *p, size_t n)
{
	struct crl_sink *k = ctx;

	nd_crl_stream_feed(k->s, p, n);
	if (k->store && !nd_cache_tmp_write(&k->tmp, p, n))
		k->store = false;
	return !nd_crl_stream_failed(k->s);
}

/* A CRL from the cache when it is still good, else downloaded: checked as
 * it arrives and written to the cache at the same time, kept only when it
 * answered. */
static void
crl_try(const char *url, X509 *leaf, X509 *issuer, struct nd_net *net, const char *cache_dir,
        struct nd_rev *res, bool *cached)
{
	struct crl_sink k;
	struct nd_net_sink sink = { crl_sink_fn, &k };
	struct stat st;
	size_t len = 0;
	char err[256];
	nd_err e;
	time_t now = time(NULL);

	memset(&k, 0, sizeof k);
	nd_rev_init(res);
	crl_from_cache(url, leaf, issuer, cache_dir, now, res, cached);
	if (*cached)
		return;
	nd_rev_init(res);
	if (net->offline) {
		nd_rev_fail(res, ND_ERR_NETWORK, "%s", _("offline"));
		return;
	}
	k.s = nd_crl_stream_new(leaf, issuer, url, now, true);
	k.store = nd_cache_tmp_open(cache_dir, "crl", url, &k.tmp);
	e = nd_net_fetch_stream(net, "crl", url, ND_X509_MAX_CRL, &sink, &len, err, sizeof err);
	if (e != ND_OK && last_too_large(net)) {
		nd_rev_fail(res, e, _("the CRL is larger than nesdoctor reads (%u MiB at most)"),
		    ND_X509_MAX_CRL / (1024 * 1024));
		res->error = "crl_too_large";
		goto fail;
	}
	if (e != ND_OK) {
		nd_rev_fail(res, e, "%s", err);
		goto fail;
	}
	nd_crl_stream_finish(k.s, res);
	/* a CRL that cannot decide is never cached */
	if (res->cacheable && k.store && nd_cache_tmp_commit(&k.tmp, &st))
		crl_note(cache_dir, url, &st, issuer, res, k.s);
fail:
	if (k.store)
		nd_cache_tmp_abort(&k.tmp);
	nd_crl_stream_free(&k.s);
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
	/* a CRL's signature: verified in this run, or by an earlier one
	 * whose record in the cache still matches the file */
	if (method && strcmp(method, "crl") == 0 && (r->status == ND_REV_GOOD || r->status == ND_REV_REVOKED))
		json_object_object_add(o, "crl_signature", json_object_new_string(
		    r->verified_before ? "verified_before" : "verified"));
}

/* The first failure of a responder, said when none gave an answer. */
struct first_fail {
	struct nd_rev err;
	const char *url, *method;
};

static void
keep_first(struct first_fail *ff, const struct nd_rev *r, const char *url, const char *method)
{
	if (ff->url)
		return;
	ff->err = *r;
	ff->url = url;
	ff->method = method;
}

/* The OCSP responders the certificate names, until one answers good or
 * revoked (then the answer is set in out and true returned). *unknown:
 * one answered that it does not know the certificate. */
static bool
by_ocsp(json_object *out, json_object *attempts, json_object *ocsp, X509 *leaf, X509 *issuer, X509_STORE *st,
        STACK_OF(X509) *chain, struct nd_net *net, struct first_fail *ff, bool *unknown)
{
	size_t tried = 0;
	struct nd_rev r;

	for (size_t i = 0; !net->offline && ocsp && i < json_object_array_length(ocsp) && tried < MAX_URLS; i++) {
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
			return true;
		}
		if (r.status == ND_REV_UNKNOWN)
			*unknown = true;
		else
			keep_first(ff, &r, url, "ocsp");
	}
	return false;
}

/* The CRLs the certificate names (from the cache when fresh), until one
 * says good or revoked. Offline, a CRL that is not cached is no failure
 * to report: the offline error says it. */
static bool
by_crl(json_object *out, json_object *attempts, json_object *crls, X509 *leaf, X509 *issuer, struct nd_net *net,
       const char *cache_dir, struct first_fail *ff)
{
	size_t tried = 0;
	struct nd_rev r;
	bool cached = false;

	for (size_t i = 0; crls && i < json_object_array_length(crls) && tried < MAX_URLS; i++) {
		const char *url = json_object_get_string(json_object_array_get_idx(crls, i));
		if (!is_http(url))
			continue;
		tried++;
		crl_try(url, leaf, issuer, net, cache_dir, &r, &cached);
		json_object_array_add(attempts, attempt_json("crl", url, &r, cached));
		if (r.status == ND_REV_GOOD || r.status == ND_REV_REVOKED) {
			set_final(out, "crl", url, &r, cached);
			return true;
		}
		if (!(net->offline && r.code == ND_ERR_NETWORK))
			keep_first(ff, &r, url, "crl");
	}
	return false;
}

/* No answer: status unknown, and why (the first failure, or a reason for
 * the whole). */
static void
set_unknown(json_object *out, const struct first_fail *ff, bool ocsp_unknown, bool offline)
{
	struct nd_rev r = ff->err;

	r.status = ND_REV_UNKNOWN;
	set_final(out, ff->method, ff->url, &r, false);
	if (ocsp_unknown && !ff->url)
		json_object_object_add(out, "error", json_object_new_string("ocsp_unknown"));
	else if (offline && !ff->url)
		json_object_object_add(out, "error", json_object_new_string("offline"));
	else
		json_object_object_add(out, "error", json_object_new_string(rev_error_name(&ff->err)));
	json_object_object_add(out, "detail", json_object_new_string(ff->err.err));
}

json_object *
nd_x509_revocation(X509 *leaf, X509 *issuer, X509_STORE *st, STACK_OF(X509) *chain,
                   const json_object *leaf_facts, struct nd_net *net, const char *cache_dir)
{
	json_object *out = json_object_new_object(), *attempts = json_object_new_array();
	json_object *ocsp = nd_jarr(leaf_facts, "ocsp_urls"), *crls = nd_jarr(leaf_facts, "crl_urls");
	struct first_fail ff = { .url = NULL, .method = NULL };
	bool done = false, ocsp_unknown = false;

	nd_rev_init(&ff.err);
	json_object_object_add(out, "offline", json_object_new_boolean(net->offline));
	if (!issuer)
		nd_rev_fail(&ff.err, ND_ERR_NOT_FOUND, "%s", _("the issuer's certificate is not known"));
	else
		done = by_ocsp(out, attempts, ocsp, leaf, issuer, st, chain, net, &ff, &ocsp_unknown) ||
		    by_crl(out, attempts, crls, leaf, issuer, net, cache_dir, &ff);
	if (!done) {
		if (issuer && !ff.url && !net->offline && !ocsp_unknown)
			nd_rev_fail(&ff.err, ND_ERR_NOT_FOUND, "%s", _("the certificate names no OCSP responder and no CRL"));
		set_unknown(out, &ff, ocsp_unknown, net->offline && issuer);
	}
	json_object_object_add(out, "attempts", attempts);
	return out;
}

/* ---- the CAs of the chain -----------------------------------------------------
 *
 * Each CA below the anchor is looked up in its issuer's CRL, named in the
 * CA's own distribution points (Kamu SM's NES CA names the root's CRL,
 * kokshs.v6.crl): the same streaming, cache and scope rules as the
 * leaf's CRL (a CRL limited to end-user certificates does not cover a CA,
 * one limited to CA certificates does). No OCSP: Kamu SM answers for its
 * CAs by CRL. */

static const char *const net_words[] = { "dns", "refused", "unreachable", "proxy", "http_status",
	"bad_response", "too_large", "timeout" };

/* The stable word of the network's failure for url when it was the last
 * request (dns, refused, timeout, http_status...), or NULL. */
static const char *
last_net_error(const struct nd_net *net, const char *url)
{
	size_t n = net->log ? json_object_array_length(net->log) : 0;
	json_object *e = n ? json_object_array_get_idx(net->log, n - 1) : NULL;
	const char *u = nd_jstr(e, "url"), *w = nd_jstr(e, "error");

	if (!u || !w || strcmp(u, url) != 0 || nd_jbool(e, "ok", false))
		return NULL;
	/* a string of the log that outlives it: one of net.c's fixed words */
	for (size_t i = 0; i < sizeof net_words / sizeof net_words[0]; i++)
		if (strcmp(w, net_words[i]) == 0)
			return net_words[i];
	return NULL;
}

json_object *
nd_x509_ca_revocation(X509 *ca, X509 *issuer, struct nd_net *net, const char *cache_dir)
{
	json_object *out = json_object_new_object(), *fx = nd_x509_describe(ca, false);
	json_object *crls = nd_jarr(fx, "crl_urls");
	struct nd_rev r, first_err;
	const char *first_url = NULL;
	bool cached = false;
	size_t tried = 0;

	nd_rev_init(&first_err);
	for (size_t i = 0; crls && i < json_object_array_length(crls) && tried < MAX_URLS; i++) {
		const char *url = json_object_get_string(json_object_array_get_idx(crls, i));
		if (!is_http(url))
			continue;
		tried++;
		crl_try(url, ca, issuer, net, cache_dir, &r, &cached);
		if (r.status == ND_REV_GOOD || r.status == ND_REV_REVOKED) {
			set_final(out, "crl", url, &r, cached);
			goto fail;
		}
		if (!first_url) {
			first_err = r;
			first_url = url;
			if (!r.error)
				first_err.error = last_net_error(net, url);
		}
	}
	if (!first_url)
		nd_rev_fail(&first_err, ND_ERR_NOT_FOUND, "%s", _("the CA certificate names no CRL"));
	r = first_err;
	r.status = ND_REV_UNKNOWN;
	set_final(out, "crl", first_url, &r, false);
	/* "offline": not cached and the network is off (as the leaf's) */
	if (net->offline && first_url && r.code == ND_ERR_NETWORK)
		json_object_object_add(out, "error", json_object_new_string("offline"));
	else if (!first_url)
		json_object_object_add(out, "error", json_object_new_string("no_crl"));
	else
		json_object_object_add(out, "error", json_object_new_string(rev_error_name(&first_err)));
	json_object_object_add(out, "detail", json_object_new_string(first_err.err));
fail:
	json_object_put(fx);
	return out;
}
