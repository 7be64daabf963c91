/* SPDX-License-Identifier: BSD-2-Clause */
/* The usb collector: gathers facts into the report's inventory, nothing else. */
#ifndef ND_USB_H
#define ND_USB_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"
#include "report/report.h"

/* Add this layer's facts to rep->inventory. Bounded by rep->opts->timeout_s.
 * Errors are facts too: they go into the inventory, and the return value
 * only says whether collecting itself could run.
 *
 *   inventory.usb[]        one object per smart-card device (class 0x0B
 *                          interface, or in the known-device table)
 *   inventory.usb_scan     libusb version, devices seen, error
 *   inventory.ifd_drivers  the installed IFD bundles pcscd can load
 *
 * Environment (documented in README.md): NESDOCTOR_PCSC_DRIVERS (drivers
 * folder), NESDOCTOR_SYSFS (sysfs root), NESDOCTOR_PCSCD_LOG (a pcscd log
 * file read instead of the journal). */
nd_err nd_usb_collect(struct nd_report *rep);

/* A USB string descriptor (bLength, 3, UTF-16LE) as printable ASCII into
 * out (non-ASCII characters become '?'). Returns the length, or -1 when the
 * bytes are not a string descriptor. */
long nd_usb_string_decode(const uint8_t *p, size_t n, char *out, size_t outsz);

/* Does a PC/SC reader name belong to a device known under `name`? pcscd
 * names readers "<ifdFriendlyName>[ [interface]][ (serial)] NN MM". */
int nd_usb_reader_matches(const char *reader, const char *name);

/* USB policy (policy.c). Pure parsers, run by fuzz_usb_policy:
 * udev rules text -> [{"line", "authorized": 0|1, "match": {attr: {"op",
 * "value"}}, "rule"}], the lines that set ATTR{authorized}, with their
 * matches on manufacturer, product, serial, idVendor, idProduct;
 * USBGuard rules.conf -> [{"line", "target", "id": [], "name": [],
 * "serial": [], "with_interface": [], "rule"}]. */
json_object *nd_usb_parse_udev_rules_n(const void *p, size_t n);
json_object *nd_usb_parse_usbguard_rules_n(const void *p, size_t n);
/* inventory.usb_policy: {"udev_rules", "usbguard", "hubs"}, from
 * NESDOCTOR_UDEV_RULES_DIR (/etc/udev/rules.d), NESDOCTOR_USBGUARD_RULES
 * (/etc/usbguard/rules.conf, usbguard-daemon.conf beside it) and the root
 * hubs' authorized_default under sysfs. */
json_object *nd_usb_policy_collect(const char *sysfs);
/* Which policy decides about one device of inventory.usb: {"udev": the
 * last matching rule that sets authorized, or null; "usbguard": {"target",
 * "line", "rule", "implicit"} when USBGuard runs or has rules, or null}. */
json_object *nd_usb_policy_for(json_object *policy, json_object *dev);

#endif
