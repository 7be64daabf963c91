/* SPDX-License-Identifier: BSD-2-Clause */
/* Browsers: does Firefox (each profile, deb, snap and flatpak) or Chrome's
 * shared NSS database know the AKIS module? Read from the files themselves
 * (profiles.ini, pkcs11.txt: text); a profile Firefox holds (its "lock"
 * link) is not read at all. Only facts; src/checks/sys.c judges them. */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"
#include "sys/sys.h"

#define ND_BROWSER_MAX_FILE (256u << 10)
#define ND_BROWSER_MAX_LINE 4096
#define ND_BROWSER_MAX_ITEMS 64

json_object *
nd_sys_parse_profiles_ini_n(const void *p, size_t n)
{
	json_object *arr = json_object_new_array(), *cur = NULL;
	char *line = nd_xcalloc(ND_BROWSER_MAX_LINE + 1, 1);
	struct nd_cur c;

	nd_cur_init_text(&c, p, n);
	while (nd_cur_line(&c, line, ND_BROWSER_MAX_LINE + 1, true)) {
		char *eq;
		if (line[0] == '[') {
			cur = NULL;
			/* [Profile0], [Profile1], ...: [Install...] and [General] are not profiles */
			if (strncmp(line, "[Profile", 8) == 0 && json_object_array_length(arr) < ND_BROWSER_MAX_ITEMS) {
				cur = json_object_new_object();
				json_object_object_add(cur, "relative", json_object_new_boolean(true));
				json_object_object_add(cur, "default", json_object_new_boolean(false));
				json_object_array_add(arr, cur);
			}
			continue;
		}
		if (!cur || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		if (strcmp(line, "Name") == 0)
			nd_jset_str(cur, "name", eq + 1);
		else if (strcmp(line, "Path") == 0 && eq[1])
			nd_jset_str(cur, "path", eq + 1);
		else if (strcmp(line, "IsRelative") == 0)
			json_object_object_add(cur, "relative", json_object_new_boolean(strcmp(eq + 1, "0") != 0));
		else if (strcmp(line, "Default") == 0)
			json_object_object_add(cur, "default", json_object_new_boolean(strcmp(eq + 1, "1") == 0));
	}
	/* a section without Path names no profile */
	for (size_t i = json_object_array_length(arr); i-- > 0;)
		if (!nd_jstr(json_object_array_get_idx(arr, i), "path"))
			json_object_array_del_idx(arr, i, 1);
	free(line);
	return arr;
}

json_object *
nd_sys_parse_pkcs11_txt_n(const void *p, size_t n)
{
	json_object *arr = json_object_new_array(), *cur = NULL;
	char *line = nd_xcalloc(ND_BROWSER_MAX_LINE + 1, 1);
	struct nd_cur c;

	nd_cur_init_text(&c, p, n);
	/* blocks of key=value lines, a blank line between modules */
	while (nd_cur_line(&c, line, ND_BROWSER_MAX_LINE + 1, true)) {
		char *eq = strchr(line, '=');
		if (!*line) {
			cur = NULL;
			continue;
		}
		if (!eq)
			continue;
		*eq = '\0';
		if (strcmp(line, "library") == 0) {
			if (!eq[1]) {   /* NSS's internal module has an empty library= */
				cur = NULL;
				continue;
			}
			if (json_object_array_length(arr) >= ND_BROWSER_MAX_ITEMS)
				break;
			cur = json_object_new_object();
			nd_jset_str(cur, "library", eq + 1);
			json_object_array_add(arr, cur);
		} else if (strcmp(line, "name") == 0 && cur) {
			nd_jset_str(cur, "name", eq + 1);
		}
	}
	free(line);
	return arr;
}

static bool
is_akis(const char *lib)
{
	const char *b = lib ? strrchr(lib, '/') : NULL;

	b = b ? b + 1 : lib;
	return b && strstr(b, "akisp11") != NULL;
}

static bool
is_proxy(const char *lib)
{
	const char *b = lib ? strrchr(lib, '/') : NULL;

	b = b ? b + 1 : lib;
	/* p11-kit's proxy: p11-kit-proxy.so, or libp11-kit.so.0 itself */
	return b && (strstr(b, "p11-kit-proxy") || strncmp(b, "libp11-kit.so", 13) == 0);
}

/* One NSS database folder: pkcs11.txt's modules, and whether the AKIS
 * module or p11-kit's proxy is among them. */
static void
nssdb_facts(json_object *o, const char *dir)
{
	char *path = nd_asprintf("%s/pkcs11.txt", dir);
	bool exists = false;
	char *text = nd_read_file(path, ND_BROWSER_MAX_FILE, &exists);
	json_object *mods = text ? nd_sys_parse_pkcs11_txt_n(text, strlen(text)) : NULL;
	bool akis = false, proxy = false;

	for (size_t i = 0; mods && i < json_object_array_length(mods); i++) {
		const char *lib = nd_jstr(json_object_array_get_idx(mods, i), "library");
		akis = akis || is_akis(lib);
		proxy = proxy || is_proxy(lib);
	}
	json_object_object_add(o, "pkcs11_txt", json_object_new_boolean(exists));
	json_object_object_add(o, "readable", json_object_new_boolean(text != NULL || !exists));
	json_object_object_add(o, "modules", mods ? mods : json_object_new_array());
	json_object_object_add(o, "akis", json_object_new_boolean(akis));
	json_object_object_add(o, "p11_kit_proxy", json_object_new_boolean(proxy));
	free(text);
	free(path);
}

/* Firefox holds a profile through a "lock" symlink while it runs (Linux);
 * .parentlock stays behind after it exits, so it says nothing. */
static bool
profile_locked(const char *dir)
{
	char *path = nd_asprintf("%s/lock", dir);
	struct stat st;
	bool locked = lstat(path, &st) == 0;

	free(path);
	return locked;
}

static void
firefox_place(json_object *arr, const char *home, const char *install, const char *rel)
{
	char *base = nd_asprintf("%s/%s", home, rel), *ini = nd_asprintf("%s/profiles.ini", base);
	char *text = nd_read_file(ini, ND_BROWSER_MAX_FILE, NULL);
	json_object *profs = text ? nd_sys_parse_profiles_ini_n(text, strlen(text)) : NULL;

	for (size_t i = 0; profs && i < json_object_array_length(profs); i++) {
		json_object *p = json_object_array_get_idx(profs, i), *o = json_object_new_object();
		const char *pp = nd_jstr(p, "path");
		char *dir = nd_jbool(p, "relative", true) ? nd_asprintf("%s/%s", base, pp) : nd_xstrdup(pp);
		struct stat st;

		nd_jset_str(o, "install", install);
		nd_jset_str(o, "name", nd_jstr(p, "name"));
		nd_jset_str(o, "path", dir);
		json_object_object_add(o, "default", json_object_new_boolean(nd_jbool(p, "default", false)));
		json_object_object_add(o, "exists", json_object_new_boolean(stat(dir, &st) == 0 && S_ISDIR(st.st_mode)));
		json_object_object_add(o, "locked", json_object_new_boolean(profile_locked(dir)));
		if (nd_jbool(o, "exists", false) && !nd_jbool(o, "locked", false))
			nssdb_facts(o, dir);
		json_object_array_add(arr, o);
		free(dir);
	}
	json_object_put(profs);
	free(text);
	free(ini);
	free(base);
}

json_object *
nd_sys_browser_facts(void)
{
	json_object *o = json_object_new_object(), *ff = json_object_new_array(), *nss = json_object_new_object();
	const char *home = getenv("HOME"), *sudo = getenv("SUDO_USER");
	char *nssdir = NULL, buf[4096];
	struct passwd pw, *res = NULL;
	struct stat st;

	/* as root through sudo, the person's own profiles are the ones that matter */
	if (geteuid() == 0 && sudo && *sudo && getpwnam_r(sudo, &pw, buf, sizeof buf, &res) == 0 && res) {
		home = res->pw_dir;
		nd_jset_str(o, "sudo_user", sudo);
	} else {
		json_object_object_add(o, "sudo_user", NULL);
	}
	if (!home || !*home) {
		nd_jset_str(o, "home", NULL);
		json_object_put(ff);
		json_object_put(nss);
		goto fail;
	}
	nd_jset_str(o, "home", home);
	firefox_place(ff, home, "deb", ".mozilla/firefox");
	firefox_place(ff, home, "snap", "snap/firefox/common/.mozilla/firefox");
	firefox_place(ff, home, "flatpak", ".var/app/org.mozilla.firefox/.mozilla/firefox");
	json_object_object_add(o, "firefox", ff);
	/* Chromium and Chrome share ~/.pki/nssdb (sql: format, pkcs11.txt) */
	nssdir = nd_asprintf("%s/.pki/nssdb", home);
	nd_jset_str(nss, "path", nssdir);
	json_object_object_add(nss, "exists", json_object_new_boolean(stat(nssdir, &st) == 0 && S_ISDIR(st.st_mode)));
	if (nd_jbool(nss, "exists", false))
		nssdb_facts(nss, nssdir);
	json_object_object_add(o, "nssdb", nss);
fail:
	free(nssdir);
	return o;
}
