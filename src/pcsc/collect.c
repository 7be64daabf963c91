#include "pcsc/pcsc.h"

nd_err
nd_pcsc_collect(struct nd_report *rep)
{
	(void)rep;
	return ND_OK;
}
