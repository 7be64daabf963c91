/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers for the cmocka tests of checks (like libfido2's regress/extern.h):
 * an inventory written as JSON text, the registry's checks of some layers
 * run over it, and the results found and asserted by id. A failed
 * assertion ends the test with fail_msg(), naming the check. */
#ifndef ND_TEST_H
#define ND_TEST_H

#include <stddef.h>

#include "core/opts.h"
#include "report/report.h"

/* nd_report_init(rep, opts) with the inventory parsed from JSON text
 * (NULL: the empty inventory nd_report_init made); bad JSON fails. */
void ndt_report(struct nd_report *rep, const struct nd_opts *opts, const char *inventory);

/* Append the registry's checks of these layers, in its order, to
 * defs[0..n); returns the new count (fails past max). For tests that put
 * stand-ins of lower checks in front. */
size_t ndt_add_layers(const struct nd_check_def **defs, size_t n, size_t max, unsigned layers);

/* The registry's checks of these layers over rep's inventory. */
void ndt_evaluate(struct nd_report *rep, unsigned layers);

/* The result of check id; fails when it was not evaluated. */
const struct nd_result *ndt_result(const struct nd_report *rep, const char *id);

/* Check id has status st, its message holds in_message and its remedy
 * in_remedy (each NULL: not asked). Returns the result. */
const struct nd_result *ndt_expect(const struct nd_report *rep, const char *id, enum nd_status st,
    const char *in_message, const char *in_remedy);

/* s holds part (s NULL fails). */
void ndt_has(const char *s, const char *part);
/* r's remedy holds part (no remedy fails). */
void ndt_remedy_has(const struct nd_result *r, const char *part);

/* Hand-made inventory parts shared by the usb and sys check tests: one
 * ACR39U on USB with its driver (the rest from extra), a system whose pcscd
 * runs under systemd, and a pcscd that answers with no reader. */
#define NDT_DEV(extra) "{\"id\":\"072f:b100\",\"name\":\"ACS ACR39U\",\"port_path\":\"1-2\"," \
	"\"node\":\"/dev/bus/usb/001/002\",\"driver\":\"ifd-ccid.bundle\",\"driver_package\":\"libccid\"," \
	"\"driver_match\":\"id\",\"drivers\":[{\"bundle\":\"ifd-ccid.bundle\"}],\"ccid_interface\":true," \
	"\"driver_packages\":[\"libccid\",\"libacsccid1\"],\"known\":true" extra "}"
#define NDT_SYS "\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":true,\"running\":true,\"version\":\"2.4.0\"," \
	"\"user\":\"pcscd\",\"processes\":[{\"pid\":42}]},\"polkit\":{\"pcsc_policy\":true},\"session\":{}}"
#define NDT_PCSC_OK "\"pcsc\":{\"service\":\"ok\"},\"readers\":[]"

#endif
