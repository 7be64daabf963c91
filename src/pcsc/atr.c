/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO/IEC 7816-3 ATR parser. Reads only through struct nd_cur; keeps going
 * as far as the bytes allow so that a damaged ATR still tells what it can. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "pcsc/atr.h"

/* Every byte after TS goes through rd(): it keeps the XOR for the TCK check
 * (T0 .. TCK) and marks the ATR truncated when the bytes run out. */
struct reader {
	struct nd_cur c;
	uint8_t x;
	unsigned *problems;
};

static bool
rd(struct reader *r, uint8_t *v)
{
	if (!nd_cur_u8(&r->c, v)) {
		*r->problems |= ND_ATR_TRUNCATED;
		return false;
	}
	r->x ^= *v;
	return true;
}

/* TA, TB and TC of one group: those y says follow. */
static bool
group(struct reader *r, struct nd_atr_iface *ib, uint8_t y)
{
	if ((y & 1) && !(ib->has_ta = rd(r, &ib->ta)))
		return false;
	if ((y & 2) && !(ib->has_tb = rd(r, &ib->tb)))
		return false;
	if ((y & 4) && !(ib->has_tc = rd(r, &ib->tc)))
		return false;
	return true;
}

/* The interface bytes: TDi says which of TA(i+1)..TD(i+1) follow, y those
 * of the first group (from T0). *need_tck is set as each TD is read, so it
 * holds on a truncated ATR too. Returns false when the ATR ends in them or
 * has too many groups. */
static bool
interface_bytes(struct reader *r, struct nd_atr *a, uint8_t y, bool *need_tck)
{
	for (size_t i = 0;; i++) {
		struct nd_atr_iface *ib;

		/* TD8 may end the chain (Y9 = 0): only a ninth group is too many */
		if (i == ND_ATR_MAX_LEVELS && y == 0)
			return true;
		if (i == ND_ATR_MAX_LEVELS) {
			a->problems |= ND_ATR_TOO_MANY_LEVELS;
			return false;
		}
		ib = &a->ib[i];
		a->levels = i + 1;
		if (!group(r, ib, y))
			return false;
		if (!(y & 8))
			return true;
		if (!(ib->has_td = rd(r, &ib->td)))
			return false;
		a->protocols |= (uint16_t)(1u << (ib->td & 0x0F));
		if (i == 0)
			a->first_protocol = ib->td & 0x0F;
		/* ISO 7816-3: the TCK is absent only when T=0 alone is indicated */
		if ((ib->td & 0x0F) != 0)
			*need_tck = true;
		y = ib->td >> 4;
	}
}

/* The check byte: checked when needed, else absent by rule. */
static void
check_tck(struct reader *r, struct nd_atr *a, bool need_tck)
{
	if (need_tck) {
		/* not rd(): a missing TCK is its own finding, not a truncation */
		if (nd_cur_u8(&r->c, &a->tck_value))
			a->tck = (r->x ^ a->tck_value) == 0 ? ND_TCK_OK : ND_TCK_BAD;
		else
			a->tck = ND_TCK_MISSING;
	} else
		a->tck = ND_TCK_ABSENT;
	if (a->tck == ND_TCK_BAD)
		a->problems |= ND_ATR_TCK_BAD;
	if (a->tck == ND_TCK_MISSING)
		a->problems |= ND_ATR_TCK_MISSING;
}

nd_err
nd_atr_parse(const uint8_t *p, size_t n, struct nd_atr *a)
{
	struct reader r;
	struct nd_cur raw;
	uint8_t y, k, v;
	bool need_tck = false;
	nd_err rv = ND_ERR_PARSE;

	memset(a, 0, sizeof *a);
	a->len = n;
	nd_cur_init(&raw, p, n);
	if (n)   /* no pointer arithmetic on an empty (maybe NULL) buffer */
		nd_cur_take(&raw, a->raw, n < sizeof a->raw ? n : sizeof a->raw);

	nd_cur_init(&r.c, p, n);
	r.x = 0;
	r.problems = &a->problems;
	if (!nd_cur_u8(&r.c, &a->ts)) {
		a->problems |= ND_ATR_EMPTY;
		goto fail;
	}
	if (a->ts != 0x3B && a->ts != 0x3F)
		a->problems |= ND_ATR_BAD_TS;
	if (n > ND_ATR_MAX)
		a->problems |= ND_ATR_TOO_LONG;
	if (!rd(&r, &a->t0))
		goto fail;
	y = a->t0 >> 4;
	k = a->t0 & 0x0F;
	a->hist_expected = k;

	if (!interface_bytes(&r, a, y, &need_tck))
		goto fail;

	while (a->hist_len < k && rd(&r, &v))
		a->hist[a->hist_len++] = v;
	if (a->hist_len < k)
		goto fail;

	check_tck(&r, a, need_tck);
	if (nd_cur_left(&r.c) > 0)
		a->problems |= ND_ATR_EXTRA_BYTES;
	if (a->problems)
		goto fail;
	rv = ND_OK;
fail:
	if (a->problems & ND_ATR_TRUNCATED) {
		rv = ND_ERR_TRUNCATED;
		if (need_tck)
			a->tck = ND_TCK_MISSING;
	}
	if (!a->protocols)
		a->protocols = 1;   /* no TD1: T=0 */
	return rv;
}

const char *
nd_atr_problem_name(enum nd_atr_problem p)
{
	switch (p) {
	case ND_ATR_EMPTY: return "empty";
	case ND_ATR_BAD_TS: return "bad_ts";
	case ND_ATR_TRUNCATED: return "truncated";
	case ND_ATR_TCK_MISSING: return "tck_missing";
	case ND_ATR_TCK_BAD: return "tck_bad";
	case ND_ATR_EXTRA_BYTES: return "extra_bytes";
	case ND_ATR_TOO_LONG: return "too_long";
	case ND_ATR_TOO_MANY_LEVELS: return "too_many_levels";
	}
	return "unknown";
}

static void
add_hex(json_object *o, const char *key, const uint8_t *p, size_t n)
{
	char *h = nd_hex(p, n);

	json_object_object_add(o, key, json_object_new_string(h));
	free(h);
}

static void
add_byte(json_object *o, const char *key, uint8_t b)
{
	add_hex(o, key, &b, 1);
}

/* Historical bytes of category 80 (and 00) are COMPACT-TLV: a tag nibble and
 * a length nibble, then the value. NULL when they do not parse. */
static json_object *
compact_tlv(const uint8_t *p, size_t n)
{
	struct nd_cur c;
	json_object *arr = json_object_new_array();
	uint8_t cat, tl;

	nd_cur_init(&c, p, n);
	if (!nd_cur_u8(&c, &cat))
		goto fail;
	if (cat == 0x00) {
		/* the last three bytes are the status indicator, not TLV */
		if (n < 4)
			goto fail;
		nd_cur_init(&c, p + 1, n - 4);
	} else if (cat != 0x80)
		goto fail;
	while (nd_cur_left(&c) > 0) {
		const uint8_t *val;
		json_object *e;
		char tag[4];

		if (!nd_cur_u8(&c, &tl) || !nd_cur_view(&c, &val, tl & 0x0F))
			goto fail;
		e = json_object_new_object();
		snprintf(tag, sizeof tag, "%X", tl >> 4);
		json_object_object_add(e, "tag", json_object_new_string(tag));
		add_hex(e, "value", val, tl & 0x0F);
		json_object_array_add(arr, e);
	}
	return arr;
fail:
	json_object_put(arr);
	return NULL;
}

json_object *
nd_atr_to_json(const struct nd_atr *a)
{
	json_object *o = json_object_new_object(), *prot = json_object_new_array();
	json_object *ifc = json_object_new_array(), *probs = json_object_new_array(), *tlv;
	static const char *tck_names[] = { "absent", "ok", "bad", "missing" };

	if (a->len == 0) {
		json_object_put(prot);
		json_object_put(ifc);
		json_object_array_add(probs, json_object_new_string(nd_atr_problem_name(ND_ATR_EMPTY)));
		json_object_object_add(o, "valid", json_object_new_boolean(0));
		json_object_object_add(o, "problems", probs);
		return o;
	}
	json_object_object_add(o, "valid", json_object_new_boolean(a->problems == 0));
	for (unsigned bit = 1; bit <= ND_ATR_TOO_MANY_LEVELS; bit <<= 1)
		if (a->problems & bit)
			json_object_array_add(probs, json_object_new_string(nd_atr_problem_name((enum nd_atr_problem)bit)));
	json_object_object_add(o, "problems", probs);
	add_byte(o, "ts", a->ts);
	json_object_object_add(o, "convention", json_object_new_string(
	    a->ts == 0x3B ? "direct" : a->ts == 0x3F ? "inverse" : "invalid"));
	if (a->len < 2) {
		json_object_put(prot);
		json_object_put(ifc);
		return o;
	}
	add_byte(o, "t0", a->t0);
	for (int t = 0; t < 16; t++) {
		char s[8];
		if (!(a->protocols & (1u << t)))
			continue;
		snprintf(s, sizeof s, "T=%d", t);
		json_object_array_add(prot, json_object_new_string(s));
	}
	json_object_object_add(o, "protocols", prot);
	for (size_t i = 0; i < a->levels; i++) {
		const struct nd_atr_iface *ib = &a->ib[i];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "i", json_object_new_int((int)i + 1));
		if (ib->has_ta)
			add_byte(e, "ta", ib->ta);
		if (ib->has_tb)
			add_byte(e, "tb", ib->tb);
		if (ib->has_tc)
			add_byte(e, "tc", ib->tc);
		if (ib->has_td)
			add_byte(e, "td", ib->td);
		json_object_array_add(ifc, e);
	}
	json_object_object_add(o, "interface", ifc);
	add_hex(o, "historical", a->hist, a->hist_len);
	if (a->hist_len == a->hist_expected && (tlv = compact_tlv(a->hist, a->hist_len)))
		json_object_object_add(o, "historical_tlv", tlv);
	json_object_object_add(o, "tck", json_object_new_string(tck_names[a->tck]));
	return o;
}
