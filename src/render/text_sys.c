/* SPDX-License-Identifier: BSD-2-Clause */
/* The sys section of the text report: what the inventory holds. */
#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"

void nd_render_text_sys(const struct nd_report *rep, FILE *out, bool color);

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
	fprintf(out, "%s", r0);
}
