/* SPDX-License-Identifier: BSD-2-Clause */
#include <string.h>

#include "core/buf.h"

bool
nd_cur_u16be(struct nd_cur *c, uint16_t *v)
{
	uint8_t b[2];

	if (!nd_cur_take(c, b, sizeof b))
		return false;
	*v = (uint16_t)(b[0] << 8 | b[1]);
	return true;
}

bool
nd_cur_u16le(struct nd_cur *c, uint16_t *v)
{
	uint8_t b[2];

	if (!nd_cur_take(c, b, sizeof b))
		return false;
	*v = (uint16_t)(b[1] << 8 | b[0]);
	return true;
}

bool
nd_cur_u32be(struct nd_cur *c, uint32_t *v)
{
	uint8_t b[4];

	if (!nd_cur_take(c, b, sizeof b))
		return false;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return true;
}

bool
nd_cur_u32le(struct nd_cur *c, uint32_t *v)
{
	uint8_t b[4];

	if (!nd_cur_take(c, b, sizeof b))
		return false;
	*v = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
	return true;
}

bool
nd_cur_line(struct nd_cur *c, char *out, size_t outsz, bool strip_cr)
{
	const uint8_t *nl, *v = NULL;
	size_t len, k;

	if (!nd_cur_left(c) || outsz == 0)
		return false;
	nl = memchr(c->p, '\n', nd_cur_left(c));
	len = nl ? (size_t)(nl - c->p) : nd_cur_left(c);
	nd_cur_view(c, &v, len);
	if (nl)
		nd_cur_take(c, NULL, 1);
	k = len < outsz - 1 ? len : outsz - 1;
	memcpy(out, v, k);
	out[k] = '\0';
	if (strip_cr && k && out[k - 1] == '\r')
		out[k - 1] = '\0';
	return true;
}

void
nd_cur_init_text(struct nd_cur *c, const void *p, size_t n)
{
	const uint8_t *z = p && n ? memchr(p, '\0', n) : NULL;

	nd_cur_init(c, p, z ? (size_t)(z - (const uint8_t *)p) : n);
}
