/* SPDX-License-Identifier: BSD-2-Clause */
#include "core/error.h"
#include "core/i18n.h"

const char *
nd_err_name(nd_err e)
{
	switch (e) {
	case ND_OK: return "ok";
	case ND_ERR_NOMEM: return "nomem";
	case ND_ERR_ARG: return "argument";
	case ND_ERR_PARSE: return "parse";
	case ND_ERR_TRUNCATED: return "truncated";
	case ND_ERR_TIMEOUT: return "timeout";
	case ND_ERR_CRASH: return "crash";
	case ND_ERR_IO: return "io";
	case ND_ERR_NOT_FOUND: return "not_found";
	case ND_ERR_ACCESS: return "access";
	case ND_ERR_NO_SERVICE: return "no_service";
	case ND_ERR_PROTOCOL: return "protocol";
	case ND_ERR_SHARING: return "sharing";
	case ND_ERR_CARD: return "card";
	case ND_ERR_MODULE: return "module";
	case ND_ERR_PIN: return "pin";
	case ND_ERR_CRYPTO: return "crypto";
	case ND_ERR_NETWORK: return "network";
	case ND_ERR_UNSUPPORTED: return "unsupported";
	case ND_ERR_INTERNAL: return "internal";
	}
	return "internal";
}

const char *
nd_strerror(nd_err e)
{
	switch (e) {
	case ND_OK: return _("success");
	case ND_ERR_NOMEM: return _("out of memory");
	case ND_ERR_ARG: return _("invalid argument");
	case ND_ERR_PARSE: return _("malformed data");
	case ND_ERR_TRUNCATED: return _("data ends too early");
	case ND_ERR_TIMEOUT: return _("no answer in time");
	case ND_ERR_CRASH: return _("the helper process crashed");
	case ND_ERR_IO: return _("input/output error");
	case ND_ERR_NOT_FOUND: return _("not found");
	case ND_ERR_ACCESS: return _("permission denied");
	case ND_ERR_NO_SERVICE: return _("service not available");
	case ND_ERR_PROTOCOL: return _("protocol error");
	case ND_ERR_SHARING: return _("in use by another program");
	case ND_ERR_CARD: return _("the card did not answer");
	case ND_ERR_MODULE: return _("the PKCS#11 module failed");
	case ND_ERR_PIN: return _("PIN refused");
	case ND_ERR_CRYPTO: return _("verification failed");
	case ND_ERR_NETWORK: return _("network error");
	case ND_ERR_UNSUPPORTED: return _("not supported");
	case ND_ERR_INTERNAL: return _("internal error");
	}
	return _("internal error");
}
