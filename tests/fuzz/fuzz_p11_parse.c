/* SPDX-License-Identifier: BSD-2-Clause */
/* The p11 layer's parsers of module-provided and on-disk bytes: fixed
 * PKCS#11 string fields, free strings, ELF headers, the loader's messages,
 * p11-kit config files, slot descriptions against reader names, TCKN
 * masking. The first byte picks the parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "p11/p11_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy (the loader's messages and names are C strings). */
static char *
cstr(const uint8_t *p, size_t n)
{
	char *s = nd_xcalloc(n + 1, 1);

	memcpy(s, p, n);
	return s;
}

static void
match(const uint8_t *p, size_t n)
{
	char *all = cstr(p, n), *save = NULL, *line;
	const char *readers[8];
	const char *desc = NULL;
	size_t k = 0;

	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!desc)
			desc = line;
		else if (k < 8)
			readers[k++] = line;
	}
	(void)nd_p11_match_reader(desc, readers, k);
	free(all);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned anom = 0;
	char *s;

	if (size < 1)
		return 0;
	switch (data[0] % 7) {
	case 0:
		free(nd_p11_field(data + 1, size - 1, &anom));
		break;
	case 1:
		free(nd_p11_clean((const char *)data + 1, size - 1, size % 97, &anom));
		break;
	case 2: {
		struct nd_elf e;
		(void)nd_p11_elf_parse(data + 1, size - 1, &e);
		(void)nd_p11_elf_machine(e.machine);
		break;
	}
	case 3: {
		struct nd_dl_explain ex;
		s = cstr(data + 1, size - 1);
		nd_p11_dlerror_explain("/usr/lib/libakisp11.so", s, &ex);
		(void)nd_p11_dl_kind_from_name(nd_p11_dl_kind_name(ex.kind));
		free(s);
		break;
	}
	case 4: {
		struct nd_p11kit_conf c;
		(void)nd_p11kit_conf_parse(data + 1, size - 1, &c);
		break;
	}
	case 5:
		match(data + 1, size - 1);
		break;
	case 6:
		s = cstr(data + 1, size - 1);
		free(nd_p11_mask_ids(s));
		free(s);
		break;
	}
	return 0;
}
