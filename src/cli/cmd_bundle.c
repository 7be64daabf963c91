/* SPDX-License-Identifier: BSD-2-Clause */
/* nesdoctor bundle [-o FILE]: what this machine saw, in one .tar.gz that a
 * person can send to IT: the full check (report.json, report.txt), the
 * versions of what signing needs, the smart-card USB devices and IFD
 * bundles, p11-kit's modules, the end of pcscd's log, and README.txt saying
 * what is in it and what was left out and why.
 *
 * A bundle is made to be sent, so every file goes through one filter
 * before it is written: the certificate holder's name becomes initials,
 * the home folder's path "~", and every TCKN is masked (--show-id is not
 * taken). Nothing is read from home folders.
 *
 * The files are written into a private temporary folder and packed by the
 * system's tar (GNU tar and gzip are essential packages): linking an archive
 * library would load its many libraries into every nesdoctor process, and
 * into the children that load PKCS#11 modules. The .tar.gz is written under
 * a temporary name next to the target and renamed when whole: a bundle that
 * cannot be written leaves nothing behind (exit ND_EXIT_CANTCREAT);
 * otherwise the exit code is the check's. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli/cli.h"
#include "config.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "render/render.h"
#include "report/report.h"
#include "core/run.h"

#define LOG_LINES 200
#define MAX_NAMES 16
#define MAX_FILES 16

struct bundle {
	char *tmpdir;           /* the private temporary folder (mkdtemp) */
	int tfd, dfd;           /* tmpdir, and tmpdir/dir where the files are written */
	char dir[128];          /* the folder inside the archive */
	const char *files[MAX_FILES];   /* written (or begun) in dfd */
	size_t n_files;
	int err;                /* errno of the first failed write */
	time_t when;
	const char *names[MAX_NAMES];   /* holder names, longest first */
	size_t n_names;
	const char *home;
	FILE *in, *out;         /* README's two lists */
	char *in_buf, *out_buf;
	size_t in_len, out_len;
	bool failed;
};

/* ---- the privacy filter ---------------------------------------------- */

/* s with every occurrence of `from` replaced by `to` (ASCII case ignored
 * when nocase; with whole_path, only where a path element ends after it).
 * malloc'ed; s is freed. */
static char *
replace_all(char *s, const char *from, const char *to, bool nocase, bool whole_path)
{
	size_t fl = strlen(from), tl = strlen(to), sl = strlen(s), i = 0, k = 0;
	char *out;

	if (!fl)
		return s;
	/* at most one `to` per `from` in s */
	out = nd_xcalloc(sl / fl * tl + sl + 1, 1);
	while (i < sl) {
		const char *q = nocase ? strcasestr(s + i, from) : strstr(s + i, from);
		size_t at = q ? (size_t)(q - s) : sl, end = at + fl;

		memcpy(out + k, s + i, at - i);
		k += at - i;
		if (!q)
			break;
		if (whole_path && s[end] && s[end] != '/' && s[end] != '"' && s[end] != ' ' && s[end] != '\n') {
			out[k++] = s[at];   /* "/home/al" in "/home/ali": not this one */
			i = at + 1;
			continue;
		}
		memcpy(out + k, to, tl);
		k += tl;
		i = end;
	}
	free(s);
	return out;
}

/* "TEST KULLANICI ÇAĞRI" -> "T. K. Ç." (the first character of each word,
 * UTF-8 aware). malloc'ed. */
static char *
initials(const char *name)
{
	char *out = nd_xcalloc(strlen(name) * 2 + 1, 1), *o = out;

	for (const char *p = name; *p;) {
		size_t k = 1;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (((unsigned char)p[k] & 0xc0) == 0x80)
			k++;
		if (o != out)
			*o++ = ' ';
		memcpy(o, p, k);
		o += k;
		*o++ = '.';
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return out;
}

static char *
private_text(const struct bundle *b, const char *text)
{
	char *s = nd_xstrdup(text);

	for (size_t i = 0; i < b->n_names; i++) {
		char *ini = initials(b->names[i]);
		s = replace_all(s, b->names[i], ini, true, false);
		free(ini);
	}
	if (b->home)
		s = replace_all(s, b->home, "~", false, true);
	nd_mask_tckns(s);
	return s;
}

static void
add_name(struct bundle *b, const char *name)
{
	size_t i;

	/* a name of one or two letters would eat into every word */
	if (!name || strlen(name) < 3 || b->n_names == MAX_NAMES)
		return;
	for (i = 0; i < b->n_names; i++)
		if (strcasecmp(b->names[i], name) == 0)
			return;
	/* longest first: "AHMET YILMAZ" before "AHMET" */
	for (i = b->n_names; i > 0 && strlen(b->names[i - 1]) < strlen(name); i--)
		b->names[i] = b->names[i - 1];
	b->names[i] = name;
	b->n_names++;
}

/* The holders' names: the signing certificate's, and the common name of
 * every end-entity certificate seen (not the CAs': those are no person). */
static void
holder_names(struct bundle *b, const json_object *inv)
{
	json_object *certs = nd_jarr(inv, "certificates"), *cands = nd_jarr(inv, "signing_candidates");

	add_name(b, nd_jstr(nd_jobj(nd_jobj(inv, "signing_certificate"), "holder"), "name"));
	for (size_t i = 0; cands && certs && i < json_object_array_length(cands); i++) {
		int64_t k = nd_jint(json_object_array_get_idx(cands, i), "index", -1);
		if (k >= 0 && (size_t)k < json_object_array_length(certs))
			add_name(b, nd_jstr(json_object_array_get_idx(certs, (size_t)k), "subject_cn"));
	}
}

/* ---- the archive -------------------------------------------------------- */

/* name (a literal) written, filtered, into the private folder, mode 0600;
 * the first failure is kept in b->err */
static void
add_file(struct bundle *b, const char *name, const char *text, const char *what)
{
	char *s = private_text(b, text);
	size_t n = strlen(s), done = 0;
	int fd = -1;
	bool ok = false;

	if (b->failed)
		goto fail;
	if (b->n_files == MAX_FILES)
		abort();   /* a file more than this code writes */
	b->files[b->n_files++] = name;
	if ((fd = openat(b->dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		goto fail;
	while (done < n) {
		ssize_t k = write(fd, s + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			goto fail;
		}
		done += (size_t)k;
	}
	ok = close(fd) == 0;
	fd = -1;
	if (ok && what)
		fprintf(b->in, "  %-20s %s\n", name, what);
fail:
	if (!ok && !b->failed) {
		b->err = errno ? errno : EIO;
		b->failed = true;
	}
	if (fd >= 0)
		close(fd);
	free(s);
}

static void
left_out(struct bundle *b, const char *what, const char *why)
{
	fprintf(b->out, "  %s: %s\n", what, why);
}

/* ---- the parts -------------------------------------------------------- */

static int
timeout_ms(const struct nd_opts *o)
{
	return o->timeout_s * 1000;
}

/* The output of argv, or NULL with *why (malloc'ed) when it did not run or
 * said nothing. */
static char *
run_out(const struct nd_opts *o, const char *const argv[], char **why)
{
	struct nd_run_result rr = { 0 };
	nd_err e = nd_run(argv, timeout_ms(o), true, ND_RUN_MAX_OUT, &rr);
	char *s = NULL;

	*why = NULL;
	if (e == ND_ERR_NOT_FOUND)
		*why = nd_asprintf(_("%s is not installed"), argv[0]);
	else if (e != ND_OK)
		*why = nd_asprintf(_("%s could not be started"), argv[0]);
	else if (rr.timed_out)
		*why = nd_asprintf(_("%s did not finish within %d s"), argv[0], o->timeout_s);
	else if (!rr.out || !rr.out_len)
		*why = nd_asprintf(_("%s said nothing (exit status %d)"), argv[0], rr.status);
	else
		s = nd_xstrdup(rr.out);
	nd_run_result_reset(&rr);
	return s;
}

/* The last `lines` lines of s, in place. */
static const char *
tail_lines(const char *s, size_t lines)
{
	size_t n = strlen(s), seen = 0;

	if (n && s[n - 1] == '\n')
		n--;
	while (n > 0) {
		if (s[n - 1] == '\n' && ++seen == lines)
			break;
		n--;
	}
	return s + n;
}

static void
add_versions(struct bundle *b, const struct nd_opts *o, const json_object *inv)
{
	static const char *const dpkg[] = { "dpkg-query", "-W", "-f", "${Package} ${Version} ${Architecture}\\n",
		"pcscd", "libccid", "libpcsclite1", "opensc", "opensc-pkcs11", "openssl", "libssl3", "p11-kit",
		"libp11-kit0", "libnss3", "libnss3-tools", NULL };
	json_object *sys = nd_jobj(inv, "system"), *pcscd = nd_jobj(sys, "pcscd"), *mods = nd_jarr(inv, "modules");
	char *buf = NULL, *pk, *why, *osr;
	size_t len = 0;
	bool akis = false;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	fprintf(f, "nesdoctor %s\n", ND_VERSION);
	fprintf(f, "kernel: %s %s\n", nd_jstr(sys, "kernel") ? nd_jstr(sys, "kernel") : "?",
	    nd_jstr(sys, "arch") ? nd_jstr(sys, "arch") : "");
	fprintf(f, "pcscd: %s%s\n", nd_jstr(pcscd, "version") ? nd_jstr(pcscd, "version") : "?",
	    nd_jbool(pcscd, "installed", false) ? "" : " (not installed)");
	fprintf(f, "OpenSSL (linked): %s\n", OpenSSL_version(OPENSSL_VERSION));
	fprintf(f, "\n[packages: dpkg-query -W]\n");
	if ((pk = run_out(o, dpkg, &why)))
		fputs(pk, f);
	else {
		fprintf(f, "%s\n", why);
		left_out(b, _("package versions"), why);
	}
	free(pk);
	free(why);
	fprintf(f, "\n[PKCS#11 modules: C_GetInfo]\n");
	for (size_t i = 0; mods && i < json_object_array_length(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i), *info = nd_jobj(m, "info");

		fprintf(f, "%s%s: %s", nd_jstr(m, "path") ? nd_jstr(m, "path") : "?",
		    nd_jbool(m, "akis", false) ? " (AKIS)" : "", nd_jstr(m, "status") ? nd_jstr(m, "status") : "?");
		if (info) {
			fprintf(f, "; cryptoki %s, %s, %s, library %s", nd_jstr(info, "cryptoki_version") ?: "?",
			    nd_jstr(info, "manufacturer") ?: "?", nd_jstr(info, "description") ?: "?",
			    nd_jstr(info, "library_version") ?: "?");
			akis |= nd_jbool(m, "akis", false);
		}
		fputc('\n', f);
	}
	if (!akis)
		left_out(b, _("the AKIS library's C_GetInfo"), _("no AKIS PKCS#11 library answered on this system"));
	/* os-release is a system file, never the person's */
	osr = nd_read_file("/etc/os-release", 64 << 10, NULL);
	if (!osr)
		osr = nd_read_file("/usr/lib/os-release", 64 << 10, NULL);
	fprintf(f, "\n[os-release]\n%s", osr ? osr : _("(not readable)\n"));
	free(osr);
	fclose(f);
	add_file(b, "versions.txt", buf, _("versions: nesdoctor, kernel, pcscd, OpenSSL, the packages, each PKCS#11 module's C_GetInfo, os-release"));
	free(buf);
}

static void
add_usb(struct bundle *b, const json_object *inv)
{
	json_object *u = json_object_new_object();
	static const char *const keys[] = { "usb", "usb_scan", "ifd_drivers" };

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_object_add(u, keys[i], json_object_get(nd_jobj(inv, keys[i])));
	add_file(b, "usb.json", json_object_to_json_string_ext(u, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE), _("the smart-card USB devices, and the IFD bundles installed with the ids they list"));
	json_object_put(u);
}

static void
add_p11kit(struct bundle *b, const struct nd_opts *o)
{
	static const char *const argv[] = { "p11-kit", "list-modules", NULL };
	char *why, *s = run_out(o, argv, &why);

	if (s)
		add_file(b, "p11-kit-modules.txt", s, _("p11-kit list-modules"));
	else
		left_out(b, "p11-kit-modules.txt", why);
	free(s);
	free(why);
}

/* The end of pcscd's log: NESDOCTOR_PCSCD_LOG (a log file, as the usb
 * layer reads it), else the journal. */
static void
add_pcscd_log(struct bundle *b, const struct nd_opts *o)
{
	static const char *const argv[] = { "journalctl", "-u", "pcscd.service", "-n", "200", "--no-pager",
		"-o", "short-iso", NULL };
	const char *file = getenv("NESDOCTOR_PCSCD_LOG");
	char *s = NULL, *why = NULL, *what;

	if (file && *file) {
		bool exists;
		/* the end of the log is what matters: at most the last
		 * ND_RUN_MAX_OUT bytes are kept by reading the whole (bounded)
		 * file and keeping its tail */
		s = nd_read_file(file, 16u << 20, &exists);
		if (!s)
			why = nd_asprintf(exists ? _("%s cannot be read") : _("%s does not exist"), file);
		what = nd_asprintf(_("the last %d lines of pcscd's log (%s)"), LOG_LINES, file);
	} else {
		s = run_out(o, argv, &why);
		/* "-- No entries --", or only hints: the journal is not
		 * readable for this user (groups adm, systemd-journal) */
		if (s && !strstr(s, "pcscd")) {
			why = nd_asprintf(_("the journal shows no pcscd lines to this user (%.*s)"), (int)strcspn(s, "\n"), s);
			free(s);
			s = NULL;
		}
		what = nd_asprintf(_("the last %d lines of pcscd's journal"), LOG_LINES);
	}
	if (s)
		add_file(b, "pcscd.log", tail_lines(s, LOG_LINES), what);
	else
		left_out(b, "pcscd.log", why);
	free(what);
	free(why);
	free(s);
}

/* What the check itself could not see, said where IT looks first. */
static void
report_gaps(struct bundle *b, const json_object *inv)
{
	const char *svc = nd_jstr(nd_jobj(inv, "pcsc"), "service");

	if (svc && strcmp(svc, "ok") != 0)
		left_out(b, _("readers and cards"), svc && strcmp(svc, "not_running") == 0 ?
		    _("pcscd is not running: no reader or card could be listed (see report.txt)") :
		    _("pcscd did not answer: no reader or card could be listed (see report.txt)"));
}

/* "nesdoctor-<host>-<UTC time>" with the host name in [A-Za-z0-9._-]. */
static void
base_name(time_t when, char *buf, size_t bufsz)
{
	char host[HOST_NAME_MAX + 1] = "", t[32];
	struct tm tm;

	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[64] = '\0';
	for (char *p = host; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *p) || (p == host && *p == '.'))
			*p = '_';
	gmtime_r(&when, &tm);
	strftime(t, sizeof t, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, bufsz, "nesdoctor-%s-%s", *host ? host : "host", t);
}

/* The private folder: $TMPDIR (or /tmp)/nesdoctor-bundle.XXXXXX, 0700,
 * holding b->dir, opened as b->dfd. errno on failure. */
static bool
make_folder(struct bundle *b)
{
	const char *t = getenv("TMPDIR");

	b->tmpdir = nd_asprintf("%s/nesdoctor-bundle.XXXXXX", t && *t == '/' ? t : "/tmp");
	if (!mkdtemp(b->tmpdir)) {
		free(b->tmpdir);
		b->tmpdir = NULL;
		return false;
	}
	if ((b->tfd = open(b->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) < 0 ||
	    mkdirat(b->tfd, b->dir, 0700) != 0)
		return false;
	b->dfd = openat(b->tfd, b->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	return b->dfd >= 0;
}

/* The private folder and what is in it, removed. */
static void
remove_folder(struct bundle *b)
{
	if (!b->tmpdir)
		return;
	for (size_t i = 0; b->dfd >= 0 && i < b->n_files; i++)
		unlinkat(b->dfd, b->files[i], 0);
	if (b->dfd >= 0)
		close(b->dfd);
	if (b->tfd >= 0) {
		unlinkat(b->tfd, b->dir, AT_REMOVEDIR);
		close(b->tfd);
	}
	b->dfd = b->tfd = -1;
	rmdir(b->tmpdir);
	free(b->tmpdir);
	b->tmpdir = NULL;
}

/* tar packs the folder into out (the temporary name beside the target):
 * owner root, one time for all, in name order, so that two bundles of the
 * same facts are the same file. NULL, or why not (malloc'ed). */
static char *
pack(const struct bundle *b, const struct nd_opts *o, const char *out)
{
	char *file = nd_asprintf("--file=%s", out), *dir = nd_asprintf("--directory=%s", b->tmpdir),
	     *mtime = nd_asprintf("--mtime=@%lld", (long long)b->when), *why = NULL;
	/* --force-local: a ':' in the name is no remote host; go+rX: the
	 * files 0644 and the folder 0755 in the archive, as a person expects */
	const char *const argv[] = { "tar", "--create", "--gzip", "--force-local", file, "--owner=0", "--group=0",
		"--numeric-owner", "--sort=name", "--mode=go+rX", mtime, dir, "--", b->dir, NULL };
	struct nd_run_result rr = { 0 };
	nd_err e = nd_run(argv, timeout_ms(o), true, ND_RUN_MAX_OUT, &rr);

	if (e == ND_ERR_NOT_FOUND)
		why = nd_asprintf(_("%s is not installed"), "tar");
	else if (e != ND_OK)
		why = nd_asprintf(_("%s could not be started"), "tar");
	else if (rr.timed_out)
		why = nd_asprintf(_("%s did not finish within %d s"), "tar", o->timeout_s);
	else if (rr.status != 0 && rr.out_len)
		why = nd_asprintf("%.*s", (int)strcspn(rr.out, "\n"), rr.out);   /* tar's own "tar: ..." */
	else if (rr.status != 0)
		why = nd_asprintf(_("%s said nothing (exit status %d)"), "tar", rr.status);
	nd_run_result_reset(&rr);
	free(file);
	free(dir);
	free(mtime);
	return why;
}

/* The check's report as JSON and as text, and what completes it: the
 * versions, USB, p11-kit's view, pcscd's log, what could not be had. */
static void
add_report(struct bundle *b, const struct nd_opts *o, struct nd_report *rep)
{
	json_object *doc, *inv;
	char *text = NULL;
	size_t tlen = 0;
	FILE *tf;

	holder_names(b, rep->inventory);
	doc = nd_render_json_doc(rep);
	inv = nd_jobj(doc, "inventory");
	if (!(tf = open_memstream(&text, &tlen)))
		abort();
	nd_render_text(rep, tf, false);
	fclose(tf);

	add_file(b, "report.json", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE), _("the full check as JSON (nesdoctor show reads it)"));
	add_file(b, "report.txt", text, _("the full check as text, as nesdoctor check prints it"));
	add_versions(b, o, inv);
	add_usb(b, inv);
	add_p11kit(b, o);
	add_pcscd_log(b, o);
	report_gaps(b, inv);
	free(text);
	json_object_put(doc);
}

/* README.txt: what the bundle is, what it hides, what is in it and what
 * was left out. */
static void
add_readme(struct bundle *b)
{
	char *readme;

	fflush(b->in);
	fflush(b->out);
	readme = nd_asprintf("%s\n\n%s\n%s\n\n%s\n%s\n%s\n%s%s",
	    _("nesdoctor support bundle: what this computer saw when signing with an e-signature card was checked."),
	    _("Privacy: identity numbers (TCKN) are masked in every file, the certificate holder's name is"),
	    _("replaced by initials, the home folder's path by \"~\"; nothing is read from home folders."),
	    _("Read it with: nesdoctor show <this bundle>"),
	    "",
	    _("In this bundle:"), b->in_len ? b->in_buf : "", b->out_len ? "" : _("Nothing was left out.\n"));
	if (b->out_len) {
		char *r2 = nd_asprintf("%s\n%s\n%s", readme, _("Left out, and why:"), b->out_buf);
		free(readme);
		readme = r2;
	}
	add_file(b, "README.txt", readme, NULL);
	free(readme);
}

/* The home folder, to be replaced by "~" in the files; NULL when HOME is
 * no absolute path (nothing to replace). */
static const char *
home_dir(void)
{
	const char *home = getenv("HOME");

	return home && (strlen(home) < 2 || home[0] != '/') ? NULL : home;
}

/* README's two lists: what is in the bundle, and what was left out. */
static void
open_lists(struct bundle *b)
{
	b->in = open_memstream(&b->in_buf, &b->in_len);
	b->out = open_memstream(&b->out_buf, &b->out_len);
	if (!b->in || !b->out)
		abort();
}

int
nd_cmd_bundle(struct nd_opts *o)
{
	struct bundle b;
	struct nd_report rep;
	bool have_rep = false;
	char name[160], *path, *tmp, *why = NULL;
	struct stat st;
	int fd = -1, rv = ND_EXIT_CANTCREAT, err = 0;

	memset(&b, 0, sizeof b);
	b.tfd = b.dfd = -1;
	b.when = time(NULL);
	base_name(b.when, b.dir, sizeof b.dir);
	snprintf(name, sizeof name, "%s.tar.gz", b.dir);
	path = nd_xstrdup(o->output ? o->output : name);
	/* written under a temporary name beside it, renamed when whole; made
	 * first, so that a place that cannot be written is said at once */
	tmp = nd_asprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		err = errno;
		free(tmp);
		tmp = NULL;
		goto fail;
	}
	if (!make_folder(&b)) {
		err = errno ? errno : EIO;
		goto fail;
	}
	b.home = home_dir();
	open_lists(&b);

	/* the report inside is the full check's */
	o->command = "check";
	nd_run_collect(&rep, o, ND_CHECK_COLLECT, ND_LAYER_ALL & ~(unsigned)ND_LAYER_SIGN);
	have_rep = true;
	add_report(&b, o, &rep);
	add_readme(&b);
	if (b.failed) {
		err = b.err;
		goto fail;
	}
	/* tar writes tmp by its name; fd, the same file, makes it durable */
	if ((why = pack(&b, o, tmp)))
		goto fail;
	if (fsync(fd) != 0) {
		err = errno;
		goto fail;   /* fd is closed below */
	}
	if (close(fd) != 0) {
		err = errno;
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0 || stat(path, &st) != 0) {
		err = errno;
		goto fail;
	}
	free(tmp);
	tmp = NULL;
	nd_safe_line(stdout, false, _("Bundle written: %s (%lld bytes)"), path, (long long)st.st_size);
	rv = (int)nd_verdict_exit(rep.verdict);
fail:
	if (err || why) {
		nd_safe_line(stderr, false, _("nesdoctor: cannot write the bundle %s: %s"), path, why ? why : strerror(err));
		rv = ND_EXIT_CANTCREAT;
	}
	remove_folder(&b);
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (b.in)
		fclose(b.in);
	if (b.out)
		fclose(b.out);
	free(b.in_buf);
	free(b.out_buf);
	free(why);
	if (have_rep)
		nd_report_reset(&rep);
	free(path);
	return rv;
}
