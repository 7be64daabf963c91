/* SPDX-License-Identifier: BSD-2-Clause */
#include <limits.h>
#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "core/i18n.h"

static const char *nd_lang = "en";

static const char *
lang_from_env(void)
{
	static const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "tr", 2) == 0 ? "tr" : "en";
	}
	return "en";
}

/* The catalogue next to the binary (build tree) wins over the installed one,
 * so that a freshly built nesdoctor speaks Turkish before `make install`. */
static const char *
locale_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("NESDOCTOR_LOCALEDIR");
	char exe[PATH_MAX];
	ssize_t n;
	struct stat st;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if ((size_t)snprintf(dir, sizeof dir, "%s/locale", exe) < sizeof dir &&
			    stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				return dir;
		}
	}
	return ND_LOCALEDIR;
}

const char *
nd_i18n_init(const char *forced)
{
	const char *lang;

	if (forced) {
		if (strcmp(forced, "tr") != 0 && strcmp(forced, "en") != 0)
			return NULL;
		lang = forced;
	} else
		lang = lang_from_env();

	/* glibc's gettext ignores LANGUAGE in the "C" locale but honours it
	 * in C.UTF-8: fall back to that when the person's locale (tr_TR.UTF-8
	 * for example) is not generated on this machine. */
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C.UTF-8");
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	/* Numbers and times stay in the C convention (JSON, logs). */
	setlocale(LC_NUMERIC, "C");
	/* Character classes too: in tr_TR.UTF-8, tolower('I') is 'I' (its
	 * lower case is the dotless ı, not a single byte), so strcasecmp("PIN",
	 * "pin") != 0 and every case-insensitive match of ASCII names would
	 * fail for exactly the people this tool is for. C.UTF-8 keeps UTF-8
	 * and ASCII case rules; messages still come from LC_MESSAGES. */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C");
	setenv("LANGUAGE", lang, 1);

	bindtextdomain(ND_TEXTDOMAIN, locale_dir());
	bind_textdomain_codeset(ND_TEXTDOMAIN, "UTF-8");
	textdomain(ND_TEXTDOMAIN);
	nd_lang = lang;
	return lang;
}

const char *
nd_i18n_lang(void)
{
	return nd_lang;
}
