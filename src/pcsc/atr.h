/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO/IEC 7816-3 Answer To Reset: TS, T0, interface bytes, historical bytes,
 * TCK. The bytes come from the card through a reader and pcscd: outside
 * bytes, read only through struct nd_cur. A malformed ATR is a finding
 * (problems below), never a crash. */
#ifndef ND_PCSC_ATR_H
#define ND_PCSC_ATR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"

#define ND_ATR_MAX 33          /* ISO 7816-3: TS + 32 bytes */
#define ND_ATR_MAX_LEVELS 8    /* interface byte groups i = 1..8 */

/* What is wrong with an ATR (bit mask). */
enum nd_atr_problem {
	ND_ATR_EMPTY = 1 << 0,         /* no bytes at all */
	ND_ATR_BAD_TS = 1 << 1,        /* TS is neither 3B (direct) nor 3F (inverse) */
	ND_ATR_TRUNCATED = 1 << 2,     /* ends inside the interface or historical bytes */
	ND_ATR_TCK_MISSING = 1 << 3,   /* TCK required (a protocol other than T=0) but absent */
	ND_ATR_TCK_BAD = 1 << 4,       /* XOR of T0..TCK is not 0 */
	ND_ATR_EXTRA_BYTES = 1 << 5,   /* bytes after the end (T=0 only, so no TCK expected) */
	ND_ATR_TOO_LONG = 1 << 6,      /* more than 33 bytes */
	ND_ATR_TOO_MANY_LEVELS = 1 << 7, /* TDi chain longer than we follow */
};

enum nd_atr_tck { ND_TCK_ABSENT, ND_TCK_OK, ND_TCK_BAD, ND_TCK_MISSING };

struct nd_atr_iface {
	bool has_ta, has_tb, has_tc, has_td;
	uint8_t ta, tb, tc, td;
};

struct nd_atr {
	uint8_t raw[64];         /* the bytes as received (first 64) */
	size_t len;              /* how many were received (may exceed 64) */
	uint8_t ts, t0;
	struct nd_atr_iface ib[ND_ATR_MAX_LEVELS]; /* ib[0] is TA1..TD1 */
	size_t levels;           /* interface groups read */
	uint16_t protocols;      /* bit T set for each T=T offered (T=0 when none said) */
	int first_protocol;      /* T of TD1, or 0 when TD1 is absent */
	uint8_t hist[15];
	size_t hist_len;         /* historical bytes actually present */
	size_t hist_expected;    /* K, from T0 */
	enum nd_atr_tck tck;
	uint8_t tck_value;
	unsigned problems;       /* enum nd_atr_problem */
};

/* Parse n bytes. Always fills *a as far as the bytes go. Returns ND_OK for
 * a well-formed ATR, ND_ERR_TRUNCATED when it ends too early, ND_ERR_PARSE
 * for any other problem (a->problems says which). */
nd_err nd_atr_parse(const uint8_t *p, size_t n, struct nd_atr *a);

/* Stable names of the problem bits, for JSON ("truncated", "tck_bad", ...):
 * calls fn for each bit set. */
const char *nd_atr_problem_name(enum nd_atr_problem p);

/* The parsed ATR as a JSON object (new reference): ts, convention,
 * protocols, interface bytes, historical bytes (hex, and the compact-TLV
 * objects of category 80 when they parse), tck, problems, valid. */
json_object *nd_atr_to_json(const struct nd_atr *a);

#endif
