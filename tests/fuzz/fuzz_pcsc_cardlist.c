/* SPDX-License-Identifier: BSD-2-Clause */
/* smartcard_list.txt is outside bytes: parse anything, then match a few
 * ATRs against what was parsed (the pattern matcher sees every pattern).
 * The first byte picks how many bytes at the end are also tried as an ATR. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pcsc/cardid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t akis[] = { 0x3B, 0x9F, 0x96, 0x81, 0x31, 0xFE, 0x45, 0x80, 0x67, 0x55, 0x45,
	                                0x4B, 0x41, 0x45, 0x12, 0x12, 0x31, 0x80, 0x73, 0xB3, 0xA1, 0x80, 0xEA };
	static const uint8_t t0[] = { 0x3B, 0x02, 0x14, 0x50 };
	struct nd_cardlist *l = NULL;
	json_object *m;
	size_t tail = size ? data[0] % 34 : 0;

	if (nd_cardlist_parse(data, size, &l) != ND_OK)
		return 0;
	json_object_put(nd_cardlist_match(l, akis, sizeof akis));
	json_object_put(nd_cardlist_match(l, t0, sizeof t0));
	if (tail && tail <= size) {
		m = nd_cardlist_match(l, data + size - tail, tail);
		if (m)
			(void)json_object_to_json_string(m);
		json_object_put(m);
	}
	nd_cardlist_free(&l);
	return 0;
}
