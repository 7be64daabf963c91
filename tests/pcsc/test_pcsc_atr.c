/* SPDX-License-Identifier: BSD-2-Clause */
/* The pure parts of the PC/SC layer: ATR parsing and card identification
 * (real AKIS ATRs, truncated, bad TCK), the smartcard_list.txt reader and its
 * pattern matcher, text cleaning, reader selection, watch events, and the
 * names of libpcsclite's return values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <PCSC/pcsclite.h>

#include "core/error.h"
#include "core/util.h"
#include "pcsc/atr.h"
#include "pcsc/cardid.h"
#include "pcsc/pcsc.h"
#include "pcsc/watch.h"

/* Known ATRs: AKIS v1.2 (UEKAE family), the TC family, AKIS v1.0. */
#define ATR_UEKAE "3B9F968131FE45806755454B41451212318073B3A180EA"
#define ATR_TC_REAL "3B9F978131FE45806554 43D3230231C073F621808105 52"
#define ATR_V1 "3BBA11008131FE4D55454B41452056312E30AE"

static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	long n = nd_unhex(s, out, max);

	assert_true(n >= 0);
	return (size_t)n;
}

static void
parse_hex(const char *hex, struct nd_atr *a, nd_err expect)
{
	uint8_t b[64];
	size_t n = unhex(hex, b, sizeof b);

	assert_int_equal(nd_atr_parse(b, n, a), expect);
}

/* Another Turkish card OS in the UEKAE layout (UKiS 1.2.1, from pcsc-tools'
 * list) is not AKIS: unknown, named by smartcard_list.txt when installed.
 * Every known AKIS ATR stays AKIS. */
static void
uekae_layout_is_not_always_akis(void **state)
{
	static const char *const ukis[] = {
		"3B9F138131FE45806755454B414512613180 73B3A1801C",
		"3B9F138131FE45806755454B414512643180 73B3A18019",
		"3B9F138131FE45806755454B414512653180 73B3A18018",
	};
	static const char *const akis[] = { ATR_UEKAE, ATR_V1,
		"3B9F968131FE45806755454B41451252318073B3A180AA",
		"3B9F968131FE45806755454B41451293318073B3A1806B",
		"3B9F158131FE45806755454B41451221318073B3A1805A" };
	static const char list[] = "3B 9F 13 81 31 FE 45 80 67 55 45 4B 41 45 12 64 31 80 73 B3 A1 80 19\n"
	    "\tUKiS 1.2.1 on HNEC chip\n";
	struct nd_atr a;
	struct nd_card_id id;
	struct nd_cardlist *l;
	uint8_t b[64];
	size_t n;
	json_object *m;

	(void)state;
	for (size_t i = 0; i < sizeof ukis / sizeof ukis[0]; i++) {
		parse_hex(ukis[i], &a, ND_OK);
		nd_card_identify(&a, &id);
		assert_string_equal(id.family, ND_FAMILY_UNKNOWN);
		assert_false(nd_card_family_is_akis(id.family));
	}
	for (size_t i = 0; i < sizeof akis / sizeof akis[0]; i++) {
		parse_hex(akis[i], &a, ND_OK);
		nd_card_identify(&a, &id);
		assert_true(nd_card_family_is_akis(id.family));
	}
	assert_int_equal(nd_cardlist_parse((const uint8_t *)list, sizeof list - 1, &l), ND_OK);
	n = unhex(ukis[1], b, sizeof b);
	m = nd_cardlist_match(l, b, n);
	assert_non_null(m);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(m, 0)), "UKiS 1.2.1 on HNEC chip");
	json_object_put(m);
	nd_cardlist_free(&l);
}

static void
akis_uekae_parses_and_is_identified(void **state)
{
	struct nd_atr a;
	struct nd_card_id id;
	static const uint8_t hist[] = { 0x80, 0x67, 0x55, 0x45, 0x4B, 0x41, 0x45, 0x12, 0x12,
	                                0x31, 0x80, 0x73, 0xB3, 0xA1, 0x80 };

	(void)state;
	parse_hex(ATR_UEKAE, &a, ND_OK);
	assert_int_equal(a.ts, 0x3B);
	assert_int_equal(a.t0, 0x9F);
	assert_int_equal(a.problems, 0);
	assert_int_equal(a.tck, ND_TCK_OK);
	assert_int_equal(a.tck_value, 0xEA);
	assert_int_equal(a.protocols, 1u << 1);       /* T=1 only */
	assert_int_equal(a.first_protocol, 1);
	assert_int_equal(a.levels, 3);
	assert_true(a.ib[0].has_ta && a.ib[0].ta == 0x96);
	assert_true(a.ib[2].has_ta && a.ib[2].ta == 0xFE && a.ib[2].tb == 0x45);
	assert_int_equal(a.hist_len, 15);
	assert_memory_equal(a.hist, hist, sizeof hist);
	nd_card_identify(&a, &id);
	assert_string_equal(id.family, ND_FAMILY_AKIS_UEKAE);
	assert_null(id.ambiguous_with);
	assert_true(nd_card_family_is_akis(id.family));
}

static void
akis_tc_is_ambiguous_with_tckk(void **state)
{
	struct nd_atr a;
	struct nd_card_id id;
	uint8_t b[64];
	size_t n = unhex(ATR_TC_REAL, b, sizeof b);

	(void)state;
	assert_int_equal(nd_atr_parse(b, n, &a), ND_OK);
	assert_int_equal(a.tck, ND_TCK_OK);
	nd_card_identify(&a, &id);
	assert_string_equal(id.family, ND_FAMILY_AKIS_TC);
	assert_string_equal(id.ambiguous_with, ND_FAMILY_TCKK);
	/* another TC-family ATR (other version bytes): same answer, never
	 * "tckk" from the ATR alone */
	parse_hex("3B9F978131FE458065544312210831C073F6218081059B", &a, ND_OK);
	nd_card_identify(&a, &id);
	assert_string_equal(id.family, ND_FAMILY_AKIS_TC);
	assert_string_equal(id.ambiguous_with, ND_FAMILY_TCKK);
}

static void
akis_v1_is_identified(void **state)
{
	struct nd_atr a;
	struct nd_card_id id;

	(void)state;
	parse_hex(ATR_V1, &a, ND_OK);
	assert_int_equal(a.hist_len, 10);
	assert_int_equal(a.tck, ND_TCK_OK);
	nd_card_identify(&a, &id);
	assert_string_equal(id.family, ND_FAMILY_AKIS_V1);
}

static void
uekae_anywhere_is_akis(void **state)
{
	struct nd_atr a;
	struct nd_card_id id;

	(void)state;
	/* an invented layout with the ASCII "UEKAE" in its historical bytes */
	parse_hex("3B0655454B414500", &a, ND_OK);
	nd_card_identify(&a, &id);
	assert_string_equal(id.family, ND_FAMILY_AKIS);
}

static void
unknown_card(void **state)
{
	struct nd_atr a;
	struct nd_card_id id;

	(void)state;
	/* T=0 only: no TCK expected */
	parse_hex("3B6500009C11010103", &a, ND_OK);
	assert_int_equal(a.tck, ND_TCK_ABSENT);
	assert_int_equal(a.protocols, 1u);
	nd_card_identify(&a, &id);
	assert_string_equal(id.family, ND_FAMILY_UNKNOWN);
	assert_false(nd_card_family_is_akis(id.family));
}

static void
bad_tck_is_a_finding_and_still_identifies(void **state)
{
	struct nd_atr a;
	struct nd_card_id id;

	(void)state;
	parse_hex("3B9F968131FE45806755454B41451212318073B3A180EB", &a, ND_ERR_PARSE);
	assert_int_equal(a.tck, ND_TCK_BAD);
	assert_true(a.problems & ND_ATR_TCK_BAD);
	nd_card_identify(&a, &id);
	assert_string_equal(id.family, ND_FAMILY_AKIS_UEKAE);
}

static void
every_truncation_is_a_finding(void **state)
{
	uint8_t b[64];
	size_t n = unhex(ATR_UEKAE, b, sizeof b);

	(void)state;
	for (size_t k = 0; k < n; k++) {
		struct nd_atr a;
		struct nd_card_id id;
		uint8_t *copy = malloc(k ? k : 1);   /* exact size: ASan sees any over-read */
		nd_err e;

		memcpy(copy, b, k);
		e = nd_atr_parse(copy, k, &a);
		if (k == 0) {
			assert_int_equal(e, ND_ERR_PARSE);
			assert_true(a.problems & ND_ATR_EMPTY);
		} else if (k == n - 1) {
			/* all there but the TCK */
			assert_int_equal(e, ND_ERR_PARSE);
			assert_int_equal(a.tck, ND_TCK_MISSING);
		} else {
			assert_int_equal(e, ND_ERR_TRUNCATED);
			assert_true(a.problems & ND_ATR_TRUNCATED);
		}
		nd_card_identify(&a, &id);
		/* "UEKAE" is bytes 9..13: from 14 bytes on it is AKIS */
		if (k >= 14)
			assert_true(nd_card_family_is_akis(id.family));
		else
			assert_string_equal(id.family, ND_FAMILY_UNKNOWN);
		json_object_put(nd_atr_to_json(&a));
		free(copy);
	}
}

static void
other_malformations(void **state)
{
	struct nd_atr a;
	uint8_t b[64];

	(void)state;
	parse_hex("0000", &a, ND_ERR_PARSE);
	assert_true(a.problems & ND_ATR_BAD_TS);
	parse_hex("3B", &a, ND_ERR_TRUNCATED);
	/* T=0 only, with a byte after the end */
	parse_hex("3B6500009C1101010399", &a, ND_ERR_PARSE);
	assert_true(a.problems & ND_ATR_EXTRA_BYTES);
	/* a TD chain longer than ISO allows for */
	parse_hex("3B80808080808080808080", &a, ND_ERR_PARSE);
	assert_true(a.problems & ND_ATR_TOO_MANY_LEVELS);
	/* ...but a chain that ends at TD8 (Y9 = 0, T=1 so a TCK) is valid */
	parse_hex("3B80818181818181810100", &a, ND_OK);
	assert_int_equal(a.levels, 8);
	assert_true(a.ib[7].has_td);
	assert_int_equal(a.tck, ND_TCK_OK);
	/* 40 bytes: more than 33 */
	memset(b, 0, sizeof b);
	b[0] = 0x3B;
	b[1] = 0x0F;
	assert_int_equal(nd_atr_parse(b, 40, &a), ND_ERR_PARSE);
	assert_true(a.problems & ND_ATR_TOO_LONG);
	/* NULL with length 0 */
	assert_int_equal(nd_atr_parse(NULL, 0, &a), ND_ERR_PARSE);
}

static void
atr_json(void **state)
{
	struct nd_atr a;
	json_object *j, *tlv;

	(void)state;
	parse_hex(ATR_UEKAE, &a, ND_OK);
	j = nd_atr_to_json(&a);
	assert_true(nd_jbool(j, "valid", false));
	assert_string_equal(nd_jstr(j, "tck"), "ok");
	assert_string_equal(nd_jstr(j, "convention"), "direct");
	assert_string_equal(nd_jstr(j, "historical"), "806755454B41451212318073B3A180");
	tlv = nd_jarr(j, "historical_tlv");
	assert_non_null(tlv);
	/* 67: pre-issuing data "UEKAE" 12 12; 31: card service; 73: capabilities */
	assert_int_equal(json_object_array_length(tlv), 3);
	assert_string_equal(nd_jstr(json_object_array_get_idx(tlv, 0), "tag"), "6");
	assert_string_equal(nd_jstr(json_object_array_get_idx(tlv, 0), "value"), "55454B41451212");
	json_object_put(j);

	parse_hex("3B9F96", &a, ND_ERR_TRUNCATED);
	j = nd_atr_to_json(&a);
	assert_false(nd_jbool(j, "valid", true));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(nd_jarr(j, "problems"), 0)),
	    "truncated");
	json_object_put(j);
}

static void
card_json_fields(void **state)
{
	uint8_t b[64];
	size_t n = unhex(ATR_UEKAE, b, sizeof b);
	json_object *c = nd_pcsc_card_json(b, n, NULL);

	(void)state;
	assert_string_equal(nd_jstr(c, "atr"), ATR_UEKAE);
	assert_string_equal(nd_jstr(c, "family"), "akis_uekae");
	assert_non_null(nd_jstr(c, "name"));
	assert_non_null(nd_jobj(c, "atr_info"));
	assert_null(nd_jarr(c, "known_as"));
	json_object_put(c);
}

/* ---- smartcard_list.txt ------------------------------------------- */

static const char list_text[] =
	"#\n# a comment\n#\n"
	"3B 9F 96 81 31 FE 45 80 67 55 45 4B 41 45 12 12 31 80 73 B3 A1 80 EA\n"
	"\tFirst description\n"
	"\tSecond description\n"
	"\thttp://example.invalid/\n"
	"\tFourth description, not kept\n"
	"\n"
	"3B 65 00 00 9C 1[01] 01 01 03\r\n"
	"\tCRLF entry\r\n"
	"\r\n"
	"3B 6E 00 00 80 31 80 66 B0 84 .. 01 6E 01 83 00 90 00.*\n"
	"\tBad \xff bytes \x1b[31m here\n"
	"\n"
	"3B (90|91) 00\n"
	"\tunsupported syntax, skipped\n"
	"\n"
	"\torphan description\n"
	"3b 02 14 50\n"
	"\tlower case pattern\n";

static void
cardlist_parses_and_matches(void **state)
{
	struct nd_cardlist *l;
	uint8_t b[64];
	size_t n;
	json_object *m;

	(void)state;
	assert_int_equal(nd_cardlist_parse((const uint8_t *)list_text, sizeof list_text - 1, &l), ND_OK);
	assert_int_equal(nd_cardlist_count(l), 5);

	n = unhex(ATR_UEKAE, b, sizeof b);
	m = nd_cardlist_match(l, b, n);
	assert_non_null(m);
	assert_int_equal(json_object_array_length(m), ND_CARDLIST_MAX_DESC);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(m, 0)), "First description");
	json_object_put(m);

	n = unhex("3B6500009C11010103", b, sizeof b);
	m = nd_cardlist_match(l, b, n);
	assert_non_null(m);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(m, 0)), "CRLF entry");
	json_object_put(m);
	n = unhex("3B6500009C12010103", b, sizeof b);
	assert_null(nd_cardlist_match(l, b, n));

	/* ".." and a trailing ".*"; the description cleaned to printable UTF-8 */
	n = unhex("3B6E000080318066B08477016E0183009000AB", b, sizeof b);
	m = nd_cardlist_match(l, b, n);
	assert_non_null(m);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(m, 0)), "Bad ? bytes ?[31m here");
	json_object_put(m);

	n = unhex("3B021450", b, sizeof b);
	m = nd_cardlist_match(l, b, n);
	assert_non_null(m);
	json_object_put(m);

	/* anchored at the end: a longer ATR does not match a pattern without .* */
	n = unhex("3B02145000", b, sizeof b);
	assert_null(nd_cardlist_match(l, b, n));
	nd_cardlist_free(&l);
}

static void
cardlist_load(void **state)
{
	struct nd_cardlist *l;

	(void)state;
	assert_int_equal(nd_cardlist_load("/nonexistent/smartcard_list.txt", &l), ND_ERR_NOT_FOUND);
	assert_null(l);
	assert_int_equal(nd_cardlist_load(NULL, &l), ND_ERR_NOT_FOUND);
	/* not a regular file: refused, never read */
	assert_int_equal(nd_cardlist_load("/dev/zero", &l), ND_ERR_IO);
	assert_int_equal(nd_cardlist_load(ND_PCSC_TESTDATA "/smartcard_list.txt", &l), ND_OK);
	assert_true(nd_cardlist_count(l) >= 3);
	nd_cardlist_free(&l);
	setenv("NESDOCTOR_SMARTCARD_LIST", "", 1);
	assert_null(nd_cardlist_path());
	unsetenv("NESDOCTOR_SMARTCARD_LIST");
	assert_string_equal(nd_cardlist_path(), "/usr/share/pcsc/smartcard_list.txt");
}

static void
pattern_language(void **state)
{
	char text[200];
	struct timespec t0, t1;

	(void)state;
	assert_int_equal(nd_atr_pattern_match("3B 02", "3B 02"), 1);
	assert_int_equal(nd_atr_pattern_match("3B 0.", "3B 02"), 1);
	assert_int_equal(nd_atr_pattern_match("3B 0[1-3]", "3B 02"), 1);
	assert_int_equal(nd_atr_pattern_match("3B 0[^1-3]", "3B 02"), 0);
	assert_int_equal(nd_atr_pattern_match("3B .*", "3B 02 03"), 1);
	assert_int_equal(nd_atr_pattern_match("3B .* 03", "3B 02 03"), 1);
	assert_int_equal(nd_atr_pattern_match("3B", "3B 02"), 0);         /* anchored */
	assert_int_equal(nd_atr_pattern_match("3B 02 03", "3B 02"), 0);
	assert_int_equal(nd_atr_pattern_match("3B 0[", "3B 02"), -1);      /* unclosed class */
	assert_int_equal(nd_atr_pattern_match("(3B)", "3B"), -1);
	assert_int_equal(nd_atr_pattern_match("*3B", "3B"), -1);
	assert_int_equal(nd_atr_pattern_match("3B **", "3B"), -1);
	assert_int_equal(nd_atr_pattern_match("", ""), 1);
	/* many stars against a long text that does not match: no
	 * backtracking blow-up */
	memset(text, 'A', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(nd_atr_pattern_match(".*A.*A.*A.*A.*A.*A.*A.*A.*A.*A.*B", text), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
}

static void
printable_text(void **state)
{
	char *s;

	(void)state;
	s = nd_pcsc_printable((const uint8_t *)"T\xc3\xbc" "rk\xc3\xa7" "e", 8, 100);
	assert_string_equal(s, "Türkçe");
	free(s);
	/* invalid, overlong, surrogate, control: each becomes '?' */
	s = nd_pcsc_printable((const uint8_t *)"a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\x1b" "e", 12, 100);
	assert_string_equal(s, "a?b??c???d?e");
	free(s);
	/* cut on a character boundary: "Tü" is 3 bytes, max 2 keeps "T" */
	s = nd_pcsc_printable((const uint8_t *)"T\xc3\xbc", 3, 2);
	assert_string_equal(s, "T");
	free(s);
	/* stops at a NUL inside */
	s = nd_pcsc_printable((const uint8_t *)"ab\0cd", 5, 100);
	assert_string_equal(s, "ab");
	free(s);
}

/* ---- readers, watch, names ---------------------------------------- */

static void
reader_selection(void **state)
{
	const char *names[] = { "ACS ACR39U ICC Reader 00 00", "Virtual PCD 00 00", "Virtual PCD 00 01" };
	bool sel[3];

	(void)state;
	assert_int_equal(nd_pcsc_select_readers(NULL, names, 3, sel), 3);
	assert_int_equal(nd_pcsc_select_readers("Virtual PCD 00 01", names, 3, sel), 1);
	assert_true(sel[2] && !sel[1] && !sel[0]);
	assert_int_equal(nd_pcsc_select_readers("virtual", names, 3, sel), 2);
	assert_true(sel[1] && sel[2] && !sel[0]);
	assert_int_equal(nd_pcsc_select_readers("acr39", names, 3, sel), 1);
	assert_int_equal(nd_pcsc_select_readers("nothing", names, 3, sel), 0);
}

static void
watch_card_events(void **state)
{
	const char *ev[2];
	const unsigned long empty = SCARD_STATE_EMPTY, present = SCARD_STATE_PRESENT;

	(void)state;
	assert_int_equal(nd_watch_card_events(empty, present | 1ul << 16, ev), 1);
	assert_string_equal(ev[0], ND_EV_CARD_INSERTED);
	assert_int_equal(nd_watch_card_events(present | 1ul << 16, empty | 2ul << 16, ev), 1);
	assert_string_equal(ev[0], ND_EV_CARD_REMOVED);
	assert_int_equal(nd_watch_card_events(present | 1ul << 16, present | 1ul << 16, ev), 0);
	/* swapped between two looks: the counter moved by two */
	assert_int_equal(nd_watch_card_events(present | 1ul << 16, present | 3ul << 16, ev), 2);
	assert_string_equal(ev[0], ND_EV_CARD_REMOVED);
	assert_string_equal(ev[1], ND_EV_CARD_INSERTED);
	/* the counter wraps at 16 bits */
	assert_int_equal(nd_watch_card_events(present | 0xFFFFul << 16, present | 1ul << 16, ev), 2);
	assert_int_equal(nd_watch_card_events(empty, empty | 4ul << 16, ev), 0);
}

static void
rv_names(void **state)
{
	(void)state;
	assert_string_equal(nd_pcsc_rv_name(SCARD_E_NO_SERVICE), "SCARD_E_NO_SERVICE");
	assert_string_equal(nd_pcsc_rv_name(SCARD_W_SECURITY_VIOLATION), "SCARD_W_SECURITY_VIOLATION");
	assert_string_equal(nd_pcsc_rv_name(SCARD_E_SHARING_VIOLATION), "SCARD_E_SHARING_VIOLATION");
	assert_string_equal(nd_pcsc_rv_name(0x12345678), "0x12345678");
	assert_int_equal(nd_err_from_pcsc(SCARD_S_SUCCESS), ND_OK);
	assert_int_equal(nd_err_from_pcsc(SCARD_E_NO_SERVICE), ND_ERR_NO_SERVICE);
	assert_int_equal(nd_err_from_pcsc(SCARD_W_SECURITY_VIOLATION), ND_ERR_ACCESS);
	assert_int_equal(nd_err_from_pcsc(SCARD_E_SHARING_VIOLATION), ND_ERR_SHARING);
	assert_int_equal(nd_err_from_pcsc(SCARD_W_UNRESPONSIVE_CARD), ND_ERR_CARD);
	assert_int_equal(nd_err_from_pcsc(SCARD_E_TIMEOUT), ND_ERR_TIMEOUT);
	assert_int_equal(nd_err_from_pcsc(0x12345678), ND_ERR_INTERNAL);
	assert_string_equal(nd_pcsc_protocol_name(SCARD_PROTOCOL_T1), "T=1");
	assert_null(nd_pcsc_protocol_name(0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(akis_uekae_parses_and_is_identified),
		cmocka_unit_test(uekae_layout_is_not_always_akis),
		cmocka_unit_test(akis_tc_is_ambiguous_with_tckk),
		cmocka_unit_test(akis_v1_is_identified),
		cmocka_unit_test(uekae_anywhere_is_akis),
		cmocka_unit_test(unknown_card),
		cmocka_unit_test(bad_tck_is_a_finding_and_still_identifies),
		cmocka_unit_test(every_truncation_is_a_finding),
		cmocka_unit_test(other_malformations),
		cmocka_unit_test(atr_json),
		cmocka_unit_test(card_json_fields),
		cmocka_unit_test(cardlist_parses_and_matches),
		cmocka_unit_test(cardlist_load),
		cmocka_unit_test(pattern_language),
		cmocka_unit_test(printable_text),
		cmocka_unit_test(reader_selection),
		cmocka_unit_test(watch_card_events),
		cmocka_unit_test(rv_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
