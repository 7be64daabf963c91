/* SPDX-License-Identifier: BSD-2-Clause */
/* Pure parsers of the sys layer (system files and command outputs). Each
 * reads the bytes through a bounded cursor (core/buf.h); the text ends at
 * its end or at its first NUL, as a C string would, so the byte and the
 * C-string forms of a parser give the same answer. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "sys/sys.h"

/* The next line (without its '\n'); false at the end of the text. */
static bool
next_line(struct nd_cur *c, const uint8_t **line, size_t *len)
{
	const uint8_t *nl;

	*line = NULL;
	if (!nd_cur_left(c))
		return false;
	nl = memchr(c->p, '\n', nd_cur_left(c));
	*len = nl ? (size_t)(nl - c->p) : nd_cur_left(c);
	nd_cur_view(c, line, *len);
	if (nl)
		nd_cur_take(c, NULL, 1);
	return true;
}

/* Move the cursor to just after the first `needle`; false when absent. */
static bool
skip_past(struct nd_cur *c, const char *needle)
{
	size_t k = strlen(needle);
	const uint8_t *at = nd_cur_left(c) ? memmem(c->p, nd_cur_left(c), needle, k) : NULL;

	return at && nd_cur_take(c, NULL, (size_t)(at - c->p) + k);
}

static bool
cur_peek(const struct nd_cur *c, uint8_t *b)
{
	if (!nd_cur_left(c))
		return false;
	*b = c->p[0];
	return true;
}

/* A decimal number as strtol reads it (blanks, a sign, digits; clamped to
 * LONG_MIN..LONG_MAX). False, with the cursor unmoved, when there is none. */
static bool
cur_long(struct nd_cur *c, long *v)
{
	struct nd_cur t = *c;
	unsigned long acc = 0, lim;
	bool neg = false, any = false, over = false;
	uint8_t b;

	while (cur_peek(&t, &b) && isspace(b))
		nd_cur_take(&t, NULL, 1);
	if (cur_peek(&t, &b) && (b == '+' || b == '-')) {
		neg = b == '-';
		nd_cur_take(&t, NULL, 1);
	}
	lim = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	while (cur_peek(&t, &b) && isdigit(b)) {
		unsigned d = (unsigned)(b - '0');
		if (acc > (lim - d) / 10)
			over = true;
		else
			acc = acc * 10 + d;
		any = true;
		nd_cur_take(&t, NULL, 1);
	}
	if (!any)
		return false;
	if (over)
		acc = lim;
	*v = neg ? (acc ? -(long)(acc - 1) - 1 : 0) : (long)acc;
	*c = t;
	return true;
}

/* One os-release value: unquote "..." (with \-escapes) or '...'. */
static char *
os_value(const uint8_t *v, size_t n)
{
	char *out = nd_xcalloc(n + 1, 1);
	size_t k = 0;

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		uint8_t q = v[0];
		for (size_t i = 1; i + 1 < n; i++) {
			if (q == '"' && v[i] == '\\' && i + 2 < n)
				i++;
			out[k++] = (char)v[i];
		}
	} else {
		memcpy(out, v, n);
		k = n;
	}
	out[k] = '\0';
	return out;
}

static const struct { const char *key, *json; } os_keys[] = {
	{ "ID", "id" }, { "NAME", "name" }, { "VERSION_ID", "version_id" },
	{ "PRETTY_NAME", "pretty_name" }, { "ID_LIKE", "id_like" },
	{ "VERSION_CODENAME", "codename" },
};

/* One KEY=value line: set the key's field when it is one we keep. */
static void
os_line(json_object *o, const uint8_t *l, size_t len)
{
	const uint8_t *eq;
	size_t kn;

	while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
		len--;
	if ((eq = memchr(l, '=', len)) == NULL)
		return;
	kn = (size_t)(eq - l);
	for (size_t k = 0; k < sizeof os_keys / sizeof os_keys[0]; k++)
		if (kn == strlen(os_keys[k].key) && memcmp(l, os_keys[k].key, kn) == 0) {
			char *v = os_value(eq + 1, len - kn - 1);
			json_object_object_add(o, os_keys[k].json, json_object_new_string(v));
			free(v);
		}
}

json_object *
nd_sys_parse_os_release_n(const void *p, size_t n)
{
	json_object *o = json_object_new_object();
	const char *id, *like;
	const uint8_t *l = NULL;
	struct nd_cur c;
	size_t len;

	for (size_t k = 0; k < sizeof os_keys / sizeof os_keys[0]; k++)
		json_object_object_add(o, os_keys[k].json, NULL);
	nd_cur_init_text(&c, p, n);
	while (next_line(&c, &l, &len))
		os_line(o, l, len);
	id = nd_jstr(o, "id");
	like = nd_jstr(o, "id_like");
	/* Pardus, Ubuntu and the rest of the Debian family share packages,
	 * paths and remedies (apt, libccid, pcscd) */
	if ((id && (!strcmp(id, "debian") || !strcmp(id, "ubuntu") || !strcmp(id, "pardus"))) ||
	    (like && strstr(like, "debian")))
		json_object_object_add(o, "family", json_object_new_string("debian"));
	else
		json_object_object_add(o, "family", NULL);
	return o;
}

json_object *
nd_sys_parse_os_release(const char *text)
{
	return nd_sys_parse_os_release_n(text, text ? strlen(text) : 0);
}

bool
nd_sys_parse_pcscd_version_n(const void *p, size_t n, char *ver, size_t versz)
{
	const uint8_t *v;
	struct nd_cur c;
	size_t k = 0;

	nd_cur_init_text(&c, p, n);
	if (!versz || !skip_past(&c, "version "))
		return false;
	v = c.p;
	while (k < nd_cur_left(&c) && (isdigit(v[k]) || v[k] == '.'))
		k++;
	while (k && v[k - 1] == '.')   /* "1.9.9." ends a sentence */
		k--;
	if (k == 0 || k >= versz)
		return false;
	nd_cur_take(&c, ver, k);
	ver[k] = '\0';
	return true;
}

bool
nd_sys_parse_pcscd_binary(const void *p, size_t n, char *ver, size_t versz)
{
	static const char head[] = "pcsc-lite ", tail[] = " daemon ready.";
	const uint8_t *at = p, *end = at ? at + n : NULL;

	while (versz && at && (at = memmem(at, (size_t)(end - at), head, sizeof head - 1)) != NULL) {
		const uint8_t *v = at + sizeof head - 1;
		size_t k = 0;

		while (v + k < end && (isdigit(v[k]) || v[k] == '.'))
			k++;
		if (k && isdigit(v[0]) && k < versz && (size_t)(end - (v + k)) >= sizeof tail - 1 &&
		    memcmp(v + k, tail, sizeof tail - 1) == 0) {
			memcpy(ver, v, k);
			ver[k] = '\0';
			return true;
		}
		at = v;
	}
	return false;
}

bool
nd_sys_parse_pcscd_version(const char *out, char *ver, size_t versz)
{
	return nd_sys_parse_pcscd_version_n(out, out ? strlen(out) : 0, ver, versz);
}

long
nd_sys_parse_status_uid_n(const void *p, size_t n)
{
	struct nd_cur c;
	long real, eff;

	nd_cur_init_text(&c, p, n);
	/* the real uid, then the effective one (Uid: real eff saved fs) */
	if (!skip_past(&c, "\nUid:") || !cur_long(&c, &real))
		return -1;
	return cur_long(&c, &eff) ? eff : real;
}

long
nd_sys_parse_status_uid(const char *status)
{
	return nd_sys_parse_status_uid_n(status, status ? strlen(status) : 0);
}

static bool
word_is(const uint8_t *w, size_t n, const char *name)
{
	return n == strlen(name) && memcmp(w, name, n) == 0;
}

void
nd_sys_parse_scdaemon_conf_n(const void *p, size_t n, bool *pcsc_shared, bool *disable_ccid)
{
	const uint8_t *l = NULL;
	struct nd_cur c;
	size_t len, w;

	*pcsc_shared = *disable_ccid = false;
	nd_cur_init_text(&c, p, n);
	while (next_line(&c, &l, &len)) {
		/* an option is the first word of its line ("# x" is a comment) */
		while (len && isspace(*l)) {
			l++;
			len--;
		}
		for (w = 0; w < len && !isspace(l[w]); w++)
			;
		if (word_is(l, w, "pcsc-shared"))
			*pcsc_shared = true;
		if (word_is(l, w, "disable-ccid"))
			*disable_ccid = true;
	}
}

void
nd_sys_parse_scdaemon_conf(const char *text, bool *pcsc_shared, bool *disable_ccid)
{
	nd_sys_parse_scdaemon_conf_n(text, text ? strlen(text) : 0, pcsc_shared, disable_ccid);
}

const char *
nd_sys_parse_cgroup_n(const void *p, size_t n)
{
	static const struct { const char *needle, *name; } rt[] = {
		{ "/docker", "docker" }, { "/libpod", "podman" }, { "/lxc", "lxc" },
		{ "/kubepods", "kubernetes" }, { "/machine.slice/systemd-nspawn", "systemd-nspawn" },
	};

	for (size_t i = 0; p && i < sizeof rt / sizeof rt[0]; i++) {
		struct nd_cur c;

		nd_cur_init_text(&c, p, n);
		if (skip_past(&c, rt[i].needle))
			return rt[i].name;
	}
	return NULL;
}

const char *
nd_sys_parse_cgroup(const char *text)
{
	return nd_sys_parse_cgroup_n(text, text ? strlen(text) : 0);
}

int
nd_sys_version_cmp(const char *a, const char *b)
{
	struct nd_cur ca, cb;

	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	nd_cur_init_text(&ca, a, strlen(a));
	nd_cur_init_text(&cb, b, strlen(b));
	while (nd_cur_left(&ca) || nd_cur_left(&cb)) {
		long x = 0, y = 0;
		bool na = cur_long(&ca, &x), nb = cur_long(&cb, &y);
		uint8_t d;

		if (x != y)
			return x < y ? -1 : 1;
		if (!na && !nb)
			break;   /* no more numbers on either side ("~rc1") */
		if (cur_peek(&ca, &d) && d == '.')
			nd_cur_take(&ca, NULL, 1);
		if (cur_peek(&cb, &d) && d == '.')
			nd_cur_take(&cb, NULL, 1);
	}
	return 0;
}

/* --- systemctl show ----------------------------------------------------- */

#define ND_SYS_UNIT_WORD 64   /* a unit name or state word, with its NUL */

/* One unit's words as `systemctl show` gives them (empty: not said). */
enum { UNIT_ID, UNIT_LOAD, UNIT_FILE, UNIT_ACTIVE, UNIT_NKEYS };
struct unit_state {
	char w[UNIT_NKEYS][ND_SYS_UNIT_WORD];
};

/* A value kept only when it is a unit name or a systemd state word
 * ("enabled", "not-found", "pcscd.socket"): the bytes come from outside,
 * anything else is dropped and the field left empty. The letters are
 * spelled out rather than asked of islower(), whose answer for bytes over
 * 127 depends on the locale. */
static void
unit_word(char *dst, const uint8_t *v, size_t n)
{
	dst[0] = '\0';
	if (n == 0 || n >= ND_SYS_UNIT_WORD)
		return;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] >= 'a' && v[i] <= 'z') && !(v[i] >= '0' && v[i] <= '9') && !memchr("-_.@", v[i], 4))
			return;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

json_object *
nd_sys_parse_units_n(const void *p, size_t n, const char *const *units, size_t nunits, const char *none)
{
	static const char *const keys[UNIT_NKEYS] = { "Id=", "LoadState=", "UnitFileState=", "ActiveState=" };
	struct unit_state cur = { 0 }, *st = nd_xcalloc(nunits ? nunits : 1, sizeof *st);
	json_object *arr = json_object_new_array();
	const uint8_t *l = NULL;
	struct nd_cur c;
	size_t len;
	bool more;

	/* one block of KEY=VALUE lines per unit, blocks apart by a blank
	 * line; a block goes to its unit by its Id= (not by its place), the
	 * first block for a unit counts, the last line for a key in it */
	nd_cur_init_text(&c, p, n);
	do {
		more = next_line(&c, &l, &len);
		if (more && len && l[len - 1] == '\r')
			len--;
		if (more && len) {
			for (size_t k = 0; k < UNIT_NKEYS; k++) {
				size_t kn = strlen(keys[k]);
				if (len >= kn && memcmp(l, keys[k], kn) == 0)
					unit_word(cur.w[k], l + kn, len - kn);
			}
			continue;
		}
		/* a blank line or the end closes a block */
		for (size_t i = 0; i < nunits; i++)
			if (!*st[i].w[UNIT_ID] && *cur.w[UNIT_ID] && strcmp(cur.w[UNIT_ID], units[i]) == 0)
				st[i] = cur;
		memset(&cur, 0, sizeof cur);
	} while (more);
	/* what `systemctl is-enabled` and `is-active` print: a unit with no
	 * UnitFileState is "masked" when its LoadState says so */
	for (size_t i = 0; i < nunits; i++) {
		json_object *u = json_object_new_object();
		const char *en = st[i].w[UNIT_FILE], *act = st[i].w[UNIT_ACTIVE];

		if (!*en)
			en = strcmp(st[i].w[UNIT_LOAD], "masked") == 0 ? "masked" : none;
		nd_jset_str(u, "enabled", en);
		nd_jset_str(u, "active", *act ? act : none);
		json_object_array_add(arr, u);
	}
	free(st);
	return arr;
}

/* --- loginctl show-session ---------------------------------------------- */

#define ND_SYS_SESSION_VALUE 64   /* bytes kept of a Type= or Class= value */

/* The value after `key` when the line starts with it. */
static bool
line_key(const uint8_t *l, size_t len, const char *key, const uint8_t **v, size_t *vn)
{
	size_t kn = strlen(key);

	if (len < kn || memcmp(l, key, kn) != 0)
		return false;
	*v = l + kn;
	*vn = len - kn;
	return true;
}

/* A string value cut to ND_SYS_SESSION_VALUE bytes, and not inside a
 * UTF-8 character (at most three continuation bytes are given back). */
static json_object *
session_string(const uint8_t *v, size_t n)
{
	if (n > ND_SYS_SESSION_VALUE) {
		n = ND_SYS_SESSION_VALUE;
		for (int k = 0; k < 3 && n && (v[n] & 0xc0) == 0x80; k++)
			n--;
	}
	return json_object_new_string_len((const char *)v, (int)n);
}

void
nd_sys_parse_session_n(const void *p, size_t n, json_object *o)
{
	const uint8_t *l = NULL, *v;
	struct nd_cur c;
	size_t len, vn;

	nd_cur_init_text(&c, p, n);
	while (next_line(&c, &l, &len)) {
		/* the last line for a key counts; "yes\r" is not "yes" */
		if (line_key(l, len, "Remote=", &v, &vn))
			json_object_object_add(o, "remote", json_object_new_boolean(vn == 3 && !memcmp(v, "yes", 3)));
		else if (line_key(l, len, "Active=", &v, &vn))
			json_object_object_add(o, "active", json_object_new_boolean(vn == 3 && !memcmp(v, "yes", 3)));
		else if (line_key(l, len, "Type=", &v, &vn))
			json_object_object_add(o, "logind_type", session_string(v, vn));
		else if (line_key(l, len, "Class=", &v, &vn))
			json_object_object_add(o, "logind_class", session_string(v, vn));
	}
}
