/* SPDX-License-Identifier: BSD-2-Clause */
/* What card is this? From its ATR: our own table of the cards that matter
 * here (AKIS, the Turkish ID card), then pcsc-tools' smartcard_list.txt for
 * everything else, read at run time when it is installed. */
#ifndef ND_PCSC_CARDID_H
#define ND_PCSC_CARDID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"
#include "pcsc/atr.h"

/* Card families, as they appear in the JSON ("family"). Stable names. */
#define ND_FAMILY_AKIS_UEKAE "akis_uekae"  /* older AKIS, "UEKAE" in the historical bytes */
#define ND_FAMILY_AKIS_TC "akis_tc"        /* newer AKIS (2020 on); shares its ATR with the TCKK */
#define ND_FAMILY_AKIS_V1 "akis_v1"        /* AKIS v1.0 */
#define ND_FAMILY_AKIS "akis"              /* "UEKAE" somewhere in the ATR, no known layout */
#define ND_FAMILY_TCKK "tckk"              /* Turkish ID card, when another layer has told it apart */
#define ND_FAMILY_UNKNOWN "unknown"

struct nd_card_id {
	const char *family;          /* one of ND_FAMILY_* */
	const char *name;            /* English, for the JSON */
	const char *ambiguous_with;  /* a family the ATR cannot rule out, or NULL */
	const char *matched_by;      /* which table row: "historical bytes", ... */
};

/* Identify from a parsed ATR (a damaged ATR may still match). */
void nd_card_identify(const struct nd_atr *a, struct nd_card_id *id);

/* Any AKIS family (akis, akis_uekae, akis_tc, akis_v1)? */
bool nd_card_family_is_akis(const char *family);
/* A translated label for people ("AKIS card (TC family)"); ambiguous: the
 * card may also be its ambiguous_with (said in the label). */
const char *nd_card_label(const char *family, bool ambiguous);

/* pcsc-tools' smartcard_list.txt: "ATR regular expression" lines, each
 * followed by tab-indented descriptions. Outside bytes: parsed with limits,
 * descriptions cleaned to printable UTF-8. */
struct nd_cardlist;

#define ND_CARDLIST_MAX_BYTES (8u << 20)
#define ND_CARDLIST_MAX_ENTRIES 100000
#define ND_CARDLIST_MAX_PATTERN 512
#define ND_CARDLIST_MAX_DESC 3       /* descriptions kept per entry */
#define ND_CARDLIST_DESC_LEN 200     /* bytes kept per description */

/* The file to read: $NESDOCTOR_SMARTCARD_LIST if set (tests; "" for none),
 * else /usr/share/pcsc/smartcard_list.txt. */
const char *nd_cardlist_path(void);
/* ND_ERR_NOT_FOUND when the file is absent (pcsc-tools not installed). */
nd_err nd_cardlist_load(const char *path, struct nd_cardlist **out);
nd_err nd_cardlist_parse(const uint8_t *p, size_t n, struct nd_cardlist **out);
size_t nd_cardlist_count(const struct nd_cardlist *l);
/* Descriptions of the entries whose pattern matches the ATR, as a new JSON
 * array of strings, or NULL when none matches. */
json_object *nd_cardlist_match(const struct nd_cardlist *l, const uint8_t *atr, size_t n);
void nd_cardlist_free(struct nd_cardlist **lp);   /* frees, *lp = NULL */

/* The pattern language of smartcard_list.txt, matched against an ATR
 * written as "3B 9F 96 ..." (upper case), anchored at both ends: literal
 * characters, ".", "[...]" classes (ranges, "^" negation) and "*" after any
 * of them. Returns -1 for a pattern using anything else. Time is bounded by
 * pattern length x text length (no backtracking). */
int nd_atr_pattern_match(const char *pattern, const char *text);

/* Printable UTF-8 from outside bytes: invalid sequences and control
 * characters become '?', at most max bytes (cut on a character boundary).
 * Returns a malloc'ed string. */
char *nd_pcsc_printable(const uint8_t *p, size_t n, size_t max);

#endif
