/* SPDX-License-Identifier: BSD-2-Clause */
/* USB policy: who decides whether a device may be used at all. The kernel
 * keeps a device it is told not to trust (sysfs "authorized" 0) without a
 * configuration, so no driver and no pcscd can reach it. Three things write
 * that 0: udev rules (Lider Ahenk, Pardus' central management, writes
 * 99-ahenk-task-blacklist.rules and 99-ahenk-task-whitelist.rules), the
 * USBGuard daemon (rules.conf, its implicit policy), and a hub's
 * authorized_default. Only facts here; src/checks/usb.c judges them. */
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "usb/usb.h"

#define ND_POLICY_MAX_FILE (1u << 20)
#define ND_POLICY_MAX_LINE 4096
#define ND_POLICY_MAX_RULES 512
#define ND_POLICY_MAX_FILES 256

static char *
skip_blank(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

/* The attributes a policy rule can name a USB device by. */
static const char *const udev_attrs[] = { "manufacturer", "product", "serial", "idVendor", "idProduct", NULL };

static bool
known_attr(const char *a)
{
	for (size_t i = 0; udev_attrs[i]; i++)
		if (strcmp(a, udev_attrs[i]) == 0)
			return true;
	return false;
}

/* One udev rule line: KEY[{attr}] OP "value", ... Only lines assigning
 * ATTR{authorized} are kept: {"line", "authorized", "match": {attr: {"op",
 * "value"}}, "rule"}. NULL for other lines. */
static json_object *
udev_line(char *l, long lineno)
{
	json_object *o = NULL, *match = json_object_new_object();
	char *p = skip_blank(l);
	int auth = -1;
	bool bad = false;

	if (*p == '#' || !*p)
		goto fail;
	while (*p && !bad) {
		char key[64], attr[64] = "", op[3] = "", *val;
		size_t k = 0;

		p = skip_blank(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (!*p)
			break;
		while ((isalnum((unsigned char)*p) || *p == '_') && k < sizeof key - 1)
			key[k++] = *p++;
		key[k] = '\0';
		if (*p == '{') {
			char *e = strchr(p, '}');
			size_t n;
			if (!e || (n = (size_t)(e - p - 1)) >= sizeof attr) {
				bad = true;
				break;
			}
			memcpy(attr, p + 1, n);
			attr[n] = '\0';
			p = e + 1;
		}
		p = skip_blank(p);
		if (!k || !strchr("=!+-:", *p)) {
			bad = true;
			break;
		}
		op[0] = *p++;
		if (*p == '=')
			op[1] = *p++;
		else if (op[0] != '=') {
			bad = true;
			break;
		}
		p = skip_blank(p);
		if (*p != '"') {
			bad = true;
			break;
		}
		val = ++p;
		while (*p && *p != '"')
			p += (*p == '\\' && p[1]) ? 2 : 1;
		if (*p)
			*p++ = '\0';
		if ((strcmp(key, "ATTR") == 0 || strcmp(key, "ATTRS") == 0) && strcmp(attr, "authorized") == 0 &&
		    strcmp(op, "=") == 0) {
			auth = strcmp(val, "0") == 0 ? 0 : 1;
		} else if ((strcmp(key, "ATTR") == 0 || strcmp(key, "ATTRS") == 0) && known_attr(attr) &&
		    (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0)) {
			json_object *m = json_object_new_object();
			nd_jset_str(m, "op", op);
			nd_jset_str(m, "value", val);
			json_object_object_add(match, attr, m);
		}
	}
	if (bad || auth < 0)
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "line", json_object_new_int64(lineno));
	json_object_object_add(o, "authorized", json_object_new_int(auth));
	json_object_object_add(o, "match", match);
	match = NULL;
fail:
	json_object_put(match);
	return o;
}

/* The rules of a file, one per line that parse_line takes, each with the
 * line as written ("rule", trimmed): udev's and USBGuard's alike. */
static json_object *
parse_rules(const void *p, size_t n, json_object *(*parse_line)(char *line, long lineno))
{
	json_object *arr = json_object_new_array();
	struct nd_cur c;
	char *line = nd_xcalloc(ND_POLICY_MAX_LINE + 1, 1), *copy = nd_xcalloc(ND_POLICY_MAX_LINE + 1, 1);
	long lineno = 0;

	nd_cur_init_text(&c, p, n);
	while (nd_cur_line(&c, line, ND_POLICY_MAX_LINE + 1, false) && json_object_array_length(arr) < ND_POLICY_MAX_RULES) {
		json_object *r;
		size_t k;

		lineno++;
		memcpy(copy, line, ND_POLICY_MAX_LINE + 1);
		if (!(r = parse_line(line, lineno)))
			continue;
		k = strlen(copy);
		while (k && (copy[k - 1] == '\r' || copy[k - 1] == ' '))
			copy[--k] = '\0';
		nd_jset_str(r, "rule", skip_blank(copy));
		json_object_array_add(arr, r);
	}
	free(line);
	free(copy);
	return arr;
}

json_object *
nd_usb_parse_udev_rules_n(const void *p, size_t n)
{
	return parse_rules(p, n, udev_line);
}

#define ND_UG_MAX_TOKENS 128

/* Split a USBGuard rule into tokens: words, "strings" (without their
 * quotes, escapes kept as written) and the braces of a set. */
static size_t
ug_tokens(const char *p, char *tok[], bool quoted[], size_t max)
{
	size_t n = 0;

	while (n < max) {
		const char *t;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		quoted[n] = false;
		if (*p == '{' || *p == '}') {
			t = p++;
		} else if (*p == '"') {
			t = ++p;
			while (*p && *p != '"')
				p += (*p == '\\' && p[1]) ? 2 : 1;
			quoted[n] = true;
		} else {
			t = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '{' && *p != '}' && *p != '"')
				p++;
		}
		tok[n] = nd_xcalloc((size_t)(p - t) + 1, 1);
		memcpy(tok[n], t, (size_t)(p - t));
		n++;
		if (quoted[n - 1] && *p == '"')
			p++;
	}
	return n;
}

/* A rule of USBGuard's rules.conf: TARGET [attribute [operator] value|{
 * values }]... -> {"line", "target", "id": [], "name": [], "serial": [],
 * "with_interface": [], "rule"}. */
static json_object *
usbguard_line(char *l, long lineno)
{
	static const char *const keys[] = { "id", "name", "serial", "with-interface" };
	char *tok[ND_UG_MAX_TOKENS];
	bool quoted[ND_UG_MAX_TOKENS], in_set = false;
	size_t n = ug_tokens(l, tok, quoted, ND_UG_MAX_TOKENS);
	json_object *o = NULL, *lists[4] = { NULL };
	int cur = -1;

	if (!n || quoted[0] || (strcmp(tok[0], "allow") != 0 && strcmp(tok[0], "block") != 0 &&
	    strcmp(tok[0], "reject") != 0))
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "line", json_object_new_int64(lineno));
	nd_jset_str(o, "target", tok[0]);
	for (size_t i = 0; i < 4; i++)
		lists[i] = json_object_new_array();
	for (size_t i = 1; i < n; i++) {
		const char *t = tok[i];
		int key = -1;

		if (!quoted[i] && strcmp(t, "{") == 0) {
			in_set = true;
			continue;
		}
		if (!quoted[i] && strcmp(t, "}") == 0) {
			in_set = false;
			cur = -1;
			continue;
		}
		if (!quoted[i] && !in_set) {
			for (int k = 0; k < 4; k++)
				if (strcmp(t, keys[k]) == 0)
					key = k;
			if (key >= 0) {
				cur = key;
				continue;
			}
			/* a set operator keeps the attribute it follows */
			if (strstr(t, "-of") || strcmp(t, "equals") == 0 || strcmp(t, "equals-ordered") == 0 ||
			    strcmp(t, "match-all") == 0)
				continue;
		}
		if (cur < 0)
			continue;
		json_object_array_add(lists[cur], json_object_new_string(t));
		if (!in_set)
			cur = -1;
	}
	json_object_object_add(o, "id", lists[0]);
	json_object_object_add(o, "name", lists[1]);
	json_object_object_add(o, "serial", lists[2]);
	json_object_object_add(o, "with_interface", lists[3]);
	for (size_t i = 0; i < 4; i++)
		lists[i] = NULL;
fail:
	for (size_t i = 0; i < 4; i++)
		json_object_put(lists[i]);
	for (size_t i = 0; i < n; i++)
		free(tok[i]);
	return o;
}

json_object *
nd_usb_parse_usbguard_rules_n(const void *p, size_t n)
{
	return parse_rules(p, n, usbguard_line);
}

/* ImplicitPolicyTarget= of usbguard-daemon.conf ("block" when unset). */
static const char *
usbguard_implicit(const char *conf)
{
	const char *k = "ImplicitPolicyTarget=", *p = conf;

	while (p && (p = strstr(p, k))) {
		if (p == conf || p[-1] == '\n') {
			p += strlen(k);
			if (strncmp(p, "allow", 5) == 0)
				return "allow";
			if (strncmp(p, "reject", 6) == 0)
				return "reject";
			return "block";
		}
		p += strlen(k);
	}
	return "block";
}

/* Is a process with this name running? /proc/PID/comm holds at most 15
 * characters, which "usbguard-daemon" fits. */
static bool
proc_running(const char *comm)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		char *path, *s;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		path = nd_asprintf("/proc/%s/comm", e->d_name);
		s = nd_read_file(path, 64, NULL);
		if (s) {
			s[strcspn(s, "\n")] = '\0';
			found = strcmp(s, comm) == 0;
		}
		free(s);
		free(path);
	}
	if (d)
		closedir(d);
	return found;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
rules_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 6 && strcmp(e->d_name + n - 6, ".rules") == 0;
}

static json_object *
udev_facts(void)
{
	const char *dir = getenv("NESDOCTOR_UDEV_RULES_DIR");
	json_object *arr = json_object_new_array();
	struct dirent **names = NULL;
	int n;

	if (!dir || !*dir)
		dir = "/etc/udev/rules.d";
	n = scandir(dir, &names, rules_file, by_name);
	for (int i = 0; i < n; i++) {
		if (i < (int)ND_POLICY_MAX_FILES) {
			char *path = nd_asprintf("%s/%s", dir, names[i]->d_name);
			char *text = nd_read_file(path, ND_POLICY_MAX_FILE, NULL);
			json_object *rules = text ? nd_usb_parse_udev_rules_n(text, strlen(text)) : NULL;
			for (size_t k = 0; rules && k < json_object_array_length(rules); k++) {
				json_object *r = json_object_get(json_object_array_get_idx(rules, k));
				nd_jset_str(r, "file", path);
				json_object_object_add(r, "lider_ahenk",
				    json_object_new_boolean(strstr(names[i]->d_name, "ahenk") != NULL));
				json_object_array_add(arr, r);
			}
			json_object_put(rules);
			free(text);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return arr;
}

static json_object *
usbguard_facts(void)
{
	const char *file = getenv("NESDOCTOR_USBGUARD_RULES");
	json_object *o = json_object_new_object();
	char *text, *conf, *copy, *cpath;
	bool exists = false;

	if (!file || !*file)
		file = "/etc/usbguard/rules.conf";
	text = nd_read_file(file, ND_POLICY_MAX_FILE, &exists);
	copy = nd_xstrdup(file);
	cpath = nd_asprintf("%s/usbguard-daemon.conf", dirname(copy));
	conf = nd_read_file(cpath, ND_POLICY_MAX_FILE, NULL);
	nd_jset_str(o, "rules_file", file);
	json_object_object_add(o, "rules_file_exists", json_object_new_boolean(exists));
	json_object_object_add(o, "rules_readable", json_object_new_boolean(text != NULL));
	json_object_object_add(o, "daemon_running", json_object_new_boolean(proc_running("usbguard-daemon")));
	/* without the daemon's configuration the packaged default is block */
	nd_jset_str(o, "implicit_policy", usbguard_implicit(conf));
	json_object_object_add(o, "rules", text ? nd_usb_parse_usbguard_rules_n(text, strlen(text)) : json_object_new_array());
	free(text);
	free(conf);
	free(cpath);
	free(copy);
	return o;
}

static json_object *
hub_facts(const char *sysfs)
{
	char *dir = nd_asprintf("%s/bus/usb/devices", sysfs);
	json_object *arr = json_object_new_array();
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, by_name);

	for (int i = 0; i < n; i++) {
		if (strncmp(names[i]->d_name, "usb", 3) == 0 && json_object_array_length(arr) < 64) {
			char *path = nd_asprintf("%s/%s/authorized_default", dir, names[i]->d_name);
			char *s = nd_read_file(path, 16, NULL);
			if (s) {
				json_object *h = json_object_new_object();
				nd_jset_str(h, "hub", names[i]->d_name);
				json_object_object_add(h, "authorized_default", json_object_new_int(atoi(s)));
				json_object_array_add(arr, h);
			}
			free(s);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	return arr;
}

json_object *
nd_usb_policy_collect(const char *sysfs)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "udev_rules", udev_facts());
	json_object_object_add(o, "usbguard", usbguard_facts());
	json_object_object_add(o, "hubs", hub_facts(sysfs));
	return o;
}

/* Does a udev match (op, glob value) hold for the device's attribute? An
 * attribute the device does not have never equals anything. */
static bool
udev_cond(json_object *m, const char *have)
{
	const char *op = nd_jstr(m, "op"), *val = nd_jstr(m, "value");
	bool eq = false;

	if (have && val) {
		/* udev's patterns: shell globs, alternatives split by '|' */
		char *alts = nd_xstrdup(val), *save = NULL;
		for (char *a = strtok_r(alts, "|", &save); a && !eq; a = strtok_r(NULL, "|", &save))
			eq = fnmatch(a, have, 0) == 0;
		free(alts);
	}
	return op && strcmp(op, "!=") == 0 ? !eq : eq;
}

static const char *
dev_attr(json_object *dev, const char *attr, char *buf, size_t bufsz)
{
	const char *id = nd_jstr(dev, "id");

	if (strcmp(attr, "idVendor") == 0 || strcmp(attr, "idProduct") == 0) {
		if (!id || strlen(id) != 9)
			return NULL;
		snprintf(buf, bufsz, "%.4s", id + (attr[2] == 'V' ? 0 : 5));
		return buf;
	}
	return nd_jstr(dev, attr);
}

static bool
udev_matches(json_object *rule, json_object *dev)
{
	json_object *m = nd_jobj(rule, "match");
	bool ok = true;

	json_object_object_foreach(m, attr, cond) {
		char buf[8];
		if (!udev_cond(cond, dev_attr(dev, attr, buf, sizeof buf)))
			ok = false;
	}
	return ok;
}

static bool
any_glob(json_object *list, const char *have)
{
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(list, i));
		if (have && v && fnmatch(v, have, 0) == 0)
			return true;
	}
	return false;
}

static bool
usbguard_matches(json_object *rule, json_object *dev)
{
	json_object *ids = nd_jarr(rule, "id"), *names = nd_jarr(rule, "name");
	json_object *serials = nd_jarr(rule, "serial"), *ifs = nd_jarr(rule, "with_interface");
	json_object *devifs = nd_jarr(dev, "interfaces");

	if (json_object_array_length(ids) && !any_glob(ids, nd_jstr(dev, "id")))
		return false;
	if (json_object_array_length(names) && !any_glob(names, nd_jstr(dev, "product")))
		return false;
	if (json_object_array_length(serials) && !any_glob(serials, nd_jstr(dev, "serial")))
		return false;
	/* an unauthorized device shows no interfaces: only a device whose
	 * interfaces are known can fail to match with-interface */
	if (json_object_array_length(ifs) && devifs && json_object_array_length(devifs)) {
		bool hit = false;
		for (size_t i = 0; i < json_object_array_length(devifs) && !hit; i++) {
			char c[16];
			snprintf(c, sizeof c, "%02x:00:00", (unsigned)nd_jint(json_object_array_get_idx(devifs, i), "class", 0));
			for (size_t k = 0; k < json_object_array_length(ifs) && !hit; k++) {
				const char *v = json_object_get_string(json_object_array_get_idx(ifs, k));
				hit = v && strncasecmp(v, c, 2) == 0;
			}
		}
		if (!hit)
			return false;
	}
	return true;
}

json_object *
nd_usb_policy_for(json_object *policy, json_object *dev)
{
	json_object *o = json_object_new_object(), *udev = NULL, *ug = NULL;
	json_object *rules = nd_jarr(policy, "udev_rules"), *guard = nd_jobj(policy, "usbguard");
	json_object *grules = nd_jarr(guard, "rules");

	/* udev applies every matching rule in order: the last one wins */
	for (size_t i = 0; rules && i < json_object_array_length(rules); i++) {
		json_object *r = json_object_array_get_idx(rules, i);
		if (udev_matches(r, dev))
			udev = r;
	}
	if (udev) {
		json_object *u = json_object_new_object();
		nd_jset_str(u, "file", nd_jstr(udev, "file"));
		json_object_object_add(u, "line", json_object_new_int64(nd_jint(udev, "line", 0)));
		json_object_object_add(u, "authorized", json_object_new_int((int)nd_jint(udev, "authorized", 1)));
		json_object_object_add(u, "lider_ahenk", json_object_new_boolean(nd_jbool(udev, "lider_ahenk", false)));
		nd_jset_str(u, "rule", nd_jstr(udev, "rule"));
		json_object_object_add(o, "udev", u);
	} else {
		json_object_object_add(o, "udev", NULL);
	}
	/* USBGuard: the first matching rule, else the implicit policy */
	if (nd_jbool(guard, "daemon_running", false) || (grules && json_object_array_length(grules))) {
		json_object *g = json_object_new_object();
		for (size_t i = 0; grules && i < json_object_array_length(grules) && !ug; i++)
			if (usbguard_matches(json_object_array_get_idx(grules, i), dev))
				ug = json_object_array_get_idx(grules, i);
		nd_jset_str(g, "target", ug ? nd_jstr(ug, "target") : nd_jstr(guard, "implicit_policy"));
		json_object_object_add(g, "line", ug ? json_object_new_int64(nd_jint(ug, "line", 0)) : NULL);
		nd_jset_str(g, "rule", ug ? nd_jstr(ug, "rule") : NULL);
		json_object_object_add(g, "implicit", json_object_new_boolean(ug == NULL));
		json_object_object_add(o, "usbguard", g);
	} else {
		json_object_object_add(o, "usbguard", NULL);
	}
	return o;
}
