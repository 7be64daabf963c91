/* SPDX-License-Identifier: BSD-2-Clause */
/* Chain building (chain.c), private to src/x509. */
#ifndef ND_X509_CHAIN_H
#define ND_X509_CHAIN_H

#include "x509/x509_int.h"

/* Every certificate that may help build a chain, with where it came from
 * ("token", "file", "cache", "aia", "bundled"). Holds a reference to each. */
struct nd_pool_entry {
	X509 *x;
	const char *source;   /* static string */
};
struct nd_pool {
	struct nd_pool_entry *e;
	size_t n, cap;
};

void nd_pool_init(struct nd_pool *p);
void nd_pool_reset(struct nd_pool *p);
/* Adds a reference unless the same certificate is there already. */
bool nd_pool_add(struct nd_pool *p, X509 *x, const char *source);
const char *nd_pool_source(const struct nd_pool *p, X509 *x);

struct nd_chain_in {
	X509 *leaf;
	STACK_OF(X509) *anchors;   /* from --anchor files */
	bool system_store;
	bool show_id;
	const char *cache_dir;
	const char *data_dir;      /* Kamu SM's shipped certificates, or NULL */
};

struct nd_chain_out {
	json_object *status;     /* inventory.chain_status */
	json_object *elements;   /* inventory.chain */
	/* when verified: */
	X509 *issuer;            /* the leaf's issuer (a reference) or NULL */
	STACK_OF(X509) *chain;
	X509_STORE *store;       /* the anchors that verified it (for OCSP) */
};

void nd_chain_build(const struct nd_chain_in *in, struct nd_pool *pool, struct nd_net *net,
                    struct nd_chain_out *out);
void nd_chain_out_reset(struct nd_chain_out *out);

#endif
