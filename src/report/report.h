/* SPDX-License-Identifier: BSD-2-Clause */
/* The report model: inventory (what was seen, as plain JSON data), check
 * results (rules over the inventory), the primary cause and the verdict.
 * No I/O here: checks can be run on hand-made inventories. */
#ifndef ND_REPORT_H
#define ND_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/opts.h"

#define ND_SCHEMA "nesdoctor.report/1"

enum nd_status { ND_PASS, ND_WARN, ND_FAIL, ND_SKIP, ND_INFO };
enum nd_verdict { ND_READY, ND_WARNING, ND_NOT_READY, ND_UNKNOWN };

/* Exit codes (documented in the README and the man page). */
enum nd_exit {
	ND_EXIT_READY = 0,
	ND_EXIT_WARNING = 1,
	ND_EXIT_NOT_READY = 2,
	ND_EXIT_UNKNOWN = 3,
	ND_EXIT_USAGE = 64,
	ND_EXIT_CANTCREAT = 73, /* bundle: the file could not be written (sysexits' EX_CANTCREAT) */
	ND_EXIT_IOERR = 74,     /* --textfile-dir: the file could not be written (sysexits' EX_IOERR) */
};

/* Layers, in causal order; they name the report's sections. */
enum nd_layer {
	ND_LAYER_SYS = 1 << 0,
	ND_LAYER_USB = 1 << 1,
	ND_LAYER_PCSC = 1 << 2,
	ND_LAYER_P11 = 1 << 3,
	ND_LAYER_CERT = 1 << 4,
	ND_LAYER_SIGN = 1 << 5,
	ND_LAYER_DYS = 1 << 6,
};
#define ND_LAYER_ALL 0x7f

struct nd_report;
struct nd_result;

#define ND_MAX_DEPS 6

struct nd_check_def {
	const char *id;                 /* stable: "pcsc.card" */
	enum nd_layer layer;
	const char *deps[ND_MAX_DEPS];  /* ids this check needs; NULL-terminated */
	/* Fill r: nd_result_set() exactly once, plus a remedy when not passing.
	 * Runs only when no dependency failed. */
	void (*eval)(const struct nd_report *rep, struct nd_result *r);
};

struct nd_result {
	const struct nd_check_def *def;
	enum nd_status status;
	char *message;          /* one line, in the person's language */
	char *remedy;           /* what to do; NULL when nothing */
	const char *blocked_by; /* for skip: the failing check that blocked it */
	bool undetermined;      /* the tool could not determine this */
	json_object *details;   /* optional, owned, goes into JSON as "details" */
};

struct nd_report {
	const struct nd_opts *opts;
	time_t time;
	json_object *inventory;     /* owned; collectors add their keys */
	/* Facts the checks need but the JSON must not carry (DER of certificates
	 * with the holder's identity number, ...): never rendered. Keys:
	 * "certificates": array parallel to inventory.certificates, each
	 * {"der": base64}. */
	json_object *internal;
	struct nd_result *results;
	size_t n_results;
	const struct nd_result *primary;  /* first failure in causal order */
	enum nd_verdict verdict;
	unsigned layers;            /* which layers this command evaluated */
	const char *verdict_by;     /* see nd_report_verdict_by; NULL: all checks */
};

/* opts NULL: the defaults (nd_opts_default()), so that rep->opts is
 * always there and every option has its value; layers need no fallbacks. */
void nd_report_init(struct nd_report *rep, const struct nd_opts *opts);
void nd_report_reset(struct nd_report *rep);

/* Evaluate the checks of the given layers from checks (NULL-terminated,
 * in causal order: the front ends pass nd_checks[] from checks/) over
 * rep->inventory, then compute the primary cause and the verdict. May be
 * called once. */
void nd_report_evaluate(struct nd_report *rep, const struct nd_check_def *const *checks, unsigned layers);
/* Same with an explicit list of definitions (tests). */
void nd_report_evaluate_defs(struct nd_report *rep, const struct nd_check_def *const *defs, size_t n);

/* A command that asks one question answers it by one check: the verdict
 * is ready exactly when that check passed (warnings elsewhere or not), and
 * not ready otherwise (sign-test: "was a signature made and verified?").
 * Call before evaluating. */
void nd_report_verdict_by(struct nd_report *rep, const char *check_id);

/* A result evaluated so far, or NULL. */
const struct nd_result *nd_report_find(const struct nd_report *rep, const char *id);

/* Setting a result (printf-style; the format should come from _()). */
void nd_result_set(struct nd_result *r, enum nd_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void nd_result_remedy(struct nd_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Borrowed details object (created on first use). */
json_object *nd_result_details(struct nd_result *r);

enum nd_exit nd_verdict_exit(enum nd_verdict v);
const char *nd_status_name(enum nd_status s);     /* "pass", ... (untranslated) */
const char *nd_verdict_name(enum nd_verdict v);   /* "ready", ... (untranslated) */
const char *nd_layer_name(enum nd_layer l);       /* "pcsc", ... (untranslated) */
const char *nd_layer_title(enum nd_layer l);      /* translated section title */

#endif
