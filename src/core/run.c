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
#include "sys/run.h"

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

nd_err
nd_run(const char *const argv[], int timeout_ms, bool with_stderr, size_t max_out,
       struct nd_run_result *res)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	bool fa_init = false, attr_init = false;
	int pfd[2] = { -1, -1 }, wst = 0;
	pid_t pid = -1;
	char **env = NULL, *exe = NULL;
	size_t cap = 4096;
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
	if (posix_spawn_file_actions_init(&fa) != 0)
		goto fail;
	fa_init = true;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (with_stderr)
		posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnattr_init(&attr) != 0)
		goto fail;
	attr_init = true;
	/* its own process group, so that a timeout kills its children too */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	env = c_locale_env();
	if (posix_spawn(&pid, exe, &fa, &attr, (char *const *)(uintptr_t)argv, env) != 0) {
		pid = -1;
		goto fail;
	}
	close(pfd[1]);
	pfd[1] = -1;

	res->out = nd_xcalloc(cap, 1);
	deadline = nd_now_ms() + (timeout_ms > 0 ? timeout_ms : ND_DEFAULT_TIMEOUT_S * 1000);
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
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
		r = read(pfd[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (res->out_len + (size_t)r > max_out) {
			r = (ssize_t)(max_out - res->out_len);
			res->truncated = true;
		}
		if (res->out_len + (size_t)r + 1 > cap) {
			while (res->out_len + (size_t)r + 1 > cap)
				cap *= 2;
			char *n = realloc(res->out, cap);
			if (!n)
				break;
			res->out = n;
		}
		memcpy(res->out + res->out_len, buf, (size_t)r);
		res->out_len += (size_t)r;
		res->out[res->out_len] = '\0';
		if (res->truncated)
			break;
	}
	/* at the deadline, or when it keeps writing past the cap */
	if (res->timed_out || res->truncated)
		kill(-pid, SIGKILL);
	for (;;) {
		pid_t w = waitpid(pid, &wst, res->timed_out ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			break;
		if (w == 0) {
			/* stdout closed but still running: wait until the deadline */
			if (nd_now_ms() >= deadline) {
				res->timed_out = true;
				kill(-pid, SIGKILL);
			} else
				usleep(5000);
		}
	}
	if (WIFEXITED(wst))
		res->status = WEXITSTATUS(wst);
	else if (WIFSIGNALED(wst))
		res->signal = WTERMSIG(wst);
	err = ND_OK;
fail:
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	if (attr_init)
		posix_spawnattr_destroy(&attr);
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	free(env);
	free(exe);
	if (err != ND_OK) {
		free(res->out);
		res->out = NULL;
	} else if (!res->out)
		res->out = nd_xstrdup("");
	return err;
}

void
nd_run_result_free(struct nd_run_result *res)
{
	free(res->out);
	memset(res, 0, sizeof *res);
}
