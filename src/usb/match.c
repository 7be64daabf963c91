/* SPDX-License-Identifier: BSD-2-Clause */
/* Small pure pieces of the usb layer, kept apart from libusb so that unit
 * tests and the fuzz harness reach them directly. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "usb/known.h"
#include "usb/usb.h"

static int
cmp_known(const void *key, const void *elem)
{
	const struct nd_usb_known *k = key, *e = elem;
	unsigned a = (unsigned)k->vid << 16 | k->pid, b = (unsigned)e->vid << 16 | e->pid;

	return a < b ? -1 : a > b;
}

const struct nd_usb_known *
nd_usb_known_find(uint16_t vid, uint16_t pid)
{
	struct nd_usb_known key = { .vid = vid, .pid = pid };

	/* drivers-notes/check.sh keeps the table sorted */
	return bsearch(&key, nd_usb_known, nd_usb_known_n, sizeof nd_usb_known[0], cmp_known);
}

const char *
nd_usb_known_package(const struct nd_usb_known *k)
{
	if (!k)
		return NULL;
	if (k->libccid)
		return "libccid";
	if (k->acsccid)
		return "libacsccid1";
	return NULL;
}

long
nd_usb_string_decode(const uint8_t *p, size_t n, char *out, size_t outsz)
{
	struct nd_cur c;
	uint8_t blen = 0, type = 0;
	size_t k = 0;
	long ret = -1;

	if (!outsz)
		goto fail;
	out[0] = '\0';
	nd_cur_init(&c, p, n);
	if (!nd_cur_u8(&c, &blen) || !nd_cur_u8(&c, &type) || type != 3 || blen < 2)
		goto fail;
	/* a device may claim more than it sent: read what both agree on */
	if ((size_t)blen - 2 < nd_cur_left(&c))
		c.len = (size_t)blen - 2;
	while (nd_cur_left(&c) >= 2 && k + 1 < outsz) {
		uint16_t u;
		nd_cur_u16le(&c, &u);
		if (u == 0)
			break;
		out[k++] = (u >= 0x20 && u < 0x7f) ? (char)u : '?';
	}
	/* trailing blanks are padding in many readers' strings */
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	ret = (long)k;
fail:
	return ret;
}

int
nd_usb_reader_matches(const char *reader, const char *name)
{
	size_t n;

	if (!reader || !name || !*name)
		return 0;
	n = strlen(name);
	if (strncasecmp(reader, name, n) != 0)
		return 0;
	/* "ACS ACR38U" must not match "ACS ACR38U-CCID 00 00" */
	return reader[n] == '\0' || reader[n] == ' ';
}
