/* SPDX-License-Identifier: BSD-2-Clause */
/* The cert section of the text report: the signing certificate, the other
 * candidates, the chain and where each link came from, revocation. */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"
#include "x509/view.h"

void nd_render_text_cert(const struct nd_report *rep, FILE *out, bool color);

static const char *
s_or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

/* Just the CN of a name, for a short line. */
static const char *
cn(const char *dn, char *buf, size_t bufsz)
{
	const char *p = dn ? strstr(dn, "CN=") : NULL, *q;

	if (!p)
		return dn ? dn : "?";
	p += 3;
	q = strstr(p, ", ");
	snprintf(buf, bufsz, "%.*s", (int)(q ? (size_t)(q - p) : strlen(p)), p);
	return buf;
}

void
nd_render_text_cert(const struct nd_report *rep, FILE *out, bool color)
{
	json_object *inv = rep->inventory;
	json_object *sc = nd_x509_signing_cert(inv);
	json_object *cands = nd_x509_candidates(inv);
	json_object *chain = nd_x509_chain_elems(inv);
	json_object *rv = nd_x509_revocation_facts(inv);
	json_object *net = nd_x509_net_log(inv);
	const char *dim = color ? "\033[2m" : "", *r0 = color ? "\033[0m" : "";

	if (!sc && !chain)
		return;
	fprintf(out, "%s", dim);
	if (sc) {
		json_object *k = nd_jobj(sc, ND_X509_K_KEY);
		fprintf(out, "    %s %s\n", _("Signing certificate:"), s_or(nd_jstr(sc, ND_X509_K_SUBJECT), "?"));
		fprintf(out, "      %s %s  %s %s .. %s\n", _("serial"), s_or(nd_jstr(sc, ND_X509_K_SERIAL), "?"),
		    _("valid"), s_or(nd_jstr(sc, ND_X509_K_NOT_BEFORE), "?"), s_or(nd_jstr(sc, ND_X509_K_NOT_AFTER), "?"));
		if (nd_jstr(k, ND_X509_K_CURVE))
			fprintf(out, "      %s %s %s", _("key"), s_or(nd_jstr(k, ND_X509_K_TYPE), "?"), nd_jstr(k, ND_X509_K_CURVE));
		else
			fprintf(out, "      %s %s %lld", _("key"), s_or(nd_jstr(k, ND_X509_K_TYPE), "?"),
			    (long long)nd_jint(k, ND_X509_K_BITS, 0));
		if (nd_jstr(sc, ND_X509_K_LABEL))
			fprintf(out, "  %s %s", _("label"), nd_jstr(sc, ND_X509_K_LABEL));
		if (nd_jstr(sc, ND_X509_K_FILE))
			fprintf(out, "  %s %s", _("file"), nd_jstr(sc, ND_X509_K_FILE));
		fputc('\n', out);
	}
	for (size_t i = 0; cands && json_object_array_length(cands) > 1 && i < json_object_array_length(cands); i++) {
		json_object *c = json_object_array_get_idx(cands, i);
		fprintf(out, "      %s %s (%s%s%s)\n", nd_jbool(c, ND_X509_K_CHOSEN, false) ? "→" : " ",
		    s_or(nd_jstr(c, ND_X509_K_SUBJECT), "?"),
		    nd_jbool(c, ND_X509_K_QUALIFIED, false) ? _("qualified") : _("not qualified"),
		    nd_jbool(c, ND_X509_K_NON_REPUDIATION, false) ? ", nonRepudiation" : "",
		    nd_jbool(c, ND_X509_K_VALID_NOW, false) ? "" : _(", not valid now"));
	}
	if (chain && json_object_array_length(chain)) {
		fprintf(out, "    %s\n", _("Chain:"));
		for (size_t i = 0; i < json_object_array_length(chain); i++) {
			json_object *e = json_object_array_get_idx(chain, i);
			char buf[256];
			enum nd_x509_kamusm pin = nd_x509_kamusm(e);
			const char *pinned = "";

			switch (pin) {
			case ND_KAMUSM_ABSENT:
				break;
			case ND_KAMUSM_ROOT:
				pinned = _("(Kamu SM root, pinned)");
				break;
			default:
				pinned = _("(Kamu SM NES CA, pinned)");
				break;
			}
			fprintf(out, "      %zu %s [%s]%s%s\n", i, cn(nd_jstr(e, ND_X509_K_SUBJECT), buf, sizeof buf),
			    s_or(nd_jstr(e, ND_X509_K_SOURCE), "?"), pin != ND_KAMUSM_ABSENT ? " " : "", pinned);
		}
	}
	if (rv) {
		fprintf(out, "    %s %s", _("Revocation:"), s_or(nd_jstr(rv, ND_X509_K_STATUS), "?"));
		if (nd_jstr(rv, ND_X509_K_METHOD))
			fprintf(out, " (%s %s)", nd_jstr(rv, ND_X509_K_METHOD), s_or(nd_jstr(rv, ND_X509_K_URL), ""));
		fputc('\n', out);
	}
	for (size_t i = 0; net && i < json_object_array_length(net); i++) {
		json_object *n = json_object_array_get_idx(net, i);
		fprintf(out, "      %s %s %s %lld ms%s%s\n", s_or(nd_jstr(n, ND_X509_K_PURPOSE), "?"),
		    s_or(nd_jstr(n, ND_X509_K_URL), "?"), nd_jbool(n, ND_X509_K_OK, false) ? "ok" : s_or(nd_jstr(n, ND_X509_K_ERROR), "?"),
		    (long long)nd_jint(n, ND_X509_K_MS, 0), nd_jstr(n, ND_X509_K_PROXY) ? _(" via proxy ") : "",
		    s_or(nd_jstr(n, ND_X509_K_PROXY), ""));
	}
	fprintf(out, "%s", r0);
}
