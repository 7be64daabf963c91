/* The pcsc collector: gathers facts into the report's inventory, nothing else. */
#ifndef ND_PCSC_H
#define ND_PCSC_H

#include "core/error.h"
#include "report/report.h"

/* Add this layer's facts to rep->inventory. Bounded by rep->opts->timeout_s.
 * Errors are facts too: they go into the inventory, and the return value
 * only says whether collecting itself could run. */
nd_err nd_pcsc_collect(struct nd_report *rep);

#endif
