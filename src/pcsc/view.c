/* SPDX-License-Identifier: BSD-2-Clause */
/* The typed view of the pcsc inventory: one name table per enum. */
#include <string.h>

#include "core/util.h"
#include "pcsc/view.h"

/* Indexed by the enum; NULL for the values that have no JSON string. */
static const char *const service_names[] = {
	[ND_PCSC_SVC_OK] = "ok",
	[ND_PCSC_SVC_NOT_RUNNING] = "not_running",
	[ND_PCSC_SVC_REFUSED] = "refused",
	[ND_PCSC_SVC_PROTOCOL_MISMATCH] = "protocol_mismatch",
	[ND_PCSC_SVC_NO_ANSWER] = "no_answer",
	[ND_PCSC_SVC_ERROR] = "error",
	[ND_PCSC_SVC_COLLECTOR_FAILED] = "collector_failed",
	[ND_PCSC_SVC_OTHER] = NULL,
};

static const char *const card_state_names[] = {
	[ND_CARD_ANSWERS] = "answers",
	[ND_CARD_MUTE] = "mute",
	[ND_CARD_IN_USE] = "in_use",
	[ND_CARD_UNSUPPORTED] = "unsupported",
	[ND_CARD_REMOVED] = "removed",
	[ND_CARD_UNPOWERED] = "unpowered",
	[ND_CARD_NO_SERVICE] = "no_service",
	[ND_CARD_ERROR] = "error",
	[ND_CARD_NOT_PROBED] = "not_probed",
	[ND_CARD_PROBE_FAILED] = "probe_failed",
	[ND_CARD_OTHER] = NULL,
};

const char *
nd_pcsc_service_name(enum nd_pcsc_service s)
{
	return (size_t)s < ND_N_OF(service_names) ? service_names[s] : NULL;
}

const char *
nd_card_state_name(enum nd_card_state s)
{
	return (size_t)s < ND_N_OF(card_state_names) ? card_state_names[s] : NULL;
}

json_object *
nd_pcsc_facts(const json_object *inventory)
{
	return nd_jobj(inventory, "pcsc");
}

enum nd_pcsc_service
nd_pcsc_service(const json_object *pcsc)
{
	return (enum nd_pcsc_service)nd_name_lookup(service_names, ND_N_OF(service_names),
	    nd_jstr(pcsc, ND_PCSC_K_SERVICE), ND_PCSC_SVC_OTHER);
}

bool
nd_pcsc_readers_listed(const json_object *pcsc)
{
	const char *rv = nd_jstr(pcsc, ND_PCSC_K_READERS_RV);

	return !rv || strcmp(rv, "SCARD_S_SUCCESS") == 0 || strcmp(rv, "SCARD_E_NO_READERS_AVAILABLE") == 0;
}

size_t
nd_pcsc_n_readers(const json_object *inventory)
{
	json_object *arr = nd_jarr(inventory, "readers");

	return arr ? json_object_array_length(arr) : 0;
}

json_object *
nd_pcsc_reader_at(const json_object *inventory, size_t i)
{
	json_object *arr = nd_jarr(inventory, "readers");

	return arr && i < json_object_array_length(arr) ? json_object_array_get_idx(arr, i) : NULL;
}

json_object *
nd_pcsc_reader_card(const json_object *reader)
{
	return nd_jobj(reader, ND_PCSC_K_CARD);
}

enum nd_card_state
nd_pcsc_card_state(const json_object *card)
{
	return (enum nd_card_state)nd_name_lookup(card_state_names, ND_N_OF(card_state_names),
	    nd_jstr(card, ND_PCSC_K_STATE), ND_CARD_OTHER);
}

json_object *
nd_pcsc_card_problems(const json_object *card)
{
	return nd_jarr(nd_jobj(card, ND_PCSC_K_ATR_INFO), ND_PCSC_K_PROBLEMS);
}

size_t
nd_pcsc_card_n_problems(const json_object *card)
{
	json_object *p = nd_pcsc_card_problems(card);

	return p ? json_object_array_length(p) : 0;
}

enum nd_atr_problem
nd_pcsc_card_problem(const json_object *card, size_t i)
{
	json_object *p = nd_pcsc_card_problems(card);
	const char *s = p && i < json_object_array_length(p) ?
	    json_object_get_string(json_object_array_get_idx(p, i)) : NULL;

	for (unsigned bit = ND_ATR_EMPTY; s && bit <= ND_ATR_TOO_MANY_LEVELS; bit <<= 1)
		if (strcmp(nd_atr_problem_name((enum nd_atr_problem)bit), s) == 0)
			return (enum nd_atr_problem)bit;
	return (enum nd_atr_problem)0;
}
