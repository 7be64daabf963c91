/* SPDX-License-Identifier: BSD-2-Clause */
/* A small PIV card (NIST SP 800-73) for the p11 tests: enough of it for
 * OpenSC's PIV driver, so that opensc-pkcs11.so shows a token with one RSA
 * certificate and key, signs, and keeps a real PIN retry counter (final
 * try, blocked) that SoftHSM2 does not have.
 *
 *   piv_vcard -c CERT.der -k KEY.pem [-p PIN] [-r TRIES] [-s 9a|9c]
 *             [-a ATRHEX | -n NAME] [-l LOG] [-P PORT] [-t SECS] [-v]
 *
 *   -s   key reference of the certificate: 9c (digital signature, the PIN
 *        is needed again for every signature: CKA_ALWAYS_AUTHENTICATE) or
 *        9a (PIV authentication; one login is enough). Default 9c.
 *   -n   historical bytes of the ATR (up to 15 ASCII characters, default
 *        "ND-PIV-CARD"), so that tests can tell two cards apart by ATR.
 *   -l   event log, one line per PIN-relevant command, for the tests to
 *        count: "verify-pin ok", "verify-pin wrong left=N",
 *        "verify-pin blocked", "verify-status", "sign 9C".
 *
 * The retry counter lives as long as the process: the tests run nesdoctor
 * several times against one card. */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "vpcd.h"

#define OBJ_MAX 4096

static const uint8_t piv_aid[] = { 0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00 };

struct card {
	uint8_t atr[33];
	size_t atr_len;
	uint8_t pin[8];           /* padded with 0xFF, as PIV wants */
	int tries_max, tries_left;
	bool verified, sign_ok;   /* sign_ok: the PIN-always permission of 9C */
	uint8_t keyref;           /* 0x9A or 0x9C */
	EVP_PKEY *key;
	uint8_t chuid[128], certobj[OBJ_MAX];
	size_t chuid_len, certobj_len;
	uint8_t out[OBJ_MAX];     /* an answer waiting for GET RESPONSE */
	size_t out_len, out_off;
	uint8_t chain[OBJ_MAX];   /* command chaining */
	size_t chain_len;
	FILE *log;
	int verbose;
};

static void event(struct card *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
event(struct card *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->log)
		return;
	va_start(ap, fmt);
	vfprintf(c->log, fmt, ap);
	va_end(ap);
	fputc('\n', c->log);
	fflush(c->log);
}

/* BER-TLV length */
static size_t
put_len(uint8_t *p, size_t n)
{
	if (n < 0x80) {
		p[0] = (uint8_t)n;
		return 1;
	}
	if (n < 0x100) {
		p[0] = 0x81;
		p[1] = (uint8_t)n;
		return 2;
	}
	p[0] = 0x82;
	p[1] = (uint8_t)(n >> 8);
	p[2] = (uint8_t)n;
	return 3;
}

static size_t
put_tlv(uint8_t *p, uint8_t tag, const uint8_t *v, size_t n)
{
	size_t k = 0;

	p[k++] = tag;
	k += put_len(p + k, n);
	if (n)
		memcpy(p + k, v, n);
	return k + n;
}

static void
build_objects(struct card *c, const uint8_t *cert, size_t certlen)
{
	uint8_t body[OBJ_MAX];
	size_t b = 0;
	uint8_t fascn[25], guid[16];

	/* CHUID: FASC-N, GUID, expiry, empty signature; OpenSC reads the GUID
	 * for the token serial */
	memset(fascn, 0xD4, sizeof fascn);
	memcpy(guid, "ND-PIV-TESTCARD1", 16);
	b += put_tlv(body + b, 0x30, fascn, sizeof fascn);
	b += put_tlv(body + b, 0x34, guid, sizeof guid);
	b += put_tlv(body + b, 0x35, (const uint8_t *)"20351231", 8);
	b += put_tlv(body + b, 0x3E, NULL, 0);
	b += put_tlv(body + b, 0xFE, NULL, 0);
	c->chuid_len = put_tlv(c->chuid, 0x53, body, b);

	/* certificate container: 70 cert, 71 CertInfo (not compressed), FE */
	b = 0;
	b += put_tlv(body + b, 0x70, cert, certlen);
	b += put_tlv(body + b, 0x71, (const uint8_t *)"\0", 1);
	b += put_tlv(body + b, 0xFE, NULL, 0);
	c->certobj_len = put_tlv(c->certobj, 0x53, body, b);
}

static ssize_t
sw(uint8_t *r, unsigned s)
{
	r[0] = (uint8_t)(s >> 8);
	r[1] = (uint8_t)s;
	return 2;
}

/* Send what fits in le now; the rest through 61xx + GET RESPONSE. */
static ssize_t
answer(struct card *c, const uint8_t *d, size_t n, size_t le, uint8_t *r)
{
	size_t chunk;

	memcpy(c->out, d, n);
	c->out_len = n;
	c->out_off = 0;
	chunk = n < le ? n : le;
	memcpy(r, c->out, chunk);
	c->out_off = chunk;
	if (c->out_off < c->out_len) {
		size_t left = c->out_len - c->out_off;
		r[chunk] = 0x61;
		r[chunk + 1] = left > 255 ? 0 : (uint8_t)left;
	} else {
		r[chunk] = 0x90;
		r[chunk + 1] = 0x00;
		c->out_len = 0;
	}
	return (ssize_t)chunk + 2;
}

static ssize_t
get_response(struct card *c, size_t le, uint8_t *r)
{
	size_t left, chunk;

	if (c->out_off >= c->out_len)
		return sw(r, 0x6985);
	left = c->out_len - c->out_off;
	chunk = left < le ? left : le;
	memcpy(r, c->out + c->out_off, chunk);
	c->out_off += chunk;
	left -= chunk;
	if (left) {
		r[chunk] = 0x61;
		r[chunk + 1] = left > 255 ? 0 : (uint8_t)left;
	} else {
		r[chunk] = 0x90;
		r[chunk + 1] = 0x00;
		c->out_len = 0;
	}
	return (ssize_t)chunk + 2;
}

/* GENERAL AUTHENTICATE 87 07 <keyref>: 7C { 82 00, 81 <256 bytes> } ->
 * 7C { 82 <signature> }. The card does raw RSA: OpenSC pads. */
static ssize_t
general_authenticate(struct card *c, unsigned p1, unsigned p2, const uint8_t *d, size_t n, size_t le,
                     uint8_t *r)
{
	const uint8_t *p, *end = d + n, *chal = NULL;
	size_t clen = 0, siglen, k = 0, inner;
	uint8_t sig[512], resp[600];
	EVP_PKEY_CTX *ctx;
	bool ok;

	if (p1 != 0x07 || p2 != c->keyref)
		return sw(r, 0x6A86);
	if (!c->verified || (c->keyref == 0x9C && !c->sign_ok))
		return sw(r, 0x6982);
	if (n < 2 || d[0] != 0x7C)
		return sw(r, 0x6A80);
	p = d + 2;
	if (d[1] == 0x81)
		p = d + 3;
	else if (d[1] == 0x82)
		p = d + 4;
	while (p + 2 <= end) {
		unsigned tag = *p++;
		size_t len = *p++;
		if (len == 0x81 && p < end)
			len = *p++;
		else if (len == 0x82 && p + 1 < end) {
			len = (size_t)p[0] << 8 | p[1];
			p += 2;
		}
		if (len > (size_t)(end - p))
			return sw(r, 0x6A80);
		if (tag == 0x81) {
			chal = p;
			clen = len;
		}
		p += len;
	}
	if (!chal || clen != 256)
		return sw(r, 0x6A80);
	siglen = sizeof sig;
	ctx = EVP_PKEY_CTX_new(c->key, NULL);
	ok = ctx && EVP_PKEY_decrypt_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1 &&
	    EVP_PKEY_decrypt(ctx, sig, &siglen, chal, clen) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		return sw(r, 0x6F00);
	c->sign_ok = false;   /* PIN-always: one signature per VERIFY */
	event(c, "sign %X", (unsigned)c->keyref);
	inner = 1 + put_len(resp, siglen) + siglen;
	resp[k++] = 0x7C;
	k += put_len(resp + k, inner);
	resp[k++] = 0x82;
	k += put_len(resp + k, siglen);
	memcpy(resp + k, sig, siglen);
	k += siglen;
	return answer(c, resp, k, le, r);
}

static ssize_t
verify(struct card *c, unsigned p1, unsigned p2, const uint8_t *d, size_t lc, uint8_t *r)
{
	if (p2 != 0x80)
		return sw(r, 0x6A88);
	if (p1 == 0xFF) {   /* reset the security status */
		c->verified = c->sign_ok = false;
		return sw(r, 0x9000);
	}
	if (lc == 0) {
		event(c, "verify-status");
		if (c->tries_left == 0)
			return sw(r, 0x6983);
		return c->verified ? sw(r, 0x9000) : sw(r, 0x63C0 | (unsigned)c->tries_left);
	}
	if (c->tries_left == 0) {
		event(c, "verify-pin blocked");
		return sw(r, 0x6983);
	}
	if (lc == sizeof c->pin && memcmp(d, c->pin, sizeof c->pin) == 0) {
		c->verified = c->sign_ok = true;
		c->tries_left = c->tries_max;
		event(c, "verify-pin ok");
		return sw(r, 0x9000);
	}
	c->verified = c->sign_ok = false;
	c->tries_left--;
	event(c, "verify-pin wrong left=%d", c->tries_left);
	return c->tries_left ? sw(r, 0x63C0 | (unsigned)c->tries_left) : sw(r, 0x6983);
}

static ssize_t
get_data(struct card *c, const uint8_t *d, size_t lc, size_t le, uint8_t *r)
{
	static const uint8_t discovery[] = { 0x7E, 0x12, 0x4F, 0x0B, 0xA0, 0x00, 0x00, 0x03, 0x08, 0x00,
		0x00, 0x10, 0x00, 0x01, 0x00, 0x5F, 0x2F, 0x02, 0x40, 0x00 };
	uint8_t certtag = c->keyref == 0x9A ? 0x05 : 0x0A;

	if (lc < 3 || d[0] != 0x5C)
		return sw(r, 0x6A80);
	if (d[1] == 1 && d[2] == 0x7E)
		return answer(c, discovery, sizeof discovery, le, r);
	if (d[1] == 3 && lc >= 5 && d[2] == 0x5F && d[3] == 0xC1) {
		if (d[4] == 0x02)
			return answer(c, c->chuid, c->chuid_len, le, r);
		if (d[4] == certtag)
			return answer(c, c->certobj, c->certobj_len, le, r);
	}
	return sw(r, 0x6A82);
}

static ssize_t
on_apdu(void *ctx, const uint8_t *cmd, size_t n, uint8_t *r, size_t rmax)
{
	struct card *c = ctx;
	unsigned cla, ins, p1, p2;
	size_t lc = 0, le = 256;
	const uint8_t *data = cmd + 5;

	if (rmax < OBJ_MAX + 2)
		return sw(r, 0x6F00);
	if (n < 4)
		return sw(r, 0x6700);
	cla = cmd[0], ins = cmd[1], p1 = cmd[2], p2 = cmd[3];
	if (n > 5) {
		if (cmd[4] == 0 && n >= 7) {   /* extended length */
			lc = (size_t)cmd[5] << 8 | cmd[6];
			data = cmd + 7;
			if (7 + lc > n)
				return sw(r, 0x6700);
		} else {
			lc = cmd[4];
			if (5 + lc > n)
				return sw(r, 0x6700);
			if (n == 5 + lc + 1 && cmd[5 + lc])
				le = cmd[5 + lc];
		}
	} else if (n == 5 && cmd[4])
		le = cmd[4];
	if ((cla & ~0x10u) != 0)
		return sw(r, 0x6E00);
	if (ins != 0xC0)
		c->out_len = 0;
	if (cla & 0x10) {   /* chained: collect, answer on the last block */
		if (c->chain_len + lc > sizeof c->chain) {
			c->chain_len = 0;
			return sw(r, 0x6700);
		}
		memcpy(c->chain + c->chain_len, data, lc);
		c->chain_len += lc;
		return sw(r, 0x9000);
	}
	if (c->chain_len) {
		uint8_t *all = c->chain;
		if (c->chain_len + lc > sizeof c->chain) {
			c->chain_len = 0;
			return sw(r, 0x6700);
		}
		memcpy(all + c->chain_len, data, lc);
		lc += c->chain_len;
		data = all;
		c->chain_len = 0;
	}
	switch (ins) {
	case 0xA4:   /* SELECT by AID; a 5-byte prefix is enough, as on real cards */
		if (p1 == 0x04 && lc >= 5 && lc <= sizeof piv_aid && memcmp(data, piv_aid, lc) == 0) {
			static const uint8_t apt[] = { 0x61, 0x11, 0x4F, 0x06, 0x00, 0x00, 0x10, 0x00, 0x01,
				0x00, 0x79, 0x07, 0x4F, 0x05, 0xA0, 0x00, 0x00, 0x03, 0x08 };
			return answer(c, apt, sizeof apt, le, r);
		}
		return sw(r, 0x6A82);
	case 0xC0:
		return get_response(c, le, r);
	case 0xCB:
		if (p1 != 0x3F || p2 != 0xFF)
			return sw(r, 0x6A86);
		return get_data(c, data, lc, le, r);
	case 0x20:
		return verify(c, p1, p2, data, lc, r);
	case 0x87:
		return general_authenticate(c, p1, p2, data, lc, le, r);
	}
	return sw(r, 0x6D00);
}

static const uint8_t *
on_atr(void *ctx, size_t *len)
{
	struct card *c = ctx;

	*len = c->atr_len;
	return c->atr;
}

static void
on_control(void *ctx, int code)
{
	struct card *c = ctx;

	(void)code;
	/* power off, on or reset: the security status is gone */
	c->verified = c->sign_ok = false;
	c->out_len = c->chain_len = 0;
}

static int
usage(void)
{
	fputs("usage: piv_vcard -c CERT.der -k KEY.pem [-p PIN] [-r TRIES] [-s 9a|9c]\n"
	      "                 [-a ATRHEX | -n NAME] [-l LOG] [-P PORT] [-t SECS] [-v]\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	static struct card c;
	static uint8_t cert[OBJ_MAX - 64];
	struct vpcd_opts vo = { NULL, 35963, 60, 0, 0 };
	struct vcard_ops ops = { on_atr, on_apdu, on_control, &c };
	const char *certfile = NULL, *keyfile = NULL, *pin = "123456", *atr = NULL, *logfile = NULL;
	const char *name = "ND-PIV-CARD";
	size_t certlen;
	FILE *f;
	int opt;

	c.tries_max = c.tries_left = 3;
	c.keyref = 0x9C;
	while ((opt = getopt(argc, argv, "c:k:p:r:s:a:n:l:P:t:v")) != -1) {
		switch (opt) {
		case 'c': certfile = optarg; break;
		case 'k': keyfile = optarg; break;
		case 'p': pin = optarg; break;
		case 'r': c.tries_max = c.tries_left = atoi(optarg); break;
		case 's': c.keyref = strcmp(optarg, "9a") == 0 ? 0x9A : 0x9C; break;
		case 'a': atr = optarg; break;
		case 'n': name = optarg; break;
		case 'l': logfile = optarg; break;
		case 'P': vo.port = atoi(optarg); break;
		case 't': vo.lifetime_s = atoi(optarg); break;
		case 'v': vo.verbose++; break;
		default: return usage();
		}
	}
	if (!certfile || !keyfile || strlen(pin) > sizeof c.pin || c.tries_max < 1 || c.tries_max > 15)
		return usage();
	memset(c.pin, 0xFF, sizeof c.pin);
	memcpy(c.pin, pin, strlen(pin));
	if (atr) {
		long k = vpcd_unhex(atr, c.atr, sizeof c.atr);
		if (k < 2)
			return usage();
		c.atr_len = (size_t)k;
	} else {
		/* T=1 ATR: 3B 8k 80 01 <k historical bytes> TCK */
		size_t k = strlen(name);
		uint8_t tck = 0;
		if (k == 0 || k > 15)
			return usage();
		c.atr[0] = 0x3B;
		c.atr[1] = (uint8_t)(0x80 | k);
		c.atr[2] = 0x80;
		c.atr[3] = 0x01;
		memcpy(c.atr + 4, name, k);
		for (size_t i = 1; i < 4 + k; i++)
			tck ^= c.atr[i];
		c.atr[4 + k] = tck;
		c.atr_len = 5 + k;
	}
	if (!(f = fopen(certfile, "rb")))
		return usage();
	certlen = fread(cert, 1, sizeof cert, f);
	fclose(f);
	if (!(f = fopen(keyfile, "r")))
		return usage();
	c.key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!certlen || !c.key || EVP_PKEY_get_base_id(c.key) != EVP_PKEY_RSA || EVP_PKEY_get_bits(c.key) != 2048) {
		fputs("piv_vcard: needs a DER certificate and an RSA-2048 key\n", stderr);
		return 1;
	}
	if (logfile && !(c.log = fopen(logfile, "a")))
		return usage();
	c.verbose = vo.verbose;
	build_objects(&c, cert, certlen);
	return vpcd_serve(&vo, &ops) ? 1 : 0;
}
