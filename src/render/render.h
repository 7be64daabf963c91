/* SPDX-License-Identifier: BSD-2-Clause */
/* Renderers: the same report as JSON for scripts, or text for people. */
#ifndef ND_RENDER_H
#define ND_RENDER_H

#include <stdbool.h>
#include <stdint.h>
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

/* Render in the format the options ask for (--format), and write
 * --textfile-dir's file; returns the exit code (ND_EXIT_IOERR when the
 * file could not be written). render/render.c */
int nd_render(const struct nd_report *rep);

/* --- the fleet formats (render/metrics.c, render/summary.c) ----------- */

#define ND_SUMMARY_SCHEMA "nesdoctor.summary/1"

enum nd_pin_state { ND_PIN_UNKNOWN, ND_PIN_OK, ND_PIN_COUNT_LOW, ND_PIN_FINAL_TRY, ND_PIN_LOCKED };
/* "unknown", "ok", "count_low", "final_try", "locked" */
const char *nd_pin_state_name(enum nd_pin_state s);

/* What the metrics and the summary say besides the checks. */
struct nd_fleet_facts {
	bool has_not_after;
	int64_t not_after;       /* the signing certificate's notAfter, Unix time */
	enum nd_pin_state pin;   /* the signing token's, from p11.pin's flags */
	long readers;            /* inventory.readers[] */
	long tokens;             /* tokens[] with token_initialized */
	int64_t duration_ms;     /* since opts->started_ms */
};
void nd_render_fleet_facts(const struct nd_report *rep, struct nd_fleet_facts *f);

/* Prometheus' text exposition format (0.0.4). */
void nd_render_prometheus(const struct nd_report *rep, FILE *out);
/* DIR/nesdoctor.prom written atomically (temporary file, fsync, rename);
 * 0, or -1 said on stderr. */
int nd_render_textfile(const struct nd_report *rep, const char *dir);
/* The fleet summary (schema nesdoctor.summary/1). New reference. */
json_object *nd_render_summary_doc(const struct nd_report *rep);
void nd_render_summary(const struct nd_report *rep, FILE *out);

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
