/* SPDX-License-Identifier: BSD-2-Clause */
/* A typed view of the pcsc inventory (see pcsc.h for its keys): the JSON
 * stays the model, and checks and renderers read it through these names
 * and enums, so a misspelt key or state is a compile error, not a silent
 * NULL. Each enum has one name table in view.c, the only place that maps
 * the JSON strings to values. */
#ifndef ND_PCSC_VIEW_H
#define ND_PCSC_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "pcsc/atr.h"

/* inventory.pcsc */
#define ND_PCSC_K_SERVICE          "service"
#define ND_PCSC_K_RV               "rv"
#define ND_PCSC_K_HUNG_STEP        "hung_step"
#define ND_PCSC_K_TIMEOUT_S        "timeout_s"
#define ND_PCSC_K_PCSCD_INSTALLED  "pcscd_installed"
#define ND_PCSC_K_READERS_RV       "readers_rv"
#define ND_PCSC_K_READER_FILTER    "reader_filter"
#define ND_PCSC_K_COLLECTOR_END    "collector_end"
/* inventory.readers[] */
#define ND_PCSC_K_NAME             "name"
#define ND_PCSC_K_SELECTED         "selected"
#define ND_PCSC_K_CARD             "card"
/* inventory.readers[].card */
#define ND_PCSC_K_ATR              "atr"
#define ND_PCSC_K_PROTOCOL         "protocol"
#define ND_PCSC_K_FAMILY           "family"
#define ND_PCSC_K_AMBIGUOUS_WITH   "ambiguous_with"
#define ND_PCSC_K_KNOWN_AS         "known_as"
#define ND_PCSC_K_ATR_INFO         "atr_info"
#define ND_PCSC_K_PROBLEMS         "problems"     /* in atr_info */
#define ND_PCSC_K_STATE            "state"
#define ND_PCSC_K_ERROR            "error"
#define ND_PCSC_K_APDU             "apdu"
#define ND_PCSC_K_SW               "sw"           /* in apdu */
#define ND_PCSC_K_HELD_BY          "held_by"
#define ND_PCSC_K_PID              "pid"          /* in held_by[] */

/* pcsc.service. ND_PCSC_SVC_ABSENT: no such key (or no inventory.pcsc);
 * ND_PCSC_SVC_OTHER: a value this build does not know. */
enum nd_pcsc_service {
	ND_PCSC_SVC_ABSENT,
	ND_PCSC_SVC_OK,
	ND_PCSC_SVC_NOT_RUNNING,
	ND_PCSC_SVC_REFUSED,
	ND_PCSC_SVC_PROTOCOL_MISMATCH,
	ND_PCSC_SVC_NO_ANSWER,
	ND_PCSC_SVC_ERROR,
	ND_PCSC_SVC_COLLECTOR_FAILED,
	ND_PCSC_SVC_OTHER,
};

/* readers[].card.state, with the same two extra values. */
enum nd_card_state {
	ND_CARD_ABSENT,
	ND_CARD_ANSWERS,
	ND_CARD_MUTE,
	ND_CARD_IN_USE,
	ND_CARD_UNSUPPORTED,
	ND_CARD_REMOVED,
	ND_CARD_UNPOWERED,
	ND_CARD_NO_SERVICE,
	ND_CARD_ERROR,
	ND_CARD_NOT_PROBED,
	ND_CARD_PROBE_FAILED,
	ND_CARD_OTHER,
};

/* The JSON string of a value; NULL for ABSENT and OTHER. */
const char *nd_pcsc_service_name(enum nd_pcsc_service s);
const char *nd_card_state_name(enum nd_card_state s);

/* inventory.pcsc (borrowed, NULL when absent) and its service. */
json_object *nd_pcsc_facts(const json_object *inventory);
enum nd_pcsc_service nd_pcsc_service(const json_object *pcsc);
/* Did pcscd list the readers? True when readers_rv is absent, success, or
 * "no readers" (an empty list is an answer). */
bool nd_pcsc_readers_listed(const json_object *pcsc);

/* inventory.readers: how many, and the i-th (borrowed). */
size_t nd_pcsc_n_readers(const json_object *inventory);
json_object *nd_pcsc_reader_at(const json_object *inventory, size_t i);
/* The reader's card (borrowed), NULL when the reader is empty. */
json_object *nd_pcsc_reader_card(const json_object *reader);

enum nd_card_state nd_pcsc_card_state(const json_object *card);
/* card.atr_info.problems (borrowed array or NULL), how many, and the i-th
 * as the atr.h bit whose name it is (0 for a name this build does not
 * know). */
json_object *nd_pcsc_card_problems(const json_object *card);
size_t nd_pcsc_card_n_problems(const json_object *card);
enum nd_atr_problem nd_pcsc_card_problem(const json_object *card, size_t i);

#endif
