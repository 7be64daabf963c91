/* SPDX-License-Identifier: BSD-2-Clause */
/* What a nesdoctor.report/1 document says, in the window's words: the
 * verdict's sentence, icon and colour, the layers' titles, the remedy as
 * steps, the setup parts the findings name, and the token sign-test would
 * use. Everything here reads the child's document; nothing is judged
 * again. */
#include <string.h>

#include "ndgtk.h"

const char *
ndg_str(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

const char *
ndg_verdict_text(const char *v)
{
	if (!v)
		return _("Could not tell whether signing works");
	if (strcmp(v, "ready") == 0)
		return _("Ready: you can sign with this device");
	if (strcmp(v, "warning") == 0)
		return _("Ready with warnings: signing should work, but something needs attention");
	if (strcmp(v, "not_ready") == 0)
		return _("Not ready: signing will not work yet");
	return _("Could not tell whether signing works");
}

const char *
ndg_verdict_icon(const char *v)
{
	if (v && strcmp(v, "ready") == 0)
		return "emblem-ok-symbolic";
	if (v && strcmp(v, "warning") == 0)
		return "dialog-warning-symbolic";
	if (v && strcmp(v, "not_ready") == 0)
		return "dialog-error-symbolic";
	return "dialog-question-symbolic";
}

const char *
ndg_verdict_css(const char *v)
{
	if (v && strcmp(v, "ready") == 0)
		return "nd-ready";
	if (v && strcmp(v, "warning") == 0)
		return "nd-warning";
	if (v && strcmp(v, "not_ready") == 0)
		return "nd-not-ready";
	return "nd-unknown";
}

const char *
ndg_layer_title(const char *layer)
{
	static const struct { const char *id, *title; } t[] = {
		{ "usb", N_("USB") },
		{ "sys", N_("System") },
		{ "pcsc", N_("Card reader") },
		{ "p11", N_("Token") },
		{ "cert", N_("Certificate") },
		{ "sign", N_("Signature") },
		{ "dys", N_("DYS") },
	};

	for (size_t i = 0; layer && i < G_N_ELEMENTS(t); i++)
		if (strcmp(layer, t[i].id) == 0)
			return _(t[i].title);
	return layer ? layer : "";
}

const char *
ndg_status_mark(const char *s)
{
	if (!s)
		return "·";
	if (strcmp(s, "pass") == 0)
		return "✔";
	if (strcmp(s, "warn") == 0)
		return "!";
	if (strcmp(s, "fail") == 0)
		return "✘";
	if (strcmp(s, "info") == 0)
		return "i";
	return "–";
}

const char *
ndg_status_text(const char *s)
{
	if (!s)
		return "";
	if (strcmp(s, "pass") == 0)
		return _("passed");
	if (strcmp(s, "warn") == 0)
		return _("warning");
	if (strcmp(s, "fail") == 0)
		return _("failed");
	if (strcmp(s, "info") == 0)
		return _("information");
	return _("skipped");
}

json_object *
ndg_check(json_object *rep, const char *id)
{
	json_object *checks;

	if (!rep || !id || !json_object_object_get_ex(rep, "checks", &checks) ||
	    !json_object_is_type(checks, json_type_array))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *cid = ndg_str(c, "id");
		if (cid && strcmp(cid, id) == 0)
			return c;
	}
	return NULL;
}

/* The remedy's lines are its steps; a remedy written as one line is one
 * step. */
char **
ndg_remedy_steps(const char *remedy)
{
	GPtrArray *a = g_ptr_array_new();
	char **lines = g_strsplit(remedy ? remedy : "", "\n", -1);

	for (char **l = lines; *l; l++) {
		char *s = g_strstrip(g_strdup(*l));
		if (*s)
			g_ptr_array_add(a, s);
		else
			g_free(s);
	}
	g_strfreev(lines);
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

static void
add_part(GPtrArray *a, const char *part)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp(g_ptr_array_index(a, i), part) == 0)
			return;
	g_ptr_array_add(a, g_strdup(part));
}

/* The setup parts that answer the findings: the checks whose cause a part
 * fixes, and any `nesdoctor setup PART` a remedy names. nss is left out
 * (it is run as the person, never through pkexec) and so is polkit (it
 * needs a group chosen by an administrator). NULL when there is none. */
char **
ndg_fix_parts(json_object *rep)
{
	static const struct { const char *check, *part; } map[] = {
		{ "usb.access", "udev" },
		{ "sys.pcscd", "pcscd" },
		{ "pcsc.service", "pcscd" },
		{ "p11.module", "p11-kit" },
	};
	static const char *named[] = { "udev", "p11-kit", "pcscd" };
	GPtrArray *a = g_ptr_array_new();
	json_object *checks;

	if (!rep || !json_object_object_get_ex(rep, "checks", &checks) ||
	    !json_object_is_type(checks, json_type_array))
		goto fail;
	for (size_t i = 0; i < json_object_array_length(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *id = ndg_str(c, "id"), *st = ndg_str(c, "status"), *rem = ndg_str(c, "remedy");
		if (!id || !st || (strcmp(st, "fail") != 0 && strcmp(st, "warn") != 0))
			continue;
		for (size_t k = 0; k < G_N_ELEMENTS(map); k++)
			if (strcmp(id, map[k].check) == 0)
				add_part(a, map[k].part);
		for (size_t k = 0; rem && k < G_N_ELEMENTS(named); k++) {
			char *pat = g_strdup_printf("nesdoctor setup %s", named[k]);
			if (strstr(rem, pat))
				add_part(a, named[k]);
			g_free(pat);
		}
	}
fail:
	if (a->len == 0) {
		g_ptr_array_free(a, TRUE);
		return NULL;
	}
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

gboolean
ndg_token_flag(json_object *tok, const char *flag)
{
	json_object *flags, *v;

	return tok && json_object_object_get_ex(tok, "flags", &flags) &&
	       json_object_object_get_ex(flags, flag, &v) &&
	       json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* The token sign-test would use: the first initialised one, an AKIS token
 * before any other. */
json_object *
ndg_sign_token(json_object *rep)
{
	json_object *inv, *toks, *first = NULL;

	if (!rep || !json_object_object_get_ex(rep, "inventory", &inv) ||
	    !json_object_object_get_ex(inv, "tokens", &toks) ||
	    !json_object_is_type(toks, json_type_array))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(toks); i++) {
		json_object *t = json_object_array_get_idx(toks, i);
		const char *dev = ndg_str(t, "device");
		if (!ndg_token_flag(t, "token_initialized"))
			continue;
		if (dev && strcmp(dev, "akis") == 0)
			return t;
		if (!first)
			first = t;
	}
	return first;
}

/* Which of NESDOCTOR_GTK_ARGS' options a command takes: check and bundle
 * take them all; the others only theirs, since an option a command does
 * not take is a usage error (exit 64). */
static gboolean
takes(const char *cmd, const char *opt)
{
	static const struct { const char *cmd, *opts; } t[] = {
		{ "sign-test", " --module --timeout --reader " },
		{ "setup", " --module " },
		{ "watch", " --reader " },
	};
	char *key;
	gboolean rv = TRUE;

	if (strcmp(cmd, "check") == 0 || strcmp(cmd, "bundle") == 0)
		return TRUE;
	key = g_strdup_printf(" %.*s ", (int)strcspn(opt, "="), opt);
	for (size_t i = 0; i < G_N_ELEMENTS(t); i++)
		if (strcmp(cmd, t[i].cmd) == 0)
			rv = strstr(t[i].opts, key) != NULL;
	if (strcmp(cmd, "help") == 0)
		rv = FALSE;
	g_free(key);
	return rv;
}

static gboolean
has_value(const char *opt)
{
	static const char *v[] = { "--module", "--anchor", "--cache-dir", "--timeout",
				   "--reader", "--expiry-warn" };

	if (strchr(opt, '='))
		return FALSE;
	for (size_t i = 0; i < G_N_ELEMENTS(v); i++)
		if (strcmp(opt, v[i]) == 0)
			return TRUE;
	return FALSE;
}

/* nesdoctor CMD --lang LANG [the options of NESDOCTOR_GTK_ARGS it takes] ARGS */
char **
ndg_argv(struct ndg *g, const char *cmd, const char *const *args)
{
	GPtrArray *a = g_ptr_array_new();

	g_ptr_array_add(a, g_strdup(g->nd));
	g_ptr_array_add(a, g_strdup(cmd));
	if (strcmp(cmd, "help") != 0) {
		g_ptr_array_add(a, g_strdup("--lang"));
		g_ptr_array_add(a, g_strdup(g->lang));
	}
	for (char **e = g->extra; e && *e; e++) {
		gboolean val = has_value(*e) && e[1];
		if (takes(cmd, *e)) {
			g_ptr_array_add(a, g_strdup(*e));
			if (val)
				g_ptr_array_add(a, g_strdup(e[1]));
		}
		if (val)
			e++;
	}
	for (; args && *args; args++)
		g_ptr_array_add(a, g_strdup(*args));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}
