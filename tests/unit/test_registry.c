/* SPDX-License-Identifier: BSD-2-Clause */
/* The one table of checks (src/checks/registry.c): every check defined in a
 * layer's file (each `const struct nd_check_def` in src/checks/<layer>.c) and
 * every check the README's table documents is in nd_checks[], once, and
 * after the checks it depends on. A check left out of the table would
 * silently never run. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "core/util.h"

static size_t
registry_index(const char *id)
{
	size_t i;

	for (i = 0; nd_checks[i]; i++)
		if (strcmp(nd_checks[i]->id, id) == 0)
			break;
	return i;
}

static int
in_registry(const char *id)
{
	return nd_checks[registry_index(id)] != NULL;
}

static char *
slurp(const char *path)
{
	char *s = nd_read_file(path, 4u << 20, NULL);

	if (!s)
		fail_msg("cannot read %s", path);
	return s;
}

static void
ordered_and_unique(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; nd_checks[i]; i++, n++) {
		assert_int_equal(registry_index(nd_checks[i]->id), i);   /* once */
		for (size_t d = 0; d < ND_MAX_DEPS && nd_checks[i]->deps[d]; d++)
			if (registry_index(nd_checks[i]->deps[d]) >= i)
				fail_msg("%s depends on %s, which does not come before it", nd_checks[i]->id,
				    nd_checks[i]->deps[d]);
	}
	assert_true(n > 0);
}

/* Each definition `const struct nd_check_def NAME = { "id", ...` in the
 * layers' files. */
static void
every_defined_check_is_registered(void **state)
{
	char dirpath[4096];
	DIR *dir;
	struct dirent *e;
	size_t found = 0;

	(void)state;
	snprintf(dirpath, sizeof dirpath, "%s/src/checks", ND_SOURCE_DIR);
	dir = opendir(dirpath);
	assert_non_null(dir);
	while ((e = readdir(dir))) {
		char path[8192], *src, *p;
		size_t len = strlen(e->d_name);

		if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dirpath, e->d_name);
		src = slurp(path);
		for (p = src; (p = strstr(p, "struct nd_check_def ")); p++) {
			char id[64];
			const char *q = p + strlen("struct nd_check_def ");

			if (*q == '*')
				continue;   /* a table of pointers, not a definition */
			q = strchr(q, '=');
			if (!q || sscanf(q, "= { \"%63[^\"]\"", id) != 1)
				continue;
			found++;
			if (!in_registry(id))
				fail_msg("%s defines %s, which nd_checks[] lacks", e->d_name, id);
		}
		free(src);
	}
	closedir(dir);
	assert_true(found >= 20);
}

/* The README's checks table (under "What the report says"): rows
 * "| `layer.name` | ...". */
static void
readme_and_registry_agree(void **state)
{
	char path[4096], *src, *p, *end_of_table;
	size_t documented = 0, n = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/README.md", ND_SOURCE_DIR);
	src = slurp(path);
	/* the table under "| id | what it checks |", up to its first blank line */
	p = strstr(src, "\n| id | what it checks |");
	assert_non_null(p);
	end_of_table = strstr(p, "\n\n");
	if (end_of_table)
		*end_of_table = '\0';
	for (; (p = strstr(p, "\n| `")); p++) {
		char id[64], end;

		if (sscanf(p, "\n| `%63[a-z0-9_.]%c", id, &end) != 2 || end != '`' || !strchr(id, '.'))
			continue;
		if (strncmp(id, "usb.", 4) && strncmp(id, "sys.", 4) && strncmp(id, "pcsc.", 5) &&
		    strncmp(id, "p11.", 4) && strncmp(id, "cert.", 5) && strncmp(id, "sign.", 5) &&
		    strncmp(id, "dys.", 4))
			continue;
		documented++;
		if (!in_registry(id))
			fail_msg("README documents %s, which nd_checks[] lacks", id);
	}
	free(src);
	while (nd_checks[n])
		n++;
	assert_int_equal(documented, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ordered_and_unique),
		cmocka_unit_test(every_defined_check_is_registered),
		cmocka_unit_test(readme_and_registry_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
