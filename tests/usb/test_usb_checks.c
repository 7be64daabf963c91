/* SPDX-License-Identifier: BSD-2-Clause */
/* usb.* and sys.* checks on hand-made inventories: the causes that need root
 * or real hardware to stage (pcscd running as its own user, GnuPG holding a
 * reader, a kernel driver on the interface, polkit refusing an ssh session,
 * masked units, sandboxes) and the choices between them. */
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

/* usb, sys and pcsc together: the checks that can fail on one cause */
static void
eval_with_pcsc(struct nd_report *rep, const char *inv)
{
	nd_opts_defaults(&opts);
	ndt_report(rep, &opts, inv);
	ndt_evaluate(rep, ND_LAYER_USB | ND_LAYER_SYS | ND_LAYER_PCSC);
}

static const struct nd_result *
res(const struct nd_report *rep, const char *id, enum nd_status st, const char *msg_part)
{
	return ndt_expect(rep, id, st, msg_part, NULL);
}


static void
pcscd_user_without_permission(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":false,\"permissions\":{\"mode\":\"0664\",\"owner\":\"root\","
	    "\"group\":\"root\",\"pcscd_user\":\"pcscd\",\"pcscd_access\":false}") "]," NDT_PCSC_OK "," NDT_SYS "}");
	res(&rep, "usb.device", ND_PASS, "ACS ACR39U (072f:b100) is plugged in");
	res(&rep, "usb.driver", ND_PASS, "served by ifd-ccid.bundle");
	r = res(&rep, "usb.access", ND_FAIL, "pcscd runs as pcscd, which may not open /dev/bus/usb/001/002 (0664 root:root)");
	ndt_remedy_has(r, "sudo apt install --reinstall libccid");
	assert_string_equal(rep.primary->def->id, "usb.access");
	assert_int_equal(nd_verdict_exit(rep.verdict), ND_EXIT_NOT_READY);
	nd_report_reset(&rep);
}

static void
gnupg_holds_the_reader(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":false,\"kernel_driver\":\"usbfs\","
	    "\"holders\":[{\"pid\":1234,\"name\":\"scdaemon\",\"node\":\"/dev/bus/usb/001/002\"}]") "]," NDT_PCSC_OK "," NDT_SYS "}");
	r = res(&rep, "usb.access", ND_FAIL, "GnuPG's scdaemon (pid 1234) has taken ACS ACR39U");
	ndt_remedy_has(r, "pcsc-shared");
	ndt_remedy_has(r, "gpgconf --kill scdaemon");
	nd_report_reset(&rep);
	/* another program */
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":false,\"holders\":[{\"pid\":7,\"name\":\"javaws\"}]") "],"
	    NDT_PCSC_OK "," NDT_SYS "}");
	r = res(&rep, "usb.access", ND_FAIL, "javaws (pid 7) has ACS ACR39U open");
	ndt_remedy_has(r, "kill 7");
	nd_report_reset(&rep);
	/* pcscd itself holding it is normal */
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":true,\"pcsc_reader\":\"ACS ACR39U ICC Reader 00 00\","
	    "\"kernel_driver\":\"usbfs\",\"holders\":[{\"pid\":42,\"name\":\"pcscd\"}]") "]," NDT_PCSC_OK "," NDT_SYS "}");
	res(&rep, "usb.access", ND_PASS, "pcscd uses it as \"ACS ACR39U ICC Reader 00 00\"");
	nd_report_reset(&rep);
}

static void
kernel_driver_on_the_interface(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":false,\"kernel_driver\":\"usbhid\"") "]," NDT_PCSC_OK "," NDT_SYS "}");
	r = res(&rep, "usb.access", ND_FAIL, "the kernel driver usbhid holds the interface of ACS ACR39U");
	ndt_remedy_has(r, "echo -n '1-2:1.0' | sudo tee /sys/bus/usb/drivers/usbhid/unbind");
	nd_report_reset(&rep);
}

static void
causes_in_order(void **state)
{
	struct nd_report rep;

	(void)state;
	/* no driver comes first, even with pcscd down and bad permissions */
	eval(&rep, "{\"usb\":[{\"id\":\"072f:9000\",\"name\":\"ACS ACR38U\",\"known\":true,\"ccid_interface\":false,"
	    "\"driver\":null,\"driver_packages\":[\"libacsccid1\"],\"in_pcsc\":null,"
	    "\"permissions\":{\"pcscd_access\":false}}],\"pcsc\":{\"service\":\"not_running\"},\"readers\":[],"
	    "\"ifd_drivers\":{\"bundles\":[{\"bundle\":\"ifd-ccid.bundle\",\"package\":\"libccid\"}]}}");
	ndt_remedy_has(res(&rep, "usb.driver", ND_FAIL, "no installed driver serves ACS ACR38U (072f:9000)"),
	    "sudo apt install libacsccid1");
	res(&rep, "usb.access", ND_SKIP, "usb.driver");
	assert_string_equal(rep.primary->def->id, "usb.driver");
	nd_report_reset(&rep);
	/* then pcscd not running, before permissions */
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":null,\"permissions\":{\"pcscd_access\":false}") "],"
	    "\"pcsc\":{\"service\":\"not_running\"},\"readers\":[],\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":true}}}");
	ndt_remedy_has(res(&rep, "usb.access", ND_FAIL, "pcscd is not running"), "sudo systemctl enable --now pcscd.socket");
	nd_report_reset(&rep);
	/* pcscd answers something odd */
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":null") "],\"pcsc\":{\"service\":\"no_answer\"},\"readers\":[]}");
	res(&rep, "usb.access", ND_FAIL, "pcscd does not answer (no_answer)");
	nd_report_reset(&rep);
	/* nothing found: still a failure, with what to try */
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":false") "]," NDT_PCSC_OK ",\"usb_scan\":{\"pcscd_log\":{\"readable\":false}}}");
	ndt_remedy_has(res(&rep, "usb.access", ND_FAIL, "has a driver, but pcscd does not list it"), "nesdoctor could not read it");
	nd_report_reset(&rep);
}

static void
drivers_and_packages(void **state)
{
	struct nd_report rep;

	(void)state;
	/* only the class driver could serve it: ACS's driver lists it */
	eval(&rep, "{\"usb\":[{\"id\":\"072f:b102\",\"name\":\"ACS ACR39T\",\"known\":true,\"ccid_interface\":true,"
	    "\"driver\":null,\"driver_match\":\"class\",\"class_driver\":\"ifd-ccid.bundle\","
	    "\"driver_packages\":[\"libacsccid1\"],\"in_pcsc\":false}]," NDT_PCSC_OK ","
	    "\"ifd_drivers\":{\"bundles\":[{\"bundle\":\"ifd-ccid.bundle\",\"package\":\"libccid\"}]}}");
	ndt_remedy_has(res(&rep, "usb.driver", ND_FAIL, "libccid could drive it as a generic CCID reader"),
	    "sudo apt install libacsccid1");
	nd_report_reset(&rep);
	/* a device no Debian driver knows */
	eval(&rep, "{\"usb\":[{\"id\":\"1209:0001\",\"name\":\"Test CCID Reader\",\"known\":false,\"ccid_interface\":false,"
	    "\"driver\":null,\"driver_packages\":[]}],\"ifd_drivers\":{\"bundles\":[{\"package\":\"libccid\"}]}}");
	ndt_remedy_has(res(&rep, "usb.driver", ND_FAIL, "no installed driver serves Test CCID Reader"), "No Debian driver is known");
	nd_report_reset(&rep);
	/* two specific drivers: pcscd's pick depends on folder order */
	eval(&rep, "{\"usb\":[" NDT_DEV(",\"drivers_ambiguous\":true,\"in_pcsc\":true,\"pcsc_reader\":\"x\"") "]," NDT_PCSC_OK "}");
	res(&rep, "usb.driver", ND_WARN, "listed by more than one driver");
	nd_report_reset(&rep);
}

static void
usb_device_semantics(void **state)
{
	struct nd_report rep;

	(void)state;
	/* nothing on USB, but pcscd lists readers (virtual, serial, remote) */
	eval(&rep, "{\"usb\":[],\"usb_scan\":{\"devices_seen\":4},\"pcsc\":{\"service\":\"ok\"},"
	    "\"readers\":[{\"name\":\"Virtual PCD 00 00\"}]}");
	res(&rep, "usb.device", ND_INFO, "pcscd lists 1 reader(s) that are not USB devices");
	res(&rep, "usb.driver", ND_SKIP, NULL);
	assert_null(rep.primary);
	nd_report_reset(&rep);
	/* a container without the bus: not "nothing plugged in", but unknown;
	 * what pcscd says decides (here: not running) */
	eval(&rep, "{\"usb\":[],\"usb_scan\":{\"devices_seen\":0},\"system\":{\"container\":\"docker\"},"
	    "\"pcsc\":{\"service\":\"not_running\"},\"readers\":[]}");
	ndt_remedy_has(res(&rep, "usb.device", ND_SKIP, "no USB bus is visible inside this docker container"), "/run/pcscd");
	assert_true(nd_report_find(&rep, "usb.device")->undetermined);
	res(&rep, "usb.driver", ND_SKIP, NULL);
	nd_report_reset(&rep);
	/* a container without the bus that shares a pcscd with readers: it
	 * cannot see USB, and does not need to; not undetermined, so a
	 * working setup is not "unknown" */
	eval(&rep, "{\"usb\":[],\"usb_scan\":{\"devices_seen\":0},\"system\":{\"container\":\"docker\"},"
	    "\"pcsc\":{\"service\":\"ok\"},\"readers\":[{\"name\":\"ACS ACR39U ICC Reader 00 00\"}]}");
	res(&rep, "usb.device", ND_INFO, "no USB bus is visible inside this docker container; pcscd lists 1 reader(s)");
	assert_false(nd_report_find(&rep, "usb.device")->undetermined);
	assert_null(rep.primary);
	nd_report_reset(&rep);
	/* nothing plugged in on a machine with a USB bus: a failure even when
	 * pcscd is down too (USB comes first) */
	eval(&rep, "{\"usb\":[],\"usb_scan\":{\"devices_seen\":3},\"pcsc\":{\"service\":\"not_running\"},\"readers\":[]}");
	res(&rep, "usb.device", ND_FAIL, "no smart-card reader or token is plugged in");
	assert_string_equal(rep.primary->def->id, "usb.device");
	nd_report_reset(&rep);
	/* libusb could not look: unknown, not a failure */
	eval(&rep, "{\"usb\":[],\"usb_scan\":{\"error\":\"LIBUSB_ERROR_OTHER\"}}");
	res(&rep, "usb.device", ND_SKIP, "LIBUSB_ERROR_OTHER");
	assert_true(nd_report_find(&rep, "usb.device")->undetermined);
	nd_report_reset(&rep);
	/* two devices */
	eval(&rep, "{\"usb\":[" NDT_DEV("") "," NDT_DEV("") "]}");
	res(&rep, "usb.device", ND_PASS, "2 smart-card devices are plugged in");
	nd_report_reset(&rep);
}

static void
remedy_lacks(const struct nd_result *r, const char *part)
{
	if (r->remedy && strstr(r->remedy, part))
		fail_msg("%s: remedy \"%s\" has \"%s\"", r->def->id, r->remedy, part);
}

/* pcscd down: sys.pcscd is closest to the cause; pcsc.service and
 * usb.access, further from it, refer to it and never say otherwise. */
#define DOWN_USB "\"usb\":[" NDT_DEV(",\"in_pcsc\":false") "],\"pcsc\":{\"service\":\"not_running\",\"rv\":\"SCARD_E_NO_SERVICE\"},\"readers\":[]"

/* pcscd runs but hangs (or speaks another protocol version): the restart
 * advice of pcsc.service and usb.access is the system's, as sys.pcscd's:
 * never systemctl (nor journalctl) in a container without systemd. */
#define HUNG_PCSC(svc) "\"pcsc\":{\"service\":\"" svc "\",\"timeout_s\":2,\"hung_step\":\"SCardEstablishContext\"},\"readers\":[]"
#define CONTAINER_SYS "\"system\":{\"systemd\":false,\"container\":\"docker\",\"pcscd\":{\"installed\":true,\"running\":true}}"

static void
remedies_agree_when_pcscd_hangs(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;
	static const char *const svcs[] = { "no_answer", "protocol_mismatch" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *inv = nd_asprintf("{\"usb\":[" NDT_DEV(",\"in_pcsc\":null") "],%s," CONTAINER_SYS "}",
		    i == 0 ? HUNG_PCSC("no_answer") : HUNG_PCSC("protocol_mismatch"));

		eval_with_pcsc(&rep, inv);
		r = res(&rep, "usb.access", ND_FAIL, "pcscd does not answer");
		ndt_remedy_has(r, "inside the container: kill $(pidof pcscd); pcscd");
		remedy_lacks(r, "systemctl");
		r = res(&rep, "pcsc.service", ND_FAIL, NULL);
		ndt_remedy_has(r, "inside the container: kill $(pidof pcscd); pcscd");
		remedy_lacks(r, "systemctl");
		remedy_lacks(r, "journalctl");
		if (!strstr(r->message, i == 0 ? "did not answer" : "protocol versions"))
			fail_msg("%s: %s", svcs[i], r->message);
		nd_report_reset(&rep);
		free(inv);
	}
	/* a reader pcscd does not list, in that container, its log unread */
	eval_with_pcsc(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":false") "],\"pcsc\":{\"service\":\"ok\"},\"readers\":[],"
	    "\"usb_scan\":{\"pcscd_log\":{\"readable\":false}}," CONTAINER_SYS "}");
	r = res(&rep, "usb.access", ND_FAIL, "pcscd does not list it");
	ndt_remedy_has(r, "Unplug the reader");
	ndt_remedy_has(r, "kill $(pidof pcscd); pcscd");
	remedy_lacks(r, "systemctl");
	remedy_lacks(r, "journalctl");
	nd_report_reset(&rep);

	/* systemd: systemctl, as before */
	eval_with_pcsc(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":null") "]," HUNG_PCSC("no_answer") "," NDT_SYS "}");
	ndt_remedy_has(res(&rep, "usb.access", ND_FAIL, "pcscd does not answer"), "Restart pcscd: sudo systemctl restart pcscd.socket pcscd");
	r = res(&rep, "pcsc.service", ND_FAIL, "did not answer within 2 s");
	ndt_remedy_has(r, "sudo systemctl restart pcscd.socket pcscd");
	ndt_remedy_has(r, "journalctl -u pcscd");
	nd_report_reset(&rep);

	/* neither systemd nor a container (sysvinit): the service command */
	eval_with_pcsc(&rep, "{\"usb\":[" NDT_DEV(",\"in_pcsc\":null") "]," HUNG_PCSC("no_answer") ","
	    "\"system\":{\"systemd\":false,\"pcscd\":{\"installed\":true,\"running\":true}}}");
	ndt_remedy_has(res(&rep, "usb.access", ND_FAIL, NULL), "Restart pcscd: sudo service pcscd restart");
	r = res(&rep, "pcsc.service", ND_FAIL, NULL);
	ndt_remedy_has(r, "sudo service pcscd restart");
	remedy_lacks(r, "systemctl");
	nd_report_reset(&rep);
}

static void
remedies_agree_when_pcscd_is_down(void **state)
{
	struct nd_report rep;
	const struct nd_result *r;

	(void)state;
	/* a container without systemd */
	eval_with_pcsc(&rep, "{" DOWN_USB ",\"system\":{\"systemd\":false,\"container\":\"docker\","
	    "\"pcscd\":{\"installed\":true,\"running\":false}}}");
	ndt_remedy_has(res(&rep, "sys.pcscd", ND_FAIL, "container has no systemd"), "start pcscd inside the container");
	r = res(&rep, "pcsc.service", ND_FAIL, "not running");
	ndt_remedy_has(r, "sys.pcscd");
	ndt_remedy_has(r, "start pcscd inside the container");
	remedy_lacks(r, "systemctl");
	r = res(&rep, "usb.access", ND_FAIL, "pcscd is not running");
	ndt_remedy_has(r, "sys.pcscd");
	ndt_remedy_has(r, "start pcscd inside the container");
	remedy_lacks(r, "systemctl");
	nd_report_reset(&rep);

	/* the ordinary case: systemd, the socket not enabled */
	eval_with_pcsc(&rep, "{" DOWN_USB ",\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":true,"
	    "\"running\":false,\"socket_unit\":{\"enabled\":\"disabled\",\"active\":\"inactive\"}}}}");
	ndt_remedy_has(res(&rep, "sys.pcscd", ND_FAIL, "neither running"), "sudo systemctl enable --now pcscd.socket");
	r = res(&rep, "pcsc.service", ND_FAIL, "not running");
	ndt_remedy_has(r, "See sys.pcscd: sudo systemctl enable --now pcscd.socket");
	ndt_remedy_has(res(&rep, "usb.access", ND_FAIL, NULL), "See sys.pcscd: sudo systemctl enable --now pcscd.socket");
	nd_report_reset(&rep);

	/* masked units: "enable" alone would fail, everyone says unmask */
	eval_with_pcsc(&rep, "{" DOWN_USB ",\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":true,"
	    "\"running\":false,\"socket_unit\":{\"enabled\":\"masked\",\"active\":\"inactive\"}}}}");
	ndt_remedy_has(res(&rep, "sys.pcscd", ND_FAIL, "masked"), "systemctl unmask");
	ndt_remedy_has(res(&rep, "pcsc.service", ND_FAIL, NULL), "See sys.pcscd: sudo systemctl unmask");
	ndt_remedy_has(res(&rep, "usb.access", ND_FAIL, NULL), "See sys.pcscd: sudo systemctl unmask");
	nd_report_reset(&rep);

	/* not installed */
	eval_with_pcsc(&rep, "{\"pcsc\":{\"service\":\"not_running\",\"pcscd_installed\":false},\"readers\":[],"
	    "\"system\":{\"systemd\":true,\"pcscd\":{\"installed\":false}}}");
	ndt_remedy_has(res(&rep, "sys.pcscd", ND_FAIL, "not installed"), "sudo apt install pcscd libccid");
	ndt_remedy_has(res(&rep, "pcsc.service", ND_FAIL, "not installed"), "See sys.pcscd: Install it with the reader driver: sudo apt install pcscd libccid");
	nd_report_reset(&rep);

	/* polkit refused the session: pcsc.service refers to sys.polkit */
	eval_with_pcsc(&rep, "{" NDT_SYS ",\"pcsc\":{\"service\":\"refused\"},\"readers\":[]}");
	ndt_remedy_has(res(&rep, "sys.polkit", ND_FAIL, "refused"), "setup polkit --polkit-group");
	r = res(&rep, "pcsc.service", ND_FAIL, "refused");
	ndt_remedy_has(r, "See sys.polkit:");
	ndt_remedy_has(r, "setup polkit --polkit-group");
	nd_report_reset(&rep);

	/* a refusal in a container whose pcscd cannot be seen: pcscd is
	 * there (it answered with the refusal), so the cause is polkit's,
	 * not "pcscd is not running" */
	eval_with_pcsc(&rep, "{\"pcsc\":{\"service\":\"refused\"},\"readers\":[],\"system\":{\"container\":\"docker\","
	    "\"pcscd\":{\"installed\":false,\"running\":false,\"socket\":\"/run/pcscd/pcscd.comm\"},"
	    "\"polkit\":{\"pcsc_policy\":true},\"session\":{}}}");
	res(&rep, "sys.pcscd", ND_PASS, "answers");
	ndt_remedy_has(res(&rep, "sys.polkit", ND_FAIL, "inside a container"), "setup polkit --polkit-group");
	ndt_remedy_has(res(&rep, "pcsc.service", ND_FAIL, "refused"), "See sys.polkit:");
	assert_string_equal(rep.primary->def->id, "sys.polkit");
	nd_report_reset(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pcscd_user_without_permission),
		cmocka_unit_test(gnupg_holds_the_reader),
		cmocka_unit_test(kernel_driver_on_the_interface),
		cmocka_unit_test(causes_in_order),
		cmocka_unit_test(drivers_and_packages),
		cmocka_unit_test(usb_device_semantics),
		cmocka_unit_test(remedies_agree_when_pcscd_is_down),
		cmocka_unit_test(remedies_agree_when_pcscd_hangs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
