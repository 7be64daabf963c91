/* HTTP for AIA, OCSP and CRLs, through OpenSSL's client: it honours
 * http_proxy / no_proxy (when we pass NULL for them), bounds the whole
 * exchange by a timeout, and limits the answer's size. Each request is
 * logged into the inventory (URL, time taken, result). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/http.h>

#include "core/i18n.h"
#include "core/util.h"
#include "x509/x509_int.h"

void
nd_net_init(struct nd_net *net, bool offline, int timeout_s)
{
	memset(net, 0, sizeof *net);
	net->offline = offline;
	net->timeout_s = timeout_s > 0 ? timeout_s : 10;
	/* all requests of one run together: OCSP, then a CRL, plus the AIA
	 * downloads of a chain, each up to timeout_s, but never more than
	 * three timeouts in all */
	net->deadline_ms = nd_now_ms() + 3 * (int64_t)net->timeout_s * 1000;
	net->log = json_object_new_array();
}

/* Read the whole answer, at most max bytes. */
static nd_err
slurp(BIO *b, size_t max, uint8_t **out, size_t *out_len)
{
	size_t cap = 4096, len = 0;
	uint8_t *buf = nd_xcalloc(cap, 1);
	nd_err rv = ND_ERR_PROTOCOL;

	for (;;) {
		int k;
		if (len == cap) {
			uint8_t *nb;
			if (cap > max)
				goto fail;
			nb = realloc(buf, cap * 2);
			if (!nb) {
				rv = ND_ERR_NOMEM;
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		k = BIO_read(b, buf + len, (int)(cap - len > INT32_MAX ? INT32_MAX : cap - len));
		if (k <= 0)
			break;
		len += (size_t)k;
		if (len > max)
			goto fail;
	}
	*out = buf;
	*out_len = len;
	buf = NULL;
	rv = ND_OK;
fail:
	free(buf);
	return rv;
}

nd_err
nd_net_fetch(struct nd_net *net, const char *purpose, const char *url, const char *content_type,
             const uint8_t *body, size_t body_len, size_t max_len, uint8_t **out, size_t *out_len,
             char *err, size_t errsz)
{
	char *host = NULL, *port = NULL, *path = NULL, *query = NULL, *full = NULL;
	int use_ssl = 0, timeout;
	BIO *req = NULL, *resp = NULL;
	const char *proxy = NULL;
	int64_t t0 = nd_now_ms(), left;
	json_object *entry = json_object_new_object();
	nd_err rv = ND_ERR_INTERNAL;

	*out = NULL;
	*out_len = 0;
	err[0] = '\0';
	json_object_object_add(entry, "purpose", json_object_new_string(purpose));
	nd_jset_str(entry, "url", url);
	ERR_clear_error();
	if (net->offline) {
		rv = ND_ERR_NETWORK;
		snprintf(err, errsz, "%s", _("offline"));
		goto fail;
	}
	if (!OSSL_HTTP_parse_url(url, &use_ssl, NULL, &host, &port, NULL, &path, &query, NULL)) {
		rv = ND_ERR_ARG;
		snprintf(err, errsz, "%s", _("not a valid URL"));
		goto fail;
	}
	if (use_ssl) {
		/* Kamu SM publishes over plain HTTP (the data is signed); an
		 * https URL would need a TLS setup we do not make here */
		rv = ND_ERR_UNSUPPORTED;
		snprintf(err, errsz, "%s", _("https URLs are not supported here"));
		goto fail;
	}
	left = net->deadline_ms - nd_now_ms();
	if (left < 1000) {
		rv = ND_ERR_TIMEOUT;
		snprintf(err, errsz, "%s", _("not tried: the time for network requests ran out"));
		goto fail;
	}
	timeout = net->timeout_s;
	if ((int64_t)timeout * 1000 > left)
		timeout = (int)(left / 1000);
	proxy = OSSL_HTTP_adapt_proxy(NULL, NULL, host, 0);
	nd_jset_str(entry, "proxy", proxy);

	/* expect_asn1: AIA certificates, CRLs and OCSP answers are DER (RFC
	 * 5280, 6960); it also makes OpenSSL read the whole answer into memory
	 * within the timeout, checking its length against max_len, instead
	 * of handing back the socket to read from */
	if (!body) {
		resp = OSSL_HTTP_get(url, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 1,
		    max_len, timeout);
	} else {
		full = query && *query ? nd_asprintf("%s?%s", path, query) : nd_xstrdup(path);
		req = BIO_new_mem_buf(body, (int)body_len);
		if (!req) {
			rv = ND_ERR_NOMEM;
			goto fail;
		}
		resp = OSSL_HTTP_transfer(NULL, host, port, full, 0, NULL, NULL, NULL, NULL, NULL,
		    NULL, 0, NULL, content_type, req, NULL, 1, max_len, timeout, 0);
	}
	if (!resp) {
		char why[200];
		rv = nd_err_from_openssl(why, sizeof why);
		/* OpenSSL reports a silent server as a failed read at the
		 * deadline; what matters to people is that it did not answer */
		if (nd_now_ms() - t0 >= (int64_t)timeout * 1000 - 200)
			rv = ND_ERR_TIMEOUT;
		if (rv == ND_ERR_TIMEOUT)
			snprintf(err, errsz, _("no answer within %d s"), timeout);
		else
			snprintf(err, errsz, "%s", why[0] ? why : nd_strerror(rv));
		if (rv == ND_ERR_INTERNAL)
			rv = ND_ERR_NETWORK;
		goto fail;
	}
	rv = slurp(resp, max_len, out, out_len);
	if (rv != ND_OK) {
		snprintf(err, errsz, _("answer larger than %zu bytes"), max_len);
		goto fail;
	}
	rv = ND_OK;
fail:
	json_object_object_add(entry, "ms", json_object_new_int64(nd_now_ms() - t0));
	json_object_object_add(entry, "ok", json_object_new_boolean(rv == ND_OK));
	if (rv != ND_OK) {
		json_object_object_add(entry, "error", json_object_new_string(nd_err_name(rv)));
		json_object_object_add(entry, "detail", json_object_new_string(err));
	} else
		json_object_object_add(entry, "bytes", json_object_new_int64((int64_t)*out_len));
	json_object_array_add(net->log, entry);
	ERR_clear_error();
	BIO_free(req);
	BIO_free_all(resp);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	OPENSSL_free(query);
	free(full);
	return rv;
}
