/* Filled in by the usb layer. */
#include "core/error.h"
