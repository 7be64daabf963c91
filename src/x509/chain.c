/* SPDX-License-Identifier: BSD-2-Clause */
/* The chain from the signing certificate to a trust anchor, built and
 * verified by OpenSSL (X509_STORE / X509_STORE_CTX). Candidates come from
 * the token (or the files given), the cache, Kamu SM's certificates shipped
 * in the data folder (pinned) and AIA caIssuers downloads;
 * anchors are Kamu SM's certificates recognised by their pinned SHA-256,
 * the --anchor files and the system store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "core/i18n.h"
#include "core/util.h"
#include "x509/chain.h"

void
nd_pool_init(struct nd_pool *p)
{
	memset(p, 0, sizeof *p);
}

void
nd_pool_reset(struct nd_pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		X509_free(p->e[i].x);
	free(p->e);
	memset(p, 0, sizeof *p);
}

const char *
nd_pool_source(const struct nd_pool *p, X509 *x)
{
	for (size_t i = 0; i < p->n; i++)
		if (X509_cmp(p->e[i].x, x) == 0)
			return p->e[i].source;
	return NULL;
}

bool
nd_pool_add(struct nd_pool *p, X509 *x, const char *source)
{
	if (nd_pool_source(p, x))
		return false;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 8;
		struct nd_pool_entry *ne = realloc(p->e, cap * sizeof *ne);
		if (!ne)
			return false;
		p->e = ne;
		p->cap = cap;
	}
	if (!X509_up_ref(x))
		return false;
	p->e[p->n].x = x;
	p->e[p->n].source = source;
	p->n++;
	return true;
}

static STACK_OF(X509) *
pool_stack(const struct nd_pool *p)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	for (size_t i = 0; sk && i < p->n; i++)
		sk_X509_push(sk, p->e[i].x);   /* borrowed: freed with sk_X509_free */
	return sk;
}

struct vstate {
	bool leaf_time_error;
};

/* The leaf's own dates are cert.validity's business: let the chain be
 * judged on everything else, so that an expired certificate still tells
 * whether it chains to Kamu SM. */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct vstate *vs = X509_STORE_CTX_get_app_data(ctx);
	int e = X509_STORE_CTX_get_error(ctx);

	if (!ok && X509_STORE_CTX_get_error_depth(ctx) == 0 &&
	    (e == X509_V_ERR_CERT_HAS_EXPIRED || e == X509_V_ERR_CERT_NOT_YET_VALID)) {
		if (vs)
			vs->leaf_time_error = true;
		return 1;
	}
	return ok;
}

/* Stable names for the verification errors people meet. */
static const char *
verr_name(int e)
{
	switch (e) {
	case X509_V_OK: return NULL;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return "issuer_not_found";
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		return "untrusted_root";
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
		return "bad_signature";
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return "ca_expired";
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return "ca_not_yet_valid";
	case X509_V_ERR_INVALID_CA:
		return "not_a_ca";
	case X509_V_ERR_PATH_LENGTH_EXCEEDED:
		return "path_length";
	default:
		return "other";
	}
}

static X509_STORE *
new_store(bool partial)
{
	X509_STORE *st = X509_STORE_new();

	if (!st)
		return NULL;
	if (partial)
		X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN);
	return st;
}

/* The system store, looked up by subject hash in its folder (Debian's
 * /etc/ssl/certs, or SSL_CERT_DIR) only when a chain asks for an issuer
 * nothing else has: reading the whole bundle file, as
 * X509_STORE_set_default_paths does, is three quarters of a `verify`'s
 * CPU, paid even when a pinned or given anchor closes the chain. The
 * bundle file is read only when the folder did not help (whole_bundle). */
static void
add_system_store(X509_STORE *st, bool whole_bundle)
{
	const char *dir = getenv(X509_get_default_cert_dir_env());
	X509_LOOKUP *l;

	if (whole_bundle) {
		X509_STORE_set_default_paths(st);
		return;
	}
	l = X509_STORE_add_lookup(st, X509_LOOKUP_hash_dir());
	if (l)
		X509_LOOKUP_add_dir(l, dir && *dir ? dir : X509_get_default_cert_dir(), X509_FILETYPE_PEM);
}

/* Put every anchor into st: --anchor files, pinned certificates found in
 * the pool (roots only, unless with_pinned_cas), the system store. */
static void
fill_store(X509_STORE *st, const struct nd_chain_in *in, const struct nd_pool *pool,
           bool with_pinned_cas, bool whole_bundle)
{
	for (int i = 0; i < sk_X509_num(in->anchors); i++)
		X509_STORE_add_cert(st, sk_X509_value(in->anchors, i));
	for (size_t i = 0; i < pool->n; i++) {
		char *fp = nd_x509_sha256_hex(pool->e[i].x);
		const struct nd_pin *pin = nd_x509_pin_find(fp);
		if (pin && (pin->root || with_pinned_cas))
			X509_STORE_add_cert(st, pool->e[i].x);
		free(fp);
	}
	if (in->system_store)
		add_system_store(st, whole_bundle);
	ERR_clear_error();
}

static bool
is_anchor_file_cert(const struct nd_chain_in *in, X509 *x)
{
	for (int i = 0; i < sk_X509_num(in->anchors); i++)
		if (X509_cmp(sk_X509_value(in->anchors, i), x) == 0)
			return true;
	return false;
}

/* Kamu SM's certificate that issued cur, from the data folder, into the
 * pool: read only when cur names it, kept only when it is the pinned one
 * (a file that is not is named in status.bundled_errors[]). Returns true
 * when something new arrived. */
static bool
bundled_issuer(const struct nd_chain_in *in, X509 *cur, struct nd_pool *pool, json_object *status)
{
	json_object *errs = nd_jarr(status, "bundled_errors");
	X509 *x;
	bool got;

	if (!errs) {
		errs = json_object_new_array();
		json_object_object_add(status, "bundled_errors", errs);
	}
	x = nd_x509_bundled_issuer(in->data_dir, cur, errs);
	got = x && nd_pool_add(pool, x, "bundled");
	X509_free(x);
	return got;
}

/* Download the issuer of cur by its AIA caIssuers URLs into the pool.
 * Returns true when something new arrived. */
static bool
fetch_issuer(X509 *cur, struct nd_pool *pool, struct nd_net *net, json_object *tried,
             json_object *status)
{
	json_object *fx = nd_x509_describe(cur, false);
	json_object *urls = nd_jarr(fx, "ca_issuers_urls");
	bool got = false;

	for (size_t i = 0; urls && i < json_object_array_length(urls) && !got; i++) {
		const char *url = json_object_get_string(json_object_array_get_idx(urls, i));
		uint8_t *buf = NULL;
		size_t len = 0;
		char err[256];
		bool seen = false;
		STACK_OF(X509) *sk;

		for (size_t k = 0; k < json_object_array_length(tried); k++)
			if (strcmp(json_object_get_string(json_object_array_get_idx(tried, k)), url) == 0)
				seen = true;
		if (seen || json_object_array_length(tried) >= ND_X509_MAX_AIA)
			continue;
		/* LDAP (or anything but HTTP) is never fetched: never ask for it */
		if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0) {
			if (!json_object_object_get_ex(status, "ldap_url", NULL))
				json_object_object_add(status, "ldap_url", json_object_new_string(url));
			continue;
		}
		json_object_array_add(tried, json_object_new_string(url));
		if (net->offline) {
			json_object_object_add(status, "needs_download", json_object_new_string(url));
			continue;
		}
		if (nd_net_fetch(net, "aia", url, NULL, NULL, 0, ND_X509_MAX_CERT, &buf, &len, err,
		    sizeof err) != ND_OK) {
			if (!json_object_object_get_ex(status, "aia_error", NULL)) {
				json_object_object_add(status, "aia_url", json_object_new_string(url));
				json_object_object_add(status, "aia_error", json_object_new_string(err));
			}
			continue;
		}
		sk = sk_X509_new_null();
		if (sk && nd_x509_decode_certs(buf, len, sk, err, sizeof err) == ND_OK) {
			for (int k = 0; k < sk_X509_num(sk); k++) {
				X509 *x = sk_X509_value(sk, k);
				/* only CA certificates can help; what is cached is
				 * decided once the chain is verified */
				if (X509_check_ca(x) > 0 && nd_pool_add(pool, x, "aia"))
					got = true;
			}
		} else if (!json_object_object_get_ex(status, "aia_error", NULL)) {
			json_object_object_add(status, "aia_url", json_object_new_string(url));
			json_object_object_add(status, "aia_error", json_object_new_string(err));
		}
		sk_X509_pop_free(sk, X509_free);
		free(buf);
	}
	json_object_put(fx);
	return got;
}

static json_object *
element(X509 *x, const struct nd_chain_in *in, const struct nd_pool *pool, bool show_id)
{
	json_object *e = json_object_new_object();
	char tb[32], *s, *fp = nd_x509_sha256_hex(x);
	const struct nd_pin *pin = nd_x509_pin_find(fp);
	const char *src = nd_pool_source(pool, x);

	s = nd_x509_name_str(X509_get_subject_name(x), show_id);
	json_object_object_add(e, "subject", json_object_new_string(s));
	free(s);
	s = nd_x509_name_str(X509_get_issuer_name(x), show_id);
	json_object_object_add(e, "issuer", json_object_new_string(s));
	free(s);
	nd_x509_time_str(X509_get0_notBefore(x), tb, sizeof tb);
	nd_jset_str(e, "not_before", tb[0] ? tb : NULL);
	nd_x509_time_str(X509_get0_notAfter(x), tb, sizeof tb);
	nd_jset_str(e, "not_after", tb[0] ? tb : NULL);
	if (!src)
		src = is_anchor_file_cert(in, x) ? "anchor" : "system";
	json_object_object_add(e, "source", json_object_new_string(src));
	json_object_object_add(e, "sha256", json_object_new_string(fp));
	nd_jset_str(e, "kamusm", pin ? (pin->root ? "root" : "issuing_ca") : NULL);
	free(fp);
	return e;
}

/* What a round builds from besides the pool, widened round by round. */
struct widen {
	bool partial;        /* the pinned Kamu SM issuing CA as an anchor */
	bool whole_bundle;   /* the system's whole bundle file */
	bool no_cache;       /* the cached CA certificates set aside */
};

/* A chain that failed with a certificate from the cache in it is tried
 * again without the cache: a damaged or stale file there must not make a
 * good certificate look bad (its issuer then comes from the AIA, or is
 * missing, offline). True when there was something to set aside. */
static bool
drop_cached(struct nd_pool *pool, STACK_OF(X509) *built)
{
	bool used = false;
	size_t k = 0;

	for (int i = 0; built && i < sk_X509_num(built) && !used; i++) {
		const char *src = nd_pool_source(pool, sk_X509_value(built, i));
		used = src && strcmp(src, "cache") == 0;
	}
	if (!used)
		return false;
	for (size_t i = 0; i < pool->n; i++) {
		if (strcmp(pool->e[i].source, "cache") == 0)
			X509_free(pool->e[i].x);
		else
			pool->e[k++] = pool->e[i];
	}
	pool->n = k;
	return true;
}

/* Kamu SM's issuing CA is pinned too: when its root cannot be had
 * (offline, no cache), the pinned CA itself can be the anchor. */
static bool
have_pinned_ca(const struct nd_pool *pool)
{
	bool have = false;

	for (size_t i = 0; i < pool->n; i++) {
		char *fp = nd_x509_sha256_hex(pool->e[i].x);
		const struct nd_pin *pin = nd_x509_pin_find(fp);
		if (pin && !pin->root)
			have = true;
		free(fp);
	}
	return have;
}

/* No issuer was found for cur: widen what the next round builds from, the
 * cheapest first. Returns false when there is nothing more to try. */
static bool
widen(const struct nd_chain_in *in, X509 *cur, struct nd_pool *pool, struct nd_net *net, json_object *tried,
      json_object *status, struct widen *w)
{
	/* the shipped Kamu SM certificates (read only when named) before
	 * the system's bundle file and any download */
	if (cur && bundled_issuer(in, cur, pool, status))
		return true;
	/* the system's bundle file, before asking the network */
	if (in->system_store && !w->whole_bundle) {
		w->whole_bundle = true;
		return true;
	}
	if (cur && fetch_issuer(cur, pool, net, tried, status))
		return true;
	if (!w->partial && have_pinned_ca(pool)) {
		w->partial = true;
		return true;
	}
	return false;
}

static bool
issuer_missing(int err)
{
	return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
}

/* Verifies ctx; on failure, the error, its depth and the certificate it
 * was found at. */
static bool
verify(X509_STORE_CTX *ctx, int *err, int *depth, X509 **cur)
{
	bool ok = X509_verify_cert(ctx) == 1;

	*err = ok ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
	*depth = ok ? -1 : X509_STORE_CTX_get_error_depth(ctx);
	*cur = ok ? NULL : X509_STORE_CTX_get_current_cert(ctx);
	return ok;
}

/* Why the chain did not verify, and at which certificate. */
static void
add_error(json_object *status, const struct nd_chain_in *in, int err, int depth, X509 *cur)
{
	const char *name = verr_name(err);
	char *s;

	json_object_object_add(status, "error_text", json_object_new_string(X509_verify_cert_error_string(err)));
	json_object_object_add(status, "error_depth", json_object_new_int(depth));
	if (!cur)
		return;
	s = nd_x509_name_str(X509_get_subject_name(cur), in->show_id);
	json_object_object_add(status, "error_subject", json_object_new_string(s));
	free(s);
	if (name && strcmp(name, "issuer_not_found") == 0) {
		s = nd_x509_name_str(X509_get_issuer_name(cur), in->show_id);
		json_object_object_add(status, "missing_issuer", json_object_new_string(s));
		free(s);
	}
}

/* A verified chain: what it is anchored on. */
static void
add_anchor(json_object *status, const struct nd_chain_in *in, X509 *top)
{
	char *fp = nd_x509_sha256_hex(top), *s;
	const char *trust = nd_x509_pin_find(fp) ? "kamusm" : is_anchor_file_cert(in, top) ? "anchor" : "system";

	json_object_object_add(status, "anchor", json_object_new_string(trust));
	s = nd_x509_name_str(X509_get_subject_name(top), in->show_id);
	json_object_object_add(status, "anchor_subject", json_object_new_string(s));
	free(s);
	free(fp);
}

/* Cache only what built this verified chain: a bundle of hundreds of CA
 * certificates leaves just the one that counted. One already in the cache
 * gets its time refreshed: its time says it was of use, and the cache
 * drops the oldest first when full. */
static void
cache_chain(const struct nd_chain_in *in, const struct nd_pool *pool, STACK_OF(X509) *built)
{
	for (int i = 1; i < sk_X509_num(built); i++) {
		const char *src = nd_pool_source(pool, sk_X509_value(built, i));
		if (src && (strcmp(src, "aia") == 0 || strcmp(src, "cache") == 0))
			nd_cache_store_cert(in->cache_dir, sk_X509_value(built, i));
	}
}

void
nd_chain_build(const struct nd_chain_in *in, struct nd_pool *pool, struct nd_net *net,
               struct nd_chain_out *out)
{
	json_object *status = json_object_new_object(), *tried = json_object_new_array();
	json_object *chain = json_object_new_array();
	X509_STORE *st = NULL;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *untrusted = NULL, *built = NULL;
	struct vstate vs = { false };
	struct widen w = { false, false, false };
	int ok = 0, err = X509_V_OK, depth = -1;
	X509 *cur = NULL;

	memset(out, 0, sizeof *out);
	json_object_object_add(status, "bundled_errors", json_object_new_array());
	for (int round = 0;; round++) {
		X509_STORE_free(st);
		X509_STORE_CTX_free(ctx);
		sk_X509_free(untrusted);
		sk_X509_pop_free(built, X509_free);
		built = NULL;
		vs.leaf_time_error = false;
		st = new_store(w.partial);
		ctx = X509_STORE_CTX_new();
		untrusted = pool_stack(pool);
		if (!st || !ctx || !untrusted)
			goto fail;
		fill_store(st, in, pool, w.partial, w.whole_bundle);
		if (!X509_STORE_CTX_init(ctx, st, in->leaf, untrusted))
			goto fail;
		X509_STORE_CTX_set_app_data(ctx, &vs);
		X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
		ok = verify(ctx, &err, &depth, &cur);
		built = X509_STORE_CTX_get1_chain(ctx);
		ERR_clear_error();
		if (!ok && !w.no_cache && drop_cached(pool, built)) {
			w.no_cache = true;
			continue;
		}
		/* rounds: the bundle file, the partial chain, each shipped
		 * certificate (2), each download and the cache set aside */
		if (ok || round > ND_X509_MAX_AIA + 5 || !issuer_missing(err) ||
		    !widen(in, cur, pool, net, tried, status, &w))
			break;
	}

	json_object_object_add(status, "verified", json_object_new_boolean(ok));
	json_object_object_add(status, "leaf_time_error", json_object_new_boolean(vs.leaf_time_error));
	nd_jset_str(status, "error", verr_name(err));
	if (!ok)
		add_error(status, in, err, depth, cur);
	for (int i = 0; built && i < sk_X509_num(built); i++)
		json_object_array_add(chain, element(sk_X509_value(built, i), in, pool, in->show_id));
	if (ok && built && sk_X509_num(built) > 0) {
		add_anchor(status, in, sk_X509_value(built, sk_X509_num(built) - 1));
		cache_chain(in, pool, built);
		if (sk_X509_num(built) > 1 && X509_up_ref(sk_X509_value(built, 1)))
			out->issuer = sk_X509_value(built, 1);
		out->chain = built;
		built = NULL;
		out->store = st;
		st = NULL;
	} else
		json_object_object_add(status, "anchor", NULL);
fail:
	if (!json_object_object_get_ex(status, "verified", NULL))
		json_object_object_add(status, "verified", json_object_new_boolean(0));
	json_object_object_add(status, "aia_tried", tried);
	out->status = status;
	out->elements = chain;
	X509_STORE_free(st);
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	sk_X509_pop_free(built, X509_free);
}

void
nd_chain_out_reset(struct nd_chain_out *out)
{
	json_object_put(out->status);
	json_object_put(out->elements);
	X509_free(out->issuer);
	sk_X509_pop_free(out->chain, X509_free);
	X509_STORE_free(out->store);
	memset(out, 0, sizeof *out);
}
