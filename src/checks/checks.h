/* SPDX-License-Identifier: BSD-2-Clause */
/* The checks: each layer's definitions at the end of src/checks/<layer>.c,
 * and the one table that orders them (nd_checks[], registry.c), which the
 * front ends hand to the report (nd_report_evaluate). */
#ifndef ND_CHECKS_H
#define ND_CHECKS_H

#include "report/report.h"

/* Every check in causal order, NULL-terminated. */
extern const struct nd_check_def *const nd_checks[];

/* One definition per check; a check defined here and missing from
 * nd_checks[] never runs (tests/unit/test_registry.c catches that). */
extern const struct nd_check_def nd_check_usb_device, nd_check_usb_policy, nd_check_usb_driver,
	nd_check_usb_access;
extern const struct nd_check_def nd_check_sys_os, nd_check_sys_pcscd, nd_check_sys_polkit,
	nd_check_sys_holders, nd_check_sys_sandbox, nd_check_sys_browser, nd_check_sys_java;
extern const struct nd_check_def nd_check_pcsc_service, nd_check_pcsc_reader, nd_check_pcsc_card,
	nd_check_pcsc_card_type;
extern const struct nd_check_def nd_check_p11_module, nd_check_p11_token, nd_check_p11_pin,
	nd_check_p11_objects, nd_check_p11_mechanisms;
extern const struct nd_check_def nd_check_cert_qualified, nd_check_cert_validity, nd_check_cert_holder,
	nd_check_cert_key, nd_check_cert_chain, nd_check_cert_revocation;
extern const struct nd_check_def nd_check_sign_test;
extern const struct nd_check_def nd_check_dys_ready;

#endif
