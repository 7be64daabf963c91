/* SPDX-License-Identifier: BSD-2-Clause */
/* The child-process isolation: messages, a hang, a crash, bad frames. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/isolate.h"
#include "core/util.h"

static void
child_talks(struct nd_chan *ch, void *arg)
{
	json_object *m = json_object_new_object();

	(void)arg;
	nd_chan_step(ch, "C_Initialize");
	json_object_object_add(m, "rv", json_object_new_int(0));
	nd_chan_send(ch, m);
	json_object_put(m);
}

static void
child_hangs(struct nd_chan *ch, void *arg)
{
	(void)arg;
	nd_chan_step(ch, "C_GetSlotList");
	for (;;)
		pause();
}

static void
child_crashes(struct nd_chan *ch, void *arg)
{
	(void)arg;
	nd_chan_step(ch, "C_GetTokenInfo");
	raise(SIGSEGV);
}

static bool
count_msgs(json_object *msg, void *ctx)
{
	int *n = ctx;

	assert_int_equal(nd_jint(msg, "rv", -1), 0);
	(*n)++;
	return true;
}

static void
messages_arrive(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 2000, 5000 };
	int n = 0;

	(void)state;
	assert_int_equal(nd_child_run(child_talks, NULL, &lim, count_msgs, &n, &res), ND_OK);
	assert_int_equal(res.end, ND_CHILD_EXITED);
	assert_int_equal(res.code, 0);
	assert_int_equal(n, 1);
	assert_string_equal(res.step, "C_Initialize");
}

static void
hang_is_killed_and_named(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 300, 5000 };

	(void)state;
	assert_int_equal(nd_child_run(child_hangs, NULL, &lim, NULL, NULL, &res), ND_OK);
	assert_int_equal(res.end, ND_CHILD_TIMEOUT);
	assert_string_equal(res.step, "C_GetSlotList");
	assert_true(res.elapsed_ms >= 300 && res.elapsed_ms < 3000);
}

static void
crash_is_reported(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 2000, 5000 };

	(void)state;
	assert_int_equal(nd_child_run(child_crashes, NULL, &lim, NULL, NULL, &res), ND_OK);
	assert_int_equal(res.end, ND_CHILD_SIGNALED);
	assert_int_equal(res.code, SIGSEGV);
	assert_string_equal(res.step, "C_GetTokenInfo");
}

/* Like a vendor module that starts a "daemon" without setsid: the
 * grandchild inherits the pipe and lives on. */
static void
child_forks_helper(struct nd_chan *ch, void *arg)
{
	json_object *m = json_object_new_object();
	pid_t g;

	(void)arg;
	nd_chan_step(ch, "C_Initialize");
	g = fork();
	if (g == 0) {
		sleep(30);
		_exit(0);
	}
	json_object_object_add(m, "rv", json_object_new_int(0));
	json_object_object_add(m, "helper", json_object_new_int(g));
	json_object_object_add(m, "pgrp", json_object_new_int(getpgrp()));
	json_object_object_add(m, "pid", json_object_new_int(getpid()));
	nd_chan_send(ch, m);
	json_object_put(m);
	nd_chan_step(ch, "C_Finalize");
}

struct helper_seen {
	pid_t helper, pgrp, pid;
};

static bool
note_helper(json_object *msg, void *ctx)
{
	struct helper_seen *h = ctx;

	h->helper = (pid_t)nd_jint(msg, "helper", 0);
	h->pgrp = (pid_t)nd_jint(msg, "pgrp", 0);
	h->pid = (pid_t)nd_jint(msg, "pid", 0);
	return true;
}

/* Gone, or a zombie waiting for its (new) parent to reap it: either way
 * it runs no more. */
static bool
gone(pid_t pid)
{
	char path[64], st[512];
	FILE *f;
	char *p;
	bool z = false;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return true;
	if (fgets(st, sizeof st, f) && (p = strrchr(st, ')')) && p[1] == ' ')
		z = p[2] == 'Z' || p[2] == 'X';
	fclose(f);
	return z;
}

static void
forked_helper_does_not_hold_the_run(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 3000, 10000 };
	struct helper_seen h = { 0, 0, 0 };
	int i;

	(void)state;
	assert_int_equal(nd_child_run(child_forks_helper, NULL, &lim, note_helper, &h, &res), ND_OK);
	/* the child exited: not a timeout in C_Finalize */
	assert_int_equal(res.end, ND_CHILD_EXITED);
	assert_int_equal(res.code, 0);
	assert_int_equal(res.n_msgs, 1);
	assert_true(res.elapsed_ms < 1500);
	/* in a group of its own, and the helper went with it */
	assert_true(h.helper > 0);
	assert_int_equal(h.pgrp, h.pid);
	assert_int_not_equal(h.pgrp, getpgrp());
	for (i = 0; i < 100 && !gone(h.helper); i++)
		usleep(10000);
	assert_true(gone(h.helper));
}

/* A module that starts a proper daemon: fork, setsid() in the new process,
 * fork again, the middle one exits. The daemon is in no group of ours. */
static void
child_starts_daemon(struct nd_chan *ch, void *arg)
{
	json_object *m = json_object_new_object();
	int p[2];
	pid_t mid, d = 0;

	(void)arg;
	nd_chan_step(ch, "C_Initialize");
	if (pipe(p) != 0)
		_exit(1);
	mid = fork();
	if (mid == 0) {
		pid_t g;

		setsid();
		g = fork();
		if (g == 0) {
			sleep(30);
			_exit(0);
		}
		(void)!write(p[1], &g, sizeof g);
		_exit(0);
	}
	close(p[1]);
	if (mid < 0 || read(p[0], &d, sizeof d) != (ssize_t)sizeof d)
		d = 0;
	waitpid(mid, NULL, 0);
	json_object_object_add(m, "helper", json_object_new_int(d));
	json_object_object_add(m, "pgrp", json_object_new_int(d > 0 ? getpgid(d) : 0));
	json_object_object_add(m, "pid", json_object_new_int(getpid()));
	nd_chan_send(ch, m);
	json_object_put(m);
}

static void
daemon_helper_is_ended_too(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 3000, 10000 };
	struct helper_seen h = { 0, 0, 0 };
	bool reaped;

	(void)state;
	assert_int_equal(nd_child_run(child_starts_daemon, NULL, &lim, note_helper, &h, &res), ND_OK);
	assert_int_equal(res.end, ND_CHILD_EXITED);
	assert_true(h.helper > 0);
	/* it had left the child's group (for the middle one's session): the
	 * group kill did not reach it */
	assert_true(h.pgrp > 0);
	assert_int_not_equal(h.pgrp, h.pid);
	assert_int_not_equal(h.pgrp, getpgrp());
	/* killed and reaped by the time the run returns: no process, no zombie */
	reaped = kill(h.helper, 0) != 0 && errno == ESRCH;
	if (!reaped)
		kill(h.helper, SIGKILL);
	assert_true(reaped);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* The child no longer gets the terminal's Ctrl-C (it is in another group):
 * a signal the parent handles ends the run instead of being ignored. */
static void
handled_signal_stops_the_child(void **state)
{
	struct nd_child_result res;
	struct nd_child_limits lim = { 10000, 0 };
	struct sigaction sa, old;
	struct itimerval it = { { 0, 0 }, { 0, 300000 } };

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	assert_int_equal(nd_child_run(child_hangs, NULL, &lim, NULL, NULL, &res), ND_OK);
	sigaction(SIGALRM, &old, NULL);
	assert_int_equal(res.end, ND_CHILD_STOPPED);
	assert_true(res.elapsed_ms < 3000);
}

static void
child_drips(struct nd_chan *ch, void *arg)
{
	(void)arg;
	for (int i = 0;; i++) {
		nd_chan_step(ch, "C_FindObjects %d", i);
		usleep(100000);
	}
}

/* Several children at once: three hangs cost one step limit, not three;
 * each is named; a working child next to them is not held up. */
static void
children_side_by_side(void **state)
{
	struct nd_child *c[4];
	struct nd_child_result res[4];
	struct nd_child_limits lim = { 400, 5000 };
	int n = 0;
	int64_t t0 = nd_now_ms();

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(nd_child_start(child_hangs, NULL, &lim, NULL, NULL, &c[i]), ND_OK);
	assert_int_equal(nd_child_start(child_talks, NULL, &lim, count_msgs, &n, &c[3]), ND_OK);
	/* the working one ends first, long before the hangs */
	while (!nd_child_done(c[3]))
		nd_child_wait(c, 4, 0);
	assert_true(nd_now_ms() - t0 < 300);
	while (!nd_child_done(c[0]) || !nd_child_done(c[1]) || !nd_child_done(c[2]))
		nd_child_wait(c, 4, 0);
	for (int i = 0; i < 4; i++)
		nd_child_end(c[i], &res[i]);
	assert_true(nd_now_ms() - t0 < 1000);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(res[i].end, ND_CHILD_TIMEOUT);
		assert_false(res[i].over_total);
		assert_string_equal(res[i].step, "C_GetSlotList");
	}
	assert_int_equal(res[3].end, ND_CHILD_EXITED);
	assert_int_equal(n, 1);
}

/* A child that keeps announcing steps is ended by the total limit, and the
 * result says which limit it was. A wait with a time limit returns then. */
static void
total_limit_is_told(void **state)
{
	struct nd_child *c;
	struct nd_child_result res;
	struct nd_child_limits lim = { 300, 700 };
	int64_t t0 = nd_now_ms();

	(void)state;
	assert_int_equal(nd_child_start(child_drips, NULL, &lim, NULL, NULL, &c), ND_OK);
	assert_int_equal(nd_child_wait(&c, 1, t0 + 200), 0);
	assert_false(nd_child_done(c));
	while (!nd_child_done(c))
		nd_child_wait(&c, 1, 0);
	nd_child_end(c, &res);
	assert_int_equal(res.end, ND_CHILD_TIMEOUT);
	assert_true(res.over_total);
	assert_true(strncmp(res.step, "C_FindObjects ", 14) == 0);
	assert_true(res.elapsed_ms >= 650 && res.elapsed_ms < 1500);
}

static void
child_forks_helper_and_hangs(struct nd_chan *ch, void *arg)
{
	child_forks_helper(ch, arg);
	for (;;)
		pause();
}

/* What a signal handler that ends the program does: the running children's
 * groups die, a helper a child forked among them. */
static void
kill_all_ends_the_groups(void **state)
{
	struct nd_child *c;
	struct nd_child_result res;
	struct nd_child_limits lim = { 10000, 0 };
	struct helper_seen h = { 0, 0, 0 };
	int i;

	(void)state;
	assert_int_equal(nd_child_start(child_forks_helper_and_hangs, NULL, &lim, note_helper, &h, &c), ND_OK);
	for (i = 0; i < 100 && !h.helper; i++)
		nd_child_wait(&c, 1, nd_now_ms() + 20);
	assert_true(h.helper > 0);
	assert_false(gone(h.helper));
	nd_child_kill_all();
	for (i = 0; i < 100 && !gone(h.helper); i++)
		usleep(10000);
	assert_true(gone(h.helper));
	while (!nd_child_done(c))
		nd_child_wait(&c, 1, 0);
	nd_child_end(c, &res);
	assert_int_equal(res.end, ND_CHILD_SIGNALED);
	assert_int_equal(res.code, SIGKILL);
	/* ended runs are no longer listed: nothing to kill, nothing killed */
	nd_child_kill_all();
}

static bool
never(json_object *m, void *c)
{
	(void)m;
	(void)c;
	fail();
	return true;
}

static void
bad_frames(void **state)
{
	struct nd_chan_decoder d = { 0 };
	const uint8_t huge[] = { 0x7f, 0xff, 0xff, 0xff };
	const uint8_t notjson[] = { 0, 0, 0, 3, 'a', 'b', 'c' };
	const uint8_t array[] = { 0, 0, 0, 2, '[', ']' };
	const uint8_t trailing[] = { 0, 0, 0, 4, '{', '}', '{', '}' };
	const uint8_t half[] = { 0, 0, 0, 9, '{' };

	(void)state;
	assert_int_equal(nd_chan_decode(&d, huge, sizeof huge, never, NULL), ND_ERR_PROTOCOL);
	nd_chan_decoder_reset(&d);
	assert_int_equal(nd_chan_decode(&d, notjson, sizeof notjson, never, NULL), ND_ERR_PARSE);
	nd_chan_decoder_reset(&d);
	assert_int_equal(nd_chan_decode(&d, array, sizeof array, never, NULL), ND_ERR_PARSE);
	nd_chan_decoder_reset(&d);
	assert_int_equal(nd_chan_decode(&d, trailing, sizeof trailing, never, NULL), ND_ERR_PARSE);
	nd_chan_decoder_reset(&d);
	assert_int_equal(nd_chan_decode(&d, half, sizeof half, never, NULL), ND_OK);
	assert_int_equal(d.len, sizeof half);
	nd_chan_decoder_reset(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(messages_arrive),
		cmocka_unit_test(hang_is_killed_and_named),
		cmocka_unit_test(crash_is_reported),
		cmocka_unit_test(bad_frames),
		cmocka_unit_test(forked_helper_does_not_hold_the_run),
		cmocka_unit_test(daemon_helper_is_ended_too),
		cmocka_unit_test(handled_signal_stops_the_child),
		cmocka_unit_test(children_side_by_side),
		cmocka_unit_test(total_limit_is_told),
		cmocka_unit_test(kill_all_ends_the_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
