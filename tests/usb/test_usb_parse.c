/* SPDX-License-Identifier: BSD-2-Clause */
/* The usb layer's parsers of outside bytes and texts: CCID class
 * descriptors, Info.plist files, USB string descriptors, reader names, the
 * known-device table, libusb error names (the sys layer's are in
 * tests/sys/test_sys_parse.c). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libusb-1.0/libusb.h>

#include "core/error.h"
#include "core/util.h"
#include "core/run.h"
#include "sys/sys.h"
#include "usb/ccid.h"
#include "usb/known.h"
#include "usb/plist.h"
#include "usb/usb.h"

/* An ACR39U's CCID class descriptor, field by field (CCID 1.1 table 5.1-1). */
static size_t
ccid_bytes(uint8_t *d, uint8_t blen)
{
	size_t k = 0;
#define U8(v) d[k++] = (uint8_t)(v)
#define U16(v) (U8((v) & 0xff), U8((v) >> 8))
#define U32(v) (U16((v) & 0xffff), U16((uint32_t)(v) >> 16))
	U8(blen); U8(0x21); U16(0x0110); U8(0); U8(7); U32(3); U32(4000); U32(4000); U8(0);
	U32(10752); U32(344086); U8(0); U32(254); U32(0); U32(0); U32(0x000204BE); U32(271);
	U8(0xff); U8(0xff); U16(0x0202); U8(3); U8(1);
#undef U8
#undef U16
#undef U32
	return k;
}

static void
ccid_good(void **state)
{
	uint8_t d[64];
	struct nd_ccid_desc c;
	json_object *j;

	(void)state;
	assert_int_equal(ccid_bytes(d, 54), 54);
	assert_int_equal(nd_ccid_parse(d, 54, &c), ND_OK);
	assert_int_equal(c.bcd_ccid, 0x0110);
	assert_int_equal(c.protocols, 3);
	assert_int_equal(c.max_ifsd, 254);
	assert_int_equal(c.features, 0x000204BE);
	assert_int_equal(c.max_message_length, 271);
	assert_int_equal(c.pin_support, 3);
	assert_string_equal(nd_ccid_exchange_level(c.features), "short_apdu");
	assert_string_equal(nd_ccid_exchange_level(0x40000), "extended_apdu");
	assert_string_equal(nd_ccid_exchange_level(0x10000), "tpdu");
	assert_string_equal(nd_ccid_exchange_level(0), "character");
	j = nd_ccid_to_json(&c);
	assert_string_equal(nd_jstr(j, "bcd_ccid"), "1.10");
	assert_string_equal(nd_jstr(j, "lcd"), "2x2");
	assert_true(nd_jbool(nd_jobj(j, "pin_pad"), "verify", false));
	assert_true(nd_jbool(nd_jobj(j, "pin_pad"), "modify", false));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(nd_jarr(j, "protocols"), 1)), "T=1");
	json_object_put(j);
}

static void
ccid_broken(void **state)
{
	uint8_t d[128];
	struct nd_ccid_desc c;

	(void)state;
	ccid_bytes(d, 54);
	assert_int_equal(nd_ccid_parse(d, 30, &c), ND_ERR_TRUNCATED);   /* cut short */
	assert_int_equal(nd_ccid_parse(d, 1, &c), ND_ERR_TRUNCATED);
	d[0] = 32;                                                      /* bLength too small */
	assert_int_equal(nd_ccid_parse(d, 54, &c), ND_ERR_PARSE);
	d[0] = 54;
	d[1] = 0x24;                                                    /* not CCID */
	assert_int_equal(nd_ccid_parse(d, 54, &c), ND_ERR_PARSE);
}

static void
ccid_find_in_extra(void **state)
{
	uint8_t x[128] = { 5, 0x24, 1, 2, 3 };   /* another class descriptor first */
	struct nd_ccid_desc c;

	(void)state;
	ccid_bytes(x + 5, 54);
	assert_int_equal(nd_ccid_find(x, 59, &c), ND_OK);
	assert_int_equal(c.max_ifsd, 254);
	assert_int_equal(nd_ccid_find(x, 5, &c), ND_ERR_NOT_FOUND);
	assert_int_equal(nd_ccid_find(x, 40, &c), ND_ERR_TRUNCATED);   /* the CCID one is cut */
	assert_int_equal(nd_ccid_find(NULL, 0, &c), ND_ERR_NOT_FOUND);
	x[0] = 0;                                                       /* a zero length would loop */
	assert_int_equal(nd_ccid_find(x, 59, &c), ND_ERR_PARSE);
	x[0] = 5;
	assert_int_equal(nd_ccid_find(x, 6, &c), ND_ERR_TRUNCATED);    /* one byte of a header */
}

#define PLIST_HEAD "<?xml version=\"1.0\"?>\n<!DOCTYPE plist>\n<plist version=\"1.0\">\n<dict>\n"
#define PLIST_TAIL "</dict>\n</plist>\n"

static nd_err
plist(const char *text, struct nd_ifd_bundle *b)
{
	memset(b, 0, sizeof *b);
	return nd_plist_parse(text, strlen(text), b);
}

static void
plist_good(void **state)
{
	struct nd_ifd_bundle b;
	const char *t = PLIST_HEAD
	    "<!-- a comment with <key>ifdVendorID</key> in it -->\n"
	    "<key>CFBundleExecutable</key><string>libtest.so</string>\n"
	    "<key>CFBundleName</key> <string>CCIDCLASSDRIVER</string>\n"
	    "<key>ifdLogLevel</key><integer>3</integer>\n"
	    "<key>ifdVendorID</key><array><string>0x072F</string><string> 0x1209 </string></array>\n"
	    "<key>ifdProductID</key><array><string>0xB100</string><string>1</string></array>\n"
	    "<key>ifdFriendlyName</key><array><string>ACS ACR39U ICC Reader</string>"
	    "<string>Test &amp; &lt;Reader&gt;</string></array>\n"
	    "<key>Empty</key><string/>\n" PLIST_TAIL;

	(void)state;
	assert_int_equal(plist(t, &b), ND_OK);
	assert_string_equal(b.cf_name, "CCIDCLASSDRIVER");
	assert_true(nd_ifd_is_class_driver(&b));
	assert_string_equal(b.executable, "libtest.so");
	assert_int_equal(b.n_ids, 2);
	assert_int_equal(b.ids[0].vid, 0x072F);
	assert_int_equal(b.ids[0].pid, 0xB100);
	assert_int_equal(b.ids[1].vid, 0x1209);
	assert_int_equal(b.ids[1].pid, 0x0001);
	assert_string_equal(b.ids[1].name, "Test & <Reader>");
	assert_null(b.error);
	nd_ifd_bundle_clear(&b);
}

static void
plist_single_strings(void **state)
{
	struct nd_ifd_bundle b;
	const char *t = PLIST_HEAD
	    "<key>CFBundleExecutable</key><string>libacr38.so</string>\n"
	    "<key>ifdVendorID</key><string>0x072F</string>\n"
	    "<key>ifdProductID</key><string>0x9000</string>\n"
	    "<key>ifdFriendlyName</key><string>ACS ACR38U</string>\n" PLIST_TAIL;

	(void)state;
	assert_int_equal(plist(t, &b), ND_OK);
	assert_int_equal(b.n_ids, 1);
	assert_int_equal(b.ids[0].pid, 0x9000);
	assert_false(nd_ifd_is_class_driver(&b));
	nd_ifd_bundle_clear(&b);
}

static void
plist_broken(void **state)
{
	struct nd_ifd_bundle b;
	char *big;

	(void)state;
	/* arrays of different lengths: what pcscd reads as far as it can */
	assert_int_equal(plist(PLIST_HEAD "<key>CFBundleExecutable</key><string>x</string>"
	    "<key>ifdVendorID</key><array><string>0x1</string><string>0x2</string></array>"
	    "<key>ifdProductID</key><array><string>0x1</string><string>0x2</string></array>"
	    "<key>ifdFriendlyName</key><array><string>one</string></array>" PLIST_TAIL, &b), ND_ERR_PROTOCOL);
	assert_int_equal(b.n_ids, 1);
	assert_non_null(strstr(b.error, "differ in length"));
	nd_ifd_bundle_clear(&b);
	/* an id that is not hex is skipped, the rest kept */
	assert_int_equal(plist(PLIST_HEAD "<key>CFBundleExecutable</key><string>x</string>"
	    "<key>ifdVendorID</key><array><string>0xZZ</string><string>0x2</string></array>"
	    "<key>ifdProductID</key><array><string>0x1</string><string>0x10000</string></array>"
	    "<key>ifdFriendlyName</key><array><string>a</string><string>b</string></array>" PLIST_TAIL, &b),
	    ND_ERR_PROTOCOL);
	assert_int_equal(b.n_ids, 0);
	nd_ifd_bundle_clear(&b);
	assert_int_equal(plist(PLIST_HEAD "<key>CFBundleExecutable</key><string>x</string>" PLIST_TAIL, &b),
	    ND_ERR_NOT_FOUND);
	nd_ifd_bundle_clear(&b);
	assert_int_equal(plist(PLIST_HEAD "<key>ifdVendorID</key><array><string>0x1</string></array>" PLIST_TAIL, &b),
	    ND_ERR_NOT_FOUND);   /* no executable */
	nd_ifd_bundle_clear(&b);
	assert_int_equal(plist(PLIST_HEAD "<key>CFBundleExecutable</key><string>x", &b), ND_ERR_PARSE);
	nd_ifd_bundle_clear(&b);
	assert_int_equal(plist(PLIST_HEAD "<!-- never closed", &b), ND_ERR_PARSE);
	nd_ifd_bundle_clear(&b);
	assert_int_equal(plist(PLIST_HEAD "<key>a<b</key>", &b), ND_ERR_PARSE);
	nd_ifd_bundle_clear(&b);
	assert_int_equal(plist("<", &b), ND_ERR_PARSE);
	nd_ifd_bundle_clear(&b);
	assert_int_equal(plist("", &b), ND_ERR_NOT_FOUND);
	nd_ifd_bundle_clear(&b);
	/* a string over the size limit */
	big = nd_xcalloc(ND_PLIST_MAX_STRING + 64, 1);
	memcpy(big, "<key>CFBundleName</key><string>", 31);
	memset(big + 31, 'a', ND_PLIST_MAX_STRING + 1);
	assert_int_equal(plist(big, &b), ND_ERR_PARSE);
	nd_ifd_bundle_clear(&b);
	free(big);
}

static void
plist_installed_libccid(void **state)
{
	struct nd_ifd_set s;
	struct nd_ifd_claim c[4];
	bool amb = true;

	(void)state;
	if (access("/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist", R_OK) != 0)
		skip();
	assert_int_equal(nd_ifd_load("/usr/lib/pcsc/drivers", &s), ND_OK);
	assert_true(s.n >= 1);
	assert_int_equal(nd_ifd_claims(&s, 0x072F, 0xB100, c, 4), 1);
	assert_string_equal(c[0].friendly, "ACS ACR39U ICC Reader");
	assert_ptr_equal(nd_ifd_pick(c, 1, &amb), &c[0]);
	assert_false(amb);
	assert_string_equal(nd_ifd_package(c[0].b->dir), "libccid");
	assert_int_equal(nd_ifd_claims(&s, 0x072F, 0x9000, c, 4), 0);   /* the old ACR38U: not libccid's */
	assert_non_null(nd_ifd_class_driver(&s));
	nd_ifd_set_reset(&s);
}

static void
ifd_pick_rules(void **state)
{
	struct nd_ifd_bundle cls = { .cf_name = (char *)(uintptr_t)"CCIDCLASSDRIVER" };
	struct nd_ifd_bundle a = { .cf_name = (char *)(uintptr_t)"ACSCCID" }, b2 = { 0 };
	struct nd_ifd_claim c[3] = { { &cls, "x" }, { &a, "y" }, { &b2, "z" } };
	bool amb = false;

	(void)state;
	assert_ptr_equal(nd_ifd_pick(c, 2, &amb), &c[1]);   /* the specific driver wins */
	assert_false(amb);
	assert_ptr_equal(nd_ifd_pick(c, 1, &amb), &c[0]);   /* the class driver if alone */
	assert_ptr_equal(nd_ifd_pick(c, 3, &amb), &c[2]);   /* the last specific one read */
	assert_true(amb);
	assert_null(nd_ifd_pick(c, 0, &amb));
	assert_null(nd_ifd_package("ifd-other.bundle"));
	assert_string_equal(nd_ifd_package("ifd-acsccid.bundle"), "libacsccid1");
}

static void
ifd_folder(void **state)
{
	char dir[] = "/tmp/nd-ifd.XXXXXX", *p;
	struct nd_ifd_set s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p = nd_asprintf("%s/b.bundle", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = nd_asprintf("%s/b.bundle/Contents", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = nd_asprintf("%s/b.bundle/Contents/Info.plist", dir);
	f = fopen(p, "w");
	fputs(PLIST_HEAD "<key>CFBundleExecutable</key><string>x</string><key>ifdVendorID</key><string>0x1</string>"
	    "<key>ifdProductID</key><string>0x2</string><key>ifdFriendlyName</key><string>r</string>" PLIST_TAIL, f);
	fclose(f);
	free(p);
	p = nd_asprintf("%s/a.bundle", dir);
	mkdir(p, 0755);   /* no Info.plist */
	free(p);
	p = nd_asprintf("%s/not-a-bundle", dir);
	mkdir(p, 0755);
	free(p);
	assert_int_equal(nd_ifd_load(dir, &s), ND_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.b[0].dir, "a.bundle");
	assert_int_equal(s.b[0].err, ND_ERR_NOT_FOUND);
	assert_string_equal(s.b[1].dir, "b.bundle");
	assert_int_equal(s.b[1].n_ids, 1);
	nd_ifd_set_reset(&s);
	assert_int_equal(nd_ifd_load("/nonexistent-nd", &s), ND_ERR_NOT_FOUND);
	nd_ifd_set_reset(&s);
	p = nd_asprintf("rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	free(p);
}

static void
string_descriptors(void **state)
{
	const uint8_t acs[] = { 8, 3, 'A', 0, 'C', 0, 'S', 0 };
	const uint8_t pad[] = { 10, 3, 'R', 0, ' ', 0, ' ', 0, 0xe7, 0x00 };
	const uint8_t turk[] = { 6, 3, 'I', 0, 0x30, 0x01 };   /* "İ" */
	const uint8_t longer[] = { 200, 3, 'a', 0 };           /* claims more than sent */
	const uint8_t odd[] = { 5, 3, 'x', 0, 'y' };
	const uint8_t wrong[] = { 4, 2, 'x', 0 };
	char out[16];

	(void)state;
	assert_int_equal(nd_usb_string_decode(acs, sizeof acs, out, sizeof out), 3);
	assert_string_equal(out, "ACS");
	assert_int_equal(nd_usb_string_decode(pad, sizeof pad, out, sizeof out), 4);
	assert_string_equal(out, "R  ?");
	assert_int_equal(nd_usb_string_decode(turk, sizeof turk, out, sizeof out), 2);
	assert_string_equal(out, "I?");
	assert_int_equal(nd_usb_string_decode(longer, sizeof longer, out, sizeof out), 1);
	assert_int_equal(nd_usb_string_decode(odd, sizeof odd, out, sizeof out), 1);
	assert_int_equal(nd_usb_string_decode(wrong, sizeof wrong, out, sizeof out), -1);
	assert_int_equal(nd_usb_string_decode(acs, 1, out, sizeof out), -1);
	assert_int_equal(nd_usb_string_decode(acs, sizeof acs, out, 2), 1);   /* bounded by out */
	assert_string_equal(out, "A");
}

static void
reader_names(void **state)
{
	(void)state;
	assert_true(nd_usb_reader_matches("ACS ACR39U ICC Reader 00 00", "ACS ACR39U ICC Reader"));
	assert_true(nd_usb_reader_matches("acs acr39u icc reader [CCID] (123) 01 00", "ACS ACR39U ICC Reader"));
	assert_false(nd_usb_reader_matches("ACS ACR38U-CCID 00 00", "ACS ACR38U"));
	assert_false(nd_usb_reader_matches("Virtual PCD 00 00", "ACS ACR39U"));
	assert_false(nd_usb_reader_matches(NULL, "x"));
	assert_false(nd_usb_reader_matches("x", ""));
}

static void
known_table(void **state)
{
	const struct nd_usb_known *k;

	(void)state;
	for (size_t i = 1; i < nd_usb_known_n; i++)
		assert_true(((unsigned)nd_usb_known[i - 1].vid << 16 | nd_usb_known[i - 1].pid) <
		    ((unsigned)nd_usb_known[i].vid << 16 | nd_usb_known[i].pid));
	k = nd_usb_known_find(0x072F, 0xB100);
	assert_non_null(k);
	assert_string_equal(k->name, "ACS ACR39U");
	assert_true(k->ccid);
	assert_string_equal(nd_usb_known_package(k), "libccid");
	k = nd_usb_known_find(0x072F, 0x9000);
	assert_non_null(k);
	assert_false(k->ccid);
	assert_string_equal(nd_usb_known_package(k), "libacsccid1");
	assert_null(nd_usb_known_find(0x1209, 0x0001));
	assert_null(nd_usb_known_package(NULL));
	assert_non_null(strstr(nd_udev_rules_text, "ATTR{idVendor}==\"072f\", ATTR{idProduct}==\"b100\", TAG+=\"uaccess\""));
}

static void
libusb_errors(void **state)
{
	(void)state;
	assert_int_equal(nd_err_from_libusb(LIBUSB_ERROR_ACCESS), ND_ERR_ACCESS);
	assert_int_equal(nd_err_from_libusb(LIBUSB_ERROR_BUSY), ND_ERR_SHARING);
	assert_int_equal(nd_err_from_libusb(LIBUSB_ERROR_TIMEOUT), ND_ERR_TIMEOUT);
	assert_int_equal(nd_err_from_libusb(LIBUSB_ERROR_NO_DEVICE), ND_ERR_NOT_FOUND);
	assert_int_equal(nd_err_from_libusb(12), ND_OK);
	assert_int_equal(nd_err_from_libusb(-77), ND_ERR_INTERNAL);
	assert_string_equal(nd_libusb_name(LIBUSB_ERROR_IO), "LIBUSB_ERROR_IO");
	assert_string_equal(nd_libusb_name(LIBUSB_ERROR_OTHER), "LIBUSB_ERROR_OTHER");
	assert_string_equal(nd_libusb_name(-77), "LIBUSB_0xFFFFFFB3");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ccid_good),
		cmocka_unit_test(ccid_broken),
		cmocka_unit_test(ccid_find_in_extra),
		cmocka_unit_test(plist_good),
		cmocka_unit_test(plist_single_strings),
		cmocka_unit_test(plist_broken),
		cmocka_unit_test(plist_installed_libccid),
		cmocka_unit_test(ifd_pick_rules),
		cmocka_unit_test(ifd_folder),
		cmocka_unit_test(string_descriptors),
		cmocka_unit_test(reader_names),
		cmocka_unit_test(known_table),
		cmocka_unit_test(libusb_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
