/* SPDX-License-Identifier: BSD-2-Clause */
/* Info.plist reading. pcscd's own reader (tokenparser.l) is a lexer, not an
 * XML parser: it remembers the last <key> and appends every <string> after
 * it to that key. This follows the same model, so that what we predict is
 * what pcscd does, but reads through a bounds-checked cursor with limits on
 * sizes and counts, and says precisely what is wrong with a broken file. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "usb/plist.h"

enum { K_NAME, K_EXEC, K_VERSION, K_VID, K_PID, K_FRIENDLY, K_COUNT };
static const char *const wanted[K_COUNT] = {
	"CFBundleName", "CFBundleExecutable", "CFBundleShortVersionString",
	"ifdVendorID", "ifdProductID", "ifdFriendlyName",
};

struct strlist {
	char **v;
	size_t n, cap;
	bool seen;
};

static bool
peek_is(const struct nd_cur *c, const char *s)
{
	size_t n = strlen(s);

	return nd_cur_left(c) >= n && memcmp(c->p, s, n) == 0;
}

/* Advance past the next occurrence of s; false when it never comes. */
static bool
skip_past(struct nd_cur *c, const char *s)
{
	/* memmem over what is left: libccid's Info.plist is some 100 KiB,
	 * read on every run, and byte by byte this was most of the usb
	 * layer's time */
	size_t n = strlen(s);
	const uint8_t *at = nd_cur_left(c) ? memmem(c->p, nd_cur_left(c), s, n) : NULL;

	if (!at) {
		nd_cur_take(c, NULL, nd_cur_left(c));
		return false;
	}
	return nd_cur_take(c, NULL, (size_t)(at - c->p) + n);
}

/* A tag after '<': name, close flag, empty-element flag. Attributes are
 * skipped (quoted values may hold '>'). */
static nd_err
read_tag(struct nd_cur *c, char *name, size_t namesz, bool *close, bool *empty)
{
	size_t k = 0;
	uint8_t ch = 0, quote = 0;
	nd_err err = ND_ERR_PARSE;

	*close = *empty = false;
	if (peek_is(c, "/")) {
		*close = true;
		nd_cur_take(c, NULL, 1);
	}
	while (nd_cur_left(c) > 0 && (isalnum(c->p[0]) || strchr("_-:.", c->p[0]))) {
		if (k + 1 >= namesz)
			goto fail;   /* no tag we care about is this long */
		nd_cur_u8(c, &ch);
		name[k++] = (char)ch;
	}
	name[k] = '\0';
	if (k == 0)
		goto fail;
	for (;;) {
		if (!nd_cur_u8(c, &ch)) {
			err = ND_ERR_TRUNCATED;
			goto fail;
		}
		if (quote) {
			if (ch == quote)
				quote = 0;
		} else if (ch == '"' || ch == '\'')
			quote = ch;
		else if (ch == '/')
			*empty = true;
		else if (ch == '>')
			break;
		else if (ch == '<')
			goto fail;
		else if (!isspace(ch) && *empty)
			*empty = false;   /* a '/' inside an unquoted attribute */
	}
	err = ND_OK;
fail:
	return err;
}

/* Text up to the closing tag `</name>`, entities decoded; malloc'ed. */
static nd_err
read_text(struct nd_cur *c, const char *name, char **out)
{
	char buf[ND_PLIST_MAX_STRING + 1], end[40];
	size_t k = 0;
	uint8_t ch = 0;
	nd_err err = ND_ERR_PARSE;

	*out = NULL;
	/* "</name" without snprintf: called for each of some 1700 strings */
	if (strlen(name) + 3 > sizeof end)
		goto fail;
	end[0] = '<';
	end[1] = '/';
	memcpy(end + 2, name, strlen(name) + 1);
	for (;;) {
		size_t run = 0, left = nd_cur_left(c);

		/* plain text a run at a time: libccid's Info.plist holds some
		 * 1700 strings and is read on every run */
		while (run < left && c->p[run] != '<' && c->p[run] != '&' && c->p[run] != '\0')
			run++;
		if (run > ND_PLIST_MAX_STRING - k)
			goto fail;
		if (run) {
			nd_cur_take(c, buf + k, run);
			k += run;
			left -= run;
		}
		if (left == 0) {
			err = ND_ERR_TRUNCATED;
			goto fail;
		}
		if (c->p[0] == '<' && peek_is(c, end))
			break;
		nd_cur_u8(c, &ch);
		if (ch == '<' || ch == '\0')
			goto fail;
		if (ch == '&') {
			static const struct { const char *ent; char ch; } ents[] = {
				{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
				{ "quot;", '"' }, { "apos;", '\'' },
			};
			size_t e;
			for (e = 0; e < sizeof ents / sizeof ents[0]; e++)
				if (peek_is(c, ents[e].ent)) {
					nd_cur_take(c, NULL, strlen(ents[e].ent));
					ch = (uint8_t)ents[e].ch;
					break;
				}
			if (e == sizeof ents / sizeof ents[0]) {
				/* numeric references and others: keep a marker, the
				 * ids we need never use them */
				if (!skip_past(c, ";"))
					goto fail;
				ch = '?';
			}
		}
		if (k == ND_PLIST_MAX_STRING)
			goto fail;
		buf[k++] = (char)ch;
	}
	/* past "</name", then the rest of the closing tag */
	nd_cur_take(c, NULL, strlen(end));
	if (!skip_past(c, ">")) {
		err = ND_ERR_TRUNCATED;
		goto fail;
	}
	buf[k] = '\0';
	*out = nd_xstrdup(buf);
	err = ND_OK;
fail:
	return err;
}

static nd_err
list_add(struct strlist *l, char *s)
{
	nd_err err = ND_ERR_PARSE;

	if (l->n == ND_PLIST_MAX_VALUES) {
		free(s);
		goto fail;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = reallocarray(l->v, cap, sizeof *v);
		if (!v) {
			free(s);
			err = ND_ERR_NOMEM;
			goto fail;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	err = ND_OK;
fail:
	return err;
}

static void
list_reset(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* "0x072F" (what pcscd reads with strtol(s, NULL, 16)) -> 0x072F. */
static bool
parse_id(const char *s, uint16_t *v)
{
	unsigned long x = 0;
	size_t digits = 0;
	bool ok = false;

	while (isspace((unsigned char)*s))
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; isxdigit((unsigned char)*s); s++, digits++) {
		x = x * 16 + (unsigned long)(isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10));
		if (x > 0xffff)
			goto fail;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (digits == 0 || *s)
		goto fail;
	*v = (uint16_t)x;
	ok = true;
fail:
	return ok;
}

static void
set_error(struct nd_ifd_bundle *b, nd_err e, const char *msg)
{
	if (b->err != ND_OK)
		return;   /* the first problem is the one to show */
	b->err = e;
	free(b->error);
	b->error = nd_xstrdup(msg);
}

static nd_err
scan(struct nd_cur *c, struct strlist *lists)
{
	int key = -1;
	char name[32], *text = NULL;
	bool close, empty;
	nd_err err = ND_OK;

	while (skip_past(c, "<")) {
		if (peek_is(c, "!--")) {
			if (!skip_past(c, "-->")) {
				err = ND_ERR_TRUNCATED;
				goto fail;
			}
			continue;
		}
		if (peek_is(c, "?") || peek_is(c, "!")) {
			if (!skip_past(c, ">")) {
				err = ND_ERR_TRUNCATED;
				goto fail;
			}
			continue;
		}
		if ((err = read_tag(c, name, sizeof name, &close, &empty)) != ND_OK)
			goto fail;
		if (close)
			continue;
		if (strcmp(name, "key") == 0) {
			if (empty) {
				key = -1;
				continue;
			}
			if ((err = read_text(c, "key", &text)) != ND_OK)
				goto fail;
			key = -1;
			for (int k = 0; k < K_COUNT; k++)
				if (strcmp(text, wanted[k]) == 0)
					key = k;
			free(text);
			text = NULL;
			if (key >= 0)
				lists[key].seen = true;
		} else if (strcmp(name, "string") == 0) {
			if (empty)
				text = nd_xstrdup("");
			else if ((err = read_text(c, "string", &text)) != ND_OK)
				goto fail;
			if (key >= 0) {
				err = list_add(&lists[key], text);
				text = NULL;
				if (err != ND_OK)
					goto fail;
			}
			free(text);
			text = NULL;
		}
	}
	if (!nd_cur_ok(c))
		err = ND_ERR_TRUNCATED;
fail:
	free(text);
	return err;
}

nd_err
nd_plist_parse(const char *text, size_t len, struct nd_ifd_bundle *b)
{
	struct strlist lists[K_COUNT];
	struct nd_cur c;
	size_t n;
	nd_err err;

	memset(lists, 0, sizeof lists);
	b->err = ND_OK;
	nd_cur_init(&c, text, len);
	if ((err = scan(&c, lists)) != ND_OK) {
		set_error(b, ND_ERR_PARSE, err == ND_ERR_TRUNCATED ?
		    "the XML ends in the middle of a tag, comment or string" :
		    "malformed XML (a bad tag, or a value over the size limits)");
		goto fail;
	}
	if (lists[K_NAME].n)
		b->cf_name = nd_xstrdup(lists[K_NAME].v[0]);
	if (lists[K_EXEC].n)
		b->executable = nd_xstrdup(lists[K_EXEC].v[0]);
	if (lists[K_VERSION].n)
		b->version = nd_xstrdup(lists[K_VERSION].v[0]);
	if (!lists[K_EXEC].n) {
		set_error(b, ND_ERR_NOT_FOUND, "no CFBundleExecutable: pcscd skips this bundle");
		goto fail;
	}
	if (!lists[K_VID].seen || !lists[K_PID].seen || !lists[K_FRIENDLY].seen) {
		set_error(b, ND_ERR_NOT_FOUND,
		    "no ifdVendorID, ifdProductID or ifdFriendlyName: pcscd skips this bundle");
		goto fail;
	}
	n = lists[K_VID].n;
	if (lists[K_PID].n != n || lists[K_FRIENDLY].n != n) {
		set_error(b, ND_ERR_PROTOCOL, "ifdVendorID, ifdProductID and ifdFriendlyName "
		    "differ in length: pcscd stops reading the drivers folder");
		if (lists[K_PID].n < n)
			n = lists[K_PID].n;
		if (lists[K_FRIENDLY].n < n)
			n = lists[K_FRIENDLY].n;
	}
	b->ids = nd_xcalloc(n, sizeof *b->ids);
	b->n_ids = 0;
	for (size_t i = 0; i < n; i++) {
		struct nd_ifd_id *id = &b->ids[b->n_ids];
		if (!parse_id(lists[K_VID].v[i], &id->vid) || !parse_id(lists[K_PID].v[i], &id->pid)) {
			set_error(b, ND_ERR_PROTOCOL, "an ifdVendorID or ifdProductID is not a hex number");
			continue;
		}
		id->name = nd_xstrdup(lists[K_FRIENDLY].v[i]);
		b->n_ids++;
	}
fail:
	for (int k = 0; k < K_COUNT; k++)
		list_reset(&lists[k]);
	return b->err;
}

void
nd_ifd_bundle_clear(struct nd_ifd_bundle *b)
{
	for (size_t i = 0; i < b->n_ids; i++)
		free(b->ids[i].name);
	free(b->ids);
	free(b->dir);
	free(b->cf_name);
	free(b->executable);
	free(b->version);
	free(b->error);
	memset(b, 0, sizeof *b);
}

bool
nd_ifd_is_class_driver(const struct nd_ifd_bundle *b)
{
	return b->cf_name && strcmp(b->cf_name, "CCIDCLASSDRIVER") == 0;
}
