/* SPDX-License-Identifier: BSD-2-Clause */
/* The typed view of the p11 inventory: one name table per enum. */
#include <string.h>

#include "core/util.h"
#include "p11/view.h"

/* Indexed by the enums; NULL for the values that have no JSON string. */
static const char *const module_status_names[] = {
	[ND_MOD_OK] = "ok",
	[ND_MOD_NOT_FOUND] = "not_found",
	[ND_MOD_WRONG_ARCH] = "wrong_arch",
	[ND_MOD_NOT_ELF] = "not_elf",
	[ND_MOD_LOAD_FAILED] = "load_failed",
	[ND_MOD_INIT_FAILED] = "init_failed",
	[ND_MOD_TIMEOUT] = "timeout",
	[ND_MOD_CRASHED] = "crashed",
	[ND_MOD_EXITED] = "exited",
	[ND_MOD_BAD_MESSAGE] = "bad_message",
	[ND_MOD_SKIPPED] = "skipped",
	[ND_MOD_NOT_RUN] = "not_run",
	[ND_MOD_NOT_PROBED] = "not_probed",
	[ND_MOD_OTHER] = NULL,
};

static const char *const token_device_names[] = {
	[ND_DEV_AKIS] = "akis",
	[ND_DEV_ID_CARD] = "id_card",
	[ND_DEV_OTHER] = NULL,
};

static const char *const sign_status_names[] = {
	[ND_SIGN_VERIFIED] = "verified",
	[ND_SIGN_REFUSED] = "refused",
	[ND_SIGN_FAILED] = "failed",
	[ND_SIGN_NOT_RUN] = "not_run",
	[ND_SIGN_OTHER] = NULL,
};

static const char *const sign_reason_names[] = {
	[ND_SR_LOCKED] = "locked",
	[ND_SR_PIN_LOCKED] = "pin_locked",
	[ND_SR_FINAL_TRY] = "final_try",
	[ND_SR_NO_PIN] = "no_pin",
	[ND_SR_PIN_UNREADABLE] = "pin_unreadable",
	[ND_SR_PIN_TOO_LONG] = "pin_too_long",
	[ND_SR_PIN_EMPTY] = "pin_empty",
	[ND_SR_PIN_HAS_NUL] = "pin_has_nul",
	[ND_SR_PIN_LENGTH] = "pin_length",
	[ND_SR_PIN_INCORRECT] = "pin_incorrect",
	[ND_SR_PIN_INVALID] = "pin_invalid",
	[ND_SR_PIN_EXPIRED] = "pin_expired",
	[ND_SR_LOGIN_FAILED] = "login_failed",
	[ND_SR_CONTEXT_LOGIN_FAILED] = "context_login_failed",
	[ND_SR_NO_TOKEN] = "no_token",
	[ND_SR_TOKEN_GONE] = "token_gone",
	[ND_SR_NO_CERTIFICATE] = "no_certificate",
	[ND_SR_NO_CERTIFICATE_ID] = "no_certificate_id",
	[ND_SR_NO_KEY] = "no_key",
	[ND_SR_NO_MECHANISM] = "no_mechanism",
	[ND_SR_VERIFY_FAILED] = "verify_failed",
	[ND_SR_TIMEOUT] = "timeout",
	[ND_SR_CRASHED] = "crashed",
	[ND_SR_OTHER] = NULL,
};

const char *
nd_module_status_name(enum nd_module_status s)
{
	return nd_name_of(module_status_names, ND_N_OF(module_status_names), (size_t)s);
}

const char *
nd_token_device_name(enum nd_token_device d)
{
	return nd_name_of(token_device_names, ND_N_OF(token_device_names), (size_t)d);
}

const char *
nd_sign_status_name(enum nd_sign_status s)
{
	return nd_name_of(sign_status_names, ND_N_OF(sign_status_names), (size_t)s);
}

const char *
nd_sign_reason_name(enum nd_sign_reason r)
{
	return nd_name_of(sign_reason_names, ND_N_OF(sign_reason_names), (size_t)r);
}

json_object *
nd_p11_modules(const json_object *inventory)
{
	return nd_jarr(inventory, "modules");
}

json_object *
nd_p11_tokens(const json_object *inventory)
{
	return nd_jarr(inventory, "tokens");
}

json_object *
nd_p11_certificates(const json_object *inventory)
{
	return nd_jarr(inventory, "certificates");
}

json_object *
nd_p11_sign_facts(const json_object *inventory)
{
	return nd_jobj(inventory, "sign_test");
}

enum nd_module_status
nd_p11_module_status(const json_object *module)
{
	return (enum nd_module_status)nd_name_lookup(module_status_names, ND_N_OF(module_status_names),
	    nd_jstr(module, ND_P11_K_STATUS), ND_MOD_OTHER);
}

enum nd_token_device
nd_p11_token_device(const json_object *token)
{
	return (enum nd_token_device)nd_name_lookup(token_device_names, ND_N_OF(token_device_names),
	    nd_jstr(token, ND_P11_K_DEVICE), ND_DEV_OTHER);
}

enum nd_sign_status
nd_p11_sign_status(const json_object *sign_test)
{
	return (enum nd_sign_status)nd_name_lookup(sign_status_names, ND_N_OF(sign_status_names),
	    nd_jstr(sign_test, ND_P11_K_STATUS), ND_SIGN_OTHER);
}

enum nd_sign_reason
nd_p11_sign_reason(const json_object *sign_test)
{
	return (enum nd_sign_reason)nd_name_lookup(sign_reason_names, ND_N_OF(sign_reason_names),
	    nd_jstr(sign_test, ND_P11_K_REASON), ND_SR_OTHER);
}

void
nd_p11_flags(const json_object *flags, struct nd_token_flags *f)
{
	f->known = flags != NULL;
	f->token_initialized = nd_jbool(flags, "token_initialized", true);
	f->user_pin_initialized = nd_jbool(flags, "user_pin_initialized", true);
	f->user_pin_locked = nd_jbool(flags, "user_pin_locked", false);
	f->user_pin_final_try = nd_jbool(flags, "user_pin_final_try", false);
	f->user_pin_count_low = nd_jbool(flags, "user_pin_count_low", false);
	f->user_pin_to_be_changed = nd_jbool(flags, "user_pin_to_be_changed", false);
	f->protected_authentication_path = nd_jbool(flags, "protected_authentication_path", false);
}
