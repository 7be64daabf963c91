/* SPDX-License-Identifier: BSD-2-Clause */
/* Outside data made safe for a terminal or a JSON document (see safe.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/safe.h"
#include "core/util.h"

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t
nd_mask_tckns(char *s)
{
	size_t masked = 0;

	for (char *p = s; p && *p;) {
		char *q = p, id[12];

		if (!is_digit(*p)) {
			p++;
			continue;
		}
		while (is_digit(*q))
			q++;
		if (q - p == 11) {
			memcpy(id, p, 11);
			id[11] = '\0';
			if (nd_tckn_valid(id)) {
				/* as nd_mask_tckn(): the first three and the last two stay */
				memset(p + 3, '*', 6);
				masked++;
			}
		}
		p = q;
	}
	return masked;
}

/* The length of the well-formed UTF-8 sequence at p (n bytes left) and its
 * code point; 0 when the first byte does not start one. */
static size_t
utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c = p[0];
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	if (len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)))
		return 0;
	if (len == 4 && (c < 0x10000 || c > 0x10FFFF))
		return 0;
	*cp = c;
	return len;
}

bool
nd_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	for (size_t i = 0, k; i < n; i += k)
		if (!(k = utf8_seq(p + i, n - i, &cp)))
			return false;
	return true;
}

static char *
repair_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = nd_xcalloc(3 * n + 1, 1), *o = out;
	uint32_t cp;

	for (size_t i = 0, k; i < n; i += k) {
		if ((k = utf8_seq(p + i, n - i, &cp))) {
			memcpy(o, s + i, k);
			o += k;
		} else {
			memcpy(o, "\xEF\xBF\xBD", 3);   /* U+FFFD */
			o += 3;
			k = 1;
		}
	}
	return out;
}

char *
nd_utf8_repair(const char *s)
{
	return repair_len(s ? s : "", s ? strlen(s) : 0);
}

/* Characters that reorder what a terminal shows (a line could be made to
 * read backwards) or that some programs take for a line break. */
static bool
is_format_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

static char *
text_len(const char *s, size_t n, bool show_id, bool keep_newlines)
{
	char *m = nd_xcalloc(n + 1, 1), *out, *o;
	const unsigned char *p = (const unsigned char *)m;
	uint32_t cp;

	memcpy(m, s, n);
	/* masked before escaping: an escape such as \x19 must not join digits
	 * of the text into a run, nor split one */
	if (!show_id)
		nd_mask_tckns(m);
	/* at most 6 characters ("\u202e") for a 3-byte sequence, 4 ("\x1b") for one byte */
	out = o = nd_xcalloc(4 * n + 1, 1);
	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_seq(p + i, n - i, &cp);
		if (!k) {
			o += sprintf(o, "\\x%02x", p[i]);
			k = 1;
		} else if (cp == '\n' && keep_newlines)
			*o++ = '\n';
		else if (cp == '\n')
			o += sprintf(o, "\\n");
		else if (cp == '\r')
			o += sprintf(o, "\\r");
		else if (cp == '\t')
			o += sprintf(o, "\\t");
		else if (cp < 0x20 || cp == 0x7F)
			o += sprintf(o, "\\x%02x", (unsigned)cp);
		else if ((cp >= 0x80 && cp <= 0x9F) || is_format_control(cp))
			o += sprintf(o, "\\u%04x", (unsigned)cp);
		else {
			memcpy(o, p + i, k);
			o += k;
		}
	}
	free(m);
	return out;
}

char *
nd_safe_text(const char *s, bool show_id, bool keep_newlines)
{
	return text_len(s ? s : "", s ? strlen(s) : 0, show_id, keep_newlines);
}

void
nd_safe_fputs(const char *s, bool show_id, FILE *out)
{
	char *t = nd_safe_text(s, show_id, false);

	fputs(t, out);
	free(t);
}

void
nd_safe_line(FILE *out, bool show_id, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL, *t;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fputs("nesdoctor: out of memory\n", stderr);
		abort();
	}
	t = text_len(s, (size_t)n, show_id, false);
	fprintf(out, "%s\n", t);
	free(t);
	free(s);
}

/* Fields whose value is hex by nature (digests, ATRs, serial numbers,
 * PKCS#11 CKA_ID, key material, status words): a run of 11 decimal digits
 * in them is a chance, not an identity number, and masking it would spoil
 * the value. Exempt only while the value is indeed hex. */
static bool
hex_field(const char *key, const char *v, size_t n)
{
	static const char *const keys[] = { "sha256", "atr", "der", "serial", "id", "modulus",
	    "ec_params", "tck", "sw" };
	bool listed = false;

	for (size_t i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
		listed |= strcmp(key, keys[i]) == 0;
	if (!listed)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF: ", v[i]) || v[i] == '\0')
			return false;
	return true;
}

/* Nothing to change: ASCII only (printable only, for text) and no run of
 * 11 digits or more that could hide an identity number. Most strings of a
 * report are, and the walk then keeps them as they are instead of copying
 * each (a third of the rendering's time). */
static bool
plain(const char *v, size_t n, enum nd_safe_mode mode)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		if (ch == 0 || ch >= 0x80 || (mode == ND_SAFE_TEXT && (ch < 0x20 || ch == 0x7f)))
			return false;
		run = ch >= '0' && ch <= '9' ? run + 1 : 0;
		if (run >= 11)
			return false;
	}
	return true;
}

/* orig, when given, is the string object v comes from: kept (a new
 * reference) when there is nothing to change. */
static json_object *
copy_string(const char *key, const char *v, size_t n, enum nd_safe_mode mode, bool show_id,
            json_object *orig)
{
	json_object *s;
	char *t;

	if (orig && plain(v, n, mode))
		return json_object_get(orig);
	if (mode == ND_SAFE_TEXT) {
		t = text_len(v, n, show_id || hex_field(key, v, n), false);
	} else {
		char *m = nd_xcalloc(n + 1, 1);

		memcpy(m, v, n);
		if (!show_id && !hex_field(key, v, n))
			nd_mask_tckns(m);
		t = repair_len(m, n);
		free(m);
	}
	s = json_object_new_string(t);
	free(t);
	return s;
}

/* The bytes of a file name that is not UTF-8, in hex, TCKNs masked. */
static json_object *
hex_side(const char *v, size_t n, bool show_id)
{
	char *m = nd_xcalloc(n + 1, 1), *hex;
	json_object *s;

	memcpy(m, v, n);
	if (!show_id)
		nd_mask_tckns(m);
	hex = nd_hex((const uint8_t *)m, n);
	s = json_object_new_string(hex);
	free(hex);
	free(m);
	return s;
}

json_object *
nd_safe_json(json_object *in, enum nd_safe_mode mode, bool show_id)
{
	json_object *out = NULL;

	switch (json_object_get_type(in)) {
	case json_type_null:
		break;
	case json_type_string:
		out = copy_string(NULL, json_object_get_string(in), (size_t)json_object_get_string_len(in),
		    mode, show_id, in);
		break;
	case json_type_array:
		out = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(in); i++)
			json_object_array_add(out, nd_safe_json(json_object_array_get_idx(in, i), mode, show_id));
		break;
	case json_type_object:
		out = json_object_new_object();
		json_object_object_foreach(in, key, val) {
			char *k = mode == ND_SAFE_JSON ? nd_utf8_repair(key) : nd_xstrdup(key);
			json_object *v, *side = NULL;

			if (json_object_is_type(val, json_type_string)) {
				const char *sv = json_object_get_string(val);
				size_t sn = (size_t)json_object_get_string_len(val);

				v = copy_string(key, sv, sn, mode, show_id, val);
				/* a file name that is not UTF-8 keeps its bytes, to be
				 * found again: "file_hex" beside "file" */
				if (mode == ND_SAFE_JSON && (!strcmp(key, "file") || !strcmp(key, "path")) &&
				    !nd_utf8_valid(sv, sn))
					side = hex_side(sv, sn, show_id);
			} else
				v = nd_safe_json(val, mode, show_id);
			json_object_object_add(out, k, v);
			if (side) {
				char *hk = nd_asprintf("%s_hex", key);
				json_object_object_add(out, hk, side);
				free(hk);
			}
			free(k);
		}
		break;
	case json_type_boolean:
	case json_type_int:
	case json_type_double:
		/* as they are (an unsigned 64-bit slot id, a double's text) */
		if (json_object_deep_copy(in, &out, NULL) != 0) {
			fputs("nesdoctor: out of memory\n", stderr);
			abort();
		}
		break;
	}
	return out;
}
