/* SPDX-License-Identifier: BSD-2-Clause */
/* Following reader and card events live (`nesdoctor watch`).
 *
 * The loop runs in a child process (nd_child_run) that reports every event
 * and a tick every half second; the parent stops it when asked and kills it
 * when pcscd stops answering, so a stuck pcscd never hangs the watch.
 * Reader changes come from pcscd's "\\?PnP?\Notification" pseudo reader; a
 * pcscd that goes away and comes back shows as its readers being removed
 * and added again. */
#ifndef ND_PCSC_WATCH_H
#define ND_PCSC_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"

/* Stable event names (the "event" key of `watch --json`). */
#define ND_EV_CARD_INSERTED "card_inserted"
#define ND_EV_CARD_REMOVED "card_removed"
#define ND_EV_READER_ADDED "reader_added"
#define ND_EV_READER_REMOVED "reader_removed"

/* What the watch hands to its caller, one JSON object at a time:
 *   {"type":"event", "event":..., "reader":..., "atr": hex or null, "time":...,
 *    "card": {...}}  card: for card_inserted, nd_pcsc_card_json() of the ATR
 *   {"type":"baseline", "readers":[{"name":..., "atr": hex or null, "card": {...}}]}
 *     the readers seen when pcscd was first reached (no events for them)
 *   {"type":"service", "state":"ok"|"not_running"|..., "rv":...}
 *     pcscd became reachable or unreachable
 *   {"type":"tick"}
 * Reader names are raw (as pcscd gave them). */
typedef bool (*nd_watch_fn)(json_object *msg, void *ctx);  /* false: stop */

enum nd_watch_end {
	ND_WATCH_STOPPED,   /* the callback asked to stop */
	ND_WATCH_STUCK,     /* pcscd did not answer within stuck_ms (step says where) */
	ND_WATCH_FAILED,    /* the watch process could not run or died */
};

struct nd_watch_result {
	enum nd_watch_end end;
	char step[256];
};

/* Watch until fn returns false. stuck_ms bounds every call to pcscd. */
nd_err nd_pcsc_watch(int stuck_ms, nd_watch_fn fn, void *ctx, struct nd_watch_result *res);

/* The card events between two states of one reader (pcscd's dwEventState,
 * event counter in the upper 16 bits): none, one, or a removal and an
 * insertion when the card was swapped between two looks. Returns how many
 * names it put in ev[]. */
size_t nd_watch_card_events(unsigned long before, unsigned long after, const char *ev[2]);

#endif
