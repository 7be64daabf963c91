/* SPDX-License-Identifier: BSD-2-Clause */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/util.h"

char *
nd_hex(const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789ABCDEF";
	char *s = nd_xcalloc(2 * n + 1, 1);

	for (size_t i = 0; i < n; i++) {
		s[2 * i] = d[p[i] >> 4];
		s[2 * i + 1] = d[p[i] & 15];
	}
	return s;
}

void
nd_hex_spaced(const uint8_t *p, size_t n, char *out, size_t outsz)
{
	size_t k = 0;

	if (!outsz)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < n && k + 4 <= outsz; i++)
		k += (size_t)snprintf(out + k, outsz - k, i ? " %02X" : "%02X", p[i]);
}

long
nd_unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else if (*s == ' ' || *s == ':')
			continue;
		else
			return -1;
		if (hi < 0)
			hi = v;
		else {
			if (n >= max)
				return -1;
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (long)n : -1;
}

char *
nd_mask_tckn(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	char *m;

	if (n == 0)
		return nd_xstrdup("");
	m = nd_xstrdup(id);
	if (n == 11) {
		memset(m + 3, '*', 6);
	} else if (n > 2) {
		memset(m + 1, '*', n - 2);
	} else {
		memset(m, '*', n);
	}
	return m;
}

bool
nd_tckn_valid(const char *id)
{
	int d[11], odd = 0, even = 0, sum = 0;

	if (!id || strlen(id) != 11)
		return false;
	for (int i = 0; i < 11; i++) {
		if (!isdigit((unsigned char)id[i]))
			return false;
		d[i] = id[i] - '0';
	}
	if (d[0] == 0)
		return false;
	for (int i = 0; i < 9; i += 2)
		odd += d[i];
	for (int i = 1; i < 8; i += 2)
		even += d[i];
	if (((odd * 7 - even) % 10 + 10) % 10 != d[9])
		return false;
	for (int i = 0; i < 10; i++)
		sum += d[i];
	return sum % 10 == d[10];
}

char *
nd_base64(const uint8_t *p, size_t n)
{
	char *s;

	if (n > INT_MAX / 4 * 3) {
		fputs("nesdoctor: out of memory\n", stderr);
		abort();
	}
	s = nd_xcalloc((n + 2) / 3 * 4 + 1, 1);
	EVP_EncodeBlock((unsigned char *)s, p, (int)n);
	return s;
}

uint8_t *
nd_unbase64(const char *s, size_t max, size_t *n)
{
	size_t len = s ? strlen(s) : 0, pad = 0;
	uint8_t *out;
	int k;

	*n = 0;
	if (len == 0 || len % 4 != 0 || len / 4 * 3 > max + 2 || len > INT_MAX)
		return NULL;
	pad = (size_t)(s[len - 1] == '=') + (size_t)(len > 1 && s[len - 2] == '=');
	out = nd_xcalloc(len / 4 * 3 + 1, 1);
	/* EVP_DecodeBlock counts the padding as zero bytes: take it off */
	k = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
	if (k < 0 || (size_t)k < pad || (size_t)k - pad > max) {
		free(out);
		return NULL;
	}
	*n = (size_t)k - pad;
	return out;
}

char *
nd_read_file(const char *path, size_t max, bool *exists)
{
	return nd_read_file_n(path, max, NULL, exists);
}

char *
nd_read_file_n(const char *path, size_t max, size_t *len, bool *exists)
{
	/* O_NONBLOCK: a FIFO would block open() until a writer came, and a
	 * device may act on open(); only a regular file is read */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	char *buf = NULL;

	if (exists)
		*exists = fd >= 0 || errno != ENOENT;
	if (len)
		*len = 0;
	if (fd >= 0) {
		buf = nd_read_fd(fd, max, len);
		close(fd);
	}
	return buf;
}

char *
nd_read_fd(int fd, size_t max, size_t *len)
{
	struct stat st;
	char *buf;
	size_t n = 0;

	if (len)
		*len = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	buf = nd_xcalloc(max + 1, 1);
	while (n < max) {
		ssize_t k = read(fd, buf + n, max - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int64_t
nd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void *
nd_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p) {
		fputs("nesdoctor: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *
nd_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d) {
		fputs("nesdoctor: out of memory\n", stderr);
		abort();
	}
	return d;
}

char *
nd_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0) {
		fputs("nesdoctor: out of memory\n", stderr);
		abort();
	}
	return s;
}

void
nd_freezero(void *p, size_t n)
{
	if (!p)
		return;
	explicit_bzero(p, n);
	free(p);
}

const char *
nd_jstr(const json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int64_t
nd_jint(const json_object *o, const char *key, int64_t dflt)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return dflt;
	return json_object_get_int64(v);
}

bool
nd_jbool(const json_object *o, const char *key, bool dflt)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_boolean))
		return dflt;
	return json_object_get_boolean(v);
}

json_object *
nd_jobj(const json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

json_object *
nd_jarr(const json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

int
nd_jtri(const json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_boolean))
		return -1;
	return json_object_get_boolean(v) ? 1 : 0;
}

bool
nd_jarr_has_str(const json_object *arr, const char *s)
{
	if (!arr || !json_object_is_type(arr, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(arr, i));
		if (v && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

void
nd_jset_str(json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

size_t
nd_name_lookup(const char *const *names, size_t n, const char *s, size_t other)
{
	if (!s)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return other;
}

const char *
nd_name_of(const char *const *names, size_t n, size_t v)
{
	return v < n ? names[v] : NULL;
}
