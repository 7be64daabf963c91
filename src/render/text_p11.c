/* The p11 section of the text report: libraries, tokens (which reader each
 * is in), certificates with their keys, and the signing test. */
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"

void nd_render_text_p11(const struct nd_report *rep, FILE *out, bool color);

#define C_RESET "\033[0m"
#define C_DIM "\033[2m"

static size_t
len(const json_object *a)
{
	return a ? json_object_array_length(a) : 0;
}

static const char *
or_q(const char *s)
{
	return s && *s ? s : "?";
}

static const char *
status_words(const char *st)
{
	static const struct {
		const char *st;
		const char *words;
	} t[] = {
		{ "ok", N_("works") },
		{ "not_found", N_("not found") },
		{ "wrong_arch", N_("wrong architecture") },
		{ "not_elf", N_("not a library") },
		{ "load_failed", N_("does not load") },
		{ "init_failed", N_("does not start") },
		{ "timeout", N_("hung") },
		{ "crashed", N_("crashed") },
		{ "exited", N_("ended the program") },
		{ "bad_message", N_("returned bad data") },
		{ "skipped", N_("not used (not a card library)") },
		{ "not_run", N_("not checked") },
		{ "not_probed", N_("not probed: the time for modules ran out") },
	};

	for (size_t i = 0; st && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].st, st) == 0)
			return _(t[i].words);
	return or_q(st);
}

static void
modules(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *mods = nd_jarr(rep->inventory, "modules");

	fprintf(out, "  %s%s%s\n", dim, _("PKCS#11 libraries:"), r0);
	if (len(mods) == 0)
		fprintf(out, "    %s\n", _("none found"));
	for (size_t i = 0; i < len(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i), *info = nd_jobj(m, "info");
		const char *st = nd_jstr(m, "status"), *err = nd_jstr(m, "error");

		fprintf(out, "    %s (%s): %s", or_q(nd_jstr(m, "path")), or_q(nd_jstr(m, "source")), status_words(st));
		if (st && strcmp(st, "ok") == 0 && info)
			fprintf(out, " — %s %s %s", or_q(nd_jstr(info, "manufacturer")),
			    or_q(nd_jstr(info, "description")), or_q(nd_jstr(info, "library_version")));
		else if (nd_jstr(m, "failed_call"))
			fprintf(out, " — %s", nd_jstr(m, "failed_call"));
		else if (err)
			fprintf(out, " — %s", err);
		fputc('\n', out);
	}
}

static const char *
pin_words(const json_object *f)
{
	if (!f)
		return "?";
	if (nd_jbool(f, "user_pin_locked", false))
		return _("LOCKED");
	if (nd_jbool(f, "user_pin_final_try", false))
		return _("FINAL TRY");
	if (nd_jbool(f, "user_pin_to_be_changed", false))
		return _("must be changed");
	if (nd_jbool(f, "user_pin_count_low", false))
		return _("wrong tries recorded");
	if (nd_jbool(f, "protected_authentication_path", false))
		return _("entered on the PIN pad");
	return _("ok");
}

static void
tokens(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *toks = nd_jarr(rep->inventory, "tokens");

	if (!toks)
		return;
	fprintf(out, "  %s%s%s\n", dim, _("Tokens:"), r0);
	if (len(toks) == 0)
		fprintf(out, "    %s\n", _("none"));
	for (size_t i = 0; i < len(toks); i++) {
		json_object *t = json_object_array_get_idx(toks, i), *mechs = nd_jarr(t, "mechanisms"), *e;
		const char *reader = nd_jstr(t, "reader");

		fprintf(out, "    ");
		fprintf(out, _("%s in %s (slot %lld)"), or_q(nd_jstr(t, "label")),
		    reader ? reader : or_q(nd_jstr(t, "slot_description")), (long long)nd_jint(t, "slot", -1));
		fputc('\n', out);
		if ((e = nd_jobj(t, "error"))) {
			fprintf(out, "      %s %s\n", or_q(nd_jstr(e, "call")), or_q(nd_jstr(e, "rv")));
			continue;
		}
		fprintf(out, "      %s %s, %s %s, %s %s\n", _("maker:"), or_q(nd_jstr(t, "manufacturer")),
		    _("model:"), or_q(nd_jstr(t, "model")), _("serial:"), or_q(nd_jstr(t, "serial")));
		if (!nd_jbool(nd_jobj(t, "flags"), "token_initialized", true)) {
			fprintf(out, "      %s\n", _("not initialised (empty)"));
			continue;
		}
		fprintf(out, "      %s %s\n", _("PIN:"), pin_words(nd_jobj(t, "flags")));
		if (len(mechs)) {
			fprintf(out, "      %s", _("signing mechanisms:"));
			for (size_t k = 0; k < len(mechs); k++)
				fprintf(out, "%s %s", k ? "," : "",
				    or_q(nd_jstr(json_object_array_get_idx(mechs, k), "name")));
			fputc('\n', out);
		}
	}
}

static void
certificates(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *certs = nd_jarr(rep->inventory, "certificates");

	if (len(certs) == 0)
		return;
	fprintf(out, "  %s%s%s\n", dim, _("Certificates on the tokens:"), r0);
	for (size_t i = 0; i < len(certs); i++) {
		json_object *c = json_object_array_get_idx(certs, i), *hp;
		const char *key;

		if (nd_jbool(c, "parse_error", false)) {
			fprintf(out, "    %s: %s\n", or_q(nd_jstr(c, "label")), _("cannot be read"));
			continue;
		}
		if (!json_object_object_get_ex(c, "has_private_key", &hp) || !hp)
			key = _("private key behind the PIN");
		else
			key = json_object_get_boolean(hp) ? _("with private key") : _("NO private key");
		fprintf(out, "    %s — %s %lld, %s %.10s, %s\n", or_q(nd_jstr(c, "subject")),
		    or_q(nd_jstr(c, "key_type")), (long long)nd_jint(c, "key_bits", 0), _("valid until"),
		    or_q(nd_jstr(c, "not_after")), key);
	}
}

static void
sign_test(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *st = nd_jobj(rep->inventory, "sign_test");

	if (!st)
		return;
	fprintf(out, "  %s%s%s %s", dim, _("Signing test:"), r0, or_q(nd_jstr(st, "status")));
	if (nd_jstr(st, "reason"))
		fprintf(out, " (%s)", nd_jstr(st, "reason"));
	if (nd_jstr(st, "mechanism"))
		fprintf(out, ", %s", nd_jstr(st, "mechanism"));
	if (nd_jstr(st, "login"))
		fprintf(out, ", C_Login %s", nd_jstr(st, "login"));
	if (nd_jstr(st, "pin_source")) {
		fputs(", ", out);
		fprintf(out, _("PIN from %s"), nd_jstr(st, "pin_source"));
	}
	fputc('\n', out);
}

void
nd_render_text_p11(const struct nd_report *rep, FILE *out, bool color)
{
	const char *dim = color ? C_DIM : "", *r0 = color ? C_RESET : "";

	if (!nd_jarr(rep->inventory, "modules"))
		return;
	modules(rep, out, dim, r0);
	tokens(rep, out, dim, r0);
	certificates(rep, out, dim, r0);
	sign_test(rep, out, dim, r0);
}
