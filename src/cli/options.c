/* SPDX-License-Identifier: BSD-2-Clause */
/* The command line in one place: the commands, and one table of options
 * with, for each, its value, its help line and the commands that take it.
 * getopt_long's options, `--help` (for the tool and for one command) and
 * the check that a command takes an option all come from these tables, so
 * adding an option is one row in opt_defs[] (and its field in struct
 * nd_opts). tests/unit/options_doc.sh keeps the man page's OPTIONS equal
 * to the table. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "config.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "render/render.h"
#include "report/report.h"

static const struct nd_command commands[] = {
	{ "check", ND_CMD_CHECK, nd_cmd_check, NULL, N_("full diagnosis (the default): can this device sign in DYS?") },
	{ "readers", ND_CMD_READERS, nd_cmd_readers, NULL, N_("card readers and the cards in them") },
	{ "watch", ND_CMD_WATCH, nd_cmd_watch, NULL, N_("follow reader and card events live") },
	{ "tokens", ND_CMD_TOKENS, nd_cmd_tokens, NULL, N_("PKCS#11 modules, slots, tokens and objects") },
	{ "sign-test", ND_CMD_SIGN_TEST, nd_cmd_sign_test, NULL, N_("make one real signature with the token (asks for the PIN)") },
	{ "verify", ND_CMD_VERIFY, nd_cmd_verify, N_("FILE..."), N_("check certificate files (PEM or DER)") },
	{ "setup", ND_CMD_SETUP, nd_cmd_setup, N_("[PART...]"), N_("show (or --apply) the fixes for what the checks found") },
	{ "bundle", ND_CMD_BUNDLE, nd_cmd_bundle, NULL, N_("the full check and the system's versions and logs in one .tar.gz to send to IT (identity numbers and names masked)") },
	{ "show", ND_CMD_SHOW, nd_cmd_show, N_("FILE"), N_("print a saved report (report.json, or a bundle) as the text report") },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* What parsing knows while it runs. */
struct parse {
	struct nd_opts *o;
	const struct nd_command *cmd;   /* NULL: "help", or an unknown command */
	bool named;                     /* cmd was named, not the default */
};

struct opt_def;
/* Store an option's value: 0, ND_EXIT_USAGE (said on stderr), or
 * ND_OPT_DONE when the run ends here with exit 0 (--help, --version). */
typedef int (*opt_set_fn)(struct parse *p, const struct opt_def *d, const char *v);
#define ND_OPT_DONE 1

struct opt_def {
	const char *name;       /* long name, without "--" */
	char short_name;        /* or 0 */
	const char *arg;        /* the value's name in --help; NULL: takes none */
	unsigned commands;      /* ND_CMD_* bits of the commands that take it */
	const char *help;       /* N_(): one line in --help */
	opt_set_fn set;
	size_t field;           /* offsetof(struct nd_opts, ...) for the plain setters */
	long lo, hi;            /* a number's range (set_int, set_long) */
	const char *bad;        /* N_(): the usage error for a refused value */
};

static int set_true(struct parse *p, const struct opt_def *d, const char *v);
static int set_more(struct parse *p, const struct opt_def *d, const char *v);
static int set_str(struct parse *p, const struct opt_def *d, const char *v);
static int set_int(struct parse *p, const struct opt_def *d, const char *v);
static int set_long(struct parse *p, const struct opt_def *d, const char *v);
static int set_color(struct parse *p, const struct opt_def *d, const char *v);
static int set_timeout(struct parse *p, const struct opt_def *d, const char *v);
static int set_module(struct parse *p, const struct opt_def *d, const char *v);
static int set_anchor(struct parse *p, const struct opt_def *d, const char *v);
static int set_root(struct parse *p, const struct opt_def *d, const char *v);
static int set_nothing(struct parse *p, const struct opt_def *d, const char *v);
static int set_format(struct parse *p, const struct opt_def *d, const char *v);
static int set_textfile_dir(struct parse *p, const struct opt_def *d, const char *v);
static int set_help(struct parse *p, const struct opt_def *d, const char *v);
static int set_version(struct parse *p, const struct opt_def *d, const char *v);

#define F(f) offsetof(struct nd_opts, f)
#define REPORTS (ND_CMD_CHECK | ND_CMD_READERS | ND_CMD_TOKENS | ND_CMD_SIGN_TEST | ND_CMD_BUNDLE)
#define CERTS (ND_CMD_CHECK | ND_CMD_VERIFY | ND_CMD_BUNDLE)

/* In the order --help shows them: those every command takes first. */
static const struct opt_def opt_defs[] = {
	{ "json", 'j', NULL, ND_CMD_ALL, N_("one JSON document (schema nesdoctor.report/1)"), set_format, 0, ND_FORMAT_JSON, 0,
	  NULL },
	{ "format", 0, N_("FORMAT"), ND_CMD_ALL,
	  N_("text (the default), json, prometheus or summary (the last two: check only)"), set_format, 0, -1, 0,
	  N_("--format takes text, json, prometheus or summary") },
	{ "lang", 0, "tr|en", ND_CMD_ALL, N_("language of the report (default: from the locale)"), set_nothing, 0, 0, 0, NULL },
	{ "timeout", 0, N_("SECONDS"), ND_CMD_ALL, N_("bound for every outside interaction (default 10)"), set_timeout, F(timeout_s), 1, 3600,
	  N_("--timeout takes a number of seconds from 1 to 3600") },
	{ "no-color", 0, NULL, ND_CMD_ALL, N_("no colour (also NO_COLOR=1)"), set_color, F(color), ND_COLOR_NEVER, 0, NULL },
	{ "color", 0, NULL, ND_CMD_ALL, N_("colour even when the output is not a terminal"), set_color, F(color), ND_COLOR_ALWAYS, 0, NULL },
	/* a bundle is made to be sent: it never holds an identity number */
	{ "show-id", 0, NULL, ND_CMD_ALL & ~(unsigned)ND_CMD_BUNDLE, N_("show the identity number unmasked"), set_true, F(show_id), 0, 0, NULL },
	{ "verbose", 'v', NULL, ND_CMD_ALL, N_("more detail on standard error"), set_more, F(verbose), 0, 0, NULL },
	{ "help", 'h', NULL, ND_CMD_ALL, N_("this help; after a command, that command's options"), set_help, 0, 0, 0, NULL },
	{ "version", 0, NULL, ND_CMD_ALL, N_("the version"), set_version, 0, 0, 0, NULL },
	{ "reader", 0, N_("NAME"), REPORTS | ND_CMD_WATCH, N_("only this reader"), set_str, F(reader), 0, 0, NULL },
	{ "count", 0, "N", ND_CMD_WATCH, N_("stop after N events"), set_long, F(count), 1, 1000000,
	  N_("--count takes a number from 1 to 1000000") },
	{ "module", 0, N_("PATH"), ND_CMD_CHECK | ND_CMD_TOKENS | ND_CMD_SIGN_TEST | ND_CMD_SETUP | ND_CMD_BUNDLE,
	  N_("PKCS#11 module to use (repeatable; only these)"), set_module, 0, 0, 0, NULL },
	{ "pin-fd", 0, "N", ND_CMD_SIGN_TEST, N_("read the PIN from file descriptor N"), set_int, F(pin_fd), 0, 65535,
	  N_("--pin-fd takes a file descriptor number") },
	{ "force", 0, NULL, ND_CMD_SIGN_TEST, N_("log in even on the final PIN try"), set_true, F(force), 0, 0, NULL },
	{ "textfile-dir", 0, N_("DIR"), ND_CMD_CHECK, N_("write Prometheus metrics to DIR/nesdoctor.prom (node_exporter)"),
	  set_textfile_dir, 0, 0, 0, NULL },
	{ "anchor", 0, N_("FILE"), CERTS, N_("extra trust anchor (repeatable)"), set_anchor, 0, 0, 0, NULL },
	{ "offline", 0, NULL, CERTS, N_("no network: revocation is not checked"), set_true, F(offline), 0, 0, NULL },
	{ "expiry-warn", 0, N_("DAYS"), CERTS, N_("warn when the certificate expires sooner (default 30)"), set_int,
	  F(expiry_warn_days), 0, 3650, N_("--expiry-warn takes a number of days from 0 to 3650") },
	{ "cache-dir", 0, N_("DIR"), CERTS, N_("where downloaded CA certificates and CRLs are kept"), set_str, F(cache_dir), 0, 0, NULL },
	{ "apply", 0, NULL, ND_CMD_SETUP, N_("do it (without it, only show the plan)"), set_true, F(apply), 0, 0, NULL },
	{ "root", 0, N_("DIR"), ND_CMD_SETUP, N_("apply under DIR"), set_root, 0, 0, 0, NULL },
	{ "polkit-group", 0, N_("NAME"), ND_CMD_SETUP, N_("the group allowed to use PC/SC remotely (setup polkit)"), set_str,
	  F(polkit_group), 0, 0, NULL },
	{ "output", 'o', N_("FILE"), ND_CMD_BUNDLE, N_("where to write the bundle (default: nesdoctor-HOST-TIME.tar.gz here)"), set_str,
	  F(output), 0, 0, NULL },
};
#define N_OPTS (sizeof opt_defs / sizeof opt_defs[0])
/* getopt_long's value for opt_defs[i] given by its long name */
#define LONG_VAL(i) (256 + (int)(i))

int
nd_usage_error(const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	/* the message may hold an option value or a file name: escaped and
	 * masked as everything outside data brings */
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	nd_safe_line(stderr, false, "nesdoctor: %s", msg ? msg : fmt);
	free(msg);
	fprintf(stderr, "%s\n", _("Try 'nesdoctor --help'."));
	return ND_EXIT_USAGE;
}

/* ---- setters -------------------------------------------------------- */

static void *
field(struct parse *p, const struct opt_def *d)
{
	return (char *)p->o + d->field;
}

/* Parse a decimal number in [lo, hi]; false on anything else. */
static bool
parse_num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Does s hold a control character (C0 or DEL)? */
static bool
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int
set_true(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)v;
	*(bool *)field(p, d) = true;
	return 0;
}

static int
set_more(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)v;
	(*(int *)field(p, d))++;
	return 0;
}

static int
set_str(struct parse *p, const struct opt_def *d, const char *v)
{
	*(const char **)field(p, d) = v;
	return 0;
}

static int
set_long(struct parse *p, const struct opt_def *d, const char *v)
{
	if (!parse_num(v, d->lo, d->hi, (long *)field(p, d)))
		return nd_usage_error("%s", _(d->bad));
	return 0;
}

static int
set_int(struct parse *p, const struct opt_def *d, const char *v)
{
	long n;

	if (!parse_num(v, d->lo, d->hi, &n))
		return nd_usage_error("%s", _(d->bad));
	*(int *)field(p, d) = (int)n;
	return 0;
}

static int
set_color(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)v;
	p->o->color = (enum nd_color)d->lo;
	return 0;
}

static int
set_timeout(struct parse *p, const struct opt_def *d, const char *v)
{
	int rv = set_int(p, d, v);

	if (rv == 0)
		p->o->timeout_set = true;
	return rv;
}

static int
set_module(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)d;
	/* a newline would start a new option line in a p11-kit module file
	 * that setup writes */
	if (has_control(v))
		return nd_usage_error("%s", _("--module takes a path without control characters (newline, tab, escape)"));
	if (p->o->n_modules == ND_MAX_MODULES)
		return nd_usage_error(_("too many --module options (at most %d)"), ND_MAX_MODULES);
	p->o->modules[p->o->n_modules++] = v;
	return 0;
}

static int
set_anchor(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)d;
	if (p->o->n_anchors == ND_MAX_ANCHORS)
		return nd_usage_error(_("too many --anchor options (at most %d)"), ND_MAX_ANCHORS);
	p->o->anchors[p->o->n_anchors++] = v;
	return 0;
}

static int
set_root(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)d;
	/* --root "$DESTDIR" with DESTDIR unset must not mean the live system */
	if (!*v)
		return nd_usage_error("%s", _("--root takes a folder; it is empty (to change this system, leave --root out)"));
	p->o->root = v;
	return 0;
}

static const char *const format_names[] = { "text", "json", "prometheus", "summary" };

/* --json is --format json (d->lo); --format names one (d->lo -1). Two
 * different formats on one command line are refused, not silently the
 * last. */
static int
set_format(struct parse *p, const struct opt_def *d, const char *v)
{
	long f = d->lo;

	for (size_t i = 0; f < 0 && i < sizeof format_names / sizeof format_names[0]; i++)
		if (strcmp(v, format_names[i]) == 0)
			f = (long)i;
	if (f < 0)
		return nd_usage_error("%s", _(d->bad));
	if (p->o->format_set && p->o->format != (enum nd_format)f)
		return nd_usage_error("%s", _("only one output format can be given (--json is --format json)"));
	p->o->format = (enum nd_format)f;
	p->o->format_set = true;
	p->o->json = p->o->format == ND_FORMAT_JSON;
	return 0;
}

/* Refused before anything is collected: the timer's run should fail at
 * once, not after a full diagnosis. */
static int
set_textfile_dir(struct parse *p, const struct opt_def *d, const char *v)
{
	struct stat st;

	(void)d;
	if (!*v || stat(v, &st) != 0 || !S_ISDIR(st.st_mode))
		return nd_usage_error(_("--textfile-dir takes an existing folder; '%s' is not one"), v);
	p->o->textfile_dir = v;
	return 0;
}

/* --lang: read before anything else, by nd_cli_prescan_lang */
static int
set_nothing(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)p, (void)d, (void)v;
	return 0;
}

static int
set_help(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)d, (void)v;
	nd_cli_usage(stdout, p->named ? p->cmd : NULL);
	return ND_OPT_DONE;
}

static int
set_version(struct parse *p, const struct opt_def *d, const char *v)
{
	(void)p, (void)d, (void)v;
	printf("nesdoctor %s\n", ND_VERSION);
	return ND_OPT_DONE;
}

/* ---- help ----------------------------------------------------------- */

/* "  -v, --verbose       more detail ...": the left column padded by
 * characters, not bytes (the Turkish value names have 'İ', 'Ü') */
static void
print_option(FILE *out, const struct opt_def *d)
{
	char left[64];
	size_t w;
	int n = d->short_name ? snprintf(left, sizeof left, "-%c, --%s", d->short_name, d->name) :
	    snprintf(left, sizeof left, "--%s", d->name);

	if (d->arg && n > 0 && (size_t)n < sizeof left)
		snprintf(left + n, sizeof left - (size_t)n, " %s", _(d->arg));
	w = nd_text_width(left);
	fprintf(out, "  %s%*s%s\n", left, w < 20 ? (int)(20 - w) : 1, "", _(d->help));
}

/* "check, verify" */
static void
command_names(unsigned mask, char *buf, size_t bufsz)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_COMMANDS; i++)
		if ((mask & commands[i].bit) && n < bufsz) {
			int k = snprintf(buf + n, bufsz - n, "%s%s", n ? ", " : "", commands[i].name);
			n += k > 0 ? (size_t)k : 0;
		}
}

/* The options in groups of the same commands, those of every command
 * first, then each group in the order of its first row. */
static void
print_option_groups(FILE *out)
{
	unsigned done[N_OPTS];
	size_t n_done = 0;
	char names[160];

	fprintf(out, "\n%s\n", _("Options:"));
	for (size_t i = 0; i < N_OPTS; i++)
		if (opt_defs[i].commands == ND_CMD_ALL)
			print_option(out, &opt_defs[i]);
	for (size_t i = 0; i < N_OPTS; i++) {
		unsigned mask = opt_defs[i].commands;
		bool seen = mask == ND_CMD_ALL;

		for (size_t k = 0; k < n_done && !seen; k++)
			seen = done[k] == mask;
		if (seen)
			continue;
		done[n_done++] = mask;
		command_names(mask, names, sizeof names);
		fprintf(out, "\n");
		fprintf(out, _("Options for %s:\n"), names);
		for (size_t k = i; k < N_OPTS; k++)
			if (opt_defs[k].commands == mask)
				print_option(out, &opt_defs[k]);
	}
}

void
nd_cli_usage(FILE *out, const struct nd_command *cmd)
{
	if (cmd) {
		fprintf(out, _("Usage: nesdoctor %s [OPTIONS]%s%s\n"), cmd->name, cmd->args ? " " : "",
		    cmd->args ? _(cmd->args) : "");
		fprintf(out, "\n%s\n", _(cmd->help));
		fprintf(out, "\n%s\n", _("Options:"));
		for (size_t i = 0; i < N_OPTS; i++)
			if (opt_defs[i].commands & cmd->bit)
				print_option(out, &opt_defs[i]);
		return;
	}
	fprintf(out, "%s\n\n", _("Usage: nesdoctor [COMMAND] [OPTIONS] [ARGS]"));
	fprintf(out, "%s\n", _("Diagnoses e-signature (NES) cards, readers and tokens: can you sign in DYS?"));
	fprintf(out, "\n%s\n", _("Commands:"));
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].help));
	print_option_groups(out);
	fprintf(out, "\n%s\n", _("'nesdoctor help COMMAND' lists the options of one command."));
	fprintf(out, "%s\n", _("Exit codes: 0 ready, 1 ready with warnings, 2 not ready, 3 could not determine, 64 usage error."));
	fprintf(out, "%s\n", _("The PIN is never taken from the command line: use the terminal, --pin-fd or NESDOCTOR_PIN."));
}

/* ---- parsing -------------------------------------------------------- */

static const struct opt_def *
find_long(const char *name, size_t n)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (strlen(opt_defs[i].name) == n && strncmp(opt_defs[i].name, name, n) == 0)
			return &opt_defs[i];
	return NULL;
}

static const struct opt_def *
find_short(int c)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opt_defs[i].short_name && opt_defs[i].short_name == c)
			return &opt_defs[i];
	return NULL;
}

/* getopt_long takes any unambiguous prefix of a long option ("--pin" for
 * "--pin-fd"). Scripts should not depend on abbreviations that a future
 * option could make ambiguous, and "--pin 1234" must not become "read the
 * PIN from descriptor 1234": only whole option names are accepted. One
 * walk over argv finds the first abbreviated or unknown long option (*bad)
 * and the first word that is not an option, the command (*word); getopt
 * keeps the words in order when it moves the options before them. */
static void
scan_argv(int argc, char **argv, const char **bad, const char **word)
{
	*bad = *word = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_def *d;

		if (strcmp(a, "--") == 0) {
			if (!*word && i + 1 < argc)
				*word = argv[i + 1];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (!*word)
				*word = a;
			continue;
		}
		if (a[1] != '-') {
			/* "-vo FILE", "-oFILE": the value of a short option that
			 * takes one is the rest of the word, or the next word */
			for (const char *c = a + 1; *c; c++)
				if ((d = find_short(*c)) && d->arg) {
					if (!c[1])
						i++;
					break;
				}
			continue;
		}
		d = find_long(a + 2, strcspn(a + 2, "="));
		if (!d) {
			if (!*bad)
				*bad = a;
			continue;
		}
		if (d->arg && !strchr(a, '='))
			i++;   /* its value, whatever it looks like */
	}
}

/* Usage errors never echo a value: "--pin=1234" is named "--pin", and a
 * word that does not look like a command (a PIN typed in the wrong place)
 * is not repeated. */
static const char *
option_name(const char *arg, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%.*s", (int)strcspn(arg, "="), arg);
	return buf;
}

static bool
command_like(const char *a)
{
	size_t n = strspn(a, "abcdefghijklmnopqrstuvwxyz-");

	return n > 0 && n <= 32 && a[n] == '\0';
}

static const struct nd_command *
find_command(const char *name)
{
	for (size_t i = 0; name && i < N_COMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

const char *
nd_cli_prescan_lang(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--lang=", 7) == 0)
			return argv[i] + 7;
	}
	return NULL;
}

static void
build_getopt(struct option *lo, char *shorts)
{
	size_t k = 0;

	*shorts++ = ':';   /* a missing value is ':', told apart from '?' */
	for (size_t i = 0; i < N_OPTS; i++) {
		lo[i] = (struct option){ opt_defs[i].name, opt_defs[i].arg ? required_argument : no_argument, NULL,
			LONG_VAL(i) };
		if (opt_defs[i].short_name) {
			shorts[k++] = opt_defs[i].short_name;
			if (opt_defs[i].arg)
				shorts[k++] = ':';
		}
	}
	lo[N_OPTS] = (struct option){ NULL, 0, NULL, 0 };
	shorts[k] = '\0';
}

/* What getopt_long said that is not an option of ours, as a usage error. */
static int
getopt_error(int c, char **argv, const char *shorts)
{
	char name[64];

	if (c == ':')
		return nd_usage_error(_("option '%s' needs a value"), option_name(argv[optind - 1], name, sizeof name));
	/* an unknown short option, or a known long one given a value it does
	 * not take (--json=1) */
	if (optopt > 0 && optopt < 128 && !strchr(shorts, optopt)) {
		snprintf(name, sizeof name, "-%c", optopt);
		return nd_usage_error(_("unknown option '%s'"), name);
	}
	return nd_usage_error(_("option '%s' takes no value"), option_name(argv[optind - 1], name, sizeof name));
}

/* Apply one option getopt_long found: refused when the command named does
 * not take it (an unknown command is said after all options are read). */
static int
take_option(struct parse *p, const struct opt_def *d, const char *v)
{
	if (p->cmd && !(d->commands & p->cmd->bit))
		return nd_usage_error(_("'%s' does not take the option '--%s'"), p->cmd->name, d->name);
	return d->set(p, d, v);
}

/* The command word after the options: the command, or help. */
static int
take_command(struct parse *p, int argc, char **argv, const struct nd_command **cmd)
{
	if (optind < argc && strcmp(argv[optind], "help") == 0) {
		nd_cli_usage(stdout, optind + 1 < argc ? find_command(argv[optind + 1]) : NULL);
		return ND_OPT_DONE;
	}
	if (optind < argc) {
		if (!p->cmd)
			return command_like(argv[optind]) ? nd_usage_error(_("unknown command '%s'"), argv[optind]) :
			    nd_usage_error("%s", _("unknown command (the commands are listed by nesdoctor --help)"));
		optind++;
	}
	if (!p->cmd->args && optind < argc)
		return nd_usage_error(_("'%s' takes no arguments"), p->cmd->name);
	*cmd = p->cmd;
	return 0;
}

int
nd_cli_parse(int argc, char **argv, struct nd_opts *o, const struct nd_command **cmd)
{
	struct option lo[N_OPTS + 1];
	char shorts[2 * N_OPTS + 2], name[64];
	struct parse p = { o, NULL, false };
	const char *bad, *word;
	int c, rv = 0;

	scan_argv(argc, argv, &bad, &word);
	if (bad)
		return nd_usage_error(_("unknown option '%s'"), option_name(bad, name, sizeof name));
	p.cmd = word ? find_command(word) : &commands[0];
	p.named = word != NULL;
	build_getopt(lo, shorts);
	opterr = 0;
	/* GNU getopt permutes: options may stand before or after the command
	 * and its arguments. */
	while (rv == 0 && (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const struct opt_def *d = c >= LONG_VAL(0) && c < LONG_VAL(N_OPTS) ? &opt_defs[c - LONG_VAL(0)] :
		    c == ':' || c == '?' ? NULL : find_short(c);

		rv = d ? take_option(&p, d, optarg) : getopt_error(c, argv, shorts + 1);
	}
	if (rv == 0)
		rv = take_command(&p, argc, argv, cmd);
	/* checked once the command is known: options may come before it */
	if (rv == 0 && (o->format == ND_FORMAT_PROMETHEUS || o->format == ND_FORMAT_SUMMARY) &&
	    (*cmd)->bit != ND_CMD_CHECK)
		rv = nd_usage_error(_("'%s' does not take '--format %s' (only check does)"), (*cmd)->name,
		    format_names[o->format]);
	if (rv == ND_OPT_DONE)
		rv = 0, *cmd = NULL;
	else if (rv == 0) {
		o->command = (*cmd)->name;
		o->args = argv + optind;
		o->nargs = argc - optind;
	}
	return rv;
}
