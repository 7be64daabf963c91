/* SPDX-License-Identifier: BSD-2-Clause */
/* Outside data on its way out: a certificate subject, a file name, a reader
 * name, a token label or a module string can hold any bytes. Before such a
 * string reaches a terminal or a JSON document it goes through here:
 *  - text: every control character (C0 with \n \r \t, DEL, C1), the Unicode
 *    bidirectional controls and every byte that is not UTF-8 become a
 *    visible escape (\n, \x1b, \u009b, \u202e, \xff), so that no name can
 *    move the cursor, set the title or forge a line of the report;
 *  - JSON: every string (keys too) valid UTF-8, invalid sequences replaced
 *    by U+FFFD;
 *  - both: every run of exactly 11 digits that passes the TCKN checksum is
 *    masked ("123******01") unless --show-id. */
#ifndef ND_SAFE_H
#define ND_SAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

/* Mask, in place, every run of exactly 11 ASCII digits (bounded by
 * non-digits: "12345678901NES0" is one) that passes the TCKN checksum, as
 * nd_mask_tckn() does. Returns how many were masked. */
size_t nd_mask_tckns(char *s);

/* Is s[0..n) well-formed UTF-8 (no overlong forms, surrogates or code points
 * above U+10FFFF)? */
bool nd_utf8_valid(const char *s, size_t n);
/* A copy of s with every ill-formed byte replaced by U+FFFD. malloc'ed. */
char *nd_utf8_repair(const char *s);

/* s for a terminal: TCKNs masked unless show_id, then every control
 * character, bidi control and non-UTF-8 byte escaped. With keep_newlines,
 * '\n' stays (a multi-line remedy whose lines the caller indents). NULL
 * gives "". malloc'ed. */
char *nd_safe_text(const char *s, bool show_id, bool keep_newlines);
/* Print s through nd_safe_text() (newlines escaped). */
void nd_safe_fputs(const char *s, bool show_id, FILE *out);
/* printf-style, one line: the formatted text goes through nd_safe_text()
 * as a whole and a newline follows. For diagnostics on stderr that carry
 * outside data (file names, option values, module paths). */
void nd_safe_line(FILE *out, bool show_id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

enum nd_safe_mode {
	ND_SAFE_JSON,   /* UTF-8 repaired, "file"/"path" get a "<key>_hex" side field when not UTF-8 */
	ND_SAFE_TEXT,   /* nd_safe_text() on every string value */
};
/* A deep copy of `in` with every string made safe for the mode, TCKNs
 * masked unless show_id (except in fields that hold hex by nature: see
 * safe.c). New reference; NULL for NULL. */
json_object *nd_safe_json(json_object *in, enum nd_safe_mode mode, bool show_id);

#endif
