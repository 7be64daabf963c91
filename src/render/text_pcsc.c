/* SPDX-License-Identifier: BSD-2-Clause */
/* The pcsc section of the text report: which reader has which card, like
 * `opensc-tool -l`, with what the card is and whether it answered. */
#include "core/i18n.h"
#include "core/util.h"
#include "pcsc/cardid.h"
#include "pcsc/view.h"
#include "render/render.h"

void nd_render_text_pcsc(const struct nd_report *rep, FILE *out, bool color);

static const char *
card_state_text(enum nd_card_state st)
{
	switch (st) {
	case ND_CARD_ABSENT:
		return _("not checked");
	case ND_CARD_ANSWERS:
		return _("answers");
	case ND_CARD_MUTE:
		return _("does not answer");
	case ND_CARD_IN_USE:
		return _("held by another program");
	case ND_CARD_UNSUPPORTED:
		return _("cannot be used");
	case ND_CARD_REMOVED:
		return _("taken out");
	case ND_CARD_UNPOWERED:
		return _("not powered");
	case ND_CARD_NOT_PROBED:
		return _("not checked (--reader)");
	case ND_CARD_NO_SERVICE:
	case ND_CARD_ERROR:
	case ND_CARD_PROBE_FAILED:
	case ND_CARD_OTHER:
		break;
	}
	return _("error");
}

static void
print_card(FILE *out, json_object *card, bool color)
{
	enum nd_card_state st = nd_pcsc_card_state(card);
	const char *atr = nd_jstr(card, ND_PCSC_K_ATR);
	bool ok = st == ND_CARD_ANSWERS;
	json_object *apdu = nd_jobj(card, ND_PCSC_K_APDU), *known = nd_jarr(card, ND_PCSC_K_KNOWN_AS);
	json_object *problems = nd_pcsc_card_problems(card);
	const char *c0 = color ? (ok ? "\033[32m" : "\033[31m") : "", *c1 = color ? "\033[0m" : "";
	uint8_t bytes[64];
	char spaced[3 * 64 + 1] = "";
	long n;

	fprintf(out, "         %s — %s%s%s", nd_card_label(nd_jstr(card, ND_PCSC_K_FAMILY),
	    nd_jstr(card, ND_PCSC_K_AMBIGUOUS_WITH) != NULL), c0, card_state_text(st), c1);
	if (ok)
		fprintf(out, " (%s, %s %s)", nd_jstr(card, ND_PCSC_K_PROTOCOL) ? nd_jstr(card, ND_PCSC_K_PROTOCOL) : "?",
		    _("status"), nd_jstr(apdu, ND_PCSC_K_SW) ? nd_jstr(apdu, ND_PCSC_K_SW) : "?");
	else if (nd_jstr(card, ND_PCSC_K_ERROR))
		fprintf(out, " (%s)", nd_jstr(card, ND_PCSC_K_ERROR));
	else if (nd_jstr(card, ND_PCSC_K_HUNG_STEP))
		fprintf(out, " (%s: %s)", _("no answer in time"), nd_jstr(card, ND_PCSC_K_HUNG_STEP));
	fputc('\n', out);
	if (atr && (n = nd_unhex(atr, bytes, sizeof bytes)) >= 0)
		nd_hex_spaced(bytes, (size_t)n, spaced, sizeof spaced);
	fprintf(out, "         ATR %s", spaced);
	if (problems && json_object_array_length(problems) > 0) {
		fprintf(out, "  [%s:", _("damaged"));
		for (size_t i = 0; i < json_object_array_length(problems); i++)
			fprintf(out, " %s", json_object_get_string(json_object_array_get_idx(problems, i)));
		fputc(']', out);
	}
	fputc('\n', out);
	for (size_t i = 0; known && i < json_object_array_length(known) && i < 3; i++)
		fprintf(out, "         %s %s\n", i == 0 ? _("known as:") : "         ",
		    json_object_get_string(json_object_array_get_idx(known, i)));
}

void
nd_render_text_pcsc(const struct nd_report *rep, FILE *out, bool color)
{
	json_object *pcsc = nd_pcsc_facts(rep->inventory);
	size_t n = nd_pcsc_n_readers(rep->inventory);

	if (nd_pcsc_service(pcsc) != ND_PCSC_SVC_OK)
		return;   /* the pcsc.service line says it all */
	fprintf(out, "\n  %s\n", _("Readers and cards:"));
	if (n == 0)
		fprintf(out, "    %s\n", _("(no reader)"));
	for (size_t i = 0; i < n; i++) {
		json_object *r = nd_pcsc_reader_at(rep->inventory, i);
		json_object *card = nd_pcsc_reader_card(r);
		const char *name = nd_jstr(r, ND_PCSC_K_NAME);

		fprintf(out, "    %-2zu %s%s\n", i, name ? name : "?",
		    nd_jstr(pcsc, ND_PCSC_K_READER_FILTER) && !nd_jbool(r, ND_PCSC_K_SELECTED, false) ?
		    _("  (not selected)") : "");
		if (card)
			print_card(out, card, color);
		else
			fprintf(out, "         %s\n", _("(no card)"));
	}
}
