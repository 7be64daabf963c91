/* The local cache: CA certificates found by AIA (so that the next run, or
 * an offline one, can build the chain) and CRLs (kept until their next
 * update). Files are written whole to a temporary name and renamed, so a
 * reader never sees half a file. What is read back is checked like any
 * download: a CA certificate only helps if it verifies in the chain, a CRL
 * only counts if its signature and times are good. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/util.h"
#include "x509/x509_int.h"

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

/* mkdir -p for DIR/sub, private to the user. */
static bool
ensure_dir(const char *dir, const char *sub)
{
	char path[PATH_MAX];
	size_t n;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, sub) >= sizeof path)
		return false;
	n = strlen(path);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return false;
		if (i < n)
			path[i] = '/';
	}
	return true;
}

static void
write_atomic(const char *dir, const char *sub, const char *name, const uint8_t *p, size_t n)
{
	char path[PATH_MAX], tmp[PATH_MAX] = "";
	int fd = -1;
	size_t off = 0;

	if (!ensure_dir(dir, sub))
		goto fail;
	if ((size_t)snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name) >= sizeof path ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= sizeof tmp)
		goto fail;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
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
	if (rename(tmp, path) != 0)
		goto fail;
	tmp[0] = '\0';
fail:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlink(tmp);
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
	write_atomic(dir, "ca", name, der, (size_t)n);
fail:
	OPENSSL_free(der);
	free(fp);
	free(name);
}

void
nd_cache_load_certs(const char *dir, STACK_OF(X509) *out)
{
	char path[PATH_MAX];
	DIR *d = NULL;
	struct dirent *e;
	int count = 0;

	if (!dir || (size_t)snprintf(path, sizeof path, "%s/ca", dir) >= sizeof path)
		return;
	d = opendir(path);
	if (!d)
		return;
	/* bounded: a cache is small; a huge folder is not ours to read whole */
	while ((e = readdir(d)) != NULL && count < 64) {
		char file[PATH_MAX], err[64];
		uint8_t *buf = NULL;
		size_t len = 0;
		size_t nl = strlen(e->d_name);

		if (nl < 5 || strcmp(e->d_name + nl - 4, ".der") != 0)
			continue;
		if ((size_t)snprintf(file, sizeof file, "%s/%s", path, e->d_name) >= sizeof file)
			continue;
		if (nd_x509_read_file(file, ND_X509_MAX_CERT, &buf, &len, err, sizeof err) == ND_OK)
			(void)nd_x509_decode_certs(buf, len, out, err, sizeof err);
		free(buf);
		count++;
	}
	closedir(d);
}

nd_err
nd_cache_load_url(const char *dir, const char *kind, const char *url, uint8_t **out, size_t *out_len)
{
	char path[PATH_MAX], err[64];
	char *name = NULL;
	nd_err rv = ND_ERR_NOT_FOUND;

	*out = NULL;
	*out_len = 0;
	if (!dir || !(name = url_name(url)))
		goto fail;
	if ((size_t)snprintf(path, sizeof path, "%s/%s/%s", dir, kind, name) >= sizeof path)
		goto fail;
	rv = nd_x509_read_file(path, ND_X509_MAX_CRL, out, out_len, err, sizeof err);
	if (rv != ND_OK)
		rv = ND_ERR_NOT_FOUND;
fail:
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
