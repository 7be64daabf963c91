/* SPDX-License-Identifier: BSD-2-Clause */
/* The x509 collector: gathers facts into the report's inventory, nothing else. */
#ifndef ND_X509_H
#define ND_X509_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/x509.h>

#include "core/error.h"
#include "report/report.h"
#include "x509/view.h"

/* Add this layer's facts to rep->inventory. Bounded by rep->opts->timeout_s.
 * Errors are facts too: they go into the inventory, and the return value
 * only says whether collecting itself could run. */
nd_err nd_x509_collect(struct nd_report *rep);

/* For `nesdoctor verify FILE...`: read PEM, DER or PKCS#7 files into the
 * same shapes the PKCS#11 layer writes (inventory.certificates with a
 * "file" key, internal.certificates with the DER), plus inventory.inputs[]:
 * {file, certificates, error, detail} per file. Returns the number of
 * certificates read. */
size_t nd_x509_add_files(struct nd_report *rep, char *const *files, size_t n);

/* The key usage bits of x by their RFC 5280 names ("nonRepudiation", ...),
 * as a new JSON array; *present says whether the extension is there at all
 * (an empty array then means "no bit set"). Shared with the PKCS#11 layer,
 * which describes the certificates it finds on tokens. */
json_object *nd_x509_key_usage(X509 *x, bool *present);

/* The certificate whose DER is exactly der[0..n) (nothing before or after
 * it), or NULL; a new reference. The same bytes decoded again in a run
 * give the same object: the token's certificate is read by the p11 and
 * x509 layers several times, and OpenSSL 3.0 builds a key decoder for each
 * decoding (some 1.3 M instructions). The objects are shared, so never
 * changed. From the main thread only. */
X509 *nd_x509_from_der(const uint8_t *der, size_t n);

/* The one definition of a qualified signing certificate (NES): key usage
 * nonRepudiation, QcCompliance and the BTK NES statement, read from facts
 * as nd_x509_describe writes them. */
bool nd_x509_is_qualified(const json_object *fx);

/* The one rule for the certificate a signing program would use, among
 * certs (inventory.certificates[]) with their DER in ders (parallel,
 * internal.certificates[]; an entry without DER is judged by its own
 * keys). Not a CA, not unreadable, eligible(ctx, cert) when given; then:
 * its private key not known to be missing, qualified, valid at now,
 * nonRepudiation, private key seen, RSA or EC, latest notAfter, latest
 * notBefore, first listed. The index, or -1. */
long nd_x509_pick_signing(const json_object *certs, const json_object *ders, time_t now,
                          bool (*eligible)(const void *ctx, const json_object *cert), const void *ctx);
/* One entry as that rule sees it (der as above, or NULL): a qualified
 * signing certificate whose private key is not known to be missing. */
bool nd_x509_entry_qualified(const json_object *cert, json_object *der);

/* --- what the checks ask of this layer ------------------------------- */

/* Parse an ISO 8601 UTC time as the inventory holds it (not_after, this_update, ...): seconds since
 * 1970, negative before it (a UTCTime may say 1950); ND_X509_TIME_BAD if
 * unreadable. */
#define ND_X509_TIME_BAD INT64_MIN
int64_t nd_x509_parse_time(const char *s);

/* OIDs that matter (sources: ETSI EN 319 412-5, BTK, Kamu SM CP/CPS). */
#define ND_OID_QC_COMPLIANCE "0.4.0.1862.1.1"
#define ND_OID_QC_BTK_NES "2.16.792.1.61.0.1.5070.1.1"
#define ND_OID_KAMUSM_POLICY_PREFIX "2.16.792.1.2.1.1.5.7."
/* Kamu SM's arcs for personal NES (…7.1.) and company seals, mali mühür
 * (…7.4.), from its CP/CPS (drivers-notes/kamusm-certificates.md). */
#define ND_OID_KAMUSM_NES_POLICY_PREFIX "2.16.792.1.2.1.1.5.7.1."
#define ND_OID_KAMUSM_SEAL_POLICY_PREFIX "2.16.792.1.2.1.1.5.7.4."
/* ETSI EN 319 412-5: QcLimitValue, QcType and its values. */
#define ND_OID_QC_LIMIT "0.4.0.1862.1.2"
#define ND_OID_QC_TYPE "0.4.0.1862.1.6"
#define ND_OID_QC_TYPE_ESIGN "0.4.0.1862.1.6.1"
#define ND_OID_QC_TYPE_ESEAL "0.4.0.1862.1.6.2"

#endif
