/* Checks of the cert layer. */
#include "checks/checks.h"

const struct nd_check_def *const nd_cert_checks[] = { NULL };
const size_t nd_cert_checks_n = 0;
