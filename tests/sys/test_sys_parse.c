/* SPDX-License-Identifier: BSD-2-Clause */
/* The sys layer's parsers of outside texts (os-release, pcscd's version,
 * /proc status, scdaemon.conf, cgroups). */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(os_release),
		cmocka_unit_test(sys_small_parsers),
		cmocka_unit_test(sys_parse_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
