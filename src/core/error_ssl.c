/* SPDX-License-Identifier: BSD-2-Clause */
/* OpenSSL's error queue into our error type. The queue holds the low-level
 * cause first (a refused connect, a bad ASN.1 tag) and the higher-level
 * consequences after it; people want the first, classification wants the
 * most telling one (a timeout anywhere makes the whole thing a timeout). */
#include <stdio.h>
#include <string.h>

#include <openssl/asn1err.h>
#include <openssl/bioerr.h>
#include <openssl/err.h>
#include <openssl/httperr.h>

#include "core/error.h"

static nd_err
classify(unsigned long e)
{
	int lib = ERR_GET_LIB(e), reason = ERR_GET_REASON(e);

	if (reason == ERR_R_MALLOC_FAILURE)
		return ND_ERR_NOMEM;
	switch (lib) {
	case ERR_LIB_HTTP:
		switch (reason) {
		case HTTP_R_RETRY_TIMEOUT:
			return ND_ERR_TIMEOUT;
		case HTTP_R_CONNECT_FAILURE:
		case HTTP_R_ERROR_RECEIVING:
		case HTTP_R_ERROR_SENDING:
		case HTTP_R_SERVER_CANCELED_CONNECTION:
		case HTTP_R_FAILED_READING_DATA:
			return ND_ERR_NETWORK;
		case HTTP_R_ERROR_PARSING_URL:
		case HTTP_R_INVALID_PORT_NUMBER:
		case HTTP_R_INVALID_URL_PATH:
		case HTTP_R_INVALID_URL_SCHEME:
			return ND_ERR_ARG;
		case HTTP_R_MISSING_ASN1_ENCODING:
		case HTTP_R_ERROR_PARSING_ASN1_LENGTH:
			return ND_ERR_PARSE;
		case HTTP_R_TLS_NOT_ENABLED:
		case HTTP_R_SOCK_NOT_SUPPORTED:
			return ND_ERR_UNSUPPORTED;
		default:
			return ND_ERR_PROTOCOL;
		}
	case ERR_LIB_BIO:
		if (reason == BIO_R_CONNECT_TIMEOUT || reason == BIO_R_TRANSFER_TIMEOUT)
			return ND_ERR_TIMEOUT;
		return ND_ERR_NETWORK;
	case ERR_LIB_SYS:
		return ND_ERR_NETWORK;
	case ERR_LIB_ASN1:
	case ERR_LIB_PEM:
	case ERR_LIB_PKCS7:
		return ND_ERR_PARSE;
	case ERR_LIB_X509:
	case ERR_LIB_X509V3:
	case ERR_LIB_OCSP:
	case ERR_LIB_EVP:
	case ERR_LIB_RSA:
	case ERR_LIB_EC:
		return ND_ERR_CRYPTO;
	default:
		return ND_ERR_INTERNAL;
	}
}

nd_err
nd_err_from_openssl(char *buf, size_t bufsz)
{
	unsigned long e, first = 0;
	nd_err rv = ND_OK, c;
	const char *data = NULL, *d;
	int flags = 0, f;

	if (buf && bufsz)
		buf[0] = '\0';
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &d, &f)) != 0) {
		c = classify(e);
		if (!first) {
			first = e;
			data = (f & ERR_TXT_STRING) ? d : NULL;
			flags = f;
			rv = c;
		} else if (c == ND_ERR_TIMEOUT) {
			rv = c;
		}
		if (buf && bufsz && first == e) {
			const char *r = ERR_reason_error_string(e);
			if (r)
				snprintf(buf, bufsz, "%s", r);
			else
				snprintf(buf, bufsz, "error:%08lX", e);
			/* "calling connect()" and such say where, not what */
			if (data && *data && (flags & ERR_TXT_STRING) && ERR_GET_LIB(e) != ERR_LIB_SYS) {
				size_t n = strlen(buf);
				snprintf(buf + n, bufsz - n, " (%s)", data);
			}
		}
	}
	return first ? rv : ND_ERR_INTERNAL;
}
