/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "ndtest.h"

void
ndt_report(struct nd_report *rep, const struct nd_opts *opts, const char *inventory)
{
	nd_report_init(rep, opts);
	if (!inventory)
		return;
	json_object_put(rep->inventory);
	rep->inventory = json_tokener_parse(inventory);
	if (!rep->inventory)
		fail_msg("bad test inventory: %s", inventory);
}

size_t
ndt_add_layers(const struct nd_check_def **defs, size_t n, size_t max, unsigned layers)
{
	for (size_t i = 0; nd_checks[i]; i++) {
		if (!(nd_checks[i]->layer & layers))
			continue;
		if (n == max)
			fail_msg("more than %zu checks", max);
		defs[n++] = nd_checks[i];
	}
	return n;
}

void
ndt_evaluate(struct nd_report *rep, unsigned layers)
{
	nd_report_evaluate(rep, nd_checks, layers);
}

const struct nd_result *
ndt_result(const struct nd_report *rep, const char *id)
{
	const struct nd_result *r = nd_report_find(rep, id);

	if (!r)
		fail_msg("no result for %s", id);
	return r;
}

const struct nd_result *
ndt_expect(const struct nd_report *rep, const char *id, enum nd_status st, const char *in_message,
    const char *in_remedy)
{
	const struct nd_result *r = ndt_result(rep, id);

	if (r->status != st)
		fail_msg("%s: status %s, expected %s (%s)", id, nd_status_name(r->status), nd_status_name(st),
		    r->message);
	if (in_message && !strstr(r->message, in_message))
		fail_msg("%s: message '%s' lacks '%s'", id, r->message, in_message);
	if (in_remedy && (!r->remedy || !strstr(r->remedy, in_remedy)))
		fail_msg("%s: remedy '%s' lacks '%s'", id, r->remedy ? r->remedy : "(none)", in_remedy);
	return r;
}

void
ndt_has(const char *s, const char *part)
{
	if (!s || !strstr(s, part))
		fail_msg("\"%s\" does not contain \"%s\"", s ? s : "(null)", part);
}

void
ndt_remedy_has(const struct nd_result *r, const char *part)
{
	if (!r->remedy || !strstr(r->remedy, part))
		fail_msg("%s: remedy \"%s\" lacks \"%s\"", r->def->id, r->remedy ? r->remedy : "(none)", part);
}
