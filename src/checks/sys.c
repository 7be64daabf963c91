/* Checks of the sys layer. */
#include "checks/checks.h"

const struct nd_check_def *const nd_sys_checks[] = { NULL };
const size_t nd_sys_checks_n = 0;
