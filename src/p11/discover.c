/* SPDX-License-Identifier: BSD-2-Clause */
/* Where PKCS#11 modules are. The AKIS library has no registry of its own:
 * Kamu SM's AKİA package puts it under /opt/Akia and copies it to
 * /usr/lib; repackagers use other places. Other modules register with
 * p11-kit through small config files. Each real file is probed once. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/util.h"
#include "p11/p11_int.h"

#ifndef ND_MULTIARCH
#define ND_MULTIARCH ""
#endif
#ifndef ND_P11KIT_MODULE_PATH
#define ND_P11KIT_MODULE_PATH "/usr/lib/" ND_MULTIARCH "/pkcs11"
#endif
#ifndef ND_P11KIT_CONFIGS
#define ND_P11KIT_CONFIGS "/usr/share/p11-kit/modules"
#endif

/* Sources: AKİA's .deb (/opt/Akia, copied to /usr/lib), multiarch and
 * /usr/local installs by hand, the Arch AUR package akia-bin
 * (/usr/lib/akia), and 32-bit places where a wrong-architecture copy hides.
 * See drivers-notes/akis-pkcs11.md. */
const char *const nd_p11_akis_paths[] = {
	"/usr/lib/libakisp11.so",
	"/opt/Akia/libakisp11.so",
	"/opt/akia/libakisp11.so",
	"/usr/lib/" ND_MULTIARCH "/libakisp11.so",
	"/usr/lib64/libakisp11.so",
	"/usr/local/lib/libakisp11.so",
	"/usr/local/lib/" ND_MULTIARCH "/libakisp11.so",
	"/usr/lib/akia/libakisp11.so",
	"/usr/lib/i386-linux-gnu/libakisp11.so",
	"/usr/lib32/libakisp11.so",
	NULL,
};

static const char *const opensc_paths[] = {
	ND_P11KIT_MODULE_PATH "/opensc-pkcs11.so",
	"/usr/lib/" ND_MULTIARCH "/opensc-pkcs11.so",
	"/usr/lib64/opensc-pkcs11.so",
	"/usr/local/lib/opensc-pkcs11.so",
	NULL,
};

bool
nd_p11_is_akis_path(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path;
	return base && strncmp(base, "libakisp11", 10) == 0;
}

static void
add(struct nd_p11_candidates *c, const char *path, const char *source, const char *config,
    const char *skip)
{
	char real[PATH_MAX], other[PATH_MAX];
	bool have_real = realpath(path, real) != NULL;

	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].path, path) == 0)
			return;
		if (have_real && realpath(c->v[i].path, other) && strcmp(real, other) == 0)
			return;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct nd_p11_candidate *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].path = nd_xstrdup(path);
	c->v[c->n].source = source;
	c->v[c->n].config = config ? nd_xstrdup(config) : NULL;
	c->v[c->n].skip = skip;
	c->n++;
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || lstat(path, &st) == 0;
}

/* Trim blanks at both ends of [p, p+n); returns the new start, *n updated. */
static const uint8_t *
trim(const uint8_t *p, size_t *n)
{
	while (*n && (*p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		(*n)--;
	}
	while (*n && (p[*n - 1] == ' ' || p[*n - 1] == '\t' || p[*n - 1] == '\r'))
		(*n)--;
	return p;
}

static bool
key_is(const uint8_t *k, size_t kn, const char *name)
{
	return kn == strlen(name) && memcmp(k, name, kn) == 0;
}

bool
nd_p11kit_conf_parse(const uint8_t *p, size_t n, struct nd_p11kit_conf *conf)
{
	struct nd_cur c;

	memset(conf, 0, sizeof *conf);
	nd_cur_init(&c, p, n);
	while (nd_cur_left(&c)) {
		const uint8_t *line = NULL, *nl = memchr(c.p, '\n', nd_cur_left(&c)), *colon, *k, *v;
		size_t len = nl ? (size_t)(nl - c.p) : nd_cur_left(&c), kn, vn;

		nd_cur_view(&c, &line, len);
		if (nl)
			nd_cur_take(&c, NULL, 1);
		line = trim(line, &len);
		if (len == 0 || line[0] == '#')
			continue;
		colon = memchr(line, ':', len);
		if (!colon)
			continue;
		kn = (size_t)(colon - line);
		k = trim(line, &kn);
		vn = len - (size_t)(colon - line) - 1;
		v = trim(colon + 1, &vn);
		if (key_is(k, kn, "module")) {
			if (vn == 0 || vn >= sizeof conf->module || memchr(v, '\0', vn))
				continue;
			memcpy(conf->module, v, vn);
			conf->module[vn] = '\0';
		} else if (key_is(k, kn, "trust-policy")) {
			conf->trust_policy = (vn == 3 && memcmp(v, "yes", 3) == 0) ||
			    (vn == 4 && memcmp(v, "true", 4) == 0);
		}
	}
	return conf->module[0] != '\0';
}

/* Read a small config file (at most 64 KiB: they are a few lines). Only a
 * regular file is read: a FIFO planted in ~/.config/pkcs11/modules must not
 * hang the run (nd_read_file opens without blocking). */
static bool
read_conf(const char *path, struct nd_p11kit_conf *conf)
{
	char *buf = nd_read_file(path, 64 << 10, NULL);
	bool ok;

	if (!buf)
		return false;
	ok = nd_p11kit_conf_parse((const uint8_t *)buf, strlen(buf), conf);
	free(buf);
	return ok;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* p11-kit's rule: config directories are read in order, and a file name
 * seen again in a later directory replaces the earlier one. */
static void
add_p11kit(struct nd_p11_candidates *c, const char *root)
{
	char *dirs[3] = { NULL, NULL, NULL };
	const char *home = getenv("HOME");
	char *names[256], *files[256];
	size_t nn = 0;

	dirs[0] = nd_asprintf("%s%s", root, ND_P11KIT_CONFIGS);
	dirs[1] = nd_asprintf("%s%s", root, "/etc/pkcs11/modules");
	if (home && *home && !*root)
		dirs[2] = nd_asprintf("%s/.config/pkcs11/modules", home);
	for (size_t d = 0; d < 3; d++) {
		DIR *dir = dirs[d] ? opendir(dirs[d]) : NULL;
		struct dirent *de;

		if (!dir)
			continue;
		while ((de = readdir(dir))) {
			size_t len = strlen(de->d_name), i;

			if (len < 8 || strcmp(de->d_name + len - 7, ".module") != 0)
				continue;
			for (i = 0; i < nn; i++)
				if (strcmp(names[i], de->d_name) == 0)
					break;
			if (i == nn) {
				if (nn == sizeof names / sizeof names[0])
					continue;
				names[nn] = nd_xstrdup(de->d_name);
				files[nn++] = NULL;
			}
			free(files[i]);
			files[i] = nd_asprintf("%s/%s", dirs[d], de->d_name);
		}
		closedir(dir);
	}
	/* pairs sorted by name: the same order on every run */
	for (size_t i = 0; i < nn; i++) {
		char *tmp = names[i];
		names[i] = nd_asprintf("%s\n%s", tmp, files[i]);
		free(tmp);
		free(files[i]);
	}
	qsort(names, nn, sizeof names[0], cmp_str);
	for (size_t i = 0; i < nn; i++) {
		const char *file = strchr(names[i], '\n') + 1;
		struct nd_p11kit_conf conf;
		const char *base;
		char *path;

		if (!read_conf(file, &conf))
			goto next;
		path = conf.module[0] == '/' ? nd_asprintf("%s%s", root, conf.module)
		    : nd_asprintf("%s%s/%s", root, ND_P11KIT_MODULE_PATH, conf.module);
		base = strrchr(path, '/') + 1;
		if (conf.trust_policy)
			add(c, path, "p11-kit", file, "trust-module");
		else if (strncmp(base, "p11-kit-proxy", 13) == 0 || strncmp(base, "p11-kit-client", 14) == 0)
			add(c, path, "p11-kit", file, "proxy-module");
		else
			add(c, path, "p11-kit", file, NULL);
		free(path);
next:
		free(names[i]);
	}
	for (size_t d = 0; d < 3; d++)
		free(dirs[d]);
}

void
nd_p11_discover(const struct nd_opts *o, struct nd_p11_candidates *c)
{
	const char *root = getenv("NESDOCTOR_P11_SYSROOT");

	memset(c, 0, sizeof *c);
	if (!root)
		root = "";
	if (o && o->n_modules) {
		for (size_t i = 0; i < o->n_modules; i++)
			add(c, o->modules[i], "--module", NULL, NULL);
		return;
	}
	for (size_t i = 0; nd_p11_akis_paths[i]; i++) {
		char *p = nd_asprintf("%s%s", root, nd_p11_akis_paths[i]);
		if (exists(p))
			add(c, p, "akis-known-path", NULL, NULL);
		free(p);
	}
	add_p11kit(c, root);
	for (size_t i = 0; opensc_paths[i]; i++) {
		char *p = nd_asprintf("%s%s", root, opensc_paths[i]);
		if (exists(p))
			add(c, p, "opensc", NULL, NULL);
		free(p);
	}
}

void
nd_p11_candidates_reset(struct nd_p11_candidates *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].config);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}
