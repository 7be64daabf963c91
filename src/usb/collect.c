/* SPDX-License-Identifier: BSD-2-Clause */
/* The usb collector: smart-card devices on the bus, what they say about
 * themselves, who may use them, which installed driver serves them, and
 * whether pcscd lists them. Only facts; src/checks/usb.c judges them. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libusb-1.0/libusb.h>

#include "core/util.h"
#include "core/run.h"
#include "usb/ccid.h"
#include "usb/known.h"
#include "usb/plist.h"
#include "usb/usb.h"

#define ND_USB_MAX_CLAIMS 8
#define ND_USB_LOG_LINES 8

static const char *
sysfs_root(void)
{
	const char *s = getenv("NESDOCTOR_SYSFS");

	return s && *s ? s : "/sys";
}

/* One line of a small sysfs attribute, trimmed; malloc'ed or NULL. Read
 * without blocking: NESDOCTOR_SYSFS may point at a saved copy, where a FIFO
 * would otherwise hang the run. */
static char *
sysfs_attr(const char *dev, const char *attr)
{
	char *path = nd_asprintf("%s/bus/usb/devices/%s/%s", sysfs_root(), dev, attr);
	char *buf = nd_read_file(path, 255, NULL), *ret = NULL;
	size_t n;

	if (buf) {
		n = strcspn(buf, "\r\n");
		buf[n] = '\0';
		while (n > 0 && buf[n - 1] == ' ')
			buf[--n] = '\0';
		if (n)
			ret = nd_xstrdup(buf);
	}
	free(buf);
	free(path);
	return ret;
}

/* The kernel driver bound to an interface ("usbfs" when a program such as
 * pcscd has claimed it through libusb), or NULL. */
static char *
sysfs_iface_driver(const char *dev, unsigned cfg, unsigned ifnum)
{
	char *path = nd_asprintf("%s/bus/usb/devices/%s:%u.%u/driver", sysfs_root(), dev, cfg, ifnum);
	char link[PATH_MAX], *ret = NULL;
	ssize_t n = readlink(path, link, sizeof link - 1);

	if (n > 0) {
		link[n] = '\0';
		ret = nd_xstrdup(basename(link));
	}
	free(path);
	return ret;
}

static const char *
speed_name(int s)
{
	switch (s) {
	case LIBUSB_SPEED_LOW: return "low";
	case LIBUSB_SPEED_FULL: return "full";
	case LIBUSB_SPEED_HIGH: return "high";
	case LIBUSB_SPEED_SUPER: return "super";
	case LIBUSB_SPEED_SUPER_PLUS: return "super_plus";
	}
	return NULL;
}

static const char *
class_name(uint8_t c)
{
	switch (c) {
	case LIBUSB_CLASS_SMART_CARD: return "smart_card";
	case LIBUSB_CLASS_VENDOR_SPEC: return "vendor";
	case LIBUSB_CLASS_HID: return "hid";
	case LIBUSB_CLASS_MASS_STORAGE: return "mass_storage";
	case LIBUSB_CLASS_HUB: return "hub";
	}
	return "other";
}

/* One string descriptor, bounded in time; ND_OK and out filled, or the
 * libusb error in *rv. */
static nd_err
read_string(libusb_device_handle *h, uint8_t idx, uint16_t lang, unsigned tmo,
            char *out, size_t outsz, int *rv)
{
	uint8_t buf[255];
	int r;
	nd_err err = ND_ERR_IO;

	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
	    (uint16_t)(LIBUSB_DT_STRING << 8 | idx), lang, buf, sizeof buf, tmo);
	*rv = r;
	if (r < 0) {
		err = nd_err_from_libusb(r);
		goto fail;
	}
	if (nd_usb_string_decode(buf, (size_t)r, out, outsz) < 0) {
		*rv = LIBUSB_ERROR_OTHER;
		err = ND_ERR_PARSE;
		goto fail;
	}
	err = ND_OK;
fail:
	return err;
}

/* Manufacturer and product from the device itself (needs to open it: a
 * control transfer on endpoint 0, harmless even while pcscd uses it). */
static int
usb_strings(libusb_device *dev, const struct libusb_device_descriptor *dd, unsigned tmo,
            char **manuf, char **product)
{
	libusb_device_handle *h = NULL;
	uint8_t lb[8];
	uint16_t lang;
	char s[128];
	int r, rv = 0;

	if (!dd->iProduct && !dd->iManufacturer)
		goto fail;
	if ((rv = libusb_open(dev, &h)) != 0)
		goto fail;
	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
	    LIBUSB_DT_STRING << 8, 0, lb, sizeof lb, tmo);
	if (r < 4 || lb[1] != LIBUSB_DT_STRING) {
		rv = r < 0 ? r : LIBUSB_ERROR_OTHER;
		goto fail;
	}
	lang = (uint16_t)(lb[2] | lb[3] << 8);   /* the first language offered */
	if (dd->iManufacturer && read_string(h, dd->iManufacturer, lang, tmo, s, sizeof s, &rv) == ND_OK && *s)
		*manuf = nd_xstrdup(s);
	if (dd->iProduct && read_string(h, dd->iProduct, lang, tmo, s, sizeof s, &rv) == ND_OK && *s)
		*product = nd_xstrdup(s);
	if (*product)
		rv = 0;
fail:
	if (h)
		libusb_close(h);
	return rv;
}

struct pcscd_user {
	const char *name;      /* NULL: unknown */
	bool assumed;          /* pcscd not running: the packaged default */
	uid_t uid;
	gid_t groups[64];
	int ngroups;
	bool ok;
};

static void
pcscd_user_init(const struct nd_report *rep, struct pcscd_user *u)
{
	json_object *p = nd_jobj(nd_jobj(rep->inventory, "system"), "pcscd");
	const char *name = nd_jstr(p, "user");
	struct passwd pw, *res = NULL;
	char buf[4096];

	memset(u, 0, sizeof *u);
	if (!name) {
		/* pcsc-lite >= 2.4 packages run it as "pcscd" when that user
		 * exists; older ones as root */
		u->assumed = true;
		name = (getpwnam_r("pcscd", &pw, buf, sizeof buf, &res) == 0 && res) ? "pcscd" : "root";
	}
	u->name = name;
	if (getpwnam_r(name, &pw, buf, sizeof buf, &res) != 0 || !res)
		return;
	u->uid = pw.pw_uid;
	/* root may open any node (may_rw): its groups are never asked, and
	 * getgrouplist reads the whole group database through NSS */
	u->ngroups = u->uid == 0 ? 0 : (int)(sizeof u->groups / sizeof u->groups[0]);
	if (u->ngroups && getgrouplist(name, pw.pw_gid, u->groups, &u->ngroups) < 0)
		u->ngroups = 0;
	u->ok = true;
}

/* Plain mode bits (pcscd's access comes from the driver's udev rule, by
 * group; ACLs are for the desktop user and are not looked at here). */
static bool
may_rw(const struct stat *st, const struct pcscd_user *u)
{
	if (u->uid == 0)
		return true;
	if (st->st_uid == u->uid)
		return (st->st_mode & 0600) == 0600;
	for (int i = 0; i < u->ngroups; i++)
		if (u->groups[i] == st->st_gid)
			return (st->st_mode & 0060) == 0060;
	return (st->st_mode & 0006) == 0006;
}

static json_object *
node_facts(const char *node, const struct pcscd_user *pu)
{
	json_object *o = json_object_new_object();
	struct stat st;
	char buf[4096], mode[8];

	if (stat(node, &st) < 0) {
		json_object_object_add(o, "error", json_object_new_string(strerror(errno)));
		goto fail;
	}
	snprintf(mode, sizeof mode, "%04o", (unsigned)(st.st_mode & 07777));
	json_object_object_add(o, "mode", json_object_new_string(mode));
	{
		struct passwd pw, *r = NULL;
		struct group gr, *g = NULL;
		if (getpwuid_r(st.st_uid, &pw, buf, sizeof buf, &r) == 0 && r)
			json_object_object_add(o, "owner", json_object_new_string(pw.pw_name));
		else
			json_object_object_add(o, "owner", json_object_new_int64(st.st_uid));
		if (getgrgid_r(st.st_gid, &gr, buf, sizeof buf, &g) == 0 && g)
			json_object_object_add(o, "group", json_object_new_string(gr.gr_name));
		else
			json_object_object_add(o, "group", json_object_new_int64(st.st_gid));
	}
	/* access(2) honours ACLs: this is what uaccess gives the desktop user */
	json_object_object_add(o, "user_access", json_object_new_boolean(access(node, R_OK | W_OK) == 0));
	nd_jset_str(o, "pcscd_user", pu->name);
	json_object_object_add(o, "pcscd_user_assumed", json_object_new_boolean(pu->assumed));
	json_object_object_add(o, "pcscd_access", pu->ok ? json_object_new_boolean(may_rw(&st, pu)) : NULL);
fail:
	return o;
}

/* The CCID class descriptor: after the interface descriptor, or (older
 * firmware) after the last endpoint's. */
static json_object *
ccid_facts(const struct libusb_interface_descriptor *id, json_object *dev)
{
	struct nd_ccid_desc d;
	nd_err e = nd_ccid_find(id->extra, (size_t)(id->extra_length > 0 ? id->extra_length : 0), &d);

	if (e == ND_ERR_NOT_FOUND && id->bNumEndpoints) {
		const struct libusb_endpoint_descriptor *ep = &id->endpoint[id->bNumEndpoints - 1];
		e = nd_ccid_find(ep->extra, (size_t)(ep->extra_length > 0 ? ep->extra_length : 0), &d);
	}
	json_object_object_add(dev, "ccid_error", e == ND_OK ? NULL : json_object_new_string(nd_err_name(e)));
	return e == ND_OK ? nd_ccid_to_json(&d) : NULL;
}

static void
driver_facts(const struct nd_ifd_set *ifd, uint16_t vid, uint16_t pid, bool ccid, json_object *dev)
{
	struct nd_ifd_claim c[ND_USB_MAX_CLAIMS];
	size_t n = nd_ifd_claims(ifd, vid, pid, c, ND_USB_MAX_CLAIMS);
	bool ambiguous = false;
	const struct nd_ifd_claim *pick = nd_ifd_pick(c, n, &ambiguous);
	const struct nd_ifd_bundle *cls = nd_ifd_class_driver(ifd);
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		nd_jset_str(o, "bundle", c[i].b->dir);
		nd_jset_str(o, "bundle_name", c[i].b->cf_name);
		nd_jset_str(o, "friendly_name", c[i].friendly);
		nd_jset_str(o, "package", nd_ifd_package(c[i].b->dir));
		nd_jset_str(o, "version", c[i].b->version);
		json_object_object_add(o, "class_driver", json_object_new_boolean(nd_ifd_is_class_driver(c[i].b)));
		json_object_array_add(arr, o);
	}
	nd_jset_str(dev, "driver", pick ? pick->b->dir : NULL);
	nd_jset_str(dev, "driver_package", pick ? nd_ifd_package(pick->b->dir) : NULL);
	nd_jset_str(dev, "driver_friendly_name", pick ? pick->friendly : NULL);
	/* "class": only the CCID class driver could drive it, and pcscd on
	 * Linux does not use a driver for an id the driver does not list */
	nd_jset_str(dev, "driver_match", pick ? "id" : (ccid && cls) ? "class" : NULL);
	nd_jset_str(dev, "class_driver", ccid && cls ? cls->dir : NULL);
	json_object_object_add(dev, "drivers", arr);
	json_object_object_add(dev, "drivers_ambiguous", json_object_new_boolean(ambiguous));
}

static json_object *
ifd_facts(const struct nd_ifd_set *ifd)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();

	nd_jset_str(o, "dir", ifd->dir);
	nd_jset_str(o, "error", ifd->err == ND_OK ? NULL : nd_err_name(ifd->err));
	for (size_t i = 0; i < ifd->n; i++) {
		const struct nd_ifd_bundle *b = &ifd->b[i];
		json_object *j = json_object_new_object();
		nd_jset_str(j, "bundle", b->dir);
		nd_jset_str(j, "bundle_name", b->cf_name);
		nd_jset_str(j, "executable", b->executable);
		nd_jset_str(j, "version", b->version);
		nd_jset_str(j, "package", nd_ifd_package(b->dir));
		json_object_object_add(j, "ids", json_object_new_int64((int64_t)b->n_ids));
		json_object_object_add(j, "class_driver", json_object_new_boolean(nd_ifd_is_class_driver(b)));
		nd_jset_str(j, "error", b->err == ND_OK ? NULL : nd_err_name(b->err));
		nd_jset_str(j, "error_detail", b->error);
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "bundles", arr);
	return o;
}

/* Match devices to the readers pcscd lists: each reader at most once, by
 * the names pcscd would give the device (driver's friendly names first). */
static void
pcsc_facts(const struct nd_report *rep, json_object *devs)
{
	const char *svc = nd_jstr(nd_jobj(rep->inventory, "pcsc"), "service");
	/* the reader list means something only when pcscd answered */
	json_object *readers = svc && strcmp(svc, "ok") == 0 ? nd_jarr(rep->inventory, "readers") : NULL;
	size_t nr = readers ? json_object_array_length(readers) : 0;
	bool *taken = nd_xcalloc(nr, sizeof *taken);

	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i), *drv = nd_jarr(d, "drivers");
		const char *names[ND_USB_MAX_CLAIMS + 4];
		size_t nn = 0;
		const char *hit = NULL;

		if (!readers) {
			json_object_object_add(d, "in_pcsc", NULL);
			json_object_object_add(d, "pcsc_reader", NULL);
			continue;
		}
		names[nn++] = nd_jstr(d, "driver_friendly_name");
		for (size_t k = 0; drv && k < json_object_array_length(drv) && nn < ND_USB_MAX_CLAIMS; k++)
			names[nn++] = nd_jstr(json_object_array_get_idx(drv, k), "friendly_name");
		names[nn++] = nd_jstr(d, "product");
		names[nn++] = nd_jstr(d, "name");
		for (size_t k = 0; k < nn && !hit; k++)
			for (size_t r = 0; r < nr && !hit; r++) {
				const char *rn = nd_jstr(json_object_array_get_idx(readers, r), "name");
				if (!taken[r] && nd_usb_reader_matches(rn, names[k])) {
					taken[r] = true;
					hit = rn;
				}
			}
		json_object_object_add(d, "in_pcsc", json_object_new_boolean(hit != NULL));
		nd_jset_str(d, "pcsc_reader", hit);
	}
	free(taken);
}

/* "ccid_usb.c:899:WriteUSB() write failed" -> "WriteUSB() write failed" */
static const char *
skip_source(const char *p)
{
	const char *c = strstr(p, ".c:"), *q;

	if (!c || memchr(p, ' ', (size_t)(c - p)))
		return p;
	for (q = c + 3; *q >= '0' && *q <= '9'; q++)
		;
	return *q == ':' ? q + 1 : p;
}

/* Whether some device is missing from PC/SC: only then is the log read. */
static bool
any_missing(json_object *devs)
{
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *v = NULL;
		json_object_object_get_ex(json_object_array_get_idx(devs, i), "in_pcsc", &v);
		if (json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v))
			return true;
	}
	return false;
}

/* The end of the log file (NESDOCTOR_PCSCD_LOG), or NULL. A regular file
 * only, opened without blocking: a FIFO would hang open() and the read. */
static char *
file_tail(const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	FILE *f = NULL;
	char *text;
	long sz;

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		f = fdopen(fd, "r");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	/* the end of the log is what matters */
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) > (long)ND_RUN_MAX_OUT)
		fseek(f, sz - (long)ND_RUN_MAX_OUT, SEEK_SET);
	else
		fseek(f, 0, SEEK_SET);
	text = nd_xcalloc(ND_RUN_MAX_OUT + 1, 1);
	(void)!fread(text, 1, ND_RUN_MAX_OUT, f);
	fclose(f);
	return text;
}

/* pcscd's lines of this boot from the journal, or NULL when it cannot be
 * read (no journal, or not for this user). */
static char *
journal_tail(const struct nd_report *rep)
{
	const char *argv[] = { "journalctl", "-b", "-u", "pcscd.service", "--no-pager",
	    "-q", "-o", "cat", "-n", "500", NULL };
	struct nd_run_result rr = { 0 };
	char *text = NULL;

	if (nd_run(argv, rep->opts->timeout_s * 1000, true, ND_RUN_MAX_OUT, &rr) == ND_OK && rr.status == 0 &&
	    !strstr(rr.out, "No journal files") && !strstr(rr.out, "not seeing messages")) {
		text = rr.out;
		rr.out = NULL;
	}
	nd_run_result_reset(&rr);
	return text;
}

/* What the log calls a device by. libccid names a device "(1/2)"
 * (bus/address) and pcscd "usb:072f/b100:libudev:0:/dev/bus/usb/001/002". */
struct log_names {
	const char *node, *friendly;
	char busdev[24], vidpid[24];
};

static bool
mentions(const char *l, const struct log_names *nm)
{
	return (nm->node && strstr(l, nm->node)) || strstr(l, nm->busdev) ||
	    (*nm->vidpid && strcasestr(l, nm->vidpid)) || (nm->friendly && strstr(l, nm->friendly));
}

static bool
says_failed(const char *l)
{
	return strstr(l, "LIBUSB_ERROR") || strcasestr(l, "fail") || strcasestr(l, "can't");
}

/* The message without pcscd's "00000690 ccid_usb.c:899:" prefix. */
static const char *
log_message(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	while (*p == ' ')
		p++;
	return skip_source(p);
}

/* The lines of the log that say something about device d failed; the
 * latest ND_USB_LOG_LINES. */
static json_object *
device_log(const json_object *d, const char *text)
{
	struct log_names nm = { nd_jstr(d, "node"), nd_jstr(d, "driver_friendly_name"), "", "" };
	const char *id = nd_jstr(d, "id");
	json_object *lines = json_object_new_array();
	char *save = NULL, *copy = nd_xstrdup(text);
	size_t n = 0;

	snprintf(nm.busdev, sizeof nm.busdev, "(%d/%d)", (int)nd_jint(d, "bus", -1), (int)nd_jint(d, "address", -1));
	if (id && strlen(id) == 9)
		snprintf(nm.vidpid, sizeof nm.vidpid, "usb:%.4s/%.4s", id, id + 5);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!mentions(l, &nm) || !says_failed(l))
			continue;
		if (n == ND_USB_LOG_LINES)   /* keep the latest */
			json_object_array_del_idx(lines, 0, 1);
		else
			n++;
		json_object_array_add(lines, json_object_new_string(log_message(l)));
	}
	free(copy);
	return lines;
}

/* Lines of pcscd's log that tell why it could not use a USB device. Only
 * read when some device is missing from PC/SC; the journal may not be
 * readable without the adm or systemd-journal group, which is a fact too. */
static void
log_facts(const struct nd_report *rep, json_object *devs, json_object *scan)
{
	const char *file = getenv("NESDOCTOR_PCSCD_LOG");
	json_object *log;
	char *text;

	if (!any_missing(devs))
		return;
	log = json_object_new_object();
	if (file && *file) {
		nd_jset_str(log, "source", file);
		text = file_tail(file);
	} else {
		nd_jset_str(log, "source", "journal");
		text = journal_tail(rep);
	}
	json_object_object_add(log, "readable", json_object_new_boolean(text != NULL));
	json_object_object_add(scan, "pcscd_log", log);
	for (size_t i = 0; text && i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i);
		if (!nd_jbool(d, "in_pcsc", true))
			json_object_object_add(d, "pcscd_log", device_log(d, text));
	}
	free(text);
}

/* Processes that have this device node open (seen by the sys collector). */
static void
holder_facts(const struct nd_report *rep, json_object *d)
{
	json_object *all = nd_jarr(nd_jobj(rep->inventory, "system"), "usb_holders");
	json_object *mine = json_object_new_array();
	const char *node = nd_jstr(d, "node");

	for (size_t i = 0; all && node && i < json_object_array_length(all); i++) {
		json_object *h = json_object_array_get_idx(all, i);
		const char *hn = nd_jstr(h, "node");
		if (hn && strcmp(hn, node) == 0)
			json_object_array_add(mine, json_object_get(h));
	}
	json_object_object_add(d, "holders", mine);
}

/* Devices in port order, so that reports read the same every time. */
static int
by_port(const void *a, const void *b)
{
	const json_object *x = *(const json_object *const *)a, *y = *(const json_object *const *)b;
	const char *px = nd_jstr(x, "port_path"), *py = nd_jstr(y, "port_path");

	return strcmp(px ? px : "", py ? py : "");
}

static bool
has_class(const struct libusb_config_descriptor *cfg, uint8_t cls)
{
	for (int i = 0; cfg && i < cfg->bNumInterfaces; i++)
		for (int a = 0; a < cfg->interface[i].num_altsetting; a++)
			if (cfg->interface[i].altsetting[a].bInterfaceClass == cls)
				return true;
	return false;
}

/* "1-2.3": the bus, then the port numbers down to the device. */
static void
port_path(libusb_device *dev, char *port, size_t size)
{
	uint8_t ports[8];
	int np = libusb_get_port_numbers(dev, ports, (int)sizeof ports);
	size_t k = (size_t)snprintf(port, size, "%u", libusb_get_bus_number(dev));

	for (int i = 0; i < np && k < size; i++)
		k += (size_t)snprintf(port + k, size - k, "%c%u", i ? '.' : '-', ports[i]);
}

/* The device's name: the table, else what the device says, else sysfs.
 * Returns what string_descriptors says for a device not in the table:
 * "ok", "none" (the device has no strings), or the libusb error. */
static const char *
name_facts(json_object *o, libusb_device *dev, const struct libusb_device_descriptor *dd,
           const struct nd_usb_known *k, const char *port)
{
	char *manuf = NULL, *product = NULL;
	const char *name = NULL, *source = NULL, *strings;
	/* per control transfer; at most three, only for devices not in the
	 * table, so well inside --timeout (at least 1 s) */
	unsigned tmo = 1000;
	int srv = 0;

	if (k) {
		name = k->name;
		source = "table";
	} else {
		srv = usb_strings(dev, dd, tmo, &manuf, &product);
		if (product)
			source = "usb";
	}
	if (!product && (product = sysfs_attr(port, "product")) && !source)
		source = "sysfs";
	if (!manuf)
		manuf = sysfs_attr(port, "manufacturer");
	if (!name && product)
		name = product;
	nd_jset_str(o, "name", name);
	nd_jset_str(o, "name_source", source);
	nd_jset_str(o, "manufacturer", manuf);
	nd_jset_str(o, "product", product);
	strings = srv ? nd_libusb_name(srv) : source && strcmp(source, "usb") == 0 ? "ok" : "none";
	free(manuf);
	free(product);
	return strings;
}

/* What a USB policy rule would name the device by, and whether the kernel
 * was told to trust it (0: no configuration, no driver, invisible to
 * pcscd). */
static void
policy_facts(json_object *o, const char *port)
{
	char *serial = sysfs_attr(port, "serial"), *auth = sysfs_attr(port, "authorized");

	nd_jset_str(o, "serial", serial);
	json_object_object_add(o, "authorized", auth ? json_object_new_boolean(strcmp(auth, "0") != 0) : NULL);
	free(serial);
	free(auth);
}

/* What our table says of the device; driver_packages: the Debian packages
 * whose driver lists it. */
static void
table_facts(json_object *o, const struct nd_usb_known *k)
{
	json_object *pk = json_object_new_array();

	nd_jset_str(o, "kind", k ? (k->kind == ND_USB_TOKEN ? "token" : "reader") : NULL);
	json_object_object_add(o, "known", json_object_new_boolean(k != NULL));
	nd_jset_str(o, "family", k ? k->family : NULL);
	if (k && k->libccid)
		json_object_array_add(pk, json_object_new_string("libccid"));
	if (k && k->acsccid)
		json_object_array_add(pk, json_object_new_string("libacsccid1"));
	json_object_object_add(o, "driver_packages", pk);
}

/* The interfaces of the configuration and their kernel drivers. *kdrv
 * gets the driver of the interface the card speaks through (CCID, or the
 * vendor one), *ccid the first CCID interface's facts. */
static json_object *
interface_facts(json_object *o, const struct libusb_config_descriptor *cfg, const char *port, bool is_ccid,
                char **kdrv, json_object **ccid)
{
	json_object *ifs = json_object_new_array();

	for (int i = 0; cfg && i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface_descriptor *id0;
		json_object *j;
		char *drv;

		if (cfg->interface[i].num_altsetting < 1)
			continue;
		id0 = &cfg->interface[i].altsetting[0];
		j = json_object_new_object();
		drv = sysfs_iface_driver(port, cfg->bConfigurationValue, id0->bInterfaceNumber);
		json_object_object_add(j, "number", json_object_new_int(id0->bInterfaceNumber));
		json_object_object_add(j, "class", json_object_new_int(id0->bInterfaceClass));
		json_object_object_add(j, "class_name", json_object_new_string(class_name(id0->bInterfaceClass)));
		nd_jset_str(j, "kernel_driver", drv);
		json_object_array_add(ifs, j);
		if (!*kdrv && (id0->bInterfaceClass == LIBUSB_CLASS_SMART_CARD ||
		    (!is_ccid && id0->bInterfaceClass == LIBUSB_CLASS_VENDOR_SPEC))) {
			*kdrv = drv;
			drv = NULL;
		}
		if (!*ccid && id0->bInterfaceClass == LIBUSB_CLASS_SMART_CARD)
			*ccid = ccid_facts(id0, o);
		free(drv);
	}
	return ifs;
}

static json_object *
device_facts(const struct nd_report *rep, libusb_device *dev, const struct libusb_device_descriptor *dd,
             struct libusb_config_descriptor *cfg, const struct nd_usb_known *k,
             const struct nd_ifd_set *ifd, const struct pcscd_user *pu)
{
	json_object *o = json_object_new_object(), *ifs, *ccid = NULL;
	char id[16], port[40], node[40];
	char *kdrv = NULL;
	const char *strings;
	bool is_ccid = has_class(cfg, LIBUSB_CLASS_SMART_CARD);

	snprintf(id, sizeof id, "%04x:%04x", dd->idVendor, dd->idProduct);
	port_path(dev, port, sizeof port);
	snprintf(node, sizeof node, "/dev/bus/usb/%03u/%03u", libusb_get_bus_number(dev),
	    libusb_get_device_address(dev));

	json_object_object_add(o, "id", json_object_new_string(id));
	strings = name_facts(o, dev, dd, k, port);
	policy_facts(o, port);
	if (!k)
		nd_jset_str(o, "string_descriptors", strings);
	table_facts(o, k);
	json_object_object_add(o, "bus", json_object_new_int(libusb_get_bus_number(dev)));
	json_object_object_add(o, "address", json_object_new_int(libusb_get_device_address(dev)));
	json_object_object_add(o, "port_path", json_object_new_string(port));
	nd_jset_str(o, "speed", speed_name(libusb_get_device_speed(dev)));

	ifs = interface_facts(o, cfg, port, is_ccid, &kdrv, &ccid);
	if (!cfg)
		json_object_object_add(o, "config_error", json_object_new_string("no configuration descriptor"));
	json_object_object_add(o, "interfaces", ifs);
	json_object_object_add(o, "ccid_interface", json_object_new_boolean(is_ccid));
	json_object_object_add(o, "ccid", ccid);
	if (!is_ccid)
		json_object_object_add(o, "ccid_error", NULL);
	nd_jset_str(o, "kernel_driver", kdrv);
	json_object_object_add(o, "node", json_object_new_string(node));
	json_object_object_add(o, "permissions", node_facts(node, pu));
	holder_facts(rep, o);
	driver_facts(ifd, dd->idVendor, dd->idProduct, is_ccid, o);
	free(kdrv);
	return o;
}

nd_err
nd_usb_collect(struct nd_report *rep)
{
	libusb_context *ctx = NULL;
	libusb_device **list = NULL;
	json_object *devs = json_object_new_array(), *scan = json_object_new_object();
	const struct libusb_version *v = libusb_get_version();
	struct nd_ifd_set ifd;
	struct pcscd_user pu;
	char ver[32];
	ssize_t n = 0;
	int r;
	nd_err err = ND_ERR_IO;

	nd_ifd_load(nd_ifd_dir(), &ifd);
	pcscd_user_init(rep, &pu);
	snprintf(ver, sizeof ver, "%u.%u.%u", v->major, v->minor, v->micro);
	json_object_object_add(scan, "libusb_version", json_object_new_string(ver));
	if ((r = libusb_init(&ctx)) != 0) {
		json_object_object_add(scan, "error", json_object_new_string(nd_libusb_name(r)));
		err = nd_err_from_libusb(r);
		goto fail;
	}
	if ((n = libusb_get_device_list(ctx, &list)) < 0) {
		json_object_object_add(scan, "error", json_object_new_string(nd_libusb_name((int)n)));
		err = nd_err_from_libusb((int)n);
		n = 0;
		goto fail;
	}
	json_object_object_add(scan, "error", NULL);
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;
		struct libusb_config_descriptor *cfg = NULL;
		const struct nd_usb_known *k;

		if (libusb_get_device_descriptor(list[i], &dd) != 0)
			continue;
		if (libusb_get_active_config_descriptor(list[i], &cfg) != 0)
			(void)libusb_get_config_descriptor(list[i], 0, &cfg);
		k = nd_usb_known_find(dd.idVendor, dd.idProduct);
		/* smart-card devices only: nothing else on the bus is reported */
		if (k || has_class(cfg, LIBUSB_CLASS_SMART_CARD))
			json_object_array_add(devs, device_facts(rep, list[i], &dd, cfg, k, &ifd, &pu));
		if (cfg)
			libusb_free_config_descriptor(cfg);
	}
	err = ND_OK;
fail:
	json_object_object_add(scan, "devices_seen", json_object_new_int64((int64_t)n));
	json_object_array_sort(devs, by_port);
	{
		json_object *pol = nd_usb_policy_collect(sysfs_root());
		for (size_t i = 0; i < json_object_array_length(devs); i++) {
			json_object *d = json_object_array_get_idx(devs, i);
			json_object_object_add(d, "policy", nd_usb_policy_for(pol, d));
		}
		json_object_object_add(rep->inventory, "usb_policy", pol);
	}
	pcsc_facts(rep, devs);
	log_facts(rep, devs, scan);
	json_object_object_add(rep->inventory, "usb", devs);
	json_object_object_add(rep->inventory, "usb_scan", scan);
	json_object_object_add(rep->inventory, "ifd_drivers", ifd_facts(&ifd));
	if (list)
		libusb_free_device_list(list, 1);
	if (ctx)
		libusb_exit(ctx);
	nd_ifd_set_reset(&ifd);
	return err;
}
