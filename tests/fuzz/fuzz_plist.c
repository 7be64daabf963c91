/* SPDX-License-Identifier: BSD-2-Clause */
/* An IFD bundle's Info.plist, as pcscd's drivers folder may hold it. */
#include <stddef.h>
#include <stdint.h>

#include "usb/plist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_ifd_bundle b = { 0 };
	struct nd_ifd_set set = { 0 };
	struct nd_ifd_claim c[4];
	bool ambiguous;

	(void)nd_plist_parse((const char *)data, size, &b);
	set.b = &b;
	set.n = 1;
	(void)nd_ifd_pick(c, nd_ifd_claims(&set, 0x072F, 0xB100, c, 4), &ambiguous);
	(void)nd_ifd_class_driver(&set);
	nd_ifd_bundle_clear(&b);
	return 0;
}
