/* Filled in by the p11 layer. */
#include "core/error.h"
