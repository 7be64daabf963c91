/* Checks of the p11 layer. */
#include "checks/checks.h"

const struct nd_check_def *const nd_p11_checks[] = { NULL };
const size_t nd_p11_checks_n = 0;
