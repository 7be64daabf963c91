/* SPDX-License-Identifier: BSD-2-Clause */
/* CCID class descriptor decoding. The bytes come from the device: every read
 * goes through the cursor, and nothing is trusted about bLength. */
#include <stdio.h>

#include "core/buf.h"
#include "usb/ccid.h"

nd_err
nd_ccid_parse(const uint8_t *p, size_t len, struct nd_ccid_desc *out)
{
	struct nd_cur c;
	struct nd_ccid_desc d = { 0 };
	uint8_t blen = 0, type = 0;
	nd_err err = ND_ERR_PARSE;

	nd_cur_init(&c, p, len);
	if (!nd_cur_u8(&c, &blen) || !nd_cur_u8(&c, &type)) {
		err = ND_ERR_TRUNCATED;
		goto fail;
	}
	if (type != ND_CCID_DESC_TYPE || blen < ND_CCID_DESC_LEN)
		goto fail;
	if (len < blen) {
		err = ND_ERR_TRUNCATED;
		goto fail;
	}
	nd_cur_u16le(&c, &d.bcd_ccid);
	nd_cur_u8(&c, &d.max_slot_index);
	nd_cur_u8(&c, &d.voltage_support);
	nd_cur_u32le(&c, &d.protocols);
	nd_cur_u32le(&c, &d.default_clock);
	nd_cur_u32le(&c, &d.max_clock);
	nd_cur_u8(&c, &d.num_clocks);
	nd_cur_u32le(&c, &d.data_rate);
	nd_cur_u32le(&c, &d.max_data_rate);
	nd_cur_u8(&c, &d.num_data_rates);
	nd_cur_u32le(&c, &d.max_ifsd);
	nd_cur_u32le(&c, &d.synch_protocols);
	nd_cur_u32le(&c, &d.mechanical);
	nd_cur_u32le(&c, &d.features);
	nd_cur_u32le(&c, &d.max_message_length);
	nd_cur_u8(&c, &d.class_get_response);
	nd_cur_u8(&c, &d.class_envelope);
	nd_cur_u16le(&c, &d.lcd_layout);
	nd_cur_u8(&c, &d.pin_support);
	nd_cur_u8(&c, &d.max_busy_slots);
	if (!nd_cur_ok(&c)) {   /* cannot happen after the length check; kept as the guard */
		err = ND_ERR_TRUNCATED;
		goto fail;
	}
	*out = d;
	err = ND_OK;
fail:
	return err;
}

nd_err
nd_ccid_find(const uint8_t *extra, size_t len, struct nd_ccid_desc *out)
{
	struct nd_cur c;
	nd_err err = ND_ERR_NOT_FOUND;

	nd_cur_init(&c, extra, len);
	while (nd_cur_left(&c) > 0) {
		const uint8_t *d;
		uint8_t blen, type;

		if (nd_cur_left(&c) < 2) {
			err = ND_ERR_TRUNCATED;
			goto fail;
		}
		blen = c.p[0];
		type = c.p[1];
		if (blen < 2) {   /* would loop forever or read nothing */
			err = ND_ERR_PARSE;
			goto fail;
		}
		if (!nd_cur_view(&c, &d, blen)) {
			err = ND_ERR_TRUNCATED;
			goto fail;
		}
		if (type == ND_CCID_DESC_TYPE) {
			err = nd_ccid_parse(d, blen, out);
			goto fail;
		}
	}
fail:
	return err;
}

const char *
nd_ccid_exchange_level(uint32_t features)
{
	if (features & 0x00040000)
		return "extended_apdu";
	if (features & 0x00020000)
		return "short_apdu";
	if (features & 0x00010000)
		return "tpdu";
	return "character";
}

static void
add_flags(json_object *o, const char *key, uint32_t v, const uint32_t *bits,
          const char *const *names, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		if (v & bits[i])
			json_object_array_add(a, json_object_new_string(names[i]));
	json_object_object_add(o, key, a);
}

json_object *
nd_ccid_to_json(const struct nd_ccid_desc *d)
{
	static const uint32_t vbits[] = { 1, 2, 4 };
	static const char *const vnames[] = { "5V", "3V", "1.8V" };
	static const uint32_t pbits[] = { 1, 2 };
	static const char *const pnames[] = { "T=0", "T=1" };
	/* dwFeatures, CCID rev 1.1 table 5.1-1 */
	static const uint32_t fbits[] = { 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100,
	    0x200, 0x400, 0x100000 };
	static const char *const fnames[] = { "auto_config_atr", "auto_activation",
	    "auto_voltage", "auto_clock", "auto_baud", "auto_negotiation", "auto_pps",
	    "clock_stop", "nad", "auto_ifsd", "usb_wakeup" };
	json_object *o = json_object_new_object(), *pin = json_object_new_object();
	char buf[16];

	snprintf(buf, sizeof buf, "%x.%02x", d->bcd_ccid >> 8, d->bcd_ccid & 0xff);
	json_object_object_add(o, "bcd_ccid", json_object_new_string(buf));
	json_object_object_add(o, "max_slot_index", json_object_new_int(d->max_slot_index));
	add_flags(o, "voltages", d->voltage_support, vbits, vnames, 3);
	add_flags(o, "protocols", d->protocols, pbits, pnames, 2);
	json_object_object_add(o, "default_clock_khz", json_object_new_int64(d->default_clock));
	json_object_object_add(o, "max_clock_khz", json_object_new_int64(d->max_clock));
	json_object_object_add(o, "max_data_rate_bps", json_object_new_int64(d->max_data_rate));
	json_object_object_add(o, "max_ifsd", json_object_new_int64(d->max_ifsd));
	snprintf(buf, sizeof buf, "0x%08X", (unsigned)d->features);
	json_object_object_add(o, "features", json_object_new_string(buf));
	add_flags(o, "feature_names", d->features, fbits, fnames, sizeof fbits / sizeof fbits[0]);
	json_object_object_add(o, "exchange_level",
	    json_object_new_string(nd_ccid_exchange_level(d->features)));
	json_object_object_add(o, "max_message_length", json_object_new_int64(d->max_message_length));
	json_object_object_add(pin, "verify", json_object_new_boolean(d->pin_support & 1));
	json_object_object_add(pin, "modify", json_object_new_boolean((d->pin_support & 2) != 0));
	json_object_object_add(o, "pin_pad", pin);
	if (d->lcd_layout) {
		snprintf(buf, sizeof buf, "%ux%u", d->lcd_layout >> 8, d->lcd_layout & 0xff);
		json_object_object_add(o, "lcd", json_object_new_string(buf));
	} else
		json_object_object_add(o, "lcd", NULL);
	json_object_object_add(o, "max_busy_slots", json_object_new_int(d->max_busy_slots));
	return o;
}
