/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the p11 layer: the pieces the collector and the signing test are
 * made of, exposed for the unit tests and fuzz harnesses. */
#ifndef ND_P11_INT_H
#define ND_P11_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <p11-kit/pkcs11.h>

#include "core/error.h"
#include "core/isolate.h"
#include "core/opts.h"
#include "p11/p11.h"

/* Bounds on what a module may hand us; beyond them it is garbage. */
#define ND_P11_MAX_SLOTS 64
#define ND_P11_MAX_MECHS 1024
#define ND_P11_MAX_OBJECTS 64      /* per class and token */
#define ND_P11_MAX_ATTR (64u << 10)  /* one attribute value (a certificate) */
#define ND_P11_MAX_RETRIES 4         /* CKR_BUFFER_TOO_SMALL rounds */
#define ND_P11_MAX_STR 256           /* one string in a message */

/* --- strings the module gives us (text.c) --------------------------- */

/* What was wrong with a string, as bits: */
enum {
	ND_P11S_NUL = 1 << 0,        /* NUL-terminated or NUL-padded, not blank-padded */
	ND_P11S_GARBAGE = 1 << 1,    /* bytes after the NUL */
	ND_P11S_UTF8 = 1 << 2,       /* not valid UTF-8 (replaced by U+FFFD) */
	ND_P11S_CONTROL = 1 << 3,    /* control characters (replaced by U+FFFD) */
	ND_P11S_TRUNCATED = 1 << 4,  /* longer than we keep */
};

/* A fixed-size, blank-padded PKCS#11 field (CK_TOKEN_INFO.label, ...) as a
 * clean UTF-8 string: cut at a NUL, blanks trimmed, invalid UTF-8 and
 * control characters replaced. Returns a malloc'ed string; *anom gets the
 * ND_P11S_* bits (may be NULL). */
char *nd_p11_field(const uint8_t *p, size_t n, unsigned *anom);
/* Any bytes (a string from a child message) as clean UTF-8 of at most max
 * bytes, cut at a character boundary. malloc'ed. */
char *nd_p11_clean(const char *s, size_t n, size_t max, unsigned *anom);
/* Append "<field>.<problem>" codes for the bits of anom to arr. */
void nd_p11_anomalies_add(json_object *arr, const char *field, unsigned anom);
/* Mask every run of exactly 11 digits (a TCKN in a label such as
 * "12345678901NES0") with nd_mask_tckn(). malloc'ed. */
char *nd_p11_mask_ids(const char *s);

/* --- ELF pre-check (elf.c) ----------------------------------------- */

struct nd_elf {
	unsigned bits;      /* 32 or 64 */
	unsigned endian;    /* 1 little, 2 big */
	unsigned type;      /* e_type: 3 = shared object */
	unsigned machine;   /* e_machine */
};

/* Parse the ELF identification and header start. ND_ERR_PARSE: not ELF;
 * ND_ERR_TRUNCATED: too short. */
nd_err nd_p11_elf_parse(const uint8_t *p, size_t n, struct nd_elf *e);
/* Read a file's header: also ND_ERR_NOT_FOUND, ND_ERR_ACCESS, ND_ERR_IO. */
nd_err nd_p11_elf_read(const char *path, struct nd_elf *e);
/* This process's own architecture (from /proc/self/exe, else compiled in). */
void nd_p11_elf_self(struct nd_elf *e);
/* "x86-64", "i386", "AArch64", ... or NULL for a number we do not know. */
const char *nd_p11_elf_machine(unsigned machine);

/* --- the dynamic loader's complaints (dlerr.c; enum nd_dl_kind in p11.h) */

struct nd_dl_explain {
	enum nd_dl_kind kind;
	char lib[128];          /* the missing or too-old library ("libpcsclite.so.1") */
	char symbol[128];       /* the undefined symbol or the version ("GLIBC_2.34") */
	const char *package;    /* Debian package that provides lib, or NULL */
};

void nd_p11_dlerror_explain(const char *module, const char *msg, struct nd_dl_explain *ex);
/* The Debian package that ships a shared library, from our table. */
const char *nd_p11_package_for(const char *soname);

/* --- where modules are (discover.c) ---------------------------------- */

struct nd_p11_candidate {
	char *path;             /* file to load */
	const char *source;     /* "--module", "akis-known-path", "p11-kit", "opensc" */
	char *config;           /* the p11-kit module config file, or NULL */
	const char *skip;       /* why it is not loaded ("trust-module", ...), or NULL */
};

struct nd_p11_candidates {
	struct nd_p11_candidate *v;
	size_t n, cap;
};

/* --module paths when given (only those), else the AKIS library's known
 * places, the modules registered with p11-kit, and OpenSC's module; one
 * entry per real file. NESDOCTOR_P11_SYSROOT (tests) prefixes every
 * searched path. */
void nd_p11_discover(const struct nd_opts *o, struct nd_p11_candidates *c);
void nd_p11_candidates_reset(struct nd_p11_candidates *c);
/* The AKIS library's known places (without sysroot), NULL-terminated. */
extern const char *const nd_p11_akis_paths[];
bool nd_p11_is_akis_path(const char *path);

/* nd_p11kit_conf_parse (one p11-kit module config file) is in p11.h:
 * setup reads the same files. */

/* --- slot description -> PC/SC reader (match.c) ---------------------- */

#define ND_P11_MATCH_NONE (-1)
#define ND_P11_MATCH_AMBIGUOUS (-2)
/* Index of the reader the slot description names, or one of the above. */
int nd_p11_match_reader(const char *slot_desc, const char *const *readers, size_t n);

/* --- the child (probe.c) and what the parent makes of it (ingest.c) -- */

struct nd_p11_probe_arg {
	const char *path;
	bool quiet;             /* send the module's stderr to /dev/null */
};
/* Child: load the module, ask it everything, send the answers. */
void nd_p11_probe_child(struct nd_chan *ch, void *arg);
/* Child helpers shared with the signing test: dlopen + C_GetFunctionList
 * (message "load"), C_Initialize(NULL) with its fallback (message "init"),
 * and stderr to /dev/null. */
bool nd_p11_child_load(struct nd_chan *ch, const char *path, CK_FUNCTION_LIST_PTR *f);
bool nd_p11_child_init(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f);
void nd_p11_child_quiet(void);

struct nd_p11_ingest;
/* Parent: turn a child's messages into inventory entries. `module` is the
 * inventory.modules entry (borrowed); `readers` is inventory.readers or
 * NULL. */
struct nd_p11_ingest *nd_p11_ingest_new(json_object *module, const json_object *readers,
                                        const struct nd_opts *opts);
bool nd_p11_ingest_msg(json_object *msg, void *ingest);   /* an nd_msg_fn */
/* After the child ended: set the module's status, pair keys and
 * certificates, and append tokens and certificates (and the DER, parallel,
 * to internal_certs). */
void nd_p11_ingest_end(struct nd_p11_ingest *in, const struct nd_child_result *res,
                       json_object *tokens, json_object *certs, json_object *internal_certs);
void nd_p11_ingest_free(struct nd_p11_ingest **inp);   /* frees, *inp = NULL */

/* --- sign-test: the child (sign_child.c) and the parent (sign_parent.c) */

#define ND_P11_SIGN_MSG_LEN 64   /* the random message the token signs */
#define ND_P11_SIG_MAX 1024      /* RSA-8192 */
struct nd_p11_sign_arg {
	const char *path;
	unsigned long slot;
	const char *label, *serial;   /* to find the token again */
	uint8_t id[256];              /* the certificate's CKA_ID */
	size_t id_len;
	char *pin;                    /* NULL: the reader's PIN pad */
	size_t pin_len;
	bool force, quiet;
	uint8_t msg[ND_P11_SIGN_MSG_LEN];
};
/* Child: find the token again, refuse a locked one (or a final try without
 * force), log in once, sign msg, send the signature; the PIN is wiped on
 * every path. */
void nd_p11_sign_child(struct nd_chan *ch, void *arg);

/* --- certificates (certinfo.c) ----------------------------------------- */

/* Summarise a DER certificate into `c` (subject, issuer, serial, validity,
 * key type and size, key usage), masking the TCKN unless show_id. Returns
 * false when it does not parse. */
bool nd_p11_cert_summary(const uint8_t *der, size_t n, bool show_id, json_object *c);
/* An RSA certificate's modulus as upper-case hex (no leading zero bytes),
 * or NULL. malloc'ed. */
char *nd_p11_cert_modulus_hex(const uint8_t *der, size_t n);

/* which modules, tokens and certificates matter (select.c): in p11.h */

/* Token flag names, in the order the report lists them. */
struct nd_p11_flag {
	unsigned long bit;
	const char *name;
};
extern const struct nd_p11_flag nd_p11_token_flags[];
json_object *nd_p11_flags_json(unsigned long flags);

/* --- the child's messages (msg.c) ------------------------------------ */

/* A new message of type t ({"t": t}). */
json_object *nd_p11_msg_new(const char *t);
/* Send m to the parent and drop it. */
void nd_p11_msg_send(struct nd_chan *ch, json_object *m);
/* A CK_ULONG the child sent as a JSON integer; false when absent or not an
 * integer (a message is outside data to the parent). */
bool nd_p11_msg_ul(const json_object *m, const char *key, unsigned long *v);

/* Mechanism names for the ones we care about (NULL for others). */
const char *nd_p11_mech_name(unsigned long m);
bool nd_p11_mech_can_sign(unsigned long m);

#endif
