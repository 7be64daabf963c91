/* SPDX-License-Identifier: BSD-2-Clause */
/* The parent side of the collector: messages from a probing child become
 * inventory entries. The child ran foreign code and may have been corrupted
 * by it, so every message is checked again here: types, counts, lengths,
 * strings. What does not fit is counted as a bad message, never trusted. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <p11-kit/pkcs11.h>

#include "core/util.h"
#include "p11/p11_int.h"

#define MAX_BAD 64            /* bad messages before we stop listening */
#define MAX_OBJECTS_TOTAL 1024

struct tok {
	unsigned long slot;
	json_object *entry;   /* the inventory.tokens entry (owned until the end) */
	json_object *objs;    /* checked object messages (owned) */
	bool mechs;           /* its mechanism list arrived */
};

struct nd_p11_ingest {
	json_object *module;  /* borrowed: the inventory.modules entry */
	json_object *slots;   /* module.slots (borrowed) */
	json_object *anoms;   /* module.anomalies (borrowed) */
	const json_object *readers;
	const struct nd_opts *opts;
	struct tok toks[ND_P11_MAX_SLOTS];
	size_t ntok, nobj, bad;
	bool loaded, load_failed, initialized, init_failed, finalized;
	char *error;          /* first module-level error, if any */
	const char *error_kind;
};

/* --- reading a message: types checked, strings cleaned ---------------- */

/* A cleaned copy of a string member (malloc'ed), or NULL when absent. */
static char *
get_str(const json_object *m, const char *key, size_t max)
{
	json_object *o;

	if (!json_object_object_get_ex(m, key, &o) || !json_object_is_type(o, json_type_string))
		return NULL;
	return nd_p11_clean(json_object_get_string(o), (size_t)json_object_get_string_len(o), max, NULL);
}

static void
copy_str(json_object *dst, const char *dkey, const json_object *m, const char *key, size_t max)
{
	char *s = get_str(m, key, max);

	nd_jset_str(dst, dkey, s);
	free(s);
}

/* Anomaly codes from the child: short ASCII words, nothing else. */
static void
copy_anomalies(json_object *dst, const json_object *m, const char *prefix)
{
	json_object *arr = nd_jarr(m, "anomalies");
	size_t n = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n && i < 32; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		const char *s = json_object_is_type(e, json_type_string) ? json_object_get_string(e) : NULL;
		bool ok = s && *s && strlen(s) < 64;

		for (const char *p = s; ok && *p; p++)
			ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.';
		if (ok) {
			char *code = nd_asprintf("%s%s", prefix, s);
			json_object_array_add(dst, json_object_new_string(code));
			free(code);
		}
	}
}

static bool
is_hex(const char *s, size_t max)
{
	size_t n = 0;

	for (; s && *s; s++, n++)
		if (n >= max || !((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'F')))
			return false;
	return s && n % 2 == 0;
}

/* A hex member (upper-case, even length, at most max digits), or NULL. */
static const char *
get_hex(const json_object *m, const char *key, size_t max)
{
	const char *s = nd_jstr(m, key);

	return s && is_hex(s, max) ? s : NULL;
}

static void
set_error(struct nd_p11_ingest *in, const char *kind, char *text)
{
	if (in->error) {
		free(text);
		return;
	}
	in->error = text;
	in->error_kind = kind;
}

static struct tok *
find_tok(struct nd_p11_ingest *in, unsigned long slot)
{
	for (size_t i = 0; i < in->ntok; i++)
		if (in->toks[i].slot == slot)
			return &in->toks[i];
	return NULL;
}

static json_object *
find_slot(struct nd_p11_ingest *in, unsigned long id)
{
	size_t n = json_object_array_length(in->slots);

	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(in->slots, i), *v;
		if (json_object_object_get_ex(s, "id", &v) && json_object_get_uint64(v) == id)
			return s;
	}
	return NULL;
}

static void
put_slot_id(json_object *o, const char *key, unsigned long id)
{
	json_object_object_add(o, key, json_object_new_uint64(id));
}

/* --- the reader behind a slot ----------------------------------------- */

static void
match_reader(struct nd_p11_ingest *in, json_object *dst, const char *desc)
{
	size_t n = in->readers && json_object_is_type(in->readers, json_type_array)
	    ? json_object_array_length(in->readers) : 0;
	const char **names = nd_xcalloc(n + 1, sizeof *names);
	int who;

	for (size_t i = 0; i < n; i++)
		names[i] = nd_jstr(json_object_array_get_idx(in->readers, i), "name");
	who = nd_p11_match_reader(desc, names, n);
	nd_jset_str(dst, "reader", who >= 0 ? names[who] : NULL);
	if (who == ND_P11_MATCH_AMBIGUOUS)
		json_object_object_add(dst, "reader_ambiguous", json_object_new_boolean(1));
	free(names);
}

/* The card in the token's reader, as the pcsc collector saw it. */
static const json_object *
reader_card(const struct nd_p11_ingest *in, const char *reader)
{
	size_t n = in->readers && json_object_is_type(in->readers, json_type_array)
	    ? json_object_array_length(in->readers) : 0;

	for (size_t i = 0; reader && i < n; i++) {
		json_object *r = json_object_array_get_idx(in->readers, i);
		const char *name = nd_jstr(r, "name");
		if (name && strcmp(name, reader) == 0)
			return nd_jobj(r, "card");
	}
	return NULL;
}

static bool
contains_ci(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle) != NULL;
}

/* AKIS token or Turkish ID card: AKIS tokens are labelled AKIS_<hex>; the
 * ATR family alone cannot tell them apart (ND_FAMILY_AKIS_TC, pcsc/cardid.h). */
static void
refine_device(struct nd_p11_ingest *in, json_object *tok)
{
	const char *label = nd_jstr(tok, "label");
	const json_object *card = reader_card(in, nd_jstr(tok, "reader"));
	const char *fam = nd_jstr(card, "family"), *cname = nd_jstr(card, "name");
	const char *dev = NULL;

	if (label && strncmp(label, "AKIS_", 5) == 0)
		dev = "akis";
	else if (contains_ci(label, "TCKK") || contains_ci(fam, "tckk") || contains_ci(cname, "kimlik"))
		dev = "id_card";
	else if (contains_ci(fam, "akis") && !contains_ci(fam, "tc"))
		dev = "akis";   /* the older UEKAE family is only AKIS */
	nd_jset_str(tok, "device", dev);
}

/* --- message handlers --------------------------------------------------- */

static void
on_load(struct nd_p11_ingest *in, const json_object *m)
{
	const char *path = nd_jstr(in->module, "path");
	unsigned long rv;
	char *dl;

	if (nd_jbool(m, "ok", false)) {
		in->loaded = true;
		copy_str(in->module, "function_list_version", m, "list_version", 16);
		return;
	}
	in->load_failed = true;
	if ((dl = get_str(m, "dlerror", 1024))) {
		struct nd_dl_explain ex;
		nd_p11_dlerror_explain(path, dl, &ex);
		json_object_object_add(in->module, "dl_kind",
		    json_object_new_string(nd_p11_dl_kind_name(ex.kind)));
		if (ex.lib[0])
			json_object_object_add(in->module, "missing_library", json_object_new_string(ex.lib));
		if (ex.symbol[0])
			json_object_object_add(in->module, "missing_symbol", json_object_new_string(ex.symbol));
		if (ex.package)
			json_object_object_add(in->module, "package", json_object_new_string(ex.package));
		set_error(in, "load", dl);
	} else if (nd_jbool(m, "no_entry", false))
		set_error(in, "no_entry", nd_xstrdup("no C_GetFunctionList: not a PKCS#11 module"));
	else if (nd_p11_msg_ul(m, "rv", &rv))
		set_error(in, "load", nd_asprintf("C_GetFunctionList returned %s", nd_ckr_name(rv)));
	else
		set_error(in, "load", nd_xstrdup("the module could not be loaded"));
}

static void
on_init(struct nd_p11_ingest *in, const json_object *m)
{
	json_object *init = json_object_new_object();
	unsigned long rv = CKR_GENERAL_ERROR, rv_null = CKR_GENERAL_ERROR;
	const char *form = nd_jstr(m, "form");
	bool os = form && strcmp(form, "os_locking") == 0;

	if (nd_jbool(m, "missing", false)) {
		in->init_failed = true;
		set_error(in, "init", nd_xstrdup("C_Initialize is missing from the function list"));
		json_object_put(init);
		return;
	}
	nd_p11_msg_ul(m, "rv", &rv);
	nd_p11_msg_ul(m, "rv_null", &rv_null);
	json_object_object_add(init, "call",
	    json_object_new_string(os ? "C_Initialize(CKF_OS_LOCKING_OK)" : "C_Initialize(NULL)"));
	json_object_object_add(init, "rv", json_object_new_string(nd_ckr_name(rv)));
	if (os)
		json_object_object_add(init, "rv_null", json_object_new_string(nd_ckr_name(rv_null)));
	json_object_object_add(in->module, "init", init);
	if (rv == CKR_OK || rv == CKR_CRYPTOKI_ALREADY_INITIALIZED)
		in->initialized = true;
	else {
		in->init_failed = true;
		set_error(in, "init", nd_asprintf("C_Initialize returned %s", nd_ckr_name(rv)));
	}
}

static void
on_info(struct nd_p11_ingest *in, const json_object *m)
{
	json_object *info = json_object_new_object();
	unsigned long rv = CKR_GENERAL_ERROR;

	nd_p11_msg_ul(m, "rv", &rv);
	if (rv != CKR_OK) {
		json_object_object_add(info, "rv", json_object_new_string(nd_ckr_name(rv)));
	} else {
		copy_str(info, "cryptoki_version", m, "cryptoki_version", 16);
		copy_str(info, "manufacturer", m, "manufacturer", 128);
		copy_str(info, "description", m, "description", 128);
		copy_str(info, "library_version", m, "library_version", 16);
	}
	json_object_object_add(in->module, "info", info);
	copy_anomalies(in->anoms, m, "library.");
}

static void
on_slots(struct nd_p11_ingest *in, const json_object *m)
{
	unsigned long rv = CKR_GENERAL_ERROR;

	nd_p11_msg_ul(m, "rv", &rv);
	copy_anomalies(in->anoms, m, "");
	if (rv != CKR_OK)
		set_error(in, "slots", nd_asprintf("C_GetSlotList returned %s", nd_ckr_name(rv)));
}

static void
on_slot(struct nd_p11_ingest *in, const json_object *m)
{
	json_object *s, *anoms;
	unsigned long id, rv = CKR_GENERAL_ERROR, flags = 0;
	char *desc;

	if (!nd_p11_msg_ul(m, "id", &id) || find_slot(in, id) ||
	    json_object_array_length(in->slots) >= ND_P11_MAX_SLOTS) {
		in->bad++;
		return;
	}
	s = json_object_new_object();
	anoms = json_object_new_array();
	put_slot_id(s, "id", id);
	nd_p11_msg_ul(m, "rv", &rv);
	if (nd_jbool(m, "missing", false))
		json_object_object_add(s, "error", json_object_new_string("C_GetSlotInfo missing"));
	else if (rv != CKR_OK)
		json_object_object_add(s, "error", json_object_new_string(nd_ckr_name(rv)));
	desc = get_str(m, "description", 256);
	nd_jset_str(s, "description", desc);
	copy_str(s, "manufacturer", m, "manufacturer", 128);
	nd_p11_msg_ul(m, "flags", &flags);
	json_object_object_add(s, "token_present", json_object_new_boolean((flags & CKF_TOKEN_PRESENT) != 0));
	json_object_object_add(s, "removable", json_object_new_boolean((flags & CKF_REMOVABLE_DEVICE) != 0));
	json_object_object_add(s, "hardware", json_object_new_boolean((flags & CKF_HW_SLOT) != 0));
	match_reader(in, s, desc);
	copy_anomalies(anoms, m, "slot.");
	json_object_object_add(s, "anomalies", anoms);
	json_object_array_add(in->slots, s);
	free(desc);
}

static json_object *
new_token(struct nd_p11_ingest *in, unsigned long slot)
{
	json_object *t = json_object_new_object(), *s = find_slot(in, slot);

	nd_jset_str(t, "module", nd_jstr(in->module, "path"));
	put_slot_id(t, "slot", slot);
	nd_jset_str(t, "slot_description", nd_jstr(s, "description"));
	nd_jset_str(t, "reader", nd_jstr(s, "reader"));
	if (nd_jbool(s, "reader_ambiguous", false))
		json_object_object_add(t, "reader_ambiguous", json_object_new_boolean(1));
	json_object_object_add(t, "anomalies", json_object_new_array());
	return t;
}

static void
on_token(struct nd_p11_ingest *in, const json_object *m)
{
	json_object *t, *anoms, *pin;
	unsigned long slot, rv = CKR_GENERAL_ERROR, flags = 0, minp = 0, maxp = 0;
	struct tok *tk;

	if (!nd_p11_msg_ul(m, "slot", &slot) || !find_slot(in, slot) || find_tok(in, slot) ||
	    in->ntok >= ND_P11_MAX_SLOTS) {
		in->bad++;
		return;
	}
	t = new_token(in, slot);
	anoms = nd_jarr(t, "anomalies");
	if (nd_jbool(m, "missing", false))
		rv = CKR_FUNCTION_NOT_SUPPORTED;
	else
		nd_p11_msg_ul(m, "rv", &rv);
	if (rv != CKR_OK) {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "call", json_object_new_string("C_GetTokenInfo"));
		json_object_object_add(e, "rv", json_object_new_string(nd_ckr_name(rv)));
		json_object_object_add(t, "error", e);
		nd_jset_str(t, "label", NULL);
		json_object_object_add(t, "flags", NULL);
	} else {
		copy_str(t, "label", m, "label", 128);
		copy_str(t, "manufacturer", m, "manufacturer", 128);
		copy_str(t, "model", m, "model", 64);
		copy_str(t, "serial", m, "serial", 64);
		nd_p11_msg_ul(m, "flags", &flags);
		if (flags > 0xFFFFFFFFul)
			json_object_array_add(anoms, json_object_new_string("flags.high_bits"));
		json_object_object_add(t, "flags", nd_p11_flags_json(flags));
		pin = json_object_new_object();
		nd_p11_msg_ul(m, "min_pin", &minp);
		nd_p11_msg_ul(m, "max_pin", &maxp);
		if (minp > 255 || (maxp > 255 && maxp != CK_EFFECTIVELY_INFINITE) || (maxp && minp > maxp)) {
			json_object_array_add(anoms, json_object_new_string("pin_length.absurd"));
		} else {
			json_object_object_add(pin, "min_len", json_object_new_int((int)minp));
			json_object_object_add(pin, "max_len", json_object_new_int((int)maxp));
		}
		json_object_object_add(t, "pin", pin);
		copy_str(t, "hardware_version", m, "hardware_version", 16);
		copy_str(t, "firmware_version", m, "firmware_version", 16);
	}
	copy_anomalies(anoms, m, "");
	refine_device(in, t);
	tk = &in->toks[in->ntok++];
	tk->slot = slot;
	tk->entry = t;
	tk->objs = json_object_new_array();
}

static void
on_mechs(struct nd_p11_ingest *in, const json_object *m)
{
	unsigned long slot, rv = CKR_GENERAL_ERROR, total = 0;
	struct tok *tk;
	json_object *list, *out;
	size_t n;

	if (!nd_p11_msg_ul(m, "slot", &slot) || !(tk = find_tok(in, slot)) || tk->mechs) {
		in->bad++;
		return;
	}
	tk->mechs = true;
	if (nd_jbool(m, "missing", false))
		rv = CKR_FUNCTION_NOT_SUPPORTED;
	else
		nd_p11_msg_ul(m, "rv", &rv);
	nd_p11_msg_ul(m, "total", &total);
	out = json_object_new_array();
	list = nd_jarr(m, "list");
	n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n && i < 64; i++) {
		json_object *e = json_object_array_get_idx(list, i), *o;
		unsigned long mech, v;
		const char *name;

		if (!nd_p11_msg_ul(e, "m", &mech) || !(name = nd_p11_mech_name(mech)))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(name));
		if (nd_p11_msg_ul(e, "min", &v) && v <= 1u << 20)
			json_object_object_add(o, "min_key_bits", json_object_new_int64((int64_t)v));
		if (nd_p11_msg_ul(e, "max", &v) && v <= 1u << 20)
			json_object_object_add(o, "max_key_bits", json_object_new_int64((int64_t)v));
		if (nd_p11_msg_ul(e, "flags", &v)) {
			json_object_object_add(o, "sign", json_object_new_boolean((v & CKF_SIGN) != 0));
			json_object_object_add(o, "hardware", json_object_new_boolean((v & CKF_HW) != 0));
		}
		if (nd_p11_msg_ul(e, "rv", &v))
			json_object_object_add(o, "info_rv", json_object_new_string(nd_ckr_name(v)));
		json_object_array_add(out, o);
	}
	json_object_object_add(tk->entry, "mechanisms", out);
	json_object_object_add(tk->entry, "mechanisms_total",
	    json_object_new_int64(total > ND_P11_MAX_MECHS ? ND_P11_MAX_MECHS : (int64_t)total));
	if (rv != CKR_OK)
		json_object_object_add(tk->entry, "mechanisms_error", json_object_new_string(nd_ckr_name(rv)));
	copy_anomalies(nd_jarr(tk->entry, "anomalies"), m, "");
}

static void
on_objects(struct nd_p11_ingest *in, const json_object *m)
{
	unsigned long slot, rv = CKR_GENERAL_ERROR;
	struct tok *tk;
	const char *cls = nd_jstr(m, "class");

	if (!nd_p11_msg_ul(m, "slot", &slot) || !(tk = find_tok(in, slot)) || !cls) {
		in->bad++;
		return;
	}
	nd_p11_msg_ul(m, "rv", &rv);
	if (rv != CKR_OK) {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "call", json_object_new_string("C_FindObjects"));
		json_object_object_add(e, "rv", json_object_new_string(nd_ckr_name(rv)));
		json_object_object_add(tk->entry, "objects_error", e);
	}
	copy_anomalies(nd_jarr(tk->entry, "anomalies"), m, "");
}

/* Object messages are kept (checked) until the end, when keys and
 * certificates of a token can be paired. */
static void
on_object(struct nd_p11_ingest *in, const json_object *m)
{
	unsigned long slot, v;
	struct tok *tk;
	const char *cls = nd_jstr(m, "class"), *s;
	json_object *o;
	bool b;

	if (!nd_p11_msg_ul(m, "slot", &slot) || !(tk = find_tok(in, slot)) || !cls ||
	    in->nobj >= MAX_OBJECTS_TOTAL ||
	    json_object_array_length(tk->objs) >= 3 * ND_P11_MAX_OBJECTS) {
		in->bad++;
		return;
	}
	if (strcmp(cls, "certificate") != 0 && strcmp(cls, "public_key") != 0 &&
	    strcmp(cls, "private_key") != 0) {
		in->bad++;
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "class", json_object_new_string(cls));
	nd_jset_str(o, "id", get_hex(m, "id", 512));
	copy_str(o, "label", m, "label", ND_P11_MAX_STR);
	if (nd_p11_msg_ul(m, "cert_type", &v))
		json_object_object_add(o, "cert_type", json_object_new_int64((int64_t)(v & 0xFFFFFFFF)));
	if ((s = nd_jstr(m, "der")) && strlen(s) <= 4 * (ND_P11_MAX_ATTR / 3) + 4)
		json_object_object_add(o, "der", json_object_new_string(s));
	if (nd_p11_msg_ul(m, "key_type", &v))
		json_object_object_add(o, "key_type", json_object_new_int64((int64_t)(v & 0xFFFFFFFF)));
	if (nd_p11_msg_ul(m, "bits", &v) && v > 0 && v <= 16384)
		json_object_object_add(o, "bits", json_object_new_int64((int64_t)v));
	nd_jset_str(o, "modulus", get_hex(m, "modulus", 2048));
	nd_jset_str(o, "ec_params", get_hex(m, "ec_params", 512));
	b = nd_jbool(m, "sign", false);
	if (json_object_object_get_ex(m, "sign", NULL))
		json_object_object_add(o, "sign", json_object_new_boolean(b));
	if (json_object_object_get_ex(m, "always_authenticate", NULL))
		json_object_object_add(o, "always_authenticate",
		    json_object_new_boolean(nd_jbool(m, "always_authenticate", false)));
	json_object_array_add(tk->objs, o);
	in->nobj++;
	copy_anomalies(nd_jarr(tk->entry, "anomalies"), m, "object.");
}

static void
on_error(struct nd_p11_ingest *in, const json_object *m)
{
	const char *call = nd_jstr(m, "call");
	unsigned long slot, rv = 0;
	bool missing = nd_jbool(m, "missing", false);
	struct tok *tk;
	char *text;

	if (!call || strlen(call) > 40) {
		in->bad++;
		return;
	}
	nd_p11_msg_ul(m, "rv", &rv);
	text = missing ? nd_asprintf("%s is missing from the function list", call)
	    : nd_asprintf("%s returned %s", call, nd_ckr_name(rv));
	if (nd_p11_msg_ul(m, "slot", &slot) && (tk = find_tok(in, slot))) {
		json_object *e = json_object_new_object();
		char *c = nd_p11_clean(call, strlen(call), 40, NULL);
		json_object_object_add(e, "call", json_object_new_string(c));
		json_object_object_add(e, "rv", json_object_new_string(missing ? "missing" : nd_ckr_name(rv)));
		json_object_object_add(tk->entry, "objects_error", e);
		free(c);
		free(text);
	} else
		set_error(in, "call", text);
}

static void
on_finalize(struct nd_p11_ingest *in, const json_object *m)
{
	unsigned long rv = CKR_GENERAL_ERROR;

	nd_p11_msg_ul(m, "rv", &rv);
	in->finalized = true;
	json_object_object_add(in->module, "finalize", json_object_new_string(nd_ckr_name(rv)));
}

bool
nd_p11_ingest_msg(json_object *msg, void *ctx)
{
	struct nd_p11_ingest *in = ctx;
	const char *t = nd_jstr(msg, "t");
	static const struct {
		const char *t;
		void (*fn)(struct nd_p11_ingest *, const json_object *);
	} handlers[] = {
		{ "load", on_load }, { "init", on_init }, { "info", on_info },
		{ "slots", on_slots }, { "slot", on_slot }, { "token", on_token },
		{ "mechs", on_mechs }, { "objects", on_objects }, { "object", on_object },
		{ "error", on_error }, { "finalize", on_finalize },
	};
	size_t i;

	for (i = 0; t && i < sizeof handlers / sizeof handlers[0]; i++)
		if (strcmp(handlers[i].t, t) == 0) {
			handlers[i].fn(in, msg);
			break;
		}
	if (!t || i == sizeof handlers / sizeof handlers[0])
		in->bad++;
	/* a child that keeps talking nonsense is stopped */
	return in->bad < MAX_BAD;
}

struct nd_p11_ingest *
nd_p11_ingest_new(json_object *module, const json_object *readers, const struct nd_opts *opts)
{
	struct nd_p11_ingest *in = nd_xcalloc(1, sizeof *in);

	in->module = module;
	in->readers = readers;
	in->opts = opts;
	in->slots = json_object_new_array();
	in->anoms = json_object_new_array();
	json_object_object_add(module, "slots", in->slots);
	json_object_object_add(module, "anomalies", in->anoms);
	return in;
}

/* --- the end: status, pairing, certificates ------------------------------ */

static const char *
key_type_name(int64_t kt)
{
	switch (kt) {
	case CKK_RSA: return "RSA";
	case CKK_EC: return "EC";
	case CKK_DSA: return "DSA";
	}
	return NULL;
}

/* Strip leading zero bytes: modules differ in how they write CKA_MODULUS. */
static const char *
hex_skip_zeros(const char *h)
{
	while (h && h[0] == '0' && h[1] == '0' && h[2])
		h += 2;
	return h;
}

/* The curve's name and size from CKA_EC_PARAMS (a DER OID). */
static void
ec_curve(const char *params_hex, json_object *k)
{
	uint8_t der[256];
	long n = params_hex ? nd_unhex(params_hex, der, sizeof der) : -1;
	const unsigned char *p = der;
	ASN1_OBJECT *obj = n > 0 ? d2i_ASN1_OBJECT(NULL, &p, n) : NULL;
	int nid = obj ? OBJ_obj2nid(obj) : NID_undef;

	if (nid != NID_undef) {
		EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
		json_object_object_add(k, "curve", json_object_new_string(OBJ_nid2sn(nid)));
		if (g)
			json_object_object_add(k, "bits", json_object_new_int(EC_GROUP_order_bits(g)));
		EC_GROUP_free(g);
	}
	ASN1_OBJECT_free(obj);
}

static json_object *
key_entry(const json_object *o, bool show_id)
{
	json_object *k = json_object_new_object();
	const char *cls = nd_jstr(o, "class"), *label = nd_jstr(o, "label"), *mod;
	const char *kt = key_type_name(nd_jint(o, "key_type", -1));

	json_object_object_add(k, "class", json_object_new_string(strcmp(cls, "private_key") == 0 ? "private" : "public"));
	nd_jset_str(k, "id", nd_jstr(o, "id"));
	if (label) {
		char *m = show_id ? nd_xstrdup(label) : nd_p11_mask_ids(label);
		json_object_object_add(k, "label", json_object_new_string(m));
		free(m);
	} else
		nd_jset_str(k, "label", NULL);
	nd_jset_str(k, "key_type", kt);
	if (nd_jint(o, "bits", 0) > 0)
		json_object_object_add(k, "bits", json_object_new_int64(nd_jint(o, "bits", 0)));
	else if ((mod = nd_jstr(o, "modulus")))
		json_object_object_add(k, "bits", json_object_new_int64((int64_t)strlen(hex_skip_zeros(mod)) * 4));
	if (kt && strcmp(kt, "EC") == 0)
		ec_curve(nd_jstr(o, "ec_params"), k);
	if (json_object_object_get_ex(o, "sign", NULL))
		json_object_object_add(k, "sign", json_object_new_boolean(nd_jbool(o, "sign", false)));
	if (json_object_object_get_ex(o, "always_authenticate", NULL))
		json_object_object_add(k, "always_authenticate",
		    json_object_new_boolean(nd_jbool(o, "always_authenticate", false)));
	return k;
}

static bool
same_id(const char *a, const char *b)
{
	return a && b && *a && strcmp(a, b) == 0;
}

static void
finish_token(struct nd_p11_ingest *in, struct tok *tk, json_object *certs, json_object *internal)
{
	bool show_id = in->opts && in->opts->show_id;
	size_t n = json_object_array_length(tk->objs), ncert = 0, npub = 0, npriv = 0;
	json_object *keys = json_object_new_array(), *counts = json_object_new_object();

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(tk->objs, i);
		const char *cls = nd_jstr(o, "class");
		if (strcmp(cls, "certificate") == 0) {
			ncert++;
			continue;
		}
		if (strcmp(cls, "private_key") == 0)
			npriv++;
		else
			npub++;
		json_object_array_add(keys, key_entry(o, show_id));
	}
	json_object_object_add(counts, "certificates", json_object_new_int((int)ncert));
	json_object_object_add(counts, "public_keys", json_object_new_int((int)npub));
	json_object_object_add(counts, "private_keys", json_object_new_int((int)npriv));
	json_object_object_add(tk->entry, "objects", counts);
	json_object_object_add(tk->entry, "keys", keys);

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(tk->objs, i), *c, *d;
		const char *id = nd_jstr(o, "id"), *label = nd_jstr(o, "label"), *b64 = nd_jstr(o, "der");
		uint8_t *der = NULL;
		size_t dlen = 0;
		bool priv = false, pub = false, ok;
		int match = -1;   /* RSA modulus of the key vs the certificate: -1 unknown */
		char *certmod = NULL, *tmp;

		if (strcmp(nd_jstr(o, "class"), "certificate") != 0)
			continue;
		if (nd_jint(o, "cert_type", CKC_X_509) != CKC_X_509)
			continue;   /* attribute certificates and the like */
		c = json_object_new_object();
		nd_jset_str(c, "token", nd_jstr(tk->entry, "label"));
		put_slot_id(c, "slot", tk->slot);
		nd_jset_str(c, "module", nd_jstr(in->module, "path"));
		nd_jset_str(c, "reader", nd_jstr(tk->entry, "reader"));
		nd_jset_str(c, "id", id);
		tmp = label ? (show_id ? nd_xstrdup(label) : nd_p11_mask_ids(label)) : NULL;
		nd_jset_str(c, "label", tmp);
		free(tmp);
		if (b64)
			der = nd_unbase64(b64, ND_P11_MAX_ATTR, &dlen);
		ok = der && nd_p11_cert_summary(der, dlen, show_id, c);
		if (!ok)
			json_object_object_add(c, "parse_error", json_object_new_boolean(1));
		if (ok)
			certmod = nd_p11_cert_modulus_hex(der, dlen);
		for (size_t j = 0; j < n; j++) {
			json_object *k = json_object_array_get_idx(tk->objs, j);
			const char *kc = nd_jstr(k, "class"), *kmod = nd_jstr(k, "modulus");
			if (!same_id(id, nd_jstr(k, "id")))
				continue;
			if (strcmp(kc, "private_key") == 0) {
				priv = true;
				if (certmod && kmod)
					match = strcmp(hex_skip_zeros(kmod), hex_skip_zeros(certmod)) == 0;
			} else if (strcmp(kc, "public_key") == 0)
				pub = true;
		}
		free(certmod);
		/* private keys are often hidden until login: without any in
		 * sight, "no key" is not known yet */
		if (priv || npriv)
			json_object_object_add(c, "has_private_key", json_object_new_boolean(priv));
		else
			json_object_object_add(c, "has_private_key", NULL);
		json_object_object_add(c, "has_public_key", json_object_new_boolean(pub));
		if (match >= 0)
			json_object_object_add(c, "key_matches", json_object_new_boolean(match));
		json_object_array_add(certs, c);
		d = json_object_new_object();
		if (ok)
			json_object_object_add(d, "der", json_object_new_string(b64));
		else
			json_object_object_add(d, "der", NULL);
		json_object_array_add(internal, d);
		free(der);
	}
}

/* --reader NAME keeps the tokens of that reader only. */
static bool
reader_wanted(const struct nd_p11_ingest *in, const json_object *tok)
{
	const char *want = in->opts ? in->opts->reader : NULL, *r, *desc;

	if (!want || !*want)
		return true;
	r = nd_jstr(tok, "reader");
	desc = nd_jstr(tok, "slot_description");
	return (r && strncmp(r, want, strlen(want)) == 0) || (desc && strstr(desc, want));
}

static const char *
signal_name(int sig)
{
	const char *abbrev = sigabbrev_np(sig);
	static _Thread_local char buf[16];

	if (!abbrev) {
		snprintf(buf, sizeof buf, "signal %d", sig);
		return buf;
	}
	snprintf(buf, sizeof buf, "SIG%s", abbrev);
	return buf;
}

void
nd_p11_ingest_end(struct nd_p11_ingest *in, const struct nd_child_result *res,
                  json_object *tokens, json_object *certs, json_object *internal_certs)
{
	const char *status = "ok";
	json_object *m = in->module;

	if (res->end == ND_CHILD_TIMEOUT) {
		status = "timeout";
		json_object_object_add(m, "failed_call", json_object_new_string(res->step));
	} else if (res->end == ND_CHILD_SIGNALED) {
		status = "crashed";
		json_object_object_add(m, "failed_call", json_object_new_string(res->step));
		json_object_object_add(m, "signal", json_object_new_string(signal_name(res->code)));
	} else if (res->end == ND_CHILD_BADMSG || res->end == ND_CHILD_STOPPED) {
		status = "bad_message";
		json_object_object_add(m, "failed_call", json_object_new_string(res->step));
	} else if (res->end == ND_CHILD_FAILED) {
		status = "not_run";
	} else if (in->load_failed) {
		status = "load_failed";
	} else if (in->init_failed) {
		status = "init_failed";
	} else if (res->code != 0 || !in->loaded || !in->initialized || !in->finalized) {
		/* the child stopped before its last message: the module ended
		 * the process itself (exit() in a library) */
		status = "exited";
		json_object_object_add(m, "failed_call", json_object_new_string(res->step));
		json_object_object_add(m, "exit_code", json_object_new_int(res->code));
	}
	json_object_object_add(m, "status", json_object_new_string(status));
	if (strcmp(status, "ok") != 0 || in->error) {
		const char *kind = in->error ? in->error_kind : status;
		nd_jset_str(m, "error", in->error ? in->error : NULL);
		json_object_object_add(m, "error_kind", json_object_new_string(kind));
	} else {
		nd_jset_str(m, "error", NULL);
	}
	json_object_object_add(m, "elapsed_ms", json_object_new_int64(res->elapsed_ms));
	if (in->bad)
		json_object_object_add(m, "bad_messages", json_object_new_int((int)in->bad));

	for (size_t i = 0; i < in->ntok; i++) {
		struct tok *tk = &in->toks[i];
		if (!reader_wanted(in, tk->entry))
			continue;
		finish_token(in, tk, certs, internal_certs);
		json_object_array_add(tokens, json_object_get(tk->entry));
	}
}

void
nd_p11_ingest_free(struct nd_p11_ingest **inp)
{
	struct nd_p11_ingest *in;

	if (!inp || !(in = *inp))
		return;
	*inp = NULL;
	for (size_t i = 0; i < in->ntok; i++) {
		json_object_put(in->toks[i].entry);
		json_object_put(in->toks[i].objs);
	}
	free(in->error);
	free(in);
}
