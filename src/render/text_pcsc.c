/* The pcsc section of the text report: which reader has which card, like
 * `opensc-tool -l`, with what the card is and whether it answered. */
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "pcsc/cardid.h"
#include "render/render.h"

void nd_render_text_pcsc(const struct nd_report *rep, FILE *out, bool color);

static const char *
card_state_text(const char *st)
{
	if (!st)
		return _("not checked");
	if (strcmp(st, "answers") == 0)
		return _("answers");
	if (strcmp(st, "mute") == 0)
		return _("does not answer");
	if (strcmp(st, "in_use") == 0)
		return _("held by another program");
	if (strcmp(st, "unsupported") == 0)
		return _("cannot be used");
	if (strcmp(st, "removed") == 0)
		return _("taken out");
	if (strcmp(st, "unpowered") == 0)
		return _("not powered");
	if (strcmp(st, "not_probed") == 0)
		return _("not checked (--reader)");
	return _("error");
}

static void
print_card(FILE *out, json_object *card, bool color)
{
	const char *st = nd_jstr(card, "state");
	const char *atr = nd_jstr(card, "atr");
	bool ok = st && strcmp(st, "answers") == 0;
	json_object *apdu = nd_jobj(card, "apdu"), *known = nd_jarr(card, "known_as");
	json_object *problems = nd_jarr(nd_jobj(card, "atr_info"), "problems");
	const char *c0 = color ? (ok ? "\033[32m" : "\033[31m") : "", *c1 = color ? "\033[0m" : "";
	uint8_t bytes[64];
	char spaced[3 * 64 + 1] = "";
	long n;

	fprintf(out, "         %s — %s%s%s", nd_card_label(nd_jstr(card, "family"),
	    nd_jstr(card, "ambiguous_with") != NULL), c0, card_state_text(st), c1);
	if (ok)
		fprintf(out, " (%s, %s %s)", nd_jstr(card, "protocol") ? nd_jstr(card, "protocol") : "?",
		    _("status"), nd_jstr(apdu, "sw") ? nd_jstr(apdu, "sw") : "?");
	else if (nd_jstr(card, "error"))
		fprintf(out, " (%s)", nd_jstr(card, "error"));
	else if (nd_jstr(card, "hung_step"))
		fprintf(out, " (%s: %s)", _("no answer in time"), nd_jstr(card, "hung_step"));
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
	json_object *readers = nd_jarr(rep->inventory, "readers");
	json_object *pcsc = nd_jobj(rep->inventory, "pcsc");
	const char *svc = nd_jstr(pcsc, "service");
	size_t n = readers ? json_object_array_length(readers) : 0;

	if (!pcsc || !svc || strcmp(svc, "ok") != 0)
		return;   /* the pcsc.service line says it all */
	fprintf(out, "\n  %s\n", _("Readers and cards:"));
	if (n == 0)
		fprintf(out, "    %s\n", _("(no reader)"));
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(readers, i);
		json_object *card = nd_jobj(r, "card");
		const char *name = nd_jstr(r, "name");

		fprintf(out, "    %-2zu %s%s\n", i, name ? name : "?",
		    nd_jstr(pcsc, "reader_filter") && !nd_jbool(r, "selected", false) ? _("  (not selected)") : "");
		if (card)
			print_card(out, card, color);
		else
			fprintf(out, "         %s\n", _("(no card)"));
	}
}
