/* SPDX-License-Identifier: BSD-2-Clause */
/* PKCS#11 numbers that go into the report by name: token flags and the
 * mechanisms that can make a signature. */
#include <p11-kit/pkcs11.h>

#include "p11/p11_int.h"

/* The JSON names of CK_TOKEN_INFO.flags, in the order of the standard.
 * Scripts read these keys: never rename one. */
const struct nd_p11_flag nd_p11_token_flags[] = {
	{ CKF_RNG, "rng" },
	{ CKF_WRITE_PROTECTED, "write_protected" },
	{ CKF_LOGIN_REQUIRED, "login_required" },
	{ CKF_USER_PIN_INITIALIZED, "user_pin_initialized" },
	{ CKF_RESTORE_KEY_NOT_NEEDED, "restore_key_not_needed" },
	{ CKF_CLOCK_ON_TOKEN, "clock_on_token" },
	{ CKF_PROTECTED_AUTHENTICATION_PATH, "protected_authentication_path" },
	{ CKF_DUAL_CRYPTO_OPERATIONS, "dual_crypto_operations" },
	{ CKF_TOKEN_INITIALIZED, "token_initialized" },
	{ CKF_SECONDARY_AUTHENTICATION, "secondary_authentication" },
	{ CKF_USER_PIN_COUNT_LOW, "user_pin_count_low" },
	{ CKF_USER_PIN_FINAL_TRY, "user_pin_final_try" },
	{ CKF_USER_PIN_LOCKED, "user_pin_locked" },
	{ CKF_USER_PIN_TO_BE_CHANGED, "user_pin_to_be_changed" },
	{ CKF_SO_PIN_COUNT_LOW, "so_pin_count_low" },
	{ CKF_SO_PIN_FINAL_TRY, "so_pin_final_try" },
	{ CKF_SO_PIN_LOCKED, "so_pin_locked" },
	{ CKF_SO_PIN_TO_BE_CHANGED, "so_pin_to_be_changed" },
	{ 0, NULL },
};

json_object *
nd_p11_flags_json(unsigned long flags)
{
	json_object *o = json_object_new_object();

	for (size_t i = 0; nd_p11_token_flags[i].name; i++)
		json_object_object_add(o, nd_p11_token_flags[i].name,
		    json_object_new_boolean((flags & nd_p11_token_flags[i].bit) != 0));
	return o;
}

static const struct {
	unsigned long m;
	const char *name;
} mechs[] = {
	{ CKM_RSA_PKCS, "CKM_RSA_PKCS" },
	{ CKM_SHA1_RSA_PKCS, "CKM_SHA1_RSA_PKCS" },
	{ CKM_SHA224_RSA_PKCS, "CKM_SHA224_RSA_PKCS" },
	{ CKM_SHA256_RSA_PKCS, "CKM_SHA256_RSA_PKCS" },
	{ CKM_SHA384_RSA_PKCS, "CKM_SHA384_RSA_PKCS" },
	{ CKM_SHA512_RSA_PKCS, "CKM_SHA512_RSA_PKCS" },
	{ CKM_RSA_PKCS_PSS, "CKM_RSA_PKCS_PSS" },
	{ CKM_SHA1_RSA_PKCS_PSS, "CKM_SHA1_RSA_PKCS_PSS" },
	{ CKM_SHA224_RSA_PKCS_PSS, "CKM_SHA224_RSA_PKCS_PSS" },
	{ CKM_SHA256_RSA_PKCS_PSS, "CKM_SHA256_RSA_PKCS_PSS" },
	{ CKM_SHA384_RSA_PKCS_PSS, "CKM_SHA384_RSA_PKCS_PSS" },
	{ CKM_SHA512_RSA_PKCS_PSS, "CKM_SHA512_RSA_PKCS_PSS" },
	{ CKM_ECDSA, "CKM_ECDSA" },
	{ CKM_ECDSA_SHA1, "CKM_ECDSA_SHA1" },
	{ CKM_ECDSA_SHA224, "CKM_ECDSA_SHA224" },
	{ CKM_ECDSA_SHA256, "CKM_ECDSA_SHA256" },
	{ CKM_ECDSA_SHA384, "CKM_ECDSA_SHA384" },
	{ CKM_ECDSA_SHA512, "CKM_ECDSA_SHA512" },
};

const char *
nd_p11_mech_name(unsigned long m)
{
	for (size_t i = 0; i < sizeof mechs / sizeof mechs[0]; i++)
		if (mechs[i].m == m)
			return mechs[i].name;
	return NULL;
}

bool
nd_p11_mech_can_sign(unsigned long m)
{
	return nd_p11_mech_name(m) != NULL;
}
