/* SPDX-License-Identifier: BSD-2-Clause */
/* The x509 collector: reads the certificates the PKCS#11 layer found (or
 * the files given to `verify`), picks the signing certificate, builds its
 * chain and asks about its revocation. Facts only: the checks in
 * src/checks/cert.c judge them.
 *
 * In:  inventory.certificates[]   {subject, issuer, ..., token, label,
 *                                   has_private_key} (or {file} for verify)
 *      internal.certificates[]    {der: base64}, parallel to it
 *      inventory.inputs[]         verify only: {file, count, error, detail}
 * Out: inventory.x509             what was done: offline, cache, anchors,
 *                                   network log, decode errors
 *      inventory.signing_candidates[], inventory.signing_certificate,
 *      inventory.chain[], inventory.chain_status, inventory.revocation */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "core/i18n.h"
#include "core/util.h"
#include "p11/p11.h"
#include "x509/chain.h"
#include "x509/x509.h"

static X509 *
der_cert(const uint8_t *der, size_t n)
{
	return n > ND_X509_MAX_CERT ? NULL : nd_x509_from_der(der, n);
}

static bool
valid_now(const json_object *fx, time_t now)
{
	int64_t nb = nd_x509_parse_time(nd_jstr(fx, "not_before"));
	int64_t na = nd_x509_parse_time(nd_jstr(fx, "not_after"));

	return nb != ND_X509_TIME_BAD && na != ND_X509_TIME_BAD && nb <= (int64_t)now && (int64_t)now <= na;
}

static void
copy_key(json_object *dst, const json_object *src, const char *key)
{
	json_object *v;

	if (src && json_object_object_get_ex(src, key, &v))
		json_object_object_add(dst, key, json_object_get(v));
}

/* `verify` on files that hold only CA certificates (a root, an issuing
 * CA): there is no personal certificate to judge, so say of each which CA
 * it is, whether it is in date and whether it chains to a trusted root.
 * A token with only CA certificates is a problem of the token instead. */
static bool
files_only_cas(const json_object *inv, X509 *const *xs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!nd_jstr(json_object_array_get_idx(inv, i), "file") || !xs[i] || X509_check_ca(xs[i]) <= 0)
			return false;
	return n > 0;
}

static json_object *
ca_entry(size_t i, X509 *x, const json_object *ent, const struct nd_chain_in *tmpl, struct nd_pool *pool,
         struct nd_net *net, time_t now)
{
	struct nd_chain_in ci = *tmpl;
	struct nd_chain_out co;
	json_object *c = json_object_new_object(), *fx = nd_x509_describe(x, tmpl->show_id);
	const struct nd_pin *pin = nd_x509_pin_find(nd_jstr(fx, "sha256"));

	json_object_object_add(c, "index", json_object_new_int((int)i));
	copy_key(c, ent, "file");
	copy_key(c, fx, "subject");
	copy_key(c, fx, "issuer");
	copy_key(c, fx, "sha256");
	nd_jset_str(c, "kamusm", pin ? (pin->root ? "root" : "issuing_ca") : NULL);
	copy_key(c, fx, "self_signed");
	copy_key(c, fx, "not_before");
	copy_key(c, fx, "not_after");
	json_object_object_add(c, "valid_now", json_object_new_boolean(valid_now(fx, now)));
	ci.leaf = x;
	nd_chain_build(&ci, pool, net, &co);
	json_object_object_add(c, "chain_status", json_object_get(co.status));
	json_object_object_add(c, "chain", json_object_get(co.elements));
	nd_chain_out_reset(&co);
	json_object_put(fx);
	return c;
}

static STACK_OF(X509) *
load_anchors(const struct nd_opts *o, json_object *x509)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	json_object *list = json_object_new_array();

	for (size_t i = 0; o && sk && i < o->n_anchors; i++) {
		uint8_t *buf = NULL;
		size_t len = 0;
		char err[256];
		int before = sk_X509_num(sk);
		json_object *a = json_object_new_object();
		nd_err e;

		json_object_object_add(a, "file", json_object_new_string(o->anchors[i]));
		e = nd_x509_read_file(o->anchors[i], ND_X509_MAX_CERT * 16, &buf, &len, err, sizeof err);
		if (e == ND_OK)
			e = nd_x509_decode_certs(buf, len, sk, err, sizeof err);
		json_object_object_add(a, "certificates", json_object_new_int(sk_X509_num(sk) - before));
		if (e != ND_OK) {
			json_object_object_add(a, "error", json_object_new_string(nd_err_name(e)));
			json_object_object_add(a, "detail", json_object_new_string(err));
		}
		json_object_array_add(list, a);
		free(buf);
	}
	json_object_object_add(x509, "anchors", list);
	return sk;
}

/* What chains are built from besides the certificates given: the cached
 * CA certificates and the --anchor files. */
static void
load_material(const char *cache, const struct nd_opts *o, json_object *x509, struct nd_pool *pool,
              STACK_OF(X509) **cached, STACK_OF(X509) **anchors)
{
	*cached = sk_X509_new_null();
	nd_cache_load_certs(cache, *cached);
	for (int i = 0; *cached && i < sk_X509_num(*cached); i++)
		if (X509_check_ca(sk_X509_value(*cached, i)) > 0)
			nd_pool_add(pool, sk_X509_value(*cached, i), "cache");
	*anchors = load_anchors(o, x509);
}

/* What the steps of one collection share. */
struct collect {
	const struct nd_opts *o;
	json_object *inv;       /* inventory.certificates[] (borrowed) */
	json_object *x509;      /* inventory.x509 (borrowed) */
	X509 **xs;              /* decoded, parallel to inv; NULL: could not be */
	size_t n;
	struct nd_pool pool;
	struct nd_net net;
	char *cache, *data_dir;
	STACK_OF(X509) *anchors, *cached;
	time_t now;
};

/* A folder someone else owns or can write is not used at all: they could
 * plant links or certificates in it. Returns the folder to use, or NULL. */
static char *
usable_cache(char *cache, const struct nd_opts *o, json_object *x509)
{
	char why[512];

	if (cache && !nd_cache_usable(cache, why, sizeof why)) {
		nd_jset_str(x509, "cache_refused", why);
		if (o->verbose)
			fprintf(stderr, _("nesdoctor: not using the cache folder %s: %s\n"), cache, why);
		free(cache);
		return NULL;
	}
	json_object_object_add(x509, "cache_refused", NULL);
	return cache;
}

/* Step 1: decode what the token (or the files) gave. Each certificate that
 * cannot be read becomes an entry of `errors` and a NULL in c->xs. */
static void
decode(struct collect *c, json_object *der, json_object *errors)
{
	c->xs = nd_xcalloc(c->n ? c->n : 1, sizeof *c->xs);
	for (size_t i = 0; i < c->n; i++) {
		json_object *ent = json_object_array_get_idx(c->inv, i);
		json_object *in = der && i < json_object_array_length(der) ?
		    json_object_array_get_idx(der, i) : NULL;
		size_t len = 0;
		uint8_t *bytes = nd_unbase64(nd_jstr(in, "der"), ND_X509_MAX_CERT, &len);

		c->xs[i] = bytes ? der_cert(bytes, len) : NULL;
		free(bytes);
		ERR_clear_error();
		if (!c->xs[i]) {
			json_object *e = json_object_new_object();
			json_object_object_add(e, "index", json_object_new_int((int)i));
			copy_key(e, ent, "file");
			copy_key(e, ent, "label");
			json_object_object_add(e, "error", json_object_new_string(
			    bytes ? "parse" : "missing"));
			json_object_array_add(errors, e);
			continue;
		}
		nd_pool_add(&c->pool, c->xs[i], nd_jstr(ent, "file") ? "file" : "token");
	}
}

/* One entry of signing_candidates[]: what tells the certificates apart. */
static json_object *
candidate(size_t i, const json_object *fx, const json_object *ent, bool chosen, time_t now)
{
	json_object *c = json_object_new_object();

	json_object_object_add(c, "index", json_object_new_int((int)i));
	copy_key(c, fx, "subject");
	copy_key(c, fx, "serial");
	copy_key(c, fx, "not_after");
	json_object_object_add(c, "non_repudiation",
	    json_object_new_boolean(nd_jarr_has_str(nd_jarr(fx, "key_usage"), "nonRepudiation")));
	json_object_object_add(c, "qualified", json_object_new_boolean(nd_x509_is_qualified(fx)));
	json_object_object_add(c, "valid_now", json_object_new_boolean(valid_now(fx, now)));
	copy_key(c, ent, "label");
	json_object_object_add(c, "chosen", json_object_new_boolean(chosen));
	return c;
}

/* Step 2: the signing certificate, by the one rule (the same answer the
 * token layer's checks and sign-test get), and the personal certificates
 * it was chosen from. Returns its description (owned), or NULL when no
 * personal certificate was chosen; *chosen is its index. */
static json_object *
choose(struct collect *c, struct nd_report *rep, long *chosen)
{
	json_object *cands = json_object_new_array(), *chosen_fx = NULL;

	*chosen = nd_p11_pick_signing_cert(rep);
	if (*chosen >= 0 && ((size_t)*chosen >= c->n || !c->xs[*chosen]))
		*chosen = -1;
	for (size_t i = 0; i < c->n; i++) {
		json_object *fx;

		if (!c->xs[i] || X509_check_ca(c->xs[i]) > 0)
			continue;
		fx = nd_x509_describe(c->xs[i], c->o->show_id);
		json_object_array_add(cands, candidate(i, fx, json_object_array_get_idx(c->inv, i),
		    (long)i == *chosen, c->now));
		if ((long)i == *chosen)
			chosen_fx = fx;
		else
			json_object_put(fx);
	}
	json_object_object_add(rep->inventory, "signing_candidates", cands);
	return chosen_fx;
}

/* inventory.signing_certificate: the chosen certificate's facts and where
 * it was found. */
static void
add_signing_certificate(json_object *inventory, json_object *chosen_fx, const json_object *ent, long chosen)
{
	json_object_object_add(chosen_fx, "index", json_object_new_int((int)chosen));
	copy_key(chosen_fx, ent, "token");
	copy_key(chosen_fx, ent, "slot");
	copy_key(chosen_fx, ent, "label");
	copy_key(chosen_fx, ent, "id");
	copy_key(chosen_fx, ent, "file");
	copy_key(chosen_fx, ent, "has_private_key");
	json_object_object_add(chosen_fx, "source",
	    json_object_new_string(nd_jstr(ent, "file") ? "file" : "token"));
	json_object_object_add(inventory, "signing_certificate", json_object_get(chosen_fx));
}

/* No signing certificate: for files of CA certificates only, say of each
 * which CA it is and how it chains (inventory.ca_certificates). */
static void
no_signing_certificate(struct collect *c, json_object *inventory)
{
	json_object *cas;
	struct nd_chain_in tmpl = { NULL, NULL, true, c->o->show_id, c->cache, c->data_dir };

	json_object_object_add(inventory, "signing_certificate", NULL);
	if (!files_only_cas(c->inv, c->xs, c->n))
		return;
	cas = json_object_new_array();
	load_material(c->cache, c->o, c->x509, &c->pool, &c->cached, &c->anchors);
	tmpl.anchors = c->anchors;
	for (size_t i = 0; i < c->n; i++)
		json_object_array_add(cas, ca_entry(i, c->xs[i], json_object_array_get_idx(c->inv, i), &tmpl,
		    &c->pool, &c->net, c->now));
	json_object_object_add(inventory, "ca_certificates", cas);
}

/* Step 4: revocation, when there is a verified chain to judge answers by:
 * the leaf's (inventory.revocation), then each CA below the anchor by its
 * issuer's CRL (chain[i].revocation; null for the leaf, whose answer is
 * "revocation", and the anchor). */
static void
revocation(struct collect *c, json_object *inventory, X509 *leaf, const json_object *leaf_fx,
       const struct nd_chain_out *co)
{
	int len = co->chain ? sk_X509_num(co->chain) : 0;

	if (co->chain)
		json_object_object_add(inventory, "revocation",
		    nd_x509_revocation(leaf, co->issuer, co->store, co->chain, leaf_fx, &c->net, c->cache));
	else
		json_object_object_add(inventory, "revocation", NULL);
	for (int i = 0; i < len && (size_t)i < json_object_array_length(co->elements); i++) {
		json_object *rv = NULL;
		if (i > 0 && i < len - 1)
			rv = nd_x509_ca_revocation(sk_X509_value(co->chain, i), sk_X509_value(co->chain, i + 1),
			    &c->net, c->cache);
		json_object_object_add(json_object_array_get_idx(co->elements, (size_t)i), "revocation", rv);
	}
}

/* inventory.x509: where this run looked and what it could read. */
static void
describe_run(struct collect *c, json_object *errors)
{
	json_object_object_add(c->x509, "offline", json_object_new_boolean(c->o->offline));
	nd_jset_str(c->x509, "cache_dir", c->cache);
	nd_jset_str(c->x509, "data_dir", c->data_dir);
	c->cache = usable_cache(c->cache, c->o, c->x509);
	/* no list at all: the token layer did not run or found no token, which
	 * is not the same as a token without certificates */
	json_object_object_add(c->x509, "certificates_listed", json_object_new_boolean(c->inv != NULL));
	json_object_object_add(c->x509, "certificates_seen", json_object_new_int((int)c->n));
	json_object_object_add(c->x509, "decode_errors", errors);
}

nd_err
nd_x509_collect(struct nd_report *rep)
{
	struct nd_opts defaults;
	struct collect c = { 0 };
	json_object *errors = json_object_new_array(), *chosen_fx = NULL;
	struct nd_chain_out co;
	long chosen = -1;

	c.o = rep->opts;
	if (!c.o) {
		nd_opts_defaults(&defaults);
		c.o = &defaults;
	}
	c.inv = nd_jarr(rep->inventory, "certificates");
	c.n = c.inv ? json_object_array_length(c.inv) : 0;
	c.now = rep->time ? rep->time : time(NULL);
	c.x509 = json_object_new_object();
	nd_pool_init(&c.pool);
	memset(&co, 0, sizeof co);
	nd_net_init(&c.net, c.o->offline, c.o->timeout_s);
	/* what a long network wait is for, on a terminal only, and only with
	 * the report for people (never with JSON, the summary or metrics) */
	c.net.progress = c.o->format == ND_FORMAT_TEXT && isatty(STDERR_FILENO);
	c.cache = nd_cache_dir(c.o->cache_dir);
	c.data_dir = nd_x509_data_dir();
	json_object_object_add(rep->inventory, "x509", c.x509);
	describe_run(&c, errors);

	decode(&c, nd_jarr(rep->internal, "certificates"), errors);
	chosen_fx = choose(&c, rep, &chosen);
	if (chosen < 0 || !chosen_fx) {
		no_signing_certificate(&c, rep->inventory);
		goto fail;
	}
	add_signing_certificate(rep->inventory, chosen_fx, json_object_array_get_idx(c.inv, (size_t)chosen), chosen);

	/* 3. the chain: token + cache + AIA, anchored on pins, --anchor, system */
	load_material(c.cache, c.o, c.x509, &c.pool, &c.cached, &c.anchors);
	{
		struct nd_chain_in ci = { c.xs[chosen], c.anchors, true, c.o->show_id, c.cache, c.data_dir };
		nd_chain_build(&ci, &c.pool, &c.net, &co);
	}
	json_object_object_add(rep->inventory, "chain", json_object_get(co.elements));
	json_object_object_add(rep->inventory, "chain_status", json_object_get(co.status));
	revocation(&c, rep->inventory, c.xs[chosen], chosen_fx, &co);
fail:
	json_object_object_add(c.x509, "network", json_object_get(c.net.log));
	json_object_put(c.net.log);
	json_object_put(chosen_fx);
	nd_chain_out_reset(&co);
	sk_X509_pop_free(c.anchors, X509_free);
	sk_X509_pop_free(c.cached, X509_free);
	for (size_t i = 0; c.xs && i < c.n; i++)
		X509_free(c.xs[i]);
	free(c.xs);
	nd_pool_reset(&c.pool);
	free(c.cache);
	free(c.data_dir);
	ERR_clear_error();
	return ND_OK;
}
