/* The check tables of each layer, in causal order inside each table.
 * registry.c joins them: usb, sys, pcsc, p11, cert, sign, dys. */
#ifndef ND_CHECKS_H
#define ND_CHECKS_H

#include <stddef.h>

#include "report/report.h"

extern const struct nd_check_def *const nd_usb_checks[];
extern const size_t nd_usb_checks_n;
extern const struct nd_check_def *const nd_sys_checks[];
extern const size_t nd_sys_checks_n;
extern const struct nd_check_def *const nd_pcsc_checks[];
extern const size_t nd_pcsc_checks_n;
extern const struct nd_check_def *const nd_p11_checks[];
extern const size_t nd_p11_checks_n;
extern const struct nd_check_def *const nd_cert_checks[];
extern const size_t nd_cert_checks_n;
extern const struct nd_check_def *const nd_sign_checks[];
extern const size_t nd_sign_checks_n;
extern const struct nd_check_def *const nd_dys_checks[];
extern const size_t nd_dys_checks_n;

#endif
