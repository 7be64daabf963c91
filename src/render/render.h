/* Renderers: the same report as JSON for scripts, or text for people. */
#ifndef ND_RENDER_H
#define ND_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "report/report.h"

/* The versioned JSON document (schema nesdoctor.report/1). New reference. */
json_object *nd_render_json_doc(const struct nd_report *rep);
void nd_render_json(const struct nd_report *rep, FILE *out);

/* Should output to `out` be coloured, given --color/--no-color and NO_COLOR? */
bool nd_render_use_color(const struct nd_opts *o, FILE *out);
void nd_render_text(const struct nd_report *rep, FILE *out, bool color);

/* Text sections that show the inventory of one layer (readers, tokens, ...),
 * printed under that layer's checks. Each layer's file adds one. */
void nd_render_text_inventory(const struct nd_report *rep, enum nd_layer layer, FILE *out, bool color);

/* Render in the format the options ask for; returns the exit code. */
int nd_render(const struct nd_report *rep);

/* `nesdoctor watch` (render/watch.c), over the messages of nd_pcsc_watch
 * (pcsc/watch.h). An event as one text line or one JSON line; false when
 * out is gone (`nesdoctor watch | head -1`: SIGPIPE is ignored, so a write
 * error is the only sign). */
struct nd_watch_result;
bool nd_render_watch_event(const struct nd_opts *o, const json_object *msg, FILE *out);
/* The readers watched from the start: an array of the baseline's readers. */
void nd_render_watch_baseline(const struct nd_opts *o, const json_object *readers, FILE *out);
/* pcscd became reachable or unreachable (a "service" message). */
void nd_render_watch_service(const json_object *msg, FILE *out);
/* Why the watch ended, when it was not asked to: it could not start, or
 * pcscd did not answer within stuck_s seconds. */
void nd_render_watch_end(const struct nd_watch_result *res, bool started, int stuck_s, FILE *out);

/* Characters (not bytes) of a UTF-8 string, to pad columns. */
size_t nd_text_width(const char *s);

#endif
