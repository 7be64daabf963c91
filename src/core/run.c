/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/opts.h"
#include "core/util.h"
#include "core/run.h"

extern char **environ;

char *
nd_which(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy = NULL, *save = NULL, *ret = NULL;

	if (!prog || !*prog)
		goto fail;
	if (strchr(prog, '/')) {
		if (access(prog, X_OK) == 0)
			ret = nd_xstrdup(prog);
		goto fail;
	}
	copy = nd_xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *p = nd_asprintf("%s/%s", *dir ? dir : ".", prog);
		if (access(p, X_OK) == 0) {
			ret = p;
			break;
		}
		free(p);
	}
fail:
	free(copy);
	return ret;
}

/* environ with the locale forced to C, so that outputs parse the same on a
 * Turkish desktop; malloc'ed array of borrowed strings. */
static char **
c_locale_env(void)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = nd_xcalloc(n + 3, sizeof *env);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) != 0 && strncmp(environ[i], "LANGUAGE=", 9) != 0)
			env[k++] = environ[i];
	env[k++] = (char *)(uintptr_t)"LC_ALL=C";
	env[k++] = (char *)(uintptr_t)"LANGUAGE=";
	env[k] = NULL;
	return env;
}

/* Start exe with argv: stdin from /dev/null, stdout (and stderr when
 * with_stderr) into wfd, in its own process group, in the C locale. */
static nd_err
run_spawn(const char *exe, const char *const argv[], bool with_stderr, int wfd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	bool fa_init = false, attr_init = false;
	char **env = NULL;
	nd_err err = ND_ERR_IO;

	if (posix_spawn_file_actions_init(&fa) != 0)
		goto fail;
	fa_init = true;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, wfd, 1);
	if (with_stderr)
		posix_spawn_file_actions_adddup2(&fa, wfd, 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnattr_init(&attr) != 0)
		goto fail;
	attr_init = true;
	/* its own process group, so that a timeout kills its children too */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	env = c_locale_env();
	if (posix_spawn(pid, exe, &fa, &attr, (char *const *)(uintptr_t)argv, env) != 0) {
		*pid = -1;
		goto fail;
	}
	err = ND_OK;
fail:
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	if (attr_init)
		posix_spawnattr_destroy(&attr);
	free(env);
	return err;
}

/* Append n bytes of buf to res->out (of *cap bytes), up to max_out in all.
 * False when reading should stop: the cap was reached (res->truncated), or
 * no memory. */
static bool
run_append(struct nd_run_result *res, size_t *cap, const char *buf, size_t n, size_t max_out)
{
	if (res->out_len + n > max_out) {
		n = max_out - res->out_len;
		res->truncated = true;
	}
	if (res->out_len + n + 1 > *cap) {
		size_t c = *cap;
		char *p;

		while (res->out_len + n + 1 > c)
			c *= 2;
		if (!(p = realloc(res->out, c)))
			return false;
		res->out = p;
		*cap = c;
	}
	memcpy(res->out + res->out_len, buf, n);
	res->out_len += n;
	res->out[res->out_len] = '\0';
	return !res->truncated;
}

/* Read what the child writes on fd into res->out until it closes its end,
 * the deadline (res->timed_out) or max_out (res->truncated). */
static void
run_read(int fd, int64_t deadline, size_t max_out, struct nd_run_result *res)
{
	size_t cap = 4096;

	res->out = nd_xcalloc(cap, 1);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - nd_now_ms();
		char buf[4096];
		ssize_t r;

		if (left <= 0) {
			res->timed_out = true;
			break;
		}
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || !run_append(res, &cap, buf, (size_t)r, max_out))
			break;
	}
}

/* Reap the child and return its wait status. Killed at once (with its
 * group) when it timed out or wrote past the cap; otherwise it may still
 * run after closing its stdout, and is given until the deadline. */
static int
run_wait(pid_t pid, int64_t deadline, struct nd_run_result *res)
{
	int wst = 0;

	if (res->timed_out || res->truncated)
		kill(-pid, SIGKILL);
	for (;;) {
		pid_t w = waitpid(pid, &wst, res->timed_out ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			break;
		if (w == 0) {
			if (nd_now_ms() >= deadline) {
				res->timed_out = true;
				kill(-pid, SIGKILL);
			} else
				usleep(5000);
		}
	}
	return wst;
}

/* The exit status or the signal, from the wait status. */
static void
run_collect(int wst, struct nd_run_result *res)
{
	if (WIFEXITED(wst))
		res->status = WEXITSTATUS(wst);
	else if (WIFSIGNALED(wst))
		res->signal = WTERMSIG(wst);
}

nd_err
nd_run(const char *const argv[], int timeout_ms, bool with_stderr, size_t max_out,
       struct nd_run_result *res)
{
	int pfd[2] = { -1, -1 };
	pid_t pid = -1;
	char *exe = NULL;
	int64_t deadline;
	nd_err err = ND_ERR_IO;

	memset(res, 0, sizeof *res);
	res->status = -1;
	if (!(exe = nd_which(argv[0]))) {
		err = ND_ERR_NOT_FOUND;
		goto fail;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0)
		goto fail;
	if ((err = run_spawn(exe, argv, with_stderr, pfd[1], &pid)) != ND_OK)
		goto fail;
	close(pfd[1]);
	pfd[1] = -1;
	deadline = nd_now_ms() + (timeout_ms > 0 ? timeout_ms : ND_DEFAULT_TIMEOUT_S * 1000);
	run_read(pfd[0], deadline, max_out, res);
	run_collect(run_wait(pid, deadline, res), res);
	err = ND_OK;
fail:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	free(exe);
	if (err != ND_OK) {
		free(res->out);
		res->out = NULL;
	} else if (!res->out)
		res->out = nd_xstrdup("");
	return err;
}

void
nd_run_result_reset(struct nd_run_result *res)
{
	free(res->out);
	memset(res, 0, sizeof *res);
}
