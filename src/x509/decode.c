/* SPDX-License-Identifier: BSD-2-Clause */
/* Certificates from outside bytes: files given to `verify`, --anchor files,
 * AIA downloads. OpenSSL parses; we only choose the format and bound the
 * size. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include "core/i18n.h"
#include "core/util.h"
#include "x509/x509_int.h"

/* nd_x509_from_der's last few certificates: their bytes and objects */
enum { MEMO = 8 };
static struct memo {
	uint8_t *der;
	size_t n;
	X509 *x;
} memo[MEMO];
static size_t memo_next;

static void
memo_free(void)
{
	for (size_t i = 0; i < MEMO; i++) {
		X509_free(memo[i].x);
		free(memo[i].der);
		memo[i] = (struct memo){ NULL, 0, NULL };
	}
}

X509 *
nd_x509_from_der(const uint8_t *der, size_t n)
{
	const unsigned char *p = der;
	struct memo *m;
	X509 *x;

	if (!der || n == 0 || n > (size_t)INT32_MAX)
		return NULL;
	for (size_t i = 0; i < MEMO; i++)
		if (memo[i].x && memo[i].n == n && memcmp(memo[i].der, der, n) == 0)
			return X509_up_ref(memo[i].x) ? memo[i].x : NULL;
	x = d2i_X509(NULL, &p, (long)n);
	if (!x || p != der + n) {
		X509_free(x);
		return NULL;
	}
	if (memo_next == 0)
		atexit(memo_free);
	m = &memo[memo_next++ % MEMO];
	X509_free(m->x);
	free(m->der);
	m->der = nd_xcalloc(n, 1);
	memcpy(m->der, der, n);
	m->n = n;
	m->x = X509_up_ref(x) ? x : NULL;
	return x;
}

static bool
looks_pem(const uint8_t *buf, size_t len)
{
	static const char tag[] = "-----BEGIN ";

	return len >= sizeof tag - 1 && memmem(buf, len, tag, sizeof tag - 1) != NULL;
}

static int
take_p7(PKCS7 *p7, STACK_OF(X509) *out)
{
	STACK_OF(X509) *certs = NULL;
	int n = 0;

	if (p7 && PKCS7_type_is_signed(p7) && p7->d.sign)
		certs = p7->d.sign->cert;
	for (int i = 0; certs && i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);
		if (X509_up_ref(x) && sk_X509_push(out, x) > 0)
			n++;
		else
			X509_free(x);
	}
	return n;
}

static void
note(json_object *skipped, const char *what)
{
	if (skipped && json_object_array_length(skipped) < 64)
		json_object_array_add(skipped, json_object_new_string(what));
}

/* Non-empty lines outside -----BEGIN/-----END blocks. */
static size_t
text_lines(const uint8_t *buf, size_t len)
{
	size_t n = 0, i = 0;
	bool in = false;

	while (i < len) {
		const uint8_t *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len, k = i;

		while (k < e && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r'))
			k++;
		if (e - k >= 11 && memcmp(buf + k, "-----BEGIN ", 11) == 0)
			in = true;
		else if (e - k >= 9 && memcmp(buf + k, "-----END ", 9) == 0)
			in = false;
		else if (!in && k < e)
			n++;
		i = e + 1;
	}
	return n;
}

/* Every PEM block: certificates and PKCS#7 bundles are taken wherever they
 * are, anything else (a key, a damaged block) is named in skipped. */
static int
take_pem(const uint8_t *buf, size_t len, STACK_OF(X509) *out, json_object *skipped)
{
	BIO *b = BIO_new_mem_buf(buf, (int)len);
	int n = 0;
	size_t lines = text_lines(buf, len);

	while (b && BIO_pending(b) > 0) {
		char *name = NULL, *hdr = NULL;
		unsigned char *data = NULL;
		long dlen = 0;
		int before = BIO_pending(b);

		if (!PEM_read_bio(b, &name, &hdr, &data, &dlen)) {
			if (ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE)
				break;
			note(skipped, _("a damaged PEM block"));
			ERR_clear_error();
			if (BIO_pending(b) >= before)
				break;
			continue;
		}
		if (strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0 ||
		    strcmp(name, "TRUSTED CERTIFICATE") == 0) {
			const unsigned char *p = data;
			X509 *x = strcmp(name, "TRUSTED CERTIFICATE") == 0 ? d2i_X509_AUX(NULL, &p, dlen) :
			    d2i_X509(NULL, &p, dlen);

			if (x && p == data + dlen && sk_X509_push(out, x) > 0)
				n++;
			else {
				X509_free(x);
				note(skipped, _("a damaged certificate block"));
			}
		} else if (strcmp(name, "PKCS7") == 0 || strcmp(name, "CERTIFICATE CHAIN") == 0) {
			const unsigned char *p = data;
			PKCS7 *p7 = d2i_PKCS7(NULL, &p, dlen);
			int k = take_p7(p7, out);

			if (!k)
				note(skipped, _("a PKCS#7 block without certificates"));
			n += k;
			PKCS7_free(p7);
		} else {
			char *w = nd_asprintf(_("a %s block"), name);
			note(skipped, w);
			free(w);
		}
		OPENSSL_free(name);
		OPENSSL_free(hdr);
		OPENSSL_free(data);
		ERR_clear_error();
	}
	BIO_free(b);
	if (lines) {
		char *w = nd_asprintf(_("text outside PEM blocks (%zu lines)"), lines);
		note(skipped, w);
		free(w);
	}
	return n;
}

nd_err
nd_x509_decode_certs(const uint8_t *buf, size_t len, STACK_OF(X509) *out, char *err, size_t errsz)
{
	return nd_x509_decode_certs_skipped(buf, len, out, NULL, err, errsz);
}

nd_err
nd_x509_decode_certs_skipped(const uint8_t *buf, size_t len, STACK_OF(X509) *out, json_object *skipped,
                             char *err, size_t errsz)
{
	int n = 0;
	nd_err rv = ND_ERR_PARSE;

	if (errsz)
		err[0] = '\0';
	if (!buf || len == 0 || len > ND_X509_MAX_FILE || len > (size_t)INT32_MAX) {
		snprintf(err, errsz, "%s", len ? _("too large") : _("empty"));
		goto fail;
	}
	ERR_clear_error();
	if (looks_pem(buf, len)) {
		n = take_pem(buf, len, out, skipped);
	} else {
		const unsigned char *p = buf;
		X509 *x = d2i_X509(NULL, &p, (long)len);

		if (x && p == buf + len) {
			if (sk_X509_push(out, x) > 0)
				n++;
			else
				X509_free(x);
		} else {
			PKCS7 *p7;
			X509_free(x);
			p = buf;
			p7 = d2i_PKCS7(NULL, &p, (long)len);
			n += take_p7(p7, out);
			PKCS7_free(p7);
		}
	}
	if (n == 0) {
		char why[160];
		nd_err_from_openssl(why, sizeof why);
		snprintf(err, errsz, _("not a certificate (%s)"), why[0] ? why : _("unknown format"));
		goto fail;
	}
	ERR_clear_error();
	rv = ND_OK;
fail:
	return rv;
}

/* What a path is when it is not a regular file, for the message. */
static const char *
file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return _("a FIFO");
	if (S_ISDIR(m))
		return _("a folder");
	if (S_ISSOCK(m))
		return _("a socket");
	if (S_ISCHR(m) || S_ISBLK(m))
		return _("a device");
	if (S_ISLNK(m))
		return _("a symbolic link");
	return _("something else");
}

/* Read fd to its end, at most max bytes: the size stat gave may change
 * while reading (or be 0, for a pipe), so the bound is on what is read. */
static nd_err
read_bounded(int fd, size_t max, uint8_t **out, size_t *out_len, char *err, size_t errsz)
{
	size_t cap = 4096, len = 0;
	uint8_t *buf = nd_xcalloc(cap + 1, 1);
	nd_err rv = ND_ERR_IO;

	for (;;) {
		ssize_t k;

		if (len == cap) {
			uint8_t *nb;
			if (cap > max) {
				rv = ND_ERR_PARSE;
				snprintf(err, errsz, _("larger than %zu bytes"), max);
				goto fail;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if (!(nb = realloc(buf, cap + 1)))
				goto fail;
			buf = nb;
		}
		k = read(fd, buf + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			snprintf(err, errsz, "%s", strerror(errno));
			goto fail;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	if (len > max) {
		rv = ND_ERR_PARSE;
		snprintf(err, errsz, _("larger than %zu bytes"), max);
		goto fail;
	}
	buf[len] = 0;
	*out = buf;
	*out_len = len;
	buf = NULL;
	rv = ND_OK;
fail:
	free(buf);
	return rv;
}

nd_err
nd_x509_read_fileat(int dirfd, const char *path, bool nofollow, size_t max, uint8_t **out,
                    size_t *out_len, char *err, size_t errsz)
{
	int fd = -1;
	struct stat st;
	nd_err rv = ND_ERR_IO;
	bool in = strcmp(path, "-") == 0 || strcmp(path, "/dev/stdin") == 0;

	*out = NULL;
	*out_len = 0;
	if (errsz)
		err[0] = '\0';
	/* A FIFO blocks open() until a writer comes, a device may act on
	 * open(): O_NONBLOCK and O_NOCTTY, and only a regular file is read.
	 * Standard input is the exception: asked for by name, a pipe is
	 * what it usually is. */
	fd = in ? dup(STDIN_FILENO) :
	    openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0 && nofollow && errno == ELOOP) {
		snprintf(err, errsz, _("not a regular file (%s)"), file_kind(S_IFLNK));
		goto fail;
	}
	if (fd < 0 || fstat(fd, &st) != 0) {
		rv = errno == ENOENT ? ND_ERR_NOT_FOUND : errno == EACCES ? ND_ERR_ACCESS : ND_ERR_IO;
		snprintf(err, errsz, "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !(in && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))) {
		snprintf(err, errsz, _("not a regular file (%s)"), file_kind(st.st_mode));
		goto fail;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		rv = ND_ERR_PARSE;
		snprintf(err, errsz, _("larger than %zu bytes"), max);
		goto fail;
	}
	rv = read_bounded(fd, max, out, out_len, err, errsz);
fail:
	if (fd >= 0)
		close(fd);
	return rv;
}

nd_err
nd_x509_read_file(const char *path, size_t max, uint8_t **out, size_t *out_len, char *err, size_t errsz)
{
	return nd_x509_read_fileat(AT_FDCWD, path, false, max, out, out_len, err, errsz);
}
