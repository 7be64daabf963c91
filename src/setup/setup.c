/* The setup plan: steps, applying them, and showing them. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"
#include "setup/setup.h"
#include "sys/run.h"

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
nd_plan_free(struct nd_plan *plan)
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

/* mkdir -p of the folder that will hold path. */
static int
make_parents(const char *path)
{
	char buf[PATH_MAX];
	int ret = -1;

	if (strlen(path) >= sizeof buf) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	strcpy(buf, path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	ret = 0;
fail:
	return ret;
}

/* Write the whole file next to its final place, then rename it over: a
 * reader never sees half a rules file. */
static int
write_atomic(const char *path, const char *content, mode_t mode)
{
	char *tmp = nd_asprintf("%s.nesdoctor-XXXXXX", path);
	size_t len = strlen(content), off = 0;
	int fd = -1, ret = -1;

	if (make_parents(path) < 0)
		goto fail;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, content + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	ret = 0;
fail:
	if (fd >= 0)
		close(fd);
	if (ret < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
	return ret;
}

/* Keep the old file as PATH.nesdoctor-bak (or .1, .2, ...: an earlier
 * backup is never overwritten). A hard link: the rename that follows
 * gives PATH a new inode, the link keeps the old content. */
/* A copy, for file systems without hard links. */
static bool
copy_file(const char *from, const char *to)
{
	struct stat st;
	int fd = open(from, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	bool ok = false;

	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size >= (1 << 24))
		goto fail;
	buf = nd_xcalloc((size_t)st.st_size + 1, 1);
	if (read(fd, buf, (size_t)st.st_size) != st.st_size || access(to, F_OK) == 0)
		goto fail;
	ok = write_atomic(to, buf, st.st_mode & 07777) == 0;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ok;
}

/* Keep the old file as PATH.nesdoctor-bak (or .1, .2, ...: an earlier
 * backup is never overwritten). A hard link: the rename that follows
 * gives PATH a new inode, the link keeps the old content. NULL with errno
 * when no backup could be made. */
static char *
backup(const char *path)
{
	char *b = NULL;

	errno = EEXIST;
	for (int i = 0; i < ND_SETUP_MAX_BACKUPS; i++) {
		b = i ? nd_asprintf("%s.nesdoctor-bak.%d", path, i) : nd_asprintf("%s.nesdoctor-bak", path);
		if (link(path, b) == 0)
			break;
		if (errno != EEXIST) {
			if (!copy_file(path, b)) {
				free(b);
				b = NULL;
			}
			break;
		}
		free(b);
		b = NULL;
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

static void
apply_write(struct nd_step *s)
{
	if (s->replaces && !(s->backup = backup(s->real_path)))
		fail_step(s, _("could not back up the old file"));
	else if (write_atomic(s->real_path, s->content, 0644) < 0)
		fail_step(s, _("could not write the file"));
	else
		s->state = ND_STEP_DONE;
}

static void
apply_symlink(struct nd_step *s)
{
	char *tmp = nd_asprintf("%s.nesdoctor-new", s->real_path);

	unlink(tmp);
	if (s->replaces && !(s->backup = backup(s->real_path))) {
		fail_step(s, _("could not back up the old file"));
		goto out;
	}
	if (make_parents(s->real_path) < 0 || symlink(s->content, tmp) < 0 || rename(tmp, s->real_path) < 0) {
		fail_step(s, _("could not make the link"));
		unlink(tmp);
		goto out;
	}
	s->state = ND_STEP_DONE;
out:
	free(tmp);
}

static void
apply_run(const struct nd_opts *o, struct nd_step *s)
{
	struct nd_run_result rr;
	int tmo = o && o->timeout_s > 0 ? o->timeout_s * 1000 : 10000;

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
	nd_run_result_free(&rr);
}

void
nd_setup_apply(const struct nd_opts *o, struct nd_plan *plan)
{
	size_t k = 0;
	char list[1024] = "";

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
	for (size_t i = 0; i < plan->n; i++) {
		struct nd_step *s = &plan->steps[i];
		if (s->state != ND_STEP_PENDING)
			continue;
		switch (s->kind) {
		case ND_STEP_WRITE: apply_write(s); break;
		case ND_STEP_SYMLINK: apply_symlink(s); break;
		case ND_STEP_RUN: apply_run(o, s); break;
		case ND_STEP_MANUAL: break;   /* stays pending: the person does it */
		}
	}
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

void
nd_setup_render_text(const struct nd_plan *plan, FILE *out, bool color)
{
	const char *b = color ? "\033[1m" : "", *r0 = color ? "\033[0m" : "";
	const char *last = NULL;
	bool pending = false;

	if (plan->apply)
		fprintf(out, "%snesdoctor setup%s\n", b, r0);
	else
		fprintf(out, "%snesdoctor setup: %s%s\n", b, _("the plan (nothing is changed without --apply)"), r0);
	if (plan->root)
		fprintf(out, _("Files go under %s\n"), plan->root);
	for (size_t i = 0; i < plan->n; i++) {
		const struct nd_step *s = &plan->steps[i];
		const char *mark = "", *what = s->path ? s->path : s->command ? s->command : "";
		const char *col = "";

		if (!last || strcmp(last, s->part) != 0) {
			fprintf(out, "\n%s%s%s: %s\n", b, s->part, r0, part_title(s->part));
			last = s->part;
		}
		switch (s->state) {
		case ND_STEP_PENDING: mark = s->kind == ND_STEP_MANUAL ? "!" : "+"; col = "\033[33m"; pending = true; break;
		case ND_STEP_OK: mark = "="; col = "\033[32m"; break;
		case ND_STEP_SKIPPED: mark = "-"; col = "\033[2m"; break;
		case ND_STEP_BLOCKED: mark = "!"; col = "\033[33m"; break;
		case ND_STEP_DONE: mark = "✔"; col = "\033[32m"; break;
		case ND_STEP_FAILED: mark = "✘"; col = "\033[31m"; break;
		}
		fprintf(out, "  %s%s%s %-8s %s", color ? col : "", mark, r0, verb(s), what);
		if (s->kind == ND_STEP_SYMLINK)
			fprintf(out, " -> %s", s->content);
		if (s->state == ND_STEP_OK)
			fprintf(out, "  (%s)", s->reason ? s->reason : _("already so"));
		else if (s->reason)
			fprintf(out, "\n             %s", s->reason);
		if (s->backup)
			fprintf(out, "\n             %s %s", _("the old file is kept as"), s->backup);
		fputc('\n', out);
	}
	if (plan->refused)
		fprintf(out, "\n%s\n", plan->refused);
	else if (!plan->apply && pending)
		fprintf(out, "\n%s\n", plan->root ? _("To do it: add --apply.") :
		    _("To do it: sudo nesdoctor setup --apply (the nss part as yourself: nesdoctor setup nss --apply)"));
	else if (!pending)
		fprintf(out, "\n%s\n", _("Nothing left to do."));
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
