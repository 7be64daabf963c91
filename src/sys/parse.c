/* Pure parsers of the sys layer (system files and command outputs). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sys/sys.h"

/* One os-release value: unquote "..." (with \-escapes) or '...'. */
static char *
os_value(const char *v, size_t n)
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

json_object *
nd_sys_parse_os_release(const char *text)
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
				char *v = os_value(eq + 1, len - (size_t)(eq - l) - 1);
				json_object_object_add(o, keys[k].json, json_object_new_string(v));
				free(v);
			}
		l = nl ? nl + 1 : l + len;
		if (!nl)
			break;
	}
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

bool
nd_sys_parse_pcscd_version(const char *out, char *ver, size_t versz)
{
	const char *p = out ? strstr(out, "version ") : NULL;
	size_t n = 0;

	if (!p || !versz)
		return false;
	p += strlen("version ");
	while (p[n] && (isdigit((unsigned char)p[n]) || p[n] == '.'))
		n++;
	while (n && p[n - 1] == '.')   /* "1.9.9." ends a sentence */
		n--;
	if (n == 0 || n >= versz)
		return false;
	memcpy(ver, p, n);
	ver[n] = '\0';
	return true;
}

long
nd_sys_parse_status_uid(const char *status)
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

void
nd_sys_parse_scdaemon_conf(const char *text, bool *pcsc_shared, bool *disable_ccid)
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

const char *
nd_sys_parse_cgroup(const char *text)
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

int
nd_sys_version_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (ea == a && eb == b)
			break;   /* no more numbers on either side ("~rc1") */
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
	return 0;
}
