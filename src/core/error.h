/* SPDX-License-Identifier: BSD-2-Clause */
/* One error type for the whole tool. Each layer turns its own library's
 * codes (PC/SC, PKCS#11, libusb, OpenSSL) into these in error.c, and keeps
 * the library's own name for the report (for example "SCARD_E_NO_SERVICE"). */
#ifndef ND_ERROR_H
#define ND_ERROR_H

#include <stddef.h>

typedef enum nd_err {
	ND_OK = 0,
	ND_ERR_NOMEM,        /* out of memory */
	ND_ERR_ARG,          /* bad argument (a bug, or bad user input) */
	ND_ERR_PARSE,        /* malformed outside bytes */
	ND_ERR_TRUNCATED,    /* outside bytes end too early */
	ND_ERR_TIMEOUT,      /* an outside party did not answer in time */
	ND_ERR_CRASH,        /* an isolated child died of a signal */
	ND_ERR_IO,           /* read/write/socket failure */
	ND_ERR_NOT_FOUND,    /* the thing looked for is not there */
	ND_ERR_ACCESS,       /* permission denied (files, polkit, devices) */
	ND_ERR_NO_SERVICE,   /* a daemon is not running / not reachable */
	ND_ERR_PROTOCOL,     /* the other side spoke nonsense */
	ND_ERR_SHARING,      /* resource held exclusively by someone else */
	ND_ERR_CARD,         /* the card is mute, absent or refused */
	ND_ERR_MODULE,       /* a PKCS#11 module misbehaved */
	ND_ERR_PIN,          /* PIN wrong, locked, or refused */
	ND_ERR_CRYPTO,       /* a signature or certificate did not verify */
	ND_ERR_NETWORK,      /* network unreachable, DNS, proxy */
	ND_ERR_UNSUPPORTED,  /* not supported here */
	ND_ERR_INTERNAL,     /* anything else */
} nd_err;

/* Short, untranslated name ("ND_ERR_TIMEOUT" -> "timeout"), for JSON. */
const char *nd_err_name(nd_err e);
/* A sentence for people, translated. */
const char *nd_strerror(nd_err e);

/* Translators from each library's codes, one file each in src/core/:
 * error_pcsc.c, error_p11.c, error_usb.c, error_ssl.c. The *_name functions
 * return the library's own symbol ("SCARD_E_NO_SERVICE", "CKR_PIN_LOCKED",
 * "LIBUSB_ERROR_ACCESS"), or a hex string for unknown codes (static buffer). */
nd_err nd_err_from_pcsc(long rv);
const char *nd_pcsc_rv_name(long rv);
nd_err nd_err_from_ckr(unsigned long rv);
const char *nd_ckr_name(unsigned long rv);
nd_err nd_err_from_libusb(int rv);
const char *nd_libusb_name(int rv);
/* Pops OpenSSL's error queue: the first reason as text into buf. */
nd_err nd_err_from_openssl(char *buf, size_t bufsz);

#endif
