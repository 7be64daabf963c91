/* SPDX-License-Identifier: BSD-2-Clause */
/* The setup parts: what each one wants on the system, as steps. Looking is
 * allowed here (files, and commands bounded in time); changing is not. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "p11/p11.h"
#include "report/report.h"
#include "setup/setup.h"
#include "core/run.h"
#include "usb/known.h"

#define UDEV_RULES "/etc/udev/rules.d/70-nesdoctor.rules"
#define P11KIT_MODULE "/etc/pkcs11/modules/akis.module"
#define POLKIT_RULES "/etc/polkit-1/rules.d/60-nesdoctor-pcsc.rules"

static const char *const all_parts[] = { "udev", "p11-kit", "nss", "pcscd", "polkit" };

/* Where the AKIS library is installed (AKİA puts it under
 * /opt/Akia and copies it to /usr/lib). */
static const char *const akis_paths[] = {
	"/usr/lib/libakisp11.so", "/opt/Akia/libakisp11.so",
	"/usr/lib/x86_64-linux-gnu/libakisp11.so", "/usr/local/lib/libakisp11.so",
};

bool
nd_setup_part_known(const char *name)
{
	for (size_t i = 0; i < sizeof all_parts / sizeof all_parts[0]; i++)
		if (strcmp(name, all_parts[i]) == 0)
			return true;
	return false;
}

static char **
argv_dup(const char *const *argv)
{
	size_t n = 0;
	char **v;

	while (argv[n])
		n++;
	v = nd_xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = nd_xstrdup(argv[i]);
	return v;
}

static char *
argv_join(const char *const *argv)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 3;
	s = nd_xcalloc(len, 1);
	for (size_t i = 0; argv[i]; i++) {
		bool q = strchr(argv[i], ' ') != NULL;
		if (i)
			strcat(s, " ");
		if (q)
			strcat(s, "'");
		strcat(s, argv[i]);
		if (q)
			strcat(s, "'");
	}
	return s;
}

/* A whole file the system should have: pending, or ok when it is there. */
static struct nd_step *
want_file(struct nd_plan *plan, const char *part, const char *path, const char *content, bool system)
{
	struct nd_step *s = nd_plan_add(plan, part, ND_STEP_WRITE);
	bool exists;
	char *cur;

	s->path = nd_xstrdup(path);
	s->real_path = nd_setup_path(plan, path);
	s->content = nd_xstrdup(content);
	s->system = system;
	cur = nd_setup_read(plan, path, strlen(content) + 2, &exists);
	if (cur && strcmp(cur, content) == 0) {
		s->state = ND_STEP_OK;
		s->reason = nd_xstrdup(_("already so"));
	} else if (exists)
		s->replaces = true;
	free(cur);
	return s;
}

static struct nd_step *
want_run(struct nd_plan *plan, const char *part, const char *const *argv, bool system)
{
	struct nd_step *s = nd_plan_add(plan, part, ND_STEP_RUN);
	char *exe = nd_which(argv[0]);

	s->argv = argv_dup(argv);
	s->command = argv_join(argv);
	s->system = system;
	if (plan->root) {
		s->state = ND_STEP_SKIPPED;
		s->reason = nd_xstrdup(_("commands are not run under --root"));
	} else if (!exe) {
		s->state = ND_STEP_SKIPPED;
		s->reason = nd_asprintf(_("%s is not installed here"), argv[0]);
	}
	free(exe);
	return s;
}

static void
want_manual(struct nd_plan *plan, const char *part, const char *command, const char *why, bool blocking)
{
	struct nd_step *s = nd_plan_add(plan, part, ND_STEP_MANUAL);

	s->command = nd_xstrdup(command);
	s->reason = nd_xstrdup(why);
	s->state = blocking ? ND_STEP_BLOCKED : ND_STEP_PENDING;
}

static void
part_udev(struct nd_plan *plan)
{
	static const char *const reload[] = { "udevadm", "control", "--reload", NULL };
	static const char *const trigger[] = { "udevadm", "trigger", "--subsystem-match=usb", "--action=change", NULL };
	struct nd_step *w = want_file(plan, "udev", UDEV_RULES, nd_udev_rules_text, true);

	/* only when the rules change: an unchanged file needs no reload */
	if (w->state == ND_STEP_PENDING) {
		want_run(plan, "udev", reload, true);
		want_run(plan, "udev", trigger, true);
	}
}

/* The AKIS library: --module, else the known places (under --root first). */
static char *
akis_module(const struct nd_opts *o, const struct nd_plan *plan)
{
	char *found = NULL;

	if (o->n_modules > 0)
		found = nd_xstrdup(o->modules[0]);
	for (size_t i = 0; !found && i < sizeof akis_paths / sizeof akis_paths[0]; i++) {
		char *p = nd_setup_path(plan, akis_paths[i]);
		if (access(p, F_OK) == 0 || access(akis_paths[i], F_OK) == 0)
			found = nd_xstrdup(akis_paths[i]);
		free(p);
	}
	return found;
}

/* Does the p11-kit module file at path load `module` (by path, or by file
 * name for a relative one)? Read with p11's parser, the one the collector
 * finds modules with: setup and check agree on what is registered. */
static bool
p11kit_loads(const char *path, const char *module, const char *base)
{
	struct nd_p11kit_conf conf;
	char *t = nd_read_file(path, 16384, NULL);
	bool yes = false;

	if (t && nd_p11kit_conf_parse((const uint8_t *)t, strlen(t), &conf))
		yes = strcmp(conf.module, module) == 0 || strcmp(conf.module, base) == 0;
	free(t);
	return yes;
}

/* A p11-kit module file that already loads `module`, or NULL. */
static char *
p11kit_registered(const struct nd_plan *plan, const char *module)
{
	static const char *const dirs[] = { "/etc/pkcs11/modules", "/usr/share/p11-kit/modules" };
	const char *base = strrchr(module, '/') ? strrchr(module, '/') + 1 : module;
	char *found = NULL;

	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0] && !found; d++) {
		char *dir = nd_setup_path(plan, dirs[d]);
		DIR *dh = opendir(dir);
		struct dirent *e;
		int n = 0;

		while (dh && (e = readdir(dh)) != NULL && !found && n++ < 256) {
			size_t len = strlen(e->d_name);
			char *p;
			if (len < 8 || strcmp(e->d_name + len - 7, ".module") != 0)
				continue;
			p = nd_asprintf("%s/%s", dir, e->d_name);
			if (p11kit_loads(p, module, base))
				found = nd_asprintf("%s/%s", dirs[d], e->d_name);
			free(p);
		}
		if (dh)
			closedir(dh);
		free(dir);
	}
	return found;
}

static void
part_p11kit(const struct nd_opts *o, struct nd_plan *plan)
{
	char *mod = akis_module(o, plan), *reg = NULL, *content = NULL;
	struct nd_step *s;

	if (!mod) {
		want_manual(plan, "p11-kit", _("install AKİA from Kamu SM, or give --module PATH"),
		    _("the AKIS PKCS#11 library (libakisp11.so) was not found"), true);
		goto fail;
	}
	if ((reg = p11kit_registered(plan, mod)) != NULL) {
		s = nd_plan_add(plan, "p11-kit", ND_STEP_WRITE);
		s->path = nd_xstrdup(reg);
		s->state = ND_STEP_OK;
		s->reason = nd_asprintf(_("already registers %s"), mod);
		goto fail;
	}
	content = nd_asprintf("# The AKIS PKCS#11 library (Kamu SM), registered by `nesdoctor setup p11-kit`.\n"
	    "# Programs that load p11-kit-proxy.so see the AKIS token through it.\n"
	    "module: %s\n", mod);
	want_file(plan, "p11-kit", P11KIT_MODULE, content, true);
	if (!plan->root && !nd_which("p11-kit"))
		want_manual(plan, "p11-kit", "sudo apt install p11-kit",
		    _("p11-kit is not installed: the module file does nothing without it"), false);
fail:
	free(mod);
	free(reg);
	free(content);
}

/* NSS databases of the person: Chrome's and every Firefox profile's
 * (Debian, snap and flatpak Firefox). */
static void
nss_dbs(const char *home, glob_t *g)
{
	static const char *const pats[] = {
		"/.pki/nssdb/cert9.db",
		"/.mozilla/firefox/*/cert9.db",
		"/snap/firefox/common/.mozilla/firefox/*/cert9.db",
		"/.var/app/org.mozilla.firefox/.mozilla/firefox/*/cert9.db",
	};

	memset(g, 0, sizeof *g);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
		char *p = nd_asprintf("%s%s", home, pats[i]);
		glob(p, i ? GLOB_APPEND : 0, NULL, g);
		free(p);
	}
}

static void
part_nss(const struct nd_opts *o, struct nd_plan *plan)
{
	const char *home = getenv("HOME"), *sudo = getenv("SUDO_USER");
	char *mod = NULL, *modutil = NULL;
	glob_t g = { 0 };
	struct nd_step *s;
	int tmo = o->timeout_s * 1000;

	if (plan->root) {
		s = nd_plan_add(plan, "nss", ND_STEP_RUN);
		s->state = ND_STEP_SKIPPED;
		s->command = nd_xstrdup("modutil");
		s->reason = nd_xstrdup(_("the nss part changes your own NSS databases, not files under --root"));
		goto fail;
	}
	if (geteuid() == 0 && sudo && *sudo) {
		/* root's databases are of no use to the person */
		s = nd_plan_add(plan, "nss", ND_STEP_RUN);
		s->state = ND_STEP_SKIPPED;
		s->command = nd_xstrdup("modutil");
		s->reason = nd_asprintf(_("run this part as %s, without sudo: nesdoctor setup nss --apply"), sudo);
		goto fail;
	}
	if (!(mod = akis_module(o, plan))) {
		want_manual(plan, "nss", _("install AKİA from Kamu SM, or give --module PATH"),
		    _("the AKIS PKCS#11 library (libakisp11.so) was not found"), true);
		goto fail;
	}
	if (!(modutil = nd_which("modutil"))) {
		want_manual(plan, "nss", "sudo apt install libnss3-tools",
		    _("modutil, the tool that registers a library with NSS, is not installed"), true);
		goto fail;
	}
	if (!home || !*home)
		goto fail;
	nss_dbs(home, &g);
	if (g.gl_pathc == 0) {
		want_manual(plan, "nss", _("start Firefox or Chrome once, then run this again"),
		    _("no NSS database was found (~/.pki/nssdb, Firefox profiles)"), true);
		goto fail;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *dir = nd_xstrdup(g.gl_pathv[i]), *slash = strrchr(dir, '/');
		char *db, *lib;
		const char *list[] = { modutil, "-dbdir", NULL, "-list", NULL };
		const char *add[] = { "modutil", "-dbdir", NULL, "-add", "AKIS", "-libfile", mod, "-force", NULL };
		struct nd_run_result rr;

		*slash = '\0';
		db = nd_asprintf("sql:%s", dir);
		list[2] = add[2] = db;
		lib = nd_asprintf("library name: %s", mod);
		/* registered already? modutil -list names every module's library */
		if (nd_run(list, tmo, true, 65536, &rr) == ND_OK && rr.status == 0 && strstr(rr.out, lib)) {
			s = nd_plan_add(plan, "nss", ND_STEP_RUN);
			s->argv = argv_dup(add);
			s->command = argv_join(add);
			s->state = ND_STEP_OK;
			s->reason = nd_asprintf(_("%s already has it"), dir);
		} else {
			s = want_run(plan, "nss", add, false);
			if (strstr(dir, "firefox"))
				s->reason = nd_xstrdup(_("close Firefox first"));
		}
		nd_run_result_reset(&rr);
		free(lib);
		free(db);
		free(dir);
	}
fail:
	globfree(&g);
	free(mod);
	free(modutil);
}

/* Where pcscd.socket is installed (/lib or /usr/lib, by release). */
static const char *
pcscd_socket_unit(const struct nd_plan *plan)
{
	static const char *const units[] = { "/lib/systemd/system/pcscd.socket", "/usr/lib/systemd/system/pcscd.socket" };

	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		char *p = nd_setup_path(plan, units[i]);
		bool there = access(p, F_OK) == 0;
		free(p);
		if (there)
			return units[i];
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (access(units[i], F_OK) == 0)
			return units[i];
	return NULL;
}

static char *
first_line(const char *const *argv, int tmo)
{
	struct nd_run_result rr;
	char *ret = NULL;

	if (nd_run(argv, tmo, false, 4096, &rr) == ND_OK) {
		rr.out[strcspn(rr.out, "\n")] = '\0';
		ret = nd_xstrdup(rr.out);
	}
	nd_run_result_reset(&rr);
	return ret;
}

static void
part_pcscd(const struct nd_opts *o, struct nd_plan *plan)
{
	static const char *const unmask[] = { "systemctl", "unmask", "pcscd.socket", "pcscd.service", NULL };
	static const char *const enable[] = { "systemctl", "enable", "--now", "pcscd.socket", NULL };
	static const char *const is_en[] = { "systemctl", "is-enabled", "pcscd.socket", NULL };
	static const char *const is_act[] = { "systemctl", "is-active", "pcscd.socket", NULL };
	const char *unit = pcscd_socket_unit(plan);
	char *en = NULL, *act = NULL;
	struct stat st;
	int tmo = o->timeout_s > 0 && o->timeout_s < 5 ? o->timeout_s * 1000 : 5000;

	if (!unit) {
		want_manual(plan, "pcscd", "sudo apt install pcscd libccid", _("pcscd is not installed"), true);
		goto fail;
	}
	if (plan->root) {
		/* what `systemctl enable` does, as a file: the socket is
		 * wanted by sockets.target ([Install] WantedBy=) */
		struct nd_step *s = nd_plan_add(plan, "pcscd", ND_STEP_SYMLINK);
		char link[PATH_MAX];
		ssize_t n;
		bool there;

		s->path = nd_xstrdup("/etc/systemd/system/sockets.target.wants/pcscd.socket");
		s->real_path = nd_setup_path(plan, s->path);
		s->content = nd_xstrdup(unit);
		s->system = true;
		n = nd_setup_readlink(plan, s->path, link, sizeof link, &there);
		if (n > 0 && strcmp(link, unit) == 0) {
			s->state = ND_STEP_OK;
			s->reason = nd_xstrdup(_("already enabled"));
		} else if (there)
			s->replaces = true;
		goto fail;
	}
	if (stat("/run/systemd/system", &st) != 0) {
		want_manual(plan, "pcscd", "sudo pcscd", _("systemd is not running here: start pcscd yourself"), true);
		goto fail;
	}
	en = first_line(is_en, tmo);
	act = first_line(is_act, tmo);
	if (en && strcmp(en, "masked") == 0)
		want_run(plan, "pcscd", unmask, true);
	if (!en || strcmp(en, "enabled") != 0 || !act || strcmp(act, "active") != 0)
		want_run(plan, "pcscd", enable, true);
	else {
		struct nd_step *s = nd_plan_add(plan, "pcscd", ND_STEP_RUN);
		s->argv = argv_dup(enable);
		s->command = argv_join(enable);
		s->state = ND_STEP_OK;
		s->reason = nd_xstrdup(_("pcscd.socket is enabled and listening"));
	}
fail:
	free(en);
	free(act);
}

static bool
group_name_ok(const char *g)
{
	size_t n = strlen(g);

	if (n == 0 || n > 32 || !(islower((unsigned char)g[0]) || g[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(islower((unsigned char)g[i]) || isdigit((unsigned char)g[i]) || g[i] == '_' || g[i] == '-'))
			return false;
	return true;
}

static void
part_polkit(const struct nd_opts *o, struct nd_plan *plan)
{
	const char *g = o->polkit_group;
	char *rule;

	/* polkit reads the rules folder by itself: no reload needed */
	rule = nd_asprintf(
	    "// Written by `nesdoctor setup polkit`: members of the group \"%s\" may use\n"
	    "// smart cards through pcscd from any session, also ssh and remote desktops\n"
	    "// (pcscd otherwise serves only the active local session).\n"
	    "polkit.addRule(function(action, subject) {\n"
	    "    if ((action.id == \"org.debian.pcsc-lite.access_pcsc\" ||\n"
	    "         action.id == \"org.debian.pcsc-lite.access_card\") &&\n"
	    "        subject.isInGroup(\"%s\")) {\n"
	    "        return polkit.Result.YES;\n"
	    "    }\n"
	    "});\n", g, g);
	want_file(plan, "polkit", POLKIT_RULES, rule, true);
	if (!plan->root && !getgrnam(g)) {
		char *cmd = nd_asprintf("sudo groupadd %s && sudo usermod -aG %s USER", g, g);
		want_manual(plan, "polkit", cmd, _("the group does not exist yet"), false);
		free(cmd);
	}
	free(rule);
}

int
nd_setup_plan(const struct nd_opts *o, char **parts, int nparts, struct nd_plan *plan)
{
	bool want[5] = { false };
	int ret = ND_EXIT_USAGE;

	memset(plan, 0, sizeof *plan);
	plan->apply = o->apply;
	plan->root = o->root && *o->root && strcmp(o->root, "/") != 0 ? o->root : NULL;
	if (nparts == 0)
		want[0] = want[1] = want[2] = want[3] = true;   /* polkit only when asked */
	for (int i = 0; i < nparts; i++)
		for (size_t k = 0; k < sizeof all_parts / sizeof all_parts[0]; k++)
			if (strcmp(parts[i], all_parts[k]) == 0)
				want[k] = true;
	if (want[4] && (!o->polkit_group || !group_name_ok(o->polkit_group))) {
		fprintf(stderr, "nesdoctor: %s\n", o->polkit_group ?
		    _("--polkit-group takes a group name (lower-case letters, digits, _ and -)") :
		    _("the polkit part needs --polkit-group NAME: the group that may use PC/SC remotely"));
		goto fail;
	}
	if (o->n_modules > 0 && access(o->modules[0], F_OK) != 0) {
		fprintf(stderr, "nesdoctor: --module %s: %s\n", o->modules[0], strerror(errno));
		goto fail;
	}
	if (want[0])
		part_udev(plan);
	if (want[1])
		part_p11kit(o, plan);
	if (want[2])
		part_nss(o, plan);
	if (want[3])
		part_pcscd(o, plan);
	if (want[4])
		part_polkit(o, plan);
	ret = 0;
fail:
	return ret;
}
