/* SPDX-License-Identifier: BSD-2-Clause */
/* The watch loop (see watch.h). The child talks to pcscd; the parent only
 * relays messages and enforces the time limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <PCSC/winscard.h>

#include "core/isolate.h"
#include "core/util.h"
#include "pcsc/cardid.h"
#include "pcsc/pcsc.h"
#include "pcsc/pcsc_int.h"
#include "pcsc/watch.h"

#define MAX_READERS 32
#define WAIT_MS 500           /* one SCardGetStatusChange, then a tick */
#define PNP_READER "\\\\?PnP?\\Notification"
/* not a PC/SC code: our parent is gone, stop */
#define PARENT_GONE ((LONG)-1)

size_t
nd_watch_card_events(unsigned long before, unsigned long after, const char *ev[2])
{
	bool was = before & SCARD_STATE_PRESENT, now = after & SCARD_STATE_PRESENT;
	unsigned long n0 = (before >> 16) & 0xFFFF, n1 = (after >> 16) & 0xFFFF;

	if (was && !now) {
		ev[0] = ND_EV_CARD_REMOVED;
		return 1;
	}
	if (!was && now) {
		ev[0] = ND_EV_CARD_INSERTED;
		return 1;
	}
	/* pcsc-lite counts insertions and removals in the upper 16 bits: a
	 * card present before and after, with the count moved by two or
	 * more, was swapped while we were not looking */
	if (was && now && n0 != n1 && ((n1 - n0) & 0xFFFF) >= 2) {
		ev[0] = ND_EV_CARD_REMOVED;
		ev[1] = ND_EV_CARD_INSERTED;
		return 2;
	}
	return 0;
}

/* ---- child side ---------------------------------------------------- */

struct rstate {
	char name[MAX_READERNAME + 1];
	DWORD state;               /* last event state, CHANGED cleared */
	BYTE atr[MAX_ATR_SIZE];
	DWORD atr_len;
};

struct watcher {
	struct nd_chan *ch;
	SCARDCONTEXT ctx;
	struct rstate r[MAX_READERS];
	size_t n;
	DWORD pnp;                 /* the PnP pseudo reader's state */
	bool baseline_done;        /* the first look has been reported */
	LONG last_service;         /* what was last said about pcscd */
	bool service_said;
};

static void
now_iso(char *buf, size_t sz)
{
	struct timespec ts;
	struct tm tm;
	char s[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, sz, "%s.%03ldZ", s, ts.tv_nsec / 1000000);
}

static void
put_atr(json_object *o, const BYTE *atr, DWORD len)
{
	char *h;

	if (!len || len > MAX_ATR_SIZE) {
		json_object_object_add(o, "atr", NULL);
		return;
	}
	h = nd_hex(atr, len);
	json_object_object_add(o, "atr", json_object_new_string(h));
	free(h);
}

static bool
emit(struct watcher *w, const char *event, const struct rstate *r)
{
	json_object *m = json_object_new_object();
	char when[48];
	bool ok;

	now_iso(when, sizeof when);
	json_object_object_add(m, "type", json_object_new_string("event"));
	json_object_object_add(m, "event", json_object_new_string(event));
	json_object_object_add(m, "reader", json_object_new_string(r->name));
	put_atr(m, r->atr, r->atr_len);
	json_object_object_add(m, "time", json_object_new_string(when));
	ok = nd_chan_send(w->ch, m);
	json_object_put(m);
	return ok;
}

static bool
say(struct watcher *w, const char *type)
{
	json_object *m = json_object_new_object();
	bool ok;

	json_object_object_add(m, "type", json_object_new_string(type));
	ok = nd_chan_send(w->ch, m);
	json_object_put(m);
	return ok;
}

static bool
say_service(struct watcher *w, LONG rv)
{
	json_object *m;
	bool ok;

	/* say it when reachability changes, not at every new error code */
	if (w->service_said && (w->last_service == SCARD_S_SUCCESS) == (rv == SCARD_S_SUCCESS))
		return true;
	w->service_said = true;
	w->last_service = rv;
	m = json_object_new_object();
	json_object_object_add(m, "type", json_object_new_string("service"));
	json_object_object_add(m, "rv", json_object_new_string(nd_pcsc_rv_name(rv)));
	json_object_object_add(m, "state", json_object_new_string(nd_err_name(nd_err_from_pcsc(rv))));
	ok = nd_chan_send(w->ch, m);
	json_object_put(m);
	return ok;
}

static bool
service_gone(LONG rv)
{
	return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED || rv == SCARD_F_COMM_ERROR ||
	    rv == SCARD_E_INVALID_HANDLE || rv == SCARD_W_SECURITY_VIOLATION;
}

/* pcscd went away: its readers are gone for whoever watches. */
static bool
lose_all(struct watcher *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (!emit(w, ND_EV_READER_REMOVED, &w->r[i]))
			return false;
	w->n = 0;
	w->pnp = 0;
	w->baseline_done = true;   /* from now on, readers that appear are "added" */
	if (w->ctx)
		SCardReleaseContext(w->ctx);
	w->ctx = 0;
	return true;
}

/* Current state of the readers in r[from..n): one look, no waiting. */
static LONG
look(struct watcher *w, size_t from)
{
	SCARD_READERSTATE st[MAX_READERS];
	LONG rv;

	if (from >= w->n)
		return SCARD_S_SUCCESS;
	memset(st, 0, sizeof st);
	for (size_t i = from; i < w->n; i++) {
		st[i - from].szReader = w->r[i].name;
		st[i - from].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	nd_chan_step(w->ch, "SCardGetStatusChange");
	rv = SCardGetStatusChange(w->ctx, 0, st, (DWORD)(w->n - from));
	if (rv != SCARD_S_SUCCESS)
		return rv;
	for (size_t i = from; i < w->n; i++) {
		struct rstate *r = &w->r[i];
		r->state = st[i - from].dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
		r->atr_len = st[i - from].cbAtr <= MAX_ATR_SIZE ? st[i - from].cbAtr : 0;
		memcpy(r->atr, st[i - from].rgbAtr, r->atr_len);
	}
	return rv;
}

/* List the readers again and report what appeared or went. */
static LONG
relist(struct watcher *w)
{
	struct rstate old[MAX_READERS];
	size_t n_old = w->n, first_new;
	char *list = NULL;
	LONG rv;

	memcpy(old, w->r, sizeof old);
	nd_chan_step(w->ch, "SCardListReaders");
	rv = nd_pcsc_list_readers(w->ctx, &list);
	if (rv == SCARD_E_NO_READERS_AVAILABLE)
		rv = SCARD_S_SUCCESS;   /* all readers gone: an empty list */
	if (rv != SCARD_S_SUCCESS)
		goto fail;

	/* keep the readers still there, in their order, then the new ones */
	w->n = 0;
	for (size_t i = 0; i < n_old; i++)
		for (const char *s = list; s && *s; s += strlen(s) + 1)
			if (strcmp(s, old[i].name) == 0 && w->n < MAX_READERS)
				w->r[w->n++] = old[i];
	for (size_t i = 0; i < n_old; i++) {
		bool still = false;
		for (size_t k = 0; k < w->n; k++)
			still |= strcmp(w->r[k].name, old[i].name) == 0;
		if (!still && w->baseline_done && !emit(w, ND_EV_READER_REMOVED, &old[i])) {
			rv = PARENT_GONE;
			goto fail;
		}
	}
	first_new = w->n;
	for (const char *s = list; s && *s && w->n < MAX_READERS; s += strlen(s) + 1) {
		bool known = false;
		for (size_t k = 0; k < first_new; k++)
			known |= strcmp(w->r[k].name, s) == 0;
		if (known)
			continue;
		memset(&w->r[w->n], 0, sizeof w->r[w->n]);
		snprintf(w->r[w->n].name, sizeof w->r[w->n].name, "%s", s);
		w->n++;
	}
	if ((rv = look(w, first_new)) != SCARD_S_SUCCESS)
		goto fail;
	if (!w->baseline_done) {
		json_object *m = json_object_new_object(), *arr = json_object_new_array();

		for (size_t i = 0; i < w->n; i++) {
			json_object *e = json_object_new_object();
			json_object_object_add(e, "name", json_object_new_string(w->r[i].name));
			put_atr(e, w->r[i].atr, (w->r[i].state & SCARD_STATE_PRESENT) ? w->r[i].atr_len : 0);
			json_object_array_add(arr, e);
		}
		json_object_object_add(m, "type", json_object_new_string("baseline"));
		json_object_object_add(m, "readers", arr);
		nd_chan_send(w->ch, m);
		json_object_put(m);
		w->baseline_done = true;
	} else {
		for (size_t i = first_new; i < w->n; i++) {
			if (!emit(w, ND_EV_READER_ADDED, &w->r[i]) ||
			    ((w->r[i].state & SCARD_STATE_PRESENT) && !emit(w, ND_EV_CARD_INSERTED, &w->r[i]))) {
				rv = PARENT_GONE;
				goto fail;
			}
		}
	}
	rv = SCARD_S_SUCCESS;
fail:
	free(list);
	return rv;
}

/* One wait for a change; reports card events. */
static LONG
wait_change(struct watcher *w, bool *need_list)
{
	SCARD_READERSTATE st[MAX_READERS + 1];
	LONG rv;

	memset(st, 0, sizeof st);
	for (size_t i = 0; i < w->n; i++) {
		st[i].szReader = w->r[i].name;
		st[i].dwCurrentState = w->r[i].state;
	}
	st[w->n].szReader = PNP_READER;
	st[w->n].dwCurrentState = w->pnp;
	nd_chan_step(w->ch, "SCardGetStatusChange");
	rv = SCardGetStatusChange(w->ctx, WAIT_MS, st, (DWORD)w->n + 1);
	if (rv != SCARD_S_SUCCESS)
		return rv;
	for (size_t i = 0; i < w->n; i++) {
		struct rstate *r = &w->r[i];
		DWORD now = st[i].dwEventState;
		const char *ev[2];
		size_t k;

		if (!(now & SCARD_STATE_CHANGED))
			continue;
		if (now & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) {
			*need_list = true;   /* the reader went away */
			continue;
		}
		k = nd_watch_card_events(r->state, now, ev);
		/* the removed card's ATR is the one we knew; an inserted one's is new */
		for (size_t e = 0; e < k; e++) {
			if (strcmp(ev[e], ND_EV_CARD_INSERTED) == 0) {
				r->atr_len = st[i].cbAtr <= MAX_ATR_SIZE ? st[i].cbAtr : 0;
				memcpy(r->atr, st[i].rgbAtr, r->atr_len);
			}
			if (!emit(w, ev[e], r))
				return PARENT_GONE;
			if (strcmp(ev[e], ND_EV_CARD_REMOVED) == 0)
				r->atr_len = 0;
		}
		r->state = now & ~(DWORD)SCARD_STATE_CHANGED;
	}
	if (st[w->n].dwEventState & SCARD_STATE_CHANGED) {
		w->pnp = st[w->n].dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
		*need_list = true;
	}
	return rv;
}

static void
watch_child(struct nd_chan *ch, void *arg)
{
	static struct watcher w;
	bool need_list = true;
	LONG rv;

	(void)arg;
	memset(&w, 0, sizeof w);
	w.ch = ch;
	for (;;) {
		if (!w.ctx) {
			nd_chan_step(ch, "SCardEstablishContext");
			rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &w.ctx);
			if (!say_service(&w, rv))
				return;
			if (rv != SCARD_S_SUCCESS) {
				w.ctx = 0;
				/* not there at the start: whatever appears later is new */
				w.baseline_done = true;
				if (!say(&w, "tick"))
					return;
				usleep(WAIT_MS * 1000);
				continue;
			}
			need_list = true;
		}
		if (need_list) {
			need_list = false;
			rv = relist(&w);
			if (rv == PARENT_GONE)
				return;
			if (service_gone(rv)) {
				if (!say_service(&w, rv) || !lose_all(&w))
					return;
				continue;
			}
		}
		rv = wait_change(&w, &need_list);
		if (rv == SCARD_S_SUCCESS || rv == SCARD_E_TIMEOUT) {
			if (!say(&w, "tick"))
				return;
			continue;
		}
		if (rv == PARENT_GONE)
			return;
		if (service_gone(rv)) {
			if (!say_service(&w, rv) || !lose_all(&w))
				return;
			continue;
		}
		/* a reader vanished under us (SCARD_E_UNKNOWN_READER, ...): look
		 * again, after a pause so that an odd error cannot spin */
		need_list = true;
		if (!say(&w, "tick"))
			return;
		usleep(WAIT_MS * 1000 / 5);
	}
}

/* ---- parent side --------------------------------------------------- */

struct relay {
	nd_watch_fn fn;
	void *ctx;
	bool stopped;
	struct nd_cardlist *list;   /* smartcard_list.txt, read at the first card */
	bool list_tried;
};

/* Add "card" (nd_pcsc_card_json) to an object with an "atr" in hex: the
 * caller is told what card it is, as `readers` would tell it. */
static void
add_card(struct relay *r, json_object *o)
{
	const char *hex = nd_jstr(o, "atr");
	uint8_t atr[64];
	long n;

	if (!hex || (n = nd_unhex(hex, atr, sizeof atr)) <= 0)
		return;
	if (!r->list_tried) {
		r->list_tried = true;
		nd_cardlist_load(nd_cardlist_path(), &r->list);
	}
	json_object_object_add(o, "card", nd_pcsc_card_json(atr, (size_t)n, r->list));
}

static bool
relay_msg(json_object *msg, void *p)
{
	struct relay *r = p;
	const char *type = nd_jstr(msg, "type"), *ev = nd_jstr(msg, "event");
	json_object *readers = nd_jarr(msg, "readers");

	if (type && strcmp(type, "event") == 0 && ev && strcmp(ev, ND_EV_CARD_INSERTED) == 0)
		add_card(r, msg);
	if (type && strcmp(type, "baseline") == 0)
		for (size_t i = 0; readers && i < json_object_array_length(readers); i++)
			add_card(r, json_object_array_get_idx(readers, i));
	if (!r->fn(msg, r->ctx)) {
		r->stopped = true;
		return false;
	}
	return true;
}

nd_err
nd_pcsc_watch(int stuck_ms, nd_watch_fn fn, void *ctx, struct nd_watch_result *res)
{
	struct nd_child_limits lim = { stuck_ms, 0 };
	struct nd_child_result cr;
	struct relay r = { fn, ctx, false, NULL, false };
	nd_err rv;

	memset(res, 0, sizeof *res);
	res->end = ND_WATCH_FAILED;
	if ((rv = nd_child_run(watch_child, NULL, &lim, relay_msg, &r, &cr)) != ND_OK)
		goto fail;
	snprintf(res->step, sizeof res->step, "%s", cr.step);
	if (r.stopped || cr.end == ND_CHILD_STOPPED)
		res->end = ND_WATCH_STOPPED;
	else if (cr.end == ND_CHILD_TIMEOUT)
		res->end = ND_WATCH_STUCK;
	else
		res->end = ND_WATCH_FAILED;
	rv = ND_OK;
fail:
	nd_cardlist_free(&r.list);
	return rv;
}
