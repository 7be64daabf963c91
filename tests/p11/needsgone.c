/* SPDX-License-Identifier: BSD-2-Clause */
/* A PKCS#11 module linked against a library that is not there at run time
 * (libndgone.so.1 is built, but no loader path leads to it): dlopen fails
 * the way it does when libpcsclite1 is missing. */
#include <p11-kit/pkcs11.h>

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);
int nd_gone(void);

CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
	*list = NULL;
	return nd_gone() ? CKR_OK : CKR_GENERAL_ERROR;
}
