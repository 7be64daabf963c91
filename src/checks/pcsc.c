/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the pcsc layer: rules over inventory.pcsc and inventory.readers
 * (see src/pcsc/pcsc.h for the keys). Pure functions of the inventory. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/pcscd_advice.h"
#include "core/i18n.h"
#include "core/util.h"
#include "p11/p11.h"
#include "pcsc/cardid.h"
#include "pcsc/view.h"

static json_object *
pcsc_facts(const struct nd_report *rep)
{
	return nd_pcsc_facts(rep->inventory);
}

/* The readers the card checks look at: the ones --reader selected, or all. */
static bool
considered(const struct nd_report *rep, json_object *reader)
{
	return !nd_jstr(pcsc_facts(rep), ND_PCSC_K_READER_FILTER) || nd_jbool(reader, ND_PCSC_K_SELECTED, false);
}

static size_t
n_readers(const struct nd_report *rep)
{
	return nd_pcsc_n_readers(rep->inventory);
}

static json_object *
reader_at(const struct nd_report *rep, size_t i)
{
	return nd_pcsc_reader_at(rep->inventory, i);
}

static const char *
str_or(const json_object *o, const char *key, const char *dflt)
{
	const char *s = nd_jstr(o, key);

	return s ? s : dflt;
}

static void
set_reader_detail(struct nd_result *r, json_object *reader)
{
	json_object *card = nd_pcsc_reader_card(reader);

	nd_jset_str(nd_result_details(r), "reader", nd_jstr(reader, ND_PCSC_K_NAME));
	if (card) {
		nd_jset_str(nd_result_details(r), "atr", nd_jstr(card, ND_PCSC_K_ATR));
		nd_jset_str(nd_result_details(r), "family", nd_jstr(card, ND_PCSC_K_FAMILY));
		nd_jset_str(nd_result_details(r), "card_state", nd_jstr(card, ND_PCSC_K_STATE));
	}
}

/* The restart command is sys.pcscd's word for this system: no systemctl
 * (nor journalctl) in a container without systemd. */
static void
restart_remedy(const struct nd_report *rep, struct nd_result *r)
{
	nd_result_remedy(r, "%s\n  %s\n%s",
	    _("Restart the smart card service:"), nd_sys_pcscd_restart(rep),
	    nd_sys_has_journal(rep) ?
	    _("If it happens again, unplug the card reader, wait five seconds, plug it in and restart "
	      "the service once more; 'journalctl -u pcscd' shows what pcscd complained about.") :
	    _("If it happens again, unplug the card reader, wait five seconds, plug it in and restart "
	      "the service once more."));
}

/* ---- pcsc.service -------------------------------------------------- */

static void
eval_service(const struct nd_report *rep, struct nd_result *r)
{
	json_object *p = pcsc_facts(rep);
	const char *svc = nd_jstr(p, ND_PCSC_K_SERVICE);
	const char *rv = str_or(p, ND_PCSC_K_RV, "?");
	char *see;

	if (!p || !svc) {
		nd_result_set(r, ND_SKIP, _("the PC/SC layer was not examined"));
		r->undetermined = true;
		return;
	}
	nd_jset_str(nd_result_details(r), "service", svc);
	nd_jset_str(nd_result_details(r), "rv", nd_jstr(p, ND_PCSC_K_RV));
	switch (nd_pcsc_service(p)) {
	case ND_PCSC_SVC_OK:
		nd_result_set(r, ND_PASS, _("pcscd, the smart card service, answers"));
		break;
	case ND_PCSC_SVC_NOT_RUNNING:
		if (!nd_jbool(p, ND_PCSC_K_PCSCD_INSTALLED, true)) {
			nd_result_set(r, ND_FAIL, _("pcscd, the smart card service, is not installed (%s)"), rv);
			/* the cause is sys.pcscd's: its advice, not another one
			 * (systemctl in a container without systemd) */
			if (nd_sys_pcscd_advice(rep))
				nd_result_remedy(r, _("See sys.pcscd: %s"), nd_sys_pcscd_advice(rep));
			else
				nd_result_remedy(r, "%s\n  sudo apt install pcscd\n  sudo systemctl enable --now pcscd.socket",
				    _("Install the smart card service and start it:"));
			break;
		}
		nd_result_set(r, ND_FAIL, _("pcscd, the smart card service, is not running (%s)"), rv);
		if (nd_sys_pcscd_advice(rep))
			nd_result_remedy(r, _("See sys.pcscd: %s"), nd_sys_pcscd_advice(rep));
		else
			nd_result_remedy(r, "%s\n  sudo systemctl enable --now pcscd.socket\n%s\n  sudo apt install pcscd",
			    _("Start the smart card service, and let it start by itself from now on:"),
			    _("If systemctl says the unit does not exist, install the package first:"));
		break;
	case ND_PCSC_SVC_REFUSED:
		/* sys.polkit's advice first, by reference, when it was looked
		 * at; the rule below is the administrator's way, not another */
		see = nd_sys_polkit_advice(rep) ? nd_asprintf(_("See sys.polkit: %s"), nd_sys_polkit_advice(rep)) : NULL;
		nd_result_set(r, ND_FAIL, _("pcscd refused this session (%s): polkit lets only the person "
		    "at the computer use smart cards"), rv);
		nd_result_remedy(r, "%s\n%s\n  /etc/polkit-1/rules.d/60-pcscd.rules:\n"
		    "  polkit.addRule(function(action, subject) {\n"
		    "    if ((action.id == \"org.debian.pcsc-lite.access_pcsc\" ||\n"
		    "         action.id == \"org.debian.pcsc-lite.access_card\") &&\n"
		    "        subject.isInGroup(\"scard\"))\n"
		    "      return polkit.Result.YES;\n"
		    "  });",
		    see ? see : _("Run nesdoctor in the desktop session of the person at the computer, not over ssh or "
		      "in a container."),
		    _("To allow other sessions, an administrator adds a polkit rule for the actions "
		      "org.debian.pcsc-lite.access_pcsc and org.debian.pcsc-lite.access_card, for example "
		      "for the members of a group 'scard':"));
		free(see);
		break;
	case ND_PCSC_SVC_PROTOCOL_MISMATCH:
		nd_result_set(r, ND_FAIL, _("the PC/SC library and pcscd speak different protocol versions (%s)"), rv);
		nd_result_remedy(r, "%s\n  %s\n%s\n  ldconfig -p | grep libpcsclite\n  sudo apt install --reinstall libpcsclite1 pcscd",
		    _("pcscd was probably updated while running; restart it:"), nd_sys_pcscd_restart(rep),
		    _("If that does not help, a program brings its own copy of libpcsclite: see which ones "
		      "are installed, and reinstall the system's:"));
		break;
	case ND_PCSC_SVC_NO_ANSWER:
		nd_result_set(r, ND_FAIL, _("pcscd did not answer within %d s (stuck in %s)"),
		    (int)nd_jint(p, ND_PCSC_K_TIMEOUT_S, 0), str_or(p, ND_PCSC_K_HUNG_STEP, "?"));
		nd_jset_str(nd_result_details(r), "hung_step", nd_jstr(p, ND_PCSC_K_HUNG_STEP));
		restart_remedy(rep, r);
		break;
	case ND_PCSC_SVC_COLLECTOR_FAILED:
		nd_result_set(r, ND_SKIP, _("could not talk to pcscd: the PC/SC probe ended abnormally (%s)"),
		    str_or(p, ND_PCSC_K_COLLECTOR_END, "?"));
		r->undetermined = true;
		break;
	case ND_PCSC_SVC_ERROR:
	case ND_PCSC_SVC_ABSENT:
	case ND_PCSC_SVC_OTHER:
		nd_result_set(r, ND_FAIL, _("pcscd answered with an error (%s)"), rv);
		restart_remedy(rep, r);
		break;
	}
}

/* The checks above pcsc.service run only when it passed or failed; when
 * it could not be determined, neither can they (and saying "no reader"
 * would be a guess). */
static bool
service_unknown(const struct nd_report *rep, struct nd_result *r)
{
	if (nd_pcsc_service(pcsc_facts(rep)) == ND_PCSC_SVC_OK)
		return false;
	nd_result_set(r, ND_SKIP, _("not checked: the state of pcscd is not known"));
	r->undetermined = true;
	return true;
}

/* ---- pcsc.reader --------------------------------------------------- */

static char *
reader_names(const struct nd_report *rep, bool only_considered)
{
	char *out = nd_xstrdup("");

	for (size_t i = 0; i < n_readers(rep); i++) {
		json_object *rd = reader_at(rep, i);
		char *next;

		if (only_considered && !considered(rep, rd))
			continue;
		next = nd_asprintf("%s%s%s", out, *out ? ", " : "", str_or(rd, "name", "?"));
		free(out);
		out = next;
	}
	return out;
}

static void
eval_reader(const struct nd_report *rep, struct nd_result *r)
{
	json_object *p = pcsc_facts(rep);
	const char *lrv = nd_jstr(p, ND_PCSC_K_READERS_RV);
	const char *filter = nd_jstr(p, ND_PCSC_K_READER_FILTER);
	size_t n = n_readers(rep), sel = 0;
	char *names;

	if (service_unknown(rep, r))
		return;

	if (!nd_pcsc_readers_listed(p)) {
		nd_result_set(r, ND_FAIL, _("pcscd could not list the card readers (%s)"), lrv);
		restart_remedy(rep, r);
		return;
	}
	if (n == 0) {
		nd_result_set(r, ND_FAIL, _("no card reader found"));
		nd_result_remedy(r, "%s\n%s\n  sudo apt install libccid\n%s",
		    _("Plug the card reader into a USB port of the computer; a light on it should come on."),
		    _("If it is plugged in, pcscd has no driver for it. Install the common one, then unplug "
		      "the reader and plug it in again:"),
		    _("An older ACS ACR38U (USB id 072F:9000) needs the package libacsccid1 instead."));
		return;
	}
	for (size_t i = 0; i < n; i++)
		sel += considered(rep, reader_at(rep, i));
	if (sel == 0) {
		names = reader_names(rep, false);
		nd_result_set(r, ND_FAIL, _("no card reader matches --reader '%s' (readers: %s)"),
		    filter ? filter : "", names);
		nd_result_remedy(r, _("Use one of the reader names above, or leave out --reader."));
		free(names);
		return;
	}
	names = reader_names(rep, true);
	if (sel == 1)
		nd_result_set(r, ND_PASS, _("one card reader: %s"), names);
	else
		nd_result_set(r, ND_PASS, _("%zu card readers: %s"), sel, names);
	free(names);
}

/* ---- pcsc.card ----------------------------------------------------- */

static bool
card_answers(json_object *card)
{
	return nd_pcsc_card_state(card) == ND_CARD_ANSWERS;
}

/* How much a card looks like the e-signature card: an AKIS card, then one
 * that may be AKIS or an ID card, then an ID card, then anything else. */
static int
type_rank(json_object *card)
{
	const char *fam = nd_jstr(card, ND_PCSC_K_FAMILY);

	if (nd_card_family_is_akis(fam) && !nd_jstr(card, ND_PCSC_K_AMBIGUOUS_WITH))
		return 0;
	if (nd_card_family_is_akis(fam))
		return 1;
	if (fam && strcmp(fam, ND_FAMILY_TCKK) == 0)
		return 2;
	return 3;
}

/* "The card" both card checks judge, among the considered readers: the one
 * most like an e-signature card, and of equals the one that answers. So a
 * mute AKIS card is not hidden by a bank card that answers in another
 * reader, and a second reader never spoils a good card. */
static json_object *
pick_card(const struct nd_report *rep)
{
	json_object *best = NULL;
	int best_key = 1000;

	for (size_t i = 0; i < n_readers(rep); i++) {
		json_object *rd = reader_at(rep, i), *card = nd_pcsc_reader_card(rd);
		int key;

		if (!considered(rep, rd) || !card)
			continue;
		key = 2 * type_rank(card) + !card_answers(card);
		if (key < best_key) {
			best = rd;
			best_key = key;
		}
	}
	return best;
}

/* A person's words for what is wrong with an ATR. */
static const char *
atr_problem_text(enum nd_atr_problem p)
{
	switch (p) {
	case ND_ATR_TRUNCATED:
		return _("it ends too early");
	case ND_ATR_TCK_BAD:
		return _("its checksum (TCK) is wrong");
	case ND_ATR_TCK_MISSING:
		return _("its checksum (TCK) is missing");
	case ND_ATR_BAD_TS:
		return _("its first byte is invalid");
	case ND_ATR_EXTRA_BYTES:
		return _("it has bytes after its end");
	case ND_ATR_EMPTY:
	case ND_ATR_TOO_LONG:
	case ND_ATR_TOO_MANY_LEVELS:
		break;
	}
	return _("it is malformed");
}

static void
insert_remedy(struct nd_result *r)
{
	nd_result_remedy(r, "%s\n%s",
	    _("Take the card out and insert it again: chip first, facing up, pushed in until it stops."),
	    _("If it still does not answer, try another USB port or another reader. A card that never "
	      "answers may be damaged: Kamu SM replaces it (phone 444 5 576)."));
}

/* A card held exclusively by another program: who, and how to free it. */
static void
held_remedy(struct nd_result *r, json_object *card, const char *name, const char *err)
{
	json_object *held = nd_jarr(card, ND_PCSC_K_HELD_BY);
	json_object *h0 = held ? json_object_array_get_idx(held, 0) : NULL;

	if (h0)
		nd_result_set(r, ND_FAIL, _("the card in %s is held exclusively by another program (%s); "
		    "%s (pid %d) is running"), name, err, str_or(h0, ND_PCSC_K_NAME, "?"),
		    (int)nd_jint(h0, ND_PCSC_K_PID, 0));
	else
		nd_result_set(r, ND_FAIL, _("the card in %s is held exclusively by another program (%s)"),
		    name, err);
	nd_result_remedy(r, "%s\n  gpgconf --kill scdaemon\n%s\n  disable-ccid\n  pcsc-shared\n%s",
	    _("The usual one is GnuPG's scdaemon. Stop it:"),
	    _("To keep it from taking the card again, add these two lines to ~/.gnupg/scdaemon.conf:"),
	    _("Otherwise close the other signing programs (browser signing add-ons, other e-signature "
	      "tools) and run nesdoctor again."));
}

static void
eval_card(const struct nd_report *rep, struct nd_result *r)
{
	json_object *p = pcsc_facts(rep), *rd = pick_card(rep);
	json_object *card;
	const char *name, *err;
	size_t considered_n = 0;

	if (service_unknown(rep, r))
		return;

	if (!rd) {
		json_object *only = NULL;

		for (size_t i = 0; i < n_readers(rep); i++)
			if (considered(rep, reader_at(rep, i))) {
				considered_n++;
				only = reader_at(rep, i);
			}
		if (considered_n == 1)
			nd_result_set(r, ND_FAIL, _("no card in the reader %s"), str_or(only, ND_PCSC_K_NAME, "?"));
		else
			nd_result_set(r, ND_FAIL, _("no card in any of the %zu card readers"), considered_n);
		nd_result_remedy(r, _("Insert the e-signature card into the reader: chip first and facing up, "
		    "pushed in until it stops."));
		return;
	}
	card = nd_pcsc_reader_card(rd);
	name = str_or(rd, ND_PCSC_K_NAME, "?");
	set_reader_detail(r, rd);

	if (card_answers(card)) {
		if (nd_pcsc_card_n_problems(card) > 0) {
			/* the card talks, but its ATR came through damaged: dirty or
			 * worn contacts, or a card inserted badly */
			nd_result_set(r, ND_WARN, _("the card in %s answers, but its ATR is damaged: %s"), name,
			    atr_problem_text(nd_pcsc_card_problem(card, 0)));
			nd_result_remedy(r, "%s\n%s",
			    _("Take the card out and insert it again: chip first, facing up, pushed in until it stops."),
			    _("If this stays, wipe the gold chip contacts gently with a dry cloth, or try another reader."));
			return;
		}
		nd_result_set(r, ND_PASS, _("the card in %s answers (%s, status %s)"), name,
		    str_or(card, ND_PCSC_K_PROTOCOL, "?"), str_or(nd_jobj(card, ND_PCSC_K_APDU), ND_PCSC_K_SW, "?"));
		return;
	}

	err = str_or(card, ND_PCSC_K_ERROR, nd_jstr(card, ND_PCSC_K_HUNG_STEP) ? "timeout" : "?");
	switch (nd_pcsc_card_state(card)) {
	case ND_CARD_IN_USE:
		held_remedy(r, card, name, err);
		break;
	case ND_CARD_MUTE:
	case ND_CARD_UNPOWERED:
		if (nd_jstr(card, ND_PCSC_K_HUNG_STEP))
			nd_result_set(r, ND_FAIL, _("the card in %s does not answer: no answer within %d s (%s)"),
			    name, (int)nd_jint(p, ND_PCSC_K_TIMEOUT_S, 0), str_or(card, ND_PCSC_K_HUNG_STEP, "?"));
		else
			nd_result_set(r, ND_FAIL, _("the card in %s does not answer (%s)"), name, err);
		insert_remedy(r);
		break;
	case ND_CARD_UNSUPPORTED:
		nd_result_set(r, ND_FAIL, _("the card in %s cannot be used: pcscd found no protocol to talk to it (%s)"),
		    name, err);
		insert_remedy(r);
		break;
	case ND_CARD_REMOVED:
		nd_result_set(r, ND_FAIL, _("the card in %s was taken out while it was being checked (%s)"), name, err);
		nd_result_remedy(r, _("Insert the card again and leave it in while nesdoctor runs."));
		break;
	case ND_CARD_NO_SERVICE:
		nd_result_set(r, ND_FAIL, _("pcscd went away while the card was being checked (%s)"), err);
		restart_remedy(rep, r);
		break;
	case ND_CARD_PROBE_FAILED:
	case ND_CARD_NOT_PROBED:
		nd_result_set(r, ND_SKIP, _("could not check the card in %s: the probe ended abnormally"), name);
		r->undetermined = true;
		break;
	case ND_CARD_ANSWERS:   /* handled above */
	case ND_CARD_ERROR:
	case ND_CARD_ABSENT:
	case ND_CARD_OTHER:
		nd_result_set(r, ND_FAIL, _("the card in %s did not answer as expected (%s)"), name, err);
		insert_remedy(r);
		break;
	}
}

/* ---- pcsc.card_type ------------------------------------------------ */

/* What the PKCS#11 layer learned about the card in this reader: an AKIS
 * card (an AKIS_<hex> token) or an ID card, or ABSENT when no token of this
 * reader said (tokens is absent in `nesdoctor readers`). */
static enum nd_token_device
token_device(const struct nd_report *rep, const char *reader, const char **label)
{
	json_object *toks = nd_p11_tokens(rep->inventory);

	for (size_t i = 0; toks && i < json_object_array_length(toks); i++) {
		json_object *t = json_object_array_get_idx(toks, i);
		const char *tr = nd_jstr(t, ND_P11_K_READER);
		enum nd_token_device dev = nd_p11_token_device(t);

		if (tr && dev != ND_DEV_ABSENT && strcmp(tr, reader) == 0) {
			*label = nd_jstr(t, ND_P11_K_LABEL);
			return dev;
		}
	}
	return ND_DEV_ABSENT;
}

static void
eval_card_type(const struct nd_report *rep, struct nd_result *r)
{
	json_object *best = pick_card(rep), *card, *known;
	const char *name, *fam, *label, *tlabel = NULL;

	if (service_unknown(rep, r))
		return;

	/* pcsc.card passed (or only warned): pick_card() found a card that
	 * answers */
	if (!best || !card_answers(nd_pcsc_reader_card(best))) {
		nd_result_set(r, ND_SKIP, _("no card answered, so its type is not known"));
		r->undetermined = true;
		return;
	}
	card = nd_pcsc_reader_card(best);
	name = str_or(best, ND_PCSC_K_NAME, "?");
	fam = nd_jstr(card, ND_PCSC_K_FAMILY);
	label = nd_card_label(fam, nd_jstr(card, ND_PCSC_K_AMBIGUOUS_WITH) != NULL);
	known = nd_jarr(card, ND_PCSC_K_KNOWN_AS);
	set_reader_detail(r, best);
	switch (type_rank(card)) {
	case 0:
		nd_result_set(r, ND_PASS, _("%s in %s"), label, name);
		break;
	case 1:
		/* Same chip family as the ID card: the token read through the
		 * PKCS#11 library settles it when there is one. */
		switch (token_device(rep, name, &tlabel)) {
		case ND_DEV_AKIS:
			nd_result_set(r, ND_PASS, _("AKIS card (TC family) in %s, confirmed by its token %s"), name,
			    tlabel ? tlabel : "?");
			nd_jset_str(nd_result_details(r), "confirmed_by", "token");
			return;
		case ND_DEV_ID_CARD:
			nd_result_set(r, ND_FAIL, _("the card in %s is a Turkish ID card (TCKK), not your e-signature card"),
			    name);
			nd_result_remedy(r, _("Take out the ID card and insert your e-signature card: the AKIS card "
			    "delivered by Kamu SM."));
			nd_jset_str(nd_result_details(r), "confirmed_by", "token");
			return;
		case ND_DEV_ABSENT:
		case ND_DEV_OTHER:
			break;
		}
		/* Not a failure (most NES cards since 2020 look like this),
		 * but the person should know which card they put in. */
		nd_result_set(r, ND_WARN, _("%s in %s: the ATR cannot tell these two apart"), label, name);
		nd_result_remedy(r, "%s\n%s",
		    _("If this is your Turkish ID card (kimlik kartı), take it out and insert the e-signature "
		      "card delivered by Kamu SM."),
		    _("If it is your e-signature card, there is nothing to do: the token check tells them apart."));
		break;
	case 2:
		/* Told apart for sure (by another layer): signing cannot work
		 * with this card, so this is a failure. */
		nd_result_set(r, ND_FAIL, _("the card in %s is a Turkish ID card (TCKK), not your e-signature card"),
		    name);
		nd_result_remedy(r, _("Take out the ID card and insert your e-signature card: the AKIS card "
		    "delivered by Kamu SM."));
		break;
	default:
		/* Not failed: Kamu SM may ship a card whose ATR we do not know
		 * yet, and the PKCS#11 layer is the real test. */
		if (known && json_object_array_length(known) > 0)
			nd_result_set(r, ND_WARN, _("not an AKIS card: this may not be your e-signature card "
			    "(%s in %s, known as \"%s\")"), label, name,
			    json_object_get_string(json_object_array_get_idx(known, 0)));
		else
			nd_result_set(r, ND_WARN, _("not an AKIS card: this may not be your e-signature card "
			    "(%s in %s, ATR %s)"), label, name, str_or(card, ND_PCSC_K_ATR, "?"));
		nd_result_remedy(r, "%s\n%s",
		    _("Make sure the card in the reader is the e-signature card delivered by Kamu SM (an AKIS "
		      "card), chip first and facing up."),
		    _("If it is, nesdoctor does not know its ATR yet: the token check below still tests it."));
		break;
	}
}

const struct nd_check_def nd_check_pcsc_service = { "pcsc.service", ND_LAYER_PCSC, { NULL }, eval_service };
const struct nd_check_def nd_check_pcsc_reader = { "pcsc.reader", ND_LAYER_PCSC, { "pcsc.service", NULL }, eval_reader };
const struct nd_check_def nd_check_pcsc_card = { "pcsc.card", ND_LAYER_PCSC, { "pcsc.reader", NULL }, eval_card };
const struct nd_check_def nd_check_pcsc_card_type = { "pcsc.card_type", ND_LAYER_PCSC, { "pcsc.card", NULL },
	eval_card_type };
