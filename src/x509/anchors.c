/* Kamu SM's NES hierarchy, pinned by the SHA-256 of each certificate. The
 * certificates themselves are not shipped: a certificate from the token,
 * the cache, an AIA download or a file becomes a trust anchor when its
 * fingerprint is listed here. Source: Kamu SM's repository
 * (depo.kamusm.gov.tr/nes/), checked with `openssl x509 -fingerprint
 * -sha256`; see drivers-notes/kamusm-certificates.md. To add a new version
 * of the hierarchy, add its lines here. */
#include <string.h>
#include <strings.h>

#include "x509/x509_int.h"

static const struct nd_pin pins[] = {
	/* CN=Kamu SM Kök Sertifika Hizmet Sağlayıcısı - Sürüm 6,
	 * EC P-384, 2019-08-09 .. 2029-08-06 */
	{ "AA466D3B528DC947C7E1DCA594C0DEB4A1D2B987C119125FCD7435DE92A23C60",
	  "Kamu SM Kök Sertifika Hizmet Sağlayıcısı - Sürüm 6", true },
	/* CN=Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6,
	 * the NES issuing CA, pathlen 0, 2020-01-03 .. 2029-08-06 */
	{ "062782A715B1B5FC794AEDF25396DD3D2FFBE2FAD202E5567273A0E13BFE16F9",
	  "Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6", false },
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
