/* SPDX-License-Identifier: BSD-2-Clause */
/* The CCID class descriptor (USB CCID rev 1.1, section 5.1), decoded from
 * the class-specific bytes a device sends after its interface descriptor. */
#ifndef ND_USB_CCID_H
#define ND_USB_CCID_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"

#define ND_CCID_DESC_TYPE 0x21
#define ND_CCID_DESC_LEN 54

struct nd_ccid_desc {
	uint16_t bcd_ccid;
	uint8_t max_slot_index;
	uint8_t voltage_support;     /* 1: 5 V, 2: 3 V, 4: 1.8 V */
	uint32_t protocols;          /* bit 0: T=0, bit 1: T=1 */
	uint32_t default_clock, max_clock;   /* kHz */
	uint8_t num_clocks;
	uint32_t data_rate, max_data_rate;   /* bps */
	uint8_t num_data_rates;
	uint32_t max_ifsd;
	uint32_t synch_protocols, mechanical, features;
	uint32_t max_message_length;
	uint8_t class_get_response, class_envelope;
	uint16_t lcd_layout;         /* lines << 8 | characters; 0: no display */
	uint8_t pin_support;         /* 1: verify, 2: modify */
	uint8_t max_busy_slots;
};

/* Decode one CCID class descriptor (bLength bytes starting at p). */
nd_err nd_ccid_parse(const uint8_t *p, size_t len, struct nd_ccid_desc *out);
/* Walk a run of descriptors (libusb's "extra" bytes) and decode the CCID one.
 * ND_ERR_NOT_FOUND when there is none; ND_ERR_TRUNCATED / ND_ERR_PARSE for
 * broken bytes (a descriptor longer than what is left, bLength < 2, a CCID
 * descriptor shorter than 54 bytes). */
nd_err nd_ccid_find(const uint8_t *extra, size_t len, struct nd_ccid_desc *out);

/* "character", "tpdu", "short_apdu", "extended_apdu" from dwFeatures. */
const char *nd_ccid_exchange_level(uint32_t features);
/* The decoded descriptor as JSON for the inventory (new reference). */
json_object *nd_ccid_to_json(const struct nd_ccid_desc *d);

#endif
