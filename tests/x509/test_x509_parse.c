/* SPDX-License-Identifier: BSD-2-Clause */
/* The x509 layer's parts that read outside bytes or keep state: decoding
 * files, OCSP responses and CRLs that are garbage, times, pins, the cache,
 * and the OpenSSL error translator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/httperr.h>

#include "core/i18n.h"
#include "core/util.h"
#include "x509/x509_int.h"

static void
times(void **state)
{
	char buf[32];
	ASN1_TIME *t = ASN1_TIME_set(NULL, 1893456000);   /* 2030-01-01 */

	(void)state;
	nd_x509_time_str(t, buf, sizeof buf);
	assert_string_equal(buf, "2030-01-01T00:00:00Z");
	assert_int_equal(nd_x509_parse_time(buf), 1893456000);
	assert_true(nd_x509_parse_time("2030-01-01") == ND_X509_TIME_BAD);
	assert_true(nd_x509_parse_time(NULL) == ND_X509_TIME_BAD);
	ASN1_TIME_free(t);
	/* a UTCTime before 1970 is a time like any other */
	t = ASN1_TIME_new();
	assert_true(ASN1_TIME_set_string(t, "500101000000Z"));
	nd_x509_time_str(t, buf, sizeof buf);
	assert_string_equal(buf, "1950-01-01T00:00:00Z");
	assert_true(nd_x509_parse_time(buf) == -631152000);
	assert_true(nd_x509_parse_time("1969-12-31T23:59:59Z") == -1);
	nd_x509_time_str(NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
	ASN1_TIME_free(t);
}

static void
pins(void **state)
{
	const struct nd_pin *p;

	(void)state;
	p = nd_x509_pin_find("aa466d3b528dc947c7e1dca594c0deb4a1d2b987c119125fcd7435de92a23c60");
	assert_non_null(p);
	assert_true(p->root);
	p = nd_x509_pin_find("062782A715B1B5FC794AEDF25396DD3D2FFBE2FAD202E5567273A0E13BFE16F9");
	assert_non_null(p);
	assert_false(p->root);
	assert_null(nd_x509_pin_find("00"));
	assert_null(nd_x509_pin_find(NULL));
}

static void
garbage_is_not_a_certificate(void **state)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char err[256];
	const uint8_t junk[] = { 0x30, 0x82, 0xff, 0xff, 0x01 };
	const char pem[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

	(void)state;
	assert_int_equal(nd_x509_decode_certs(junk, sizeof junk, sk, err, sizeof err), ND_ERR_PARSE);
	assert_non_null(strstr(err, "not a certificate"));
	assert_int_equal(nd_x509_decode_certs((const uint8_t *)pem, sizeof pem - 1, sk, err, sizeof err), ND_ERR_PARSE);
	assert_int_equal(nd_x509_decode_certs(NULL, 0, sk, err, sizeof err), ND_ERR_PARSE);
	assert_int_equal(sk_X509_num(sk), 0);
	sk_X509_free(sk);
	assert_int_equal(ERR_peek_error(), 0);
}

static void
garbage_ocsp_and_crl(void **state)
{
	struct nd_rev r;
	const uint8_t junk[] = { 0x30, 0x03, 0x0a, 0x01, 0x03 };   /* OCSPResponse, tryLater */
	const uint8_t junk2[] = { 0x30, 0x80, 0x00 };

	(void)state;
	nd_ocsp_eval(junk, sizeof junk, NULL, NULL, NULL, NULL, 0, &r);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_int_equal(r.code, ND_ERR_PROTOCOL);
	assert_non_null(strstr(r.err, "refused"));
	nd_ocsp_eval(junk2, sizeof junk2, NULL, NULL, NULL, NULL, 0, &r);
	assert_int_equal(r.code, ND_ERR_PARSE);
	nd_ocsp_eval(NULL, 0, NULL, NULL, NULL, NULL, 0, &r);
	assert_int_equal(r.code, ND_ERR_PARSE);
	nd_crl_eval(junk2, sizeof junk2, NULL, NULL, NULL, 0, &r, NULL);
	assert_int_equal(r.status, ND_REV_NONE);
	assert_int_equal(r.code, ND_ERR_PARSE);
	assert_string_equal(nd_crl_reason_name(1), "keyCompromise");
	assert_null(nd_crl_reason_name(7));
	assert_null(nd_crl_reason_name(-1));
	assert_null(nd_crl_reason_name(99));
}

static void
cache_round_trip(void **state)
{
	char dir[] = "/tmp/nd-cache-test.XXXXXX";
	uint8_t *p = NULL;
	size_t n = 0;
	char *d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	nd_cache_store_url(dir, "crl", "http://example/x.crl", (const uint8_t *)"abc", 3);
	assert_int_equal(nd_cache_load_url(dir, "crl", "http://example/x.crl", &p, &n), ND_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "abc", 3);
	free(p);
	assert_int_equal(nd_cache_load_url(dir, "crl", "http://example/y.crl", &p, &n), ND_ERR_NOT_FOUND);
	assert_int_equal(nd_cache_load_url(NULL, "crl", "http://example/x.crl", &p, &n), ND_ERR_NOT_FOUND);
	d = nd_cache_dir(dir);
	assert_string_equal(d, dir);
	free(d);
	setenv("XDG_CACHE_HOME", "/var/cache/x", 1);
	d = nd_cache_dir(NULL);
	assert_string_equal(d, "/var/cache/x/nesdoctor");
	free(d);
	unsetenv("XDG_CACHE_HOME");
	d = nd_cache_dir(NULL);
	if (getenv("HOME") && getenv("HOME")[0] == '/')
		assert_non_null(strstr(d, "/.cache/nesdoctor"));
	free(d);
	{
		char *cmd = nd_asprintf("rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
}

static void
openssl_errors(void **state)
{
	char buf[128];

	(void)state;
	ERR_clear_error();
	ERR_raise(ERR_LIB_HTTP, HTTP_R_CONNECT_FAILURE);
	ERR_raise(ERR_LIB_HTTP, HTTP_R_RETRY_TIMEOUT);
	assert_int_equal(nd_err_from_openssl(buf, sizeof buf), ND_ERR_TIMEOUT);
	assert_true(buf[0] != '\0');
	assert_int_equal(ERR_peek_error(), 0);
	ERR_raise(ERR_LIB_HTTP, HTTP_R_CONNECT_FAILURE);
	assert_int_equal(nd_err_from_openssl(buf, sizeof buf), ND_ERR_NETWORK);
	ERR_raise(ERR_LIB_ASN1, ASN1_R_TOO_LONG);
	assert_int_equal(nd_err_from_openssl(buf, sizeof buf), ND_ERR_PARSE);
	/* an empty queue */
	assert_int_equal(nd_err_from_openssl(buf, sizeof buf), ND_ERR_INTERNAL);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times),
		cmocka_unit_test(pins),
		cmocka_unit_test(garbage_is_not_a_certificate),
		cmocka_unit_test(garbage_ocsp_and_crl),
		cmocka_unit_test(cache_round_trip),
		cmocka_unit_test(openssl_errors),
	};
	nd_i18n_init("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
