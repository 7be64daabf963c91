/* SPDX-License-Identifier: BSD-2-Clause */
/* The child-to-parent message decoder: arbitrary bytes, split arbitrarily. */
#include <stddef.h>
#include <stdint.h>

#include "core/isolate.h"

static bool
take(json_object *msg, void *ctx)
{
	(void)ctx;
	(void)json_object_to_json_string(msg);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_chan_decoder d = { 0 };
	size_t split = size ? data[0] % (size + 1) : 0;

	if (nd_chan_decode(&d, data, split, take, NULL) == ND_OK)
		(void)nd_chan_decode(&d, data + split, size - split, take, NULL);
	nd_chan_decoder_reset(&d);
	return 0;
}
