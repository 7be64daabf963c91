/* SPDX-License-Identifier: BSD-2-Clause */
/* The p11 section of the text report: libraries, tokens (which reader each
 * is in), certificates with their keys, and the signing test. */
#include "core/i18n.h"
#include "core/util.h"
#include "p11/p11.h"
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
status_words(const json_object *m)
{
	switch (nd_p11_module_status(m)) {
	case ND_MOD_OK: return _("works");
	case ND_MOD_NOT_FOUND: return _("not found");
	case ND_MOD_WRONG_ARCH: return _("wrong architecture");
	case ND_MOD_NOT_ELF: return _("not a library");
	case ND_MOD_LOAD_FAILED: return _("does not load");
	case ND_MOD_INIT_FAILED: return _("does not start");
	case ND_MOD_TIMEOUT: return _("hung");
	case ND_MOD_CRASHED: return _("crashed");
	case ND_MOD_EXITED: return _("ended the program");
	case ND_MOD_BAD_MESSAGE: return _("returned bad data");
	case ND_MOD_SKIPPED: return _("not used (not a card library)");
	case ND_MOD_NOT_RUN: return _("not checked");
	case ND_MOD_NOT_PROBED: return _("not probed: the time for modules ran out");
	case ND_MOD_ABSENT:
	case ND_MOD_OTHER:
		break;
	}
	return or_q(nd_jstr(m, ND_P11_K_STATUS));
}

static void
modules(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *mods = nd_p11_modules(rep->inventory);

	fprintf(out, "  %s%s%s\n", dim, _("PKCS#11 libraries:"), r0);
	if (len(mods) == 0)
		fprintf(out, "    %s\n", _("none found"));
	for (size_t i = 0; i < len(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i), *info = nd_jobj(m, ND_P11_K_INFO);
		const char *err = nd_jstr(m, ND_P11_K_ERROR);

		fprintf(out, "    %s (%s): %s", or_q(nd_jstr(m, ND_P11_K_PATH)), or_q(nd_jstr(m, ND_P11_K_SOURCE)),
		    status_words(m));
		if (nd_p11_module_status(m) == ND_MOD_OK && info)
			fprintf(out, " — %s %s %s", or_q(nd_jstr(info, ND_P11_K_MANUFACTURER)),
			    or_q(nd_jstr(info, ND_P11_K_DESCRIPTION)), or_q(nd_jstr(info, ND_P11_K_LIBRARY_VERSION)));
		else if (nd_jstr(m, ND_P11_K_FAILED_CALL))
			fprintf(out, " — %s", nd_jstr(m, ND_P11_K_FAILED_CALL));
		else if (err)
			fprintf(out, " — %s", err);
		fputc('\n', out);
	}
}

static const char *
pin_words(const json_object *flags)
{
	struct nd_token_flags f;

	nd_p11_flags(flags, &f);
	if (!f.known)
		return "?";
	if (f.user_pin_locked)
		return _("LOCKED");
	if (f.user_pin_final_try)
		return _("FINAL TRY");
	if (f.user_pin_to_be_changed)
		return _("must be changed");
	if (f.user_pin_count_low)
		return _("wrong tries recorded");
	if (f.protected_authentication_path)
		return _("entered on the PIN pad");
	return _("ok");
}

static void
tokens(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *toks = nd_p11_tokens(rep->inventory);

	if (!toks)
		return;
	fprintf(out, "  %s%s%s\n", dim, _("Tokens:"), r0);
	if (len(toks) == 0)
		fprintf(out, "    %s\n", _("none"));
	for (size_t i = 0; i < len(toks); i++) {
		json_object *t = json_object_array_get_idx(toks, i), *mechs = nd_jarr(t, ND_P11_K_MECHANISMS), *e;
		const char *reader = nd_jstr(t, ND_P11_K_READER);
		struct nd_token_flags f;

		fprintf(out, "    ");
		fprintf(out, _("%s in %s (slot %lld)"), or_q(nd_jstr(t, ND_P11_K_LABEL)),
		    reader ? reader : or_q(nd_jstr(t, ND_P11_K_SLOT_DESCRIPTION)), (long long)nd_jint(t, ND_P11_K_SLOT, -1));
		fputc('\n', out);
		if ((e = nd_jobj(t, ND_P11_K_ERROR))) {
			fprintf(out, "      %s %s\n", or_q(nd_jstr(e, ND_P11_K_CALL)), or_q(nd_jstr(e, ND_P11_K_RV)));
			continue;
		}
		fprintf(out, "      %s %s, %s %s, %s %s\n", _("maker:"), or_q(nd_jstr(t, ND_P11_K_MANUFACTURER)),
		    _("model:"), or_q(nd_jstr(t, ND_P11_K_MODEL)), _("serial:"), or_q(nd_jstr(t, ND_P11_K_SERIAL)));
		nd_p11_flags(nd_jobj(t, ND_P11_K_FLAGS), &f);
		if (!f.token_initialized) {
			fprintf(out, "      %s\n", _("not initialised (empty)"));
			continue;
		}
		fprintf(out, "      %s %s\n", _("PIN:"), pin_words(nd_jobj(t, ND_P11_K_FLAGS)));
		if (len(mechs)) {
			fprintf(out, "      %s", _("signing mechanisms:"));
			for (size_t k = 0; k < len(mechs); k++)
				fprintf(out, "%s %s", k ? "," : "",
				    or_q(nd_jstr(json_object_array_get_idx(mechs, k), ND_P11_K_NAME)));
			fputc('\n', out);
		}
	}
}

static void
certificates(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *certs = nd_p11_certificates(rep->inventory);

	if (len(certs) == 0)
		return;
	fprintf(out, "  %s%s%s\n", dim, _("Certificates on the tokens:"), r0);
	for (size_t i = 0; i < len(certs); i++) {
		json_object *c = json_object_array_get_idx(certs, i), *hp;
		const char *key;

		if (nd_jbool(c, ND_P11_K_PARSE_ERROR, false)) {
			fprintf(out, "    %s: %s\n", or_q(nd_jstr(c, ND_P11_K_LABEL)), _("cannot be read"));
			continue;
		}
		if (!json_object_object_get_ex(c, ND_P11_K_HAS_PRIVATE_KEY, &hp) || !hp)
			key = _("private key behind the PIN");
		else
			key = json_object_get_boolean(hp) ? _("with private key") : _("NO private key");
		fprintf(out, "    %s — %s %lld, %s %.10s, %s\n", or_q(nd_jstr(c, ND_P11_K_SUBJECT)),
		    or_q(nd_jstr(c, ND_P11_K_KEY_TYPE)), (long long)nd_jint(c, ND_P11_K_KEY_BITS, 0), _("valid until"),
		    or_q(nd_jstr(c, ND_P11_K_NOT_AFTER)), key);
	}
}

static void
sign_test(const struct nd_report *rep, FILE *out, const char *dim, const char *r0)
{
	json_object *st = nd_p11_sign_facts(rep->inventory);

	if (!st)
		return;
	fprintf(out, "  %s%s%s %s", dim, _("Signing test:"), r0, or_q(nd_jstr(st, ND_P11_K_STATUS)));
	if (nd_jstr(st, ND_P11_K_REASON))
		fprintf(out, " (%s)", nd_jstr(st, ND_P11_K_REASON));
	if (nd_jstr(st, ND_P11_K_MECHANISM))
		fprintf(out, ", %s", nd_jstr(st, ND_P11_K_MECHANISM));
	if (nd_jstr(st, ND_P11_K_LOGIN))
		fprintf(out, ", C_Login %s", nd_jstr(st, ND_P11_K_LOGIN));
	if (nd_jstr(st, ND_P11_K_PIN_SOURCE)) {
		fputs(", ", out);
		fprintf(out, _("PIN from %s"), nd_jstr(st, ND_P11_K_PIN_SOURCE));
	}
	fputc('\n', out);
}

void
nd_render_text_p11(const struct nd_report *rep, FILE *out, bool color)
{
	const char *dim = color ? C_DIM : "", *r0 = color ? C_RESET : "";

	if (!nd_p11_modules(rep->inventory))
		return;
	modules(rep, out, dim, r0);
	tokens(rep, out, dim, r0);
	certificates(rep, out, dim, r0);
	sign_test(rep, out, dim, r0);
}
