/* SPDX-License-Identifier: BSD-2-Clause */
/* gsc_loop N: ask pcscd N times "has anything changed?" about the first
 * reader (SCardGetStatusChange with a timeout of 0 ms) while nothing
 * changes, as OpenSC does on nearly every PKCS#11 call, and print the CPU
 * time this process spent and the wall time, in ms: "cpu wall".
 *
 * Built twice (tests/pcsc/CMakeLists.txt): gsc_loop with nesdoctor's poll()
 * (src/pcsc/nospin.c), gsc_loop_plain without it, to show libpcsclite's own
 * behaviour side by side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <PCSC/winscard.h>

static double
ms(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 40;
	SCARDCONTEXT ctx;
	SCARD_READERSTATE st;
	char readers[4096];
	DWORD len = sizeof readers;
	struct timespec t0, t1;
	struct rusage r0, r1;
	LONG rv;
	int timeouts = 0;

	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) != SCARD_S_SUCCESS ||
	    SCardListReaders(ctx, NULL, readers, &len) != SCARD_S_SUCCESS) {
		fprintf(stderr, "gsc_loop: no pcscd or no reader\n");
		return 2;
	}
	memset(&st, 0, sizeof st);
	st.szReader = readers;
	st.dwCurrentState = SCARD_STATE_UNAWARE;
	if (SCardGetStatusChange(ctx, 0, &st, 1) != SCARD_S_SUCCESS) {
		fprintf(stderr, "gsc_loop: no state for %s\n", readers);
		return 2;
	}
	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		st.dwCurrentState = st.dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
		rv = SCardGetStatusChange(ctx, 0, &st, 1);
		if (rv == (LONG)SCARD_E_TIMEOUT)
			timeouts++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &r1);
	printf("%.1f %.1f %d\n",
	       ms(&r1.ru_utime) + ms(&r1.ru_stime) - ms(&r0.ru_utime) - ms(&r0.ru_stime),
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	       timeouts);
	SCardReleaseContext(ctx);
	return 0;
}
