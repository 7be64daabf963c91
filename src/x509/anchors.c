/* SPDX-License-Identifier: BSD-2-Clause */
/* Kamu SM's NES hierarchy, pinned by the SHA-256 of each certificate. A
 * certificate from the token, the cache, an AIA download, a file or the
 * data folder becomes a trust anchor when its fingerprint is listed here.
 * The certificates themselves are shipped too (data/kamusm/, installed
 * under DATADIR/nesdoctor/kamusm/) as chain material, so that --offline
 * builds the chain on a machine that never downloaded the NES CA; a file
 * there is used only when it is the pinned certificate. Source: Kamu SM's
 * repository (depo.kamusm.gov.tr/nes/), checked with `openssl x509
 * -fingerprint -sha256`; see drivers-notes/kamusm-certificates.md. To add a
 * new version of the hierarchy, add its lines here and its file to
 * data/kamusm/. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "core/util.h"
#include "x509/x509_int.h"

static const struct nd_pin pins[] = {
	/* CN=Kamu SM Kök Sertifika Hizmet Sağlayıcısı - Sürüm 6,
	 * EC P-384, 2019-08-09 .. 2029-08-06 */
	{ "AA466D3B528DC947C7E1DCA594C0DEB4A1D2B987C119125FCD7435DE92A23C60",
	  "Kamu SM Kök Sertifika Hizmet Sağlayıcısı - Sürüm 6", true,
	  "kamusm-root-v6.der", "30CBD68110232C9F44320FE0BA7BF189C2C039DA" },
	/* CN=Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6,
	 * the NES issuing CA, pathlen 0, 2020-01-03 .. 2029-08-06 */
	{ "062782A715B1B5FC794AEDF25396DD3D2FFBE2FAD202E5567273A0E13BFE16F9",
	  "Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6", false,
	  "kamusm-nes-v6.der", "42FC32D47E024E49A8D5E0A035B721A85C9E8437" },
};

const struct nd_pin *
nd_x509_pin_find(const char *sha256_hex)
{
	if (!sha256_hex)
		return NULL;
	for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++)
		if (strcasecmp(pins[i].sha256, sha256_hex) == 0)
			return &pins[i];
	return NULL;
}

char *
nd_x509_data_dir(void)
{
	const char *env = getenv("NESDOCTOR_DATADIR");
	char exe[PATH_MAX];
	ssize_t n;
	struct stat st;

	if (env && *env)
		return nd_xstrdup(env);
	/* the build tree copies data/ next to the binary, as it does the
	 * message catalogue: a freshly built nesdoctor finds them before
	 * `make install` */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash, *dir, *kd;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			dir = nd_asprintf("%s/share/nesdoctor", exe);
			kd = nd_asprintf("%s/kamusm", dir);
			if (stat(kd, &st) == 0 && S_ISDIR(st.st_mode)) {
				free(kd);
				return dir;
			}
			free(kd);
			free(dir);
		}
	}
	return nd_xstrdup(ND_DATADIR);
}

static char *
hex_of(const unsigned char *p, size_t n)
{
	char *s = nd_xcalloc(2 * n + 1, 1);

	for (size_t i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02X", p[i]);
	return s;
}

/* Does cur name pin as its issuer? By key identifier when cur has one
 * (a certificate can carry any issuer name; the identifier is what
 * OpenSSL matches too), else by the issuer's CN. */
static bool
names_issuer(X509 *cur, const struct nd_pin *pin)
{
	const ASN1_OCTET_STRING *akid = X509_get0_authority_key_id(cur);
	X509_NAME *iss = X509_get_issuer_name(cur);
	unsigned char *cn = NULL;
	int i, len;
	bool match;

	if (akid) {
		char *h = hex_of(ASN1_STRING_get0_data(akid), (size_t)ASN1_STRING_length(akid));
		match = strcmp(h, pin->skid) == 0;
		free(h);
		return match;
	}
	i = X509_NAME_get_index_by_NID(iss, NID_commonName, -1);
	if (i < 0)
		return false;
	len = ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(iss, i)));
	match = len >= 0 && (size_t)len == strlen(pin->name) && memcmp(cn, pin->name, (size_t)len) == 0;
	OPENSSL_free(cn);
	return match;
}

static void
bundled_error(json_object *errors, const char *path, const char *error, const char *sha256,
              const char *detail)
{
	json_object *e;

	if (!errors)
		return;
	for (size_t i = 0; i < json_object_array_length(errors); i++)
		if (strcmp(nd_jstr(json_object_array_get_idx(errors, i), "file"), path) == 0)
			return;
	e = json_object_new_object();
	json_object_object_add(e, "file", json_object_new_string(path));
	json_object_object_add(e, "error", json_object_new_string(error));
	nd_jset_str(e, "sha256", sha256);
	nd_jset_str(e, "detail", detail);
	json_object_array_add(errors, e);
}

X509 *
nd_x509_bundled_issuer(const char *data_dir, X509 *cur, json_object *errors)
{
	X509 *x = NULL;

	for (size_t i = 0; data_dir && cur && !x && i < sizeof pins / sizeof pins[0]; i++) {
		const struct nd_pin *pin = &pins[i];
		char *path, *fp = NULL, err[256];
		uint8_t *buf = NULL;
		size_t len = 0;
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		const unsigned char *p;
		nd_err e;

		if (!pin->file || !names_issuer(cur, pin))
			continue;
		path = nd_asprintf("%s/kamusm/%s", data_dir, pin->file);
		e = nd_x509_read_file(path, ND_X509_MAX_CERT, &buf, &len, err, sizeof err);
		if (e == ND_ERR_NOT_FOUND)
			bundled_error(errors, path, "missing", NULL, err);
		else if (e != ND_OK)
			bundled_error(errors, path, "io", NULL, err);
		else if (!EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL))
			bundled_error(errors, path, "io", NULL, "SHA-256 failed");
		/* the pin decides, never the file's presence: the folder may be
		 * writable by someone who is not root (a build tree, a home) */
		else if (strcmp((fp = hex_of(md, mdlen)), pin->sha256) != 0)
			bundled_error(errors, path, "pin_mismatch", fp, NULL);
		else {
			p = buf;
			x = d2i_X509(NULL, &p, (long)len);
			if (x && p != buf + len) {
				X509_free(x);
				x = NULL;
			}
			if (!x)
				bundled_error(errors, path, "parse", fp, NULL);
		}
		ERR_clear_error();
		free(fp);
		free(buf);
		free(path);
	}
	return x;
}
