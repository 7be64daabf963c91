/* Checks of the sign layer. */
#include "checks/checks.h"

const struct nd_check_def *const nd_sign_checks[] = { NULL };
const size_t nd_sign_checks_n = 0;
