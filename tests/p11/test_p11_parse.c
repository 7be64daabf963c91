/* SPDX-License-Identifier: BSD-2-Clause */
/* The p11 layer's pure parts: module strings, the ELF pre-check, the
 * loader's messages, p11-kit config files, slot-to-reader matching, the
 * TCKN in labels, PKCS#11 return value names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "p11/p11_int.h"

static void
field(const char *in, size_t n, const char *want, unsigned want_anom)
{
	unsigned a = 0;
	char *s = nd_p11_field((const uint8_t *)in, n, &a);

	assert_string_equal(s, want);
	assert_int_equal(a, want_anom);
	free(s);
}

static void
fields_are_cleaned(void **state)
{
	(void)state;
	/* blank-padded, as the standard says */
	field("AKIS_0011223344556677           ", 32, "AKIS_0011223344556677", 0);
	/* NUL-terminated and NUL-padded: noted, harmless */
	field("SoftHSM\0\0\0\0\0\0\0\0\0", 16, "SoftHSM", ND_P11S_NUL);
	/* leftovers after the NUL */
	field("AKIS_\0garbage\0\0\0", 16, "AKIS_", ND_P11S_NUL | ND_P11S_GARBAGE);
	/* Latin-5 "Ş" is not UTF-8; a bell is a control character */
	field("\xde" "A\x07", 3, "\xef\xbf\xbd" "A\xef\xbf\xbd", ND_P11S_UTF8 | ND_P11S_CONTROL);
	/* real UTF-8 Turkish passes untouched */
	field("KİMLİK ŞİFRE", strlen("KİMLİK ŞİFRE"), "KİMLİK ŞİFRE", 0);
	/* overlong, surrogate, beyond U+10FFFF, cut sequence: one U+FFFD
	 * for each broken sequence */
	field("\xc0\xaf", 2, "\xef\xbf\xbd", ND_P11S_UTF8);
	field("\xed\xa0\x80", 3, "\xef\xbf\xbd", ND_P11S_UTF8);
	field("\xf4\x90\x80\x80", 4, "\xef\xbf\xbd", ND_P11S_UTF8);
	field("ab\xe2\x82", 4, "ab\xef\xbf\xbd", ND_P11S_UTF8);
	/* a bad continuation byte starts the next character */
	field("\xe2" "A", 2, "\xef\xbf\xbd" "A", ND_P11S_UTF8);
	/* C1 controls hide in valid UTF-8 */
	field("a\xc2\x9b" "b", 4, "a\xef\xbf\xbd" "b", ND_P11S_CONTROL);
	field("", 0, "", 0);
}

static void
clean_truncates_on_character_boundary(void **state)
{
	unsigned a = 0;
	char *s;

	(void)state;
	s = nd_p11_clean("ŞŞŞ", strlen("ŞŞŞ"), 5, &a);
	assert_string_equal(s, "ŞŞ");
	assert_true(a & ND_P11S_TRUNCATED);
	free(s);
	s = nd_p11_clean(NULL, 10, 10, &a);
	assert_string_equal(s, "");
	free(s);
}

static void
anomaly_codes(void **state)
{
	json_object *arr = json_object_new_array();

	(void)state;
	nd_p11_anomalies_add(arr, "label", ND_P11S_GARBAGE | ND_P11S_UTF8);
	assert_int_equal(json_object_array_length(arr), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(arr, 0)), "label.garbage_after_nul");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(arr, 1)), "label.invalid_utf8");
	json_object_put(arr);
}

static void
tckn_in_labels_is_masked(void **state)
{
	char *s;

	(void)state;
	s = nd_p11_mask_ids("10000000146NES0");
	assert_string_equal(s, "100******46NES0");
	free(s);
	/* 12 or 10 digits are not a TCKN */
	s = nd_p11_mask_ids("123456789012 1234567890 x");
	assert_string_equal(s, "123456789012 1234567890 x");
	free(s);
	s = nd_p11_mask_ids("a10000000146");
	assert_string_equal(s, "a100******46");
	free(s);
}

static void
elf_headers(void **state)
{
	static const uint8_t i386[] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0 };
	static const uint8_t arm64[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 183, 0 };
	static const uint8_t s390[] = { 0x7f, 'E', 'L', 'F', 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 22 };
	static const uint8_t pe[] = { 'M', 'Z', 0x90, 0, 3, 0, 0, 0 };
	struct nd_elf e, self;

	(void)state;
	assert_int_equal(nd_p11_elf_parse(i386, sizeof i386, &e), ND_OK);
	assert_int_equal(e.bits, 32);
	assert_string_equal(nd_p11_elf_machine(e.machine), "i386");
	assert_int_equal(e.type, 3);
	assert_int_equal(nd_p11_elf_parse(arm64, sizeof arm64, &e), ND_OK);
	assert_string_equal(nd_p11_elf_machine(e.machine), "AArch64");
	assert_int_equal(nd_p11_elf_parse(s390, sizeof s390, &e), ND_OK);
	assert_int_equal(e.endian, 2);
	assert_string_equal(nd_p11_elf_machine(e.machine), "S/390");
	assert_int_equal(nd_p11_elf_parse(pe, sizeof pe, &e), ND_ERR_PARSE);
	assert_int_equal(nd_p11_elf_parse(i386, 10, &e), ND_ERR_TRUNCATED);
	assert_int_equal(nd_p11_elf_parse(i386, 18, &e), ND_ERR_TRUNCATED);
	assert_int_equal(nd_p11_elf_read("/nonexistent/lib.so", &e), ND_ERR_NOT_FOUND);
	nd_p11_elf_self(&self);
	assert_true(self.bits == 32 || self.bits == 64);
	assert_non_null(nd_p11_elf_machine(self.machine));
}

static void
loader_messages(void **state)
{
	struct nd_dl_explain ex;

	(void)state;
	nd_p11_dlerror_explain("/usr/lib/libakisp11.so",
	    "libpcsclite.so.1: cannot open shared object file: No such file or directory", &ex);
	assert_int_equal(ex.kind, ND_DL_MISSING_LIB);
	assert_string_equal(ex.lib, "libpcsclite.so.1");
	assert_string_equal(ex.package, "libpcsclite1");
	assert_string_equal(nd_p11_dl_kind_name(ex.kind), "missing_library");
	assert_int_equal(nd_p11_dl_kind_from_name("missing_library"), ND_DL_MISSING_LIB);

	nd_p11_dlerror_explain("/usr/lib/libakisp11.so",
	    "/usr/lib/libakisp11.so: cannot open shared object file: No such file or directory", &ex);
	assert_int_equal(ex.kind, ND_DL_MODULE_MISSING);

	nd_p11_dlerror_explain("/opt/Akia/libakisp11.so", "/opt/Akia/libakisp11.so: wrong ELF class: ELFCLASS32", &ex);
	assert_int_equal(ex.kind, ND_DL_WRONG_CLASS);
	assert_string_equal(ex.symbol, "ELFCLASS32");

	nd_p11_dlerror_explain("/opt/Akia/libakisp11.so",
	    "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /opt/Akia/libakisp11.so)", &ex);
	assert_int_equal(ex.kind, ND_DL_VERSION);
	assert_string_equal(ex.lib, "libc.so.6");
	assert_string_equal(ex.symbol, "GLIBC_2.38");
	assert_string_equal(ex.package, "libc6");

	nd_p11_dlerror_explain("/x.so", "/x.so: undefined symbol: SCardGetAttrib", &ex);
	assert_int_equal(ex.kind, ND_DL_UNDEFINED_SYMBOL);
	assert_string_equal(ex.symbol, "SCardGetAttrib");

	nd_p11_dlerror_explain("/x.so", "/x.so: invalid ELF header", &ex);
	assert_int_equal(ex.kind, ND_DL_NOT_ELF);
	nd_p11_dlerror_explain("/x.so", "/x.so: failed to map segment from shared object", &ex);
	assert_int_equal(ex.kind, ND_DL_MAP_FAILED);
	nd_p11_dlerror_explain("/x.so", "/x.so: cannot open shared object file: Permission denied", &ex);
	assert_int_equal(ex.kind, ND_DL_ACCESS);
	nd_p11_dlerror_explain("/x.so", "libcrypto.so.1.1: cannot open shared object file: No such file or directory", &ex);
	assert_string_equal(ex.package, "libssl1.1");
	nd_p11_dlerror_explain("/x.so", "something new", &ex);
	assert_int_equal(ex.kind, ND_DL_OTHER);
	nd_p11_dlerror_explain("/x.so", NULL, &ex);
	assert_int_equal(ex.kind, ND_DL_OTHER);
	assert_null(nd_p11_package_for("libunknown.so.9"));
}

static void
p11kit_config(void **state)
{
	struct nd_p11kit_conf c;
	const char *opensc = "# This file describes how to load the opensc module\nmodule: opensc-pkcs11.so\n";
	const char *trust = "module: p11-kit-trust.so\npriority: 1\ntrust-policy: yes\r\n";
	const char *none = "priority: 1\n:\nmodule:\n";

	(void)state;
	assert_true(nd_p11kit_conf_parse((const uint8_t *)opensc, strlen(opensc), &c));
	assert_string_equal(c.module, "opensc-pkcs11.so");
	assert_false(c.trust_policy);
	assert_true(nd_p11kit_conf_parse((const uint8_t *)trust, strlen(trust), &c));
	assert_true(c.trust_policy);
	assert_false(nd_p11kit_conf_parse((const uint8_t *)none, strlen(none), &c));
	assert_false(nd_p11kit_conf_parse((const uint8_t *)"module: a\0b", 11, &c));
}

static void
slot_to_reader(void **state)
{
	const char *readers[] = { "ACS ACR39U ICC Reader 00 00", "ACS ACR39U ICC Reader 01 00",
		"Virtual PCD 00 00", NULL };
	const char *long_reader[] = { "Alcor Micro Corp. AU9540 Smartcard Reader [AU9540 Smart Card Reader] (00000000000000000000000000000000) 00 00" };

	(void)state;
	/* OpenSC: the reader name itself */
	assert_int_equal(nd_p11_match_reader("ACS ACR39U ICC Reader 01 00", readers, 4), 1);
	/* words around it */
	assert_int_equal(nd_p11_match_reader("Slot 0 of Virtual PCD 00 00 (AKIS)", readers, 4), 2);
	/* " 00 00" dropped: two readers of the same model are ambiguous */
	assert_int_equal(nd_p11_match_reader("ACS ACR39U ICC Reader", readers, 4), ND_P11_MATCH_AMBIGUOUS);
	assert_int_equal(nd_p11_match_reader("Virtual PCD", readers, 4), 2);
	/* cut at 64 bytes */
	assert_int_equal(nd_p11_match_reader("Alcor Micro Corp. AU9540 Smartcard Reader [AU9540 Smart Card Re",
	    long_reader, 1), 0);
	/* a word inside another word is not a match */
	assert_int_equal(nd_p11_match_reader("Virtual PCD 00 001", readers, 3), ND_P11_MATCH_NONE);
	/* the other reader of the model, not in the list: not this one */
	assert_int_equal(nd_p11_match_reader("ACS ACR39U ICC Reader 02 00", readers, 1), ND_P11_MATCH_NONE);
	assert_int_equal(nd_p11_match_reader("SoftHSM slot ID 0x1", readers, 3), ND_P11_MATCH_NONE);
	assert_int_equal(nd_p11_match_reader("", readers, 3), ND_P11_MATCH_NONE);
	assert_int_equal(nd_p11_match_reader(NULL, readers, 3), ND_P11_MATCH_NONE);
}

static void
return_values(void **state)
{
	(void)state;
	assert_string_equal(nd_ckr_name(0xA4), "CKR_PIN_LOCKED");
	assert_string_equal(nd_ckr_name(0x191), "CKR_CRYPTOKI_ALREADY_INITIALIZED");
	assert_string_equal(nd_ckr_name(0x80000001ul), "CKR_VENDOR_DEFINED+0x1");
	assert_string_equal(nd_ckr_name(0x7777), "CKR_0x00007777");
	assert_int_equal(nd_err_from_ckr(0xA4), ND_ERR_PIN);
	assert_int_equal(nd_err_from_ckr(0x191), ND_OK);
	assert_int_equal(nd_err_from_ckr(0xE0), ND_ERR_CARD);   /* TOKEN_NOT_PRESENT */
	assert_int_equal(nd_err_from_ckr(0x6), ND_ERR_MODULE);  /* FUNCTION_FAILED */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields_are_cleaned),
		cmocka_unit_test(clean_truncates_on_character_boundary),
		cmocka_unit_test(anomaly_codes),
		cmocka_unit_test(tckn_in_labels_is_masked),
		cmocka_unit_test(elf_headers),
		cmocka_unit_test(loader_messages),
		cmocka_unit_test(p11kit_config),
		cmocka_unit_test(slot_to_reader),
		cmocka_unit_test(return_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
