/* SPDX-License-Identifier: BSD-2-Clause */
/* A stand-in for `java` (tests/sys/sys_java.sh): prints OpenJDK 17.0.9's
 * version banner to stderr, as the real one does. An ELF binary, so that
 * nesdoctor can read its architecture. */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
#ifdef MARK
	/* built with -DMARK=\"FILE\": leave a mark that it was started */
	FILE *f = fopen(MARK, "w");
	if (f)
		fclose(f);
#endif
	if (argc > 1 && strcmp(argv[1], "-version") == 0) {
		fputs("openjdk version \"17.0.9\" 2023-10-17\n"
		    "OpenJDK Runtime Environment (build 17.0.9+9-Debian-1deb12u1)\n"
		    "OpenJDK 64-Bit Server VM (build 17.0.9+9-Debian-1deb12u1, mixed mode, sharing)\n", stderr);
		return 0;
	}
	return 1;
}
