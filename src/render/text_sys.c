/* SPDX-License-Identifier: BSD-2-Clause */
/* The sys section of the text report: what the inventory holds. */
#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"

void nd_render_text_sys(const struct nd_report *rep, FILE *out, bool color);

/* Whether a browser database holds the AKIS module (or p11-kit's proxy). */
static const char *
module_state(const json_object *db)
{
	if (nd_jbool(db, "locked", false))
		return _("in use by Firefox, not read");
	if (nd_jbool(db, "akis", false) || nd_jbool(db, "p11_kit_proxy", false))
		return _("the AKIS module is registered");
	return _("the AKIS module is not registered");
}

static void
text_browsers(const json_object *b, FILE *out)
{
	json_object *ff = nd_jarr(b, "firefox"), *nss = nd_jobj(b, "nssdb");

	for (size_t i = 0; ff && i < json_object_array_length(ff); i++) {
		json_object *p = json_object_array_get_idx(ff, i);
		if (!nd_jbool(p, "exists", false))
			continue;
		fprintf(out, "    %s %s (%s): %s\n", _("Firefox profile"), nd_jstr(p, "name") ? nd_jstr(p, "name") : "?",
		    nd_jstr(p, "install") ? nd_jstr(p, "install") : "?", module_state(p));
	}
	if (nd_jbool(nss, "exists", false))
		fprintf(out, "    %s: %s\n", _("Chrome/Chromium (~/.pki/nssdb)"), module_state(nss));
	if (nd_jstr(b, "sudo_user"))
		fprintf(out, "    %s %s\n", _("browser profiles of:"), nd_jstr(b, "sudo_user"));
}

static void
text_java(const json_object *j, FILE *out)
{
	json_object *jp = nd_jobj(j, "on_path"), *inst = nd_jarr(j, "installed"), *e;
	size_t ni = inst ? json_object_array_length(inst) : 0;

	if (!j)
		return;
	if (!jp && ni == 0) {
		fprintf(out, "    Java: %s\n", _("not installed"));
		return;
	}
	if (!jp)
		jp = json_object_array_get_idx(inst, 0);
	e = nd_jobj(jp, "elf");
	fprintf(out, "    Java %s (%s): %s", nd_jstr(jp, "version") ? nd_jstr(jp, "version") : "?",
	    nd_jstr(jp, "path") ? nd_jstr(jp, "path") : "?", nd_jobj(j, "on_path") ? _("on PATH") : _("not on PATH"));
	if (e)
		fprintf(out, _(", %lld-bit %s"), (long long)nd_jint(e, "bits", 0),
		    nd_jstr(e, "machine") ? nd_jstr(e, "machine") : "?");
	fputc('\n', out);
}

void
nd_render_text_sys(const struct nd_report *rep, FILE *out, bool color)
{
	json_object *s = nd_jobj(rep->inventory, "system"), *p = nd_jobj(s, "pcscd");
	json_object *sess = nd_jobj(s, "session"), *sock = nd_jobj(p, "socket_unit");
	const char *dim = color ? "\033[2m" : "", *r0 = color ? "\033[0m" : "";

	if (!s)
		return;
	fprintf(out, "%s", dim);
	if (nd_jbool(p, "installed", false)) {
		fprintf(out, "    pcscd %s (%s): ", nd_jstr(p, "version") ? nd_jstr(p, "version") : "?",
		    nd_jstr(p, "path") ? nd_jstr(p, "path") : "?");
		if (nd_jbool(p, "running", false))
			fprintf(out, _("running as %s"), nd_jstr(p, "user") ? nd_jstr(p, "user") : "?");
		else
			fputs(_("not running"), out);
		if (sock)
			fprintf(out, "; pcscd.socket %s, %s", nd_jstr(sock, "enabled") ? nd_jstr(sock, "enabled") : "?",
			    nd_jstr(sock, "active") ? nd_jstr(sock, "active") : "?");
		fputc('\n', out);
	}
	fprintf(out, "    %s %s%s%s%s\n", _("session:"), nd_jstr(sess, "user") ? nd_jstr(sess, "user") : "?",
	    nd_jbool(sess, "ssh", false) ? ", ssh" : "",
	    nd_jstr(s, "container") ? ", " : "", nd_jstr(s, "container") ? nd_jstr(s, "container") : "");
	text_browsers(nd_jobj(s, "browsers"), out);
	text_java(nd_jobj(s, "java"), out);
	fprintf(out, "%s", r0);
}
