/* SPDX-License-Identifier: BSD-2-Clause */
/* sys.* checks on hand-made inventories: pcscd's states, polkit and the
 * session, programs holding readers, sandboxes; with the usb checks, which
 * read the same facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/opts.h"
#include "core/util.h"
#include "ndtest.h"
#include "report/report.h"

static struct nd_opts opts;

static void
eval(struct nd_report *rep, const char *inv)
{
	nd_opts_defaults(&opts);
	ndt_report(rep, &opts, inv);
	ndt_evaluate(rep, ND_LAYER_USB | ND_LAYER_SYS);
}

static const struct nd_result *
res(const struct nd_report *rep, const char *id, enum nd_status st, const char *msg_part)
{
	return ndt_expect(rep, id, st, msg_part, NULL);
}


static void
sys_pcscd_states(void **state)
{
	struct nd_report rep;

	(void)state;
	eval(&rep, "{\"system\":{\"pcscd\":{\"installed\":false}}}");
	ndt_remedy_has(res(&rep, "sys.pcscd", ND_FAIL, "not installed"), "sudo apt install pcscd libccid");
	res(&rep, "sys.polkit", ND_SKIP, "sys.pcscd");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":true,\"version\":\"1.9.9\","
	    "\"socket_unit\":{\"enabled\":\"masked\",\"active\":\"inactive\"}}}}");
	ndt_remedy_has(res(&rep, "sys.pcscd", ND_FAIL, "masked"), "sudo systemctl unmask pcscd.socket pcscd.service");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":true,\"version\":\"1.9.9\","
	    "\"socket_unit\":{\"enabled\":\"disabled\",\"active\":\"inactive\"}}}}");
	ndt_remedy_has(res(&rep, "sys.pcscd", ND_FAIL, "neither running nor started on demand"),
	    "sudo systemctl enable --now pcscd.socket");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":true,\"version\":\"1.9.9\","
	    "\"socket_unit\":{\"enabled\":\"enabled\",\"active\":\"active\"}}}}");
	res(&rep, "sys.pcscd", ND_PASS, "starts on demand");
	nd_report_reset(&rep);
	/* a pcscd we cannot see, but that answered (the host's, in a container) */
	eval(&rep, "{\"system\":{\"pcscd\":{\"installed\":false,\"running\":false,\"socket\":\"/run/pcscd/pcscd.comm\"}},"
	    "\"pcsc\":{\"service\":\"ok\"}}");
	res(&rep, "sys.pcscd", ND_PASS, "answers");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"os\":{\"pretty_name\":\"Pardus 23.2\",\"family\":\"debian\"},\"kernel\":\"6.1\"}}");
	res(&rep, "sys.os", ND_INFO, "Pardus 23.2, kernel 6.1");
	nd_report_reset(&rep);
}

static void
sys_polkit_sessions(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	eval(&rep, "{" NDT_SYS ",\"pcsc\":{\"service\":\"refused\"},\"readers\":[]}");
	r = res(&rep, "sys.polkit", ND_FAIL, "pcscd refused this session (polkit)");
	ndt_remedy_has(r, "setup polkit --polkit-group");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"pcscd\":{\"installed\":true,\"running\":true},\"polkit\":{\"pcsc_policy\":true},"
	    "\"session\":{\"ssh\":true}},\"pcsc\":{\"service\":\"refused\"},\"readers\":[]}");
	res(&rep, "sys.polkit", ND_FAIL, "remote (ssh) session");
	nd_report_reset(&rep);
	/* before asking: an ssh session with a polkit-enabled pcscd */
	eval(&rep, "{\"system\":{\"pcscd\":{\"installed\":true,\"running\":true},\"polkit\":{\"pcsc_policy\":true},"
	    "\"session\":{\"ssh\":true}}}");
	res(&rep, "sys.polkit", ND_WARN, "ssh");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"pcscd\":{\"installed\":true,\"running\":true},\"polkit\":{\"pcsc_policy\":true,"
	    "\"pcsc_rules\":[\"/etc/polkit-1/rules.d/60-nesdoctor-pcsc.rules\"]},\"session\":{\"ssh\":true}}}");
	res(&rep, "sys.polkit", ND_PASS, "60-nesdoctor-pcsc.rules");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"pcscd\":{\"installed\":true,\"running\":true},\"polkit\":{\"pcsc_policy\":false},"
	    "\"session\":{}}}");
	res(&rep, "sys.polkit", ND_PASS, "does not ask polkit");
	nd_report_reset(&rep);
}

static void
sys_holders_and_sandboxes(void **state)
{
	struct nd_report rep;

	(void)state;
	eval(&rep, "{\"system\":{\"holders\":[{\"pid\":99,\"name\":\"scdaemon\"}],\"gnupg\":{\"pcsc_shared\":true,"
	    "\"disable_ccid\":true}}}");
	res(&rep, "sys.holders", ND_PASS, "set to share readers");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"holders\":[{\"pid\":99,\"name\":\"scdaemon\"}],\"gnupg\":{\"pcsc_shared\":true}}}");
	ndt_remedy_has(res(&rep, "sys.holders", ND_WARN, "scdaemon (pid 99)"), "disable-ccid");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"holders\":[],\"processes_partial\":true}}");
	res(&rep, "sys.holders", ND_PASS, "only your own processes");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{\"sandbox\":\"flatpak\"}}");
	res(&rep, "sys.sandbox", ND_WARN, "flatpak");
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{}}");
	res(&rep, "sys.sandbox", ND_PASS, NULL);
	nd_report_reset(&rep);
}

/* sys.java against the AKIS library: a JVM of the other word size cannot
 * load it, either way round; the message names both architectures. */
#define JAVA(bits, machine) "\"java\":{\"on_path\":{\"path\":\"/usr/bin/java\",\"version\":\"17.0.9\"," \
	"\"runtime\":\"OpenJDK Runtime Environment\",\"elf\":{\"bits\":" bits ",\"machine\":\"" machine "\"}}," \
	"\"installed\":[]}"
#define AKIS_MOD(bits, machine) "\"modules\":[{\"path\":\"/usr/lib/libakisp11.so\",\"akis\":true," \
	"\"status\":\"ok\",\"elf\":{\"bits\":" bits ",\"machine\":\"" machine "\"}}]"

static void
sys_java_architecture(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	eval(&rep, "{\"system\":{" JAVA("32", "i386") "}," AKIS_MOD("64", "x86_64") "}");
	r = res(&rep, "sys.java", ND_INFO, "32-bit i386");
	ndt_has(r->message, "64-bit x86_64");
	ndt_has(r->message, "/usr/lib/libakisp11.so");
	ndt_remedy_has(r, "default-jre");
	/* never in the verdict's way: whether a Java signer is used is not known */
	assert_int_not_equal(rep.verdict, ND_WARNING);
	nd_report_reset(&rep);
	eval(&rep, "{\"system\":{" JAVA("64", "x86_64") "}," AKIS_MOD("32", "i386") "}");
	r = res(&rep, "sys.java", ND_INFO, "64-bit x86_64");
	ndt_has(r->message, "32-bit i386");
	ndt_has(r->message, "cannot load it");
	nd_report_reset(&rep);
	/* the same architecture: information, with no remedy */
	eval(&rep, "{\"system\":{" JAVA("64", "x86_64") "}," AKIS_MOD("64", "x86_64") "}");
	r = res(&rep, "sys.java", ND_INFO, "the AKIS library is of the same architecture");
	assert_null(r->remedy);
	nd_report_reset(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sys_pcscd_states),
		cmocka_unit_test(sys_polkit_sessions),
		cmocka_unit_test(sys_holders_and_sandboxes),
		cmocka_unit_test(sys_java_architecture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
