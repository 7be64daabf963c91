/* SPDX-License-Identifier: BSD-2-Clause */
/* Card identification from the ATR: the table of the cards that matter for
 * a Turkish NES. Extend the table, not the code. */
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "pcsc/cardid.h"

enum match_on {
	MATCH_HIST,       /* the historical bytes, exactly this long */
	MATCH_CONTAINS,   /* these bytes anywhere in the ATR */
};

/* Patterns are hex bytes, ".." matches any byte, "6." any byte whose
 * high nibble is 6.
 *
 * Sources: Kamu SM's published AKIS ATRs and the AKIS cards seen in the
 * field (tests/pcsc/test_pcsc_atr.c holds them).
 *
 * The TC family is the same chip and operating system family as the
 * Turkish identity card (TCKK): the ATR cannot tell them apart, so the row
 * says so (ambiguous_with) and the PKCS#11 layer decides by the token.
 * There is deliberately no "TCKK" row: an ATR that some lists call an ID
 * card differs from NES cards only in version bytes, and calling a person's
 * NES card an ID card would send them away with the right card in hand. */
static const struct card_row {
	enum match_on on;
	const char *pattern;
	const char *family;
	const char *name;
	const char *ambiguous_with;
} card_table[] = {
	/* 3B BA 11 00 81 31 FE 4D 55 45 4B 41 45 20 56 31 2E 30 AE: "UEKAE V1.0" */
	{ MATCH_HIST, "55 45 4B 41 45 20 56 31 2E 30", ND_FAMILY_AKIS_V1, "AKIS v1.0", NULL },
	/* e.g. 3B 9F 96 81 31 FE 45 80 67 55 45 4B 41 45 12 12 31 80 73 B3 A1 80 EA (AKIS v1.2).
	 * Other Turkish card operating systems (UKiS 1.2.1) share this layout;
	 * what tells AKIS apart is the byte after "UEKAE 12": its high nibble
	 * is 1, 2, 5 or 9 on AKIS (v1.2, eID, v1.2.1, v1.2.2 and v1.3) and 6 on
	 * UKiS (drivers-notes/akis.md, from pcsc-tools' smartcard_list.txt). */
	{ MATCH_HIST, "80 67 55 45 4B 41 45 12 1. 31 80 73 B3 A1 80", ND_FAMILY_AKIS_UEKAE,
	  "AKIS (UEKAE family)", NULL },
	{ MATCH_HIST, "80 67 55 45 4B 41 45 12 2. 31 80 73 B3 A1 80", ND_FAMILY_AKIS_UEKAE,
	  "AKIS (UEKAE family)", NULL },
	{ MATCH_HIST, "80 67 55 45 4B 41 45 12 5. 31 80 73 B3 A1 80", ND_FAMILY_AKIS_UEKAE,
	  "AKIS (UEKAE family)", NULL },
	{ MATCH_HIST, "80 67 55 45 4B 41 45 12 9. 31 80 73 B3 A1 80", ND_FAMILY_AKIS_UEKAE,
	  "AKIS (UEKAE family)", NULL },
	/* the same layout, not AKIS: unknown (smartcard_list.txt names it) */
	{ MATCH_HIST, "80 67 55 45 4B 41 45 .. .. 31 80 73 B3 A1 80", ND_FAMILY_UNKNOWN,
	  "Unknown card (UEKAE layout, not AKIS)", NULL },
	/* e.g. 3B 9F 97 81 31 FE 45 80 65 54 43 D3 23 02 31 C0 73 F6 21 80 81 05 52 */
	{ MATCH_HIST, "80 65 54 43 .. .. .. 31 C0 73 F6 21 80 81 ..", ND_FAMILY_AKIS_TC,
	  "AKIS (TC family) or Turkish ID card (TCKK)", ND_FAMILY_TCKK },
	/* any ATR with the ASCII bytes "UEKAE" (TÜBİTAK UEKAE made AKIS) */
	{ MATCH_CONTAINS, "55 45 4B 41 45", ND_FAMILY_AKIS, "AKIS", NULL },
};

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Compare bytes against a pattern of "XX" and ".." separated by spaces (the
 * patterns are ours, upper case). */
static bool
pattern_at(const char *pat, const uint8_t *p, size_t n, size_t *plen)
{
	size_t k = 0;

	for (const char *s = pat; *s;) {
		int hi, lo;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (k >= n)
			return false;
		if (s[0] == '.' && s[1] == '.') {
			s += 2;
			k++;
			continue;
		}
		hi = hexval(s[0]);
		if (hi >= 0 && s[1] == '.') {   /* a nibble: "6." */
			if (p[k] >> 4 != hi)
				return false;
			s += 2;
			k++;
			continue;
		}
		lo = s[1] ? hexval(s[1]) : -1;
		if (hi < 0 || lo < 0 || p[k] != (uint8_t)(hi << 4 | lo))
			return false;
		s += 2;
		k++;
	}
	*plen = k;
	return true;
}

static size_t
pattern_len(const char *pat)
{
	size_t k = 0;

	for (const char *s = pat; *s; s++)
		if (*s != ' ' && (s == pat || s[-1] == ' '))
			k++;
	return k;
}

void
nd_card_identify(const struct nd_atr *a, struct nd_card_id *id)
{
	size_t len = a->len < sizeof a->raw ? a->len : sizeof a->raw;

	memset(id, 0, sizeof *id);
	id->family = ND_FAMILY_UNKNOWN;
	id->name = "Unknown card";
	for (size_t i = 0; i < sizeof card_table / sizeof card_table[0]; i++) {
		const struct card_row *row = &card_table[i];
		size_t plen = 0;
		bool hit = false;

		if (row->on == MATCH_HIST) {
			hit = a->hist_len == pattern_len(row->pattern) &&
			    pattern_at(row->pattern, a->hist, a->hist_len, &plen);
			id->matched_by = "historical bytes";
		} else {
			for (size_t off = 0; !hit && off < len; off++)
				hit = pattern_at(row->pattern, a->raw + off, len - off, &plen);
			id->matched_by = "ATR bytes";
		}
		if (hit && strcmp(row->family, ND_FAMILY_UNKNOWN) == 0) {
			id->name = row->name;
			id->matched_by = NULL;
			return;
		}
		if (hit) {
			id->family = row->family;
			id->name = row->name;
			id->ambiguous_with = row->ambiguous_with;
			return;
		}
	}
	id->matched_by = NULL;
}

bool
nd_card_family_is_akis(const char *family)
{
	return family && strncmp(family, "akis", 4) == 0;
}

const char *
nd_card_label(const char *family, bool ambiguous)
{
	if (!family)
		return _("unknown card");
	if (strcmp(family, ND_FAMILY_AKIS_UEKAE) == 0)
		return _("AKIS card (UEKAE family)");
	if (strcmp(family, ND_FAMILY_AKIS_TC) == 0)
		return ambiguous ? _("AKIS card (TC family) or Turkish ID card (TCKK)") :
		    _("AKIS card (TC family)");
	if (strcmp(family, ND_FAMILY_AKIS_V1) == 0)
		return _("AKIS v1.0 card");
	if (strcmp(family, ND_FAMILY_AKIS) == 0)
		return _("AKIS card");
	if (strcmp(family, ND_FAMILY_TCKK) == 0)
		return _("Turkish ID card (TCKK)");
	return _("unknown card");
}
