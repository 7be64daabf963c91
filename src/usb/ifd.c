/* SPDX-License-Identifier: BSD-2-Clause */
/* The installed IFD driver bundles and which of them serves a device. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "usb/plist.h"

#define ND_IFD_MAX_BUNDLES 64

const char *
nd_ifd_dir(void)
{
	const char *d = getenv("NESDOCTOR_PCSC_DRIVERS");

	return d && *d ? d : "/usr/lib/pcsc/drivers";
}

/* Read a whole small regular file; NULL with errno on failure. Symlinks are
 * followed: Debian links libccid's Info.plist to /etc/libccid_Info.plist. */
static char *
slurp(const char *path, size_t max, size_t *len)
{
	struct stat st;
	char *buf = NULL, *ret = NULL;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		goto fail;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	buf = nd_xcalloc((size_t)st.st_size + 1, 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;   /* the file shrank: use what is there */
		got += (size_t)r;
	}
	*len = got;
	ret = buf;
	buf = NULL;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

nd_err
nd_ifd_load(const char *dir, struct nd_ifd_set *set)
{
	DIR *d = NULL;
	struct dirent *e;
	char *names[ND_IFD_MAX_BUNDLES];
	size_t n = 0;
	nd_err err = ND_ERR_IO;

	memset(set, 0, sizeof *set);
	set->dir = nd_xstrdup(dir);
	if (!(d = opendir(dir))) {
		err = errno == ENOENT ? ND_ERR_NOT_FOUND :
		    errno == EACCES ? ND_ERR_ACCESS : ND_ERR_IO;
		goto fail;
	}
	/* pcscd takes every entry whose name contains ".bundle" */
	while ((e = readdir(d)) != NULL && n < ND_IFD_MAX_BUNDLES)
		if (strstr(e->d_name, ".bundle"))
			names[n++] = nd_xstrdup(e->d_name);
	qsort(names, n, sizeof names[0], by_name);
	set->b = nd_xcalloc(n, sizeof *set->b);
	for (size_t i = 0; i < n; i++) {
		struct nd_ifd_bundle *b = &set->b[set->n++];
		char *path = nd_asprintf("%s/%s/Contents/Info.plist", dir, names[i]);
		size_t len = 0;
		char *text = slurp(path, ND_PLIST_MAX_SIZE, &len);

		b->dir = names[i];
		names[i] = NULL;
		if (!text) {
			b->err = errno == ENOENT ? ND_ERR_NOT_FOUND : ND_ERR_IO;
			b->error = nd_asprintf("cannot read %s: %s", path, strerror(errno));
		} else
			(void)nd_plist_parse(text, len, b);
		free(text);
		free(path);
	}
	err = ND_OK;
fail:
	set->err = err;
	if (d)
		closedir(d);
	return err;
}

void
nd_ifd_set_reset(struct nd_ifd_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		nd_ifd_bundle_clear(&set->b[i]);
	free(set->b);
	free(set->dir);
	memset(set, 0, sizeof *set);
}

const char *
nd_ifd_package(const char *bundle_dir)
{
	/* Debian's packages and the folders they install (dpkg -L) */
	static const struct { const char *dir, *pkg; } map[] = {
		{ "ifd-ccid.bundle", "libccid" },
		{ "ifd-acsccid.bundle", "libacsccid1" },
	};

	for (size_t i = 0; bundle_dir && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(bundle_dir, map[i].dir) == 0)
			return map[i].pkg;
	return NULL;
}

size_t
nd_ifd_claims(const struct nd_ifd_set *set, uint16_t vid, uint16_t pid,
              struct nd_ifd_claim *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < set->n && k < max; i++) {
		const struct nd_ifd_bundle *b = &set->b[i];
		for (size_t j = 0; j < b->n_ids; j++)
			if (b->ids[j].vid == vid && b->ids[j].pid == pid) {
				out[k].b = b;
				out[k].friendly = b->ids[j].name;
				k++;
				break;
			}
	}
	return k;
}

const struct nd_ifd_claim *
nd_ifd_pick(const struct nd_ifd_claim *c, size_t n, bool *ambiguous)
{
	const struct nd_ifd_claim *specific = NULL, *cls = NULL;
	size_t n_specific = 0;

	for (size_t i = 0; i < n; i++) {
		if (nd_ifd_is_class_driver(c[i].b))
			cls = &c[i];
		else {
			specific = &c[i];   /* pcscd keeps the last one it read */
			n_specific++;
		}
	}
	if (ambiguous)
		*ambiguous = n_specific > 1;
	return specific ? specific : cls;
}

const struct nd_ifd_bundle *
nd_ifd_class_driver(const struct nd_ifd_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (nd_ifd_is_class_driver(&set->b[i]))
			return &set->b[i];
	return NULL;
}
