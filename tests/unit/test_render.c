/* SPDX-License-Identifier: BSD-2-Clause */
/* Renderers: the JSON document (schema, fields, null handling) and the text
 * report in English and Turkish (the catalogue from the build tree; no tr_TR
 * locale needs to be generated). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/i18n.h"
#include "core/opts.h"
#include "core/safe.h"
#include "core/util.h"
#include "render/render.h"
#include "report/report.h"

static void
eval_fail(const struct nd_report *rep, struct nd_result *r)
{
	(void)rep;
	nd_result_set(r, ND_FAIL, _("not found"));
	nd_result_remedy(r, "sudo apt install pcscd");
}

static void
eval_pass(const struct nd_report *rep, struct nd_result *r)
{
	(void)rep;
	nd_result_set(r, ND_PASS, "fine");
}

static const struct nd_check_def d_a = { "pcsc.service", ND_LAYER_PCSC, { NULL }, eval_fail };
static const struct nd_check_def d_b = { "pcsc.reader", ND_LAYER_PCSC, { "pcsc.service", NULL }, eval_pass };
static const struct nd_check_def d_c = { "sys.other", ND_LAYER_SYS, { NULL }, eval_pass };
static const struct nd_check_def *const defs[] = { &d_a, &d_b, &d_c };

static void
eval_undetermined(const struct nd_report *rep, struct nd_result *r)
{
	(void)rep;
	nd_result_set(r, ND_SKIP, "the card did not say");
	nd_result_remedy(r, "insert the card again");
	r->undetermined = true;
}

static const struct nd_check_def d_u = { "pcsc.card_type", ND_LAYER_PCSC, { NULL }, eval_undetermined };

/* Render the hand-made report; `full` as `check` does it (the DYS layer
 * evaluated), else as a command that looks at some layers only. */
static char *
render_as(bool json, const char *lang, bool full)
{
	struct nd_opts o;
	struct nd_report rep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	nd_opts_defaults(&o);
	o.lang = nd_i18n_init(lang);
	o.json = json;
	nd_report_init(&rep, &o);
	json_object_object_add(rep.inventory, "readers", json_object_new_array());
	nd_report_evaluate_defs(&rep, defs, sizeof defs / sizeof defs[0]);
	rep.layers = full ? ND_LAYER_ALL : ND_LAYER_PCSC | ND_LAYER_SYS;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (json)
		nd_render_json(&rep, f);
	else
		nd_render_text(&rep, f, false);
	fclose(f);
	nd_report_reset(&rep);
	return buf;
}

static char *
render(bool json, const char *lang)
{
	return render_as(json, lang, true);
}

static void
json_document(void **state)
{
	char *s = render(true, "en");
	json_object *doc = json_tokener_parse(s), *checks, *c0, *c1, *v;

	(void)state;
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "schema", &v));
	assert_string_equal(json_object_get_string(v), "nesdoctor.report/1");
	assert_true(json_object_object_get_ex(doc, "version", &v));
	assert_true(json_object_object_get_ex(doc, "time", &v));
	assert_int_equal(strlen(json_object_get_string(v)), 20);   /* 2026-01-01T00:00:00Z */
	assert_true(json_object_object_get_ex(doc, "verdict", &v));
	assert_string_equal(json_object_get_string(v), "not_ready");
	assert_true(json_object_object_get_ex(doc, "primary_cause", &v));
	assert_string_equal(json_object_get_string(v), "pcsc.service");
	assert_true(json_object_object_get_ex(doc, "checks", &checks));
	assert_int_equal(json_object_array_length(checks), 3);
	c0 = json_object_array_get_idx(checks, 0);
	assert_true(json_object_object_get_ex(c0, "status", &v));
	assert_string_equal(json_object_get_string(v), "fail");
	assert_true(json_object_object_get_ex(c0, "remedy", &v));
	assert_string_equal(json_object_get_string(v), "sudo apt install pcscd");
	c1 = json_object_array_get_idx(checks, 1);
	assert_true(json_object_object_get_ex(c1, "status", &v));
	assert_string_equal(json_object_get_string(v), "skip");
	assert_true(json_object_object_get_ex(c1, "blocked_by", &v));
	assert_string_equal(json_object_get_string(v), "pcsc.service");
	/* no remedy is an explicit null, not a missing key */
	assert_true(json_object_object_get_ex(c1, "remedy", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(doc, "inventory", &v));
	assert_true(json_object_object_get_ex(v, "readers", &v));
	json_object_put(doc);
	free(s);
}

static void
text_english(void **state)
{
	char *s = render(false, "en");

	(void)state;
	assert_non_null(strstr(s, "NOT READY"));
	assert_non_null(strstr(s, "Cause: not found [pcsc.service]"));
	assert_non_null(strstr(s, "sudo apt install pcscd"));
	assert_non_null(strstr(s, "Card readers (PC/SC)"));
	assert_non_null(strstr(s, "not checked because pcsc.service failed"));
	assert_null(strstr(s, "\033["));   /* no colour when asked for none */
	free(s);
}

static void
text_turkish(void **state)
{
	char *s = render(false, "tr");

	(void)state;
	assert_non_null(strstr(s, "HAZIR DEĞİL"));
	assert_non_null(strstr(s, "Neden: bulunamadı [pcsc.service]"));
	assert_non_null(strstr(s, "Kart okuyucular (PC/SC)"));
	assert_non_null(strstr(s, "pcsc.service başarısız olduğu için denetlenmedi"));
	free(s);
	nd_i18n_init("en");
}

static void
text_unknown_names_what_was_not_determined(void **state)
{
	const struct nd_check_def *const u[] = { &d_c, &d_u };
	struct nd_opts o;
	struct nd_report rep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	nd_opts_defaults(&o);
	o.lang = nd_i18n_init("en");
	nd_report_init(&rep, &o);
	nd_report_evaluate_defs(&rep, u, sizeof u / sizeof u[0]);
	rep.layers = ND_LAYER_ALL;
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	f = open_memstream(&buf, &len);
	nd_render_text(&rep, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "UNKNOWN"));
	assert_non_null(strstr(buf, "Not determined: the card did not say [pcsc.card_type]"));
	assert_non_null(strstr(buf, "insert the card again"));
	free(buf);
	nd_report_reset(&rep);
}

static void
text_partial_commands_do_not_promise_signing(void **state)
{
	char *s = render_as(false, "en", false);

	(void)state;
	/* `readers` or `verify` look at one layer: a failure is a problem
	 * found, a pass is no "you can sign" */
	assert_non_null(strstr(s, "PROBLEM FOUND: a check of this command failed"));
	assert_null(strstr(s, "NOT READY"));
	assert_non_null(strstr(s, "Cause: not found [pcsc.service]"));
	free(s);
	s = render_as(false, "tr", false);
	assert_non_null(strstr(s, "SORUN VAR"));
	free(s);
	nd_i18n_init("en");
}

static void
json_messages_follow_language(void **state)
{
	char *s = render(true, "tr");

	(void)state;
	assert_non_null(strstr(s, "\"lang\": \"tr\""));
	assert_non_null(strstr(s, "bulunamadı"));
	/* ids and statuses never translate */
	assert_non_null(strstr(s, "\"status\": \"fail\""));
	free(s);
	nd_i18n_init("en");
}

/* Outside data that tries to break the output: a subject that sets the
 * terminal title and forges a verdict line, identity numbers (which pass
 * the TCKN checksum) outside serialNumber, a file name that is not UTF-8, a
 * reader name that clears the screen. */
#define HOSTILE_CN "\033]0;owned\a\nready (exit 0)\r"
#define HOSTILE_SUBJECT "CN=" HOSTILE_CN " 10000000146, O=12345678950 Ltd, C=TR"

static void
eval_hostile(const struct nd_report *rep, struct nd_result *r)
{
	const char *subject = nd_jstr(nd_jobj(rep->inventory, "signing_certificate"), "subject");

	nd_result_set(r, ND_FAIL, "%s: expired", subject);
	nd_result_remedy(r, "Renew %s\nthen try again", subject);
}

static void
eval_reader(const struct nd_report *rep, struct nd_result *r)
{
	nd_result_set(r, ND_PASS, "reader %s",
	    nd_jstr(json_object_array_get_idx(nd_jarr(rep->inventory, "readers"), 0), "name"));
}

static const struct nd_check_def d_h = { "cert.validity", ND_LAYER_CERT, { NULL }, eval_hostile };
static const struct nd_check_def d_r = { "pcsc.reader", ND_LAYER_PCSC, { NULL }, eval_reader };

static char *
render_hostile(bool json, bool color, bool show_id)
{
	const struct nd_check_def *const h[] = { &d_r, &d_h };
	json_object *sc = json_object_new_object(), *key = json_object_new_object();
	json_object *readers = json_object_new_array(), *rd = json_object_new_object();
	json_object *pcsc = json_object_new_object(), *chain = json_object_new_array();
	json_object *link = json_object_new_object();
	struct nd_opts o;
	struct nd_report rep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	nd_opts_defaults(&o);
	o.lang = nd_i18n_init("en");
	o.json = json;
	o.show_id = show_id;
	nd_report_init(&rep, &o);
	json_object_object_add(sc, "subject", json_object_new_string(HOSTILE_SUBJECT));
	json_object_object_add(sc, "serial", json_object_new_string("0A1B"));
	json_object_object_add(sc, "file", json_object_new_string("/tmp/\xfe\xff 12345678950.pem"));
	json_object_object_add(sc, "label", json_object_new_string("12345678950NES0\033[2J"));
	json_object_object_add(key, "type", json_object_new_string("RSA"));
	json_object_object_add(key, "bits", json_object_new_int(2048));
	json_object_object_add(sc, "key", key);
	json_object_object_add(rep.inventory, "signing_certificate", sc);
	json_object_object_add(link, "subject", json_object_new_string(HOSTILE_SUBJECT));
	json_object_object_add(link, "source", json_object_new_string("file"));
	json_object_array_add(chain, link);
	json_object_object_add(rep.inventory, "chain", chain);
	json_object_object_add(pcsc, "service", json_object_new_string("ok"));
	json_object_object_add(rep.inventory, "pcsc", pcsc);
	json_object_object_add(rd, "name", json_object_new_string("Reader\033[2J\xc2\x9b\xff 00"));
	json_object_array_add(readers, rd);
	json_object_object_add(rep.inventory, "readers", readers);
	nd_report_evaluate_defs(&rep, h, sizeof h / sizeof h[0]);
	rep.layers = ND_LAYER_ALL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (json)
		nd_render_json(&rep, f);
	else
		nd_render_text(&rep, f, color);
	fclose(f);
	nd_report_reset(&rep);
	return buf;
}

/* No line of the output starts (after its indent) with the forged text. */
static bool
forged_line(const char *s)
{
	for (const char *p = s; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		p += strspn(p, " ");
		if (strncmp(p, "ready (exit 0)", 14) == 0)
			return true;
	}
	return false;
}

static void
text_escapes_outside_data(void **state)
{
	char *s = render_hostile(false, false, false);

	(void)state;
	assert_null(strchr(s, '\033'));
	assert_null(strchr(s, '\a'));
	assert_null(strchr(s, '\r'));
	assert_false(forged_line(s));
	assert_true(nd_utf8_valid(s, strlen(s)));
	/* shown, escaped, in the check line, the cause and the cert section */
	assert_non_null(strstr(s, "CN=\\x1b]0;owned\\x07\\nready (exit 0)\\r 100******46, O=123******50 Ltd"));
	assert_non_null(strstr(s, "file /tmp/\\xfe\\xff 123******50.pem"));
	assert_non_null(strstr(s, "label 123******50NES0\\x1b[2J"));
	assert_non_null(strstr(s, "Reader\\x1b[2J\\u009b\\xff 00"));
	/* the remedy keeps its own line break, not the name's */
	assert_non_null(strstr(s, "\\nready (exit 0)\\r 100******46, O=123******50 Ltd, C=TR\n    then try again\n"));
	if (getenv("ND_SHOW"))
		fputs(s, stderr);
	/* the TCKNs nowhere in full */
	assert_null(strstr(s, "10000000146"));
	assert_null(strstr(s, "12345678950"));
	free(s);

	/* the renderer's own colours still work, nothing else does */
	s = render_hostile(false, true, false);
	assert_non_null(strstr(s, "\033[1m"));
	assert_non_null(strstr(s, "\033[31m"));
	assert_null(strstr(s, "\033]"));
	assert_null(strstr(s, "\033[2J"));
	assert_false(forged_line(s));
	free(s);

	/* --show-id is the one way to see the numbers */
	s = render_hostile(false, false, true);
	assert_non_null(strstr(s, "10000000146"));
	assert_non_null(strstr(s, "O=12345678950 Ltd"));
	assert_null(strchr(s, '\033'));
	free(s);
}

static void
json_valid_utf8_and_masked(void **state)
{
	char *s = render_hostile(true, false, false);
	json_object *doc, *sc, *v;

	(void)state;
	assert_true(nd_utf8_valid(s, strlen(s)));
	assert_null(strstr(s, "10000000146"));
	assert_null(strstr(s, "12345678950"));
	doc = json_tokener_parse(s);
	assert_non_null(doc);
	sc = nd_jobj(nd_jobj(doc, "inventory"), "signing_certificate");
	assert_string_equal(nd_jstr(sc, "file"), "/tmp/\xEF\xBF\xBD\xEF\xBF\xBD 123******50.pem");
	/* the name's bytes, to find the file again ("/tmp/" FE FF " 123******50.pem") */
	assert_string_equal(nd_jstr(sc, "file_hex"), "2F746D702FFEFF203132332A2A2A2A2A2A35302E70656D");
	assert_string_equal(nd_jstr(sc, "serial"), "0A1B");
	v = json_object_array_get_idx(nd_jarr(doc, "checks"), 1);
	assert_non_null(strstr(nd_jstr(v, "message"), "\033]0;owned\a\nready (exit 0)\r 100******46"));
	json_object_put(doc);
	free(s);

	s = render_hostile(true, false, true);
	assert_true(nd_utf8_valid(s, strlen(s)));
	assert_non_null(strstr(s, "10000000146"));
	assert_non_null(strstr(s, "12345678950"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_document),
		cmocka_unit_test(text_english),
		cmocka_unit_test(text_turkish),
		cmocka_unit_test(json_messages_follow_language),
		cmocka_unit_test(text_partial_commands_do_not_promise_signing),
		cmocka_unit_test(text_unknown_names_what_was_not_determined),
		cmocka_unit_test(text_escapes_outside_data),
		cmocka_unit_test(json_valid_utf8_and_masked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
