/* SPDX-License-Identifier: BSD-2-Clause */
/* A typed view of the p11 inventory (inventory.modules, .tokens,
 * .certificates, .sign_test; see src/p11/ingest.c for the keys): the JSON
 * stays the model, and checks and renderers read it through these names
 * and enums, so a misspelt key or status is a compile error. Each enum has
 * one name table in view.c, the only place mapping JSON strings to values. */
#ifndef ND_P11_VIEW_H
#define ND_P11_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* inventory.modules[] */
#define ND_P11_K_PATH             "path"
#define ND_P11_K_SOURCE           "source"
#define ND_P11_K_STATUS           "status"
#define ND_P11_K_ERROR            "error"          /* a string here, an object in tokens[] */
#define ND_P11_K_ERROR_KIND       "error_kind"
#define ND_P11_K_FAILED_CALL      "failed_call"
#define ND_P11_K_MISSING_LIBRARY  "missing_library"
#define ND_P11_K_MISSING_SYMBOL   "missing_symbol"
#define ND_P11_K_PACKAGE          "package"
#define ND_P11_K_DL_KIND          "dl_kind"
#define ND_P11_K_TIMEOUT_S        "timeout_s"
#define ND_P11_K_ELF              "elf"
#define ND_P11_K_SYSTEM           "system"
#define ND_P11_K_BITS             "bits"           /* in elf, system */
#define ND_P11_K_MACHINE          "machine"        /* in elf, system */
#define ND_P11_K_SIGNAL           "signal"
#define ND_P11_K_EXIT_CODE        "exit_code"
#define ND_P11_K_INFO             "info"
#define ND_P11_K_MANUFACTURER     "manufacturer"   /* in info, and in tokens[] */
#define ND_P11_K_DESCRIPTION      "description"    /* in info, and in slots[] */
#define ND_P11_K_LIBRARY_VERSION  "library_version"
#define ND_P11_K_ANOMALIES        "anomalies"
#define ND_P11_K_BAD_MESSAGES     "bad_messages"
#define ND_P11_K_SLOTS            "slots"
#define ND_P11_K_TOKEN_PRESENT    "token_present"  /* in slots[] */
#define ND_P11_K_ID               "id"             /* in slots[], certificates[] */
/* inventory.tokens[] */
#define ND_P11_K_LABEL            "label"
#define ND_P11_K_READER           "reader"
#define ND_P11_K_SLOT             "slot"
#define ND_P11_K_SLOT_DESCRIPTION "slot_description"
#define ND_P11_K_MODULE           "module"
#define ND_P11_K_DEVICE           "device"
#define ND_P11_K_MODEL            "model"
#define ND_P11_K_SERIAL           "serial"
#define ND_P11_K_FLAGS            "flags"
#define ND_P11_K_MECHANISMS       "mechanisms"
#define ND_P11_K_MECHANISMS_ERROR "mechanisms_error"
#define ND_P11_K_OBJECTS_ERROR    "objects_error"
#define ND_P11_K_RV               "rv"             /* in error objects, sign_test */
#define ND_P11_K_CALL             "call"           /* in error objects */
#define ND_P11_K_NAME             "name"           /* in mechanisms[] */
#define ND_P11_K_SIGN             "sign"           /* in mechanisms[] */
/* inventory.certificates[] */
#define ND_P11_K_SUBJECT          "subject"
#define ND_P11_K_SUBJECT_CN       "subject_cn"
#define ND_P11_K_PARSE_ERROR      "parse_error"
#define ND_P11_K_HAS_PRIVATE_KEY  "has_private_key"
#define ND_P11_K_KEY_MATCHES      "key_matches"
#define ND_P11_K_KEY_TYPE         "key_type"
#define ND_P11_K_KEY_BITS         "key_bits"
#define ND_P11_K_NOT_AFTER        "not_after"
/* inventory.sign_test */
#define ND_P11_K_REASON           "reason"
#define ND_P11_K_CERTIFICATE_LABEL "certificate_label"
#define ND_P11_K_MECHANISM        "mechanism"
#define ND_P11_K_SIGNATURE_BYTES  "signature_bytes"
#define ND_P11_K_PIN_SOURCE       "pin_source"
#define ND_P11_K_PIN_ERRNO        "pin_errno"
#define ND_P11_K_LOGIN            "login"
#define ND_P11_K_CONTEXT_LOGIN    "context_login"
#define ND_P11_K_FLAGS_AFTER      "flags_after"

/* modules[].status. ABSENT: no such key; OTHER: a value this build does
 * not know. */
enum nd_module_status {
	ND_MOD_ABSENT,
	ND_MOD_OK,
	ND_MOD_NOT_FOUND,
	ND_MOD_WRONG_ARCH,
	ND_MOD_NOT_ELF,
	ND_MOD_LOAD_FAILED,
	ND_MOD_INIT_FAILED,
	ND_MOD_TIMEOUT,
	ND_MOD_CRASHED,
	ND_MOD_EXITED,
	ND_MOD_BAD_MESSAGE,
	ND_MOD_SKIPPED,
	ND_MOD_NOT_RUN,
	ND_MOD_NOT_PROBED,
	ND_MOD_OTHER,
};

/* tokens[].device: what the token says the card is. */
enum nd_token_device {
	ND_DEV_ABSENT,
	ND_DEV_AKIS,
	ND_DEV_ID_CARD,
	ND_DEV_OTHER,
};

/* sign_test.status */
enum nd_sign_status {
	ND_SIGN_ABSENT,
	ND_SIGN_VERIFIED,
	ND_SIGN_REFUSED,
	ND_SIGN_FAILED,
	ND_SIGN_NOT_RUN,
	ND_SIGN_OTHER,
};

/* sign_test.reason: why it did not verify. */
enum nd_sign_reason {
	ND_SR_ABSENT,
	ND_SR_LOCKED,
	ND_SR_PIN_LOCKED,
	ND_SR_FINAL_TRY,
	ND_SR_NO_PIN,
	ND_SR_PIN_UNREADABLE,
	ND_SR_PIN_TOO_LONG,
	ND_SR_PIN_EMPTY,
	ND_SR_PIN_HAS_NUL,
	ND_SR_PIN_LENGTH,
	ND_SR_PIN_INCORRECT,
	ND_SR_PIN_INVALID,
	ND_SR_PIN_EXPIRED,
	ND_SR_LOGIN_FAILED,
	ND_SR_CONTEXT_LOGIN_FAILED,
	ND_SR_NO_TOKEN,
	ND_SR_TOKEN_GONE,
	ND_SR_NO_CERTIFICATE,
	ND_SR_NO_CERTIFICATE_ID,
	ND_SR_NO_KEY,
	ND_SR_NO_MECHANISM,
	ND_SR_VERIFY_FAILED,
	ND_SR_TIMEOUT,
	ND_SR_CRASHED,
	ND_SR_OTHER,   /* init_failed, load_failed, sign_failed, no_random, module_error, ... */
};

/* The JSON string of a value; NULL for ABSENT and OTHER. */
const char *nd_module_status_name(enum nd_module_status s);
const char *nd_token_device_name(enum nd_token_device d);
const char *nd_sign_status_name(enum nd_sign_status s);
const char *nd_sign_reason_name(enum nd_sign_reason r);

/* The inventory's arrays (borrowed; NULL when not looked for) and
 * inventory.sign_test (borrowed, or NULL). */
json_object *nd_p11_modules(const json_object *inventory);
json_object *nd_p11_tokens(const json_object *inventory);
json_object *nd_p11_certificates(const json_object *inventory);
json_object *nd_p11_sign_facts(const json_object *inventory);

enum nd_module_status nd_p11_module_status(const json_object *module);
enum nd_token_device nd_p11_token_device(const json_object *token);
enum nd_sign_status nd_p11_sign_status(const json_object *sign_test);
enum nd_sign_reason nd_p11_sign_reason(const json_object *sign_test);

/* A token's flags (tokens[].flags, sign_test.flags_after), read once. The
 * defaults are what an absent flag means to the checks: initialised, not
 * locked. known is false when there is no flags object. */
struct nd_token_flags {
	bool known;
	bool token_initialized;
	bool user_pin_initialized;
	bool user_pin_locked;
	bool user_pin_final_try;
	bool user_pin_count_low;
	bool user_pin_to_be_changed;
	bool protected_authentication_path;
};
void nd_p11_flags(const json_object *flags, struct nd_token_flags *f);

#endif
