/* SPDX-License-Identifier: BSD-2-Clause */
/* The bytes a USB device sends after its interface descriptor, read as a run
 * of class descriptors (the CCID one decoded and turned into JSON), and the
 * same bytes as a string descriptor. */
#include <stddef.h>
#include <stdint.h>

#include "usb/ccid.h"
#include "usb/usb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_ccid_desc d;
	char s[64];

	if (nd_ccid_find(data, size, &d) == ND_OK) {
		json_object *j = nd_ccid_to_json(&d);
		(void)json_object_to_json_string(j);
		json_object_put(j);
	}
	(void)nd_ccid_parse(data, size, &d);
	if (nd_usb_string_decode(data, size, s, sizeof s) >= 0)
		(void)nd_usb_reader_matches("ACS ACR39U ICC Reader 00 00", s);
	return 0;
}
