/* SPDX-License-Identifier: BSD-2-Clause */
/* Java: many Turkish signing programs (İmzager, the e-Devlet signer, the
 * UYAP editor) are Java applications that load the AKIS library into the
 * JVM, so the JVM's architecture must be the library's. Which version a
 * program needs is not judged here. Only facts; src/checks/sys.c judges. */
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "p11/p11.h"
#include "core/run.h"
#include "sys/sys.h"

#define ND_JAVA_MAX_LINE 512

/* `java -version` (stderr): 'openjdk version "17.0.9" 2023-10-17' or
 * 'java version "1.8.0_392"', then the runtime's and the VM's lines
 * ('OpenJDK 64-Bit Server VM (build ...)'). */
json_object *
nd_sys_parse_java_version_n(const void *p, size_t n)
{
	json_object *o = json_object_new_object();
	char line[ND_JAVA_MAX_LINE + 1];
	struct nd_cur c;
	int k = 0;

	nd_cur_init_text(&c, p, n);
	while (nd_cur_left(&c) && k < 8) {
		const uint8_t *nl = memchr(c.p, '\n', nd_cur_left(&c)), *v = NULL;
		size_t len = nl ? (size_t)(nl - c.p) : nd_cur_left(&c), m = len < ND_JAVA_MAX_LINE ? len : ND_JAVA_MAX_LINE;
		char *q, *e;

		nd_cur_view(&c, &v, len);
		if (nl)
			nd_cur_take(&c, NULL, 1);
		memcpy(line, v, m);
		line[m] = '\0';
		line[strcspn(line, "\r")] = '\0';
		/* JAVA_TOOL_OPTIONS and the like print "Picked up ..." first */
		if (!*line || strncmp(line, "Picked up", 9) == 0)
			continue;
		if (!nd_jstr(o, "version") && (q = strstr(line, " version \"")) && (e = strchr(q + 10, '"'))) {
			*e = '\0';
			nd_jset_str(o, "version", q + 10);
			*q = '\0';
			nd_jset_str(o, "vendor", line);   /* "openjdk", "java" */
		} else if (nd_jstr(o, "version") && !nd_jstr(o, "runtime")) {
			nd_jset_str(o, "runtime", line);
		} else if (nd_jstr(o, "runtime") && !nd_jstr(o, "vm")) {
			nd_jset_str(o, "vm", line);
			json_object_object_add(o, "vm_bits", strstr(line, "64-Bit") ? json_object_new_int(64) :
			    strstr(line, "32-Bit") || strstr(line, "Client VM") ? json_object_new_int(32) : NULL);
		}
		k++;
	}
	if (!nd_jstr(o, "version")) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* The JVM's `release` file (KEY="VALUE" lines, shipped by every OpenJDK
 * since 9 and by most 8 builds): JAVA_VERSION, IMPLEMENTOR,
 * JAVA_RUNTIME_VERSION. NULL when it does not name a version. */
json_object *
nd_sys_parse_java_release_n(const void *p, size_t n)
{
	json_object *o = json_object_new_object();
	char line[ND_JAVA_MAX_LINE + 1];
	struct nd_cur c;

	nd_cur_init_text(&c, p, n);
	while (nd_cur_left(&c)) {
		const uint8_t *nl = memchr(c.p, '\n', nd_cur_left(&c)), *v = NULL;
		size_t len = nl ? (size_t)(nl - c.p) : nd_cur_left(&c), m = len < ND_JAVA_MAX_LINE ? len : ND_JAVA_MAX_LINE;
		static const struct { const char *key, *field; } keys[] = {
			{ "JAVA_VERSION=\"", "version" }, { "IMPLEMENTOR=\"", "implementor" },
			{ "JAVA_RUNTIME_VERSION=\"", "runtime_version" },
		};
		char *e;

		nd_cur_view(&c, &v, len);
		if (nl)
			nd_cur_take(&c, NULL, 1);
		memcpy(line, v, m);
		line[m] = '\0';
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			size_t kl = strlen(keys[k].key);
			if (strncmp(line, keys[k].key, kl) == 0 && (e = strchr(line + kl, '"')) && e > line + kl &&
			    !nd_jstr(o, keys[k].field)) {
				*e = '\0';
				nd_jset_str(o, keys[k].field, line + kl);
			}
		}
	}
	if (!nd_jstr(o, "version")) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* The version from the JVM's release file, next to bin/ (JAVA_HOME) or one
 * above it (a JDK 8 jre/bin/java): starting a JVM to ask costs as much CPU
 * as all of the rest of a check, on every run. Shaped like
 * nd_sys_parse_java_version_n's answer. */
static json_object *
release_facts(const char *real)
{
	static const char *const rel[] = { "/../release", "/../../release" };
	char *dir = nd_xstrdup(real), *slash = strrchr(dir, '/'), *t = NULL;
	json_object *r = NULL, *v = NULL;

	if (slash)
		*slash = '\0';   /* .../bin */
	for (size_t i = 0; slash && !r && i < sizeof rel / sizeof rel[0]; i++) {
		char *path = nd_asprintf("%s%s", dir, rel[i]);
		if ((t = nd_read_file(path, 64u << 10, NULL)) != NULL)
			r = nd_sys_parse_java_release_n(t, strlen(t));
		free(t);
		free(path);
	}
	if (r) {
		const char *impl = nd_jstr(r, "implementor"), *rv = nd_jstr(r, "runtime_version");
		char *runtime = rv ? nd_asprintf("%s%sbuild %s", impl ? impl : "", impl ? ", " : "", rv) : NULL;

		v = json_object_new_object();
		nd_jset_str(v, "version", nd_jstr(r, "version"));
		nd_jset_str(v, "vendor", impl);
		nd_jset_str(v, "runtime", runtime);
		free(runtime);
	}
	json_object_put(r);
	free(dir);
	return v;
}

static json_object *
runtime_facts(const struct nd_report *rep, const char *path)
{
	json_object *o = json_object_new_object(), *v = NULL;
	const char *argv[] = { path, "-version", NULL };
	struct nd_run_result rr = { 0 };
	char real[PATH_MAX];
	bool resolved;

	nd_jset_str(o, "path", path);
	/* /usr/bin/java -> /etc/alternatives/java -> the JVM's own binary */
	resolved = realpath(path, real) != NULL;
	nd_jset_str(o, "real_path", resolved ? real : NULL);
	json_object_object_add(o, "elf", nd_p11_elf_facts(resolved ? real : path));
	if (resolved && (v = release_facts(real)) != NULL) {
		nd_jset_str(o, "version_from", "release");
	} else {
		if (nd_run(argv, rep->opts->timeout_s * 1000, true, 64u << 10, &rr) == ND_OK && rr.out)
			v = nd_sys_parse_java_version_n(rr.out, rr.out_len);
		nd_jset_str(o, "version_from", "java -version");
	}
	json_object_object_add(o, "ran", json_object_new_boolean(rr.out != NULL));
	json_object_object_add(o, "timed_out", json_object_new_boolean(rr.timed_out));
	nd_jset_str(o, "version", v ? nd_jstr(v, "version") : NULL);
	nd_jset_str(o, "vendor", v ? nd_jstr(v, "vendor") : NULL);
	nd_jset_str(o, "runtime", v ? nd_jstr(v, "runtime") : NULL);
	nd_jset_str(o, "vm", v ? nd_jstr(v, "vm") : NULL);
	json_object_object_add(o, "vm_bits", v && nd_jint(v, "vm_bits", 0) ? json_object_new_int((int)nd_jint(v, "vm_bits", 0)) : NULL);
	json_object_put(v);
	nd_run_result_reset(&rr);
	return o;
}

json_object *
nd_sys_java_facts(const struct nd_report *rep)
{
	json_object *o = json_object_new_object(), *inst = json_object_new_array();
	const char *jvm = getenv("NESDOCTOR_JVM_DIR");
	char *onpath = nd_which("java"), *pat;
	glob_t g = { 0 };

	if (!jvm || !*jvm)
		jvm = "/usr/lib/jvm";
	json_object_object_add(o, "on_path", onpath ? runtime_facts(rep, onpath) : NULL);
	/* the installed JVMs, whether or not PATH leads to them */
	pat = nd_asprintf("%s/*/bin/java", jvm);
	if (glob(pat, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc && i < 16; i++) {
			json_object *j = json_object_new_object();
			nd_jset_str(j, "path", g.gl_pathv[i]);
			json_object_object_add(j, "elf", nd_p11_elf_facts(g.gl_pathv[i]));
			json_object_array_add(inst, j);
		}
	globfree(&g);
	free(pat);
	json_object_object_add(o, "installed", inst);
	free(onpath);
	return o;
}
