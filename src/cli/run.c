/* SPDX-License-Identifier: BSD-2-Clause */
#include "checks/checks.h"
#include "cli/cli.h"
#include "p11/p11.h"
#include "pcsc/pcsc.h"
#include "render/render.h"
#include "report/report.h"
#include "sys/sys.h"
#include "usb/usb.h"
#include "x509/x509.h"

void
nd_run_collect(struct nd_report *rep, struct nd_opts *o, unsigned collect, unsigned layers)
{
	nd_report_init(rep, o);
	/* Bottom-up: each collector may read what the ones below it found. */
	if (collect & ND_COLLECT_SYS)
		nd_sys_collect(rep);
	if (collect & ND_COLLECT_PCSC)
		nd_pcsc_collect(rep);
	if (collect & ND_COLLECT_USB)
		nd_usb_collect(rep);   /* after pcsc: it cross-checks the reader list */
	if (collect & ND_COLLECT_P11)
		nd_p11_collect(rep);
	if (collect & ND_COLLECT_X509)
		nd_x509_collect(rep);
	nd_report_evaluate(rep, nd_checks, layers);
}

int
nd_run_report(struct nd_opts *o, unsigned collect, unsigned layers)
{
	struct nd_report rep;
	int code;

	nd_run_collect(&rep, o, collect, layers);
	code = nd_render(&rep);
	nd_report_reset(&rep);
	return code;
}
