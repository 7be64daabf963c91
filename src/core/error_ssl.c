/* Filled in by the ssl layer. */
#include "core/error.h"
