/* SPDX-License-Identifier: BSD-2-Clause */
/* The usb section of the text report: what the inventory holds. */
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"

void nd_render_text_usb(const struct nd_report *rep, FILE *out, bool color);

/* A value that may be a string or a number (an owner without a name). */
static const char *
jtext(const json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return "?";
	return json_object_get_string(v);
}

static void
join(FILE *out, json_object *arr)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		fprintf(out, "%s%s", i ? " " : "", json_object_get_string(json_object_array_get_idx(arr, i)));
}

static const char *
level_text(const char *l)
{
	if (!l)
		return "?";
	if (!strcmp(l, "extended_apdu"))
		return _("extended APDU exchange");
	if (!strcmp(l, "short_apdu"))
		return _("short APDU exchange");
	if (!strcmp(l, "tpdu"))
		return _("TPDU exchange");
	return _("character exchange");
}

static void
ccid_line(FILE *out, json_object *d)
{
	json_object *c = nd_jobj(d, "ccid"), *pin = nd_jobj(c, "pin_pad");
	const char *err = nd_jstr(d, "ccid_error");

	if (c) {
		fprintf(out, "      CCID %s: ", nd_jstr(c, "bcd_ccid") ? nd_jstr(c, "bcd_ccid") : "?");
		join(out, nd_jarr(c, "protocols"));
		fprintf(out, ", %s, %s %lld, %s\n", level_text(nd_jstr(c, "exchange_level")), _("max IFSD"),
		    (long long)nd_jint(c, "max_ifsd", 0),
		    nd_jbool(pin, "verify", false) ? _("with a PIN pad") : _("no PIN pad"));
	} else if (err)
		fprintf(out, "      CCID: %s (%s)\n", _("the class descriptor is unreadable"), err);
}

void
nd_render_text_usb(const struct nd_report *rep, FILE *out, bool color)
{
	json_object *devs = nd_jarr(rep->inventory, "usb");
	const char *dim = color ? "\033[2m" : "", *r0 = color ? "\033[0m" : "";

	for (size_t i = 0; devs && i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i), *perm = nd_jobj(d, "permissions");
		const char *drv = nd_jstr(d, "driver"), *pkg = nd_jstr(d, "driver_package");
		const char *kd = nd_jstr(d, "kernel_driver");
		json_object *in = NULL;

		json_object_object_get_ex(d, "in_pcsc", &in);

		fprintf(out, "    %s%s%s  %s  USB %s  %s", color ? "\033[1m" : "",
		    nd_jstr(d, "name") ? nd_jstr(d, "name") : _("unknown smart-card device"), r0,
		    nd_jstr(d, "id") ? nd_jstr(d, "id") : "?", nd_jstr(d, "port_path") ? nd_jstr(d, "port_path") : "?",
		    nd_jstr(d, "node") ? nd_jstr(d, "node") : "");
		if (nd_jstr(perm, "mode"))
			fprintf(out, " (%s %s:%s)", nd_jstr(perm, "mode"),
			    jtext(perm, "owner"), jtext(perm, "group"));
		fputc('\n', out);
		if (nd_jtri(d, "authorized") == 0) {
			json_object *u = nd_jobj(nd_jobj(d, "policy"), "udev");
			fprintf(out, "      %s", _("not authorized by the USB policy"));
			if (u && nd_jint(u, "authorized", 1) == 0)
				fprintf(out, " (%s:%lld)", jtext(u, "file"), (long long)nd_jint(u, "line", 0));
			fputc('\n', out);
		}
		ccid_line(out, d);
		fputs(dim, out);
		if (drv)
			fprintf(out, "      %s %s%s%s%s", _("driver:"), drv, pkg ? " (" : "", pkg ? pkg : "", pkg ? ")" : "");
		else
			fprintf(out, "      %s", _("no driver"));
		if (kd)
			fprintf(out, "; %s %s", _("kernel driver:"), kd);
		if (json_object_is_type(in, json_type_boolean) && json_object_get_boolean(in))
			fprintf(out, "; %s \"%s\"", _("in PC/SC as"), nd_jstr(d, "pcsc_reader"));
		else if (json_object_is_type(in, json_type_boolean))
			fprintf(out, "; %s", _("not in PC/SC"));
		fprintf(out, "%s\n", r0);
	}
}
