/* SPDX-License-Identifier: BSD-2-Clause */
/* The local cache: CA certificates that built a verified chain (so that
 * the next run, or an offline one, can build it again) and CRLs (kept
 * until their next update). What is read back is checked like any
 * download: a CA certificate only helps if it verifies in the chain, a CRL
 * only counts if its signature and times are good.
 *
 * The folder may be named by someone else (XDG_CACHE_HOME or HOME kept by
 * `sudo -E`, a --cache-dir in /tmp): it is used only when it is a real
 * folder of ours that nobody else can write, and everything in it is
 * reached relative to its descriptor, never through a symbolic link.
 * Files are written whole to a fresh temporary name (O_EXCL) and renamed,
 * so a reader never sees half a file. The cache is bounded in count and
 * bytes; expired certificates and old CRLs are dropped. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/i18n.h"
#include "core/util.h"
#include "x509/x509_int.h"

/* A chain needs two or three CA certificates; a few hundred covers every
 * Kamu SM generation and more. CRLs: one per distribution point. */
#define CACHE_MAX_CERTS 256
#define CACHE_MAX_CERT_BYTES (8u * 1024 * 1024)
#define CACHE_MAX_CRLS 32
#define CACHE_MAX_CRL_BYTES (256u * 1024 * 1024)
/* A CRL is reissued within days; one not rewritten for this long is of a
 * distribution point no longer used. */
#define CACHE_CRL_MAX_AGE (30 * 86400)
/* A temporary left by a run that died. */
#define CACHE_TMP_MAX_AGE 3600
/* Entries looked at in one folder: a huge folder is not ours to read whole. */
#define CACHE_SCAN 4096

char *
nd_cache_dir(const char *opt)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (opt && *opt)
		return nd_xstrdup(opt);
	if (xdg && *xdg == '/')
		return nd_asprintf("%s/nesdoctor", xdg);
	if (home && *home == '/')
		return nd_asprintf("%s/.cache/nesdoctor", home);
	return NULL;
}

/* Is the open folder fd ours alone? Else why not. */
static bool
dir_private(int fd, char *why, size_t whysz)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(why, whysz, "%s", strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whysz, "%s", _("not a folder"));
		return false;
	}
	if (st.st_uid != geteuid()) {
		snprintf(why, whysz, _("owned by another user (uid %u)"), (unsigned)st.st_uid);
		return false;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, whysz, _("writable by group or others (mode %03o)"), (unsigned)(st.st_mode & 0777));
		return false;
	}
	return true;
}

static void
open_error(const char *what, char *why, size_t whysz)
{
	if (errno == ELOOP || errno == ENOTDIR)
		snprintf(why, whysz, _("%s is a symbolic link or not a folder"), what);
	else
		snprintf(why, whysz, "%s: %s", what, strerror(errno));
}

/* The cache folder itself, checked; created (0700, with its parents) when
 * create. -1 with why empty when it does not exist and !create. */
static int
open_top(const char *dir, bool create, char *why, size_t whysz)
{
	char path[PATH_MAX];
	size_t n = strlen(dir);
	int fd = -1;

	why[0] = '\0';
	if (n == 0 || n >= sizeof path) {
		snprintf(why, whysz, "%s", strerror(ENAMETOOLONG));
		goto fail;
	}
	if (create) {
		memcpy(path, dir, n + 1);
		for (size_t i = 1; i <= n; i++) {
			if (path[i] != '/' && path[i] != '\0')
				continue;
			path[i] = '\0';
			if (mkdir(path, 0700) != 0 && errno != EEXIST) {
				open_error(path, why, whysz);
				goto fail;
			}
			if (i < n)
				path[i] = '/';
		}
	}
	/* the folder itself is never a symbolic link: one planted in a
	 * shared parent would send the files anywhere */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT || create)
			open_error(dir, why, whysz);
		goto fail;
	}
	if (!dir_private(fd, why, whysz)) {
		close(fd);
		fd = -1;
	}
fail:
	return fd;
}

/* DIR/sub (ca, crl), made with mkdirat and opened without following a
 * link; -1 with why empty when it is not there and !create. */
static int
open_sub(int top, const char *sub, bool create, char *why, size_t whysz)
{
	int fd;

	why[0] = '\0';
	if (create && mkdirat(top, sub, 0700) != 0 && errno != EEXIST) {
		open_error(sub, why, whysz);
		return -1;
	}
	fd = openat(top, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT || create)
			open_error(sub, why, whysz);
		return -1;
	}
	if (!dir_private(fd, why, whysz)) {
		char tmp[256];
		snprintf(tmp, sizeof tmp, "%s: %s", sub, why);
		snprintf(why, whysz, "%s", tmp);
		close(fd);
		return -1;
	}
	return fd;
}

/* The cache's SUB folder (made when create), checked as open_top and
 * open_sub check; the top folder is not kept. */
static int
open_kind(const char *dir, const char *sub, bool create, char *why, size_t whysz)
{
	int top = open_top(dir, create, why, whysz), fd;

	if (top < 0)
		return -1;
	fd = open_sub(top, sub, create, why, whysz);
	close(top);
	return fd;
}

bool
nd_cache_usable(const char *dir, char *why, size_t whysz)
{
	static const char *const subs[] = { "ca", "crl" };
	int top = open_top(dir, false, why, whysz);
	bool ok = false;

	if (top < 0) {
		ok = why[0] == '\0';   /* not there yet: made private when needed */
		goto fail;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		int fd = open_sub(top, subs[i], false, why, whysz);
		if (fd >= 0)
			close(fd);
		else if (why[0])
			goto fail;
	}
	ok = true;
fail:
	if (top >= 0)
		close(top);
	return ok;
}

struct entry {
	char name[NAME_MAX + 1];
	struct timespec mtime;
	off_t size;
};

static int
newest_first(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Drop from the folder fd: dead temporaries, files older than max_age (0:
 * no limit), then the oldest beyond max_count files or max_bytes (a CA
 * certificate is written again each time it builds a chain, so the oldest
 * is the least recently useful). Only regular files are counted or
 * removed. */
static void
prune(int fd, size_t max_count, uint64_t max_bytes, time_t max_age)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);   /* an offset of its own */
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;
	struct entry *v = NULL;
	size_t n = 0, cap = 0, scanned = 0;
	uint64_t bytes = 0;
	time_t now = time(NULL);

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		goto fail;
	}
	while ((e = readdir(d)) != NULL && scanned++ < CACHE_SCAN) {
		struct stat st;
		size_t nl = strlen(e->d_name);
		bool tmp = nl > 4 && strcmp(e->d_name + nl - 4, ".tmp") == 0;

		if (e->d_name[0] == '.' || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (tmp ? now - st.st_mtime > CACHE_TMP_MAX_AGE : max_age && now - st.st_mtime > max_age) {
			unlinkat(fd, e->d_name, 0);
			continue;
		}
		if (tmp)
			continue;
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct entry *nv = reallocarray(v, nc, sizeof *nv);
			if (!nv)
				goto fail;
			v = nv;
			cap = nc;
		}
		snprintf(v[n].name, sizeof v[n].name, "%s", e->d_name);
		v[n].mtime = st.st_mtim;
		v[n].size = st.st_size;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, newest_first);
	for (size_t i = 0; i < n; i++) {
		bytes += (uint64_t)v[i].size;
		if (i >= max_count || bytes > max_bytes)
			unlinkat(fd, v[i].name, 0);
	}
fail:
	free(v);
	if (d)
		closedir(d);
}

static void
prune_kind(int fd, const char *sub)
{
	if (strcmp(sub, "ca") == 0)
		prune(fd, CACHE_MAX_CERTS, CACHE_MAX_CERT_BYTES, 0);
	else
		prune(fd, CACHE_MAX_CRLS, CACHE_MAX_CRL_BYTES, CACHE_CRL_MAX_AGE);
}

static void
write_atomic(const char *dir, const char *sub, const char *name, const uint8_t *p, size_t n)
{
	char tmp[NAME_MAX + 1] = "", why[256];
	int sfd = -1, fd = -1;
	size_t off = 0;

	if ((sfd = open_kind(dir, sub, true, why, sizeof why)) < 0)
		goto fail;
	/* a fresh name each try, and O_EXCL: whatever is already there (a
	 * planted link, a FIFO) is never opened */
	for (int i = 0; i < 8 && fd < 0; i++) {
		unsigned char r[8];
		char *h;

		if (RAND_bytes(r, sizeof r) != 1)
			goto fail;
		h = nd_hex(r, sizeof r);
		if ((size_t)snprintf(tmp, sizeof tmp, "%.64s.%s.tmp", name, h) >= sizeof tmp) {
			free(h);
			tmp[0] = '\0';
			goto fail;
		}
		free(h);
		fd = openat(sfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			tmp[0] = '\0';
			goto fail;
		}
	}
	if (fd < 0) {
		tmp[0] = '\0';
		goto fail;
	}
	while (off < n) {
		ssize_t k = write(fd, p + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			goto fail;
		off += (size_t)k;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(sfd, tmp, sfd, name) != 0)
		goto fail;
	tmp[0] = '\0';
	prune_kind(sfd, sub);
fail:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlinkat(sfd, tmp, 0);
	if (sfd >= 0)
		close(sfd);
}

/* A file name for a URL: its SHA-256, so any URL maps to a safe name. */
static char *
url_name(const char *url)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(url, strlen(url), md, &n, EVP_sha256(), NULL))
		return NULL;
	return nd_hex(md, n);
}

/* The file NAME already in the cache's SUB folder holding exactly these n
 * bytes (a regular file of ours, never opened through a link) gets the
 * time of now: only its time needs to say it was of use. False when it is
 * not there or holds anything else: it is then written anew. */
static bool
refresh(const char *dir, const char *sub, const char *name, const uint8_t *p, size_t n)
{
	char why[256];
	int sfd = -1, fd = -1;
	struct stat st;
	uint8_t *have = NULL;
	bool ok = false;

	if ((sfd = open_kind(dir, sub, false, why, sizeof why)) < 0 ||
	    (fd = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		goto fail;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_size != (off_t)n)
		goto fail;
	have = nd_xcalloc(n, 1);
	ok = read(fd, have, n) == (ssize_t)n && memcmp(have, p, n) == 0 && futimens(fd, NULL) == 0;
fail:
	free(have);
	if (fd >= 0)
		close(fd);
	if (sfd >= 0)
		close(sfd);
	return ok;
}

void
nd_cache_store_cert(const char *dir, X509 *x)
{
	unsigned char *der = NULL;
	int n;
	char *fp = NULL, *name = NULL;

	if (!dir)
		return;
	n = i2d_X509(x, &der);
	if (n <= 0)
		goto fail;
	fp = nd_x509_sha256_hex(x);
	name = nd_asprintf("%s.der", fp);
	if (!refresh(dir, "ca", name, der, (size_t)n))
		write_atomic(dir, "ca", name, der, (size_t)n);
fail:
	OPENSSL_free(der);
	free(fp);
	free(name);
}

void
nd_cache_load_certs(const char *dir, STACK_OF(X509) *out)
{
	char why[256];
	int sfd = -1, dfd = -1;
	DIR *d = NULL;
	struct dirent *e;
	size_t scanned = 0;
	int loaded = 0;

	if (!dir || (sfd = open_kind(dir, "ca", false, why, sizeof why)) < 0)
		goto fail;
	/* within the bounds first (a cache filled by an older version may
	 * hold hundreds), then everything that is left is read */
	prune_kind(sfd, "ca");
	if ((dfd = openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		goto fail;
	}
	while ((e = readdir(d)) != NULL && scanned++ < CACHE_SCAN && loaded < CACHE_MAX_CERTS) {
		char err[64];
		uint8_t *buf = NULL;
		size_t len = 0, nl = strlen(e->d_name);
		STACK_OF(X509) *sk;

		if (nl < 5 || strcmp(e->d_name + nl - 4, ".der") != 0)
			continue;
		/* a FIFO, a device or a link here is not ours: never opened
		 * blocking, never followed */
		if (nd_x509_read_fileat(sfd, e->d_name, true, ND_X509_MAX_CERT, &buf, &len, err,
		    sizeof err) != ND_OK || !(sk = sk_X509_new_null())) {
			free(buf);
			continue;
		}
		(void)nd_x509_decode_certs(buf, len, sk, err, sizeof err);
		free(buf);
		for (int i = 0; i < sk_X509_num(sk); i++) {
			X509 *x = sk_X509_value(sk, i);
			/* an expired CA certificate builds no chain any more */
			if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0) {
				unlinkat(sfd, e->d_name, 0);
				continue;
			}
			if (X509_up_ref(x) && sk_X509_push(out, x) <= 0)
				X509_free(x);
		}
		sk_X509_pop_free(sk, X509_free);
		loaded++;
	}
fail:
	if (d)
		closedir(d);
	if (sfd >= 0)
		close(sfd);
}

nd_err
nd_cache_load_url(const char *dir, const char *kind, const char *url, uint8_t **out, size_t *out_len)
{
	char why[256], err[64];
	char *name = NULL;
	int sfd = -1;
	nd_err rv = ND_ERR_NOT_FOUND;

	*out = NULL;
	*out_len = 0;
	if (!dir || !(name = url_name(url)))
		goto fail;
	if ((sfd = open_kind(dir, kind, false, why, sizeof why)) < 0)
		goto fail;
	rv = nd_x509_read_fileat(sfd, name, true, ND_X509_MAX_CRL, out, out_len, err, sizeof err);
	if (rv != ND_OK)
		rv = ND_ERR_NOT_FOUND;
fail:
	if (sfd >= 0)
		close(sfd);
	free(name);
	return rv;
}

void
nd_cache_store_url(const char *dir, const char *kind, const char *url, const uint8_t *p, size_t n)
{
	char *name;

	if (!dir || !(name = url_name(url)))
		return;
	write_atomic(dir, kind, name, p, n);
	free(name);
}

/* ---- CRLs read and written as they stream ----------------------------------- */

int
nd_cache_open_url(const char *dir, const char *kind, const char *url, struct stat *st)
{
	char why[256];
	char *name = NULL;
	int sfd = -1, fd = -1;

	if (!dir || !(name = url_name(url)))
		goto fail;
	if ((sfd = open_kind(dir, kind, false, why, sizeof why)) < 0)
		goto fail;
	/* never a link, never blocking on a FIFO; regular files only */
	fd = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))) {
		close(fd);
		fd = -1;
	}
fail:
	if (sfd >= 0)
		close(sfd);
	free(name);
	return fd;
}

bool
nd_cache_tmp_open(const char *dir, const char *kind, const char *url, struct nd_cache_tmp *t)
{
	char why[256];
	char *h = NULL;

	memset(t, 0, sizeof *t);
	t->sfd = t->fd = -1;
	if (!dir || !(h = url_name(url)) || strlen(h) >= sizeof t->name)
		goto fail;
	snprintf(t->name, sizeof t->name, "%s", h);
	snprintf(t->kind, sizeof t->kind, "%s", kind);
	if ((t->sfd = open_kind(dir, kind, true, why, sizeof why)) < 0)
		goto fail;
	for (int i = 0; i < 8 && t->fd < 0; i++) {
		unsigned char r[8];
		char *rh;

		if (RAND_bytes(r, sizeof r) != 1)
			goto fail;
		rh = nd_hex(r, sizeof r);
		snprintf(t->tmp, sizeof t->tmp, "%.64s.%s.tmp", t->name, rh);
		free(rh);
		t->fd = openat(t->sfd, t->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (t->fd < 0 && errno != EEXIST)
			goto fail;
	}
	if (t->fd < 0)
		goto fail;
	free(h);
	return true;
fail:
	t->tmp[0] = '\0';
	free(h);
	nd_cache_tmp_abort(t);
	return false;
}

bool
nd_cache_tmp_write(struct nd_cache_tmp *t, const uint8_t *p, size_t n)
{
	size_t off = 0;

	if (t->fd < 0 || t->failed)
		return false;
	while (off < n) {
		ssize_t k = write(t->fd, p + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			t->failed = true;
			return false;
		}
		off += (size_t)k;
	}
	return true;
}

bool
nd_cache_tmp_commit(struct nd_cache_tmp *t, struct stat *st)
{
	bool ok = false;

	if (t->fd < 0 || t->failed || fstat(t->fd, st) != 0)
		goto fail;
	if (close(t->fd) != 0) {
		t->fd = -1;
		goto fail;
	}
	t->fd = -1;
	if (renameat(t->sfd, t->tmp, t->sfd, t->name) != 0)
		goto fail;
	t->tmp[0] = '\0';
	/* the rename keeps the inode; its ctime changed, the rest did not */
	ok = fstatat(t->sfd, t->name, st, AT_SYMLINK_NOFOLLOW) == 0;
	prune_kind(t->sfd, t->kind);
fail:
	nd_cache_tmp_abort(t);
	return ok;
}

void
nd_cache_tmp_abort(struct nd_cache_tmp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->tmp[0] && t->sfd >= 0)
		unlinkat(t->sfd, t->tmp, 0);
	if (t->sfd >= 0)
		close(t->sfd);
	t->fd = t->sfd = -1;
	t->tmp[0] = '\0';
}

void
nd_cache_store_note(const char *dir, const char *kind, const char *url, const char *text)
{
	char *h, *name;

	if (!dir || !(h = url_name(url)))
		return;
	name = nd_asprintf("%s.ok", h);
	write_atomic(dir, kind, name, (const uint8_t *)text, strlen(text));
	free(name);
	free(h);
}

char *
nd_cache_load_note(const char *dir, const char *kind, const char *url)
{
	char why[256], err[64];
	char *h = NULL, *name = NULL, *text = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int sfd = -1;

	if (!dir || !(h = url_name(url)))
		goto fail;
	name = nd_asprintf("%s.ok", h);
	if ((sfd = open_kind(dir, kind, false, why, sizeof why)) < 0)
		goto fail;
	if (nd_x509_read_fileat(sfd, name, true, 4096, &buf, &len, err, sizeof err) != ND_OK)
		goto fail;
	text = nd_xcalloc(len + 1, 1);
	memcpy(text, buf, len);
fail:
	if (sfd >= 0)
		close(sfd);
	free(buf);
	free(name);
	free(h);
	return text;
}
