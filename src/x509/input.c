/* SPDX-License-Identifier: BSD-2-Clause */
/* Certificate files for `nesdoctor verify`, turned into the inventory
 * shapes that the PKCS#11 layer writes for a token's certificates, so that
 * the collector and the checks do not care where certificates came from. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/util.h"
#include "x509/x509.h"
#include "x509/x509_int.h"

static json_object *
ensure_array(json_object *parent, const char *key)
{
	json_object *a = nd_jarr(parent, key);

	if (!a) {
		a = json_object_new_array();
		json_object_object_add(parent, key, a);
	}
	return a;
}

size_t
nd_x509_add_files(struct nd_report *rep, char *const *files, size_t n)
{
	json_object *certs = ensure_array(rep->inventory, "certificates");
	json_object *ders = ensure_array(rep->internal, "certificates");
	json_object *inputs = ensure_array(rep->inventory, "inputs");
	bool show_id = rep->opts && rep->opts->show_id;
	size_t total = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *in = json_object_new_object(), *skipped = json_object_new_array();
		STACK_OF(X509) *sk = sk_X509_new_null();
		uint8_t *buf = NULL;
		size_t len = 0;
		char err[256] = "";
		nd_err e;

		json_object_object_add(in, "file", json_object_new_string(files[i]));
		e = nd_x509_read_file(files[i], ND_X509_MAX_FILE, &buf, &len, err, sizeof err);
		if (e == ND_OK)
			e = nd_x509_decode_certs_skipped(buf, len, sk, skipped, err, sizeof err);
		for (int k = 0; e == ND_OK && sk && k < sk_X509_num(sk); k++) {
			X509 *x = sk_X509_value(sk, k);
			json_object *fx = nd_x509_describe(x, show_id), *c = json_object_new_object(), *v;
			json_object *d = json_object_new_object();
			unsigned char *der = NULL;
			int dl = i2d_X509(x, &der);
			char *b64;

			static const char *const keys[] = { "subject", "issuer", "serial", "not_before", "not_after" };
			for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++)
				if (json_object_object_get_ex(fx, keys[j], &v))
					json_object_object_add(c, keys[j], json_object_get(v));
			json_object_object_add(c, "file", json_object_new_string(files[i]));
			json_object_object_add(c, "has_private_key", NULL);
			b64 = dl > 0 ? nd_base64(der, (size_t)dl) : nd_xstrdup("");
			json_object_object_add(d, "der", json_object_new_string(b64));
			json_object_array_add(certs, c);
			json_object_array_add(ders, d);
			free(b64);
			OPENSSL_free(der);
			json_object_put(fx);
			total++;
		}
		json_object_object_add(in, "certificates", json_object_new_int(e == ND_OK && sk ? sk_X509_num(sk) : 0));
		/* what was read past: a key, a damaged block, text around blocks */
		json_object_object_add(in, "skipped", skipped);
		if (e != ND_OK) {
			json_object_object_add(in, "error", json_object_new_string(nd_err_name(e)));
			json_object_object_add(in, "detail", json_object_new_string(err));
		} else
			json_object_object_add(in, "error", NULL);
		json_object_array_add(inputs, in);
		sk_X509_pop_free(sk, X509_free);
		free(buf);
	}
	return total;
}
