/* SPDX-License-Identifier: BSD-2-Clause */
#include <string.h>

#include "core/buf.h"

bool
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

bool
nd_cur_take(struct nd_cur *c, void *out, size_t n)
{
	const uint8_t *v;

	if (!nd_cur_view(c, &v, n))
		return false;
	if (out && n)
		memcpy(out, v, n);
	return true;
}

bool
nd_cur_u8(struct nd_cur *c, uint8_t *v)
{
	return nd_cur_take(c, v, 1);
}

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
