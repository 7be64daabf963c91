/* Filled in by the pcsc layer. */
#include "core/error.h"
