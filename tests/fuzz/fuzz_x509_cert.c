/* Certificate files and downloads (PEM, DER, PKCS#7) and the facts read
 * out of each certificate. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "x509/x509_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char err[256];

	if (sk && nd_x509_decode_certs(data, size, sk, err, sizeof err) == ND_OK) {
		for (int i = 0; i < sk_X509_num(sk); i++) {
			json_object *fx = nd_x509_describe(sk_X509_value(sk, i), i & 1);
			char *fp = nd_x509_sha256_hex(sk_X509_value(sk, i));
			(void)json_object_to_json_string(fx);
			json_object_put(fx);
			free(fp);
		}
	}
	sk_X509_pop_free(sk, X509_free);
	return 0;
}
