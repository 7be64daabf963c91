/* SPDX-License-Identifier: BSD-2-Clause */
/* Which of the modules and tokens seen decide whether this person can sign.
 * A machine may carry OpenSC, SoftHSM and p11-kit's trust module next to
 * the AKIS library; DYS signs through the AKIS library, so when it is
 * there, the others are background. --module overrides all of that. */
#include <string.h>

#include "core/util.h"
#include "p11/p11_int.h"
#include "report/report.h"
#include "x509/x509.h"

static bool
any_module(const json_object *inv, bool (*pred)(const json_object *))
{
	json_object *mods = nd_jarr(inv, "modules");
	size_t n = mods ? json_object_array_length(mods) : 0;

	for (size_t i = 0; i < n; i++)
		if (pred(json_object_array_get_idx(mods, i)))
			return true;
	return false;
}

static bool
is_explicit(const json_object *m)
{
	const char *src = nd_jstr(m, "source");

	return src && strcmp(src, "--module") == 0;
}

bool
nd_p11_module_is_akis(const json_object *m)
{
	const char *src = nd_jstr(m, "source");

	return (src && strcmp(src, "akis-known-path") == 0) || nd_p11_is_akis_path(nd_jstr(m, "path"));
}

bool
nd_p11_module_in_scope(const json_object *inv, const json_object *m)
{
	if (any_module(inv, is_explicit))
		return is_explicit(m);
	if (any_module(inv, nd_p11_module_is_akis))
		return nd_p11_module_is_akis(m);
	return true;
}

static json_object *
module_by_path(const json_object *inv, const char *path)
{
	json_object *mods = nd_jarr(inv, "modules");
	size_t n = mods ? json_object_array_length(mods) : 0;

	for (size_t i = 0; path && i < n; i++) {
		json_object *m = json_object_array_get_idx(mods, i);
		const char *p = nd_jstr(m, "path");
		if (p && strcmp(p, path) == 0)
			return m;
	}
	return NULL;
}

bool
nd_p11_token_in_scope(const json_object *inv, const json_object *tok)
{
	json_object *m = module_by_path(inv, nd_jstr(tok, "module"));

	return m && nd_p11_module_in_scope(inv, m);
}

json_object *
nd_p11_cert_token(const json_object *inv, const json_object *cert)
{
	json_object *toks = nd_jarr(inv, "tokens"), *cs;
	const char *mod = nd_jstr(cert, "module");
	size_t n = toks ? json_object_array_length(toks) : 0;

	if (!json_object_object_get_ex(cert, "slot", &cs))
		return NULL;
	for (size_t i = 0; mod && i < n; i++) {
		json_object *t = json_object_array_get_idx(toks, i), *ts;
		const char *tm = nd_jstr(t, "module");
		if (tm && strcmp(tm, mod) == 0 && json_object_object_get_ex(t, "slot", &ts) &&
		    json_object_get_uint64(ts) == json_object_get_uint64(cs))
			return t;
	}
	return NULL;
}

/* A file given to verify, or a certificate on a token in scope. */
static bool
cert_in_scope(const void *ctx, const json_object *cert)
{
	const json_object *inv = ctx;
	json_object *t;

	if (nd_jstr(cert, "file"))
		return true;
	t = nd_p11_cert_token(inv, cert);
	return t && nd_p11_token_in_scope(inv, t);
}

size_t
nd_p11_token_n_qualified(const struct nd_report *rep, const json_object *token)
{
	json_object *certs = nd_jarr(rep->inventory, "certificates"), *ders = nd_jarr(rep->internal, "certificates");
	size_t n = certs ? json_object_array_length(certs) : 0, nd = ders ? json_object_array_length(ders) : 0, q = 0;

	for (size_t i = 0; token && i < n; i++) {
		json_object *c = json_object_array_get_idx(certs, i);
		if (nd_p11_cert_token(rep->inventory, c) == token &&
		    nd_x509_entry_qualified(c, i < nd ? json_object_array_get_idx(ders, i) : NULL))
			q++;
	}
	return q;
}

long
nd_p11_pick_signing_cert(const struct nd_report *rep)
{
	return nd_x509_pick_signing(nd_jarr(rep->inventory, "certificates"),
	    nd_jarr(rep->internal, "certificates"), rep->time, cert_in_scope, rep->inventory);
}
