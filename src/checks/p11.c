/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the p11 layer: rules over inventory.modules, inventory.tokens
 * and inventory.certificates (see src/p11/ingest.c for the keys). Pure
 * functions of the inventory; the words for people are chosen here. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/pcscd_advice.h"
#include "core/i18n.h"
#include "core/util.h"
#include "p11/p11.h"
#include "pcsc/view.h"

/* Remedies that recur. Kamu SM's own wording of its menus is kept. */
#define KAMUSM_HELP N_("Kamu SM help line: 444 5 576.")
#define AKIA_INSTALL N_("Install AKİA, Kamu SM's smart card software, from Kamu SM's web site (www.kamusm.gov.tr, e-imza → Sürücüler / AKİA); it installs libakisp11.so. Then run nesdoctor again.")
#define PIN_UNBLOCK N_("Unblock the PIN online with the card in the reader: www.kamusm.gov.tr → Online İşlemler → Nitelikli Elektronik Sertifika İşlemleri → Kilit Çözme (or e-Devlet → NES işlemleri → PIN oluşturma/kilit çözme).")

static size_t
len(const json_object *a)
{
	return a ? json_object_array_length(a) : 0;
}

static bool
token_initialized(const json_object *t)
{
	struct nd_token_flags f;

	nd_p11_flags(nd_jobj(t, ND_P11_K_FLAGS), &f);
	return f.token_initialized;
}

/* The token the verdict is about: the one holding the signing certificate,
 * else the first readable token in scope, else the first in scope. */
static json_object *
signing_token(const struct nd_report *rep)
{
	json_object *toks = nd_p11_tokens(rep->inventory), *first = NULL, *readable = NULL;
	long ci = nd_p11_pick_signing_cert(rep);

	if (ci >= 0) {
		json_object *t = nd_p11_cert_token(rep->inventory,
		    json_object_array_get_idx(nd_p11_certificates(rep->inventory), (size_t)ci));
		if (t)
			return t;
	}
	for (size_t i = 0; i < len(toks); i++) {
		json_object *t = json_object_array_get_idx(toks, i);
		if (!nd_p11_token_in_scope(rep->inventory, t))
			continue;
		if (!first)
			first = t;
		/* SoftHSM and some others keep an empty, uninitialised token in a
		 * spare slot: never the one to judge when another is there */
		if (!readable && !nd_jobj(t, ND_P11_K_ERROR) && token_initialized(t))
			readable = t;
	}
	return readable ? readable : first;
}

static const char *
token_name(const json_object *t)
{
	const char *l = nd_jstr(t, ND_P11_K_LABEL);

	return l && *l ? l : _("(no label)");
}

static const char *
where(const json_object *t)
{
	const char *r = nd_jstr(t, ND_P11_K_READER), *d = nd_jstr(t, ND_P11_K_SLOT_DESCRIPTION);

	return r ? r : d && *d ? d : "?";
}

static const char *
module_name(const json_object *m)
{
	const char *p = nd_jstr(m, ND_P11_K_PATH);

	return p ? p : "?";
}

/* --- p11.module -------------------------------------------------------- */

/* A module that did not load: the loader's reason in words. */
static void
load_failed(const json_object *m, struct nd_result *r)
{
	const char *path = module_name(m), *err = nd_jstr(m, ND_P11_K_ERROR);
	const char *kind = nd_jstr(m, ND_P11_K_ERROR_KIND);
	const char *lib = nd_jstr(m, ND_P11_K_MISSING_LIBRARY), *pkg = nd_jstr(m, ND_P11_K_PACKAGE);
	const char *sym = nd_jstr(m, ND_P11_K_MISSING_SYMBOL);
	enum nd_dl_kind k = nd_p11_dl_kind_from_name(nd_jstr(m, ND_P11_K_DL_KIND));

	if (!err)
		err = "";
	if (kind && strcmp(kind, "no_entry") == 0) {
		nd_result_set(r, ND_FAIL, _("%s is not a PKCS#11 module (it has no C_GetFunctionList)"), path);
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		return;
	}
	if (kind && strcmp(kind, "access") == 0) {
		nd_result_set(r, ND_FAIL, _("%s cannot be read: permission denied"), path);
		nd_result_remedy(r, _("Make it readable: sudo chmod 644 %s"), path);
		return;
	}
	if (k == ND_DL_MISSING_LIB && !lib)
		k = ND_DL_OTHER;   /* nothing to name: the loader's own words */
	switch (k) {
	case ND_DL_MISSING_LIB:
		nd_result_set(r, ND_FAIL, _("%s cannot be loaded: it needs %s, which is not installed"), path, lib);
		if (pkg && (strncmp(pkg, "libssl1.", 8) == 0))
			nd_result_remedy(r, _("This library was built for an older system (it needs %s, which current Debian, Ubuntu and Pardus no longer ship). Install the current AKİA from Kamu SM.\n%s"),
			    pkg, _(KAMUSM_HELP));
		else if (pkg)
			nd_result_remedy(r, _("Install it: sudo apt install %s"), pkg);
		else
			nd_result_remedy(r, _("Install the package that provides %s (find it with: apt-file search %s), or reinstall AKİA."), lib, lib);
		break;
	case ND_DL_VERSION:
		nd_result_set(r, ND_FAIL, _("%s needs a newer %s than this system has (%s)"), path,
		    lib ? lib : "?", sym ? sym : "?");
		nd_result_remedy(r, _("Install the AKİA build meant for this system's release, or update the system.\n%s"), _(KAMUSM_HELP));
		break;
	case ND_DL_UNDEFINED_SYMBOL:
		nd_result_set(r, ND_FAIL, _("%s cannot be loaded: the function %s is missing (built against another version of a library)"),
		    path, sym ? sym : "?");
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		break;
	case ND_DL_WRONG_CLASS:
		nd_result_set(r, ND_FAIL, _("%s (or a library it needs) is built for another word size: %s"), path, err);
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		break;
	case ND_DL_MAP_FAILED:
		nd_result_set(r, ND_FAIL, _("%s cannot be mapped into memory (is it on a file system mounted noexec?)"), path);
		nd_result_remedy(r, "%s", _("Install the library on a file system that allows running programs (for example under /usr/lib or /opt)."));
		break;
	case ND_DL_ACCESS:
		nd_result_set(r, ND_FAIL, _("%s cannot be loaded: permission denied (%s)"), path, err);
		nd_result_remedy(r, _("Make it readable: sudo chmod 644 %s"), path);
		break;
	case ND_DL_OTHER:
	case ND_DL_MODULE_MISSING:
	case ND_DL_NOT_ELF:
		nd_result_set(r, ND_FAIL, _("%s cannot be loaded: %s"), path, err);
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		break;
	}
}

/* Turn a module's failure into a message and a remedy. */
static void
module_failed(const struct nd_report *rep, const json_object *m, struct nd_result *r)
{
	const char *path = module_name(m), *err = nd_jstr(m, ND_P11_K_ERROR);
	const char *call = nd_jstr(m, ND_P11_K_FAILED_CALL);
	int timeout_s = (int)nd_jint(m, ND_P11_K_TIMEOUT_S, rep->opts->timeout_s);
	json_object *e, *sys;

	if (!err)
		err = "";
	if (!call || !*call)
		call = "?";
	switch (nd_p11_module_status(m)) {
	case ND_MOD_NOT_FOUND:
		nd_result_set(r, ND_FAIL, _("%s: no such file"), path);
		nd_result_remedy(r, "%s", _("Check the path given with --module, or leave --module out to let nesdoctor look in the usual places."));
		break;
	case ND_MOD_WRONG_ARCH:
		e = nd_jobj(m, ND_P11_K_ELF);
		sys = nd_jobj(m, ND_P11_K_SYSTEM);
		nd_result_set(r, ND_FAIL, _("%s is a %d-bit %s library, but this system is %d-bit %s: it cannot be loaded"),
		    path, (int)nd_jint(e, ND_P11_K_BITS, 0), nd_jstr(e, ND_P11_K_MACHINE) ? nd_jstr(e, ND_P11_K_MACHINE) : "?",
		    (int)nd_jint(sys, ND_P11_K_BITS, 0), nd_jstr(sys, ND_P11_K_MACHINE) ? nd_jstr(sys, ND_P11_K_MACHINE) : "?");
		nd_result_remedy(r, _("Remove it and install the AKİA package built for this system (64-bit, amd64) from Kamu SM.\n%s"),
		    _(KAMUSM_HELP));
		break;
	case ND_MOD_NOT_ELF:
		nd_result_set(r, ND_FAIL, _("%s is not a shared library (damaged or incomplete file)"), path);
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		break;
	case ND_MOD_LOAD_FAILED:
		load_failed(m, r);
		break;
	case ND_MOD_INIT_FAILED:
		nd_result_set(r, ND_FAIL, _("%s loads but refuses to start: %s"), path, err);
		/* no systemctl where there is no systemd (sys.pcscd says how) */
		if (nd_sys_has_journal(rep))
			nd_result_remedy(r, _("Make sure pcscd is running (sudo systemctl start pcscd.socket), then reinstall AKİA.\n%s"), _(KAMUSM_HELP));
		else
			nd_result_remedy(r, _("Make sure pcscd is running (see sys.pcscd), then reinstall AKİA.\n%s"), _(KAMUSM_HELP));
		break;
	case ND_MOD_TIMEOUT:
		nd_result_set(r, ND_FAIL, _("%s did not answer within %d s in %s and was stopped"), path, timeout_s, call);
		nd_result_remedy(r, _("Take the card out and put it back, restart the smart card service (%s), and try again. If it keeps hanging, reinstall AKİA.\n%s"),
		    nd_sys_pcscd_restart(rep), _(KAMUSM_HELP));
		break;
	case ND_MOD_CRASHED:
		nd_result_set(r, ND_FAIL, _("%s crashed (%s) in %s"), path,
		    nd_jstr(m, ND_P11_K_SIGNAL) ? nd_jstr(m, ND_P11_K_SIGNAL) : "?", call);
		nd_result_remedy(r, _("Reinstall AKİA from Kamu SM; if it still crashes, report it with this output.\n%s"), _(KAMUSM_HELP));
		break;
	case ND_MOD_EXITED:
		nd_result_set(r, ND_FAIL, _("%s ended the program by itself in %s (exit code %d)"), path, call,
		    (int)nd_jint(m, ND_P11_K_EXIT_CODE, 0));
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		break;
	case ND_MOD_BAD_MESSAGE:
		nd_result_set(r, ND_FAIL, _("%s returned data nesdoctor could not accept (in %s)"), path, call);
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		break;
	case ND_MOD_NOT_PROBED:
		/* the layer's time ran out: nothing is known against the module */
		nd_result_set(r, ND_SKIP, _("%s was not probed to the end: the %d s for the modules ran out before it was done"),
		    path, timeout_s);
		nd_result_remedy(r, "%s", _("Remove the modules that hang (see the other modules above), or run nesdoctor again with a longer --timeout."));
		r->undetermined = true;
		break;
	case ND_MOD_ABSENT:
	case ND_MOD_OK:
	case ND_MOD_SKIPPED:
	case ND_MOD_NOT_RUN:
	case ND_MOD_OTHER:
		nd_result_set(r, ND_SKIP, _("%s could not be checked"), path);
		r->undetermined = true;
		break;
	}
}

/* Anomalies that mean the module hands out broken data (padding style is
 * only noted in the inventory). */
static bool
serious(const char *code)
{
	static const char *const words[] = { "garbage_after_nul", "invalid_utf8", "control_characters",
		"absurd", "loop", "grew", "high_bits" };

	for (size_t i = 0; code && i < sizeof words / sizeof words[0]; i++)
		if (strstr(code, words[i]))
			return true;
	return false;
}

static const char *
first_serious(const json_object *anoms)
{
	for (size_t i = 0; i < len(anoms); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(anoms, i));
		if (serious(s))
			return s;
	}
	return NULL;
}

static void
eval_module(const struct nd_report *rep, struct nd_result *r)
{
	json_object *mods = nd_p11_modules(rep->inventory), *ok = NULL, *bad = NULL, *unprobed = NULL,
	    *d = nd_result_details(r), *list;
	bool explicit = false, akis = false;
	const char *junk;

	if (!mods) {
		nd_result_set(r, ND_SKIP, "%s", _("PKCS#11 modules were not looked for"));
		r->undetermined = true;
		return;
	}
	list = json_object_new_array();
	json_object_object_add(d, "modules", list);
	for (size_t i = 0; i < len(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i);
		enum nd_module_status st = nd_p11_module_status(m);
		const char *src = nd_jstr(m, ND_P11_K_SOURCE);

		explicit = explicit || (src && strcmp(src, "--module") == 0);
		if (!nd_p11_module_in_scope(rep->inventory, m) || st == ND_MOD_SKIPPED)
			continue;
		akis = akis || nd_p11_module_is_akis(m);
		json_object_array_add(list, json_object_new_string(module_name(m)));
		if (st == ND_MOD_OK) {
			if (!ok)
				ok = m;
		} else if (st == ND_MOD_NOT_PROBED) {
			/* not a fault of the module's: named only when nothing
			 * else is known */
			if (!unprobed)
				unprobed = m;
		} else if (!bad)
			bad = m;
	}
	if (!ok && !bad)
		bad = unprobed;
	/* DYS signs through the AKIS library: other modules do not stand in
	 * for it (OpenSC has not read AKIS cards since 0.25) */
	if ((!explicit && !akis) || (!ok && !bad)) {
		nd_result_set(r, ND_FAIL, "%s", _("The AKIS PKCS#11 library (libakisp11.so) is not installed"));
		nd_result_remedy(r, "%s", _(AKIA_INSTALL));
		return;
	}
	if (!ok) {
		module_failed(rep, bad, r);
		return;
	}
	{
		json_object *info = nd_jobj(ok, ND_P11_K_INFO);
		const char *man = nd_jstr(info, ND_P11_K_MANUFACTURER), *desc = nd_jstr(info, ND_P11_K_DESCRIPTION);
		const char *ver = nd_jstr(info, ND_P11_K_LIBRARY_VERSION);

		if (nd_jstr(ok, ND_P11_K_ERROR)) {
			/* it started, then could not even list its slots */
			nd_result_set(r, ND_FAIL, _("%s starts, but then fails: %s"), module_name(ok), nd_jstr(ok, ND_P11_K_ERROR));
			nd_result_remedy(r, "%s\n%s", _(AKIA_INSTALL), _(KAMUSM_HELP));
		} else if (bad) {
			struct nd_result tmp = { 0 };
			module_failed(rep, bad, &tmp);
			nd_result_set(r, ND_WARN, _("%s works, but another copy does not: %s"), module_name(ok),
			    tmp.message ? tmp.message : "");
			if (tmp.remedy)
				nd_result_remedy(r, "%s", tmp.remedy);
			free(tmp.message);
			free(tmp.remedy);
			json_object_put(tmp.details);
		} else if ((junk = first_serious(nd_jarr(ok, ND_P11_K_ANOMALIES))) || nd_jint(ok, ND_P11_K_BAD_MESSAGES, 0) > 0) {
			nd_result_set(r, ND_WARN, _("%s works, but returned malformed data (%s)"), module_name(ok),
			    junk ? junk : "bad messages");
			nd_result_remedy(r, "%s", _("Update AKİA to Kamu SM's current version."));
		} else
			nd_result_set(r, ND_PASS, _("%s loads and starts (%s %s %s)"), module_name(ok),
			    man ? man : "", desc ? desc : "", ver ? ver : "");
	}
}

/* --- p11.token ---------------------------------------------------------- */

/* A failure of the PC/SC layer that explains a missing token: the reader or
 * the card is absent, so the token cannot be there. Only results this
 * command evaluated count. */
static const char *
pcsc_blocker(const struct nd_report *rep)
{
	static const char *const ids[] = { "pcsc.service", "pcsc.reader", "pcsc.card" };

	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		const struct nd_result *x = nd_report_find(rep, ids[i]);
		if (!x)
			continue;
		if (x->status == ND_FAIL)
			return x->def->id;
		if (x->status == ND_SKIP && x->blocked_by)
			return x->blocked_by;
	}
	return NULL;
}

/* Did the PC/SC layer see a card that may be the ID card? */
static bool
maybe_id_card(const struct nd_report *rep)
{
	for (size_t i = 0; i < nd_pcsc_n_readers(rep->inventory); i++) {
		const char *fam = nd_jstr(nd_pcsc_reader_card(nd_pcsc_reader_at(rep->inventory, i)), ND_PCSC_K_FAMILY);
		if (fam && (strcmp(fam, "akis_tc") == 0 || strcmp(fam, "tckk") == 0))
			return true;
	}
	return false;
}

static void
no_token(const struct nd_report *rep, struct nd_result *r)
{
	json_object *mods = nd_p11_modules(rep->inventory);
	const char *blocker = pcsc_blocker(rep), *empty_reader = NULL;
	size_t nslots = 0;

	if (blocker) {
		/* the dependency on pcsc.card, where it makes sense: a card
		 * token cannot be there without a card */
		r->blocked_by = blocker;
		nd_result_set(r, ND_SKIP, _("not checked because %s failed"), blocker);
		return;
	}
	for (size_t i = 0; i < len(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i), *slots = nd_jarr(m, ND_P11_K_SLOTS);
		if (!nd_p11_module_in_scope(rep->inventory, m))
			continue;
		for (size_t k = 0; k < len(slots); k++) {
			json_object *s = json_object_array_get_idx(slots, k);
			nslots++;
			if (!empty_reader && !nd_jbool(s, ND_P11_K_TOKEN_PRESENT, false)) {
				empty_reader = nd_jstr(s, ND_P11_K_READER);
				if (!empty_reader)
					empty_reader = nd_jstr(s, ND_P11_K_DESCRIPTION);
			}
		}
	}
	if (nslots == 0) {
		nd_result_set(r, ND_FAIL, "%s", _("The library sees no card reader"));
		/* no systemctl where there is no systemd (sys.pcscd says how) */
		if (nd_sys_has_journal(rep))
			nd_result_remedy(r, "%s", _("Plug in the card reader (or the USB token), then check the smart card service: systemctl status pcscd."));
		else
			nd_result_remedy(r, "%s", _("Plug in the card reader (or the USB token), then make sure pcscd, the smart card service, runs (see sys.pcscd)."));
	} else {
		nd_result_set(r, ND_FAIL, _("The library sees the reader %s, but no card in it"),
		    empty_reader ? empty_reader : "?");
		nd_result_remedy(r, "%s", maybe_id_card(rep)
		    ? _("Insert the e-signature (NES) card, chip first and facing up. If the card in the reader is your Turkish ID card, take it out: it is not the e-signature card.")
		    : _("Insert the e-signature (NES) card, chip first and facing up; if it is in, take it out and put it back."));
	}
}

/* --- several tokens and readers ----------------------------------------- */

/* A token a signing program can use: initialised and readable. */
static bool
usable(const json_object *t)
{
	return t && !nd_jobj(t, ND_P11_K_ERROR) && token_initialized(t);
}

/* Append "sep s" to the growing list *acc. */
static void
append(char **acc, const char *sep, const char *s)
{
	char *tmp = nd_asprintf("%s%s%s", *acc, **acc ? sep : "", s);

	free(*acc);
	*acc = tmp;
}

/* pcscd's readers in its order, the empty ones marked: NULL with fewer
 * than two readers (there is no order to speak of). */
static char *
reader_order(const json_object *inv)
{
	size_t n = nd_pcsc_n_readers(inv);
	char *acc;

	if (n < 2)
		return NULL;
	acc = nd_xstrdup("");
	for (size_t i = 0; i < n; i++) {
		json_object *rd = nd_pcsc_reader_at(inv, i);
		const char *name = nd_jstr(rd, ND_PCSC_K_NAME);
		char *one = nd_pcsc_reader_card(rd) ? nd_asprintf("%zu. %s", i + 1, name ? name : "?") :
		    nd_asprintf(_("%zu. %s (no card)"), i + 1, name ? name : "?");
		append(&acc, ", ", one);
		free(one);
	}
	return acc;
}

/* The token entry in slot s of module m, or NULL. */
static json_object *
slot_token(const json_object *inv, const json_object *m, const json_object *s)
{
	json_object *toks = nd_p11_tokens(inv), *sid, *tid;
	const char *mp = nd_jstr(m, ND_P11_K_PATH);

	if (!mp || !json_object_object_get_ex(s, ND_P11_K_ID, &sid))
		return NULL;
	for (size_t i = 0; i < len(toks); i++) {
		json_object *t = json_object_array_get_idx(toks, i);
		const char *tm = nd_jstr(t, ND_P11_K_MODULE);
		if (tm && strcmp(tm, mp) == 0 && json_object_object_get_ex(t, ND_P11_K_SLOT, &tid) &&
		    json_object_get_uint64(tid) == json_object_get_uint64(sid))
			return t;
	}
	return NULL;
}

static const char *
slot_place(const json_object *s)
{
	const char *rd = nd_jstr(s, ND_P11_K_READER), *d = nd_jstr(s, ND_P11_K_DESCRIPTION);

	return rd ? rd : d && *d ? d : "?";
}

/* A slot without a usable token ahead of the first one with a token, in a
 * module in scope: Java signers configured with slot 0 (SunPKCS11's
 * slotListIndex) then fail with "no token". The slots in order, or NULL. */
static char *
empty_slot_first(const struct nd_report *rep, const char **first, json_object **tok)
{
	json_object *mods = nd_p11_modules(rep->inventory);

	for (size_t i = 0; i < len(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i), *slots = nd_jarr(m, ND_P11_K_SLOTS);
		size_t k;
		char *acc;

		if (!nd_p11_module_in_scope(rep->inventory, m))
			continue;
		for (k = 0; k < len(slots); k++)
			if (usable(slot_token(rep->inventory, m, json_object_array_get_idx(slots, k))))
				break;
		if (k == 0 || k >= len(slots))
			continue;
		acc = nd_xstrdup("");
		for (size_t j = 0; j <= k; j++) {
			json_object *s = json_object_array_get_idx(slots, j), *t = slot_token(rep->inventory, m, s);
			char *one = j == k ? nd_asprintf("%zu. %s (%s)", j + 1, slot_place(s), token_name(t)) :
			    !nd_jbool(s, ND_P11_K_TOKEN_PRESENT, false) || !t ?
			    nd_asprintf(_("%zu. %s (no token)"), j + 1, slot_place(s)) :
			    nd_asprintf(_("%zu. %s (%s, not usable)"), j + 1, slot_place(s), token_name(t));
			append(&acc, ", ", one);
			free(one);
		}
		*first = slot_place(json_object_array_get_idx(slots, 0));
		*tok = slot_token(rep->inventory, m, json_object_array_get_idx(slots, k));
		return acc;
	}
	return NULL;
}

/* Two or more tokens with a qualified signing certificate, and where a
 * slot or reader without one comes first: a warning that says which token
 * a signing program usually takes (the first slot with a token) next to
 * the one nesdoctor judged (the signing-certificate rule's). Returns
 * whether it warned. */
static bool
several_tokens(const struct nd_report *rep, struct nd_result *r, const json_object *judged)
{
	json_object *toks = nd_p11_tokens(rep->inventory), *first = NULL, *tok = NULL;
	char *quals = nd_xstrdup(""), *order = reader_order(rep->inventory), *slots;
	char *msg = nd_xstrdup(""), *rem = nd_xstrdup(""), *one;
	const char *slot0 = NULL;
	size_t nq = 0;
	bool warned = false;

	for (size_t i = 0; i < len(toks); i++) {
		json_object *t = json_object_array_get_idx(toks, i);
		if (!nd_p11_token_in_scope(rep->inventory, t) || !usable(t))
			continue;
		if (!first)
			first = t;
		if (nd_p11_token_n_qualified(rep, t) == 0)
			continue;
		one = nd_asprintf(_("%s in %s"), token_name(t), where(t));
		append(&quals, ", ", one);
		free(one);
		nq++;
	}
	if (nq > 1) {
		one = first == judged ?
		    nd_asprintf(_("%zu tokens with a qualified signing certificate are plugged in: %s. A signing program usually takes the first slot with a token: %s in %s, the one nesdoctor judged."),
		        nq, quals, token_name(first), where(first)) :
		    nd_asprintf(_("%zu tokens with a qualified signing certificate are plugged in: %s. A signing program usually takes the first slot with a token (%s in %s); nesdoctor judged %s in %s, whose certificate it would choose."),
		        nq, quals, token_name(first), where(first), token_name(judged), where(judged));
		append(&msg, " ", one);
		free(one);
		append(&rem, "\n", _("Leave only the card or token you mean to sign with plugged in, so that the signing program cannot take the other one."));
	}
	if ((slots = empty_slot_first(rep, &slot0, &tok))) {
		one = nd_asprintf(_("The first slot, %s, holds no usable token; %s comes later. The slots in order: %s."),
		    slot0, token_name(tok), slots);
		append(&msg, " ", one);
		free(one);
		one = nd_asprintf(_("Java signing programs that take slot 0 fail with \"no token\" here. Unplug the reader that comes first (%s) or put the card into it."),
		    slot0);
		append(&rem, "\n", one);
		free(one);
		free(slots);
	}
	if (*msg) {
		if (order) {
			one = nd_asprintf(_("pcscd lists the readers in this order: %s."), order);
			append(&msg, " ", one);
			free(one);
		}
		nd_result_set(r, ND_WARN, "%s", msg);
		nd_result_remedy(r, "%s", rem);
		warned = true;
	}
	free(quals);
	free(order);
	free(msg);
	free(rem);
	return warned;
}

static void
eval_token(const struct nd_report *rep, struct nd_result *r)
{
	json_object *toks = nd_p11_tokens(rep->inventory), *t, *e, *d = nd_result_details(r), *list;
	const char *junk, *rv;
	size_t n = 0;

	if (!toks) {
		nd_result_set(r, ND_SKIP, "%s", _("tokens were not looked for"));
		r->undetermined = true;
		return;
	}
	list = json_object_new_array();
	json_object_object_add(d, "tokens", list);
	for (size_t i = 0; i < len(toks); i++) {
		json_object *x = json_object_array_get_idx(toks, i), *o, *sl;
		if (!nd_p11_token_in_scope(rep->inventory, x))
			continue;
		if (token_initialized(x))
			n++;
		o = json_object_new_object();
		nd_jset_str(o, "label", nd_jstr(x, ND_P11_K_LABEL));
		nd_jset_str(o, "reader", nd_jstr(x, ND_P11_K_READER));
		/* each token identified, with its own certificates' count */
		nd_jset_str(o, "module", nd_jstr(x, ND_P11_K_MODULE));
		if (json_object_object_get_ex(x, ND_P11_K_SLOT, &sl))
			json_object_object_add(o, "slot", json_object_get(sl));
		nd_jset_str(o, "device", nd_token_device_name(nd_p11_token_device(x)));
		nd_jset_str(o, "model", nd_jstr(x, ND_P11_K_MODEL));
		json_object_object_add(o, "qualified_certificates",
		    json_object_new_int64((int64_t)nd_p11_token_n_qualified(rep, x)));
		json_object_array_add(list, o);
	}
	t = signing_token(rep);
	if (!t) {
		no_token(rep, r);
		return;
	}
	if ((e = nd_jobj(t, ND_P11_K_ERROR))) {
		rv = nd_jstr(e, ND_P11_K_RV);
		nd_result_set(r, ND_FAIL, _("The card in %s cannot be read by the library (%s)"), where(t), rv ? rv : "?");
		if (rv && strcmp(rv, "CKR_TOKEN_NOT_RECOGNIZED") == 0)
			nd_result_remedy(r, "%s", _("The library does not know this card. Is it the e-signature (NES) card, not the ID card or a bank card?"));
		else
			nd_result_remedy(r, "%s", _("Take the card out and put it back, then try again; if it persists, clean the chip and try another USB port."));
		return;
	}
	nd_jset_str(d, "reader", nd_jstr(t, ND_P11_K_READER));
	if (nd_p11_token_device(t) == ND_DEV_ID_CARD) {
		nd_result_set(r, ND_FAIL, _("The card in %s is a Turkish ID card, not an e-signature card"), where(t));
		nd_result_remedy(r, "%s", _("Take out the ID card and insert the e-signature (NES) card that Kamu SM sent."));
	} else if ((junk = first_serious(nd_jarr(t, ND_P11_K_ANOMALIES)))) {
		nd_result_set(r, ND_WARN, _("Token %s in %s, but the library returned malformed token information (%s)"),
		    token_name(t), where(t), junk);
		nd_result_remedy(r, "%s", _("Update AKİA to Kamu SM's current version."));
	} else if (!token_initialized(t)) {
		nd_result_set(r, ND_FAIL, _("The token in %s has not been initialised (an empty card)"), where(t));
		nd_result_remedy(r, "%s\n%s", _("This card carries no e-signature yet. Make sure it is the card Kamu SM sent."), _(KAMUSM_HELP));
	} else if (several_tokens(rep, r, t)) {
		/* warned: which token a program takes, and the order */
	} else if (n > 1)
		nd_result_set(r, ND_PASS, _("Token %s in %s (and %zu more)"), token_name(t), where(t), n - 1);
	else
		nd_result_set(r, ND_PASS, _("Token %s in %s"), token_name(t), where(t));
}

/* --- p11.pin ------------------------------------------------------------ */

static void
eval_pin(const struct nd_report *rep, struct nd_result *r)
{
	json_object *t = signing_token(rep), *fo = nd_jobj(t, ND_P11_K_FLAGS);
	const char *name = token_name(t);
	struct nd_token_flags f;

	nd_p11_flags(fo, &f);
	if (!f.known) {
		nd_result_set(r, ND_SKIP, "%s", _("the token's PIN state is not known"));
		r->undetermined = true;
		return;
	}
	json_object_object_add(nd_result_details(r), "flags", json_object_get(fo));
	if (f.user_pin_locked) {
		nd_result_set(r, ND_FAIL, _("The PIN of %s is locked (too many wrong tries)"), name);
		nd_result_remedy(r, "%s\n%s", _(PIN_UNBLOCK), _(KAMUSM_HELP));
	} else if (!f.user_pin_initialized || !f.token_initialized) {
		nd_result_set(r, ND_FAIL, _("No PIN has been set on %s"), name);
		nd_result_remedy(r, "%s\n%s", _(PIN_UNBLOCK), _(KAMUSM_HELP));
	} else if (f.user_pin_final_try) {
		nd_result_set(r, ND_WARN, _("FINAL TRY: one more wrong PIN will lock %s"), name);
		nd_result_remedy(r, "%s\n%s", _("Enter the PIN only if you are sure of it. nesdoctor sign-test will not use this last try unless you add --force. If you are not sure, set a new PIN first:"),
		    _(PIN_UNBLOCK));
	} else if (f.user_pin_to_be_changed) {
		nd_result_set(r, ND_WARN, _("The PIN of %s must be changed before it can be used"), name);
		nd_result_remedy(r, "%s", _("Change the PIN in AKİA (Kart İşlemleri → PIN Değiştir) before signing."));
	} else if (f.user_pin_count_low) {
		nd_result_set(r, ND_WARN, _("A wrong PIN was entered on %s: fewer tries are left"), name);
		nd_result_remedy(r, "%s", _("Make sure you have the right PIN before the next try; the PIN is the one you set for the card (or the one in Kamu SM's PIN envelope)."));
	} else if (f.protected_authentication_path)
		nd_result_set(r, ND_PASS, _("The PIN of %s is entered on the reader's PIN pad; it is not locked"), name);
	else
		nd_result_set(r, ND_PASS, _("The PIN of %s is not locked and no wrong tries are recorded"), name);
}

/* --- p11.objects -------------------------------------------------------- */

static bool
on_token(const json_object *c, const json_object *t)
{
	json_object *a, *b;
	const char *m1 = nd_jstr(c, ND_P11_K_MODULE), *m2 = nd_jstr(t, ND_P11_K_MODULE);

	return m1 && m2 && strcmp(m1, m2) == 0 && json_object_object_get_ex(c, ND_P11_K_SLOT, &a) &&
	    json_object_object_get_ex(t, ND_P11_K_SLOT, &b) && json_object_get_uint64(a) == json_object_get_uint64(b);
}

static const char *
cert_name(const json_object *c)
{
	const char *s = nd_jstr(c, ND_P11_K_SUBJECT_CN);

	if (!s)
		s = nd_jstr(c, ND_P11_K_LABEL);
	return s ? s : "?";
}

static void
eval_objects(const struct nd_report *rep, struct nd_result *r)
{
	json_object *t = signing_token(rep), *certs = nd_p11_certificates(rep->inventory), *e, *c = NULL, *hp;
	long ci = nd_p11_pick_signing_cert(rep);
	size_t ncert = 0, nparsed = 0;
	const char *name = token_name(t);

	for (size_t i = 0; i < len(certs); i++) {
		json_object *x = json_object_array_get_idx(certs, i);
		if (!on_token(x, t))
			continue;
		ncert++;
		if (!nd_jbool(x, ND_P11_K_PARSE_ERROR, false))
			nparsed++;
	}
	if (ncert == 0 && (e = nd_jobj(t, ND_P11_K_OBJECTS_ERROR))) {
		nd_result_set(r, ND_FAIL, _("The objects on %s could not be listed (%s)"), name,
		    nd_jstr(e, ND_P11_K_RV) ? nd_jstr(e, ND_P11_K_RV) : "?");
		nd_result_remedy(r, "%s", _("Take the card out and put it back, then try again; if it persists, reinstall AKİA."));
		return;
	}
	if (ncert == 0) {
		nd_result_set(r, ND_FAIL, _("There is no certificate on %s"), name);
		nd_result_remedy(r, "%s\n%s", _("The card holds no certificate yet. If your certificate was issued recently, it may not have been loaded onto the card: ask Kamu SM."),
		    _(KAMUSM_HELP));
		return;
	}
	if (nparsed == 0) {
		nd_result_set(r, ND_FAIL, _("The certificate on %s cannot be read (damaged data)"), name);
		nd_result_remedy(r, "%s", _(KAMUSM_HELP));
		return;
	}
	if (ci >= 0)
		c = json_object_array_get_idx(certs, (size_t)ci);
	/* the rule takes a certificate known to lack its key only when no
	 * other is there */
	if (!c || !on_token(c, t) ||
	    (json_object_object_get_ex(c, ND_P11_K_HAS_PRIVATE_KEY, &hp) && json_object_is_type(hp, json_type_boolean) &&
	     !json_object_get_boolean(hp))) {
		nd_result_set(r, ND_FAIL, _("No certificate on %s has a private key"), name);
		nd_result_remedy(r, "%s\n%s", _("The key that belongs to the certificate is missing from the card; the card has to be renewed."),
		    _(KAMUSM_HELP));
		return;
	}
	json_object_object_add(nd_result_details(r), "certificate", json_object_new_int64(ci));
	if (json_object_object_get_ex(c, ND_P11_K_KEY_MATCHES, &hp) && hp && !json_object_get_boolean(hp)) {
		nd_result_set(r, ND_FAIL, _("The private key next to the certificate of %s does not belong to it"), cert_name(c));
		nd_result_remedy(r, "%s\n%s", _("The card's key and certificate do not match; the card has to be renewed."), _(KAMUSM_HELP));
	} else if (json_object_object_get_ex(c, ND_P11_K_HAS_PRIVATE_KEY, &hp) && hp)
		nd_result_set(r, ND_PASS, _("Certificate of %s with its private key (%s %d)"), cert_name(c),
		    nd_jstr(c, ND_P11_K_KEY_TYPE) ? nd_jstr(c, ND_P11_K_KEY_TYPE) : "?",
		    (int)nd_jint(c, ND_P11_K_KEY_BITS, 0));
	else
		nd_result_set(r, ND_PASS, _("Certificate of %s (%s %d); its private key is protected by the PIN (nesdoctor sign-test checks it)"),
		    cert_name(c), nd_jstr(c, ND_P11_K_KEY_TYPE) ? nd_jstr(c, ND_P11_K_KEY_TYPE) : "?",
		    (int)nd_jint(c, ND_P11_K_KEY_BITS, 0));
}

/* --- p11.mechanisms ----------------------------------------------------- */

static bool
mech_fits(const char *name, const char *key_type)
{
	if (!key_type)
		return true;
	if (strcmp(key_type, "RSA") == 0)
		return strstr(name, "RSA_PKCS") != NULL;
	if (strcmp(key_type, "EC") == 0)
		return strncmp(name, "CKM_ECDSA", 9) == 0;
	return false;
}

/* The mechanisms sign-test uses and DYS needs: SHA-256, hashed by the
 * token or by us for the raw ones. */
static bool
with_sha256(const char *name)
{
	static const char *const ok[] = { "CKM_SHA256_RSA_PKCS", "CKM_RSA_PKCS", "CKM_SHA256_RSA_PKCS_PSS",
		"CKM_RSA_PKCS_PSS", "CKM_ECDSA", "CKM_ECDSA_SHA256" };

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(ok[i], name) == 0)
			return true;
	return false;
}

static void
eval_mechanisms(const struct nd_report *rep, struct nd_result *r)
{
	json_object *t = signing_token(rep), *mechs = nd_jarr(t, ND_P11_K_MECHANISMS), *usable;
	long ci = nd_p11_pick_signing_cert(rep);
	const char *kt = NULL, *err = nd_jstr(t, ND_P11_K_MECHANISMS_ERROR);
	char *names = nd_xstrdup("");
	size_t n = 0, nother = 0;

	if (ci >= 0)
		kt = nd_jstr(json_object_array_get_idx(nd_p11_certificates(rep->inventory), (size_t)ci),
		    ND_P11_K_KEY_TYPE);
	if (!mechs) {
		nd_result_set(r, ND_SKIP, "%s", _("the token's mechanisms are not known"));
		r->undetermined = true;
		free(names);
		return;
	}
	usable = json_object_new_array();
	json_object_object_add(nd_result_details(r), "usable", usable);
	for (size_t i = 0; i < len(mechs); i++) {
		json_object *m = json_object_array_get_idx(mechs, i);
		const char *nm = nd_jstr(m, ND_P11_K_NAME);
		char *tmp;
		if (!nm || !nd_jbool(m, ND_P11_K_SIGN, true) || !mech_fits(nm, kt))
			continue;
		json_object_array_add(usable, json_object_new_string(nm));
		nother++;
		if (!with_sha256(nm))
			continue;
		tmp = nd_asprintf("%s%s%s", names, n ? ", " : "", nm);
		free(names);
		names = tmp;
		n++;
	}
	if (n == 0 && nother) {
		nd_result_set(r, ND_FAIL, "%s", _("The token cannot make SHA-256 signatures, which DYS needs"));
		nd_result_remedy(r, "%s\n%s", _("Update AKİA to Kamu SM's current version."), _(KAMUSM_HELP));
	} else if (n == 0 && err) {
		nd_result_set(r, ND_WARN, _("The token's mechanisms could not be listed (%s)"), err);
		nd_result_remedy(r, "%s", _("nesdoctor sign-test shows whether signing works."));
	} else if (n == 0) {
		nd_result_set(r, ND_FAIL, _("The token offers no way to sign with its %s key"), kt ? kt : "?");
		nd_result_remedy(r, "%s\n%s", _("Update AKİA to Kamu SM's current version."), _(KAMUSM_HELP));
	} else
		nd_result_set(r, ND_PASS, _("The token can sign: %s"), names);
	free(names);
}

const struct nd_check_def nd_check_p11_module = { "p11.module", ND_LAYER_P11, { NULL }, eval_module };
/* p11.token also stands behind pcsc.card, pcsc.reader and pcsc.service
 * when they failed and no token is there (see no_token()); a static
 * dependency would wrongly block software tokens and --module runs. */
const struct nd_check_def nd_check_p11_token = { "p11.token", ND_LAYER_P11, { "p11.module", NULL }, eval_token };
const struct nd_check_def nd_check_p11_pin = { "p11.pin", ND_LAYER_P11, { "p11.token", NULL }, eval_pin };
const struct nd_check_def nd_check_p11_objects = { "p11.objects", ND_LAYER_P11, { "p11.token", NULL }, eval_objects };
const struct nd_check_def nd_check_p11_mechanisms = { "p11.mechanisms", ND_LAYER_P11, { "p11.token", NULL }, eval_mechanisms };
