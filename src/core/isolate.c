#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/isolate.h"
#include "core/util.h"

struct nd_chan {
	int fd;
};

static bool
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

bool
nd_chan_send(struct nd_chan *ch, json_object *msg)
{
	const char *s = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN);
	size_t n = strlen(s);
	uint8_t *frame;
	bool ok;

	if (n > ND_CHAN_MAX_FRAME)
		return false;
	/* one write per frame: a reader never sees half a header for long */
	frame = nd_xcalloc(n + 4, 1);
	frame[0] = (uint8_t)(n >> 24);
	frame[1] = (uint8_t)(n >> 16);
	frame[2] = (uint8_t)(n >> 8);
	frame[3] = (uint8_t)n;
	memcpy(frame + 4, s, n);
	ok = write_all(ch->fd, frame, n + 4);
	free(frame);
	return ok;
}

bool
nd_chan_step(struct nd_chan *ch, const char *fmt, ...)
{
	char step[256];
	va_list ap;
	json_object *m;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(step, sizeof step, fmt, ap);
	va_end(ap);
	m = json_object_new_object();
	json_object_object_add(m, "_step", json_object_new_string(step));
	ok = nd_chan_send(ch, m);
	json_object_put(m);
	return ok;
}

nd_err
nd_chan_decode(struct nd_chan_decoder *d, const uint8_t *p, size_t n, nd_frame_fn cb, void *ctx)
{
	size_t off = 0;

	if (n == 0 && d->len == 0)
		return ND_OK;
	d->total += n;
	if (d->total > ND_CHAN_MAX_TOTAL + 4 * 1024)
		return ND_ERR_PROTOCOL;
	if (d->len + n > d->cap) {
		size_t cap = d->cap ? d->cap : 4096;
		uint8_t *nb;
		while (cap < d->len + n)
			cap *= 2;
		nb = realloc(d->buf, cap);
		if (!nb)
			return ND_ERR_NOMEM;
		d->buf = nb;
		d->cap = cap;
	}
	if (n)
		memcpy(d->buf + d->len, p, n);
	d->len += n;

	for (;;) {
		struct nd_cur c;
		uint32_t flen;
		const uint8_t *body;
		json_tokener *tok;
		json_object *msg;

		nd_cur_init(&c, d->buf + off, d->len - off);
		if (!nd_cur_u32be(&c, &flen))
			break;
		if (flen > ND_CHAN_MAX_FRAME)
			return ND_ERR_PROTOCOL;
		if (!nd_cur_view(&c, &body, flen))
			break;
		tok = json_tokener_new_ex(ND_CHAN_MAX_DEPTH);
		if (!tok)
			return ND_ERR_NOMEM;
		msg = json_tokener_parse_ex(tok, (const char *)body, (int)flen);
		if (!msg || json_tokener_get_error(tok) != json_tokener_success ||
		    tok->char_offset != (int)flen || !json_object_is_type(msg, json_type_object)) {
			json_object_put(msg);
			json_tokener_free(tok);
			return ND_ERR_PARSE;
		}
		json_tokener_free(tok);
		off += 4 + flen;
		if (!cb(msg, ctx)) {
			json_object_put(msg);
			break;
		}
		json_object_put(msg);
	}
	if (off) {
		memmove(d->buf, d->buf + off, d->len - off);
		d->len -= off;
	}
	return ND_OK;
}

void
nd_chan_decoder_free(struct nd_chan_decoder *d)
{
	free(d->buf);
	memset(d, 0, sizeof *d);
}

const char *
nd_child_end_name(enum nd_child_end e)
{
	switch (e) {
	case ND_CHILD_EXITED: return "exited";
	case ND_CHILD_SIGNALED: return "crashed";
	case ND_CHILD_TIMEOUT: return "timeout";
	case ND_CHILD_STOPPED: return "stopped";
	case ND_CHILD_BADMSG: return "bad_message";
	case ND_CHILD_FAILED: return "failed";
	}
	return "failed";
}

struct run_ctx {
	struct nd_child_result *res;
	nd_msg_fn on_msg;
	void *ctx;
	bool stop;
};

static bool
on_frame(json_object *msg, void *p)
{
	struct run_ctx *rc = p;
	const char *step = nd_jstr(msg, "_step");

	if (step) {
		snprintf(rc->res->step, sizeof rc->res->step, "%s", step);
		return true;
	}
	rc->res->n_msgs++;
	if (rc->on_msg && !rc->on_msg(msg, rc->ctx)) {
		rc->stop = true;
		return false;
	}
	return true;
}

/* A pidfd polls readable when the child exits, so the parent learns of the
 * exit at once even when a grandchild still holds the pipe. Without one
 * (kernels before 5.3) the loop looks every EXIT_TICK_MS. */
#define EXIT_TICK_MS 50

static int
open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* Has the child exited? It stays a zombie (WNOWAIT), so its pid, which is
 * also its process group's id, cannot be reused before the group is
 * killed. */
static bool
child_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

/* Feed what came from the child to the decoder; false when the run ends
 * (end already set in res). */
static bool
take_bytes(struct nd_chan_decoder *dec, struct run_ctx *rc, const uint8_t *buf, size_t n)
{
	if (nd_chan_decode(dec, buf, n, on_frame, rc) != ND_OK) {
		rc->res->end = ND_CHILD_BADMSG;
		return false;
	}
	if (rc->stop) {
		rc->res->end = ND_CHILD_STOPPED;
		return false;
	}
	return true;
}

nd_err
nd_child_run(nd_child_fn fn, void *arg, const struct nd_child_limits *lim,
             nd_msg_fn on_msg, void *ctx, struct nd_child_result *res)
{
	int pfd[2] = { -1, -1 }, pidfd = -1;
	pid_t pid = -1;
	int64_t start = nd_now_ms(), last = start;
	struct nd_chan_decoder dec = { 0 };
	struct run_ctx rc = { res, on_msg, ctx, false };
	bool eof = false, killed = false, exited = false;
	int status = 0;
	uint8_t buf[16384];
	nd_err rv = ND_ERR_INTERNAL;

	memset(res, 0, sizeof *res);
	res->end = ND_CHILD_FAILED;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		goto fail;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		struct nd_chan ch = { pfd[1] };
		int devnull = open("/dev/null", O_WRONLY);

		/* a group of its own: whatever a module starts (a vendor
		 * "daemon" that does not call setsid) ends with it */
		setpgid(0, 0);
		close(pfd[0]);
		/* die with the parent; modules that print must not mix into our
		 * report on stdout */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (devnull >= 0) {
			dup2(devnull, STDOUT_FILENO);
			close(devnull);
		}
		/* a crash must end the child as a plain signal death that the
		 * parent can report, whatever handlers the parent installed */
		static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGINT, SIGTERM };
		for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
			signal(fatal[i], SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		fn(&ch, arg);
		close(pfd[1]);
		_exit(0);
	}
	/* also here, so that the group exists before we may kill it */
	setpgid(pid, pid);
	close(pfd[1]);
	pfd[1] = -1;
	/* a grandchild may keep the pipe open: reads must never block */
	fcntl(pfd[0], F_SETFL, fcntl(pfd[0], F_GETFL) | O_NONBLOCK);
	pidfd = open_pidfd(pid);

	for (;;) {
		int64_t now = nd_now_ms(), wait = 60000;
		bool bounded = false;
		struct pollfd p[2];
		nfds_t np = 0;
		int r;

		if (lim && lim->step_ms > 0) {
			wait = last + lim->step_ms - now;
			bounded = true;
		}
		if (lim && lim->total_ms > 0) {
			int64_t w2 = start + lim->total_ms - now;
			if (!bounded || w2 < wait)
				wait = w2;
			bounded = true;
		}
		if (bounded && wait <= 0) {
			res->end = ND_CHILD_TIMEOUT;
			killed = true;
			break;
		}
		if (wait > 60000)
			wait = 60000;
		if (pidfd < 0 && wait > EXIT_TICK_MS)
			wait = EXIT_TICK_MS;
		if (!eof)
			p[np++] = (struct pollfd){ pfd[0], POLLIN, 0 };
		if (pidfd >= 0)
			p[np++] = (struct pollfd){ pidfd, POLLIN, 0 };
		r = poll(p, np, (int)wait);
		if (r < 0 && errno == EINTR) {
			/* a handler of ours ran (Ctrl-C in `watch`): in a group
			 * of its own the child did not get the terminal's
			 * signal, so it is ended here */
			res->end = ND_CHILD_STOPPED;
			killed = true;
			break;
		}
		if (r < 0) {
			res->end = ND_CHILD_FAILED;
			killed = true;
			break;
		}
		if (!eof && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t k = read(pfd[0], buf, sizeof buf);

			if (k == 0)
				eof = true;
			else if (k > 0) {
				last = nd_now_ms();
				if (!take_bytes(&dec, &rc, buf, (size_t)k)) {
					killed = true;
					break;
				}
				continue;   /* more may be waiting before the exit */
			} else if (errno != EINTR && errno != EAGAIN)
				eof = true;
		}
		if (child_exited(pid)) {
			/* Everything the child wrote is in the pipe now. Take it,
			 * but do not wait for an end of file that a grandchild
			 * holding the pipe would never give. */
			ssize_t k;

			exited = true;
			while (!eof && (k = read(pfd[0], buf, sizeof buf)) != 0) {
				if (k < 0 && errno == EINTR)
					continue;
				if (k < 0)
					break;
				if (!take_bytes(&dec, &rc, buf, (size_t)k)) {
					killed = true;
					break;
				}
			}
			break;
		}
	}
	/* the whole group, also after a clean exit: helpers a module left
	 * behind must not outlive the probe (the child, a zombie until
	 * reaped below, keeps the group id from being reused) */
	kill(-pid, SIGKILL);
	if (killed && !exited)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!killed) {
		if (WIFSIGNALED(status)) {
			res->end = ND_CHILD_SIGNALED;
			res->code = WTERMSIG(status);
		} else {
			res->end = ND_CHILD_EXITED;
			res->code = WEXITSTATUS(status);
			if (dec.len)    /* a frame cut in the middle */
				res->end = ND_CHILD_BADMSG;
		}
	}
	res->elapsed_ms = nd_now_ms() - start;
	rv = ND_OK;
fail:
	if (pidfd >= 0)
		close(pidfd);
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	nd_chan_decoder_free(&dec);
	return rv;
}
