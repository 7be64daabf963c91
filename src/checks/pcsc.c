/* Checks of the pcsc layer. */
#include "checks/checks.h"

const struct nd_check_def *const nd_pcsc_checks[] = { NULL };
const size_t nd_pcsc_checks_n = 0;
