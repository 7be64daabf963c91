/* SPDX-License-Identifier: BSD-2-Clause */
/* The pcsc checks over hand-made inventories: for each situation, the check
 * id, its status, the primary cause, and that the remedy says what to do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/i18n.h"
#include "core/opts.h"
#include "core/util.h"
#include "ndtest.h"
#include "report/report.h"

static struct nd_report rep;
static struct nd_opts opts;

static void
evaluate(const char *lang, const char *inventory)
{
	nd_opts_defaults(&opts);
	opts.lang = nd_i18n_init(lang);
	ndt_report(&rep, &opts, inventory);
	ndt_evaluate(&rep, ND_LAYER_PCSC);
}

static void
done(void)
{
	nd_report_reset(&rep);
}

static const struct nd_result *
check(const char *id)
{
	return ndt_result(&rep, id);
}

static void
expect(const char *id, enum nd_status st, const char *in_message, const char *in_remedy)
{
	const struct nd_result *r = ndt_expect(&rep, id, st, in_message, in_remedy);

	if (st == ND_FAIL && !r->remedy)
		fail_msg("%s fails without a remedy", id);
}

static void
expect_primary(const char *id)
{
	if (!id) {
		assert_null(rep.primary);
		return;
	}
	assert_non_null(rep.primary);
	assert_string_equal(rep.primary->def->id, id);
}

#define SVC_OK "\"pcsc\": {\"service\": \"ok\", \"rv\": \"SCARD_S_SUCCESS\", \"timeout_s\": 10, " \
	"\"readers_rv\": \"SCARD_S_SUCCESS\"}"
#define ATR_UEKAE "3B9F968131FE45806755454B41451212318073B3A180EA"
#define ATR_TC "3B9F978131FE458065544303230231C073F62180810552"
#define GOOD_ATR_INFO "\"atr_info\": {\"valid\": true, \"problems\": []}"
#define APDU_OK "\"apdu\": {\"command\": \"00A4000C023F00\", \"answered\": true, \"sw\": \"9000\"}"

/* a reader holding an answering card of the given family */
#define READER_CARD(name, atr, family, extra) \
	"{\"name\": \"" name "\", \"state\": [\"present\"], \"card\": {\"atr\": \"" atr "\", " \
	"\"protocol\": \"T=1\", \"family\": \"" family "\", \"name\": \"x\", \"state\": \"answers\", " \
	APDU_OK ", " GOOD_ATR_INFO extra "}}"
#define READER_EMPTY(name) "{\"name\": \"" name "\", \"state\": [\"empty\"], \"card\": null}"

/* ---- pcsc.service -------------------------------------------------- */

static void
service_not_running(void **state)
{
	(void)state;
	evaluate("en", "{\"pcsc\": {\"service\": \"not_running\", \"rv\": \"SCARD_E_NO_SERVICE\", "
	    "\"pcscd_installed\": true}, \"readers\": []}");
	expect("pcsc.service", ND_FAIL, "not running (SCARD_E_NO_SERVICE)", "systemctl enable --now pcscd.socket");
	expect("pcsc.service", ND_FAIL, NULL, "apt install pcscd");
	expect("pcsc.reader", ND_SKIP, NULL, NULL);
	assert_string_equal(check("pcsc.card_type")->blocked_by, "pcsc.service");
	expect_primary("pcsc.service");
	assert_int_equal(nd_verdict_exit(rep.verdict), ND_EXIT_NOT_READY);
	done();
}

/* With the system looked at (nesdoctor check), pcsc.service gives sys.pcscd's
 * advice by reference, even when only the pcsc layer is evaluated: in a
 * container without systemd, no systemctl. */
static void
service_not_running_refers_to_sys_pcscd(void **state)
{
	const struct nd_result *r;

	(void)state;
	evaluate("en", "{\"pcsc\": {\"service\": \"not_running\", \"rv\": \"SCARD_E_NO_SERVICE\", "
	    "\"pcscd_installed\": true}, \"readers\": [], \"system\": {\"systemd\": false, "
	    "\"container\": \"podman\", \"pcscd\": {\"installed\": true, \"running\": false}}}");
	expect("pcsc.service", ND_FAIL, "not running", "See sys.pcscd: Use the host's pcscd");
	r = check("pcsc.service");
	if (strstr(r->remedy, "systemctl"))
		fail_msg("pcsc.service remedy in a container without systemd: %s", r->remedy);
	done();
	evaluate("en", "{\"pcsc\": {\"service\": \"not_running\", \"rv\": \"SCARD_E_NO_SERVICE\", "
	    "\"pcscd_installed\": true}, \"readers\": [], \"system\": {\"systemd\": true, "
	    "\"pcscd\": {\"installed\": true, \"running\": false, \"socket_unit\": {\"enabled\": \"disabled\"}}}}");
	expect("pcsc.service", ND_FAIL, "not running", "See sys.pcscd: sudo systemctl enable --now pcscd.socket");
	done();
	/* Turkish: the reference is translated too */
	evaluate("tr", "{\"pcsc\": {\"service\": \"not_running\", \"rv\": \"SCARD_E_NO_SERVICE\", "
	    "\"pcscd_installed\": true}, \"readers\": [], \"system\": {\"container\": \"docker\", "
	    "\"pcscd\": {\"installed\": true}}}");
	expect("pcsc.service", ND_FAIL, NULL, "sys.pcscd");
	r = check("pcsc.service");
	if (strstr(r->remedy, "systemctl") || strstr(r->remedy, "See "))
		fail_msg("Turkish remedy: %s", r->remedy);
	done();
}

/* A pcscd that hangs, speaks another protocol version or cannot list its
 * readers is restarted the way this system does it: in a container without
 * systemd, neither systemctl nor journalctl, in both languages. */
static void
service_restart_fits_the_system(void **state)
{
	static const char *const cases[] = {
		"\"service\": \"no_answer\", \"timeout_s\": 2, \"hung_step\": \"SCardEstablishContext\"",
		"\"service\": \"protocol_mismatch\", \"rv\": \"SCARD_E_SERVICE_STOPPED\"",
		"\"service\": \"error\", \"rv\": \"SCARD_F_INTERNAL_ERROR\"",
	};
	static const char *const langs[] = { "en", "tr" };
	const struct nd_result *r;

	(void)state;
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			char *inv = nd_asprintf("{\"pcsc\": {%s}, \"readers\": [], \"system\": {\"systemd\": false, "
			    "\"container\": \"podman\", \"pcscd\": {\"installed\": true, \"running\": true}}}", cases[i]);

			evaluate(langs[l], inv);
			r = check("pcsc.service");
			if (r->status != ND_FAIL || !r->remedy || !strstr(r->remedy, "kill $(pidof pcscd); pcscd") ||
			    strstr(r->remedy, "systemctl") || strstr(r->remedy, "journalctl"))
				fail_msg("%s %s: %s / %s", langs[l], cases[i], r->message, r->remedy ? r->remedy : "(none)");
			done();
			free(inv);
		}
	/* pcscd cannot list its readers */
	evaluate("en", "{\"pcsc\": {\"service\": \"ok\", \"readers_rv\": \"SCARD_F_COMM_ERROR\"}, \"readers\": [], "
	    "\"system\": {\"systemd\": false, \"container\": \"lxc\", \"pcscd\": {\"installed\": true, \"running\": true}}}");
	expect("pcsc.reader", ND_FAIL, "could not list", "kill $(pidof pcscd); pcscd");
	r = check("pcsc.reader");
	if (strstr(r->remedy, "systemctl"))
		fail_msg("pcsc.reader: %s", r->remedy);
	done();
	/* systemd, or the system not looked at: systemctl and the journal */
	evaluate("en", "{\"pcsc\": {\"service\": \"protocol_mismatch\", \"rv\": \"SCARD_E_SERVICE_STOPPED\"}, \"readers\": []}");
	expect("pcsc.service", ND_FAIL, "protocol versions", "sudo systemctl restart pcscd.socket pcscd");
	done();
	evaluate("en", "{\"pcsc\": {\"service\": \"no_answer\", \"timeout_s\": 2}, \"readers\": [], "
	    "\"system\": {\"systemd\": true, \"pcscd\": {\"installed\": true, \"running\": true}}}");
	expect("pcsc.service", ND_FAIL, "did not answer within 2 s", "sudo systemctl restart pcscd.socket pcscd");
	expect("pcsc.service", ND_FAIL, NULL, "journalctl -u pcscd");
	done();
}

static void
service_not_installed(void **state)
{
	(void)state;
	evaluate("en", "{\"pcsc\": {\"service\": \"not_running\", \"rv\": \"SCARD_E_NO_SERVICE\", "
	    "\"pcscd_installed\": false}, \"readers\": []}");
	expect("pcsc.service", ND_FAIL, "not installed", "sudo apt install pcscd");
	expect("pcsc.service", ND_FAIL, NULL, "pcscd.socket");
	done();
}

static void
service_refused_by_polkit(void **state)
{
	(void)state;
	evaluate("en", "{\"pcsc\": {\"service\": \"refused\", \"rv\": \"SCARD_W_SECURITY_VIOLATION\"}, \"readers\": []}");
	expect("pcsc.service", ND_FAIL, "SCARD_W_SECURITY_VIOLATION", "org.debian.pcsc-lite.access_pcsc");
	expect("pcsc.service", ND_FAIL, "polkit", "ssh");
	expect_primary("pcsc.service");
	done();
}

static void
service_protocol_mismatch(void **state)
{
	(void)state;
	evaluate("en", "{\"pcsc\": {\"service\": \"protocol_mismatch\", \"rv\": \"SCARD_E_SERVICE_STOPPED\"}, \"readers\": []}");
	expect("pcsc.service", ND_FAIL, "different protocol versions", "restart pcscd");
	expect("pcsc.service", ND_FAIL, NULL, "libpcsclite");
	done();
}

static void
service_no_answer(void **state)
{
	(void)state;
	evaluate("en", "{\"pcsc\": {\"service\": \"no_answer\", \"hung_step\": \"SCardEstablishContext\", "
	    "\"timeout_s\": 3}, \"readers\": []}");
	expect("pcsc.service", ND_FAIL, "did not answer within 3 s (stuck in SCardEstablishContext)", "restart");
	done();
}

static void
service_undetermined(void **state)
{
	(void)state;
	/* the probe itself crashed: we do not know, and say so */
	evaluate("en", "{\"pcsc\": {\"service\": \"collector_failed\", \"collector_end\": \"crashed\"}, \"readers\": []}");
	expect("pcsc.service", ND_SKIP, "crashed", NULL);
	assert_true(check("pcsc.service")->undetermined);
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	assert_int_equal(nd_verdict_exit(rep.verdict), ND_EXIT_UNKNOWN);
	done();
	/* nothing collected at all */
	evaluate("en", "{}");
	assert_true(check("pcsc.service")->undetermined);
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	done();
}

/* ---- pcsc.reader --------------------------------------------------- */

static void
no_reader(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": []}");
	expect("pcsc.service", ND_PASS, NULL, NULL);
	expect("pcsc.reader", ND_FAIL, "no card reader found", "libccid");
	expect("pcsc.reader", ND_FAIL, NULL, "libacsccid1");
	expect("pcsc.card", ND_SKIP, NULL, NULL);
	expect_primary("pcsc.reader");
	done();
}

static void
reader_filter_matches_nothing(void **state)
{
	(void)state;
	evaluate("en", "{\"pcsc\": {\"service\": \"ok\", \"reader_filter\": \"ACR39\"}, \"readers\": ["
	    "{\"name\": \"Virtual PCD 00 00\", \"selected\": false, \"card\": null}]}");
	expect("pcsc.reader", ND_FAIL, "--reader 'ACR39' (readers: Virtual PCD 00 00)", "--reader");
	done();
}

static void
readers_listed(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": [" READER_EMPTY("A 00 00") ", " READER_EMPTY("B 00 00") "]}");
	expect("pcsc.reader", ND_PASS, "2 card readers: A 00 00, B 00 00", NULL);
	done();
}

/* ---- pcsc.card ----------------------------------------------------- */

static void
no_card(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": [" READER_EMPTY("ACS ACR39U 00 00") "]}");
	expect("pcsc.card", ND_FAIL, "no card in the reader ACS ACR39U 00 00", "chip first");
	expect("pcsc.card_type", ND_SKIP, NULL, NULL);
	expect_primary("pcsc.card");
	done();
	evaluate("en", "{" SVC_OK ", \"readers\": [" READER_EMPTY("A") ", " READER_EMPTY("B") "]}");
	expect("pcsc.card", ND_FAIL, "no card in any of the 2 card readers", "facing up");
	done();
}

static void
card_answers(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": [" READER_CARD("R 00 00", ATR_UEKAE, "akis_uekae", "") "]}");
	expect("pcsc.card", ND_PASS, "the card in R 00 00 answers (T=1, status 9000)", NULL);
	expect("pcsc.card_type", ND_PASS, "AKIS card (UEKAE family) in R 00 00", NULL);
	expect_primary(NULL);
	assert_int_equal(rep.verdict, ND_READY);
	assert_string_equal(nd_jstr(check("pcsc.card")->details, "reader"), "R 00 00");
	done();
}

static void
card_held_exclusively(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"" ATR_UEKAE "\", "
	    "\"family\": \"akis_uekae\", \"state\": \"in_use\", \"error\": \"SCARD_E_SHARING_VIOLATION\", "
	    "\"held_by\": [{\"pid\": 4242, \"name\": \"scdaemon\"}]}}]}");
	expect("pcsc.card", ND_FAIL, "held exclusively by another program (SCARD_E_SHARING_VIOLATION)",
	    "gpgconf --kill scdaemon");
	expect("pcsc.card", ND_FAIL, "scdaemon (pid 4242) is running", "disable-ccid");
	expect("pcsc.card", ND_FAIL, NULL, "pcsc-shared");
	expect_primary("pcsc.card");
	done();
	/* nobody known to hold it: the remedy still names the usual suspect */
	evaluate("en", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"" ATR_UEKAE "\", "
	    "\"state\": \"in_use\", \"error\": \"SCARD_E_SHARING_VIOLATION\", \"held_by\": []}}]}");
	expect("pcsc.card", ND_FAIL, "another program (SCARD_E_SHARING_VIOLATION)", "scdaemon");
	done();
}

static void
card_mute(void **state)
{
	(void)state;
	/* no answer to the command within the time limit */
	evaluate("en", "{\"pcsc\": {\"service\": \"ok\", \"timeout_s\": 2}, \"readers\": [{\"name\": \"R\", "
	    "\"card\": {\"atr\": \"" ATR_UEKAE "\", \"family\": \"akis_uekae\", \"state\": \"mute\", "
	    "\"hung_step\": \"SCardTransmit\"}}]}");
	expect("pcsc.card", ND_FAIL, "does not answer: no answer within 2 s (SCardTransmit)",
	    "insert it again");
	expect("pcsc.card", ND_FAIL, NULL, "chip first, facing up");
	expect("pcsc.card_type", ND_SKIP, NULL, NULL);
	done();
	/* pcscd could not reset it */
	evaluate("en", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"\", \"state\": \"mute\", "
	    "\"error\": \"SCARD_W_UNRESPONSIVE_CARD\"}}]}");
	expect("pcsc.card", ND_FAIL, "does not answer (SCARD_W_UNRESPONSIVE_CARD)", "chip first");
	done();
}

static void
card_other_failures(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"3B\", "
	    "\"state\": \"unsupported\", \"error\": \"SCARD_E_PROTO_MISMATCH\"}}]}");
	expect("pcsc.card", ND_FAIL, "cannot be used", "insert it again");
	done();
	evaluate("en", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"3B\", "
	    "\"state\": \"removed\", \"error\": \"SCARD_W_REMOVED_CARD\"}}]}");
	expect("pcsc.card", ND_FAIL, "taken out", "leave it in");
	done();
	evaluate("en", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"3B\", "
	    "\"state\": \"probe_failed\"}}]}");
	expect("pcsc.card", ND_SKIP, "ended abnormally", NULL);
	assert_int_equal(rep.verdict, ND_UNKNOWN);
	done();
}

static void
card_answers_with_damaged_atr(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"3B9F968131\", "
	    "\"family\": \"unknown\", \"state\": \"answers\", \"protocol\": \"T=1\", " APDU_OK ", "
	    "\"atr_info\": {\"valid\": false, \"problems\": [\"truncated\"]}}}]}");
	expect("pcsc.card", ND_WARN, "its ATR is damaged: it ends too early", "dry cloth");
	done();
}

static void
several_readers(void **state)
{
	(void)state;
	/* a mute AKIS card is the cause, even if a bank card answers elsewhere */
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("Bank 00 00", "3B6500009C11010103", "unknown", "") ", "
	    "{\"name\": \"Akis 00 00\", \"card\": {\"atr\": \"" ATR_UEKAE "\", \"family\": \"akis_uekae\", "
	    "\"state\": \"mute\", \"hung_step\": \"SCardTransmit\"}}]}");
	expect("pcsc.card", ND_FAIL, "the card in Akis 00 00 does not answer", "insert it again");
	done();
	/* a good AKIS card is not spoiled by a mute card in another reader */
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    "{\"name\": \"Other 00 00\", \"card\": {\"atr\": \"3B6500009C11010103\", \"family\": \"unknown\", "
	    "\"state\": \"mute\"}}, " READER_EMPTY("Empty 00 00") ", "
	    READER_CARD("Akis 00 00", ATR_UEKAE, "akis_uekae", "") "]}");
	expect("pcsc.card", ND_PASS, "the card in Akis 00 00 answers", NULL);
	expect("pcsc.card_type", ND_PASS, "in Akis 00 00", NULL);
	done();
	/* with --reader, only the selected reader counts */
	evaluate("en", "{\"pcsc\": {\"service\": \"ok\", \"reader_filter\": \"Other\"}, \"readers\": ["
	    "{\"name\": \"Other 00 00\", \"selected\": true, \"card\": null}, "
	    "{\"name\": \"Akis 00 00\", \"selected\": false, \"card\": {\"atr\": \"" ATR_UEKAE "\", "
	    "\"family\": \"akis_uekae\", \"state\": \"not_probed\"}}]}");
	expect("pcsc.reader", ND_PASS, "one card reader: Other 00 00", NULL);
	expect("pcsc.card", ND_FAIL, "no card in the reader Other 00 00", NULL);
	done();
}

/* ---- pcsc.card_type ------------------------------------------------ */

static void
card_type_tc_family_is_ambiguous(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("R", ATR_TC, "akis_tc", ", \"ambiguous_with\": \"tckk\"") "]}");
	expect("pcsc.card_type", ND_WARN, "AKIS card (TC family) or Turkish ID card (TCKK) in R",
	    "insert the e-signature card");
	expect_primary(NULL);
	assert_int_equal(rep.verdict, ND_WARNING);
	assert_int_equal(nd_verdict_exit(rep.verdict), ND_EXIT_WARNING);
	done();
	/* told apart by the token layer: an AKIS card */
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("R", ATR_TC, "akis_tc", ", \"identified_by\": \"p11\"") "]}");
	expect("pcsc.card_type", ND_PASS, "AKIS card (TC family) in R", NULL);
	done();
	/* told apart by the token the PKCS#11 layer read from this reader */
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("R", ATR_TC, "akis_tc", ", \"ambiguous_with\": \"tckk\"") "],"
	    " \"tokens\": [{\"reader\": \"R\", \"device\": \"akis\", \"label\": \"AKIS_0123456789ABCDEF\"}]}");
	expect("pcsc.card_type", ND_PASS, "AKIS card (TC family) in R, confirmed by its token AKIS_0123456789ABCDEF", NULL);
	expect_primary(NULL);
	assert_int_equal(rep.verdict, ND_READY);
	done();
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("R", ATR_TC, "akis_tc", ", \"ambiguous_with\": \"tckk\"") "],"
	    " \"tokens\": [{\"reader\": \"R\", \"device\": \"id_card\", \"label\": \"TCKK\"}]}");
	expect("pcsc.card_type", ND_FAIL, "is a Turkish ID card (TCKK), not your e-signature card",
	    "insert your e-signature card");
	expect_primary("pcsc.card_type");
	done();
	/* a token in another reader settles nothing here */
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("R", ATR_TC, "akis_tc", ", \"ambiguous_with\": \"tckk\"") "],"
	    " \"tokens\": [{\"reader\": \"S\", \"device\": \"akis\", \"label\": \"AKIS_0123456789ABCDEF\"}]}");
	expect("pcsc.card_type", ND_WARN, "the ATR cannot tell these two apart", NULL);
	done();
}

static void
card_type_id_card_fails(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("R", ATR_TC, "tckk", ", \"identified_by\": \"p11\"") "]}");
	expect("pcsc.card_type", ND_FAIL, "is a Turkish ID card (TCKK), not your e-signature card",
	    "insert your e-signature card");
	expect_primary("pcsc.card_type");
	done();
}

static void
card_type_unknown_warns(void **state)
{
	(void)state;
	evaluate("en", "{" SVC_OK ", \"readers\": ["
	    READER_CARD("R", "3B6500009C11010103", "unknown", ", \"known_as\": [\"Example Bank debit card\"]") "]}");
	expect("pcsc.card_type", ND_WARN, "not an AKIS card: this may not be your e-signature card",
	    "delivered by Kamu SM");
	expect("pcsc.card_type", ND_WARN, "known as \"Example Bank debit card\"", NULL);
	done();
	evaluate("en", "{" SVC_OK ", \"readers\": [" READER_CARD("R", "3B6500009C11010103", "unknown", "") "]}");
	expect("pcsc.card_type", ND_WARN, "ATR 3B6500009C11010103", NULL);
	done();
}

static void
turkish_messages(void **state)
{
	(void)state;
	evaluate("tr", "{\"pcsc\": {\"service\": \"not_running\", \"rv\": \"SCARD_E_NO_SERVICE\", "
	    "\"pcscd_installed\": true}, \"readers\": []}");
	expect("pcsc.service", ND_FAIL, "çalışmıyor", "sudo systemctl enable --now pcscd.socket");
	expect("pcsc.service", ND_FAIL, NULL, "Akıllı kart hizmetini");
	done();
	evaluate("tr", "{" SVC_OK ", \"readers\": [" READER_CARD("R", ATR_UEKAE, "akis_uekae", "") "]}");
	expect("pcsc.card_type", ND_PASS, "R okuyucusunda AKİS kartı (UEKAE ailesi)", NULL);
	done();
	evaluate("tr", "{" SVC_OK ", \"readers\": [{\"name\": \"R\", \"card\": {\"atr\": \"" ATR_UEKAE "\", "
	    "\"state\": \"in_use\", \"error\": \"SCARD_E_SHARING_VIOLATION\"}}]}");
	expect("pcsc.card", ND_FAIL, "başka bir program", "gpgconf --kill scdaemon");
	done();
	nd_i18n_init("en");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(service_not_running),
		cmocka_unit_test(service_not_running_refers_to_sys_pcscd),
		cmocka_unit_test(service_restart_fits_the_system),
		cmocka_unit_test(service_not_installed),
		cmocka_unit_test(service_refused_by_polkit),
		cmocka_unit_test(service_protocol_mismatch),
		cmocka_unit_test(service_no_answer),
		cmocka_unit_test(service_undetermined),
		cmocka_unit_test(no_reader),
		cmocka_unit_test(reader_filter_matches_nothing),
		cmocka_unit_test(readers_listed),
		cmocka_unit_test(no_card),
		cmocka_unit_test(card_answers),
		cmocka_unit_test(card_held_exclusively),
		cmocka_unit_test(card_mute),
		cmocka_unit_test(card_other_failures),
		cmocka_unit_test(card_answers_with_damaged_atr),
		cmocka_unit_test(several_readers),
		cmocka_unit_test(card_type_tc_family_is_ambiguous),
		cmocka_unit_test(card_type_id_card_fails),
		cmocka_unit_test(card_type_unknown_warns),
		cmocka_unit_test(turkish_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
