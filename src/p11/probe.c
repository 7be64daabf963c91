/* SPDX-License-Identifier: BSD-2-Clause */
/* The child side of the collector: everything that touches module code
 * runs here, in a process of its own (nd_child_run). Each call into the
 * module is announced first, so that the parent can say which call hung or
 * crashed; every answer goes back at once as a message, so what was learned
 * before a hang is not lost. Nothing the module returns is trusted: counts
 * and lengths are bounded, strings cleaned, BUFFER_TOO_SMALL rounds limited.
 * The parent checks the messages again: this process runs foreign code. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#include "core/util.h"
#include "p11/p11_int.h"

struct probe {
	struct nd_chan *ch;
	CK_FUNCTION_LIST_PTR f;
};

/* A call through the module's function list: a list with holes (NULL
 * pointers) would crash us for nothing, so a hole is an answer too. */
#define HAS(pr, fn) ((pr)->f->fn != NULL)

static void
msg_send(struct probe *pr, json_object *m)
{
	nd_p11_msg_send(pr->ch, m);
}

/* Numbers from the module are unsigned long; int64 carries them bit for bit
 * and the parent casts them back. */
static void
put_ul(json_object *m, const char *key, unsigned long v)
{
	json_object_object_add(m, key, json_object_new_int64((int64_t)v));
}

static void
put_field(json_object *m, json_object *anoms, const char *key, const unsigned char *p, size_t n)
{
	unsigned a = 0;
	char *s = nd_p11_field(p, n, &a);

	json_object_object_add(m, key, json_object_new_string(s));
	nd_p11_anomalies_add(anoms, key, a);
	free(s);
}

static void
put_version(json_object *m, const char *key, CK_VERSION v)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%u.%u", v.major, v.minor);
	json_object_object_add(m, key, json_object_new_string(buf));
}

static void
put_anomaly(json_object *anoms, const char *what)
{
	json_object_array_add(anoms, json_object_new_string(what));
}

static void
send_error(struct probe *pr, const char *call, const CK_SLOT_ID *slot, CK_RV rv, bool missing)
{
	json_object *m = nd_p11_msg_new("error");

	json_object_object_add(m, "call", json_object_new_string(call));
	if (slot)
		put_ul(m, "slot", *slot);
	if (missing)
		json_object_object_add(m, "missing", json_object_new_boolean(1));
	else
		put_ul(m, "rv", rv);
	msg_send(pr, m);
}

/* C_GetSlotList(FALSE): every slot, with or without a token. First in
 * one call with room for a few slots: a module such as OpenSC looks at
 * every reader and card on each call, so the usual size query costs a
 * second round of it; the size query follows only when that room was too
 * small. */
static CK_RV
get_slots(struct probe *pr, CK_SLOT_ID **out, CK_ULONG *n, json_object *anoms)
{
	enum { ROOM = 16 };
	CK_SLOT_ID *first = nd_xcalloc(ROOM, sizeof *first);
	CK_ULONG cnt = ROOM;
	CK_RV rv0;

	*out = NULL;
	*n = 0;
	nd_chan_step(pr->ch, "C_GetSlotList");
	rv0 = pr->f->C_GetSlotList(CK_FALSE, first, &cnt);
	if (rv0 == CKR_OK) {
		if (cnt > ROOM) {
			put_anomaly(anoms, "slot_count.grew");
			cnt = ROOM;
		}
		if (cnt == 0)
			free(first);
		else {
			*out = first;
			*n = cnt;
		}
		return CKR_OK;
	}
	free(first);
	if (rv0 != CKR_BUFFER_TOO_SMALL)
		return rv0;
	for (int round = 0; round < ND_P11_MAX_RETRIES; round++) {
		CK_ULONG want = 0, got;
		CK_SLOT_ID *v;
		CK_RV rv;

		nd_chan_step(pr->ch, "C_GetSlotList");
		rv = pr->f->C_GetSlotList(CK_FALSE, NULL_PTR, &want);
		if (rv != CKR_OK)
			return rv;
		if (want > ND_P11_MAX_SLOTS) {
			put_anomaly(anoms, "slot_count.absurd");
			want = ND_P11_MAX_SLOTS;
		}
		if (want == 0)
			return CKR_OK;
		v = nd_xcalloc(want, sizeof *v);
		got = want;
		rv = pr->f->C_GetSlotList(CK_FALSE, v, &got);
		if (rv == CKR_BUFFER_TOO_SMALL) {
			free(v);
			continue;   /* a reader was plugged in meanwhile: ask again */
		}
		if (rv != CKR_OK) {
			free(v);
			return rv;
		}
		if (got > want) {
			put_anomaly(anoms, "slot_count.grew");
			got = want;
		}
		*out = v;
		*n = got;
		return CKR_OK;
	}
	put_anomaly(anoms, "slot_list.buffer_too_small_loop");
	return CKR_BUFFER_TOO_SMALL;
}

static CK_RV
get_mechs(struct probe *pr, CK_SLOT_ID slot, CK_MECHANISM_TYPE **out, CK_ULONG *n, json_object *anoms)
{
	*out = NULL;
	*n = 0;
	for (int round = 0; round < ND_P11_MAX_RETRIES; round++) {
		CK_ULONG want = 0, got;
		CK_MECHANISM_TYPE *v;
		CK_RV rv;

		rv = pr->f->C_GetMechanismList(slot, NULL_PTR, &want);
		if (rv != CKR_OK)
			return rv;
		if (want > ND_P11_MAX_MECHS) {
			put_anomaly(anoms, "mechanism_count.absurd");
			want = ND_P11_MAX_MECHS;
		}
		if (want == 0)
			return CKR_OK;
		v = nd_xcalloc(want, sizeof *v);
		got = want;
		rv = pr->f->C_GetMechanismList(slot, v, &got);
		if (rv == CKR_BUFFER_TOO_SMALL) {
			free(v);
			continue;
		}
		if (rv != CKR_OK) {
			free(v);
			return rv;
		}
		if (got > want) {
			put_anomaly(anoms, "mechanism_count.grew");
			got = want;
		}
		*out = v;
		*n = got;
		return CKR_OK;
	}
	put_anomaly(anoms, "mechanism_list.buffer_too_small_loop");
	return CKR_BUFFER_TOO_SMALL;
}

static void
probe_mechs(struct probe *pr, CK_SLOT_ID slot)
{
	json_object *m = nd_p11_msg_new("mechs"), *list = json_object_new_array(),
	    *anoms = json_object_new_array();
	CK_MECHANISM_TYPE *v = NULL;
	CK_ULONG n = 0;
	CK_RV rv;

	put_ul(m, "slot", slot);
	if (!HAS(pr, C_GetMechanismList)) {
		json_object_object_add(m, "missing", json_object_new_boolean(1));
		goto fail;
	}
	nd_chan_step(pr->ch, "C_GetMechanismList(slot %lu)", slot);
	rv = get_mechs(pr, slot, &v, &n, anoms);
	put_ul(m, "rv", rv);
	put_ul(m, "total", n);
	for (CK_ULONG i = 0; i < n; i++) {
		CK_MECHANISM_INFO mi;
		json_object *e;

		if (!nd_p11_mech_can_sign(v[i]))
			continue;
		e = json_object_new_object();
		put_ul(e, "m", v[i]);
		memset(&mi, 0, sizeof mi);
		if (HAS(pr, C_GetMechanismInfo)) {
			nd_chan_step(pr->ch, "C_GetMechanismInfo(slot %lu, %s)", slot, nd_p11_mech_name(v[i]));
			rv = pr->f->C_GetMechanismInfo(slot, v[i], &mi);
			if (rv == CKR_OK) {
				put_ul(e, "min", mi.ulMinKeySize);
				put_ul(e, "max", mi.ulMaxKeySize);
				put_ul(e, "flags", mi.flags);
			} else
				put_ul(e, "rv", rv);
		}
		json_object_array_add(list, e);
	}
fail:
	json_object_object_add(m, "list", list);
	json_object_object_add(m, "anomalies", anoms);
	msg_send(pr, m);
	free(v);
}

/* One variable-length attribute, bounded by max bytes. NULL when the
 * module has none, refuses, or misbehaves (then an anomaly says how). */
static uint8_t *
attr_get(struct probe *pr, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE t,
         size_t max, size_t *len, json_object *anoms, const char *name)
{
	char what[64];

	*len = 0;
	for (int round = 0; round < ND_P11_MAX_RETRIES; round++) {
		CK_ATTRIBUTE a = { t, NULL_PTR, 0 };
		CK_ULONG cap;
		uint8_t *buf;
		CK_RV rv;

		rv = pr->f->C_GetAttributeValue(h, o, &a, 1);
		if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
			return NULL;
		if (a.ulValueLen > max) {
			snprintf(what, sizeof what, "%s.absurd_length", name);
			put_anomaly(anoms, what);
			return NULL;
		}
		cap = a.ulValueLen;
		buf = nd_xcalloc(cap + 1, 1);
		a.pValue = buf;
		rv = pr->f->C_GetAttributeValue(h, o, &a, 1);
		if (rv == CKR_BUFFER_TOO_SMALL) {
			free(buf);
			continue;
		}
		if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
			free(buf);
			return NULL;
		}
		if (a.ulValueLen > cap) {
			snprintf(what, sizeof what, "%s.length_grew", name);
			put_anomaly(anoms, what);
			free(buf);
			return NULL;
		}
		*len = a.ulValueLen;
		return buf;
	}
	snprintf(what, sizeof what, "%s.buffer_too_small_loop", name);
	put_anomaly(anoms, what);
	return NULL;
}

static bool
attr_ulong(struct probe *pr, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE t, CK_ULONG *v)
{
	CK_ATTRIBUTE a = { t, v, sizeof *v };

	return pr->f->C_GetAttributeValue(h, o, &a, 1) == CKR_OK && a.ulValueLen == sizeof *v;
}

static bool
attr_bool(struct probe *pr, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE t, bool *v)
{
	CK_BBOOL b = CK_FALSE;
	CK_ATTRIBUTE a = { t, &b, sizeof b };

	if (pr->f->C_GetAttributeValue(h, o, &a, 1) != CKR_OK || a.ulValueLen != sizeof b)
		return false;
	*v = b != CK_FALSE;
	return true;
}

static void
put_hex(json_object *m, const char *key, const uint8_t *p, size_t n)
{
	char *h = nd_hex(p, n);

	json_object_object_add(m, key, json_object_new_string(h));
	free(h);
}

static const char *
class_name(CK_OBJECT_CLASS c)
{
	switch (c) {
	case CKO_CERTIFICATE: return "certificate";
	case CKO_PUBLIC_KEY: return "public_key";
	case CKO_PRIVATE_KEY: return "private_key";
	}
	return "other";
}

static void
probe_object(struct probe *pr, CK_SLOT_ID slot, CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls,
             CK_OBJECT_HANDLE o, unsigned idx)
{
	json_object *m = nd_p11_msg_new("object"), *anoms = json_object_new_array();
	uint8_t *v;
	size_t n;
	CK_ULONG ul;
	bool b;

	nd_chan_step(pr->ch, "C_GetAttributeValue(slot %lu, %s %u)", slot, class_name(cls), idx);
	put_ul(m, "slot", slot);
	json_object_object_add(m, "class", json_object_new_string(class_name(cls)));
	if ((v = attr_get(pr, h, o, CKA_ID, 256, &n, anoms, "id"))) {
		put_hex(m, "id", v, n);
		free(v);
	}
	if ((v = attr_get(pr, h, o, CKA_LABEL, 1024, &n, anoms, "label"))) {
		unsigned a = 0;
		char *s = nd_p11_clean((const char *)v, n, ND_P11_MAX_STR, &a);
		json_object_object_add(m, "label", json_object_new_string(s));
		nd_p11_anomalies_add(anoms, "label", a);
		free(s);
		free(v);
	}
	if (cls == CKO_CERTIFICATE) {
		if (attr_ulong(pr, h, o, CKA_CERTIFICATE_TYPE, &ul))
			put_ul(m, "cert_type", ul);
		if ((v = attr_get(pr, h, o, CKA_VALUE, ND_P11_MAX_ATTR, &n, anoms, "value"))) {
			char *b64 = nd_base64(v, n);
			json_object_object_add(m, "der", json_object_new_string(b64));
			free(b64);
			free(v);
		}
	} else {
		if (attr_ulong(pr, h, o, CKA_KEY_TYPE, &ul))
			put_ul(m, "key_type", ul);
		if (attr_bool(pr, h, o, cls == CKO_PRIVATE_KEY ? CKA_SIGN : CKA_VERIFY, &b))
			json_object_object_add(m, "sign", json_object_new_boolean(b));
		if (attr_ulong(pr, h, o, CKA_MODULUS_BITS, &ul))
			put_ul(m, "bits", ul);
		if ((v = attr_get(pr, h, o, CKA_MODULUS, 1024, &n, anoms, "modulus"))) {
			put_hex(m, "modulus", v, n);
			free(v);
		}
		if ((v = attr_get(pr, h, o, CKA_EC_PARAMS, 256, &n, anoms, "ec_params"))) {
			put_hex(m, "ec_params", v, n);
			free(v);
		}
		if (cls == CKO_PRIVATE_KEY && attr_bool(pr, h, o, CKA_ALWAYS_AUTHENTICATE, &b))
			json_object_object_add(m, "always_authenticate", json_object_new_boolean(b));
	}
	json_object_object_add(m, "anomalies", anoms);
	msg_send(pr, m);
}

static void
probe_objects(struct probe *pr, CK_SLOT_ID slot)
{
	static const CK_OBJECT_CLASS classes[] = { CKO_CERTIFICATE, CKO_PUBLIC_KEY, CKO_PRIVATE_KEY };
	CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
	CK_RV rv;

	if (!HAS(pr, C_OpenSession) || !HAS(pr, C_FindObjectsInit) || !HAS(pr, C_FindObjects) ||
	    !HAS(pr, C_FindObjectsFinal) || !HAS(pr, C_GetAttributeValue)) {
		send_error(pr, "C_FindObjects", &slot, 0, true);
		return;
	}
	nd_chan_step(pr->ch, "C_OpenSession(slot %lu)", slot);
	rv = pr->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &h);
	if (rv != CKR_OK) {
		send_error(pr, "C_OpenSession", &slot, rv, false);
		return;
	}
	for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++) {
		CK_OBJECT_CLASS cls = classes[c];
		CK_ATTRIBUTE tmpl = { CKA_CLASS, &cls, sizeof cls };
		CK_OBJECT_HANDLE found[ND_P11_MAX_OBJECTS];
		CK_ULONG n = 0;
		json_object *m = nd_p11_msg_new("objects"), *anoms = json_object_new_array();

		put_ul(m, "slot", slot);
		json_object_object_add(m, "class", json_object_new_string(class_name(cls)));
		nd_chan_step(pr->ch, "C_FindObjects(slot %lu, %s)", slot, class_name(cls));
		rv = pr->f->C_FindObjectsInit(h, &tmpl, 1);
		if (rv == CKR_OK) {
			/* one bounded call: the token's own objects are few */
			rv = pr->f->C_FindObjects(h, found, ND_P11_MAX_OBJECTS, &n);
			if (n > ND_P11_MAX_OBJECTS) {
				put_anomaly(anoms, "object_count.absurd");
				n = ND_P11_MAX_OBJECTS;
			}
			pr->f->C_FindObjectsFinal(h);
		}
		put_ul(m, "rv", rv);
		put_ul(m, "count", rv == CKR_OK ? n : 0);
		json_object_object_add(m, "anomalies", anoms);
		msg_send(pr, m);
		if (rv != CKR_OK)
			continue;
		for (CK_ULONG i = 0; i < n; i++)
			probe_object(pr, slot, h, cls, found[i], (unsigned)i);
	}
	if (HAS(pr, C_CloseSession)) {
		nd_chan_step(pr->ch, "C_CloseSession(slot %lu)", slot);
		pr->f->C_CloseSession(h);
	}
}

static void
probe_slot(struct probe *pr, CK_SLOT_ID slot)
{
	json_object *m = nd_p11_msg_new("slot"), *anoms = json_object_new_array();
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	CK_RV rv;

	put_ul(m, "id", slot);
	memset(&si, 0, sizeof si);
	if (!HAS(pr, C_GetSlotInfo)) {
		json_object_object_add(m, "missing", json_object_new_boolean(1));
		json_object_object_add(m, "anomalies", anoms);
		msg_send(pr, m);
		return;
	}
	nd_chan_step(pr->ch, "C_GetSlotInfo(slot %lu)", slot);
	rv = pr->f->C_GetSlotInfo(slot, &si);
	put_ul(m, "rv", rv);
	if (rv == CKR_OK) {
		put_field(m, anoms, "description", si.slotDescription, sizeof si.slotDescription);
		put_field(m, anoms, "manufacturer", si.manufacturerID, sizeof si.manufacturerID);
		put_ul(m, "flags", si.flags);
	}
	json_object_object_add(m, "anomalies", anoms);
	msg_send(pr, m);
	if (rv != CKR_OK || !(si.flags & CKF_TOKEN_PRESENT))
		return;

	m = nd_p11_msg_new("token");
	anoms = json_object_new_array();
	put_ul(m, "slot", slot);
	memset(&ti, 0, sizeof ti);
	if (!HAS(pr, C_GetTokenInfo)) {
		json_object_object_add(m, "missing", json_object_new_boolean(1));
		rv = CKR_FUNCTION_NOT_SUPPORTED;
	} else {
		nd_chan_step(pr->ch, "C_GetTokenInfo(slot %lu)", slot);
		rv = pr->f->C_GetTokenInfo(slot, &ti);
		put_ul(m, "rv", rv);
	}
	if (rv == CKR_OK) {
		put_field(m, anoms, "label", ti.label, sizeof ti.label);
		put_field(m, anoms, "manufacturer", ti.manufacturerID, sizeof ti.manufacturerID);
		put_field(m, anoms, "model", ti.model, sizeof ti.model);
		put_field(m, anoms, "serial", ti.serialNumber, sizeof ti.serialNumber);
		put_ul(m, "flags", ti.flags);
		put_ul(m, "min_pin", ti.ulMinPinLen);
		put_ul(m, "max_pin", ti.ulMaxPinLen);
		put_version(m, "hardware_version", ti.hardwareVersion);
		put_version(m, "firmware_version", ti.firmwareVersion);
	}
	json_object_object_add(m, "anomalies", anoms);
	msg_send(pr, m);
	if (rv != CKR_OK)
		return;
	probe_mechs(pr, slot);
	probe_objects(pr, slot);
}

/* Load the module and get its function list; false (after telling the
 * parent why) when it cannot be used at all. */
bool
nd_p11_child_load(struct nd_chan *ch, const char *path, CK_FUNCTION_LIST_PTR *f)
{
	struct probe pr0 = { ch, NULL }, *pr = &pr0;
	json_object *m = nd_p11_msg_new("load");
	CK_C_GetFunctionList gfl;
	void *lib;
	CK_RV rv;
	bool ok = false;

	nd_chan_step(pr->ch, "dlopen");
	dlerror();
	lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		const char *e = dlerror();
		char *s = nd_p11_clean(e, e ? strlen(e) : 0, 1024, NULL);
		json_object_object_add(m, "dlerror", json_object_new_string(s));
		free(s);
		goto fail;
	}
	nd_chan_step(pr->ch, "dlsym(C_GetFunctionList)");
	*(void **)&gfl = dlsym(lib, "C_GetFunctionList");
	if (!gfl) {
		json_object_object_add(m, "no_entry", json_object_new_boolean(1));
		goto fail;
	}
	nd_chan_step(pr->ch, "C_GetFunctionList");
	rv = gfl(&pr->f);
	put_ul(m, "rv", rv);
	if (rv != CKR_OK || !pr->f)
		goto fail;
	put_version(m, "list_version", pr->f->version);
	ok = true;
fail:
	json_object_object_add(m, "ok", json_object_new_boolean(ok));
	msg_send(pr, m);
	/* no dlclose(): some modules (OpenSC) do not survive being unloaded,
	 * and the process ends soon anyway */
	*f = pr->f;
	return ok;
}

/* C_Initialize(NULL) first: some AKIS builds answer CKR_ARGUMENTS_BAD to
 * CKF_OS_LOCKING_OK. Only when NULL is refused, try with OS locking (a few
 * modules insist on being told that threads may be used). */
bool
nd_p11_child_init(struct nd_chan *ch, CK_FUNCTION_LIST_PTR f)
{
	struct probe pr0 = { ch, f }, *pr = &pr0;
	json_object *m = nd_p11_msg_new("init");
	CK_C_INITIALIZE_ARGS args;
	CK_RV rv, rv_null;
	const char *form = "null";

	if (!HAS(pr, C_Initialize)) {
		json_object_object_add(m, "missing", json_object_new_boolean(1));
		msg_send(pr, m);
		return false;
	}
	nd_chan_step(pr->ch, "C_Initialize");
	rv = rv_null = pr->f->C_Initialize(NULL_PTR);
	if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		memset(&args, 0, sizeof args);
		args.flags = CKF_OS_LOCKING_OK;
		nd_chan_step(pr->ch, "C_Initialize(CKF_OS_LOCKING_OK)");
		rv = pr->f->C_Initialize(&args);
		form = "os_locking";
	}
	put_ul(m, "rv", rv);
	put_ul(m, "rv_null", rv_null);
	json_object_object_add(m, "form", json_object_new_string(form));
	msg_send(pr, m);
	return rv == CKR_OK || rv == CKR_CRYPTOKI_ALREADY_INITIALIZED;
}

static void
probe_info(struct probe *pr)
{
	json_object *m = nd_p11_msg_new("info"), *anoms = json_object_new_array();
	CK_INFO li;
	CK_RV rv = CKR_FUNCTION_NOT_SUPPORTED;

	memset(&li, 0, sizeof li);
	if (HAS(pr, C_GetInfo)) {
		nd_chan_step(pr->ch, "C_GetInfo");
		rv = pr->f->C_GetInfo(&li);
	}
	put_ul(m, "rv", rv);
	if (rv == CKR_OK) {
		put_version(m, "cryptoki_version", li.cryptokiVersion);
		put_field(m, anoms, "manufacturer", li.manufacturerID, sizeof li.manufacturerID);
		put_field(m, anoms, "description", li.libraryDescription, sizeof li.libraryDescription);
		put_version(m, "library_version", li.libraryVersion);
	}
	json_object_object_add(m, "anomalies", anoms);
	msg_send(pr, m);
}

void
nd_p11_child_quiet(void)
{
	/* modules print debugging noise; our stderr is the person's */
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

void
nd_p11_probe_child(struct nd_chan *ch, void *arg)
{
	const struct nd_p11_probe_arg *a = arg;
	struct probe pr = { ch, NULL };
	CK_SLOT_ID *slots = NULL;
	CK_ULONG n = 0;
	json_object *m, *anoms;
	CK_RV rv;

	if (a->quiet)
		nd_p11_child_quiet();
	if (!nd_p11_child_load(ch, a->path, &pr.f) || !nd_p11_child_init(ch, pr.f))
		return;
	probe_info(&pr);

	m = nd_p11_msg_new("slots");
	anoms = json_object_new_array();
	rv = HAS(&pr, C_GetSlotList) ? get_slots(&pr, &slots, &n, anoms) : CKR_FUNCTION_NOT_SUPPORTED;
	put_ul(m, "rv", rv);
	put_ul(m, "count", n);
	json_object_object_add(m, "anomalies", anoms);
	msg_send(&pr, m);
	for (CK_ULONG i = 0; i < n; i++)
		probe_slot(&pr, slots[i]);
	free(slots);

	m = nd_p11_msg_new("finalize");
	rv = CKR_FUNCTION_NOT_SUPPORTED;
	if (HAS(&pr, C_Finalize)) {
		nd_chan_step(ch, "C_Finalize");
		rv = pr.f->C_Finalize(NULL_PTR);
	}
	put_ul(m, "rv", rv);
	msg_send(&pr, m);
}
