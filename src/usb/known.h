/* SPDX-License-Identifier: BSD-2-Clause */
/* The known-device table: readers and tokens nesdoctor knows by USB id.
 * Generated at build time from drivers-notes/devices.tsv (see
 * drivers-notes/README.md); sorted by vendor and product id. */
#ifndef ND_USB_KNOWN_H
#define ND_USB_KNOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nd_usb_kind { ND_USB_READER, ND_USB_TOKEN };

struct nd_usb_known {
	uint16_t vid, pid;
	enum nd_usb_kind kind;
	bool ccid;            /* has a CCID-class interface (else vendor-specific) */
	const char *name;     /* model name for people */
	const char *family;   /* drivers-notes/<family>.md */
	bool libccid;         /* listed by libccid's Info.plist (1.5.2) */
	bool acsccid;         /* listed by acsccid's Info.plist */
};

extern const struct nd_usb_known nd_usb_known[];
extern const size_t nd_usb_known_n;
/* The udev rules file (udev/genrules.awk output), for `setup udev`. */
extern const char nd_udev_rules_text[];

const struct nd_usb_known *nd_usb_known_find(uint16_t vid, uint16_t pid);
/* The Debian package whose driver lists the device ("libccid",
 * "libacsccid1"), or NULL when neither does. */
const char *nd_usb_known_package(const struct nd_usb_known *k);

#endif
