/* SPDX-License-Identifier: BSD-2-Clause */
/* The ATR parser and card identification on arbitrary bytes (the ATR comes
 * from the card through the reader and pcscd), and the card object built
 * from it, JSON included. */
#include <stddef.h>
#include <stdint.h>

#include "pcsc/atr.h"
#include "pcsc/cardid.h"
#include "pcsc/pcsc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_atr a;
	struct nd_card_id id;
	json_object *j;

	nd_atr_parse(data, size, &a);
	nd_card_identify(&a, &id);
	j = nd_atr_to_json(&a);
	(void)json_object_to_json_string(j);
	json_object_put(j);
	if (size <= 64) {
		j = nd_pcsc_card_json(data, size, NULL);
		(void)json_object_to_json_string(j);
		json_object_put(j);
	}
	return 0;
}
