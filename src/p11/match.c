/* SPDX-License-Identifier: BSD-2-Clause */
/* Which PC/SC reader is this PKCS#11 slot? Modules put the reader name in
 * the slot description, but the field holds only 64 bytes, some modules add
 * words around it, and some drop pcsc-lite's " 00 00" suffix. We only name
 * a reader when exactly one fits best: a wrong "the card in reader X" is
 * worse than none. */
#include <ctype.h>
#include <string.h>

#include "p11/p11_int.h"

/* The 64-byte field: a reader name this long may have been cut. */
#define SLOT_DESC_MAX 64

/* Length without trailing blanks. */
static size_t
trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

/* pcsc-lite appends " <reader index> <slot index>", two hex bytes. */
static size_t
without_pcsc_suffix(const char *s, size_t n)
{
	if (n >= 6 && s[n - 6] == ' ' && isxdigit((unsigned char)s[n - 5]) &&
	    isxdigit((unsigned char)s[n - 4]) && s[n - 3] == ' ' &&
	    isxdigit((unsigned char)s[n - 2]) && isxdigit((unsigned char)s[n - 1]))
		return n - 6;
	return n;
}

/* Does `hay` contain `needle` (length k) as whole words? With bare, the
 * words must not be followed by another reader's " <hex>" index either. */
static bool
contains_words_ex(const char *hay, size_t hn, const char *needle, size_t k, bool bare)
{
	if (k == 0 || k > hn)
		return false;
	for (size_t i = 0; i + k <= hn; i++) {
		const char *after = hay + i + k;
		size_t left = hn - i - k;

		if (memcmp(hay + i, needle, k) != 0)
			continue;
		if (i > 0 && isalnum((unsigned char)hay[i - 1]))
			continue;
		if (left && isalnum((unsigned char)after[0]))
			continue;
		if (bare && left >= 2 && after[0] == ' ' && isxdigit((unsigned char)after[1]))
			continue;
		return true;
	}
	return false;
}

static bool
contains_words(const char *hay, size_t hn, const char *needle, size_t k)
{
	return contains_words_ex(hay, hn, needle, k, false);
}

/* 0: no match; higher is better. */
static int
score(const char *desc, size_t dn, const char *reader)
{
	size_t rn = trimmed_len(reader), rb = without_pcsc_suffix(reader, rn);

	if (dn == 0 || rn == 0)
		return 0;
	if (dn == rn && memcmp(desc, reader, rn) == 0)
		return 4;
	if (contains_words(desc, dn, reader, rn))
		return 3;
	/* the description was cut at the field's end */
	if (dn >= SLOT_DESC_MAX - 4 && dn < rn && memcmp(desc, reader, dn) == 0)
		return 2;
	/* the module dropped " 00 00": only a guess when the rest is unique */
	if (rb < rn && rb >= 4 && contains_words_ex(desc, dn, reader, rb, true))
		return 1;
	return 0;
}

int
nd_p11_match_reader(const char *slot_desc, const char *const *readers, size_t n)
{
	size_t dn;
	int best = 0, who = ND_P11_MATCH_NONE;
	bool tie = false;

	if (!slot_desc || !readers)
		return ND_P11_MATCH_NONE;
	dn = trimmed_len(slot_desc);
	for (size_t i = 0; i < n; i++) {
		int s;

		if (!readers[i])
			continue;
		s = score(slot_desc, dn, readers[i]);
		if (s == 0)
			continue;
		if (s > best) {
			best = s;
			who = (int)i;
			tie = false;
		} else if (s == best)
			tie = true;
	}
	return tie ? ND_P11_MATCH_AMBIGUOUS : who;
}
