/* SPDX-License-Identifier: BSD-2-Clause */
/* The sys collector: pcscd, polkit, the session, sandboxes, containers, and
 * programs that hold readers. Reads /proc, /etc and /usr, and runs a few
 * commands (each bounded in time); needs no root, and says "unknown" for
 * what it cannot see without it. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/util.h"
#include "core/run.h"
#include "sys/sys.h"

#define ND_SYS_CMD_MS 3000        /* per command, unless --timeout is shorter */
#define ND_SYS_MAX_PROCS 4096
#define ND_SYS_MAX_FDS 1024       /* per process */
#define ND_SYS_MAX_PROGRAM (8u << 20) /* the pcscd program file read for its version */
#define ND_SYS_MAX_HOLDERS 64
#define ND_SYS_UNITS_OUT 4096     /* systemctl show for two units: ~200 bytes */

static int
cmd_ms(const struct nd_report *rep)
{
	int t = rep->opts->timeout_s * 1000;

	return t > 0 && t < ND_SYS_CMD_MS ? t : ND_SYS_CMD_MS;
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static char *
user_name(long uid)
{
	struct passwd pw, *r = NULL;
	char buf[4096];

	if (uid >= 0 && getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &r) == 0 && r)
		return nd_xstrdup(pw.pw_name);
	return uid >= 0 ? nd_asprintf("%ld", uid) : NULL;
}

/* Run a command, its first output line (trimmed) or NULL. */
static char *
first_line(const struct nd_report *rep, const char *const argv[], int *status)
{
	struct nd_run_result rr;
	char *ret = NULL;

	*status = -1;
	if (nd_run(argv, cmd_ms(rep), false, 4096, &rr) != ND_OK)
		goto fail;
	*status = rr.timed_out ? -2 : rr.status;
	rr.out[strcspn(rr.out, "\r\n")] = '\0';
	if (*rr.out)
		ret = nd_xstrdup(rr.out);
fail:
	nd_run_result_reset(&rr);
	return ret;
}

static json_object *
os_facts(void)
{
	char *t = nd_read_file("/etc/os-release", 16384, NULL);
	json_object *o;

	if (!t)
		t = nd_read_file("/usr/lib/os-release", 16384, NULL);
	o = nd_sys_parse_os_release(t ? t : "");
	free(t);
	return o;
}

struct proc_scan {
	json_object *pcscd;      /* array of {pid, user, args} */
	json_object *holders;    /* programs known to hold readers */
	json_object *usb;        /* processes with /dev/bus/usb nodes open */
	bool polkitd;
	bool partial;            /* some processes could not be looked into */
};

static void
scan_fds(const char *pid, const char *comm, struct proc_scan *ps)
{
	char *dir = nd_asprintf("/proc/%s/fd", pid);
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d) {
		if (errno == EACCES)
			ps->partial = true;
		goto fail;
	}
	/* relative to the open folder: a desktop's processes hold tens of
	 * thousands of descriptors, and a whole path walked for each costs
	 * more than the rest of a run */
	while ((e = readdir(d)) != NULL && n++ < ND_SYS_MAX_FDS) {
		char link[PATH_MAX];
		ssize_t r;

		if (e->d_name[0] == '.')
			continue;
		r = readlinkat(dirfd(d), e->d_name, link, sizeof link - 1);
		if (r <= 0)
			continue;
		link[r] = '\0';
		if (strncmp(link, "/dev/bus/usb/", 13) == 0 &&
		    json_object_array_length(ps->usb) < ND_SYS_MAX_HOLDERS) {
			json_object *h = json_object_new_object();
			json_object_object_add(h, "pid", json_object_new_int(atoi(pid)));
			json_object_object_add(h, "name", json_object_new_string(comm));
			json_object_object_add(h, "node", json_object_new_string(link));
			json_object_array_add(ps->usb, h);
		}
	}
fail:
	if (d)
		closedir(d);
	free(dir);
}

static void
scan_procs(struct proc_scan *ps)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	ps->pcscd = json_object_new_array();
	ps->holders = json_object_new_array();
	ps->usb = json_object_new_array();
	if (!d)
		return;
	while ((e = readdir(d)) != NULL && n < ND_SYS_MAX_PROCS) {
		char *path, *comm, *status;
		long uid;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		n++;
		path = nd_asprintf("/proc/%s/comm", e->d_name);
		comm = nd_read_file(path, 64, NULL);
		free(path);
		if (!comm)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		path = nd_asprintf("/proc/%s/status", e->d_name);
		status = nd_read_file(path, 4096, NULL);
		free(path);
		uid = nd_sys_parse_status_uid(status);
		if (strcmp(comm, "pcscd") == 0) {
			json_object *p = json_object_new_object();
			char *user = user_name(uid), *args;
			path = nd_asprintf("/proc/%s/cmdline", e->d_name);
			args = nd_read_file(path, 512, NULL);
			free(path);
			/* cmdline is NUL-separated */
			for (size_t i = 0; args && i + 1 < 512 && (args[i] || args[i + 1]); i++)
				if (!args[i])
					args[i] = ' ';
			json_object_object_add(p, "pid", json_object_new_int(atoi(e->d_name)));
			nd_jset_str(p, "user", user);
			json_object_object_add(p, "uid", json_object_new_int64(uid));
			nd_jset_str(p, "args", args);
			json_object_array_add(ps->pcscd, p);
			free(user);
			free(args);
		} else if (strcmp(comm, "scdaemon") == 0) {
			json_object *h = json_object_new_object();
			char *user = user_name(uid);
			json_object_object_add(h, "pid", json_object_new_int(atoi(e->d_name)));
			json_object_object_add(h, "name", json_object_new_string(comm));
			json_object_object_add(h, "kind", json_object_new_string("gnupg_scdaemon"));
			nd_jset_str(h, "user", user);
			json_object_array_add(ps->holders, h);
			free(user);
		} else if (strcmp(comm, "polkitd") == 0)
			ps->polkitd = true;
		scan_fds(e->d_name, comm, ps);
		free(comm);
		free(status);
	}
	closedir(d);
}

static const char *
find_pcscd(void)
{
	static const char *const paths[] = { "/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd" };

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* pcscd.socket's and pcscd.service's {enabled, active}: what `systemctl
 * is-enabled` and `is-active` print, from one `systemctl show` for both
 * (each systemctl run asks PID 1 over D-Bus, several ms of CPU). A unit
 * that does not exist has no UnitFileState: is-enabled printed nothing
 * for it, so "unknown"; its ActiveState is "inactive", as is-active said. */
static void
unit_facts(const struct nd_report *rep, json_object *o)
{
	static const char *const names[] = { "pcscd.socket", "pcscd.service" };
	static const char *const keys[] = { "socket_unit", "service_unit" };
	const char *argv[] = { "systemctl", "show", "--property=Id,LoadState,UnitFileState,ActiveState",
	    names[0], names[1], NULL };
	struct nd_run_result rr;
	const char *none = "unknown", *out = NULL;
	size_t len = 0;
	json_object *units;

	if (nd_run(argv, cmd_ms(rep), false, ND_SYS_UNITS_OUT, &rr) == ND_OK) {
		if (rr.timed_out)
			none = "timeout";
		else if (!rr.truncated) {   /* a cut block could end in a cut word */
			out = rr.out;
			len = rr.out_len;
		}
	}
	units = nd_sys_parse_units_n(out, len, names, 2, none);
	for (size_t i = 0; i < 2; i++)
		json_object_object_add(o, keys[i], json_object_get(json_object_array_get_idx(units, i)));
	json_object_put(units);
	nd_run_result_reset(&rr);
}

/* pcscd's version as its program file says it (the message it logs at
 * start), and only when that is not found as `pcscd --version` prints it:
 * reading the file costs a few microseconds, starting it two ms of CPU */
static bool
pcscd_version(const struct nd_report *rep, const char *path, char *ver, size_t versz)
{
	const char *argv[] = { path, "--version", NULL };
	struct nd_run_result rr;
	size_t n = 0;
	char *bin = nd_read_file_n(path, ND_SYS_MAX_PROGRAM, &n, NULL);
	bool ok = bin && nd_sys_parse_pcscd_binary(bin, n, ver, versz);

	free(bin);
	if (ok)
		return true;
	ok = nd_run(argv, cmd_ms(rep), true, 4096, &rr) == ND_OK &&
	    nd_sys_parse_pcscd_version(rr.out, ver, versz);
	nd_run_result_reset(&rr);
	return ok;
}

static json_object *
pcscd_facts(const struct nd_report *rep, const struct proc_scan *ps, bool systemd)
{
	json_object *o = json_object_new_object();
	const char *path = find_pcscd(), *sock = getenv("PCSCLITE_CSOCK_NAME");
	char ver[32];
	struct stat st;

	json_object_object_add(o, "installed", json_object_new_boolean(path != NULL));
	nd_jset_str(o, "path", path);
	if (path)
		json_object_object_add(o, "version", pcscd_version(rep, path, ver, sizeof ver) ?
		    json_object_new_string(ver) : NULL);
	else
		json_object_object_add(o, "version", NULL);
	json_object_object_add(o, "running", json_object_new_boolean(json_object_array_length(ps->pcscd) > 0));
	json_object_object_add(o, "processes", json_object_get(ps->pcscd));
	if (json_object_array_length(ps->pcscd) > 0) {
		json_object *p0 = json_object_array_get_idx(ps->pcscd, 0);
		nd_jset_str(o, "user", nd_jstr(p0, "user"));
	} else
		json_object_object_add(o, "user", NULL);
	/* the client library's socket path: the one this session would use */
	if (!sock || !*sock)
		sock = "/run/pcscd/pcscd.comm";
	nd_jset_str(o, "socket", sock);
	json_object_object_add(o, "socket_exists",
	    json_object_new_boolean(stat(sock, &st) == 0 && S_ISSOCK(st.st_mode)));
	if (systemd) {
		unit_facts(rep, o);
	} else {
		json_object_object_add(o, "socket_unit", NULL);
		json_object_object_add(o, "service_unit", NULL);
	}
	return o;
}

static json_object *
polkit_facts(const struct proc_scan *ps)
{
	static const char *const daemons[] = { "/usr/lib/polkit-1/polkitd", "/usr/libexec/polkitd",
	    "/usr/lib/policykit-1/polkitd" };
	static const char *const rule_dirs[] = { "/etc/polkit-1/rules.d", "/usr/share/polkit-1/rules.d" };
	json_object *o = json_object_new_object(), *rules = json_object_new_array();
	bool installed = false;

	for (size_t i = 0; i < sizeof daemons / sizeof daemons[0]; i++)
		installed |= exists(daemons[i]);
	json_object_object_add(o, "installed", json_object_new_boolean(installed));
	json_object_object_add(o, "running", json_object_new_boolean(ps->polkitd));
	/* pcscd asks polkit only when built with it; Debian's package then
	 * ships this policy */
	json_object_object_add(o, "pcsc_policy",
	    json_object_new_boolean(exists("/usr/share/polkit-1/actions/org.debian.pcsc-lite.policy")));
	for (size_t i = 0; i < sizeof rule_dirs / sizeof rule_dirs[0]; i++) {
		DIR *d = opendir(rule_dirs[i]);
		struct dirent *e;
		int n = 0;
		while (d && (e = readdir(d)) != NULL && n++ < 64) {
			char *p, *t;
			if (!strstr(e->d_name, ".rules"))
				continue;
			p = nd_asprintf("%s/%s", rule_dirs[i], e->d_name);
			t = nd_read_file(p, 65536, NULL);
			if (t && strstr(t, "pcsc"))
				json_object_array_add(rules, json_object_new_string(p));
			free(t);
			free(p);
		}
		if (d)
			closedir(d);
	}
	json_object_object_add(o, "pcsc_rules", rules);
	return o;
}

static const char *
env(const char *k)
{
	const char *v = getenv(k);

	return v && *v ? v : NULL;
}

static json_object *
session_facts(const struct nd_report *rep, bool systemd)
{
	json_object *o = json_object_new_object();
	char *user = user_name((long)geteuid());
	const char *sid = env("XDG_SESSION_ID");

	nd_jset_str(o, "user", user);
	json_object_object_add(o, "uid", json_object_new_int64((int64_t)geteuid()));
	nd_jset_str(o, "sudo_user", env("SUDO_USER"));
	json_object_object_add(o, "ssh", json_object_new_boolean(env("SSH_CONNECTION") || env("SSH_CLIENT") || env("SSH_TTY")));
	json_object_object_add(o, "display", json_object_new_boolean(env("DISPLAY") || env("WAYLAND_DISPLAY")));
	nd_jset_str(o, "xdg_session_id", sid);
	nd_jset_str(o, "xdg_session_type", env("XDG_SESSION_TYPE"));
	json_object_object_add(o, "remote", NULL);
	json_object_object_add(o, "active", NULL);
	if (systemd && sid) {
		/* what polkit will decide from: logind's view of this session */
		const char *argv[] = { "loginctl", "show-session", sid, "-p", "Remote", "-p", "Active",
		    "-p", "Type", "-p", "Class", NULL };
		struct nd_run_result rr;
		if (nd_run(argv, cmd_ms(rep), false, 4096, &rr) == ND_OK && rr.status == 0)
			nd_sys_parse_session_n(rr.out, rr.out_len, o);
		nd_run_result_reset(&rr);
	}
	free(user);
	return o;
}

static char *
container_kind(const struct nd_report *rep)
{
	const char *argv[] = { "systemd-detect-virt", "--container", NULL };
	char *v = NULL, *t = NULL, *ret = NULL;
	const char *c;
	int st;

	/* What the engines and systemd write themselves settles it without
	 * starting a program (systemd-detect-virt costs as much CPU as a
	 * quarter of a whole check): /.dockerenv, podman's
	 * /run/.containerenv, and the manager's name that systemd (or the
	 * engine) keeps in /run/systemd/container; with systemd running
	 * here and that file absent, this is no container. */
	if (exists("/.dockerenv")) {
		ret = nd_xstrdup("docker");
		goto fail;
	}
	if (exists("/run/.containerenv")) {
		ret = nd_xstrdup("podman");
		goto fail;
	}
	if ((t = nd_read_file("/run/systemd/container", 64, NULL)) != NULL) {
		t[strcspn(t, " \t\r\n")] = '\0';
		if (*t) {
			ret = t;
			t = NULL;
			goto fail;
		}
		free(t);
		t = NULL;
	} else if (exists("/run/systemd/system")) {
		goto fail;
	}
	/* the authority when present; prints "none" outside containers */
	if ((v = first_line(rep, argv, &st)) != NULL && st >= 0) {
		if (strcmp(v, "none") != 0) {
			ret = v;
			v = NULL;
		}
		goto fail;
	}
	if ((c = env("container")) == NULL) {
		t = nd_read_file("/proc/1/cgroup", 8192, NULL);
		if ((c = nd_sys_parse_cgroup(t)) == NULL) {
			free(t);
			t = nd_read_file("/proc/sys/kernel/osrelease", 256, NULL);
			c = t && strcasestr(t, "microsoft") ? "wsl" : NULL;
		}
	}
	ret = c ? nd_xstrdup(c) : NULL;
fail:
	free(v);
	free(t);
	return ret;
}

static json_object *
gnupg_facts(void)
{
	json_object *o = json_object_new_object();
	const char *home = env("GNUPGHOME");
	char *path = home ? nd_asprintf("%s/scdaemon.conf", home) :
	    env("HOME") ? nd_asprintf("%s/.gnupg/scdaemon.conf", env("HOME")) : NULL;
	char *t = path ? nd_read_file(path, 65536, NULL) : NULL;
	bool shared = false, noccid = false;

	if (t)
		nd_sys_parse_scdaemon_conf(t, &shared, &noccid);
	nd_jset_str(o, "scdaemon_conf", path);
	json_object_object_add(o, "scdaemon_conf_exists", json_object_new_boolean(t != NULL));
	json_object_object_add(o, "pcsc_shared", json_object_new_boolean(shared));
	json_object_object_add(o, "disable_ccid", json_object_new_boolean(noccid));
	free(t);
	free(path);
	return o;
}

nd_err
nd_sys_collect(struct nd_report *rep)
{
	json_object *sys = json_object_new_object();
	struct proc_scan ps = { 0 };
	struct utsname u;
	struct stat st;
	bool systemd = stat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
	char *container;

	scan_procs(&ps);
	json_object_object_add(sys, "os", os_facts());
	if (uname(&u) == 0) {
		json_object_object_add(sys, "kernel", json_object_new_string(u.release));
		json_object_object_add(sys, "arch", json_object_new_string(u.machine));
	}
	json_object_object_add(sys, "systemd", json_object_new_boolean(systemd));
	json_object_object_add(sys, "pcscd", pcscd_facts(rep, &ps, systemd));
	json_object_object_add(sys, "polkit", polkit_facts(&ps));
	json_object_object_add(sys, "session", session_facts(rep, systemd));
	container = container_kind(rep);
	nd_jset_str(sys, "container", container);
	free(container);
	nd_jset_str(sys, "sandbox", (env("FLATPAK_ID") || exists("/.flatpak-info")) ? "flatpak" :
	    (env("SNAP") || env("SNAP_NAME")) ? "snap" : NULL);
	json_object_object_add(sys, "holders", ps.holders);
	json_object_object_add(sys, "usb_holders", ps.usb);
	/* without root only our own processes can be looked into */
	json_object_object_add(sys, "processes_partial", json_object_new_boolean(ps.partial));
	json_object_object_add(sys, "gnupg", gnupg_facts());
	json_object_object_add(sys, "browsers", nd_sys_browser_facts());
	json_object_object_add(sys, "java", nd_sys_java_facts(rep));
	json_object_object_add(rep->inventory, "system", sys);
	json_object_put(ps.pcscd);
	return ND_OK;
}
