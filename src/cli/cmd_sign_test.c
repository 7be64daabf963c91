/* SPDX-License-Identifier: BSD-2-Clause */
/* nesdoctor sign-test: the one command that uses the PIN. It is read from
 * the terminal with echo off, from --pin-fd N, or from NESDOCTOR_PIN (for
 * scripts); never from argv. It is read only when a login is going to
 * happen, held in locked memory, and wiped on every path. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include "checks/checks.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "p11/p11.h"
#include "pcsc/pcsc.h"
#include "render/render.h"
#include "report/report.h"

struct pin_ctx {
	const struct nd_opts *o;
	char *env;        /* NESDOCTOR_PIN, taken out of the environment at start */
	size_t env_len;
};

/* The terminal state to restore if a signal ends us while echo is off. */
static int tty_fd = -1;
static struct termios tty_saved;
static volatile sig_atomic_t tty_dirty;

static void
restore_tty(int sig)
{
	if (tty_dirty)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read one line (without its newline) into buf. Returns its length (0 for
 * an empty line or nothing at all), or ND_PIN_UNREADABLE (errno says why),
 * ND_PIN_TOO_LONG, ND_PIN_HAS_NUL: a NUL byte would cut the PIN short at
 * the token, spending a try on a PIN the person never meant. The rest of
 * an overlong line is read and dropped, so it cannot end up as the next
 * command in an interactive shell. */
static long
read_line(int fd, char *buf, size_t bufsz)
{
	size_t n = 0;
	bool overflow = false, nul = false;
	int err = 0;
	char c;
	long rv;

	for (;;) {
		ssize_t k = read(fd, &c, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			err = errno;
		if (k <= 0)
			break;
		if (c == '\n')
			break;
		if (c == '\0')
			nul = true;
		if (n + 1 < bufsz)
			buf[n++] = c;
		else
			overflow = true;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	c = 0;
	rv = err ? ND_PIN_UNREADABLE : overflow ? ND_PIN_TOO_LONG : nul ? ND_PIN_HAS_NUL : (long)n;
	if (rv < 0)
		explicit_bzero(buf, bufsz);
	errno = err;
	return rv;
}

static long
read_tty(char *buf, size_t bufsz, const char *token)
{
	struct termios t;
	struct sigaction sa, old_int, old_term, old_hup;
	long n;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return ND_PIN_NONE;   /* no terminal to ask on */
	if (tcgetattr(fd, &tty_saved) != 0) {
		close(fd);
		return ND_PIN_NONE;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = restore_tty;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	tty_fd = fd;
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	{
		/* the token's label is outside data: escaped and masked */
		char *label = nd_safe_text(token ? token : "?", false, false);
		dprintf(fd, _("PIN for %s (nothing is shown while you type): "), label);
		free(label);
	}
	tty_dirty = 1;
	tcsetattr(fd, TCSAFLUSH, &t);
	n = read_line(fd, buf, bufsz);
	tcsetattr(fd, TCSAFLUSH, &tty_saved);
	tty_dirty = 0;
	dprintf(fd, "\n");
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	close(fd);
	tty_fd = -1;
	return n;
}

static long
read_pin(void *ctx, char *buf, size_t bufsz, const char *token, const char **source)
{
	struct pin_ctx *pc = ctx;
	long n = ND_PIN_NONE;

	if (pc->o->pin_fd >= 0) {
		*source = "fd";
		n = read_line(pc->o->pin_fd, buf, bufsz);
	} else if (pc->env) {
		*source = "env";
		n = ND_PIN_TOO_LONG;
		if (pc->env_len < bufsz) {
			memcpy(buf, pc->env, pc->env_len + 1);
			n = (long)pc->env_len;
		}
	} else {
		*source = "terminal";
		n = read_tty(buf, bufsz, token);
	}
	return n;
}

/* Take NESDOCTOR_PIN out of the environment before any module runs: it
 * would be inherited by every child, and /proc/PID/environ shows it. */
static void
take_env_pin(struct pin_ctx *pc)
{
	char *v = getenv("NESDOCTOR_PIN");
	size_t n;

	if (!v)
		return;
	n = strlen(v);
	pc->env = nd_xcalloc(ND_P11_PIN_MAX, 1);
	mlock(pc->env, ND_P11_PIN_MAX);
	if (n < ND_P11_PIN_MAX) {
		memcpy(pc->env, v, n + 1);
		pc->env_len = n;
	} else
		pc->env_len = ND_P11_PIN_MAX;   /* too long: read_pin refuses it */
	explicit_bzero(v, n);
	unsetenv("NESDOCTOR_PIN");
}

int
nd_cmd_sign_test(struct nd_opts *o)
{
	struct pin_ctx pc = { o, NULL, 0 };
	struct nd_p11_pin_source src = { read_pin, &pc };
	struct nd_report rep;
	int code;

	take_env_pin(&pc);
	nd_report_init(&rep, o);
	/* Exit 0 exactly when a signature was made and verified: that is
	 * the answer this command gives, warnings or not. */
	nd_report_verdict_by(&rep, "sign.test");
	/* readers first: they name the token's reader in the report */
	nd_pcsc_collect(&rep);
	nd_p11_collect(&rep);
	nd_p11_sign_test(&rep, &src);
	nd_freezero(pc.env, ND_P11_PIN_MAX);
	pc.env = NULL;
	/* the PC/SC checks are `nesdoctor readers`' business: here a token
	 * that is there is all that counts (a missing one is explained by
	 * p11.token) */
	nd_report_evaluate(&rep, nd_checks, ND_LAYER_P11 | ND_LAYER_SIGN);
	code = nd_render(&rep);
	nd_report_reset(&rep);
	return code;
}
