/* SPDX-License-Identifier: BSD-2-Clause */
/* A saved report read back: the JSON document of `--json` (or a bundle's
 * report.json), checked to be a nesdoctor report and printed as the text
 * report the person saw (`nesdoctor show`). */
#ifndef ND_RENDER_SAVED_H
#define ND_RENDER_SAVED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "core/opts.h"

/* The largest report read back (a full check is some 100 KiB). */
#define ND_SAVED_MAX (16u << 20)

/* Parse buf[0..n) and check that it is a report of schema
 * nesdoctor.report/1 with every field the text report needs, of its type.
 * Returns the document (new reference), or NULL with *why set to a
 * translated reason (malloc'ed). */
json_object *nd_saved_parse(const char *buf, size_t n, char **why);

/* The report's exit code and language ("tr"/"en") of a checked document. */
int nd_saved_exit(const json_object *doc);
const char *nd_saved_lang(const json_object *doc);

/* Print a checked document as the text report (nd_render_text), TCKNs
 * masked unless o->show_id. Messages are in the report's language; the
 * rest of the text in the language set now. */
void nd_render_saved_text(json_object *doc, const struct nd_opts *o, FILE *out, bool color);

#endif
