/* SPDX-License-Identifier: BSD-2-Clause */
/* The pcsc collector: gathers facts into the report's inventory, nothing else.
 *
 * inventory.pcsc (the daemon):
 *   service        "ok", "not_running", "refused", "protocol_mismatch",
 *                  "no_answer", "error", "collector_failed"
 *   reachable      service == "ok" (a boolean for scripts)
 *   rv             libpcsclite's symbol for SCardEstablishContext ("SCARD_E_NO_SERVICE")
 *   error          nd_err_name() of it
 *   hung_step      the call that did not return within the timeout
 *   timeout_s, socket, socket_present, pcscd_installed, client_version,
 *   readers_rv, reader_filter (--reader), smartcard_list {path, loaded, entries},
 *   elapsed_ms
 * inventory.readers[] (always an array):
 *   name, state (pcscd's flags: "present", "empty", "exclusive", "inuse",
 *   "mute", "unpowered", "unavailable"), selected (with --reader), card:
 *   null when empty, else
 *     atr (upper-case hex), protocol ("T=0", "T=1", or null), family, name,
 *     ambiguous_with (when the ATR cannot rule out another family),
 *     known_as (pcsc-tools' descriptions), atr_info (parsed ATR),
 *     state: "answers", "mute", "in_use", "unsupported", "removed",
 *            "unpowered", "no_service", "error", "not_probed", "probe_failed"
 *     connect_rv, error (a libpcsclite symbol), hung_step,
 *     apdu {command, answered, sw, rv, ms}, held_by [{pid, name}]
 *
 * Another layer that learns more about a card (the PKCS#11 token tells an
 * AKIS card from a Turkish ID card) may overwrite card.family and card.name
 * and delete ambiguous_with; it should add "identified_by" to say so. The
 * pcsc checks read the card as they find it. */
#ifndef ND_PCSC_H
#define ND_PCSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"
#include "report/report.h"

struct nd_cardlist;

/* Add this layer's facts to rep->inventory. Bounded by rep->opts->timeout_s.
 * Errors are facts too: they go into the inventory, and the return value
 * only says whether collecting itself could run. */
nd_err nd_pcsc_collect(struct nd_report *rep);

/* The card object for an ATR (atr, family, name, ambiguous_with, known_as,
 * atr_info). list may be NULL. New reference. */
json_object *nd_pcsc_card_json(const uint8_t *atr, size_t n, const struct nd_cardlist *list);

/* --reader NAME: an exact name wins; otherwise every reader whose name
 * contains NAME (case-insensitive). Sets sel[i]; returns how many. */
size_t nd_pcsc_select_readers(const char *filter, const char *const *names, size_t n, bool *sel);

/* "T=0", "T=1", "RAW" or NULL, from an SCARD_PROTOCOL_* value. */
const char *nd_pcsc_protocol_name(unsigned long proto);

/* The harmless command every card is asked: SELECT MF, no answer data
 * wanted (P2=0C). Any status word counts as an answer. */
extern const uint8_t nd_pcsc_probe_apdu[7];

#endif
