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

#endif
