#include "sys/sys.h"

nd_err
nd_sys_collect(struct nd_report *rep)
{
	(void)rep;
	return ND_OK;
}
