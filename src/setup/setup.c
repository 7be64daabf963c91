/* SPDX-License-Identifier: BSD-2-Clause */
/* The setup plan: steps, applying them, and showing them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include <linux/openat2.h>

#include "config.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "report/report.h"
#include "setup/setup.h"
#include "core/run.h"

#define ND_SETUP_MAX_BACKUPS 100

struct nd_step *
nd_plan_add(struct nd_plan *plan, const char *part, enum nd_step_kind kind)
{
	struct nd_step *s;

	if (plan->n == plan->cap) {
		size_t cap = plan->cap ? 2 * plan->cap : 16;
		struct nd_step *v = reallocarray(plan->steps, cap, sizeof *v);
		if (!v) {
			fputs("nesdoctor: out of memory\n", stderr);
			abort();
		}
		plan->steps = v;
		plan->cap = cap;
	}
	s = &plan->steps[plan->n++];
	memset(s, 0, sizeof *s);
	s->part = part;
	s->kind = kind;
	s->state = ND_STEP_PENDING;
	return s;
}

char *
nd_setup_path(const struct nd_plan *plan, const char *path)
{
	if (!plan->root)
		return nd_xstrdup(path);
	return nd_asprintf("%s%s%s", plan->root, path[0] == '/' ? "" : "/", path);
}

void
nd_plan_reset(struct nd_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		struct nd_step *s = &plan->steps[i];
		free(s->path);
		free(s->real_path);
		free(s->content);
		for (size_t k = 0; s->argv && s->argv[k]; k++)
			free(s->argv[k]);
		free(s->argv);
		free(s->command);
		free(s->reason);
		free(s->backup);
	}
	free(plan->steps);
	free(plan->refused);
	memset(plan, 0, sizeof *plan);
}

const char *
nd_step_state_name(enum nd_step_state s)
{
	switch (s) {
	case ND_STEP_PENDING: return "pending";
	case ND_STEP_OK: return "ok";
	case ND_STEP_SKIPPED: return "skipped";
	case ND_STEP_BLOCKED: return "blocked";
	case ND_STEP_DONE: return "done";
	case ND_STEP_FAILED: return "failed";
	}
	return "?";
}

const char *
nd_step_kind_name(enum nd_step_kind k)
{
	switch (k) {
	case ND_STEP_WRITE: return "write";
	case ND_STEP_SYMLINK: return "symlink";
	case ND_STEP_RUN: return "run";
	case ND_STEP_MANUAL: return "manual";
	}
	return "?";
}

/* Files under --root DIR are reached relative to a descriptor of DIR, and
 * every symbolic link on the way is resolved as if DIR were "/" (openat2
 * with RESOLVE_IN_ROOT): DIR/etc -> /etc means DIR/etc, and ".." stops at
 * DIR. Nothing under --root can lead a write outside it. On kernels
 * without openat2 (before 5.6) a symbolic link under DIR is refused
 * instead. Without --root the system's paths are used as they are. */
static int
root_open(const struct nd_plan *plan)
{
	return open(plan->root ? plan->root : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* mkdir -p DIR (0755). */
static int
make_root(const char *dir)
{
	char buf[PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		if (i < n)
			buf[i] = '/';
	}
	return 0;
}

/* openat() one component at a time, following no link (openat2's stand-in). */
static int
walk_nofollow(int rootfd, const char *rel, int flags, mode_t mode)
{
	char buf[PATH_MAX], *p, *slash;
	int cur, fd = -1;

	if (strlen(rel) >= sizeof buf || (cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 0)) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, rel);
	for (p = buf; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		int next;
		*slash = '\0';
		if (strcmp(p, "..") == 0) {
			errno = EXDEV;
			goto fail;
		}
		if (!*p || strcmp(p, ".") == 0)
			continue;
		next = openat(cur, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			goto fail;
		close(cur);
		cur = next;
	}
	if (strcmp(p, "..") == 0) {
		errno = EXDEV;
		goto fail;
	}
	fd = openat(cur, *p ? p : ".", flags | O_NOFOLLOW | O_CLOEXEC, mode);
fail:
	if (fd < 0) {
		int e = errno;
		close(cur);
		errno = e;
	} else
		close(cur);
	return fd;
}

/* Open rel (a system path without its leading "/") under the plan's root. */
static int
in_root(const struct nd_plan *plan, int rootfd, const char *rel, int flags, mode_t mode)
{
	if (!plan->root)
		return openat(rootfd, *rel ? rel : ".", flags | O_CLOEXEC, mode);
#ifdef SYS_openat2
	{
		struct open_how how;
		long fd;

		memset(&how, 0, sizeof how);
		how.flags = (uint64_t)(flags | O_CLOEXEC);
		how.mode = flags & O_CREAT ? mode : 0;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		fd = syscall(SYS_openat2, rootfd, *rel ? rel : ".", &how, sizeof how);
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
	}
#endif
	return walk_nofollow(rootfd, rel, flags, mode);
}

/* The folder rel under the root (O_PATH), made (0755) where missing when
 * create: each new folder with mkdirat in its resolved parent. */
static int
dir_fd(const struct nd_plan *plan, int rootfd, const char *rel, bool create)
{
	char *parent = NULL;
	const char *last;
	int fd, pfd = -1;

	fd = in_root(plan, rootfd, rel, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0 || errno != ENOENT || !create || !*rel)
		goto fail;
	parent = nd_xstrdup(rel);
	last = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	parent[last > rel ? (size_t)(last - rel) - 1 : 0] = '\0';
	if ((pfd = dir_fd(plan, rootfd, parent, true)) < 0)
		goto fail;
	if (mkdirat(pfd, last, 0755) < 0 && errno != EEXIST)
		goto fail;
	/* an existing name that is not a folder (a link leading nowhere
	 * under the root) fails here: ENOTDIR or ELOOP */
	fd = openat(pfd, last, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
fail:
	if (pfd >= 0) {
		int e = errno;
		close(pfd);
		errno = e;
	}
	free(parent);
	return fd;
}

/* The folder holding the system path path, under the root; *base is the
 * file name in it (points into path). */
static int
parent_fd(const struct nd_plan *plan, int rootfd, const char *path, bool create, const char **base)
{
	const char *rel = path + strspn(path, "/"), *slash = strrchr(rel, '/');
	size_t dl = slash ? (size_t)(slash - rel) : 0;
	char *dir = nd_xcalloc(dl + 1, 1);
	int fd;

	memcpy(dir, rel, dl);

	*base = slash ? slash + 1 : rel;
	fd = dir_fd(plan, rootfd, dir, create);
	free(dir);
	return fd;
}

char *
nd_setup_read(const struct nd_plan *plan, const char *path, size_t max, bool *exists)
{
	int rootfd = root_open(plan), fd = -1;
	char *buf = NULL;

	*exists = false;
	if (rootfd < 0)
		goto fail;
	fd = in_root(plan, rootfd, path + strspn(path, "/"), O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
	*exists = fd >= 0 || errno != ENOENT;
	if (fd >= 0)
		buf = nd_read_fd(fd, max, NULL);
fail:
	if (fd >= 0)
		close(fd);
	if (rootfd >= 0)
		close(rootfd);
	return buf;
}

ssize_t
nd_setup_readlink(const struct nd_plan *plan, const char *path, char *buf, size_t bufsz, bool *exists)
{
	int rootfd = root_open(plan), dfd = -1;
	const char *base;
	struct stat st;
	ssize_t n = -1;

	*exists = false;
	if (rootfd < 0 || bufsz == 0 || (dfd = parent_fd(plan, rootfd, path, false, &base)) < 0)
		goto fail;
	*exists = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	n = readlinkat(dfd, base, buf, bufsz - 1);
	if (n >= 0)
		buf[n] = '\0';
fail:
	if (dfd >= 0)
		close(dfd);
	if (rootfd >= 0)
		close(rootfd);
	return n;
}

/* A new name next to name, created with O_EXCL: nothing there is reused. */
static int
create_tmp(int dfd, const char *name, char *tmp, size_t tmpsz, mode_t mode)
{
	for (int i = 0; i < 16; i++) {
		unsigned int r = 0;
		int fd;

		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r = (unsigned int)getpid() * 2654435761u + (unsigned int)i;
		if ((size_t)snprintf(tmp, tmpsz, "%s.nesdoctor-%08x", name, r) >= tmpsz) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

static int
write_all(int fd, const char *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = write(fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Write the whole file next to its final place (in dfd), then rename it
 * over: a reader never sees half a rules file. */
static int
write_atomic_at(int dfd, const char *name, const char *content, mode_t mode)
{
	char tmp[NAME_MAX + 1] = "";
	int fd, ret = -1;

	if ((fd = create_tmp(dfd, name, tmp, sizeof tmp, 0600)) < 0) {
		tmp[0] = '\0';
		goto fail;
	}
	if (write_all(fd, content, strlen(content)) < 0 || fchmod(fd, mode) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dfd, tmp, dfd, name) < 0)
		goto fail;
	ret = 0;
fail:
	if (fd >= 0)
		close(fd);
	if (ret < 0 && tmp[0]) {
		int e = errno;
		unlinkat(dfd, tmp, 0);
		errno = e;
	}
	return ret;
}

/* A copy of name as bname, for file systems without hard links; bname is
 * created with O_EXCL, so an earlier backup is never overwritten. */
static bool
copy_at(int dfd, const char *name, const char *bname)
{
	struct stat st;
	int in = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), out = -1;
	char *buf = NULL;
	bool ok = false;

	if (in < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size >= (1 << 24))
		goto fail;
	buf = nd_xcalloc((size_t)st.st_size + 1, 1);
	if (read(in, buf, (size_t)st.st_size) != st.st_size)
		goto fail;
	out = openat(dfd, bname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 07777);
	if (out < 0 || write_all(out, buf, (size_t)st.st_size) < 0 || fsync(out) < 0)
		goto fail;
	ok = true;
fail:
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	free(buf);
	return ok;
}

/* Keep the old file as PATH.nesdoctor-bak (or .1, .2, ...: an earlier
 * backup is never overwritten). A hard link: the rename that follows
 * gives PATH a new inode, the link keeps the old content. Returns the
 * backup's path as shown (shown is PATH as shown), NULL with errno when
 * no backup could be made. */
static char *
backup_at(int dfd, const char *name, const char *shown)
{
	char bname[NAME_MAX + 1];
	char *b = NULL;

	errno = EEXIST;
	for (int i = 0; i < ND_SETUP_MAX_BACKUPS; i++) {
		int n = i ? snprintf(bname, sizeof bname, "%s.nesdoctor-bak.%d", name, i) :
		    snprintf(bname, sizeof bname, "%s.nesdoctor-bak", name);
		if (n < 0 || (size_t)n >= sizeof bname) {
			errno = ENAMETOOLONG;
			break;
		}
		if (linkat(dfd, name, dfd, bname, 0) == 0 || (errno != EEXIST && copy_at(dfd, name, bname))) {
			b = i ? nd_asprintf("%s.nesdoctor-bak.%d", shown, i) : nd_asprintf("%s.nesdoctor-bak", shown);
			break;
		}
		if (errno != EEXIST)
			break;
	}
	return b;
}

static void
fail_step(struct nd_step *s, const char *what)
{
	s->state = ND_STEP_FAILED;
	free(s->reason);
	s->reason = nd_asprintf("%s: %s", what, strerror(errno));
}

/* The folder for a step's file, or the step fails saying why. */
static int
step_dir(const struct nd_plan *plan, int rootfd, struct nd_step *s, const char **base)
{
	int fd = rootfd < 0 ? -1 : parent_fd(plan, rootfd, s->path, true, base);

	if (fd < 0 && plan->root && (errno == ELOOP || errno == ENOTDIR || errno == EXDEV || errno == ENOENT)) {
		s->state = ND_STEP_FAILED;
		free(s->reason);
		s->reason = nd_asprintf(_("refused: a symbolic link on the way to %s does not lead to a folder "
		    "under %s (links are followed as if %s were /); nothing was written"), s->path, plan->root,
		    plan->root);
	} else if (fd < 0)
		fail_step(s, _("could not make the folder"));
	return fd;
}

static void
apply_write(const struct nd_plan *plan, int rootfd, struct nd_step *s)
{
	const char *base;
	int dfd = step_dir(plan, rootfd, s, &base);

	if (dfd < 0)
		return;
	if (s->replaces && !(s->backup = backup_at(dfd, base, s->real_path)))
		fail_step(s, _("could not back up the old file"));
	else if (write_atomic_at(dfd, base, s->content, 0644) < 0)
		fail_step(s, _("could not write the file"));
	else
		s->state = ND_STEP_DONE;
	close(dfd);
}

static void
apply_symlink(const struct nd_plan *plan, int rootfd, struct nd_step *s)
{
	char tmp[NAME_MAX + 1];
	const char *base;
	int dfd = step_dir(plan, rootfd, s, &base);

	if (dfd < 0)
		return;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.nesdoctor-new", base) >= sizeof tmp) {
		errno = ENAMETOOLONG;
		fail_step(s, _("could not make the link"));
		goto fail;
	}
	unlinkat(dfd, tmp, 0);
	if (s->replaces && !(s->backup = backup_at(dfd, base, s->real_path))) {
		fail_step(s, _("could not back up the old file"));
		goto fail;
	}
	if (symlinkat(s->content, dfd, tmp) < 0 || renameat(dfd, tmp, dfd, base) < 0) {
		fail_step(s, _("could not make the link"));
		unlinkat(dfd, tmp, 0);
		goto fail;
	}
	s->state = ND_STEP_DONE;
fail:
	close(dfd);
}

static void
apply_run(const struct nd_opts *o, struct nd_step *s)
{
	struct nd_run_result rr;
	int tmo = o->timeout_s * 1000;

	if (nd_run((const char *const *)s->argv, tmo, true, 16384, &rr) != ND_OK) {
		fail_step(s, _("could not run it"));
		return;
	}
	if (rr.status == 0) {
		s->state = ND_STEP_DONE;
	} else {
		size_t n = rr.out_len;
		while (n && (rr.out[n - 1] == '\n' || rr.out[n - 1] == ' '))
			rr.out[--n] = '\0';
		s->state = ND_STEP_FAILED;
		free(s->reason);
		s->reason = rr.timed_out ? nd_asprintf(_("no answer in %d s"), tmo / 1000) :
		    nd_asprintf(_("exit status %d: %s"), rr.status, rr.out_len ? rr.out : "-");
	}
	nd_run_result_reset(&rr);
}

void
nd_setup_apply(const struct nd_opts *o, struct nd_plan *plan)
{
	size_t k = 0;
	char list[1024] = "";
	int rootfd;

	/* All or nothing about root: better to refuse up front than to leave
	 * half a setup behind. */
	if (!plan->root && geteuid() != 0) {
		for (size_t i = 0; i < plan->n; i++) {
			const struct nd_step *s = &plan->steps[i];
			if (s->state == ND_STEP_PENDING && s->system && s->kind != ND_STEP_MANUAL && k < sizeof list)
				k += (size_t)snprintf(list + k, sizeof list - k, "\n  %s",
				    s->path ? s->path : s->command);
		}
		if (k) {
			plan->refused = nd_asprintf(_("these steps change the system and need root:%s\n"
			    "Nothing was changed. Run: sudo nesdoctor setup --apply (and the nss part as yourself, "
			    "without sudo: nesdoctor setup nss --apply)"), list);
			return;
		}
	}
	/* --root DIR itself is the user's to name: made as given, links and all */
	if (plan->root && make_root(plan->root) < 0) {
		rootfd = -1;
	} else
		rootfd = root_open(plan);
	for (size_t i = 0; i < plan->n; i++) {
		struct nd_step *s = &plan->steps[i];
		if (s->state != ND_STEP_PENDING)
			continue;
		if (rootfd < 0 && (s->kind == ND_STEP_WRITE || s->kind == ND_STEP_SYMLINK)) {
			fail_step(s, plan->root ? plan->root : "/");
			continue;
		}
		switch (s->kind) {
		case ND_STEP_WRITE: apply_write(plan, rootfd, s); break;
		case ND_STEP_SYMLINK: apply_symlink(plan, rootfd, s); break;
		case ND_STEP_RUN: apply_run(o, s); break;
		case ND_STEP_MANUAL: break;   /* stays pending: the person does it */
		}
	}
	if (rootfd >= 0)
		close(rootfd);
}

int
nd_setup_exit(const struct nd_plan *plan)
{
	bool left = false, failed = plan->refused != NULL;

	for (size_t i = 0; i < plan->n; i++) {
		enum nd_step_state st = plan->steps[i].state;
		failed |= st == ND_STEP_FAILED;
		left |= st == ND_STEP_PENDING || st == ND_STEP_BLOCKED;
	}
	return failed ? ND_EXIT_NOT_READY : left ? ND_EXIT_WARNING : ND_EXIT_READY;
}

static const char *
part_title(const char *part)
{
	if (!strcmp(part, "udev"))
		return _("give the person at the computer access to the known readers and tokens (udev rules)");
	if (!strcmp(part, "p11-kit"))
		return _("register the AKIS PKCS#11 library with p11-kit");
	if (!strcmp(part, "nss"))
		return _("add the AKIS library to your NSS databases (Chrome, Firefox)");
	if (!strcmp(part, "pcscd"))
		return _("have pcscd start on demand (systemd socket activation)");
	if (!strcmp(part, "polkit"))
		return _("let a group use PC/SC from remote sessions (polkit rule)");
	return part;
}

static const char *
verb(const struct nd_step *s)
{
	switch (s->kind) {
	case ND_STEP_WRITE: return s->replaces ? _("change") : _("write");
	case ND_STEP_SYMLINK: return _("link");
	case ND_STEP_RUN: return _("run");
	case ND_STEP_MANUAL: return _("by hand");
	}
	return "";
}

/* Paths, commands, link targets and reasons can carry outside bytes (a
 * --root or --module given, a command's output): printed escaped like every
 * other outside string (core/safe.h). */
static void
put_safe(FILE *out, const char *s, bool keep_newlines)
{
	char *t = nd_safe_text(s, false, keep_newlines);

	fputs(t, out);
	free(t);
}

void
nd_setup_render_text(const struct nd_plan *plan, FILE *out, bool color)
{
	const char *b = color ? "\033[1m" : "", *r0 = color ? "\033[0m" : "";
	const char *last = NULL;
	bool pending = false, manual = false;

	if (plan->apply)
		fprintf(out, "%snesdoctor setup%s\n", b, r0);
	else
		fprintf(out, "%snesdoctor setup: %s%s\n", b, _("the plan (nothing is changed without --apply)"), r0);
	if (plan->root) {
		char *t = nd_safe_text(plan->root, false, false);
		fprintf(out, _("Files go under %s\n"), t);
		free(t);
	}
	for (size_t i = 0; i < plan->n; i++) {
		const struct nd_step *s = &plan->steps[i];
		const char *mark = "", *what = s->path ? s->path : s->command ? s->command : "";
		const char *col = "";

		if (!last || strcmp(last, s->part) != 0) {
			fprintf(out, "\n%s%s%s: %s\n", b, s->part, r0, part_title(s->part));
			last = s->part;
		}
		switch (s->state) {
		case ND_STEP_PENDING:
			mark = s->kind == ND_STEP_MANUAL ? "!" : "+";
			col = "\033[33m";
			manual |= s->kind == ND_STEP_MANUAL;
			pending |= s->kind != ND_STEP_MANUAL;
			break;
		case ND_STEP_OK: mark = "="; col = "\033[32m"; break;
		case ND_STEP_SKIPPED: mark = "-"; col = "\033[2m"; break;
		case ND_STEP_BLOCKED: mark = "!"; col = "\033[33m"; manual = true; break;
		case ND_STEP_DONE: mark = "✔"; col = "\033[32m"; break;
		case ND_STEP_FAILED: mark = "✘"; col = "\033[31m"; break;
		}
		fprintf(out, "  %s%s%s %-8s ", color ? col : "", mark, r0, verb(s));
		put_safe(out, what, false);
		if (s->kind == ND_STEP_SYMLINK) {
			fputs(" -> ", out);
			put_safe(out, s->content, false);
		}
		if (s->state == ND_STEP_OK) {
			fputs("  (", out);
			put_safe(out, s->reason ? s->reason : _("already so"), false);
			fputc(')', out);
		} else if (s->reason) {
			fputs("\n             ", out);
			put_safe(out, s->reason, false);
		}
		if (s->backup) {
			fprintf(out, "\n             %s ", _("the old file is kept as"));
			put_safe(out, s->backup, false);
		}
		fputc('\n', out);
	}
	/* the closing line follows the exit code: 0 nothing left, 1 steps
	 * left (how to do them), 2 refused or failed */
	fputc('\n', out);
	if (plan->refused) {
		put_safe(out, plan->refused, true);
		fputc('\n', out);
	}
	else if (nd_setup_exit(plan) == ND_EXIT_NOT_READY)
		fprintf(out, "%s\n", _("A step failed (marked ✘): its reason is shown above. Fix that, then run this again."));
	else if (nd_setup_exit(plan) == ND_EXIT_READY)
		fprintf(out, "%s\n", _("Nothing left to do."));
	else {
		if (!plan->apply && pending)
			fprintf(out, "%s\n", plan->root ? _("To do it: add --apply.") :
			    _("To do it: sudo nesdoctor setup --apply (the nss part as yourself: nesdoctor setup nss --apply)"));
		if (manual)
			fprintf(out, "%s\n", _("Steps marked ! are left for you to do: do them, then run nesdoctor setup again."));
	}
}

json_object *
nd_setup_json(const struct nd_opts *o, const struct nd_plan *plan)
{
	json_object *doc = json_object_new_object(), *arr = json_object_new_array();
	json_object *meta = json_object_new_object();
	int code = nd_setup_exit(plan);
	char when[32];
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* the report's shape, so that scripts read both the same way; the
	 * verdict follows the exit code (0 ready, 1 warning, 2 not_ready) */
	json_object_object_add(doc, "schema", json_object_new_string(ND_SCHEMA));
	json_object_object_add(doc, "version", json_object_new_string(ND_VERSION));
	json_object_object_add(doc, "time", json_object_new_string(when));
	json_object_object_add(doc, "command", json_object_new_string("setup"));
	json_object_object_add(doc, "lang", json_object_new_string(o && o->lang ? o->lang : "en"));
	json_object_object_add(doc, "verdict", json_object_new_string(
	    code == 0 ? "ready" : code == 1 ? "warning" : "not_ready"));
	json_object_object_add(doc, "exit_code", json_object_new_int(code));
	json_object_object_add(doc, "primary_cause", NULL);
	json_object_object_add(doc, "checks", json_object_new_array());
	json_object_object_add(doc, "inventory", json_object_new_object());
	json_object_object_add(meta, "apply", json_object_new_boolean(plan->apply));
	nd_jset_str(meta, "root", plan->root);
	nd_jset_str(meta, "refused", plan->refused);
	json_object_object_add(doc, "setup", meta);
	for (size_t i = 0; i < plan->n; i++) {
		const struct nd_step *s = &plan->steps[i];
		json_object *j = json_object_new_object(), *argv = NULL;

		json_object_object_add(j, "part", json_object_new_string(s->part));
		json_object_object_add(j, "action", json_object_new_string(nd_step_kind_name(s->kind)));
		json_object_object_add(j, "state", json_object_new_string(nd_step_state_name(s->state)));
		nd_jset_str(j, "path", s->path);
		if (s->kind == ND_STEP_SYMLINK)
			nd_jset_str(j, "target", s->content);
		json_object_object_add(j, "replaces", json_object_new_boolean(s->replaces));
		nd_jset_str(j, "command", s->command);
		if (s->argv) {
			argv = json_object_new_array();
			for (size_t k = 0; s->argv[k]; k++)
				json_object_array_add(argv, json_object_new_string(s->argv[k]));
		}
		json_object_object_add(j, "argv", argv);
		json_object_object_add(j, "needs_root", json_object_new_boolean(s->system));
		nd_jset_str(j, "reason", s->reason);
		nd_jset_str(j, "backup", s->backup);
		json_object_array_add(arr, j);
	}
	json_object_object_add(doc, "plan", arr);
	return doc;
}
