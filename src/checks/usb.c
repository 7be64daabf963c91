/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the usb layer: is a reader or token plugged in (usb.device),
 * does an installed driver serve it (usb.driver), and can pcscd use it
 * (usb.access). When pcscd was asked (inventory.pcsc), a device on USB
 * that pcscd does not list gets its cause, in order of likelihood: no
 * driver, pcscd not running, device permissions for pcscd's user, another
 * program or kernel driver holding the interface, a USB error in pcscd's log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/pcscd_advice.h"
#include "core/i18n.h"
#include "core/util.h"

#define MAX_NAMED 3

static const char *
dev_name(json_object *d)
{
	const char *n = nd_jstr(d, "name");

	return n ? n : _("unknown smart-card device");
}

/* PC/SC as the pcsc collector saw it: inventory.pcsc.service is "ok",
 * "not_running", "refused" (polkit), or a failure ("no_answer",
 * "protocol_mismatch", ...); inventory.pcsc is absent when it was not asked. */
enum pcsc_seen { PCSC_NOT_ASKED, PCSC_REACHABLE, PCSC_NO_SERVICE, PCSC_REFUSED, PCSC_FAILED };

static enum pcsc_seen
pcsc_seen(const struct nd_report *rep)
{
	json_object *p = nd_jobj(rep->inventory, "pcsc");
	const char *svc = nd_jstr(p, "service");

	if (!p)
		return PCSC_NOT_ASKED;
	if (svc && strcmp(svc, "ok") == 0)
		return PCSC_REACHABLE;
	if (svc && strcmp(svc, "not_running") == 0)
		return PCSC_NO_SERVICE;
	if (svc && strcmp(svc, "refused") == 0)
		return PCSC_REFUSED;
	return PCSC_FAILED;
}

static const char *
pcsc_failure(const struct nd_report *rep)
{
	json_object *p = nd_jobj(rep->inventory, "pcsc");

	return nd_jstr(p, "rv") ? nd_jstr(p, "rv") : nd_jstr(p, "service") ? nd_jstr(p, "service") : "?";
}

/* Readers pcscd listed (0 when it was not reachable). */
static size_t
n_readers(const struct nd_report *rep)
{
	json_object *r = nd_jarr(rep->inventory, "readers");

	return r && pcsc_seen(rep) == PCSC_REACHABLE ? json_object_array_length(r) : 0;
}

static void
eval_device(const struct nd_report *rep, struct nd_result *r)
{
	json_object *devs = nd_jarr(rep->inventory, "usb"), *scan = nd_jobj(rep->inventory, "usb_scan");
	const char *err = nd_jstr(scan, "error"), *container = nd_jstr(nd_jobj(rep->inventory, "system"), "container");
	size_t n = devs ? json_object_array_length(devs) : 0, nr = n_readers(rep);
	json_object *ids = json_object_new_array();
	char list[512] = "";
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(devs, i);
		json_object_array_add(ids, json_object_new_string(nd_jstr(d, "id") ? nd_jstr(d, "id") : "?"));
		if (i < MAX_NAMED && k < sizeof list)
			k += (size_t)snprintf(list + k, sizeof list - k, "%s%s (%s)", i ? ", " : "",
			    dev_name(d), nd_jstr(d, "id") ? nd_jstr(d, "id") : "?");
		else if (i == MAX_NAMED && k < sizeof list)
			k += (size_t)snprintf(list + k, sizeof list - k, ", …");
	}
	json_object_object_add(nd_result_details(r), "devices", ids);
	if (!devs) {
		nd_result_set(r, ND_SKIP, _("USB devices were not looked at"));
		r->undetermined = true;
	} else if (n == 1) {
		json_object *d = json_object_array_get_idx(devs, 0);
		nd_result_set(r, ND_PASS, _("%s is plugged in (USB %s)"), list,
		    nd_jstr(d, "port_path") ? nd_jstr(d, "port_path") : "?");
	} else if (n > 1) {
		nd_result_set(r, ND_PASS, _("%zu smart-card devices are plugged in: %s"), n, list);
	} else if (nr > 0 && !err && nd_jint(scan, "devices_seen", 0) == 0) {
		/* no USB bus visible (a container sharing the host's pcscd): what
		 * is plugged in cannot be seen, but pcscd's readers answer for it */
		if (container)
			nd_result_set(r, ND_INFO, _("no USB bus is visible inside this %s container; pcscd lists %zu "
			    "reader(s), so USB is not needed to answer"), container, nr);
		else
			nd_result_set(r, ND_INFO, _("no USB bus is visible here; pcscd lists %zu reader(s), so USB is "
			    "not needed to answer"), nr);
	} else if (nr > 0) {
		/* virtual, serial or remote readers: nothing wrong with USB */
		nd_result_set(r, ND_INFO, _("no smart-card reader on USB; pcscd lists %zu reader(s) that are not USB devices"), nr);
	} else if (err) {
		nd_result_set(r, ND_SKIP, _("USB devices could not be listed (%s)"), err);
		r->undetermined = true;
		nd_result_remedy(r, _("Run nesdoctor on the computer the reader is plugged into, outside containers and sandboxes."));
	} else if (nd_jint(scan, "devices_seen", 0) == 0) {
		/* not even a root hub: USB cannot be seen from here (a container,
		 * a sandbox), which says nothing about what is plugged in */
		if (container)
			nd_result_set(r, ND_SKIP, _("no USB bus is visible inside this %s container: whether a reader "
			    "is plugged in cannot be seen"), container);
		else
			nd_result_set(r, ND_SKIP, _("no USB bus is visible here: whether a reader is plugged in cannot be seen"));
		r->undetermined = true;
		nd_result_remedy(r, _("Give the container the USB bus (for example: docker run --device /dev/bus/usb ...) "
		    "or, better, use the host's pcscd: -v /run/pcscd:/run/pcscd. Or run nesdoctor on the host."));
	} else {
		nd_result_set(r, ND_FAIL, _("no smart-card reader or token is plugged in"));
		nd_result_remedy(r, _("Plug the card reader (with the card in it) or the token into a USB port of this "
		    "computer, directly rather than through a hub, and run nesdoctor again. If it is plugged in, "
		    "try another port; `lsusb` should list it."));
	}
}

/* What one device needs from usb.driver; status and message into r only
 * when it is worse than what r holds. */
struct finding {
	enum nd_status st;
	char *msg, *remedy;
	json_object *dev;
};

static int
rank(enum nd_status s)
{
	switch (s) {
	case ND_FAIL: return 4;
	case ND_WARN: return 3;
	case ND_SKIP: return 2;
	case ND_INFO: return 1;
	case ND_PASS: return 0;
	}
	return 0;
}

static void
keep_worst(struct finding *worst, struct finding *f)
{
	if (!worst->msg || rank(f->st) > rank(worst->st)) {
		free(worst->msg);
		free(worst->remedy);
		*worst = *f;
	} else {
		free(f->msg);
		free(f->remedy);
	}
	memset(f, 0, sizeof *f);
}

static void
finish(struct nd_result *r, struct finding *worst, size_t n)
{
	if (!worst->msg) {
		nd_result_set(r, ND_SKIP, _("no USB device to check"));
		return;
	}
	if (n > 1 && worst->st == ND_PASS)
		nd_result_set(r, ND_PASS, _("%s (and %zu more device(s) without problems)"), worst->msg, n - 1);
	else
		nd_result_set(r, worst->st, "%s", worst->msg);
	if (worst->remedy)
		nd_result_remedy(r, "%s", worst->remedy);
	free(worst->msg);
	free(worst->remedy);
}

/* Is a package's driver bundle installed (inventory.ifd_drivers)? */
static bool
pkg_installed(const struct nd_report *rep, const char *pkg)
{
	json_object *b = nd_jarr(nd_jobj(rep->inventory, "ifd_drivers"), "bundles");

	for (size_t i = 0; b && i < json_object_array_length(b); i++) {
		const char *p = nd_jstr(json_object_array_get_idx(b, i), "package");
		if (p && strcmp(p, pkg) == 0)
			return true;
	}
	return false;
}

/* The package that would give the device a driver: the first one our
 * table says lists it that is not installed yet (an installed one that
 * does not serve it is too old); libccid for an unknown CCID device when
 * no CCID driver is installed at all. */
static const char *
fix_package(const struct nd_report *rep, json_object *d)
{
	json_object *pk = nd_jarr(d, "driver_packages");

	for (size_t i = 0; pk && i < json_object_array_length(pk); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(pk, i));
		if (!pkg_installed(rep, p))
			return p;
	}
	if (nd_jbool(d, "ccid_interface", false) && !nd_jstr(d, "class_driver") && !pkg_installed(rep, "libccid"))
		return "libccid";
	return NULL;
}

static void
driver_one(const struct nd_report *rep, json_object *d, struct finding *f)
{
	const char *drv = nd_jstr(d, "driver"), *pkg = nd_jstr(d, "driver_package");
	const char *match = nd_jstr(d, "driver_match"), *id = nd_jstr(d, "id");
	const char *fix = fix_package(rep, d);
	json_object *all = nd_jarr(d, "drivers");
	bool listed = nd_jtri(d, "in_pcsc") == 1;
	size_t nclaims = all ? json_object_array_length(all) : 0;
	json_object *ifd = nd_jobj(rep->inventory, "ifd_drivers");
	const char *dir = nd_jstr(ifd, "dir"), *dirwhy = nd_jstr(ifd, "error");

	if (!id)
		id = "?";
	f->dev = d;
	if (drv && nd_jbool(d, "drivers_ambiguous", false)) {
		f->st = ND_WARN;
		f->msg = nd_asprintf(_("%s (%s) is listed by more than one driver; pcscd picks one of them by folder order"),
		    dev_name(d), id);
		f->remedy = nd_asprintf(_("Keep one reader driver: remove the package you do not need "
		    "(see `ls %s`)."), dir ? dir : "/usr/lib/pcsc/drivers");
	} else if (drv && nclaims > 1) {
		/* libccid (the class driver) and a specific one: pcscd takes the
		 * specific one and falls back to libccid */
		const char *other = NULL;
		for (size_t i = 0; i < nclaims && !other; i++) {
			const char *b = nd_jstr(json_object_array_get_idx(all, i), "bundle");
			if (b && strcmp(b, drv) != 0)
				other = b;
		}
		f->st = ND_PASS;
		f->msg = nd_asprintf(_("%s (%s): served by %s (%s); %s also lists it and is the fallback"),
		    dev_name(d), id, drv, pkg ? pkg : "?", other ? other : "?");
	} else if (drv) {
		f->st = ND_PASS;
		f->msg = nd_asprintf(_("%s (%s): served by %s (%s)"), dev_name(d), id, drv, pkg ? pkg : "?");
	} else if (listed) {
		/* pcscd found a way we did not foresee (another drivers folder) */
		f->st = ND_PASS;
		f->msg = nd_asprintf(_("%s (%s): pcscd uses it as \"%s\""), dev_name(d), id, nd_jstr(d, "pcsc_reader"));
	} else if (match && strcmp(match, "class") == 0) {
		f->st = ND_FAIL;
		f->msg = nd_asprintf(_("no installed driver lists %s (%s); libccid could drive it as a generic CCID reader, "
		    "but pcscd loads a driver only for the ids it lists"), dev_name(d), id);
		f->remedy = fix ? nd_asprintf(_("Install the driver that lists it: sudo apt install %s\n"
		    "Then unplug the reader and plug it in again."), fix) :
		    nd_xstrdup(_("No Debian driver lists this device. Ask its vendor for a Linux PC/SC driver, or use "
		    "a reader that libccid lists (for example ACS ACR39U)."));
	} else {
		f->st = ND_FAIL;
		if (dirwhy)
			f->msg = nd_asprintf(_("no reader drivers are installed (%s: %s), so nothing serves %s (%s)"),
			    dir ? dir : "?", dirwhy, dev_name(d), id);
		else
			f->msg = nd_asprintf(_("no installed driver serves %s (%s)"), dev_name(d), id);
		if (fix && strcmp(fix, "libacsccid1") == 0 && !nd_jbool(d, "ccid_interface", true))
			f->remedy = nd_asprintf(_("This older reader speaks ACS's own protocol, not CCID: libccid cannot drive it.\n"
			    "Install ACS's driver: sudo apt install %s\nThen unplug the reader and plug it in again."), fix);
		else if (fix)
			f->remedy = nd_asprintf(_("Install the reader driver: sudo apt install %s\n"
			    "Then unplug the reader and plug it in again."), fix);
		else
			f->remedy = nd_xstrdup(_("No Debian driver is known for this device. Ask its vendor for a Linux PC/SC "
			    "driver, or use a reader that libccid lists (for example ACS ACR39U)."));
	}
}

static void
eval_driver(const struct nd_report *rep, struct nd_result *r)
{
	json_object *devs = nd_jarr(rep->inventory, "usb");
	json_object *bundles = nd_jarr(nd_jobj(rep->inventory, "ifd_drivers"), "bundles");
	size_t n = devs ? json_object_array_length(devs) : 0;
	struct finding worst = { 0 }, f;

	for (size_t i = 0; i < n; i++) {
		memset(&f, 0, sizeof f);
		driver_one(rep, json_object_array_get_idx(devs, i), &f);
		keep_worst(&worst, &f);
	}
	/* a broken bundle can stop pcscd from reading the drivers after it */
	for (size_t i = 0; bundles && i < json_object_array_length(bundles); i++) {
		json_object *b = json_object_array_get_idx(bundles, i);
		const char *e = nd_jstr(b, "error");
		if (e && strcmp(e, "not_found") != 0) {
			const char *pkg = nd_jstr(b, "package");
			memset(&f, 0, sizeof f);
			f.st = ND_WARN;
			f.msg = nd_asprintf(_("the driver bundle %s is broken (%s)"), nd_jstr(b, "bundle"),
			    nd_jstr(b, "error_detail") ? nd_jstr(b, "error_detail") : e);
			f.remedy = pkg ? nd_asprintf(_("Reinstall it: sudo apt install --reinstall %s"), pkg) :
			    nd_asprintf(_("Remove or repair %s/%s"), nd_jstr(nd_jobj(rep->inventory, "ifd_drivers"), "dir"),
			    nd_jstr(b, "bundle"));
			keep_worst(&worst, &f);
		}
	}
	finish(r, &worst, n);
}

static const char *
start_pcscd_remedy(const struct nd_report *rep)
{
	json_object *sys = nd_jobj(rep->inventory, "system");
	json_object *pc = nd_jobj(sys, "pcscd");

	if (pc && !nd_jbool(pc, "installed", true))
		return _("Install pcscd: sudo apt install pcscd libccid");
	if (nd_jbool(sys, "systemd", true))
		return _("Start pcscd and have it start on demand: sudo systemctl enable --now pcscd.socket");
	if (nd_jstr(sys, "container"))
		return _("Inside a container: use the host's pcscd (-v /run/pcscd:/run/pcscd), or start one here: pcscd");
	return _("Start pcscd: sudo pcscd");
}

static bool
is_gnupg(json_object *h)
{
	const char *n = nd_jstr(h, "name");

	return n && (strcmp(n, "scdaemon") == 0 || strcmp(n, "gpg-agent") == 0);
}

static const char *
holder_name(json_object *h)
{
	return nd_jstr(h, "name") ? nd_jstr(h, "name") : "?";
}

/* Why pcscd, which answers, does not list a device it has a driver for:
 * permissions, a holder, a kernel driver, an error in its log. */
static void
access_cause(const struct nd_report *rep, json_object *d, json_object *h0, bool no_perm,
             enum nd_status st, struct finding *f)
{
	json_object *perm = nd_jobj(d, "permissions"), *log = nd_jarr(d, "pcscd_log");
	const char *id = nd_jstr(d, "id") ? nd_jstr(d, "id") : "?";
	const char *kdrv = nd_jstr(d, "kernel_driver"), *node = nd_jstr(d, "node") ? nd_jstr(d, "node") : "?";
	bool asked = st == ND_FAIL;

	f->st = st;
	if (no_perm) {
		f->msg = nd_asprintf(_("pcscd runs as %s, which may not open %s (%s %s:%s), the node of %s"),
		    nd_jstr(perm, "pcscd_user") ? nd_jstr(perm, "pcscd_user") : "?", node,
		    nd_jstr(perm, "mode") ? nd_jstr(perm, "mode") : "?",
		    nd_jstr(perm, "owner") ? nd_jstr(perm, "owner") : "?",
		    nd_jstr(perm, "group") ? nd_jstr(perm, "group") : "?", dev_name(d));
		f->remedy = nd_asprintf(_("The reader driver's udev rule gives pcscd's group the device. Reinstall it and "
		    "apply it: sudo apt install --reinstall %s && sudo udevadm trigger --subsystem-match=usb\n"
		    "Then unplug the reader and plug it in again."),
		    nd_jstr(d, "driver_package") ? nd_jstr(d, "driver_package") : "libccid");
	} else if (h0 && is_gnupg(h0)) {
		f->msg = nd_asprintf(_("GnuPG's %s (pid %d) has taken %s for itself, so pcscd cannot use it"),
		    holder_name(h0), (int)nd_jint(h0, "pid", 0), dev_name(d));
		f->remedy = nd_xstrdup(_("Make GnuPG share the reader through pcscd: add the lines\n"
		    "  disable-ccid\n  pcsc-shared\nto ~/.gnupg/scdaemon.conf, then run: gpgconf --kill scdaemon"));
	} else if (h0) {
		f->msg = nd_asprintf(_("%s (pid %d) has %s open, so pcscd cannot use it"),
		    holder_name(h0), (int)nd_jint(h0, "pid", 0), dev_name(d));
		f->remedy = nd_asprintf(_("Close %s (or stop it: kill %d), then unplug the reader and plug it in again."),
		    holder_name(h0), (int)nd_jint(h0, "pid", 0));
	} else if (kdrv && strcmp(kdrv, "usbfs") == 0 && asked) {
		/* claimed through libusb by a program we cannot see (without
		 * root only our own processes are visible); when pcscd lists
		 * the device, usbfs is pcscd itself */
		f->msg = nd_asprintf(_("another program has claimed %s (its interface is bound to usbfs), so pcscd cannot use it"),
		    dev_name(d));
		f->remedy = nd_xstrdup(_("Close other smart-card programs. GnuPG does this often: add the lines\n"
		    "  disable-ccid\n  pcsc-shared\nto ~/.gnupg/scdaemon.conf, then run: gpgconf --kill scdaemon"));
	} else if (kdrv && strcmp(kdrv, "usbfs") != 0) {
		f->msg = nd_asprintf(_("the kernel driver %s holds the interface of %s, so pcscd cannot use it"),
		    kdrv, dev_name(d));
		f->remedy = nd_asprintf(_("Release it: echo -n '%s:1.0' | sudo tee /sys/bus/usb/drivers/%s/unbind\n"
		    "(add a udev rule or blacklist the module to make it last)"),
		    nd_jstr(d, "port_path") ? nd_jstr(d, "port_path") : "?", kdrv);
	} else if (asked && log && json_object_array_length(log) > 0) {
		/* the latest libusb error says most; else the latest line */
		const char *line = json_object_get_string(json_object_array_get_idx(log, json_object_array_length(log) - 1));
		for (size_t i = json_object_array_length(log); i-- > 0;) {
			const char *l = json_object_get_string(json_object_array_get_idx(log, i));
			if (l && strstr(l, "LIBUSB_ERROR")) {
				line = l;
				break;
			}
		}
		f->msg = nd_asprintf(_("pcscd could not use %s: %s"), dev_name(d), line);
		f->remedy = nd_asprintf(_("Unplug the reader and plug it in again, into another USB port if you can; "
		    "then restart pcscd: %s"), nd_sys_pcscd_restart(rep));
	} else if (asked) {
		json_object *pl = nd_jobj(nd_jobj(rep->inventory, "usb_scan"), "pcscd_log");
		f->msg = nd_asprintf(_("%s (%s) is plugged in and has a driver, but pcscd does not list it"), dev_name(d), id);
		/* the restart as sys.pcscd would say it on this system */
		f->remedy = nd_asprintf(pl && !nd_jbool(pl, "readable", true) && nd_sys_has_journal(rep) ?
		    _("Unplug the reader and plug it in again; then restart pcscd: %s\n"
		    "pcscd's log may say why: sudo journalctl -u pcscd (nesdoctor could not read it)") :
		    _("Unplug the reader and plug it in again; then restart pcscd: %s"), nd_sys_pcscd_restart(rep));
	} else {
		f->st = ND_PASS;
		f->msg = nd_asprintf(_("%s (%s): pcscd's user %s may open %s"), dev_name(d), id,
		    nd_jstr(perm, "pcscd_user") ? nd_jstr(perm, "pcscd_user") : "?", node);
	}
}

static void
access_one(const struct nd_report *rep, json_object *d, struct finding *f)
{
	json_object *perm = nd_jobj(d, "permissions");
	json_object *holders = nd_jarr(d, "holders"), *h0 = NULL;
	const char *id = nd_jstr(d, "id") ? nd_jstr(d, "id") : "?";
	enum pcsc_seen ps = pcsc_seen(rep);
	bool no_perm = nd_jtri(perm, "pcscd_access") == 0;

	for (size_t i = 0; holders && i < json_object_array_length(holders) && !h0; i++) {
		json_object *h = json_object_array_get_idx(holders, i);
		if (strcmp(holder_name(h), "pcscd") != 0)
			h0 = h;
	}
	f->dev = d;
	if (nd_jtri(d, "in_pcsc") == 1) {
		f->st = ND_PASS;
		f->msg = nd_asprintf(_("%s (%s): pcscd uses it as \"%s\""), dev_name(d), id, nd_jstr(d, "pcsc_reader"));
	} else if (ps == PCSC_NOT_ASKED) {
		/* no cross-check possible: what the node and holders say */
		access_cause(rep, d, h0, no_perm, ND_WARN, f);
	} else if (ps == PCSC_REFUSED) {
		f->st = ND_INFO;
		f->msg = nd_asprintf(_("%s (%s): pcscd refused this session, so whether it uses the device is unknown (see sys.polkit)"),
		    dev_name(d), id);
	} else if (ps == PCSC_NO_SERVICE) {
		f->st = ND_FAIL;
		f->msg = nd_asprintf(_("%s (%s) is plugged in, but pcscd is not running, so no program can use it"),
		    dev_name(d), id);
		/* the cause is sys.pcscd's: the same advice, by reference */
		f->remedy = nd_sys_pcscd_advice(rep) ? nd_asprintf(_("See sys.pcscd: %s"), nd_sys_pcscd_advice(rep)) :
		    nd_xstrdup(start_pcscd_remedy(rep));
	} else if (ps == PCSC_FAILED) {
		f->st = ND_FAIL;
		f->msg = nd_asprintf(_("%s (%s) is plugged in, but pcscd does not answer (%s)"), dev_name(d), id,
		    pcsc_failure(rep));
		f->remedy = nd_asprintf(_("Restart pcscd: %s"), nd_sys_pcscd_restart(rep));
	} else
		access_cause(rep, d, h0, no_perm, ND_FAIL, f);
}

static void
eval_access(const struct nd_report *rep, struct nd_result *r)
{
	json_object *devs = nd_jarr(rep->inventory, "usb");
	size_t n = devs ? json_object_array_length(devs) : 0;
	struct finding worst = { 0 }, f;

	for (size_t i = 0; i < n; i++) {
		memset(&f, 0, sizeof f);
		access_one(rep, json_object_array_get_idx(devs, i), &f);
		keep_worst(&worst, &f);
	}
	finish(r, &worst, n);
}

/* usb.policy: a device the kernel was told not to trust (authorized 0) has
 * no configuration, so no driver and no pcscd can reach it. The policy is
 * the institution's: the remedy names what IT must allow, never a way
 * around it. */
static char *
policy_cause(const struct nd_report *rep, json_object *d)
{
	json_object *pol = nd_jobj(d, "policy"), *u = nd_jobj(pol, "udev"), *g = nd_jobj(pol, "usbguard");
	json_object *guard = nd_jobj(nd_jobj(rep->inventory, "usb_policy"), "usbguard");
	json_object *hubs = nd_jarr(nd_jobj(rep->inventory, "usb_policy"), "hubs");
	const char *gt = nd_jstr(g, "target");
	char hub[16];

	if (u && nd_jint(u, "authorized", 1) == 0)
		return nd_asprintf(nd_jbool(u, "lider_ahenk", false) ?
		    _("Lider Ahenk's USB rule %s:%lld blocks it: %s") : _("the udev rule %s:%lld blocks it: %s"),
		    nd_jstr(u, "file") ? nd_jstr(u, "file") : "?", (long long)nd_jint(u, "line", 0),
		    nd_jstr(u, "rule") ? nd_jstr(u, "rule") : "");
	if (gt && strcmp(gt, "allow") != 0 && nd_jbool(guard, "daemon_running", false)) {
		if (nd_jbool(g, "implicit", false))
			return nd_asprintf(_("USBGuard blocks it: no rule in %s allows it, and its implicit policy is %s"),
			    nd_jstr(guard, "rules_file") ? nd_jstr(guard, "rules_file") : "?", gt);
		return nd_asprintf(_("USBGuard's rule %s:%lld blocks it: %s"),
		    nd_jstr(guard, "rules_file") ? nd_jstr(guard, "rules_file") : "?", (long long)nd_jint(g, "line", 0),
		    nd_jstr(g, "rule") ? nd_jstr(g, "rule") : "");
	}
	snprintf(hub, sizeof hub, "usb%lld", (long long)nd_jint(d, "bus", -1));
	for (size_t i = 0; hubs && i < json_object_array_length(hubs); i++) {
		json_object *h = json_object_array_get_idx(hubs, i);
		if (nd_jstr(h, "hub") && strcmp(nd_jstr(h, "hub"), hub) == 0 && nd_jint(h, "authorized_default", 1) == 0)
			return nd_asprintf(_("USB bus %lld does not trust new devices (%s's authorized_default is 0)"),
			    (long long)nd_jint(d, "bus", -1), hub);
	}
	if (gt && strcmp(gt, "allow") != 0)
		return nd_asprintf(_("USBGuard's rules (%s) would block it, though its daemon is not running now"),
		    nd_jstr(guard, "rules_file") ? nd_jstr(guard, "rules_file") : "?");
	return nd_xstrdup(_("no rule that nesdoctor can read names it: a program wrote 0 into its authorized file "
	    "(Lider Ahenk's USB task does so at once)"));
}

static void
policy_one(const struct nd_report *rep, json_object *d, struct finding *f)
{
	const char *id = nd_jstr(d, "id") ? nd_jstr(d, "id") : "?";
	char *cause;

	f->dev = d;
	if (nd_jtri(d, "authorized") != 0) {
		f->st = ND_PASS;
		f->msg = nd_asprintf(_("%s (%s) is allowed by the USB policy"), dev_name(d), id);
		return;
	}
	cause = policy_cause(rep, d);
	f->st = ND_FAIL;
	f->msg = nd_asprintf(_("%s (%s) is plugged in, but the USB policy does not allow it: %s"), dev_name(d), id, cause);
	f->remedy = nd_asprintf(_("This is your institution's USB policy. Ask its IT department to allow this device; "
	    "the rule needs: manufacturer \"%s\", product \"%s\", serial \"%s\" (USB id %s)."),
	    nd_jstr(d, "manufacturer") ? nd_jstr(d, "manufacturer") : "?",
	    nd_jstr(d, "product") ? nd_jstr(d, "product") : "?",
	    nd_jstr(d, "serial") ? nd_jstr(d, "serial") : "?", id);
	free(cause);
}

/* A policy in force that would block a device plugged in later, or NULL. */
static char *
policy_in_force(const struct nd_report *rep)
{
	json_object *pol = nd_jobj(rep->inventory, "usb_policy"), *rules = nd_jarr(pol, "udev_rules");
	json_object *guard = nd_jobj(pol, "usbguard"), *hubs = nd_jarr(pol, "hubs");

	for (size_t i = 0; rules && i < json_object_array_length(rules); i++) {
		json_object *r = json_object_array_get_idx(rules, i);
		if (nd_jint(r, "authorized", 1) == 0)
			return nd_asprintf(nd_jbool(r, "lider_ahenk", false) ?
			    _("Lider Ahenk's USB rules block devices (%s:%lld)") : _("a udev rule blocks devices (%s:%lld)"),
			    nd_jstr(r, "file") ? nd_jstr(r, "file") : "?", (long long)nd_jint(r, "line", 0));
	}
	if (nd_jbool(guard, "daemon_running", false))
		return nd_asprintf(_("USBGuard is running (rules: %s, implicit policy: %s)"),
		    nd_jstr(guard, "rules_file") ? nd_jstr(guard, "rules_file") : "?",
		    nd_jstr(guard, "implicit_policy") ? nd_jstr(guard, "implicit_policy") : "?");
	for (size_t i = 0; hubs && i < json_object_array_length(hubs); i++) {
		json_object *h = json_object_array_get_idx(hubs, i);
		if (nd_jint(h, "authorized_default", 1) == 0)
			return nd_asprintf(_("%s does not trust new devices (authorized_default 0)"),
			    nd_jstr(h, "hub") ? nd_jstr(h, "hub") : "?");
	}
	return NULL;
}

static void
eval_policy(const struct nd_report *rep, struct nd_result *r)
{
	json_object *devs = nd_jarr(rep->inventory, "usb");
	size_t n = devs ? json_object_array_length(devs) : 0;
	struct finding worst = { 0 }, f;
	char *force;

	if (!nd_jobj(rep->inventory, "usb_policy")) {
		nd_result_set(r, ND_SKIP, _("the USB policy was not looked at"));
		r->undetermined = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&f, 0, sizeof f);
		policy_one(rep, json_object_array_get_idx(devs, i), &f);
		keep_worst(&worst, &f);
	}
	force = policy_in_force(rep);
	if (worst.msg && worst.st != ND_PASS) {
		finish(r, &worst, n);
	} else if (force) {
		/* nothing blocked now; a reader plugged in later may be */
		free(worst.msg);
		free(worst.remedy);
		nd_result_set(r, ND_INFO, _("a USB policy is in force: %s; a reader or token plugged in later may be "
		    "blocked unless the institution allows it"), force);
	} else if (worst.msg) {
		finish(r, &worst, n);
	} else {
		nd_result_set(r, ND_PASS, _("no USB policy blocks devices"));
	}
	free(force);
}

const struct nd_check_def nd_check_usb_device = { "usb.device", ND_LAYER_USB, { NULL }, eval_device };
const struct nd_check_def nd_check_usb_policy = { "usb.policy", ND_LAYER_USB, { NULL }, eval_policy };
const struct nd_check_def nd_check_usb_driver = { "usb.driver", ND_LAYER_USB, { "usb.device", NULL }, eval_driver };
const struct nd_check_def nd_check_usb_access = { "usb.access", ND_LAYER_USB, { "usb.device", "usb.policy", "usb.driver", NULL },
    eval_access };
