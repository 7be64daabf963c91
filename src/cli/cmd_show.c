/* SPDX-License-Identifier: BSD-2-Clause */
/* nesdoctor show FILE: a saved report (the output of `check --json`, or a
 * bundle's report.json, or the bundle itself) printed as the text report
 * the person saw, in the language of that run; the exit code is the
 * report's. How IT reads what was sent. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "render/render.h"
#include "render/saved.h"
#include "report/report.h"
#include "core/run.h"

/* A regular file of at most max bytes, read whole; never waits on a FIFO.
 * NULL with *why (malloc'ed) on failure. */
static char *
read_bounded(const char *path, size_t max, size_t *len, char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	ssize_t k;

	*why = NULL;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*why = nd_xstrdup(strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = nd_xstrdup(_("not a regular file"));
		goto fail;
	}
	if ((size_t)st.st_size > max) {
		*why = nd_asprintf(_("it is larger than a report can be (%u MiB)"), ND_SAVED_MAX >> 20);
		goto fail;
	}
	buf = nd_xcalloc(max + 1, 1);
	while (n <= max && (k = read(fd, buf + n, max + 1 - n)) > 0)
		n += (size_t)k;
	if (k < 0 || n > max) {
		*why = k < 0 ? nd_xstrdup(strerror(errno)) :
		    nd_asprintf(_("it is larger than a report can be (%u MiB)"), ND_SAVED_MAX >> 20);
		goto fail;
	}
	*len = n;
fail:
	if (fd >= 0)
		close(fd);
	if (*why) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* Why tar failed: its first "tar: " or "gzip: " line, or NULL. */
static char *
tar_said(const struct nd_run_result *rr)
{
	for (const char *p = rr->out; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
		if (strncmp(p, "tar: ", 5) == 0 || strncmp(p, "gzip: ", 6) == 0)
			return nd_asprintf("%.*s", (int)strcspn(p, "\n"), p);
	}
	return NULL;
}

/* tar in argv did not run as it should: why (malloc'ed), else NULL. */
static char *
tar_failed(const struct nd_opts *o, nd_err e, const struct nd_run_result *rr)
{
	char *said, *why;

	if (e == ND_ERR_NOT_FOUND)
		return nd_asprintf(_("%s is not installed"), "tar");
	if (e != ND_OK)
		return nd_asprintf(_("%s could not be started"), "tar");
	if (rr->timed_out)
		return nd_asprintf(_("%s did not finish within %d s"), "tar", o->timeout_s);
	if (rr->status == 0 && !rr->signal)
		return NULL;
	said = tar_said(rr);
	why = nd_asprintf(_("the bundle cannot be read (damaged or cut short?): %s"), said ? said : _("unexpected end"));
	free(said);
	return why;
}

/* A bundle's report.json (the entry "report.json" at its top or one folder
 * down), at most ND_SAVED_MAX bytes, read by the system's tar (GNU tar and
 * gzip are essential packages; an archive library would load its many
 * libraries into every nesdoctor process): the names listed first, then
 * the one member written to a pipe, never to disk. NULL with *why on
 * failure: a damaged or cut archive is said as tar says it. */
static char *
bundle_report(const struct nd_opts *o, const char *path, size_t *len, char **why)
{
	char *file = nd_asprintf("--file=%s", path), *member = NULL, *buf = NULL;
	const char *const list[] = { "tar", "--list", "--gzip", "--force-local", "--quoting-style=literal", file, NULL };
	struct nd_run_result rr = { 0 };
	nd_err e;

	*why = NULL;
	/* a listing longer than the cap is no bundle of ours: its start is
	 * still searched, the rest was not read */
	e = nd_run(list, o->timeout_s * 1000, true, ND_RUN_MAX_OUT, &rr);
	if (!rr.truncated && (*why = tar_failed(o, e, &rr)))
		goto fail;
	for (const char *p = rr.out; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
		size_t n = strcspn(p, "\n"), dir = strcspn(p, "/");

		if ((n == 11 || (dir + 12 == n && dir > 0)) && strncmp(p + n - 11, "report.json", 11) == 0) {
			member = nd_asprintf("%.*s", (int)n, p);
			break;
		}
	}
	nd_run_result_reset(&rr);
	if (!member) {
		*why = nd_xstrdup(_("the bundle holds no report.json"));
		goto fail;
	}
	{
		const char *const extract[] = { "tar", "--extract", "--gzip", "--force-local", "--to-stdout",
			"--no-wildcards", file, "--", member, NULL };

		e = nd_run(extract, o->timeout_s * 1000, false, ND_SAVED_MAX, &rr);
	}
	if (e == ND_OK && rr.truncated) {
		*why = nd_asprintf(_("its report.json is larger than a report can be (%u MiB)"), ND_SAVED_MAX >> 20);
		goto fail;
	}
	if ((*why = tar_failed(o, e, &rr)))
		goto fail;
	buf = rr.out;
	*len = rr.out_len;
	rr.out = NULL;
fail:
	nd_run_result_reset(&rr);
	free(member);
	free(file);
	return buf;
}

int
nd_cmd_show(struct nd_opts *o)
{
	char *data = NULL, *report = NULL, *why = NULL;
	size_t size = 0, len = 0;
	json_object *doc = NULL;
	int rv = ND_EXIT_USAGE;

	if (o->nargs != 1)
		return nd_usage_error("%s", _("show takes one file: a saved report.json or a bundle"));
	if (!(data = read_bounded(o->args[0], ND_SAVED_MAX, &size, &why)))
		goto fail;
	/* gzip's magic: a bundle */
	if (size >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b) {
		if (!(report = bundle_report(o, o->args[0], &len, &why)))
			goto fail;
	} else {
		report = data, len = size;
		data = NULL;
	}
	if (!(doc = nd_saved_parse(report, len, &why)))
		goto fail;
	rv = nd_saved_exit(doc);
	if (o->json) {
		json_object *safe = nd_safe_json(doc, ND_SAFE_JSON, o->show_id);

		fputs(json_object_to_json_string_ext(safe, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
		fputc('\n', stdout);
		json_object_put(safe);
	} else {
		/* the text around the messages in the language they were made in */
		nd_i18n_init(nd_saved_lang(doc));
		nd_render_saved_text(doc, o, stdout, nd_render_use_color(o, stdout));
	}
	fflush(stdout);
fail:
	if (why) {
		nd_safe_line(stderr, false, _("nesdoctor: cannot show %s: %s"), o->args[0], why);
		rv = ND_EXIT_USAGE;
	}
	json_object_put(doc);
	free(why);
	free(report);
	free(data);
	return rv;
}
