/* Checks of the dys layer. */
#include "checks/checks.h"

const struct nd_check_def *const nd_dys_checks[] = { NULL };
const size_t nd_dys_checks_n = 0;
