/* The x509 collector: gathers facts into the report's inventory, nothing else. */
#ifndef ND_X509_H
#define ND_X509_H

#include <stdbool.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/x509.h>

#include "core/error.h"
#include "report/report.h"

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

#endif
