#include <stdlib.h>

#include "checks/checks.h"
#include "core/util.h"

const struct nd_check_def *const *
nd_check_registry(size_t *n)
{
	static const struct nd_check_def **all;
	static size_t count;
	static const struct {
		const struct nd_check_def *const *defs;
		const size_t *n;
	} tables[] = {
		{ nd_usb_checks, &nd_usb_checks_n },
		{ nd_sys_checks, &nd_sys_checks_n },
		{ nd_pcsc_checks, &nd_pcsc_checks_n },
		{ nd_p11_checks, &nd_p11_checks_n },
		{ nd_cert_checks, &nd_cert_checks_n },
		{ nd_sign_checks, &nd_sign_checks_n },
		{ nd_dys_checks, &nd_dys_checks_n },
	};

	if (!all) {
		size_t total = 0, k = 0;
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
			total += *tables[t].n;
		all = nd_xcalloc(total, sizeof *all);
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
			for (size_t i = 0; i < *tables[t].n; i++)
				all[k++] = tables[t].defs[i];
		count = k;
	}
	*n = count;
	return all;
}
