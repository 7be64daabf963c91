/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the sys layer. Ids (stable, documented in README.md):
 *   sys.os       which system this is (info)
 *   sys.pcscd    pcscd installed, and running or started on demand
 *   sys.polkit   whether pcscd lets this session in (ssh, containers)
 *   sys.holders  programs that take readers for themselves (GnuPG)
 *   sys.sandbox  nesdoctor inside snap, flatpak or a container */
#include <stdio.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/pcscd_advice.h"
#include "core/i18n.h"
#include "core/util.h"

static json_object *
sys_inv(const struct nd_report *rep)
{
	return nd_jobj(rep->inventory, "system");
}

/* pcscd answered the pcsc collector: the strongest fact there is. */
static bool
pcsc_answered(const struct nd_report *rep)
{
	const char *svc = nd_jstr(nd_jobj(rep->inventory, "pcsc"), "service");

	return svc && strcmp(svc, "ok") == 0;
}

static bool
pcsc_refused(const struct nd_report *rep)
{
	const char *svc = nd_jstr(nd_jobj(rep->inventory, "pcsc"), "service");

	return svc && strcmp(svc, "refused") == 0;
}

/* The pcsc collector asked and pcscd did not answer. */
static bool
pcsc_failed(const struct nd_report *rep)
{
	const char *svc = nd_jstr(nd_jobj(rep->inventory, "pcsc"), "service");

	return svc && strcmp(svc, "ok") != 0;
}

static void
eval_os(const struct nd_report *rep, struct nd_result *r)
{
	json_object *s = sys_inv(rep), *os = nd_jobj(s, "os");
	const char *pretty = nd_jstr(os, "pretty_name"), *name = nd_jstr(os, "name");

	if (!pretty)
		pretty = name ? name : _("unknown system");
	if (!s)
		nd_result_set(r, ND_SKIP, _("the system was not looked at"));
	else if (!nd_jstr(os, "family"))
		nd_result_set(r, ND_INFO, _("%s (not of the Debian family: package names in the remedies may differ)"), pretty);
	else
		nd_result_set(r, ND_INFO, _("%s, kernel %s"), pretty,
		    nd_jstr(s, "kernel") ? nd_jstr(s, "kernel") : "?");
}

/* Where pcscd stands, from the system facts (and the pcsc collector's
 * answer when there is one). */
enum pcscd_state {
	PCSCD_UNSEEN,          /* not looked at */
	PCSCD_RUNNING,
	PCSCD_ANSWERS,         /* not seen, but it answered */
	PCSCD_ON_DEMAND,       /* the socket listens */
	PCSCD_NOT_INSTALLED,
	PCSCD_MASKED,
	PCSCD_SYSTEMD_DOWN,    /* installed, systemd, neither running nor socket */
	PCSCD_CONTAINER_DOWN,  /* a container without systemd */
	PCSCD_DOWN,            /* no systemd, no container */
};

static enum pcscd_state
pcscd_state(const struct nd_report *rep)
{
	json_object *s = sys_inv(rep), *p = nd_jobj(s, "pcscd"), *sock = nd_jobj(p, "socket_unit");
	const char *en = nd_jstr(sock, "enabled"), *act = nd_jstr(sock, "active");

	if (!p)
		return PCSCD_UNSEEN;
	if (nd_jbool(p, "running", false))
		return PCSCD_RUNNING;
	if (pcsc_answered(rep) || pcsc_refused(rep))   /* a refusal is an answer */
		return PCSCD_ANSWERS;
	if (!nd_jbool(p, "installed", false))
		return PCSCD_NOT_INSTALLED;
	if (act && strcmp(act, "active") == 0 && !pcsc_failed(rep))
		return PCSCD_ON_DEMAND;
	if (en && strcmp(en, "masked") == 0)
		return PCSCD_MASKED;
	if (nd_jbool(s, "systemd", false))
		return PCSCD_SYSTEMD_DOWN;
	if (nd_jstr(s, "container"))
		return PCSCD_CONTAINER_DOWN;
	return PCSCD_DOWN;
}

const char *
nd_sys_pcscd_advice(const struct nd_report *rep)
{
	switch (pcscd_state(rep)) {
	case PCSCD_NOT_INSTALLED:
		return _("Install it with the reader driver: sudo apt install pcscd libccid");
	case PCSCD_MASKED:
		return _("sudo systemctl unmask pcscd.socket pcscd.service && sudo systemctl enable --now pcscd.socket");
	case PCSCD_SYSTEMD_DOWN:
		return _("sudo systemctl enable --now pcscd.socket");
	case PCSCD_CONTAINER_DOWN:
		return _("Use the host's pcscd: start the container with -v /run/pcscd:/run/pcscd. "
		    "Or start pcscd inside the container: pcscd");
	case PCSCD_DOWN:
		return _("Start it: sudo pcscd (or: sudo service pcscd start)");
	case PCSCD_UNSEEN:
	case PCSCD_RUNNING:
	case PCSCD_ANSWERS:
	case PCSCD_ON_DEMAND:
		break;
	}
	return NULL;
}

bool
nd_sys_has_journal(const struct nd_report *rep)
{
	json_object *s = sys_inv(rep);

	return !s || nd_jbool(s, "systemd", !nd_jstr(s, "container"));
}

const char *
nd_sys_pcscd_restart(const struct nd_report *rep)
{
	json_object *s = sys_inv(rep);

	if (nd_sys_has_journal(rep))
		return "sudo systemctl restart pcscd.socket pcscd";
	if (nd_jstr(s, "container"))
		return _("inside the container: kill $(pidof pcscd); pcscd (when the container uses the host's /run/pcscd, restart pcscd on the host)");
	return "sudo service pcscd restart";
}

static void
eval_pcscd(const struct nd_report *rep, struct nd_result *r)
{
	json_object *s = sys_inv(rep), *p = nd_jobj(s, "pcscd");
	json_object *sock = nd_jobj(p, "socket_unit"), *procs = nd_jarr(p, "processes");
	const char *ver = nd_jstr(p, "version") ? nd_jstr(p, "version") : "?";
	const char *user = nd_jstr(p, "user"), *container = nd_jstr(s, "container");
	const char *en = nd_jstr(sock, "enabled"), *act = nd_jstr(sock, "active");
	enum pcscd_state st = pcscd_state(rep);
	json_object *p0 = procs && json_object_array_length(procs) ? json_object_array_get_idx(procs, 0) : NULL;

	switch (st) {
	case PCSCD_UNSEEN:
		nd_result_set(r, ND_SKIP, _("pcscd was not looked at"));
		return;
	case PCSCD_RUNNING:
		nd_result_set(r, ND_PASS, _("pcscd %s is running as %s (pid %d)"), ver, user ? user : "?",
		    (int)nd_jint(p0, "pid", 0));
		return;
	case PCSCD_ANSWERS:
		/* a pcscd we cannot see: another PID namespace, the host's
		 * socket shared into a container */
		nd_result_set(r, ND_PASS, _("pcscd answers on %s"), nd_jstr(p, "socket") ? nd_jstr(p, "socket") : "?");
		return;
	case PCSCD_ON_DEMAND:
		nd_result_set(r, ND_PASS, _("pcscd %s starts on demand (pcscd.socket is listening)"), ver);
		return;
	case PCSCD_NOT_INSTALLED:
		nd_result_set(r, ND_FAIL, _("pcscd, the smart-card service, is not installed"));
		break;
	case PCSCD_MASKED:
		nd_result_set(r, ND_FAIL, _("pcscd cannot start: pcscd.socket is masked"));
		break;
	case PCSCD_SYSTEMD_DOWN:
		nd_result_set(r, ND_FAIL, _("pcscd %s is installed but neither running nor started on demand (pcscd.socket: %s, %s)"),
		    ver, en ? en : "?", act ? act : "?");
		break;
	case PCSCD_CONTAINER_DOWN:
		nd_result_set(r, ND_FAIL, _("pcscd is not running, and this %s container has no systemd to start it"), container);
		break;
	case PCSCD_DOWN:
		nd_result_set(r, ND_FAIL, _("pcscd %s is installed but not running"), ver);
		break;
	}
	nd_result_remedy(r, "%s", nd_sys_pcscd_advice(rep));
}

/* The advice when pcscd refused this session: the same in sys.polkit and,
 * by reference, in pcsc.service. */
#define POLKIT_REFUSED_ADVICE N_("pcscd, through polkit, serves only the person at the computer. Run nesdoctor " \
	"and your signing program in the desktop session there. To allow remote use for a group: " \
	"sudo nesdoctor setup polkit --polkit-group GROUP --apply")

const char *
nd_sys_polkit_advice(const struct nd_report *rep)
{
	return nd_jobj(sys_inv(rep), "polkit") ? _(POLKIT_REFUSED_ADVICE) : NULL;
}

static void
eval_polkit(const struct nd_report *rep, struct nd_result *r)
{
	json_object *s = sys_inv(rep), *pk = nd_jobj(s, "polkit"), *sess = nd_jobj(s, "session");
	json_object *rules = nd_jarr(pk, "pcsc_rules");
	const char *container = nd_jstr(s, "container");
	bool ssh = nd_jbool(sess, "ssh", false) || nd_jbool(sess, "remote", false);
	bool inactive = nd_jtri(sess, "active") == 0;
	const char *why = ssh ? _("this is a remote (ssh) session") :
	    container ? _("this runs inside a container") :
	    inactive ? _("this session is not the active one on its seat") : _("this session is not an active local one");

	if (!pk)
		nd_result_set(r, ND_SKIP, _("polkit was not looked at"));
	else if (pcsc_refused(rep)) {
		nd_result_set(r, ND_FAIL, _("pcscd refused this session (polkit): %s"), why);
		nd_result_remedy(r, "%s", _(POLKIT_REFUSED_ADVICE));
	} else if (pcsc_answered(rep))
		nd_result_set(r, ND_PASS, _("pcscd lets this session in"));
	else if (!nd_jbool(pk, "pcsc_policy", false))
		nd_result_set(r, ND_PASS, _("pcscd does not ask polkit here"));
	else if (rules && json_object_array_length(rules) > 0)
		nd_result_set(r, ND_PASS, _("a polkit rule about PC/SC is installed (%s)"),
		    json_object_get_string(json_object_array_get_idx(rules, 0)));
	else if (ssh || container || inactive) {
		nd_result_set(r, ND_WARN, _("pcscd asks polkit, which lets only active local sessions in, and %s"), why);
		nd_result_remedy(r, _("Run nesdoctor in the desktop session at the computer, or allow a group: "
		    "sudo nesdoctor setup polkit --polkit-group GROUP --apply"));
	} else
		nd_result_set(r, ND_PASS, _("pcscd asks polkit; this is a local session"));
}

static void
eval_holders(const struct nd_report *rep, struct nd_result *r)
{
	json_object *s = sys_inv(rep), *h = nd_jarr(s, "holders"), *g = nd_jobj(s, "gnupg");
	json_object *h0 = h && json_object_array_length(h) ? json_object_array_get_idx(h, 0) : NULL;
	bool partial = nd_jbool(s, "processes_partial", false);

	if (!s)
		nd_result_set(r, ND_SKIP, _("processes were not looked at"));
	else if (!h0 && partial)
		nd_result_set(r, ND_PASS, _("no program known to take readers is running (only your own processes could be seen)"));
	else if (!h0)
		nd_result_set(r, ND_PASS, _("no program known to take readers is running"));
	else if (nd_jbool(g, "pcsc_shared", false) && nd_jbool(g, "disable_ccid", false))
		nd_result_set(r, ND_PASS, _("GnuPG's scdaemon (pid %d) is running, set to share readers through pcscd"),
		    (int)nd_jint(h0, "pid", 0));
	else {
		/* its own CCID driver claims the USB interface, and without
		 * pcsc-shared it opens readers exclusively */
		nd_result_set(r, ND_WARN, _("GnuPG's scdaemon (pid %d) is running and can take the reader for itself"),
		    (int)nd_jint(h0, "pid", 0));
		nd_result_remedy(r, _("Make it share the reader: add the lines\n  disable-ccid\n  pcsc-shared\n"
		    "to ~/.gnupg/scdaemon.conf, then run: gpgconf --kill scdaemon"));
	}
}

static void
eval_sandbox(const struct nd_report *rep, struct nd_result *r)
{
	json_object *s = sys_inv(rep);
	const char *sb = nd_jstr(s, "sandbox"), *c = nd_jstr(s, "container");

	if (!s)
		nd_result_set(r, ND_SKIP, _("the system was not looked at"));
	else if (sb) {
		nd_result_set(r, ND_WARN, _("nesdoctor runs inside a %s sandbox: it may not see pcscd, the reader or the "
		    "AKIS library the way your signing program does"), sb);
		nd_result_remedy(r, _("Run nesdoctor outside the sandbox (from the Debian package or a build)."));
	} else if (c)
		nd_result_set(r, ND_INFO, _("nesdoctor runs inside a %s container: what it sees is the container's pcscd and devices"), c);
	else
		nd_result_set(r, ND_PASS, _("not inside a sandbox or container"));
}

/* sys.browser: the AKIS module in the browsers' NSS databases. Never a
 * failure: DYS's own signer does not go through the browser. */
static void
eval_browser(const struct nd_report *rep, struct nd_result *r)
{
	json_object *b = nd_jobj(nd_jobj(rep->inventory, "system"), "browsers");
	json_object *ff = nd_jarr(b, "firefox"), *nss = nd_jobj(b, "nssdb");
	char missing[512] = "", locked[256] = "", snap[256] = "", who[160] = "";
	size_t nm = 0, nl = 0, ns = 0, nok = 0, km = 0, kl = 0, ks = 0;
	bool flatpak_missing = false;

	if (!b) {
		nd_result_set(r, ND_SKIP, _("the browsers were not looked at"));
		return;
	}
	if (nd_jstr(b, "sudo_user"))
		snprintf(who, sizeof who, _(" (the profiles of %s, who ran sudo)"), nd_jstr(b, "sudo_user"));
	for (size_t i = 0; ff && i < json_object_array_length(ff); i++) {
		json_object *p = json_object_array_get_idx(ff, i);
		const char *name = nd_jstr(p, "name") ? nd_jstr(p, "name") : "?", *inst = nd_jstr(p, "install");
		bool has = nd_jbool(p, "akis", false) || nd_jbool(p, "p11_kit_proxy", false);

		if (!nd_jbool(p, "exists", false))
			continue;
		if (inst && strcmp(inst, "snap") == 0) {
			if (ks < sizeof snap)
				ks += (size_t)snprintf(snap + ks, sizeof snap - ks, "%s%s", ns ? ", " : "", name);
			ns++;
		} else if (nd_jbool(p, "locked", false)) {
			if (kl < sizeof locked)
				kl += (size_t)snprintf(locked + kl, sizeof locked - kl, "%s%s", nl ? ", " : "", name);
			nl++;
		} else if (!has) {
			if (km < sizeof missing)
				km += (size_t)snprintf(missing + km, sizeof missing - km, "%sFirefox (%s%s)", nm ? ", " : "",
				    name, inst && strcmp(inst, "flatpak") == 0 ? ", flatpak" : "");
			flatpak_missing = flatpak_missing || (inst && strcmp(inst, "flatpak") == 0);
			nm++;
		} else {
			nok++;
		}
	}
	if (nd_jbool(nss, "exists", false)) {
		if (nd_jbool(nss, "akis", false) || nd_jbool(nss, "p11_kit_proxy", false))
			nok++;
		else {
			if (km < sizeof missing)
				km += (size_t)snprintf(missing + km, sizeof missing - km, "%sChrome/Chromium (~/.pki/nssdb)",
				    nm ? ", " : "");
			nm++;
		}
	}
	if (ns) {
		nd_result_set(r, ND_WARN, _("Firefox from snap (profile %s) cannot load the AKIS library from /usr/lib or "
		    "/opt: the snap's confinement does not let it%s"), snap, who);
		nd_result_remedy(r, _("For e-signature in the browser, use Firefox from Mozilla's APT repository "
		    "(packages.mozilla.org) or Debian's firefox-esr package instead of the snap, then run: nesdoctor setup nss"));
	} else if (nm) {
		nd_result_set(r, ND_WARN, _("the AKIS module is not in %s%s"), missing, who);
		nd_result_remedy(r, flatpak_missing ?
		    _("Run: nesdoctor setup nss (for the flatpak Firefox, register the library with p11-kit too: "
		    "nesdoctor setup p11-kit)") : _("Run: nesdoctor setup nss"));
	} else if (nl) {
		nd_result_set(r, ND_INFO, _("Firefox is running; close it to check (profile %s)%s"), locked, who);
	} else if (nok) {
		nd_result_set(r, ND_PASS, _("the AKIS module is in %zu browser database(s)%s"), nok, who);
	} else {
		nd_result_set(r, ND_INFO, _("no Firefox profile or Chrome NSS database was found%s"), who);
	}
}

/* The AKIS library's ELF facts from the p11 inventory, or NULL. */
static json_object *
akis_elf(const struct nd_report *rep, const char **path)
{
	json_object *mods = nd_jarr(rep->inventory, "modules");

	for (size_t i = 0; mods && i < json_object_array_length(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i);
		if (nd_jbool(m, "akis", false) && nd_jobj(m, "elf")) {
			*path = nd_jstr(m, "path");
			return nd_jobj(m, "elf");
		}
	}
	return NULL;
}

/* sys.java: a Java runtime, its version and architecture against the AKIS
 * library's. Which version a signing program needs is not judged. */
static void
eval_java(const struct nd_report *rep, struct nd_result *r)
{
	json_object *j = nd_jobj(nd_jobj(rep->inventory, "system"), "java"), *jp = nd_jobj(j, "on_path");
	json_object *inst = nd_jarr(j, "installed"), *je, *me;
	const char *mpath = NULL;

	if (!j) {
		nd_result_set(r, ND_SKIP, _("Java was not looked at"));
		return;
	}
	je = jp ? nd_jobj(jp, "elf") : (inst && json_object_array_length(inst) ?
	    nd_jobj(json_object_array_get_idx(inst, 0), "elf") : NULL);
	me = akis_elf(rep, &mpath);
	if (!jp && !(inst && json_object_array_length(inst))) {
		nd_result_set(r, ND_INFO, _("no Java runtime is installed (signing programs written in Java, such as "
		    "İmzager, need one)"));
		nd_result_remedy(r, _("If your signing program is a Java application, install a Java runtime: "
		    "sudo apt install default-jre"));
		return;
	}
	/* info, as the rest of sys.java: whether a Java signer is what this
	 * person uses is not known here, and DYS signs without Java too */
	if (je && me && nd_jint(je, "bits", 0) != nd_jint(me, "bits", 0)) {
		nd_result_set(r, ND_INFO, _("Java at %s is %lld-bit %s, but the AKIS library %s is %lld-bit %s: "
		    "a Java program cannot load it"),
		    jp ? nd_jstr(jp, "path") : nd_jstr(json_object_array_get_idx(inst, 0), "path"),
		    (long long)nd_jint(je, "bits", 0), nd_jstr(je, "machine") ? nd_jstr(je, "machine") : "?",
		    mpath ? mpath : "?", (long long)nd_jint(me, "bits", 0), nd_jstr(me, "machine") ? nd_jstr(me, "machine") : "?");
		nd_result_remedy(r, _("Install a Java runtime of the library's architecture (on a 64-bit system: "
		    "sudo apt install default-jre), or the AKIS library of Java's architecture."));
		return;
	}
	if (!jp) {
		nd_result_set(r, ND_INFO, _("a Java runtime is installed (%s) but java is not on PATH"),
		    nd_jstr(json_object_array_get_idx(inst, 0), "path"));
		return;
	}
	nd_result_set(r, ND_INFO, _("Java %s (%s) at %s, %lld-bit %s%s"),
	    nd_jstr(jp, "version") ? nd_jstr(jp, "version") : _("of unknown version"),
	    nd_jstr(jp, "runtime") ? nd_jstr(jp, "runtime") : "?", nd_jstr(jp, "path"),
	    (long long)nd_jint(je, "bits", nd_jint(jp, "vm_bits", 0)),
	    nd_jstr(je, "machine") ? nd_jstr(je, "machine") : "?",
	    me ? _("; the AKIS library is of the same architecture") : "");
}

const struct nd_check_def nd_check_sys_os = { "sys.os", ND_LAYER_SYS, { NULL }, eval_os };
const struct nd_check_def nd_check_sys_pcscd = { "sys.pcscd", ND_LAYER_SYS, { NULL }, eval_pcscd };
const struct nd_check_def nd_check_sys_polkit = { "sys.polkit", ND_LAYER_SYS, { "sys.pcscd", NULL }, eval_polkit };
const struct nd_check_def nd_check_sys_holders = { "sys.holders", ND_LAYER_SYS, { NULL }, eval_holders };
const struct nd_check_def nd_check_sys_sandbox = { "sys.sandbox", ND_LAYER_SYS, { NULL }, eval_sandbox };
const struct nd_check_def nd_check_sys_browser = { "sys.browser", ND_LAYER_SYS, { NULL }, eval_browser };
const struct nd_check_def nd_check_sys_java = { "sys.java", ND_LAYER_SYS, { NULL }, eval_java };
