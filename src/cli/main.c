#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "core/i18n.h"
#include "core/isolate.h"
#include "core/opts.h"
#include "core/safe.h"
#include "report/report.h"

static const struct command {
	const char *name;
	int (*run)(struct nd_opts *o);
	bool takes_args;
	const char *help;
} commands[] = {
	{ "check", nd_cmd_check, false, N_("full diagnosis (the default): can this device sign in DYS?") },
	{ "readers", nd_cmd_readers, false, N_("card readers and the cards in them") },
	{ "watch", nd_cmd_watch, false, N_("follow reader and card events live") },
	{ "tokens", nd_cmd_tokens, false, N_("PKCS#11 modules, slots, tokens and objects") },
	{ "sign-test", nd_cmd_sign_test, false, N_("make one real signature with the token (asks for the PIN)") },
	{ "verify", nd_cmd_verify, true, N_("check certificate files (PEM or DER)") },
	{ "setup", nd_cmd_setup, true, N_("show (or --apply) the fixes for what the checks found") },
};

enum {
	OPT_LANG = 256, OPT_TIMEOUT, OPT_NO_COLOR, OPT_COLOR, OPT_READER, OPT_COUNT,
	OPT_MODULE, OPT_SHOW_ID, OPT_PIN_FD, OPT_FORCE, OPT_ANCHOR, OPT_OFFLINE,
	OPT_EXPIRY_WARN, OPT_CACHE_DIR, OPT_APPLY, OPT_ROOT, OPT_POLKIT_GROUP, OPT_VERSION,
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "color", no_argument, NULL, OPT_COLOR },
	{ "verbose", no_argument, NULL, 'v' },
	{ "reader", required_argument, NULL, OPT_READER },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "show-id", no_argument, NULL, OPT_SHOW_ID },
	{ "pin-fd", required_argument, NULL, OPT_PIN_FD },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "anchor", required_argument, NULL, OPT_ANCHOR },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "expiry-warn", required_argument, NULL, OPT_EXPIRY_WARN },
	{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "polkit-group", required_argument, NULL, OPT_POLKIT_GROUP },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

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

static void
usage(FILE *out)
{
	fprintf(out, "%s\n\n", _("Usage: nesdoctor [COMMAND] [OPTIONS] [ARGS]"));
	fprintf(out, "%s\n", _("Diagnoses e-signature (NES) cards, readers and tokens: can you sign in DYS?"));
	fprintf(out, "\n%s\n", _("Commands:"));
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].help));
	fprintf(out, "\n%s\n", _("Options:"));
	fputs(_("  --json              one JSON document (schema nesdoctor.report/1)\n"
	        "  --lang tr|en        language of the report (default: from the locale)\n"
	        "  --timeout SECONDS   bound for every outside interaction (default 10)\n"
	        "  --no-color          no colour (also NO_COLOR=1); --color forces it\n"
	        "  --reader NAME       only this reader\n"
	        "  --count N           watch: stop after N events\n"
	        "  --module PATH       PKCS#11 module to use (repeatable; only these)\n"
	        "  --show-id           show the identity number unmasked\n"
	        "  --pin-fd N          sign-test: read the PIN from file descriptor N\n"
	        "  --force             sign-test: log in even on the final PIN try\n"
	        "  --anchor FILE       extra trust anchor (repeatable)\n"
	        "  --offline           no network: revocation is not checked\n"
	        "  --expiry-warn DAYS  warn when the certificate expires sooner (default 30)\n"
	        "  --cache-dir DIR     where downloaded CA certificates and CRLs are kept\n"
	        "  --apply             setup: do it (without it, only show the plan)\n"
	        "  --root DIR          setup: apply under DIR\n"
	        "  --polkit-group NAME setup polkit: the group allowed to use PC/SC remotely\n"
	        "  -v, --verbose       more detail on standard error\n"), out);
	fprintf(out, "\n%s\n", _("Exit codes: 0 ready, 1 ready with warnings, 2 not ready, 3 could not determine, 64 usage error."));
	fprintf(out, "%s\n", _("The PIN is never taken from the command line: use the terminal, --pin-fd or NESDOCTOR_PIN."));
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

/* getopt_long takes any unambiguous prefix of a long option ("--pin" for
 * "--pin-fd"). Scripts should not depend on abbreviations that a future
 * option could make ambiguous, and "--pin 1234" must not become "read the
 * PIN from descriptor 1234": only whole option names are accepted. Returns
 * the first abbreviated or unknown long option, or NULL. */
static const char *
inexact_long_option(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t n;
		const struct option *hit = NULL;

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0)
			continue;
		n = strcspn(a + 2, "=");
		for (const struct option *o = long_opts; o->name; o++)
			if (strlen(o->name) == n && strncmp(o->name, a + 2, n) == 0)
				hit = o;
		if (!hit)
			return a;
		if (hit->has_arg == required_argument && !strchr(a, '='))
			i++;   /* its value, whatever it looks like */
	}
	return NULL;
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

/* --lang must be known before any message is printed. */
static const char *
prescan_lang(int argc, char **argv)
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

int
main(int argc, char **argv)
{
	struct nd_opts o;
	const char *lang_arg = prescan_lang(argc, argv);
	const struct command *cmd = NULL;
	const char *bad;
	char name[64];
	int c;
	long v;

	signal(SIGPIPE, SIG_IGN);
	/* Ctrl-C, SIGTERM or a closed terminal must not leave a module's
	 * forked helper behind; `watch` handles Ctrl-C its own way later */
	nd_child_guard_signals();
	nd_opts_defaults(&o);
	o.lang = nd_i18n_init(lang_arg);
	if (!o.lang) {
		o.lang = nd_i18n_init(NULL);
		return nd_usage_error("%s", _("unknown language given with --lang (use tr or en)"));
	}

	if ((bad = inexact_long_option(argc, argv)))
		return nd_usage_error(_("unknown option '%s'"), option_name(bad, name, sizeof name));
	opterr = 0;
	/* GNU getopt permutes: options may stand before or after the command
	 * and its arguments. */
	while ((c = getopt_long(argc, argv, ":jvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = true; break;
		case 'v': o.verbose++; break;
		case 'h': usage(stdout); return 0;
		case OPT_VERSION: printf("nesdoctor %s\n", ND_VERSION); return 0;
		case OPT_LANG: break;   /* handled by prescan_lang */
		case OPT_TIMEOUT:
			if (!parse_num(optarg, 1, 3600, &v))
				return nd_usage_error(_("--timeout takes a number of seconds from 1 to 3600"));
			o.timeout_s = (int)v;
			o.timeout_set = true;
			break;
		case OPT_NO_COLOR: o.color = ND_COLOR_NEVER; break;
		case OPT_COLOR: o.color = ND_COLOR_ALWAYS; break;
		case OPT_READER: o.reader = optarg; break;
		case OPT_COUNT:
			if (!parse_num(optarg, 1, 1000000, &v))
				return nd_usage_error(_("--count takes a number from 1 to 1000000"));
			o.count = v;
			break;
		case OPT_MODULE:
			/* a newline would start a new option line in a p11-kit
			 * module file that setup writes */
			if (has_control(optarg))
				return nd_usage_error("%s", _("--module takes a path without control characters (newline, tab, escape)"));
			if (o.n_modules == ND_MAX_MODULES)
				return nd_usage_error(_("too many --module options (at most %d)"), ND_MAX_MODULES);
			o.modules[o.n_modules++] = optarg;
			break;
		case OPT_SHOW_ID: o.show_id = true; break;
		case OPT_PIN_FD:
			if (!parse_num(optarg, 0, 65535, &v))
				return nd_usage_error(_("--pin-fd takes a file descriptor number"));
			o.pin_fd = (int)v;
			break;
		case OPT_FORCE: o.force = true; break;
		case OPT_ANCHOR:
			if (o.n_anchors == ND_MAX_ANCHORS)
				return nd_usage_error(_("too many --anchor options (at most %d)"), ND_MAX_ANCHORS);
			o.anchors[o.n_anchors++] = optarg;
			break;
		case OPT_OFFLINE: o.offline = true; break;
		case OPT_EXPIRY_WARN:
			if (!parse_num(optarg, 0, 3650, &v))
				return nd_usage_error(_("--expiry-warn takes a number of days from 0 to 3650"));
			o.expiry_warn_days = (int)v;
			break;
		case OPT_CACHE_DIR: o.cache_dir = optarg; break;
		case OPT_APPLY: o.apply = true; break;
		case OPT_ROOT:
			/* --root "$DESTDIR" with DESTDIR unset must not mean the
			 * live system */
			if (!*optarg)
				return nd_usage_error("%s", _("--root takes a folder; it is empty (to change this system, leave --root out)"));
			o.root = optarg;
			break;
		case OPT_POLKIT_GROUP: o.polkit_group = optarg; break;
		case ':':
			return nd_usage_error(_("option '%s' needs a value"), option_name(argv[optind - 1], name, sizeof name));
		default:
			/* an unknown short option, or a known long one given a
			 * value it does not take (--json=1) */
			if (optopt > 0 && optopt < 128 && !strchr("jvh", optopt)) {
				snprintf(name, sizeof name, "-%c", optopt);
				return nd_usage_error(_("unknown option '%s'"), name);
			}
			return nd_usage_error(_("option '%s' takes no value"), option_name(argv[optind - 1], name, sizeof name));
		}
	}
	if (optind < argc && strcmp(argv[optind], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (optind < argc) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[optind], commands[i].name) == 0)
				cmd = &commands[i];
		if (!cmd)
			return command_like(argv[optind]) ? nd_usage_error(_("unknown command '%s'"), argv[optind]) :
			    nd_usage_error("%s", _("unknown command (the commands are listed by nesdoctor --help)"));
		optind++;
	} else
		cmd = &commands[0];
	if (!cmd->takes_args && optind < argc)
		return nd_usage_error(_("'%s' takes no arguments"), cmd->name);
	o.command = cmd->name;
	o.args = argv + optind;
	o.nargs = argc - optind;
	return cmd->run(&o);
}
