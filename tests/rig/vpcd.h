/* SPDX-License-Identifier: BSD-2-Clause */
/* The card side of vsmartcard's vpcd protocol, for virtual cards written in
 * C by the tests. Every message both ways: 2-byte big-endian length, then the
 * payload. From vpcd, a 1-byte payload is a control code (0 power off,
 * 1 power on, 2 reset, 4 "send the ATR"); anything longer is a command APDU.
 * Closing the connection removes the card. */
#ifndef ND_TEST_VPCD_H
#define ND_TEST_VPCD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vcard_ops {
	/* The ATR to send when vpcd asks; may change between insertions.
	 * NULL: stay silent (a card mute at reset). */
	const uint8_t *(*atr)(void *ctx, size_t *len);
	/* Answer one command APDU into r (at most rmax bytes, status word
	 * included); return the length, or -1 to stay silent (a mute card). */
	ssize_t (*apdu)(void *ctx, const uint8_t *c, size_t n, uint8_t *r, size_t rmax);
	/* Power on/off/reset (optional). */
	void (*control)(void *ctx, int code);
	/* Called with each message in verbose mode (optional). */
	void *ctx;
};

struct vpcd_opts {
	const char *host;   /* IPv4 literal, default 127.0.0.1 */
	int port;           /* default 35963 */
	int lifetime_s;     /* hard upper bound (alarm), default 60 */
	int verbose;
	int start_removed;  /* wait for SIGUSR2 before the first insertion */
};

/* Connect to vpcd and serve the card until the lifetime ends. SIGUSR1
 * removes the card (drops the connection), SIGUSR2 inserts it again.
 * Returns only on a setup error. */
int vpcd_serve(const struct vpcd_opts *o, const struct vcard_ops *ops);

/* Parse "3B 9F ..." into out; -1 on a bad string. */
long vpcd_unhex(const char *s, uint8_t *out, size_t max);

#endif
