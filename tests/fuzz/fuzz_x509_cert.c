/* SPDX-License-Identifier: BSD-2-Clause */
/* Certificate files and downloads (PEM, DER, PKCS#7) and the facts read
 * out of each certificate, then those facts in a report rendered as JSON
 * and text, which no certificate may break (render_check.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/opts.h"
#include "render_check.h"
#include "report/report.h"
#include "x509/x509_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char err[256];
	struct nd_opts o;
	struct nd_report rep;
	json_object *chain = json_object_new_array();

	nd_opts_defaults(&o);
	o.show_id = size && (data[size - 1] & 1);
	nd_report_init(&rep, &o);
	rep.layers = ND_LAYER_CERT;
	if (sk && nd_x509_decode_certs(data, size, sk, err, sizeof err) == ND_OK) {
		for (int i = 0; i < sk_X509_num(sk); i++) {
			json_object *fx = nd_x509_describe(sk_X509_value(sk, i), i & 1);
			char *fp = nd_x509_sha256_hex(sk_X509_value(sk, i));
			(void)json_object_to_json_string(fx);
			/* the first as the signing certificate, all in the chain */
			if (i == 0)
				json_object_object_add(rep.inventory, "signing_certificate", json_object_get(fx));
			json_object_array_add(chain, fx);
			free(fp);
		}
	}
	json_object_object_add(rep.inventory, "chain", chain);
	nd_fuzz_check_render(&rep);
	nd_report_reset(&rep);
	sk_X509_pop_free(sk, X509_free);
	return 0;
}
