/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef ND_UTIL_H
#define ND_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Upper-case hex without separators ("3B9F..."); returns a malloc'ed string. */
char *nd_hex(const uint8_t *p, size_t n);
/* Upper-case hex with a space between bytes, into a caller buffer; truncates
 * safely. */
void nd_hex_spaced(const uint8_t *p, size_t n, char *out, size_t outsz);
/* Parse hex (spaces and colons allowed) into out; returns the byte count or
 * -1 on a bad digit, odd count, or overflow of max. */
long nd_unhex(const char *s, uint8_t *out, size_t max);

/* Mask a Turkish identity number for display: "12345678901" -> "123******01".
 * Anything that is not 11 digits is masked all but its first and last char.
 * Returns a malloc'ed string. */
char *nd_mask_tckn(const char *id);
/* The TCKN checksum (10th and 11th digits). */
bool nd_tckn_valid(const char *id);

/* Base64 (RFC 4648, with padding) through OpenSSL. nd_base64 returns a
 * malloc'ed string; nd_unbase64 returns malloc'ed bytes and their count in
 * *n, or NULL for malformed input or more than max decoded bytes. */
char *nd_base64(const uint8_t *p, size_t n);
uint8_t *nd_unbase64(const char *s, size_t max, size_t *n);

/* Read at most max bytes of a small text file (os-release, /proc files,
 * configuration) into a NUL-terminated malloc'ed string; NULL when it
 * cannot be opened or is not a regular file (a FIFO is never waited
 * for). *exists (may be NULL) tells "absent" from "unreadable". */
char *nd_read_file(const char *path, size_t max, bool *exists);
/* The same, with the number of bytes read in *len (may be NULL): for
 * files that hold NUL bytes. */
char *nd_read_file_n(const char *path, size_t max, size_t *len, bool *exists);
/* The same from an open descriptor (left open): NULL unless it is a
 * regular file. */
char *nd_read_fd(int fd, size_t max, size_t *len);

/* Monotonic milliseconds. */
int64_t nd_now_ms(void);

/* malloc'ed printf; aborts on out of memory (there is nothing sensible left
 * to do in a diagnostic tool that cannot allocate a message). */
char *nd_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *nd_xcalloc(size_t n, size_t sz);
char *nd_xstrdup(const char *s);

/* Wipe and free a secret. */
void nd_freezero(void *p, size_t n);

/* json-c helpers that tolerate missing keys and wrong types. */
const char *nd_jstr(const json_object *o, const char *key);    /* NULL if absent */
int64_t nd_jint(const json_object *o, const char *key, int64_t dflt);
bool nd_jbool(const json_object *o, const char *key, bool dflt);
json_object *nd_jobj(const json_object *o, const char *key);   /* borrowed */
json_object *nd_jarr(const json_object *o, const char *key);   /* borrowed, array or NULL */
/* 1 or 0 for a JSON boolean, -1 when the key is absent, null or not a
 * boolean: "unknown" is an answer of its own for many facts. */
int nd_jtri(const json_object *o, const char *key);
/* Does the array hold the string s? */
bool nd_jarr_has_str(const json_object *arr, const char *s);
/* Add a string or JSON null when s is NULL. */
void nd_jset_str(json_object *o, const char *key, const char *s);

/* Name tables of the typed views (pcsc/view.c, p11/view.c, x509/view.c):
 * names[v] is the inventory's word for enum value v; names[0] (ABSENT) and
 * the OTHER value are NULL. */
#define ND_N_OF(a) (sizeof(a) / sizeof((a)[0]))
/* 0 (ABSENT) for NULL, the index of s, or other when no name matches. */
size_t nd_name_lookup(const char *const *names, size_t n, const char *s, size_t other);
/* names[v], or NULL out of range. */
const char *nd_name_of(const char *const *names, size_t n, size_t v);

#endif
