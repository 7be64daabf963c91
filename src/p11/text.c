/* SPDX-License-Identifier: BSD-2-Clause */
/* Strings a module hands us are untrusted bytes: PKCS#11 says blank-padded
 * UTF-8 without a terminator, real modules write C strings, Latin-5
 * (Turkish ISO-8859-9) or leftovers of their own buffers. Everything that
 * reaches the report goes through here first. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "p11/p11_int.h"

/* U+FFFD REPLACEMENT CHARACTER */
static const uint8_t repl[3] = { 0xEF, 0xBF, 0xBD };

/* Length of one valid UTF-8 sequence at the cursor (consumed), or 0 after
 * consuming one byte of an invalid one. *cp gets the code point. */
static size_t
utf8_next(struct nd_cur *c, uint32_t *cp)
{
	uint8_t b0, b;
	size_t need;
	uint32_t v, min;

	if (!nd_cur_u8(c, &b0))
		return 0;
	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if ((b0 & 0xE0) == 0xC0) {
		need = 1, v = b0 & 0x1F, min = 0x80;
	} else if ((b0 & 0xF0) == 0xE0) {
		need = 2, v = b0 & 0x0F, min = 0x800;
	} else if ((b0 & 0xF8) == 0xF0) {
		need = 3, v = b0 & 0x07, min = 0x10000;
	} else
		return 0;
	for (size_t i = 0; i < need; i++) {
		struct nd_cur peek = *c;
		/* a bad continuation byte is not consumed: it may start the
		 * next character */
		if (!nd_cur_u8(&peek, &b) || (b & 0xC0) != 0x80)
			return 0;
		*c = peek;
		v = v << 6 | (b & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return need + 1;
}

/* Copy bytes [p, p+n) as clean UTF-8 into out (capacity 3*n+1 is always
 * enough), stopping before max bytes of output. */
static size_t
clean_into(const uint8_t *p, size_t n, char *out, size_t max, unsigned *anom)
{
	struct nd_cur c;
	size_t k = 0;

	nd_cur_init(&c, p, n);
	while (nd_cur_left(&c)) {
		const uint8_t *start = c.p;
		uint32_t cp = 0;
		size_t len = utf8_next(&c, &cp);
		const uint8_t *src = start;

		if (len == 0) {
			*anom |= ND_P11S_UTF8;
			src = repl, len = 3;
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			*anom |= ND_P11S_CONTROL;
			src = repl, len = 3;
		}
		if (k + len > max) {
			*anom |= ND_P11S_TRUNCATED;
			break;
		}
		memcpy(out + k, src, len);
		k += len;
	}
	out[k] = '\0';
	return k;
}

char *
nd_p11_field(const uint8_t *p, size_t n, unsigned *anom)
{
	unsigned a = 0;
	size_t len = n;
	const uint8_t *nul = memchr(p, 0, n);
	char *out;

	if (nul) {
		len = (size_t)(nul - p);
		a |= ND_P11S_NUL;
		for (const uint8_t *q = nul; q < p + n; q++)
			if (*q != 0 && *q != ' ') {
				a |= ND_P11S_GARBAGE;
				break;
			}
	}
	while (len && p[len - 1] == ' ')
		len--;
	out = nd_xcalloc(3 * len + 1, 1);
	clean_into(p, len, out, 3 * len, &a);
	if (anom)
		*anom = a;
	return out;
}

char *
nd_p11_clean(const char *s, size_t n, size_t max, unsigned *anom)
{
	unsigned a = 0;
	char *out;

	if (!s)
		n = 0;
	out = nd_xcalloc(3 * n + 1, 1);
	clean_into((const uint8_t *)s, n, out, max < 3 * n ? max : 3 * n, &a);
	if (anom)
		*anom = a;
	return out;
}

void
nd_p11_anomalies_add(json_object *arr, const char *field, unsigned anom)
{
	static const struct {
		unsigned bit;
		const char *name;
	} t[] = {
		{ ND_P11S_NUL, "not_blank_padded" },
		{ ND_P11S_GARBAGE, "garbage_after_nul" },
		{ ND_P11S_UTF8, "invalid_utf8" },
		{ ND_P11S_CONTROL, "control_characters" },
		{ ND_P11S_TRUNCATED, "truncated" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (anom & t[i].bit) {
			char *s = nd_asprintf("%s.%s", field, t[i].name);
			json_object_array_add(arr, json_object_new_string(s));
			free(s);
		}
}

char *
nd_p11_mask_ids(const char *s)
{
	char *out = nd_xstrdup(s);
	size_t n = strlen(out);

	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && out[j] >= '0' && out[j] <= '9')
			j++;
		if (j - i == 11) {
			char run[12], *m;
			memcpy(run, out + i, 11);
			run[11] = '\0';
			m = nd_mask_tckn(run);
			memcpy(out + i, m, 11);
			free(m);
		}
		i = j > i ? j : i + 1;
	}
	return out;
}
