/* SPDX-License-Identifier: BSD-2-Clause */
/* Firefox's profiles.ini and NSS's pkcs11.txt, java -version's banner and a JVM's release file. */
#include <stddef.h>
#include <stdint.h>

#include "sys/sys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object_put(nd_sys_parse_profiles_ini_n(data, size));
	json_object_put(nd_sys_parse_pkcs11_txt_n(data, size));
	json_object_put(nd_sys_parse_java_version_n(data, size));
	json_object_put(nd_sys_parse_java_release_n(data, size));
	return 0;
}
