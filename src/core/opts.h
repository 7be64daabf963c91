/* SPDX-License-Identifier: BSD-2-Clause */
/* Options shared by every command and read by every layer. Parsed once in
 * src/cli/options.c (one table: which commands take each option); layers
 * only read them. Every option has its value: nd_opts_defaults() sets the
 * defaults and nd_report_init() takes nd_opts_default() when given none,
 * so a layer never needs a fallback of its own. */
#ifndef ND_OPTS_H
#define ND_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nd_color { ND_COLOR_AUTO, ND_COLOR_NEVER, ND_COLOR_ALWAYS };
/* --format: the report for people, the JSON document, Prometheus' text
 * exposition, or the fleet summary (the last two: check only). */
enum nd_format { ND_FORMAT_TEXT, ND_FORMAT_JSON, ND_FORMAT_PROMETHEUS, ND_FORMAT_SUMMARY };

#define ND_MAX_MODULES 16
#define ND_MAX_ANCHORS 16
#define ND_MAX_PARTS 16

/* The defaults, written once. */
#define ND_DEFAULT_TIMEOUT_S 10
#define ND_DEFAULT_EXPIRY_WARN_DAYS 30

struct nd_opts {
	const char *command;     /* "check", "readers", ... */
	bool json;               /* format == ND_FORMAT_JSON, kept for the readers of o->json */
	enum nd_format format;   /* --format (--json: json) */
	bool format_set;         /* --format or --json was given */
	const char *textfile_dir;/* --textfile-dir DIR: DIR/nesdoctor.prom */
	int64_t started_ms;      /* nd_now_ms() when the run started (duration) */
	enum nd_color color;
	const char *lang;        /* "tr"/"en" after nd_i18n_init */
	int timeout_s;           /* --timeout: bound for every outside interaction (1..3600) */
	bool timeout_set;        /* --timeout was given (watch: its total duration) */
	int verbose;             /* -v, repeatable */

	/* pcsc */
	const char *reader;      /* --reader NAME: restrict to this reader */
	long count;              /* watch --count N (0: unlimited) */

	/* p11 */
	const char *modules[ND_MAX_MODULES]; /* --module PATH (repeatable) */
	size_t n_modules;
	bool show_id;            /* --show-id: do not mask the TCKN */
	int pin_fd;              /* --pin-fd N, -1 when not given */
	bool force;              /* --force: allow a login on the final PIN try */

	/* x509 */
	const char *anchors[ND_MAX_ANCHORS]; /* --anchor FILE (repeatable) */
	size_t n_anchors;
	bool offline;            /* --offline: no network */
	int expiry_warn_days;    /* --expiry-warn DAYS */
	const char *cache_dir;   /* --cache-dir DIR (default: XDG cache) */

	/* setup */
	bool apply;              /* --apply */
	const char *root;        /* --root DIR */
	const char *polkit_group;/* --polkit-group NAME */

	/* bundle */
	const char *output;      /* -o/--output FILE */

	/* positional arguments after the command (files, setup parts) */
	char **args;
	int nargs;
};

void nd_opts_defaults(struct nd_opts *o);
/* The defaults, for a caller without options of its own (tests calling a
 * layer directly). */
const struct nd_opts *nd_opts_default(void);

#endif
