/* SPDX-License-Identifier: BSD-2-Clause */
/* The dynamic loader explains a failed dlopen() in one line of its own
 * jargon ("libpcsclite.so.1: cannot open shared object file: No such file
 * or directory"). Here it becomes a kind, the library concerned and, when
 * we know it, the Debian package that brings that library back. The words
 * for people are chosen by the p11.module check. */
#include <stdio.h>
#include <string.h>

#include "p11/p11_int.h"

/* Shared libraries vendor PKCS#11 modules are known to need, and the
 * Debian/Ubuntu/Pardus package that ships each (names as of Debian 12;
 * Ubuntu 24.04's t64 packages provide the old names). Sorted by soname. */
static const struct {
	const char *soname;
	const char *package;
} packages[] = {
	{ "libc.so.6", "libc6" },
	{ "libcrypto.so.1.0.0", "libssl1.0.0" },
	{ "libcrypto.so.1.0.2", "libssl1.0.2" },
	{ "libcrypto.so.1.1", "libssl1.1" },
	{ "libcrypto.so.3", "libssl3" },
	{ "libcurl.so.4", "libcurl4" },
	{ "libgcc_s.so.1", "libgcc-s1" },
	{ "libglib-2.0.so.0", "libglib2.0-0" },
	{ "libjson-c.so.5", "libjson-c5" },
	{ "libltdl.so.7", "libltdl7" },
	{ "libm.so.6", "libc6" },
	{ "libp11-kit.so.0", "libp11-kit0" },
	{ "libpcsclite.so.1", "libpcsclite1" },
	{ "libpthread.so.0", "libc6" },
	{ "libsqlite3.so.0", "libsqlite3-0" },
	{ "libssl.so.1.0.0", "libssl1.0.0" },
	{ "libssl.so.1.0.2", "libssl1.0.2" },
	{ "libssl.so.1.1", "libssl1.1" },
	{ "libssl.so.3", "libssl3" },
	{ "libstdc++.so.6", "libstdc++6" },
	{ "libusb-1.0.so.0", "libusb-1.0-0" },
	{ "libz.so.1", "zlib1g" },
};

const char *
nd_p11_package_for(const char *soname)
{
	const char *base = soname ? strrchr(soname, '/') : NULL;

	if (!soname)
		return NULL;
	base = base ? base + 1 : soname;
	for (size_t i = 0; i < sizeof packages / sizeof packages[0]; i++)
		if (strcmp(packages[i].soname, base) == 0)
			return packages[i].package;
	return NULL;
}

static const char *const kind_names[] = {
	[ND_DL_OTHER] = "other",
	[ND_DL_MODULE_MISSING] = "module_missing",
	[ND_DL_MISSING_LIB] = "missing_library",
	[ND_DL_WRONG_CLASS] = "wrong_class",
	[ND_DL_NOT_ELF] = "not_elf",
	[ND_DL_UNDEFINED_SYMBOL] = "undefined_symbol",
	[ND_DL_VERSION] = "version_not_found",
	[ND_DL_ACCESS] = "access",
	[ND_DL_MAP_FAILED] = "map_failed",
};

const char *
nd_p11_dl_kind_name(enum nd_dl_kind k)
{
	if ((size_t)k < sizeof kind_names / sizeof kind_names[0] && kind_names[k])
		return kind_names[k];
	return "other";
}

enum nd_dl_kind
nd_p11_dl_kind_from_name(const char *s)
{
	for (size_t i = 0; s && i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (kind_names[i] && strcmp(kind_names[i], s) == 0)
			return (enum nd_dl_kind)i;
	return ND_DL_OTHER;
}

/* Copy [p, p+n) into dst, cut to fit. */
static void
copy_part(char *dst, size_t dstsz, const char *p, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

void
nd_p11_dlerror_explain(const char *module, const char *msg, struct nd_dl_explain *ex)
{
	const char *hit, *q;

	memset(ex, 0, sizeof *ex);
	ex->kind = ND_DL_OTHER;
	if (!msg)
		return;

	/* "<object>: cannot open shared object file: <strerror>" */
	if ((hit = strstr(msg, ": cannot open shared object file: "))) {
		const char *why = hit + strlen(": cannot open shared object file: ");
		copy_part(ex->lib, sizeof ex->lib, msg, (size_t)(hit - msg));
		if (strstr(why, "Permission denied"))
			ex->kind = ND_DL_ACCESS;
		else if (module && strcmp(ex->lib, module) == 0)
			/* the loader names a dependency by its bare soname, the
			 * module itself by the path we gave */
			ex->kind = ND_DL_MODULE_MISSING;
		else
			ex->kind = ND_DL_MISSING_LIB;
	} else if ((hit = strstr(msg, ": wrong ELF class: "))) {
		ex->kind = ND_DL_WRONG_CLASS;
		copy_part(ex->lib, sizeof ex->lib, msg, (size_t)(hit - msg));
		q = hit + strlen(": wrong ELF class: ");
		copy_part(ex->symbol, sizeof ex->symbol, q, strcspn(q, " ,"));
	} else if (strstr(msg, ": invalid ELF header") || strstr(msg, ": file too short") ||
	    strstr(msg, "ELF load command") || strstr(msg, "not an ELF")) {
		ex->kind = ND_DL_NOT_ELF;
		hit = strstr(msg, ": ");
		copy_part(ex->lib, sizeof ex->lib, msg, hit ? (size_t)(hit - msg) : 0);
	} else if ((hit = strstr(msg, ": undefined symbol: "))) {
		ex->kind = ND_DL_UNDEFINED_SYMBOL;
		copy_part(ex->lib, sizeof ex->lib, msg, (size_t)(hit - msg));
		q = hit + strlen(": undefined symbol: ");
		copy_part(ex->symbol, sizeof ex->symbol, q, strcspn(q, " ,"));
	} else if ((hit = strstr(msg, ": version `")) && (q = strstr(hit, "' not found"))) {
		/* "<provider>: version `GLIBC_2.38' not found (required by X)" */
		const char *v = hit + strlen(": version `");
		ex->kind = ND_DL_VERSION;
		copy_part(ex->lib, sizeof ex->lib, msg, (size_t)(hit - msg));
		copy_part(ex->symbol, sizeof ex->symbol, v, (size_t)(q - v));
	} else if ((hit = strstr(msg, ": failed to map segment from shared object"))) {
		ex->kind = ND_DL_MAP_FAILED;
		copy_part(ex->lib, sizeof ex->lib, msg, (size_t)(hit - msg));
	} else if (strstr(msg, "Permission denied")) {
		ex->kind = ND_DL_ACCESS;
		hit = strstr(msg, ": ");
		copy_part(ex->lib, sizeof ex->lib, msg, hit ? (size_t)(hit - msg) : 0);
	}
	if (ex->kind == ND_DL_MISSING_LIB || ex->kind == ND_DL_VERSION ||
	    ex->kind == ND_DL_UNDEFINED_SYMBOL) {
		/* name the library by its soname: that is what packages list */
		char tmp[sizeof ex->lib];
		snprintf(tmp, sizeof tmp, "%s", base_name(ex->lib));
		snprintf(ex->lib, sizeof ex->lib, "%s", tmp);
		ex->package = nd_p11_package_for(ex->lib);
	}
}
