/* SPDX-License-Identifier: BSD-2-Clause */
/* The library needsgone.so links against and never finds. */
int nd_gone(void);

int
nd_gone(void)
{
	return 1;
}
