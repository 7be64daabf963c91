/* SPDX-License-Identifier: BSD-2-Clause */
/* holdcard READER SECONDS: hold the card in READER exclusively for a while,
 * as GnuPG's scdaemon does (the tests run a copy of it named "scdaemon").
 * Prints "held" once it has the card; exits 1 if it could not get it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <PCSC/winscard.h>

int
main(int argc, char **argv)
{
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	DWORD proto;
	LONG rv;

	if (argc != 3) {
		fprintf(stderr, "usage: holdcard READER SECONDS\n");
		return 2;
	}
	alarm((unsigned)atoi(argv[2]) + 5);   /* never outlive the test */
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv == SCARD_S_SUCCESS)
		rv = SCardConnect(ctx, argv[1], SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
		    &h, &proto);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "holdcard: %s\n", pcsc_stringify_error(rv));
		return 1;
	}
	printf("held\n");
	fflush(stdout);
	sleep((unsigned)atoi(argv[2]));
	return 0;
}
