/* SPDX-License-Identifier: BSD-2-Clause */
/* USB policy: the udev-rules and USBGuard rules.conf parsers, which policy
 * decides about a device (nd_usb_policy_for), and usb.policy on hand-made
 * inventories for what umockdev cannot stage (a hub's authorized_default). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/opts.h"
#include "core/util.h"
#include "ndtest.h"
#include "usb/usb.h"

static json_object *
parse_udev(const char *t)
{
	return nd_usb_parse_udev_rules_n(t, strlen(t));
}

static void
udev_rules(void **state)
{
	json_object *a = parse_udev("# comment\n"
	    "SUBSYSTEM==\"usb\", MODE=\"0664\"\n"
	    "ACTION==\"add\", ATTR{manufacturer}!=\"SanDisk\", ATTRS{product}!=\"Cruzer\", ATTR{authorized}=\"0\"\r\n"
	    "ATTR{idVendor}==\"072f\", ATTR{idProduct}==\"b1*\", ATTR{authorized}=\"1\"\n"
	    "ATTR{authorized}==\"0\", RUN+=\"/bin/true\"\n"
	    "ATTR{product}==\"unterminated, ATTR{authorized}=\"0\n");
	json_object *r;

	(void)state;
	assert_int_equal(json_object_array_length(a), 2);
	r = json_object_array_get_idx(a, 0);
	assert_int_equal(nd_jint(r, "line", 0), 3);
	assert_int_equal(nd_jint(r, "authorized", -1), 0);
	assert_string_equal(nd_jstr(nd_jobj(nd_jobj(r, "match"), "manufacturer"), "op"), "!=");
	assert_string_equal(nd_jstr(nd_jobj(nd_jobj(r, "match"), "product"), "value"), "Cruzer");
	ndt_has(nd_jstr(r, "rule"), "ATTR{authorized}=\"0\"");
	r = json_object_array_get_idx(a, 1);
	assert_int_equal(nd_jint(r, "authorized", -1), 1);
	assert_string_equal(nd_jstr(nd_jobj(nd_jobj(r, "match"), "idProduct"), "value"), "b1*");
	json_object_put(a);
}

static void
usbguard_rules(void **state)
{
	const char *t = "allow id 1d6b:0002 serial \"0000:00:14.0\" name \"xHCI Host Controller\" with-interface 09:00:00\n"
	    "block id 072f:* name \"ACR39U ICC Reader\"\n"
	    "reject with-interface one-of { 08:*:* 0b:00:00 }\n"
	    "allow id 1d6b:0002\n"
	    "nonsense here\n";
	json_object *a = nd_usb_parse_usbguard_rules_n(t, strlen(t)), *r;

	(void)state;
	assert_int_equal(json_object_array_length(a), 4);
	r = json_object_array_get_idx(a, 0);
	assert_string_equal(nd_jstr(r, "target"), "allow");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(nd_jarr(r, "id"), 0)), "1d6b:0002");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(nd_jarr(r, "name"), 0)), "xHCI Host Controller");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(nd_jarr(r, "serial"), 0)), "0000:00:14.0");
	r = json_object_array_get_idx(a, 2);
	assert_string_equal(nd_jstr(r, "target"), "reject");
	assert_int_equal(json_object_array_length(nd_jarr(r, "with_interface")), 2);
	r = json_object_array_get_idx(a, 3);
	assert_int_equal(nd_jint(r, "line", 0), 4);
	assert_int_equal(json_object_array_length(nd_jarr(r, "id")), 1);
	json_object_put(a);
}

static void
policy_for_device(void **state)
{
	json_object *pol = json_tokener_parse("{\"udev_rules\":[], \"usbguard\":{\"daemon_running\":true,"
	    "\"implicit_policy\":\"block\",\"rules\":[]}}");
	json_object *dev = json_tokener_parse("{\"id\":\"072f:b100\",\"manufacturer\":\"ACS\","
	    "\"product\":\"ACR39U ICC Reader\",\"serial\":\"SN-2\",\"interfaces\":[]}");
	json_object *ud = parse_udev("ATTR{manufacturer}!=\"SanDisk\", ATTR{authorized}=\"0\"\n"
	    "ATTR{product}==\"Cruzer|ACR39U*\", ATTR{serial}==\"SN-2\", ATTR{authorized}=\"1\"\n");
	const char *g = "allow id 1d6b:0002\nallow id 072f:b100 serial \"SN-*\"\n";
	json_object *p;

	(void)state;
	/* no rule: USBGuard's implicit policy */
	p = nd_usb_policy_for(pol, dev);
	assert_string_equal(nd_jstr(nd_jobj(p, "usbguard"), "target"), "block");
	assert_true(nd_jbool(nd_jobj(p, "usbguard"), "implicit", false));
	assert_null(nd_jobj(p, "udev"));
	json_object_put(p);
	/* the second rule allows it, the first one (another id) does not match */
	json_object_object_add(nd_jobj(pol, "usbguard"), "rules", nd_usb_parse_usbguard_rules_n(g, strlen(g)));
	json_object_object_add(pol, "udev_rules", ud);
	p = nd_usb_policy_for(pol, dev);
	assert_string_equal(nd_jstr(nd_jobj(p, "usbguard"), "target"), "allow");
	assert_int_equal(nd_jint(nd_jobj(p, "usbguard"), "line", 0), 2);
	/* udev: the last matching rule wins (the whitelist's allow line) */
	assert_int_equal(nd_jint(nd_jobj(p, "udev"), "line", 0), 2);
	assert_int_equal(nd_jint(nd_jobj(p, "udev"), "authorized", -1), 1);
	json_object_put(p);
	json_object_put(pol);
	json_object_put(dev);
}

static struct nd_opts opts;

static void
hub_default(void **state)
{
	struct nd_report rep;

	(void)state;
	nd_opts_defaults(&opts);
	ndt_report(&rep, &opts, "{\"usb\":[{\"id\":\"072f:b100\",\"name\":\"ACS ACR39U\",\"bus\":3,\"authorized\":false,"
	    "\"manufacturer\":\"ACS\",\"product\":\"ACR39U ICC Reader\",\"serial\":null,\"policy\":{\"udev\":null,\"usbguard\":null}}],"
	    "\"usb_scan\":{\"devices_seen\":3},"
	    "\"usb_policy\":{\"udev_rules\":[],\"usbguard\":{\"daemon_running\":false,\"rules\":[]},"
	    "\"hubs\":[{\"hub\":\"usb3\",\"authorized_default\":0}]}}");
	ndt_evaluate(&rep, ND_LAYER_USB);
	ndt_expect(&rep, "usb.policy", ND_FAIL, "USB bus 3 does not trust new devices (usb3's authorized_default is 0)",
	    "serial \"?\" (USB id 072f:b100)");
	nd_report_reset(&rep);
	/* nothing plugged in, the hub would block a reader: info */
	ndt_report(&rep, &opts, "{\"usb\":[],\"usb_scan\":{\"devices_seen\":3},"
	    "\"usb_policy\":{\"udev_rules\":[],\"usbguard\":{\"daemon_running\":false,\"rules\":[]},"
	    "\"hubs\":[{\"hub\":\"usb3\",\"authorized_default\":0}]}}");
	ndt_evaluate(&rep, ND_LAYER_USB);
	ndt_expect(&rep, "usb.policy", ND_INFO, "usb3 does not trust new devices", NULL);
	nd_report_reset(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(udev_rules),
		cmocka_unit_test(usbguard_rules),
		cmocka_unit_test(policy_for_device),
		cmocka_unit_test(hub_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
