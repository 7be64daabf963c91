/* SPDX-License-Identifier: BSD-2-Clause */
/* A bounds-checked cursor over untrusted bytes. Every read checks the
 * remaining length first; a failed read leaves the cursor where it was and
 * sets the sticky error flag, so a parser can read a whole structure and
 * check nd_cur_ok() once at the end. */
#ifndef ND_BUF_H
#define ND_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct nd_cur {
	const uint8_t *p;
	size_t len;   /* bytes left */
	bool err;     /* a read went past the end */
};

static inline void
nd_cur_init(struct nd_cur *c, const void *p, size_t len)
{
	c->p = p;
	c->len = p ? len : 0;
	c->err = false;
}

/* Point at the next n bytes without copying, and advance past them. (The
 * three smallest readers are inline: parsers call them for every byte of
 * a header, a million times for a large CRL.) */
static inline bool
nd_cur_view(struct nd_cur *c, const uint8_t **view, size_t n)
{
	if (c->err || n > c->len) {
		c->err = true;
		return false;
	}
	if (view)
		*view = c->p;
	if (n) {   /* no arithmetic on a NULL cursor, even by zero */
		c->p += n;
		c->len -= n;
	}
	return true;
}

/* Copy n bytes out (out may be NULL to skip them). */
static inline bool
nd_cur_take(struct nd_cur *c, void *out, size_t n)
{
	const uint8_t *v = NULL;

	if (!nd_cur_view(c, &v, n))
		return false;
	if (out && n)
		memcpy(out, v, n);
	return true;
}

static inline bool
nd_cur_u8(struct nd_cur *c, uint8_t *v)
{
	return nd_cur_take(c, v, 1);
}

bool nd_cur_u16be(struct nd_cur *c, uint16_t *v);
bool nd_cur_u16le(struct nd_cur *c, uint16_t *v);
bool nd_cur_u32be(struct nd_cur *c, uint32_t *v);
bool nd_cur_u32le(struct nd_cur *c, uint32_t *v);
/* A cursor over text: n bytes at p, or fewer when a NUL comes first (the
 * text ends there, as it would for a C string). */
void nd_cur_init_text(struct nd_cur *c, const void *p, size_t n);
/* The next line (up to '\n', which is consumed) copied into out as a C
 * string, cut at outsz - 1 bytes (the rest of a long line is skipped), a
 * trailing '\r' dropped when strip_cr; false when nothing is left. A NUL
 * inside the line ends the C string there. */
bool nd_cur_line(struct nd_cur *c, char *out, size_t outsz, bool strip_cr);
static inline bool nd_cur_ok(const struct nd_cur *c) { return !c->err; }
static inline size_t nd_cur_left(const struct nd_cur *c) { return c->len; }

#endif
