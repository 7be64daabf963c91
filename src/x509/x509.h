/* The x509 collector: gathers facts into the report's inventory, nothing else. */
#ifndef ND_X509_H
#define ND_X509_H

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

#endif
