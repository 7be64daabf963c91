/* SPDX-License-Identifier: BSD-2-Clause */
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
nd_chan_decoder_reset(struct nd_chan_decoder *d)
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

/* --- the process groups alive now, for a signal that ends the program ---
 *
 * A child's group id is its pid. It is listed from before the child can run
 * a module's code until just before it is reaped (a zombie leader keeps the
 * id from being reused), so the handler never kills a stranger's group. */
#define MAX_LIVE 64
static volatile sig_atomic_t live[MAX_LIVE];

static void
live_add(pid_t pid)
{
	for (size_t i = 0; i < MAX_LIVE; i++)
		if (live[i] == 0) {
			live[i] = (sig_atomic_t)pid;
			return;
		}
}

static void
live_del(pid_t pid)
{
	for (size_t i = 0; i < MAX_LIVE; i++)
		if (live[i] == (sig_atomic_t)pid)
			live[i] = 0;
}

static bool
live_has(pid_t pid)
{
	for (size_t i = 0; i < MAX_LIVE; i++)
		if (live[i] == (sig_atomic_t)pid)
			return true;
	return false;
}

/* --- helpers that left a child's process group ---
 *
 * A helper that a module starts and that leaves the child's group (setsid(),
 * as a proper daemon does) is out of reach of the group kill. So the
 * program makes itself a child subreaper (PR_SET_CHILD_SUBREAPER) before
 * its first child: such a helper, once orphaned, becomes its child instead
 * of init's. When a run ends, every child of the program that is not a
 * child it is running is killed and reaped (the group's killed helpers
 * come back the same way, as zombies). The children are read from
 * /proc/self/task/PID/children, the main thread's list (an orphan goes to
 * the thread group's leader); without it (a kernel without
 * CONFIG_PROC_CHILDREN), a helper that calls setsid() still outlives the
 * run. Async-signal-safe up to the reaping: open, read, close, kill. */
#define MAX_ORPHANS 64

static size_t
list_children(pid_t *out, size_t max)
{
	static const char pre[] = "/proc/self/task/", post[] = "/children";
	char path[sizeof pre + 12 + sizeof post], digits[12], buf[1024];
	size_t n = 0, k = 0, nd = 0;
	pid_t self = getpid(), cur = 0;
	bool in = false;
	ssize_t r;
	int fd;

	memcpy(path, pre, sizeof pre - 1);
	k = sizeof pre - 1;
	do
		digits[nd++] = (char)('0' + self % 10);
	while ((self /= 10) > 0 && nd < sizeof digits);
	while (nd)
		path[k++] = digits[--nd];
	memcpy(path + k, post, sizeof post);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (n < max && (r = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < r && n < max; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				cur = cur * 10 + (buf[i] - '0');
				in = true;
			} else if (in) {
				out[n++] = cur;
				cur = 0;
				in = false;
			}
		}
	if (in && n < max)
		out[n++] = cur;
	close(fd);
	return n;
}

/* Kill the children the program is not running as children, and reap them
 * when `reap`: within 100 ms for all of them (one stuck in the kernel is
 * left; init reaps it once we are gone). */
#define SWEEP_REAP_MS 100

static void
sweep_orphans(bool reap)
{
	pid_t v[MAX_ORPHANS];
	size_t n = list_children(v, MAX_ORPHANS), left = 0;
	int64_t until;

	for (size_t i = 0; i < n; i++) {
		if (v[i] > 0 && !live_has(v[i])) {
			kill(v[i], SIGKILL);
			v[left++] = v[i];
		}
	}
	if (!reap)
		return;
	until = nd_now_ms() + SWEEP_REAP_MS;
	while (left) {
		size_t k = 0;

		for (size_t i = 0; i < left; i++) {
			pid_t w = waitpid(v[i], NULL, WNOHANG);
			if (w == 0 || (w < 0 && errno == EINTR))
				v[k++] = v[i];   /* not dead yet */
		}
		left = k;
		if (!left || nd_now_ms() >= until)
			break;
		usleep(1000);
	}
}

static void
become_subreaper(void)
{
	static bool done;

	if (!done) {
		done = true;
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	}
}

void
nd_child_kill_all(void)
{
	for (size_t i = 0; i < MAX_LIVE; i++) {
		pid_t p = (pid_t)live[i];
		if (p > 0)
			kill(-p, SIGKILL);
	}
	sweep_orphans(false);
}

static const int ending_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void
on_ending_signal(int sig)
{
	int e = errno;

	nd_child_kill_all();
	/* delivered again when the handler returns, now with the default
	 * action: the program ends of this signal, as it would have */
	signal(sig, SIG_DFL);
	raise(sig);
	errno = e;
}

void
nd_child_guard_signals(void)
{
	for (size_t i = 0; i < sizeof ending_signals / sizeof ending_signals[0]; i++) {
		struct sigaction sa, old;

		/* an ignored signal (nohup) stays ignored */
		if (sigaction(ending_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_ending_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(ending_signals[i], &sa, NULL);
	}
}

/* --- one child ----------------------------------------------------------- */

struct nd_child {
	pid_t pid;
	int fd, pidfd;
	int64_t start, last;
	struct nd_child_limits lim;
	struct nd_chan_decoder dec;
	struct run_ctx rc;
	struct nd_child_result res;
	bool eof, killed, exited, done;
};

nd_err
nd_child_start(nd_child_fn fn, void *arg, const struct nd_child_limits *lim,
               nd_msg_fn on_msg, void *ctx, struct nd_child **out)
{
	struct nd_child *c = nd_xcalloc(1, sizeof *c);
	int pfd[2] = { -1, -1 };
	sigset_t ending, old;
	nd_err rv = ND_ERR_INTERNAL;

	*out = NULL;
	c->pid = -1;
	c->fd = c->pidfd = -1;
	c->start = c->last = nd_now_ms();
	if (lim)
		c->lim = *lim;
	c->rc = (struct run_ctx){ &c->res, on_msg, ctx, false };
	c->res.end = ND_CHILD_FAILED;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		goto fail;
	become_subreaper();
	fflush(stdout);
	fflush(stderr);
	/* a signal that ends the program must find the new group listed:
	 * held back from before the fork until it is */
	sigemptyset(&ending);
	for (size_t i = 0; i < sizeof ending_signals / sizeof ending_signals[0]; i++)
		sigaddset(&ending, ending_signals[i]);
	sigprocmask(SIG_BLOCK, &ending, &old);
	c->pid = fork();
	if (c->pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		goto fail;
	}
	if (c->pid == 0) {
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
		static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGINT, SIGTERM, SIGHUP };
		for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
			signal(fatal[i], SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		sigprocmask(SIG_SETMASK, &old, NULL);
		fn(&ch, arg);
		close(pfd[1]);
		_exit(0);
	}
	/* also here, so that the group exists before we may kill it */
	setpgid(c->pid, c->pid);
	live_add(c->pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pfd[1]);
	pfd[1] = -1;
	c->fd = pfd[0];
	pfd[0] = -1;
	/* a grandchild may keep the pipe open: reads must never block */
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	c->pidfd = open_pidfd(c->pid);
	*out = c;
	c = NULL;
	rv = ND_OK;
fail:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	free(c);
	return rv;
}

/* When the child's limits run out (INT64_MAX: never); *total tells that the
 * total limit, not a step's, comes first. */
static int64_t
child_deadline(const struct nd_child *c, bool *total)
{
	int64_t d = INT64_MAX;

	*total = false;
	if (c->lim.step_ms > 0)
		d = c->last + c->lim.step_ms;
	if (c->lim.total_ms > 0 && c->start + c->lim.total_ms < d) {
		d = c->start + c->lim.total_ms;
		*total = true;
	}
	return d;
}

/* The run is over: kill the whole group, reap the child, close. */
static void
child_close(struct nd_child *c)
{
	int status = 0;

	c->done = true;
	/* the whole group, also after a clean exit: helpers a module left
	 * behind must not outlive the probe (the child, a zombie until
	 * reaped below, keeps the group id from being reused) */
	kill(-c->pid, SIGKILL);
	if (c->killed && !c->exited)
		kill(c->pid, SIGKILL);
	live_del(c->pid);
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	/* helpers that left its group, and those the group kill ended */
	sweep_orphans(true);
	if (!c->killed) {
		if (WIFSIGNALED(status)) {
			c->res.end = ND_CHILD_SIGNALED;
			c->res.code = WTERMSIG(status);
		} else {
			c->res.end = ND_CHILD_EXITED;
			c->res.code = WEXITSTATUS(status);
			if (c->dec.len)    /* a frame cut in the middle */
				c->res.end = ND_CHILD_BADMSG;
		}
	}
	c->res.elapsed_ms = nd_now_ms() - c->start;
	if (c->pidfd >= 0)
		close(c->pidfd);
	close(c->fd);
	c->pidfd = c->fd = -1;
	nd_chan_decoder_reset(&c->dec);
}

static void
child_kill(struct nd_child *c, enum nd_child_end why)
{
	c->res.end = why;
	c->killed = true;
	child_close(c);
}

/* Take what the child wrote, and see whether it exited. */
static void
child_service(struct nd_child *c)
{
	uint8_t buf[16384];

	/* a bounded number of reads: a chatty child must not starve the
	 * others; the rest waits for the next round */
	for (int i = 0; i < 16 && !c->eof; i++) {
		ssize_t k = read(c->fd, buf, sizeof buf);

		if (k == 0)
			c->eof = true;
		else if (k > 0) {
			c->last = nd_now_ms();
			if (!take_bytes(&c->dec, &c->rc, buf, (size_t)k)) {
				child_kill(c, c->res.end);
				return;
			}
		} else if (errno == EINTR)
			continue;
		else {
			if (errno != EAGAIN)
				c->eof = true;
			break;
		}
	}
	if (child_exited(c->pid)) {
		/* Everything the child wrote is in the pipe now. Take it,
		 * but do not wait for an end of file that a grandchild
		 * holding the pipe would never give. */
		ssize_t k;

		c->exited = true;
		while (!c->eof && (k = read(c->fd, buf, sizeof buf)) != 0) {
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				break;
			if (!take_bytes(&c->dec, &c->rc, buf, (size_t)k)) {
				child_kill(c, c->res.end);
				return;
			}
		}
		child_close(c);
	}
}

bool
nd_child_done(const struct nd_child *c)
{
	return !c || c->done;
}

size_t
nd_child_wait(struct nd_child *const *v, size_t n, int64_t until_ms)
{
	size_t ended = 0;

	for (;;) {
		int64_t now = nd_now_ms(), wait = 60000;
		struct pollfd p[2 * 16];
		nfds_t np = 0;
		bool any = false;
		int r;

		for (size_t i = 0; i < n; i++) {
			struct nd_child *c = v[i];
			bool total;
			int64_t d;

			if (nd_child_done(c))
				continue;
			d = child_deadline(c, &total);
			if (d <= now) {
				c->res.over_total = total;
				child_kill(c, ND_CHILD_TIMEOUT);
				ended++;
				continue;
			}
			if (d - now < wait)
				wait = d - now;
			if (c->pidfd < 0 && wait > EXIT_TICK_MS)
				wait = EXIT_TICK_MS;
			/* more children than one round can watch: the others are
			 * looked at on the tick */
			if (np + 2 > sizeof p / sizeof p[0]) {
				if (wait > EXIT_TICK_MS)
					wait = EXIT_TICK_MS;
				continue;
			}
			any = true;
			if (!c->eof)
				p[np++] = (struct pollfd){ c->fd, POLLIN, 0 };
			if (c->pidfd >= 0)
				p[np++] = (struct pollfd){ c->pidfd, POLLIN, 0 };
		}
		if (ended)
			return ended;
		if (until_ms > 0) {
			if (until_ms <= now)
				return 0;
			if (until_ms - now < wait)
				wait = until_ms - now;
		}
		if (!any && wait == 60000)
			return 0;   /* nothing left to wait for */
		r = poll(p, np, (int)wait);
		if (r < 0 && errno == EINTR) {
			/* a handler of ours ran (Ctrl-C in `watch`): in groups of
			 * their own the children did not get the terminal's
			 * signal, so they are ended here */
			for (size_t i = 0; i < n; i++)
				if (!nd_child_done(v[i])) {
					child_kill(v[i], ND_CHILD_STOPPED);
					ended++;
				}
			return ended;
		}
		if (r < 0) {
			for (size_t i = 0; i < n; i++)
				if (!nd_child_done(v[i])) {
					child_kill(v[i], ND_CHILD_FAILED);
					ended++;
				}
			return ended;
		}
		/* every child is looked at: without a pidfd, an exit shows
		 * only this way */
		for (size_t i = 0; i < n; i++) {
			if (nd_child_done(v[i]))
				continue;
			child_service(v[i]);
			if (nd_child_done(v[i]))
				ended++;
		}
		if (ended)
			return ended;
	}
}

void
nd_child_end(struct nd_child *c, struct nd_child_result *res)
{
	if (!c)
		return;
	if (!c->done)
		child_kill(c, ND_CHILD_STOPPED);
	*res = c->res;
	free(c);
}

nd_err
nd_child_run(nd_child_fn fn, void *arg, const struct nd_child_limits *lim,
             nd_msg_fn on_msg, void *ctx, struct nd_child_result *res)
{
	struct nd_child *c = NULL;
	nd_err rv;

	memset(res, 0, sizeof *res);
	res->end = ND_CHILD_FAILED;
	rv = nd_child_start(fn, arg, lim, on_msg, ctx, &c);
	if (rv != ND_OK)
		return rv;
	while (!nd_child_done(c))
		nd_child_wait(&c, 1, 0);
	nd_child_end(c, res);
	return ND_OK;
}
