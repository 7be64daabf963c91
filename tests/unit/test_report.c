/* SPDX-License-Identifier: BSD-2-Clause */
/* The report model: dependencies, skips, primary cause, verdict, exit codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/opts.h"
#include "report/report.h"

/* Hand-made checks whose outcome comes from the inventory: inventory[id] is
 * "pass", "warn", "fail", "info" or "undetermined". */
static void
eval_from_inventory(const struct nd_report *rep, struct nd_result *r)
{
	json_object *v;
	const char *s = "pass";

	if (json_object_object_get_ex(rep->inventory, r->def->id, &v))
		s = json_object_get_string(v);
	if (strcmp(s, "fail") == 0) {
		nd_result_set(r, ND_FAIL, "%s failed", r->def->id);
		nd_result_remedy(r, "fix %s", r->def->id);
	} else if (strcmp(s, "warn") == 0)
		nd_result_set(r, ND_WARN, "%s warns", r->def->id);
	else if (strcmp(s, "info") == 0)
		nd_result_set(r, ND_INFO, "%s info", r->def->id);
	else if (strcmp(s, "undetermined") == 0) {
		nd_result_set(r, ND_SKIP, "%s could not be checked", r->def->id);
		r->undetermined = true;
	} else
		nd_result_set(r, ND_PASS, "%s ok", r->def->id);
}

static const struct nd_check_def c_service = { "t.service", ND_LAYER_PCSC, { NULL }, eval_from_inventory };
static const struct nd_check_def c_reader = { "t.reader", ND_LAYER_PCSC, { "t.service", NULL }, eval_from_inventory };
static const struct nd_check_def c_card = { "t.card", ND_LAYER_PCSC, { "t.reader", NULL }, eval_from_inventory };
static const struct nd_check_def c_type = { "t.type", ND_LAYER_PCSC, { "t.card", NULL }, eval_from_inventory };
static const struct nd_check_def c_other = { "t.other", ND_LAYER_SYS, { NULL }, eval_from_inventory };
static const struct nd_check_def *const defs[] = { &c_service, &c_reader, &c_card, &c_type, &c_other };

static void
run(struct nd_report *rep, struct nd_opts *o, const char *inv)
{
	nd_opts_defaults(o);
	nd_report_init(rep, o);
	json_object_put(rep->inventory);
	rep->inventory = json_tokener_parse(inv);
	assert_non_null(rep->inventory);
	nd_report_evaluate_defs(rep, defs, sizeof defs / sizeof defs[0]);
}

static void
all_pass_is_ready(void **state)
{
	struct nd_report rep;
	struct nd_opts o;

	(void)state;
	run(&rep, &o, "{}");
	assert_int_equal(rep.verdict, ND_READY);
	assert_int_equal(nd_verdict_exit(rep.verdict), 0);
	assert_null(rep.primary);
	nd_report_reset(&rep);
}

static void
failure_skips_dependents_and_names_blocker(void **state)
{
	struct nd_report rep;
	struct nd_opts o;

	(void)state;
	run(&rep, &o, "{\"t.reader\": \"fail\", \"t.other\": \"fail\"}");
	assert_int_equal(rep.verdict, ND_NOT_READY);
	assert_int_equal(nd_verdict_exit(rep.verdict), 2);
	/* first failure in causal order, not the later one */
	assert_string_equal(rep.primary->def->id, "t.reader");
	assert_string_equal(rep.primary->remedy, "fix t.reader");
	assert_int_equal(nd_report_find(&rep, "t.card")->status, ND_SKIP);
	assert_string_equal(nd_report_find(&rep, "t.card")->blocked_by, "t.reader");
	/* transitively: blamed on the root failure, not on the skipped check */
	assert_string_equal(nd_report_find(&rep, "t.type")->blocked_by, "t.reader");
	assert_int_equal(nd_report_find(&rep, "t.service")->status, ND_PASS);
	nd_report_reset(&rep);
}

static void
warning_verdict(void **state)
{
	struct nd_report rep;
	struct nd_opts o;

	(void)state;
	run(&rep, &o, "{\"t.type\": \"warn\", \"t.other\": \"info\"}");
	assert_int_equal(rep.verdict, ND_WARNING);
	assert_int_equal(nd_verdict_exit(rep.verdict), 1);
	assert_null(rep.primary);
	nd_report_reset(&rep);
}

static void
undetermined_is_unknown_unless_failed(void **state)
{
	struct nd_report rep;
	struct nd_opts o;

	(void)state;
	run(&rep, &o, "{\"t.card\": \"undetermined\", \"t.other\": \"warn\"}");
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	assert_int_equal(nd_verdict_exit(rep.verdict), 3);
	nd_report_reset(&rep);

	run(&rep, &o, "{\"t.card\": \"undetermined\", \"t.other\": \"fail\"}");
	assert_int_equal(rep.verdict, ND_NOT_READY);
	assert_string_equal(rep.primary->def->id, "t.other");
	nd_report_reset(&rep);
}

/* sign-test answers one question: the verdict is that check's answer,
 * whatever the others say */
static void
verdict_by_one_check(void **state)
{
	struct nd_report rep;
	struct nd_opts o;

	(void)state;
	nd_opts_defaults(&o);
	nd_report_init(&rep, &o);
	nd_report_verdict_by(&rep, "t.card");
	json_object_put(rep.inventory);
	rep.inventory = json_tokener_parse("{\"t.type\": \"warn\", \"t.other\": \"undetermined\"}");
	nd_report_evaluate_defs(&rep, defs, sizeof defs / sizeof defs[0]);
	assert_int_equal(rep.verdict, ND_READY);
	assert_int_equal(nd_verdict_exit(rep.verdict), 0);
	nd_report_reset(&rep);

	nd_report_init(&rep, &o);
	nd_report_verdict_by(&rep, "t.card");
	json_object_put(rep.inventory);
	rep.inventory = json_tokener_parse("{\"t.card\": \"warn\"}");
	nd_report_evaluate_defs(&rep, defs, sizeof defs / sizeof defs[0]);
	assert_int_equal(rep.verdict, ND_NOT_READY);
	assert_null(rep.primary);
	nd_report_reset(&rep);

	/* the check was not evaluated at all (blocked): not ready */
	nd_report_init(&rep, &o);
	nd_report_verdict_by(&rep, "t.card");
	json_object_put(rep.inventory);
	rep.inventory = json_tokener_parse("{\"t.service\": \"fail\"}");
	nd_report_evaluate_defs(&rep, defs, sizeof defs / sizeof defs[0]);
	assert_int_equal(rep.verdict, ND_NOT_READY);
	assert_string_equal(rep.primary->def->id, "t.service");
	nd_report_reset(&rep);
}

/* a report made without options still has every option's default */
static void
report_without_options_has_defaults(void **state)
{
	struct nd_report rep;

	(void)state;
	nd_report_init(&rep, NULL);
	assert_non_null(rep.opts);
	assert_int_equal(rep.opts->timeout_s, ND_DEFAULT_TIMEOUT_S);
	assert_int_equal(rep.opts->expiry_warn_days, ND_DEFAULT_EXPIRY_WARN_DAYS);
	assert_int_equal(rep.opts->pin_fd, -1);
	assert_string_equal(rep.opts->command, "check");
	nd_report_reset(&rep);
}

static void
names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(nd_verdict_name(ND_NOT_READY), "not_ready");
	assert_string_equal(nd_status_name(ND_WARN), "warn");
	assert_string_equal(nd_layer_name(ND_LAYER_PCSC), "pcsc");
	assert_int_equal(ND_EXIT_USAGE, 64);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_pass_is_ready),
		cmocka_unit_test(failure_skips_dependents_and_names_blocker),
		cmocka_unit_test(warning_verdict),
		cmocka_unit_test(undetermined_is_unknown_unless_failed),
		cmocka_unit_test(verdict_by_one_check),
		cmocka_unit_test(report_without_options_has_defaults),
		cmocka_unit_test(names_are_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
