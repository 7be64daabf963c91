/* SPDX-License-Identifier: BSD-2-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vpcd.h"

static volatile sig_atomic_t want_inserted = 1;

static void
on_signal(int s)
{
	want_inserted = (s == SIGUSR2);
}

long
vpcd_unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else if (*s == ' ' || *s == ':')
			continue;
		else
			return -1;
		if (hi < 0)
			hi = v;
		else {
			if (n >= max)
				return -1;
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (long)n : -1;
}

static void
hexlog(const struct vpcd_opts *o, const char *tag, const uint8_t *b, size_t n)
{
	if (!o->verbose)
		return;
	fprintf(stderr, "vcard %s:", tag);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %02X", b[i]);
	fputc('\n', stderr);
}

/* Read exactly n bytes; -2 when the card is "removed" meanwhile. */
static int
read_full(int fd, uint8_t *b, size_t n)
{
	while (n) {
		struct pollfd p = { fd, POLLIN, 0 };
		int r = poll(&p, 1, 100), one = 1;
		ssize_t k;

		if (r < 0 && errno == EINTR)
			continue;
		if (!want_inserted)
			return -2;
		if (r <= 0)
			continue;
		k = recv(fd, b, n, 0);
		if (k <= 0)
			return -1;
		/* vpcd sends power-on and get-ATR back to back: acknowledge at
		 * once, or Nagle + delayed ACK cost ~40 ms per message */
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Header and payload in one send(): two small writes stall on loopback. */
static int
send_msg(const struct vpcd_opts *o, int fd, const uint8_t *b, size_t n)
{
	static uint8_t out[2 + 65536];

	if (n > 65535)
		return -1;
	hexlog(o, "<-", b, n);
	out[0] = (uint8_t)(n >> 8);
	out[1] = (uint8_t)n;
	memcpy(out + 2, b, n);
	return send(fd, out, n + 2, MSG_NOSIGNAL) == (ssize_t)(n + 2) ? 0 : -1;
}

static void
serve_connection(const struct vpcd_opts *o, const struct vcard_ops *ops, int fd)
{
	static uint8_t msg[65536], resp[65536 + 2];
	uint8_t hdr[2];

	for (;;) {
		size_t n;
		int rc = read_full(fd, hdr, 2);

		if (rc) {
			if (o->verbose)
				fprintf(stderr, "vcard: %s\n", rc == -2 ? "card removed" : "vpcd closed");
			return;
		}
		n = (size_t)hdr[0] << 8 | hdr[1];
		if (n == 0)
			continue;
		if (read_full(fd, msg, n))
			return;
		if (n == 1) {
			if (o->verbose > 1)
				fprintf(stderr, "vcard: control %u\n", msg[0]);
			if (msg[0] == 4) {
				size_t alen = 0;
				const uint8_t *a = ops->atr(ops->ctx, &alen);
				/* NULL: a card that never answers the reset */
				if (a && send_msg(o, fd, a, alen))
					return;
			} else if (ops->control)
				ops->control(ops->ctx, msg[0]);
			continue;
		}
		hexlog(o, "->", msg, n);
		{
			ssize_t k = ops->apdu(ops->ctx, msg, n, resp, sizeof resp);
			if (k < 0)
				continue;   /* mute: never answer */
			if (send_msg(o, fd, resp, (size_t)k))
				return;
		}
	}
}

int
vpcd_serve(const struct vpcd_opts *o, const struct vcard_ops *ops)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)(o->port ? o->port : 35963));
	if (inet_pton(AF_INET, o->host ? o->host : "127.0.0.1", &sa.sin_addr) != 1) {
		fprintf(stderr, "vcard: host must be an IPv4 literal\n");
		return -1;
	}
	if (o->start_removed)
		want_inserted = 0;
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	alarm((unsigned)(o->lifetime_s > 0 ? o->lifetime_s : 60));

	for (;;) {
		int fd = -1;

		/* polled, not pause(): a signal between the test and pause()
		 * would be lost */
		while (!want_inserted)
			usleep(20000);
		while (fd < 0 && want_inserted) {
			fd = socket(AF_INET, SOCK_STREAM, 0);
			if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
				close(fd);
				fd = -1;
				usleep(100000);   /* vpcd not listening yet */
			}
		}
		if (fd < 0)
			continue;
		if (o->verbose)
			fprintf(stderr, "vcard: connected (card inserted)\n");
		serve_connection(o, ops, fd);
		close(fd);
		if (want_inserted)
			usleep(200000);   /* vpcd dropped us: retry */
	}
}
