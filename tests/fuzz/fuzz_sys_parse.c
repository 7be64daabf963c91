/* SPDX-License-Identifier: BSD-2-Clause */
/* Every parser of the sys layer on arbitrary bytes: os-release, the output
 * of `pcscd --version`, /proc/PID/status, scdaemon.conf, /proc/1/cgroup,
 * the dotted-version comparison (the input cut at its first newline), and
 * the outputs of `systemctl show` and `loginctl show-session`.
 * Each input goes to every parser, in both forms (bytes, and the C string
 * up to the first NUL), and each answer is held against the parsers as
 * they were before they read through nd_cur (ref_* below, kept as they
 * were in commit 2b6fbc9): the rewrite must answer the same, byte for byte.
 * The two command outputs are held against the readers that were inline
 * in collect.c (as of commit 766927f), the loginctl one with the new
 * 64-byte bound on its strings added. */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "sys/sys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- the reference: the parsers before nd_cur ------------------------ */

static char *
ref_os_value(const char *v, size_t n)
{
	char *out = nd_xcalloc(n + 1, 1);
	size_t k = 0;

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		char q = v[0];
		for (size_t i = 1; i + 1 < n; i++) {
			if (q == '"' && v[i] == '\\' && i + 2 < n)
				i++;
			out[k++] = v[i];
		}
	} else {
		memcpy(out, v, n);
		k = n;
	}
	out[k] = '\0';
	return out;
}

static json_object *
ref_os_release(const char *text)
{
	static const struct { const char *key, *json; } keys[] = {
		{ "ID", "id" }, { "NAME", "name" }, { "VERSION_ID", "version_id" },
		{ "PRETTY_NAME", "pretty_name" }, { "ID_LIKE", "id_like" },
		{ "VERSION_CODENAME", "codename" },
	};
	json_object *o = json_object_new_object();
	const char *id, *like;

	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		json_object_object_add(o, keys[k].json, NULL);
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n'), *eq;
		size_t len = nl ? (size_t)(nl - l) : strlen(l);

		while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
			len--;
		eq = memchr(l, '=', len);
		for (size_t k = 0; eq && k < sizeof keys / sizeof keys[0]; k++)
			if ((size_t)(eq - l) == strlen(keys[k].key) && strncmp(l, keys[k].key, (size_t)(eq - l)) == 0) {
				char *v = ref_os_value(eq + 1, len - (size_t)(eq - l) - 1);
				json_object_object_add(o, keys[k].json, json_object_new_string(v));
				free(v);
			}
		l = nl ? nl + 1 : l + len;
		if (!nl)
			break;
	}
	id = nd_jstr(o, "id");
	like = nd_jstr(o, "id_like");
	if ((id && (!strcmp(id, "debian") || !strcmp(id, "ubuntu") || !strcmp(id, "pardus"))) ||
	    (like && strstr(like, "debian")))
		json_object_object_add(o, "family", json_object_new_string("debian"));
	else
		json_object_object_add(o, "family", NULL);
	return o;
}

static bool
ref_pcscd_version(const char *out, char *ver, size_t versz)
{
	const char *p = out ? strstr(out, "version ") : NULL;
	size_t n = 0;

	if (!p || !versz)
		return false;
	p += strlen("version ");
	while (p[n] && (isdigit((unsigned char)p[n]) || p[n] == '.'))
		n++;
	while (n && p[n - 1] == '.')
		n--;
	if (n == 0 || n >= versz)
		return false;
	memcpy(ver, p, n);
	ver[n] = '\0';
	return true;
}

static long
ref_status_uid(const char *status)
{
	const char *p = status ? strstr(status, "\nUid:") : NULL;
	char *end;
	long real, eff;

	if (!p)
		return -1;
	p += strlen("\nUid:");
	real = strtol(p, &end, 10);
	if (end == p)
		return -1;
	p = end;
	eff = strtol(p, &end, 10);
	return end == p ? real : eff;
}

static void
ref_scdaemon_conf(const char *text, bool *pcsc_shared, bool *disable_ccid)
{
	*pcsc_shared = *disable_ccid = false;
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l), w;

		while (len && isspace((unsigned char)*l)) {
			l++;
			len--;
		}
		for (w = 0; w < len && !isspace((unsigned char)l[w]); w++)
			;
		if (w == strlen("pcsc-shared") && strncmp(l, "pcsc-shared", w) == 0)
			*pcsc_shared = true;
		if (w == strlen("disable-ccid") && strncmp(l, "disable-ccid", w) == 0)
			*disable_ccid = true;
		if (!nl)
			break;
		l = nl + 1;
	}
}

static const char *
ref_cgroup(const char *text)
{
	static const struct { const char *needle, *name; } rt[] = {
		{ "/docker", "docker" }, { "/libpod", "podman" }, { "/lxc", "lxc" },
		{ "/kubepods", "kubernetes" }, { "/machine.slice/systemd-nspawn", "systemd-nspawn" },
	};

	for (size_t i = 0; text && i < sizeof rt / sizeof rt[0]; i++)
		if (strstr(text, rt[i].needle))
			return rt[i].name;
	return NULL;
}

static int
ref_version_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (ea == a && eb == b)
			break;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
	return 0;
}

/* systemctl show, as collect.c read it (unit_word, parse_units, and the
 * enabled/active rules of unit_facts) */
struct ref_unit_state {
	char id[64], load[64], file[64], active[64];
};

static void
ref_unit_word(char *dst, const char *v)
{
	size_t n = strlen(v);

	dst[0] = '\0';
	if (n == 0 || n >= 64)
		return;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)v[i]) && !isdigit((unsigned char)v[i]) && !strchr("-_.@", v[i]))
			return;
	memcpy(dst, v, n + 1);
}

static json_object *
ref_units(const char *out, size_t len, const char *const names[], size_t n, const char *none)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "Id=", offsetof(struct ref_unit_state, id) },
		{ "LoadState=", offsetof(struct ref_unit_state, load) },
		{ "UnitFileState=", offsetof(struct ref_unit_state, file) },
		{ "ActiveState=", offsetof(struct ref_unit_state, active) },
	};
	struct ref_unit_state cur = { 0 }, *st = nd_xcalloc(n ? n : 1, sizeof *st);
	json_object *arr = json_object_new_array();
	struct nd_cur c;
	char line[256];
	bool more = true;

	nd_cur_init_text(&c, out, len);
	while (more) {
		more = nd_cur_line(&c, line, sizeof line, true);
		if (more && *line) {
			for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
				if (strncmp(line, keys[k].key, strlen(keys[k].key)) == 0)
					ref_unit_word((char *)&cur + keys[k].off, line + strlen(keys[k].key));
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (!*st[i].id && *cur.id && strcmp(cur.id, names[i]) == 0)
				st[i] = cur;
		memset(&cur, 0, sizeof cur);
	}
	for (size_t i = 0; i < n; i++) {
		json_object *u = json_object_new_object();
		const char *en = st[i].file;
		if (!*en)
			en = strcmp(st[i].load, "masked") == 0 ? "masked" : none;
		nd_jset_str(u, "enabled", en);
		nd_jset_str(u, "active", *st[i].active ? st[i].active : none);
		json_object_array_add(arr, u);
	}
	free(st);
	return arr;
}

/* loginctl show-session, as collect.c read it, its strings cut to 64
 * bytes and not inside a UTF-8 character */
static json_object *
ref_session_string(const char *v)
{
	size_t n = strlen(v);

	if (n > 64) {
		n = 64;
		if (((unsigned char)v[n] & 0xc0) == 0x80)
			n--;
		if (((unsigned char)v[n] & 0xc0) == 0x80)
			n--;
		if (((unsigned char)v[n] & 0xc0) == 0x80)
			n--;
	}
	return json_object_new_string_len(v, (int)n);
}

static void
ref_session(char *out, json_object *o)
{
	char *save = NULL;

	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "Remote=", 7))
			json_object_object_add(o, "remote", json_object_new_boolean(!strcmp(l + 7, "yes")));
		else if (!strncmp(l, "Active=", 7))
			json_object_object_add(o, "active", json_object_new_boolean(!strcmp(l + 7, "yes")));
		else if (!strncmp(l, "Type=", 5))
			json_object_object_add(o, "logind_type", ref_session_string(l + 5));
		else if (!strncmp(l, "Class=", 6))
			json_object_object_add(o, "logind_class", ref_session_string(l + 6));
	}
}

/* --- the harness ----------------------------------------------------- */

static void
same(bool ok)
{
	if (!ok)
		abort();   /* the rewrite answered differently */
}

/* Two names of a runtime (each side has its own copy of the literals). */
static bool
same_name(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static void
os_release(const uint8_t *data, size_t size, const char *s)
{
	json_object *a = nd_sys_parse_os_release_n(data, size), *b = nd_sys_parse_os_release(s),
	    *r = ref_os_release(s);
	char *ja = nd_xstrdup(json_object_to_json_string(a));

	same(strcmp(ja, json_object_to_json_string(b)) == 0);
	same(strcmp(ja, json_object_to_json_string(r)) == 0);
	free(ja);
	json_object_put(a);
	json_object_put(b);
	json_object_put(r);
}

/* the start-up message in a program file, the plain way */
static bool
ref_pcscd_binary(const uint8_t *p, size_t n, char *ver, size_t versz)
{
	static const char head[] = "pcsc-lite ", tail[] = " daemon ready.";

	for (size_t i = 0; versz && i + sizeof head - 1 <= n; i++) {
		size_t v = i + sizeof head - 1, k = 0;
		if (memcmp(p + i, head, sizeof head - 1) != 0)
			continue;
		while (v + k < n && (isdigit(p[v + k]) || p[v + k] == '.'))
			k++;
		if (k && isdigit(p[v]) && k < versz && n - (v + k) >= sizeof tail - 1 &&
		    memcmp(p + v + k, tail, sizeof tail - 1) == 0) {
			memcpy(ver, p + v, k);
			ver[k] = '\0';
			return true;
		}
	}
	return false;
}

static void
small(const uint8_t *data, size_t size, const char *s)
{
	char v1[24], v2[24];
	size_t versz = size % sizeof v1;   /* 0 too: no room at all */
	bool sh1, cc1, sh2, cc2;
	bool f1 = nd_sys_parse_pcscd_version_n(data, size, v1, versz);
	bool f2 = ref_pcscd_version(s, v2, versz);

	same(f1 == f2 && (!f1 || strcmp(v1, v2) == 0));
	same(f1 == nd_sys_parse_pcscd_version(s, v2, versz) && (!f1 || strcmp(v1, v2) == 0));
	f1 = nd_sys_parse_pcscd_binary(data, size, v1, versz);
	f2 = ref_pcscd_binary(data, size, v2, versz);
	same(f1 == f2 && (!f1 || strcmp(v1, v2) == 0));
	same(nd_sys_parse_status_uid_n(data, size) == ref_status_uid(s));
	same(nd_sys_parse_status_uid(s) == ref_status_uid(s));
	nd_sys_parse_scdaemon_conf_n(data, size, &sh1, &cc1);
	ref_scdaemon_conf(s, &sh2, &cc2);
	same(sh1 == sh2 && cc1 == cc2);
	same(same_name(nd_sys_parse_cgroup_n(data, size), ref_cgroup(s)));
	same(same_name(nd_sys_parse_cgroup(s), ref_cgroup(s)));
}

/* Two JSON values printed the same; puts both. */
static void
same_json(json_object *a, json_object *b)
{
	same(strcmp(json_object_to_json_string(a), json_object_to_json_string(b)) == 0);
	json_object_put(a);
	json_object_put(b);
}

static void
units(const uint8_t *data, size_t size, const char *s)
{
	/* the collector's two units, and a short name the fuzzer finds soon */
	static const char *const names[] = { "pcscd.socket", "pcscd.service", "a" };
	const char *none = size % 2 ? "timeout" : "unknown";

	same_json(nd_sys_parse_units_n(data, size, names, 3, none), ref_units(s, strlen(s), names, 3, none));
	same_json(nd_sys_parse_units_n(s, strlen(s), names, 3, none), ref_units(s, strlen(s), names, 3, none));
	same_json(nd_sys_parse_units_n(data, size, names, 0, none), json_object_new_array());
}

static json_object *
session_base(void)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "user", json_object_new_string("u"));
	json_object_object_add(o, "remote", NULL);
	json_object_object_add(o, "active", NULL);
	return o;
}

static void
session(const uint8_t *data, size_t size, const char *s)
{
	json_object *a = session_base(), *b = session_base(), *r = session_base();
	char *t = nd_xstrdup(s);

	nd_sys_parse_session_n(data, size, a);
	nd_sys_parse_session_n(s, strlen(s), b);
	ref_session(t, r);
	same(strcmp(json_object_to_json_string(a), json_object_to_json_string(r)) == 0);
	same_json(b, r);
	json_object_put(a);
	free(t);
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static void
versions(char *s)
{
	char *b = strchr(s, '\n');

	if (b)
		*b++ = '\0';
	else
		b = s + strlen(s);
	same(sign(nd_sys_version_cmp(s, b)) == sign(ref_version_cmp(s, b)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = nd_xcalloc(size + 1, 1);

	if (size)
		memcpy(s, data, size);
	os_release(data, size, s);
	small(data, size, s);
	units(data, size, s);
	session(data, size, s);
	versions(s);
	free(s);
	return 0;
}
