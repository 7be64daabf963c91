/* The cert section of the text report: the signing certificate, the other
 * candidates, the chain and where each link came from, revocation. */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"

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
	json_object *sc = nd_jobj(inv, "signing_certificate");
	json_object *cands = nd_jarr(inv, "signing_candidates");
	json_object *chain = nd_jarr(inv, "chain");
	json_object *rv = nd_jobj(inv, "revocation");
	json_object *net = nd_jarr(nd_jobj(inv, "x509"), "network");
	const char *dim = color ? "\033[2m" : "", *r0 = color ? "\033[0m" : "";

	if (!sc && !chain)
		return;
	fprintf(out, "%s", dim);
	if (sc) {
		json_object *k = nd_jobj(sc, "key");
		fprintf(out, "    %s %s\n", _("Signing certificate:"), s_or(nd_jstr(sc, "subject"), "?"));
		fprintf(out, "      %s %s  %s %s .. %s\n", _("serial"), s_or(nd_jstr(sc, "serial"), "?"),
		    _("valid"), s_or(nd_jstr(sc, "not_before"), "?"), s_or(nd_jstr(sc, "not_after"), "?"));
		if (nd_jstr(k, "curve"))
			fprintf(out, "      %s %s %s", _("key"), s_or(nd_jstr(k, "type"), "?"), nd_jstr(k, "curve"));
		else
			fprintf(out, "      %s %s %lld", _("key"), s_or(nd_jstr(k, "type"), "?"),
			    (long long)nd_jint(k, "bits", 0));
		if (nd_jstr(sc, "label"))
			fprintf(out, "  %s %s", _("label"), nd_jstr(sc, "label"));
		if (nd_jstr(sc, "file"))
			fprintf(out, "  %s %s", _("file"), nd_jstr(sc, "file"));
		fputc('\n', out);
	}
	for (size_t i = 0; cands && json_object_array_length(cands) > 1 && i < json_object_array_length(cands); i++) {
		json_object *c = json_object_array_get_idx(cands, i);
		fprintf(out, "      %s %s (%s%s%s)\n", nd_jbool(c, "chosen", false) ? "→" : " ",
		    s_or(nd_jstr(c, "subject"), "?"),
		    nd_jbool(c, "qualified", false) ? _("qualified") : _("not qualified"),
		    nd_jbool(c, "non_repudiation", false) ? ", nonRepudiation" : "",
		    nd_jbool(c, "valid_now", false) ? "" : _(", not valid now"));
	}
	if (chain && json_object_array_length(chain)) {
		fprintf(out, "    %s\n", _("Chain:"));
		for (size_t i = 0; i < json_object_array_length(chain); i++) {
			json_object *e = json_object_array_get_idx(chain, i);
			char buf[256];
			const char *pin = nd_jstr(e, "kamusm");
			fprintf(out, "      %zu %s [%s]%s%s\n", i, cn(nd_jstr(e, "subject"), buf, sizeof buf),
			    s_or(nd_jstr(e, "source"), "?"),
			    pin ? " " : "", pin ? (strcmp(pin, "root") == 0 ? _("(Kamu SM root, pinned)") :
			    _("(Kamu SM NES CA, pinned)")) : "");
		}
	}
	if (rv) {
		fprintf(out, "    %s %s", _("Revocation:"), s_or(nd_jstr(rv, "status"), "?"));
		if (nd_jstr(rv, "method"))
			fprintf(out, " (%s %s)", nd_jstr(rv, "method"), s_or(nd_jstr(rv, "url"), ""));
		fputc('\n', out);
	}
	for (size_t i = 0; net && i < json_object_array_length(net); i++) {
		json_object *n = json_object_array_get_idx(net, i);
		fprintf(out, "      %s %s %s %lld ms%s%s\n", s_or(nd_jstr(n, "purpose"), "?"),
		    s_or(nd_jstr(n, "url"), "?"), nd_jbool(n, "ok", false) ? "ok" : s_or(nd_jstr(n, "error"), "?"),
		    (long long)nd_jint(n, "ms", 0), nd_jstr(n, "proxy") ? _(" via proxy ") : "",
		    s_or(nd_jstr(n, "proxy"), ""));
	}
	fprintf(out, "%s", r0);
}
