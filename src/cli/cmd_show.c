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

#include <archive.h>
#include <archive_entry.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "render/render.h"
#include "render/saved.h"
#include "report/report.h"

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

/* A bundle's report.json (the entry "report.json" at its top or one folder
 * down), at most ND_SAVED_MAX bytes. NULL with *why on failure: a damaged
 * or cut archive is said as libarchive says it. */
static char *
bundle_report(const char *data, size_t size, size_t *len, char **why)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *buf = NULL;
	int r = ARCHIVE_FATAL;

	*why = NULL;
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, data, size) != ARCHIVE_OK)
		goto fail;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e), *slash = name ? strchr(name, '/') : NULL;
		la_ssize_t k;
		size_t n = 0;

		if (!name || strcmp(slash && !strchr(slash + 1, '/') ? slash + 1 : name, "report.json") != 0 ||
		    archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (archive_entry_size(e) > (la_int64_t)ND_SAVED_MAX) {
			*why = nd_asprintf(_("its report.json is larger than a report can be (%u MiB)"), ND_SAVED_MAX >> 20);
			goto fail;
		}
		buf = nd_xcalloc((size_t)archive_entry_size(e) + 1, 1);
		while (n < (size_t)archive_entry_size(e) &&
		    (k = archive_read_data(a, buf + n, (size_t)archive_entry_size(e) - n)) > 0)
			n += (size_t)k;
		if (n != (size_t)archive_entry_size(e)) {
			r = ARCHIVE_FATAL;
			goto fail;
		}
		*len = n;
		goto fail;   /* found: done */
	}
	if (r == ARCHIVE_EOF)
		*why = nd_xstrdup(_("the bundle holds no report.json"));
fail:
	if (!buf && !*why)
		*why = nd_asprintf(_("the bundle cannot be read (damaged or cut short?): %s"),
		    archive_error_string(a) ? archive_error_string(a) : _("unexpected end"));
	if (*why && buf) {
		free(buf);
		buf = NULL;
	}
	archive_read_free(a);
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
		if (!(report = bundle_report(data, size, &len, &why)))
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
