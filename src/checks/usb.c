/* Checks of the usb layer. */
#include "checks/checks.h"

const struct nd_check_def *const nd_usb_checks[] = { NULL };
const size_t nd_usb_checks_n = 0;
