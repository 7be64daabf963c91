/* SPDX-License-Identifier: BSD-2-Clause */
/* The sys layer's parsers of outside texts (os-release, pcscd's version,
 * /proc status, scdaemon.conf, cgroups, the outputs of `systemctl show` and
 * `loginctl show-session`). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/util.h"
#include "sys/sys.h"

static void
os_release(void **state)
{
	json_object *o;

	(void)state;
	o = nd_sys_parse_os_release("PRETTY_NAME=\"Pardus 23.2\"\nNAME=\"Pardus\"\nVERSION_ID=\"23.2\"\n"
	    "ID=pardus\nID_LIKE=debian\r\n# comment\nHOME_URL=\"https://pardus.org.tr/\"");
	assert_string_equal(nd_jstr(o, "id"), "pardus");
	assert_string_equal(nd_jstr(o, "version_id"), "23.2");
	assert_string_equal(nd_jstr(o, "pretty_name"), "Pardus 23.2");
	assert_string_equal(nd_jstr(o, "family"), "debian");
	json_object_put(o);
	o = nd_sys_parse_os_release("NAME='Ubuntu'\nID=ubuntu\nVERSION_ID=\"22.04\"\nPRETTY_NAME=\"Ubuntu \\\"Jammy\\\"\"");
	assert_string_equal(nd_jstr(o, "name"), "Ubuntu");
	assert_string_equal(nd_jstr(o, "pretty_name"), "Ubuntu \"Jammy\"");
	assert_string_equal(nd_jstr(o, "family"), "debian");
	json_object_put(o);
	o = nd_sys_parse_os_release("ID=fedora\nIDX=debian\nID_LIKE=\"rhel centos\"");
	assert_null(nd_jstr(o, "family"));
	assert_null(nd_jstr(o, "version_id"));
	json_object_put(o);
	o = nd_sys_parse_os_release("");
	assert_null(nd_jstr(o, "id"));
	json_object_put(o);
}

static void
sys_small_parsers(void **state)
{
	char v[16];
	bool shared, noccid;

	(void)state;
	assert_true(nd_sys_parse_pcscd_version("pcsc-lite version 1.9.9.\nCopyright (C)", v, sizeof v));
	assert_string_equal(v, "1.9.9");
	assert_true(nd_sys_parse_pcscd_version("pcsc-lite version 2.3.0", v, sizeof v));
	assert_string_equal(v, "2.3.0");
	assert_false(nd_sys_parse_pcscd_version("usage: pcscd", v, sizeof v));
	assert_false(nd_sys_parse_pcscd_version("version 1.2.3.4.5.6.7.8.9.10.11", v, 8));
	/* from the program file's bytes: the start-up message, NULs around it,
	 * other "pcsc-lite" strings before it passed over */
	{
		static const char bin[] = "\177ELF\0\0pcsc-lite\0%s version %s.\0pcsc-lite 9\0"
		    "%s:%d:%s() pcsc-lite 1.9.9 daemon ready.\0pcsc-lite 2.0 daemon ready.";
		assert_true(nd_sys_parse_pcscd_binary(bin, sizeof bin - 1, v, sizeof v));
		assert_string_equal(v, "1.9.9");
		assert_false(nd_sys_parse_pcscd_binary(bin, 40, v, sizeof v));
		/* cut inside the tail, too long for the room, no digit, nothing */
		assert_false(nd_sys_parse_pcscd_binary("pcsc-lite 2.0 daemon rea", 24, v, sizeof v));
		assert_false(nd_sys_parse_pcscd_binary("pcsc-lite 2.0.0 daemon ready.", 29, v, 5));
		assert_true(nd_sys_parse_pcscd_binary("pcsc-lite 2.0.0 daemon ready.", 29, v, 6));
		assert_string_equal(v, "2.0.0");
		assert_false(nd_sys_parse_pcscd_binary("pcsc-lite . daemon ready.", 25, v, sizeof v));
		assert_false(nd_sys_parse_pcscd_binary("pcsc-lite  daemon ready.", 24, v, sizeof v));
		assert_false(nd_sys_parse_pcscd_binary(NULL, 0, v, sizeof v));
		assert_false(nd_sys_parse_pcscd_binary("pcsc-lite 1 daemon ready.", 25, v, 0));
	}
	assert_int_equal(nd_sys_parse_status_uid("Name:\tpcscd\nUid:\t110\t111\t111\t111\nGid:\t1"), 111);
	assert_int_equal(nd_sys_parse_status_uid("Name:\tx\n"), -1);
	nd_sys_parse_scdaemon_conf("# disable-ccid\n  pcsc-shared\ndisable-ccidx\n", &shared, &noccid);
	assert_true(shared);
	assert_false(noccid);
	nd_sys_parse_scdaemon_conf("disable-ccid\npcsc-shared", &shared, &noccid);
	assert_true(shared && noccid);
	assert_string_equal(nd_sys_parse_cgroup("0::/system.slice/docker-abc.scope"), "docker");
	assert_null(nd_sys_parse_cgroup("0::/init.scope"));
	assert_true(nd_sys_version_cmp("1.9.9", "2.4.0") < 0);
	assert_true(nd_sys_version_cmp("2.4.0", "2.4") == 0);
	assert_true(nd_sys_version_cmp("2.10", "2.9") > 0);
	assert_true(nd_sys_version_cmp("1.9.9~rc1", "1.9.9") == 0);
}

/* Edge inputs of the sys parsers: no newline at the end, a NUL inside (the
 * text ends there, in both forms), very long lines, quotes in os-release. */
static void
sys_parse_edges(void **state)
{
	static const char nul_os[] = "NAME=x\nID=fe\0dora\nVERSION_ID=1\n";
	size_t big = 100000;
	char *longv = malloc(big + 64), v[16];
	json_object *o;
	bool shared, noccid;

	(void)state;
	/* no trailing newline */
	o = nd_sys_parse_os_release("NAME=x\nID=debian");
	assert_string_equal(nd_jstr(o, "id"), "debian");
	json_object_put(o);
	nd_sys_parse_scdaemon_conf("# x\n\tpcsc-shared", &shared, &noccid);
	assert_true(shared);
	assert_int_equal(nd_sys_parse_status_uid("Name:\tx\nUid:\t7"), 7);
	assert_string_equal(nd_sys_parse_cgroup("0::/lxc"), "lxc");
	/* a NUL inside: the text ends at it */
	o = nd_sys_parse_os_release_n(nul_os, sizeof nul_os - 1);
	assert_string_equal(nd_jstr(o, "id"), "fe");
	assert_string_equal(nd_jstr(o, "name"), "x");
	assert_null(nd_jstr(o, "version_id"));
	json_object_put(o);
	nd_sys_parse_scdaemon_conf_n("#\0\npcsc-shared\n", 15, &shared, &noccid);
	assert_false(shared);
	assert_int_equal(nd_sys_parse_status_uid_n("Name:\0\nUid:\t5 6", 15), -1);
	assert_int_equal(nd_sys_parse_status_uid_n("\nUid:\t5\0 6", 12), 5);
	assert_null(nd_sys_parse_cgroup_n("0::/\0docker", 11));
	assert_false(nd_sys_parse_pcscd_version_n("version \0" "1.2", 12, v, sizeof v));
	assert_true(nd_sys_parse_pcscd_version_n("version 1.2\0" "3", 13, v, sizeof v));
	assert_string_equal(v, "1.2");
	assert_null(nd_sys_parse_cgroup_n(NULL, 5));
	/* very long lines: read whole, nothing cut */
	assert_non_null(longv);
	memcpy(longv, "PRETTY_NAME=\"", 13);
	memset(longv + 13, 'a', big);
	strcpy(longv + 13 + big, "\"\nID=ubuntu");
	o = nd_sys_parse_os_release(longv);
	assert_int_equal(strlen(nd_jstr(o, "pretty_name")), big);
	assert_string_equal(nd_jstr(o, "family"), "debian");
	json_object_put(o);
	memset(longv, ' ', big);
	strcpy(longv + big, "\nUid:\t1000\t1001\n");
	assert_int_equal(nd_sys_parse_status_uid(longv), 1001);
	longv[0] = 'x';   /* one long line whose first word is x */
	strcpy(longv + big, "pcsc-shared\n");
	nd_sys_parse_scdaemon_conf(longv, &shared, &noccid);
	assert_false(shared);
	longv[big - 1] = '\n';
	nd_sys_parse_scdaemon_conf(longv, &shared, &noccid);
	assert_true(shared);
	assert_int_equal(nd_sys_parse_status_uid("\nUid:\t99999999999999999999999"), LONG_MAX);
	/* quotes in os-release values */
	o = nd_sys_parse_os_release("NAME=\"Debian\nID=\"\\\"\nVERSION_ID='it''s'\n"
	    "PRETTY_NAME=\"a \\\"b\\\" \\\\ c\" \r\nID_LIKE=\"\"\nVERSION_CODENAME='x\\'");
	assert_string_equal(nd_jstr(o, "name"), "\"Debian");          /* unbalanced: kept */
	assert_string_equal(nd_jstr(o, "id"), "\\");                 /* "\" : a lone backslash */
	assert_string_equal(nd_jstr(o, "version_id"), "it''s");       /* no escapes in '...' */
	assert_string_equal(nd_jstr(o, "pretty_name"), "a \"b\" \\ c");
	assert_string_equal(nd_jstr(o, "id_like"), "");
	assert_string_equal(nd_jstr(o, "codename"), "x\\");
	assert_null(nd_jstr(o, "family"));
	json_object_put(o);
	free(longv);
}

static const char *const unit_names[] = { "pcscd.socket", "pcscd.service" };

/* The units' {enabled, active} from `systemctl show` output of n bytes. */
static void
units_are(const char *text, size_t n, const char *s_en, const char *s_act, const char *v_en, const char *v_act)
{
	json_object *a = nd_sys_parse_units_n(text, n, unit_names, 2, "unknown");

	assert_int_equal(json_object_array_length(a), 2);
	assert_string_equal(nd_jstr(json_object_array_get_idx(a, 0), "enabled"), s_en);
	assert_string_equal(nd_jstr(json_object_array_get_idx(a, 0), "active"), s_act);
	assert_string_equal(nd_jstr(json_object_array_get_idx(a, 1), "enabled"), v_en);
	assert_string_equal(nd_jstr(json_object_array_get_idx(a, 1), "active"), v_act);
	json_object_put(a);
}

#define UNITS(text, ...) units_are(text, sizeof text - 1, __VA_ARGS__)

static void
systemctl_show(void **state)
{
	json_object *a;

	(void)state;
	/* as systemd 252 prints it */
	UNITS("Id=pcscd.socket\nLoadState=loaded\nUnitFileState=enabled\nActiveState=active\n\n"
	    "Id=pcscd.service\nLoadState=loaded\nUnitFileState=indirect\nActiveState=inactive\n",
	    "enabled", "active", "indirect", "inactive");
	/* blocks in any order, properties in any order, no newline at the end */
	UNITS("ActiveState=inactive\nId=pcscd.service\nUnitFileState=disabled\nLoadState=loaded\n\n"
	    "LoadState=loaded\nActiveState=active\nUnitFileState=static\nId=pcscd.socket",
	    "static", "active", "disabled", "inactive");
	/* masked by LoadState alone; not found: no UnitFileState (unknown) */
	UNITS("Id=pcscd.socket\nLoadState=masked\nUnitFileState=\nActiveState=inactive\n\n"
	    "Id=pcscd.service\nLoadState=not-found\nUnitFileState=\nActiveState=inactive\n",
	    "masked", "inactive", "unknown", "inactive");
	/* a block of another unit, and a second block for a unit: the first
	 * block for a unit counts, the last line for a key in a block */
	UNITS("Id=pcscd.socket.bak\nUnitFileState=masked\n\nId=pcscd.socket\nUnitFileState=enabled\n"
	    "ActiveState=failed\nActiveState=active\n\nId=pcscd.socket\nUnitFileState=disabled\n",
	    "enabled", "active", "unknown", "unknown");
	/* blank lines around, several in a row */
	UNITS("\n\nId=pcscd.service\nActiveState=active\n\n\n\nId=pcscd.socket\nActiveState=activating\n\n",
	    "unknown", "activating", "unknown", "active");
	/* a block with no Id= goes nowhere */
	UNITS("UnitFileState=enabled\nActiveState=active\n\nId=pcscd.socket\n",
	    "unknown", "unknown", "unknown", "unknown");
	/* nothing to read: every field is `none` */
	a = nd_sys_parse_units_n(NULL, 0, unit_names, 2, "timeout");
	assert_string_equal(nd_jstr(json_object_array_get_idx(a, 0), "enabled"), "timeout");
	assert_string_equal(nd_jstr(json_object_array_get_idx(a, 1), "active"), "timeout");
	json_object_put(a);
	a = nd_sys_parse_units_n("Id=pcscd.socket\n", 16, unit_names, 0, "unknown");
	assert_int_equal(json_object_array_length(a), 0);
	json_object_put(a);
}

static void
systemctl_show_hostile(void **state)
{
	char big[512];

	(void)state;
	/* a NUL inside: the text ends there, in the block it cuts */
	UNITS("Id=pcscd.socket\nUnitFileState=enabled\0\nActiveState=active\n\nId=pcscd.service\nActiveState=active\n",
	    "enabled", "unknown", "unknown", "unknown");
	UNITS("Id=pcscd.sock\0et\nUnitFileState=enabled\n", "unknown", "unknown", "unknown", "unknown");
	/* control characters, capitals, blanks, quotes: not state words; a
	 * bad value for a key drops the good one before it */
	UNITS("Id=pcscd.socket\nUnitFileState=ena\033bled\nActiveState=active\x7f\n\n"
	    "Id=pcscd.service\nUnitFileState=Enabled\nActiveState=active\nActiveState=\"active\"\n",
	    "unknown", "unknown", "unknown", "unknown");
	UNITS("Id=pcscd.socket\nUnitFileState= enabled\nActiveState=active \n\nId= pcscd.service\nActiveState=active\n",
	    "unknown", "unknown", "unknown", "unknown");
	/* every allowed character, and a unit named with them */
	{
		static const char *const odd[] = { "a-b_c.d@0-9.z" };
		static const char t[] = "Id=a-b_c.d@0-9.z\nUnitFileState=x-y_z.0@9\nActiveState=q\n";
		json_object *a = nd_sys_parse_units_n(t, sizeof t - 1, odd, 1, "unknown");
		assert_string_equal(nd_jstr(json_object_array_get_idx(a, 0), "enabled"), "x-y_z.0@9");
		assert_string_equal(nd_jstr(json_object_array_get_idx(a, 0), "active"), "q");
		json_object_put(a);
	}
	/* values of 63 bytes are kept, of 64 and of 200 dropped */
	snprintf(big, sizeof big, "Id=pcscd.socket\nUnitFileState=%063d\nActiveState=%064d\n\n"
	    "Id=pcscd.service\nUnitFileState=%0200d\nActiveState=active\n", 0, 0, 0);
	{
		json_object *a = nd_sys_parse_units_n(big, strlen(big), unit_names, 2, "unknown");
		const char *en = nd_jstr(json_object_array_get_idx(a, 0), "enabled");
		assert_int_equal(strlen(en), 63);
		assert_string_equal(nd_jstr(json_object_array_get_idx(a, 0), "active"), "unknown");
		assert_string_equal(nd_jstr(json_object_array_get_idx(a, 1), "enabled"), "unknown");
		assert_string_equal(nd_jstr(json_object_array_get_idx(a, 1), "active"), "active");
		json_object_put(a);
	}
	/* lines with no '=', keys that only start like ours, "Id" alone */
	UNITS("Id pcscd.socket\nno equals sign here\nIdx=pcscd.socket\nId\n\nId=pcscd.service\n"
	    "UnitFileStateX=masked\nActiveStates=active\nXActiveState=active\nActiveState=active\n",
	    "unknown", "unknown", "unknown", "active");
	/* CRLF: the '\r' is not part of the value, "\r\n" is a blank line */
	UNITS("Id=pcscd.socket\r\nUnitFileState=enabled\r\nActiveState=active\r\n\r\n"
	    "Id=pcscd.service\r\nLoadState=masked\r\nActiveState=inactive\r\n",
	    "enabled", "active", "masked", "inactive");
	/* only one '\r' is taken off */
	UNITS("Id=pcscd.socket\nUnitFileState=enabled\r\r\n", "unknown", "unknown", "unknown", "unknown");
}

static void
systemctl_show_cut(void **state)
{
	static const char full[] = "Id=pcscd.socket\nLoadState=loaded\nUnitFileState=enabled\nActiveState=active\n\n"
	    "Id=pcscd.service\nLoadState=loaded\nUnitFileState=disabled\nActiveState=inactive\n";

	(void)state;
	/* every cut reads without fault; a cut inside a word gives the cut
	 * word (so the collector does not read output systemctl had more of),
	 * a cut in the Id= matches no unit */
	for (size_t n = 0; n <= sizeof full - 1; n++) {
		json_object *a = nd_sys_parse_units_n(full, n, unit_names, 2, "unknown");
		assert_int_equal(json_object_array_length(a), 2);
		json_object_put(a);
	}
	units_are(full, 51, "enab", "unknown", "unknown", "unknown");
	units_are(full, 12, "unknown", "unknown", "unknown", "unknown");
	units_are(full, 90, "enabled", "active", "unknown", "unknown");
	units_are(full, sizeof full - 8, "enabled", "active", "disabled", "in");
}

/* The session from `loginctl show-session` output, added to o. */
static json_object *
session(const char *text, size_t n)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "remote", NULL);
	json_object_object_add(o, "active", NULL);
	nd_sys_parse_session_n(text, n, o);
	return o;
}

#define SESSION(text) session(text, sizeof text - 1)

static bool
has(json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static void
loginctl_session(void **state)
{
	json_object *o;

	(void)state;
	o = SESSION("Remote=no\nActive=yes\nType=wayland\nClass=user\n");
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"remote\":false,\"active\":true,\"logind_type\":\"wayland\",\"logind_class\":\"user\"}");
	json_object_put(o);
	/* any order, no newline at the end, the last line for a key counts */
	o = SESSION("Class=greeter\nType=x11\nActive=yes\nRemote=yes\nActive=no");
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"remote\":true,\"active\":false,\"logind_class\":\"greeter\",\"logind_type\":\"x11\"}");
	json_object_put(o);
	/* keys not printed: remote and active stay null, no logind_* */
	o = SESSION("Name=u\n\n");
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"remote\":null,\"active\":null}");
	json_object_put(o);
	o = session(NULL, 0);
	assert_false(has(o, "logind_type"));
	json_object_put(o);
}

static void
loginctl_session_hostile(void **state)
{
	char big[300];
	json_object *o;
	size_t n;

	(void)state;
	/* a NUL inside: the text ends there */
	o = SESSION("Remote=yes\nType=tty\0\nClass=user\nActive=yes\n");
	assert_true(nd_jbool(o, "remote", false));
	assert_string_equal(nd_jstr(o, "logind_type"), "tty");
	assert_false(has(o, "logind_class"));
	assert_null(json_object_object_get(o, "active"));
	json_object_put(o);
	o = SESSION("Remote=y\0es\n");
	assert_false(nd_jbool(o, "remote", true));
	json_object_put(o);
	/* control characters are kept as printed (the renderers escape them);
	 * only "yes" is true */
	o = SESSION("Type=x11\033[31m\x7f\nClass=a\tb\nActive=YES\nRemote=yes \n");
	assert_string_equal(nd_jstr(o, "logind_type"), "x11\033[31m\x7f");
	assert_string_equal(nd_jstr(o, "logind_class"), "a\tb");
	assert_false(nd_jbool(o, "active", true));
	assert_false(nd_jbool(o, "remote", true));
	json_object_put(o);
	/* a 200-byte value: its first 64 bytes */
	n = (size_t)snprintf(big, sizeof big, "Type=%0200d\nClass=user\n", 7);
	o = session(big, n);
	assert_int_equal(strlen(nd_jstr(o, "logind_type")), 64);
	assert_int_equal(strncmp(nd_jstr(o, "logind_type"), big + 5, 64), 0);
	assert_string_equal(nd_jstr(o, "logind_class"), "user");
	json_object_put(o);
	/* ... and not inside a UTF-8 character: "ç" at bytes 64-65 goes whole */
	n = (size_t)snprintf(big, sizeof big, "Class=%063d\xc3\xa7\xc3\xa7\n", 0);
	o = session(big, n);
	assert_int_equal(strlen(nd_jstr(o, "logind_class")), 63);
	json_object_put(o);
	n = (size_t)snprintf(big, sizeof big, "Class=%062d\xc3\xa7\xc3\xa7\n", 0);
	o = session(big, n);
	assert_int_equal(strlen(nd_jstr(o, "logind_class")), 64);
	assert_string_equal(nd_jstr(o, "logind_class") + 62, "\xc3\xa7");
	json_object_put(o);
	/* lines with no '=', keys that only start like ours */
	o = SESSION("Remote yes\nActive\nTypes=x\nXType=y\nclass=z\n");
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"remote\":null,\"active\":null}");
	json_object_put(o);
	/* CRLF: as before, the '\r' stays in the value ("yes\r" is not yes) */
	o = SESSION("Remote=yes\r\nActive=yes\r\nType=tty\r\n");
	assert_false(nd_jbool(o, "remote", true));
	assert_false(nd_jbool(o, "active", true));
	assert_string_equal(nd_jstr(o, "logind_type"), "tty\r");
	json_object_put(o);
	/* empty values */
	o = SESSION("Remote=\nType=\n");
	assert_false(nd_jbool(o, "remote", true));
	assert_string_equal(nd_jstr(o, "logind_type"), "");
	json_object_put(o);
}

static void
loginctl_session_cut(void **state)
{
	static const char full[] = "Remote=yes\nActive=yes\nType=wayland\nClass=user\n";
	json_object *o;

	(void)state;
	for (size_t n = 0; n <= sizeof full - 1; n++)
		json_object_put(session(full, n));
	o = session(full, 9);   /* "Remote=ye" */
	assert_false(nd_jbool(o, "remote", true));
	assert_null(json_object_object_get(o, "active"));
	json_object_put(o);
	o = session(full, 31);  /* ..."Type=wayl" */
	assert_true(nd_jbool(o, "active", false));
	assert_string_equal(nd_jstr(o, "logind_type"), "wayl");
	assert_false(has(o, "logind_class"));
	json_object_put(o);
	o = session(full, 38);  /* ..."Cla" */
	assert_string_equal(nd_jstr(o, "logind_type"), "wayland");
	assert_false(has(o, "logind_class"));
	json_object_put(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(os_release),
		cmocka_unit_test(sys_small_parsers),
		cmocka_unit_test(sys_parse_edges),
		cmocka_unit_test(systemctl_show),
		cmocka_unit_test(systemctl_show_hostile),
		cmocka_unit_test(systemctl_show_cut),
		cmocka_unit_test(loginctl_session),
		cmocka_unit_test(loginctl_session_hostile),
		cmocka_unit_test(loginctl_session_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
