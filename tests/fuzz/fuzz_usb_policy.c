/* SPDX-License-Identifier: BSD-2-Clause */
/* USB policy files: udev rules (Lider Ahenk's, any other) and USBGuard's
 * rules.conf, then the match of the rules against one device. */
#include <stddef.h>
#include <stdint.h>

#include "usb/usb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *pol = json_object_new_object(), *guard = json_object_new_object(), *p;
	json_object *dev = json_tokener_parse("{\"id\":\"072f:b100\",\"manufacturer\":\"ACS\","
	    "\"product\":\"ACR39U ICC Reader\",\"serial\":\"1\",\"interfaces\":[{\"class\":11}]}");

	json_object_object_add(pol, "udev_rules", nd_usb_parse_udev_rules_n(data, size));
	json_object_object_add(guard, "rules", nd_usb_parse_usbguard_rules_n(data, size));
	json_object_object_add(guard, "daemon_running", json_object_new_boolean(1));
	json_object_object_add(pol, "usbguard", guard);
	p = nd_usb_policy_for(pol, dev);
	json_object_put(p);
	json_object_put(dev);
	json_object_put(pol);
	return 0;
}
