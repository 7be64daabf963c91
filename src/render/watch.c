/* SPDX-License-Identifier: BSD-2-Clause */
/* `nesdoctor watch`: the messages of nd_pcsc_watch (src/pcsc/watch.h) for
 * people, one line per event, or as JSON lines for scripts:
 *   {"event": "card_inserted", "reader": "...", "atr": "3B...", "time": "...Z",
 *    "family": "akis_uekae", "name": "AKIS (UEKAE family)"}
 * Reader names are outside data: made printable, then escaped and masked
 * through core/safe.h as every other renderer does. */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "pcsc/cardid.h"
#include "pcsc/watch.h"
#include "render/render.h"

size_t
nd_text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static const char *
event_label(const char *ev)
{
	if (strcmp(ev, ND_EV_CARD_INSERTED) == 0)
		return _("card inserted");
	if (strcmp(ev, ND_EV_CARD_REMOVED) == 0)
		return _("card removed");
	if (strcmp(ev, ND_EV_READER_ADDED) == 0)
		return _("reader added");
	if (strcmp(ev, ND_EV_READER_REMOVED) == 0)
		return _("reader removed");
	return ev;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

static const char *
card_text(const json_object *card)
{
	if (!card)
		return "";
	return nd_card_label(nd_jstr(card, "family"), nd_jstr(card, "ambiguous_with") != NULL);
}

static char *
printable_name(const char *raw)
{
	return nd_pcsc_printable((const uint8_t *)raw, strlen(raw), 256);
}

static void
event_json(const struct nd_opts *o, const json_object *msg, const char *reader, FILE *out)
{
	json_object *line = json_object_new_object(), *safe, *card = nd_jobj(msg, "card");

	json_object_object_add(line, "event", json_object_new_string(nd_jstr(msg, "event")));
	json_object_object_add(line, "reader", json_object_new_string(reader));
	nd_jset_str(line, "atr", nd_jstr(msg, "atr"));
	nd_jset_str(line, "time", nd_jstr(msg, "time"));
	if (card) {
		nd_jset_str(line, "family", nd_jstr(card, "family"));
		nd_jset_str(line, "name", nd_jstr(card, "name"));
		if (nd_jstr(card, "ambiguous_with"))
			nd_jset_str(line, "ambiguous_with", nd_jstr(card, "ambiguous_with"));
	}
	safe = nd_safe_json(line, ND_SAFE_JSON, o->show_id);
	fprintf(out, "%s\n", json_object_to_json_string_ext(safe, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(safe);
	json_object_put(line);
}

static void
event_text(const struct nd_opts *o, const json_object *msg, const char *printable, FILE *out)
{
	const char *ev = nd_jstr(msg, "event"), *atr = nd_jstr(msg, "atr");
	const char *label = event_label(ev);
	/* a reader name is outside data: escaped, and masked as a label is */
	char *reader = nd_safe_text(printable, o->show_id, false);
	/* pad by characters, not bytes: the Turkish labels have 'ı' */
	size_t width = nd_text_width(label);

	fprintf(out, "%s  %s%*s %s", or_empty(nd_jstr(msg, "time")), label, width < 15 ? (int)(15 - width) : 0, "", reader);
	if (atr && strcmp(ev, ND_EV_CARD_INSERTED) == 0)
		fprintf(out, "  %s  %s", atr, card_text(nd_jobj(msg, "card")));
	fputc('\n', out);
	free(reader);
}

bool
nd_render_watch_event(const struct nd_opts *o, const json_object *msg, FILE *out)
{
	char *printable = printable_name(or_empty(nd_jstr(msg, "reader")));

	if (o->json)
		event_json(o, msg, printable, out);
	else
		event_text(o, msg, printable, out);
	free(printable);
	return fflush(out) == 0 && !ferror(out);
}

void
nd_render_watch_baseline(const struct nd_opts *o, const json_object *readers, FILE *out)
{
	size_t n = readers ? json_object_array_length(readers) : 0;

	fprintf(out, _("Watching %zu card readers (Ctrl-C to stop):\n"), n);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(readers, i), *card = nd_jobj(r, "card");
		char *printable = printable_name(or_empty(nd_jstr(r, "name")));
		char *name = nd_safe_text(printable, o->show_id, false);

		if (card)
			fprintf(out, "  %s: %s (%s)\n", name, card_text(card), nd_jstr(r, "atr"));
		else
			fprintf(out, "  %s: %s\n", name, _("(no card)"));
		free(name);
		free(printable);
	}
}

void
nd_render_watch_service(const json_object *msg, FILE *out)
{
	const char *rv = or_empty(nd_jstr(msg, "rv"));

	if (strcmp(rv, "SCARD_S_SUCCESS") == 0)
		fprintf(out, "%s\n", _("pcscd answers."));
	else
		fprintf(out, _("pcscd cannot be reached (%s); waiting for it. Start it with: "
		    "sudo systemctl enable --now pcscd.socket\n"), rv);
}

void
nd_render_watch_end(const struct nd_watch_result *res, bool started, int stuck_s, FILE *out)
{
	if (!started)
		fprintf(out, "nesdoctor: %s\n", _("could not start watching"));
	else if (res->end == ND_WATCH_STUCK)
		fprintf(out, _("nesdoctor: pcscd stopped answering (no answer within %d s, in %s)\n"), stuck_s, res->step);
	else if (res->end == ND_WATCH_FAILED)
		fprintf(out, "nesdoctor: %s\n", _("the watch ended unexpectedly"));
}
