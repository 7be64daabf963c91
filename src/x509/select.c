/* SPDX-License-Identifier: BSD-2-Clause */
/* The one rule for the certificate a signing program would use, and the one
 * definition of "qualified". p11.objects, p11.mechanisms, sign-test and the
 * cert checks all follow them (through nd_p11_pick_signing_cert and the x509
 * collector), so that no two layers talk about different certificates. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "core/util.h"
#include "x509/x509.h"
#include "x509/x509_int.h"

bool
nd_x509_is_qualified(const json_object *fx)
{
	json_object *qc = nd_jarr(fx, "qc_statements");

	/* a NES signs with nonRepudiation: without it, QC statements or not,
	 * the certificate is not the one that signs */
	return nd_jarr_has_str(nd_jarr(fx, "key_usage"), "nonRepudiation") &&
	    nd_jarr_has_str(qc, ND_OID_QC_COMPLIANCE) && nd_jarr_has_str(qc, ND_OID_QC_BTK_NES);
}

/* What the rule compares, in order of weight. */
struct cand {
	bool key_not_absent;   /* a certificate known to have no key cannot sign */
	bool qualified;
	bool valid_now;
	bool non_repudiation;
	bool has_key;
	bool key_kind;         /* RSA or EC */
	int64_t not_after, not_before;
};

static int
cmp(const struct cand *a, const struct cand *b)
{
	const bool fa[] = { a->key_not_absent, a->qualified, a->valid_now, a->non_repudiation,
		a->has_key, a->key_kind };
	const bool fb[] = { b->key_not_absent, b->qualified, b->valid_now, b->non_repudiation,
		b->has_key, b->key_kind };

	for (size_t i = 0; i < sizeof fa / sizeof fa[0]; i++)
		if (fa[i] != fb[i])
			return fa[i] ? 1 : -1;
	if (a->not_after != b->not_after)
		return a->not_after > b->not_after ? 1 : -1;
	if (a->not_before != b->not_before)
		return a->not_before > b->not_before ? 1 : -1;
	return 0;
}

/* The description of the certificate in a DER entry ({"der": base64}),
 * NULL when it does not decode or is a CA certificate. Kept in the entry
 * itself ("described", never rendered: the entry lives in rep->internal),
 * since the rule is asked several times a run (each p11 and cert check,
 * sign-test) and decoding is most of its cost; the entry's DER never
 * changes, so neither does its description. Borrowed reference. */
static json_object *
described(json_object *der)
{
	json_object *memo = NULL, *fx = NULL;
	const char *b64 = nd_jstr(der, "der");
	size_t len = 0;
	uint8_t *bytes;
	X509 *x = NULL;

	if (json_object_object_get_ex(der, "described", &memo))
		return json_object_is_type(memo, json_type_object) ? memo : NULL;
	bytes = b64 ? nd_unbase64(b64, ND_X509_MAX_CERT, &len) : NULL;
	x = bytes ? nd_x509_from_der(bytes, len) : NULL;
	free(bytes);
	ERR_clear_error();
	if (x && X509_check_ca(x) <= 0)
		fx = nd_x509_describe(x, false);
	X509_free(x);
	/* null: tried, and not a personal certificate */
	json_object_object_add(der, "described", fx);
	return fx;
}

/* The facts of one entry: the certificate itself when its DER is there
 * (the token's summary lacks QC statements), else what the entry says. */
static bool
facts(const json_object *ent, json_object *der, time_t now, struct cand *c)
{
	json_object *hp;
	const json_object *fx = ent;
	const char *kt;
	bool ok = false;

	memset(c, 0, sizeof *c);
	if (nd_jbool(ent, "parse_error", false))
		goto fail;
	if (nd_jstr(der, "der")) {
		if (!(fx = described(der)))
			goto fail;
	}
	c->qualified = nd_x509_is_qualified(fx);
	c->non_repudiation = nd_jarr_has_str(nd_jarr(fx, "key_usage"), "nonRepudiation") ||
	    nd_jbool(ent, "non_repudiation", false);
	c->not_after = nd_x509_parse_time(nd_jstr(fx, "not_after"));
	c->not_before = nd_x509_parse_time(nd_jstr(fx, "not_before"));
	c->valid_now = c->not_after != ND_X509_TIME_BAD && c->not_before != ND_X509_TIME_BAD &&
	    c->not_before <= (int64_t)now && (int64_t)now <= c->not_after;
	hp = NULL;
	json_object_object_get_ex(ent, "has_private_key", &hp);
	c->key_not_absent = !(hp && json_object_is_type(hp, json_type_boolean) && !json_object_get_boolean(hp));
	c->has_key = hp && json_object_get_boolean(hp);
	kt = nd_jstr(ent, "key_type");
	if (!kt)
		kt = nd_jstr(nd_jobj(fx, "key"), "type");
	c->key_kind = kt && (strcmp(kt, "RSA") == 0 || strcmp(kt, "EC") == 0);
	ok = true;
fail:
	return ok;
}

bool
nd_x509_entry_qualified(const json_object *cert, json_object *der)
{
	struct cand c;

	return facts(cert, der, 0, &c) && c.key_not_absent && c.qualified;
}

long
nd_x509_pick_signing(const json_object *certs, const json_object *ders, time_t now,
                     bool (*eligible)(const void *ctx, const json_object *cert), const void *ctx)
{
	size_t n = certs ? json_object_array_length(certs) : 0;
	size_t nd = ders ? json_object_array_length(ders) : 0;
	struct cand best, c;
	long chosen = -1;

	memset(&best, 0, sizeof best);
	for (size_t i = 0; i < n; i++) {
		json_object *ent = json_object_array_get_idx(certs, i);

		if (eligible && !eligible(ctx, ent))
			continue;
		if (!facts(ent, i < nd ? json_object_array_get_idx(ders, i) : NULL, now, &c))
			continue;
		/* ties: the first one listed, as a program walking the token would */
		if (chosen < 0 || cmp(&c, &best) > 0) {
			best = c;
			chosen = (long)i;
		}
	}
	return chosen;
}
