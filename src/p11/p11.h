/* SPDX-License-Identifier: BSD-2-Clause */
/* The p11 layer: finds the PKCS#11 modules (the AKIS library first), loads
 * each one in a child process, and records what it says about slots,
 * tokens, PIN state, mechanisms and objects. Nothing here runs module code
 * in the tool's own process. */
#ifndef ND_P11_H
#define ND_P11_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"
#include "p11/view.h"
#include "report/report.h"

/* Add this layer's facts to rep->inventory: "modules", "tokens",
 * "certificates" (and the certificates' DER to rep->internal). Bounded by
 * rep->opts->timeout_s per module call. Errors are facts too: they go into
 * the inventory, and the return value only says whether collecting itself
 * could run. Reads inventory.readers (the pcsc collector runs first) to tell
 * which reader each slot is. */
nd_err nd_p11_collect(struct nd_report *rep);

/* Where the signing test gets the PIN. read() is called at most once, and
 * only when a login is really going to happen (never for a locked token or
 * a refused final try): it writes the PIN into buf (NUL-terminated, at most
 * bufsz - 1 bytes) and returns its length (0: an empty PIN), or one of the
 * ND_PIN_* below. It sets *source to "terminal", "fd" or "env". */
#define ND_PIN_NONE       (-1)  /* nothing to ask: no terminal, no --pin-fd, no NESDOCTOR_PIN */
#define ND_PIN_UNREADABLE (-2)  /* the source could not be read; errno says why */
#define ND_PIN_TOO_LONG   (-3)  /* longer than bufsz - 1 bytes */
#define ND_PIN_HAS_NUL    (-4)  /* a NUL byte inside: the token would get less than was typed */
struct nd_p11_pin_source {
	long (*read)(void *ctx, char *buf, size_t bufsz, const char *token, const char **source);
	void *ctx;
};

/* The PIN buffer size: PKCS#11 PINs of smart cards are short; anything
 * longer is a mistake (a pasted file, a certificate). */
#define ND_P11_PIN_MAX 64

/* nesdoctor sign-test: after nd_p11_collect(), pick the signing certificate,
 * refuse when the PIN is locked (or on the final try without --force), log
 * in once, sign a fresh random message, verify the signature with OpenSSL
 * against the certificate, log out. The outcome goes to
 * inventory.sign_test for the sign.test check. The PIN is wiped on every
 * path, in the child too. */
nd_err nd_p11_sign_test(struct nd_report *rep, const struct nd_p11_pin_source *pin);

/* One p11-kit module config file ("module: opensc-pkcs11.so"), read the way
 * p11-kit reads it: "key: value" lines, blanks around both, '#' comments,
 * the last "module" wins. The one parser of these files: the collector
 * finds modules with it and setup asks whether one is registered. */
struct nd_p11kit_conf {
	char module[512];       /* "" when absent (or too long, or holding a NUL) */
	bool trust_policy;      /* a trust store, not a token */
};
bool nd_p11kit_conf_parse(const uint8_t *p, size_t n, struct nd_p11kit_conf *c);

/* --- what the checks ask of this layer ------------------------------- */

/* The dynamic loader's complaint about a module, by kind (modules[].dl_kind;
 * dlerr.c explains a dlerror() message). */
enum nd_dl_kind {
	ND_DL_OTHER,
	ND_DL_MODULE_MISSING,   /* the module file itself is not there */
	ND_DL_MISSING_LIB,      /* a library the module needs is not installed */
	ND_DL_WRONG_CLASS,      /* 32-bit library in a 64-bit process (or back) */
	ND_DL_NOT_ELF,          /* not a library at all */
	ND_DL_UNDEFINED_SYMBOL, /* built against another version of a library */
	ND_DL_VERSION,          /* needs a newer glibc/libstdc++ than installed */
	ND_DL_ACCESS,           /* permission denied */
	ND_DL_MAP_FAILED,       /* could not be mapped: a noexec file system */
};
const char *nd_p11_dl_kind_name(enum nd_dl_kind k);
enum nd_dl_kind nd_p11_dl_kind_from_name(const char *s);

/* Which modules, tokens and certificates matter (select.c). */
/* Modules that decide the verdict: the --module ones when given, else the
 * AKIS library's copies when any was found, else every module. */
bool nd_p11_module_in_scope(const json_object *inv, const json_object *module);
bool nd_p11_token_in_scope(const json_object *inv, const json_object *token);
bool nd_p11_module_is_akis(const json_object *module);
/* Any program's architecture from its ELF header (elf.c's reader, for
 * sys.java's JVM against the module): {"bits", "machine"}, or NULL when the
 * file is not an ELF file that can be read. */
json_object *nd_p11_elf_facts(const char *path);
/* The certificate a signing program would use: index into
 * inventory.certificates, or -1. nd_x509_pick_signing's one rule, among
 * the certificates of tokens in scope (and files, for verify); the x509
 * collector, the p11 checks and sign-test all ask this. */
long nd_p11_pick_signing_cert(const struct nd_report *rep);
/* The token entry a certificate sits on, or NULL. */
json_object *nd_p11_cert_token(const json_object *inv, const json_object *cert);
/* How many certificates on this token entry are qualified signing
 * certificates, judged as nd_p11_pick_signing_cert judges them. */
size_t nd_p11_token_n_qualified(const struct nd_report *rep, const json_object *token);

#endif
