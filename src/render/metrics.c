/* SPDX-License-Identifier: BSD-2-Clause */
/* --format prometheus and --textfile-dir: Prometheus' text exposition
 * format (version 0.0.4), for node_exporter's textfile collector. The
 * metric names are an interface, listed in the README's Fleet section.
 * Label values come only from check ids, layers, statuses, verdicts and
 * the version, never from outside strings (no names, no identity
 * numbers); they are escaped all the same. HELP texts are fixed English:
 * metrics are read by machines, not translated. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "render/render.h"

/* a label value: backslash, double quote and newline escaped */
static void
label(FILE *out, const char *v)
{
	for (; v && *v; v++)
		if (*v == '\\' || *v == '"')
			fprintf(out, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
}

static void
head(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void
gauge(FILE *out, const char *name, const char *help, int64_t v)
{
	head(out, name, help);
	fprintf(out, "%s %" PRId64 "\n", name, v);
}

void
nd_render_prometheus(const struct nd_report *rep, FILE *out)
{
	static const enum nd_verdict verdicts[] = { ND_READY, ND_WARNING, ND_NOT_READY, ND_UNKNOWN };
	static const enum nd_status statuses[] = { ND_PASS, ND_WARN, ND_FAIL, ND_SKIP, ND_INFO };
	struct nd_fleet_facts f;

	nd_render_fleet_facts(rep, &f);
	head(out, "nesdoctor_verdict", "The verdict of nesdoctor check: 1 for the current verdict, 0 for the others.");
	for (size_t i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++) {
		fputs("nesdoctor_verdict{verdict=\"", out);
		label(out, nd_verdict_name(verdicts[i]));
		fprintf(out, "\"} %d\n", rep->verdict == verdicts[i]);
	}
	gauge(out, "nesdoctor_exit_code", "The exit code of nesdoctor check (0 ready, 1 warning, 2 not ready, 3 unknown).",
	    (int64_t)nd_verdict_exit(rep->verdict));
	/* one series per (check, status), 1 for the check's status: a status
	 * that changes keeps every series present (no gaps for alerts) */
	head(out, "nesdoctor_check_status", "Each check's status: 1 for its current status, 0 for the others.");
	for (size_t i = 0; i < rep->n_results; i++)
		for (size_t s = 0; s < sizeof statuses / sizeof statuses[0]; s++) {
			const struct nd_result *r = &rep->results[i];

			fputs("nesdoctor_check_status{id=\"", out);
			label(out, r->def->id);
			fputs("\",layer=\"", out);
			label(out, nd_layer_name(r->def->layer));
			fputs("\",status=\"", out);
			label(out, nd_status_name(statuses[s]));
			fprintf(out, "\"} %d\n", r->status == statuses[s]);
		}
	/* no series when there is no primary cause */
	head(out, "nesdoctor_primary_cause_info", "The check that is the primary cause of a not-ready verdict (absent when none).");
	if (rep->primary) {
		fputs("nesdoctor_primary_cause_info{id=\"", out);
		label(out, rep->primary->def->id);
		fputs("\"} 1\n", out);
	}
	if (f.has_not_after)
		gauge(out, "nesdoctor_certificate_not_after_timestamp_seconds",
		    "The signing certificate's notAfter as Unix time (absent when no certificate was found).", f.not_after);
	if (f.pin != ND_PIN_UNKNOWN) {
		gauge(out, "nesdoctor_pin_final_try", "1 when the signing token's PIN is on its final try (absent when unknown).",
		    f.pin == ND_PIN_FINAL_TRY);
		gauge(out, "nesdoctor_pin_locked", "1 when the signing token's PIN is locked (absent when unknown).",
		    f.pin == ND_PIN_LOCKED);
	}
	gauge(out, "nesdoctor_readers", "Card readers pcscd lists.", f.readers);
	gauge(out, "nesdoctor_tokens", "Initialised PKCS#11 tokens the modules show.", f.tokens);
	head(out, "nesdoctor_run_duration_seconds", "How long the nesdoctor run took.");
	fprintf(out, "nesdoctor_run_duration_seconds %" PRId64 ".%03" PRId64 "\n", f.duration_ms / 1000,
	    f.duration_ms % 1000);
	gauge(out, "nesdoctor_last_run_timestamp_seconds", "When nesdoctor check ran, as Unix time.", (int64_t)rep->time);
	head(out, "nesdoctor_build_info", "The nesdoctor version that wrote these metrics (always 1).");
	fputs("nesdoctor_build_info{version=\"", out);
	label(out, ND_VERSION);
	fputs("\"} 1\n", out);
}

/* DIR/nesdoctor.prom, atomically: node_exporter reads *.prom files at any
 * moment, so the metrics go to a hidden temporary name in DIR (O_EXCL, no
 * link followed; not *.prom), are synced, and replace the file by a
 * rename. */
int
nd_render_textfile(const struct nd_report *rep, const char *dir)
{
	char tmp[64];
	int dfd = -1, fd = -1, err = 0, rv = -1;
	bool made = false;
	FILE *f = NULL;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	for (unsigned n = 0; fd < 0 && n < 100; n++) {
		snprintf(tmp, sizeof tmp, ".nesdoctor.prom.%ld.%u", (long)getpid(), n);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		goto fail;
	made = true;
	/* node_exporter runs as its own user: readable whatever the umask */
	if (fchmod(fd, 0644) != 0 || !(f = fdopen(fd, "w")))
		goto fail;
	fd = -1;
	errno = 0;
	nd_render_prometheus(rep, f);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		goto fail;
	rv = fclose(f);
	f = NULL;
	if (rv != 0 || (rv = renameat(dfd, tmp, dfd, "nesdoctor.prom")) != 0)
		goto fail;
	made = false;
	(void)fsync(dfd);   /* the rename itself on disk; not fatal */
	rv = 0;
fail:
	err = errno ? errno : EIO;
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (made)
		(void)unlinkat(dfd, tmp, 0);
	if (dfd >= 0)
		close(dfd);
	if (rv != 0)
		nd_safe_line(stderr, false, _("nesdoctor: could not write %s/nesdoctor.prom: %s"), dir, strerror(err));
	return rv;
}
