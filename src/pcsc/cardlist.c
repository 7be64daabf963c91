/* SPDX-License-Identifier: BSD-2-Clause */
/* pcsc-tools' smartcard_list.txt, read at run time (it is GPL data: never
 * copied into this project). The file is outside bytes: every line is read
 * through struct nd_cur, with limits on sizes and counts, and what reaches
 * the report is cleaned to printable UTF-8. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"
#include "pcsc/cardid.h"

#define ND_CARDLIST_DEFAULT "/usr/share/pcsc/smartcard_list.txt"

struct entry {
	char *pattern;                       /* upper case */
	char *desc[ND_CARDLIST_MAX_DESC];
	size_t n_desc;
};

struct nd_cardlist {
	struct entry *e;
	size_t n, cap;
};

const char *
nd_cardlist_path(void)
{
	const char *env = getenv("NESDOCTOR_SMARTCARD_LIST");

	if (env)
		return *env ? env : NULL;
	return ND_CARDLIST_DEFAULT;
}

/* Length of the UTF-8 sequence starting at p (at most n bytes), or 0 when it
 * is not a valid, shortest-form sequence. */
static size_t
utf8_len(const uint8_t *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		cp = p[0] & 0x1Fu;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		cp = p[0] & 0x0Fu;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		cp = p[0] & 0x07u;
	} else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

char *
nd_pcsc_printable(const uint8_t *p, size_t n, size_t max)
{
	char *out = nd_xcalloc(max + 1, 1);
	size_t k = 0, i = 0;

	while (i < n && p[i]) {
		size_t len = utf8_len(p + i, n - i);

		if (len == 0 || (len == 1 && (p[i] < 0x20 || p[i] == 0x7F))) {
			if (k + 1 > max)
				break;
			out[k++] = '?';
			i += len ? len : 1;
			continue;
		}
		if (k + len > max)
			break;
		memcpy(out + k, p + i, len);
		k += len;
		i += len;
	}
	out[k] = '\0';
	return out;
}

/* The next line (without its '\n'), through the cursor. */
static bool
next_line(struct nd_cur *c, const uint8_t **line, size_t *len)
{
	const uint8_t *nl;
	size_t n;

	if (nd_cur_left(c) == 0)
		return false;
	nl = memchr(c->p, '\n', nd_cur_left(c));
	n = nl ? (size_t)(nl - c->p) : nd_cur_left(c);
	if (!nd_cur_view(c, line, n))
		return false;
	if (nl)
		nd_cur_take(c, NULL, 1);
	*len = n;
	if (n && (*line)[n - 1] == '\r')
		(*len)--;
	return true;
}

static void
entry_reset(struct entry *e)
{
	free(e->pattern);
	for (size_t i = 0; i < e->n_desc; i++)
		free(e->desc[i]);
}

void
nd_cardlist_free(struct nd_cardlist **lp)
{
	struct nd_cardlist *l;

	if (!lp || !(l = *lp))
		return;
	*lp = NULL;
	for (size_t i = 0; i < l->n; i++)
		entry_reset(&l->e[i]);
	free(l->e);
	free(l);
}

size_t
nd_cardlist_count(const struct nd_cardlist *l)
{
	return l ? l->n : 0;
}

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t';
}

nd_err
nd_cardlist_parse(const uint8_t *p, size_t n, struct nd_cardlist **out)
{
	struct nd_cardlist *l = nd_xcalloc(1, sizeof *l);
	struct nd_cur c;
	const uint8_t *line;
	size_t len;
	struct entry *cur = NULL;   /* the entry descriptions attach to */
	nd_err rv = ND_ERR_PARSE;

	*out = NULL;
	if (n > ND_CARDLIST_MAX_BYTES)
		goto fail;
	nd_cur_init(&c, p, n);
	while (next_line(&c, &line, &len)) {
		if (len == 0) {
			cur = NULL;   /* an empty line ends an entry */
			continue;
		}
		if (line[0] == '#')
			continue;
		if (is_space(line[0])) {
			size_t s = 0;

			while (s < len && is_space(line[s]))
				s++;
			if (cur && s < len && cur->n_desc < ND_CARDLIST_MAX_DESC)
				cur->desc[cur->n_desc++] = nd_pcsc_printable(line + s, len - s,
				    ND_CARDLIST_DESC_LEN);
			continue;
		}
		/* a pattern line: keep it only when it is plain printable ASCII
		 * of a sane length; the matcher rejects what it cannot read */
		while (len && is_space(line[len - 1]))
			len--;
		cur = NULL;
		if (len > ND_CARDLIST_MAX_PATTERN || l->n == ND_CARDLIST_MAX_ENTRIES)
			continue;
		{
			char *pat = nd_xcalloc(len + 1, 1);
			bool ok = true;

			for (size_t i = 0; i < len; i++) {
				uint8_t ch = line[i];
				if (ch < 0x20 || ch > 0x7E)
					ok = false;
				pat[i] = (char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
			}
			if (!ok) {
				free(pat);
				continue;
			}
			if (l->n == l->cap) {
				size_t cap = l->cap ? 2 * l->cap : 256;
				struct entry *ne = realloc(l->e, cap * sizeof *ne);
				if (!ne) {
					free(pat);
					rv = ND_ERR_NOMEM;
					goto fail;
				}
				l->e = ne;
				l->cap = cap;
			}
			cur = &l->e[l->n++];
			memset(cur, 0, sizeof *cur);
			cur->pattern = pat;
		}
	}
	*out = l;
	l = NULL;
	rv = ND_OK;
fail:
	nd_cardlist_free(&l);
	return rv;
}

nd_err
nd_cardlist_load(const char *path, struct nd_cardlist **out)
{
	int fd = -1;
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	nd_err rv = ND_ERR_IO;

	*out = NULL;
	if (!path) {
		rv = ND_ERR_NOT_FOUND;
		goto fail;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		rv = errno == ENOENT ? ND_ERR_NOT_FOUND : errno == EACCES ? ND_ERR_ACCESS : ND_ERR_IO;
		goto fail;
	}
	/* a regular file only: a FIFO or a device could block or never end */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto fail;
	if ((uint64_t)st.st_size > ND_CARDLIST_MAX_BYTES) {
		rv = ND_ERR_PARSE;
		goto fail;
	}
	buf = nd_xcalloc((size_t)st.st_size + 1, 1);
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;   /* shrank meanwhile: parse what we have */
		got += (size_t)k;
	}
	rv = nd_cardlist_parse(buf, got, out);
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rv;
}

/* The pattern language: a token is a literal, ".", or a "[...]" class, and
 * may be followed by "*". */
struct token {
	uint8_t set[32];   /* characters this token accepts (bit map) */
	bool star;
};

static void
set_bit(uint8_t *set, uint8_t ch)
{
	set[ch >> 3] |= (uint8_t)(1u << (ch & 7));
}

static bool
has_bit(const uint8_t *set, uint8_t ch)
{
	return set[ch >> 3] & (1u << (ch & 7));
}

/* Tokenise; returns the token count or -1 for unsupported syntax. */
static long
tokenize(const char *pat, struct token *tok, size_t max)
{
	size_t n = 0;
	const char *s = pat;

	while (*s) {
		struct token *t;

		if (*s == '*') {
			if (n == 0 || tok[n - 1].star)
				return -1;
			tok[n - 1].star = true;
			s++;
			continue;
		}
		if (n == max)
			return -1;
		t = &tok[n++];
		memset(t, 0, sizeof *t);
		if (*s == '.') {
			memset(t->set, 0xFF, sizeof t->set);
			s++;
		} else if (*s == '[') {
			bool neg = false;
			uint8_t tmp[32] = { 0 };

			s++;
			if (*s == '^') {
				neg = true;
				s++;
			}
			/* a "]" first in a class is a literal, as in POSIX */
			if (*s == ']') {
				set_bit(tmp, ']');
				s++;
			}
			while (*s && *s != ']') {
				uint8_t lo = (uint8_t)*s, hi = lo;
				if (s[1] == '-' && s[2] && s[2] != ']') {
					hi = (uint8_t)s[2];
					s += 3;
				} else
					s++;
				if (hi < lo)
					return -1;
				for (unsigned ch = lo; ch <= hi; ch++)
					set_bit(tmp, (uint8_t)ch);
			}
			if (*s != ']')
				return -1;
			s++;
			for (size_t i = 0; i < sizeof tmp; i++)
				t->set[i] = neg ? (uint8_t)~tmp[i] : tmp[i];
		} else if (strchr("()|+?{}\\^$", *s)) {
			return -1;
		} else {
			set_bit(t->set, (uint8_t)*s);
			s++;
		}
	}
	return (long)n;
}

int
nd_atr_pattern_match(const char *pattern, const char *text)
{
	struct token *tok = NULL;
	bool *prev = NULL, *next = NULL;
	size_t m = strlen(text), plen = strlen(pattern);
	long nt;
	int rv = -1;

	if (plen > ND_CARDLIST_MAX_PATTERN)
		goto fail;
	tok = nd_xcalloc(plen + 1, sizeof *tok);
	if ((nt = tokenize(pattern, tok, plen + 1)) < 0)
		goto fail;
	prev = nd_xcalloc(m + 1, sizeof *prev);
	next = nd_xcalloc(m + 1, sizeof *next);
	/* prev[j]: the tokens so far match the first j characters */
	prev[0] = true;
	for (long i = 0; i < nt; i++) {
		const struct token *t = &tok[i];
		bool *swap;

		for (size_t j = 0; j <= m; j++) {
			bool here = j > 0 && has_bit(t->set, (uint8_t)text[j - 1]);
			if (t->star)
				next[j] = prev[j] || (here && next[j - 1]);
			else
				next[j] = here && prev[j - 1];
		}
		swap = prev;
		prev = next;
		next = swap;
	}
	rv = prev[m] ? 1 : 0;
fail:
	free(tok);
	free(prev);
	free(next);
	return rv;
}

/* A cheap first test: the pattern's leading literal characters (those not
 * made optional by a following "*") must start the text. Most patterns
 * differ from a given ATR within the first few bytes. */
static bool
prefix_may_match(const char *pat, const char *text)
{
	for (; *pat && pat[1] != '*'; pat++, text++) {
		if (*pat == '.' || *pat == '[')
			return true;
		if (*pat != *text)
			return false;
	}
	return true;
}

json_object *
nd_cardlist_match(const struct nd_cardlist *l, const uint8_t *atr, size_t n)
{
	char text[3 * 64 + 1];
	json_object *names = NULL;

	if (!l || n == 0 || n > 64)
		return NULL;
	nd_hex_spaced(atr, n, text, sizeof text);
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->e[i];

		if (!prefix_may_match(e->pattern, text) || nd_atr_pattern_match(e->pattern, text) != 1)
			continue;
		if (!names)
			names = json_object_new_array();
		for (size_t d = 0; d < e->n_desc; d++)
			json_object_array_add(names, json_object_new_string(e->desc[d]));
	}
	return names;
}
