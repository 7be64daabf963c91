/* SPDX-License-Identifier: BSD-2-Clause */
/* A configurable virtual card for the rig: connects to vpcd (see vpcd.h) and
 * plays whatever card a test needs.
 *
 *   vcard [-p PORT] [-H HOST] [-a ATRHEX] [-r CMD=RESP]... [-s SW]
 *         [-m none|apdu|atr] [-d MS] [-c] [-t SECS] [-v]
 *
 *   -p, --port PORT      vpcd's port (35963: "Virtual PCD 00 00", 35964: "... 00 01")
 *   -H, --host HOST      vpcd's address (IPv4, default 127.0.0.1)
 *   -a, --atr ATRHEX     the ATR, sent as given: malformed or truncated ATRs are
 *                        allowed on purpose (default: AKIS v1.2, UEKAE family)
 *   -r, --rule CMD=RESP  answer RESP (hex, status word included) to every command
 *                        APDU that starts with the bytes CMD; repeatable, first wins
 *   -s, --sw SW          status word for commands nothing else answers (default 6D00)
 *   -m, --mute MODE      "apdu" sends the ATR but never answers an APDU;
 *                        "atr" never answers the reset (vpcd then reports the
 *                        reader as empty: it cannot play SCARD_W_UNRESPONSIVE_CARD)
 *   -d, --delay MS       answer each APDU only after MS milliseconds
 *   -c, --removed        start with the card removed (SIGUSR2 inserts it)
 *   -t, --lifetime SECS  hard upper bound of the lifetime (default 60)
 *   -v, --verbose        log every message to stderr ("vcard ->" commands)
 *
 * Built in, unless -r says otherwise: SELECT MF answers 9000, GET CHALLENGE
 * answers 8 random bytes + 9000.
 * Signals: SIGUSR1 removes the card, SIGUSR2 inserts it again. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vpcd.h"

#define MAX_RULES 16

struct rule {
	uint8_t cmd[64];
	size_t cmd_len;
	uint8_t resp[258];
	size_t resp_len;
};

struct card {
	uint8_t atr[64];
	size_t atr_len;
	int mute_atr, mute_apdu;
	int delay_ms;
	uint8_t sw[2];
	struct rule rules[MAX_RULES];
	size_t n_rules;
};

static const uint8_t *
card_atr(void *ctx, size_t *len)
{
	struct card *c = ctx;

	if (c->mute_atr)
		return NULL;
	*len = c->atr_len;
	return c->atr;
}

static ssize_t
put_sw(uint8_t *r, size_t off, uint8_t sw1, uint8_t sw2)
{
	r[off] = sw1;
	r[off + 1] = sw2;
	return (ssize_t)(off + 2);
}

static ssize_t
card_apdu(void *ctx, const uint8_t *a, size_t n, uint8_t *r, size_t rmax)
{
	struct card *c = ctx;

	if (c->mute_apdu)
		return -1;
	if (c->delay_ms > 0)
		usleep((useconds_t)c->delay_ms * 1000);
	for (size_t i = 0; i < c->n_rules; i++) {
		const struct rule *u = &c->rules[i];
		if (n >= u->cmd_len && memcmp(a, u->cmd, u->cmd_len) == 0 && u->resp_len <= rmax) {
			memcpy(r, u->resp, u->resp_len);
			return (ssize_t)u->resp_len;
		}
	}
	if (n < 4)
		return put_sw(r, 0, 0x67, 0x00);
	/* SELECT by file id 3F00, or SELECT with no data: the MF */
	if (a[1] == 0xA4 && a[2] == 0x00 &&
	    (n <= 5 || (n >= 7 && a[4] == 2 && a[5] == 0x3F && a[6] == 0x00)))
		return put_sw(r, 0, 0x90, 0x00);
	if (a[1] == 0x84 && rmax >= 10) {   /* GET CHALLENGE */
		for (size_t i = 0; i < 8; i++)
			r[i] = (uint8_t)rand();
		return put_sw(r, 8, 0x90, 0x00);
	}
	return put_sw(r, 0, c->sw[0], c->sw[1]);
}

static void
usage(void)
{
	fprintf(stderr, "usage: vcard [-p PORT] [-H HOST] [-a ATRHEX] [-r CMD=RESP]... [-s SW]\n"
	                "             [-m none|apdu|atr] [-d MS] [-c] [-t SECS] [-v]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static struct card c;
	struct vpcd_opts o = { 0 };
	struct vcard_ops ops = { card_atr, card_apdu, NULL, &c };
	long k;
	int opt;

	k = vpcd_unhex("3B9F968131FE45806755454B41451212318073B3A180EA", c.atr, sizeof c.atr);
	c.atr_len = (size_t)k;
	c.sw[0] = 0x6D;
	c.sw[1] = 0x00;
	o.lifetime_s = 60;
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "atr", required_argument, NULL, 'a' },
		{ "rule", required_argument, NULL, 'r' },
		{ "sw", required_argument, NULL, 's' },
		{ "mute", required_argument, NULL, 'm' },
		{ "delay", required_argument, NULL, 'd' },
		{ "removed", no_argument, NULL, 'c' },
		{ "lifetime", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "p:H:a:r:s:m:d:ct:v", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': o.port = atoi(optarg); break;
		case 'H': o.host = optarg; break;
		case 'a':
			k = vpcd_unhex(optarg, c.atr, sizeof c.atr);
			if (k < 1) {
				fprintf(stderr, "vcard: bad ATR '%s'\n", optarg);
				return 2;
			}
			c.atr_len = (size_t)k;
			break;
		case 'r': {
			char *eq = strchr(optarg, '=');
			struct rule *u = &c.rules[c.n_rules];
			long a, b;

			if (!eq || c.n_rules == MAX_RULES)
				usage();
			*eq = '\0';
			a = vpcd_unhex(optarg, u->cmd, sizeof u->cmd);
			b = vpcd_unhex(eq + 1, u->resp, sizeof u->resp);
			if (a < 1 || b < 2) {
				fprintf(stderr, "vcard: bad rule '%s=%s'\n", optarg, eq + 1);
				return 2;
			}
			u->cmd_len = (size_t)a;
			u->resp_len = (size_t)b;
			c.n_rules++;
			break;
		}
		case 's':
			if (vpcd_unhex(optarg, c.sw, sizeof c.sw) != 2)
				usage();
			break;
		case 'm':
			if (strcmp(optarg, "apdu") == 0)
				c.mute_apdu = 1;
			else if (strcmp(optarg, "atr") == 0)
				c.mute_atr = 1;
			else if (strcmp(optarg, "none") != 0)
				usage();
			break;
		case 'd': c.delay_ms = atoi(optarg); break;
		case 'c': o.start_removed = 1; break;
		case 't': o.lifetime_s = atoi(optarg); break;
		case 'v': o.verbose++; break;
		default: usage();
		}
	}
	srand((unsigned)time(NULL));
	setvbuf(stderr, NULL, _IOLBF, 0);
	return vpcd_serve(&o, &ops) ? 1 : 0;
}
