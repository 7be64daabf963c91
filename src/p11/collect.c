/* SPDX-License-Identifier: BSD-2-Clause */
/* The p11 collector: find the modules, check each file before it is
 * loaded, then probe it in a child process and record what it said, how it
 * ended, and which call it was in when it did not end well. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/isolate.h"
#include "core/safe.h"
#include "core/util.h"
#include "p11/p11.h"
#include "p11/p11_int.h"

static void
put_elf(json_object *o, const char *key, const struct nd_elf *e)
{
	json_object *x = json_object_new_object();
	const char *mach = nd_p11_elf_machine(e->machine);
	char buf[16];

	if (!mach) {
		snprintf(buf, sizeof buf, "EM_%u", e->machine);
		mach = buf;
	}
	json_object_object_add(x, "bits", json_object_new_int((int)e->bits));
	json_object_object_add(x, "machine", json_object_new_string(mach));
	json_object_object_add(x, "big_endian", json_object_new_boolean(e->endian == ELFDATA2MSB));
	json_object_object_add(o, key, x);
}

static void
set_status(json_object *m, const char *status, const char *kind, const char *error)
{
	json_object_object_add(m, "status", json_object_new_string(status));
	json_object_object_add(m, "error_kind", json_object_new_string(kind));
	nd_jset_str(m, "error", error);
}

/* The file itself, before any of its code runs. False: do not load it. */
static bool
precheck(json_object *m, const char *path, const struct nd_elf *self)
{
	struct nd_elf e;
	nd_err rv = nd_p11_elf_read(path, &e);

	switch (rv) {
	case ND_OK:
		break;
	case ND_ERR_NOT_FOUND:
		set_status(m, "not_found", "not_found", "no such file");
		return false;
	case ND_ERR_ACCESS:
		set_status(m, "load_failed", "access", "permission denied");
		return false;
	case ND_ERR_PARSE:
	case ND_ERR_TRUNCATED:
		set_status(m, "not_elf", "not_elf", "not an ELF shared library");
		return false;
	default:
		set_status(m, "load_failed", "io", "could not be read");
		return false;
	}
	put_elf(m, "elf", &e);
	if (e.bits != self->bits || e.machine != self->machine || e.endian != self->endian) {
		char *err = nd_asprintf("built for %u-bit %s, this system is %u-bit %s", e.bits,
		    nd_p11_elf_machine(e.machine) ? nd_p11_elf_machine(e.machine) : "?", self->bits,
		    nd_p11_elf_machine(self->machine) ? nd_p11_elf_machine(self->machine) : "?");
		put_elf(m, "system", self);
		set_status(m, "wrong_arch", "wrong_arch", err);
		free(err);
		return false;
	}
	if (e.type != ET_DYN) {
		set_status(m, "not_elf", "not_library", "an ELF file, but not a shared library");
		return false;
	}
	return true;
}

/* Modules probed side by side: a layer with eight stalling modules takes
 * one --timeout, not eight. Bounded, as each is a process. */
#define PARALLEL 8
/* ... but started one after another: the next one starts when the last
 * ends, or once the last has been busy for STAGGER_MS (--timeout / 16 at
 * most). Working modules are done well within that, so two of them never
 * talk to the card at the same time (a module that does not lock the card
 * with a PC/SC transaction could otherwise see the other's commands and
 * report no certificate); only a stalling one is overlapped. */
#define STAGGER_MS 250
/* How long, after the layer's own --timeout, a module started late may
 * still run: the ones started first then end by their own step limit, and
 * are reported as hanging, not as cut short. */
#define GRACE_MS 500

struct slot {
	json_object *m;
	struct nd_p11_probe_arg arg;
	struct nd_p11_ingest *in;
	struct nd_child *child;
	struct nd_child_result res;
	bool ran;
};

/* The time for modules ran out: before the probe of this one started, or
 * while it was still going well (each step within its limit). Not a fault
 * of the module's. */
static void
not_probed(json_object *m, const struct nd_child_result *res)
{
	set_status(m, "not_probed", "time_ran_out", "the time for modules ran out");
	if (res) {
		nd_jset_str(m, "failed_call", res->step[0] ? res->step : NULL);
		json_object_object_add(m, "elapsed_ms", json_object_new_int64(res->elapsed_ms));
	}
}

/* One slot per module found, in discovery order; the modules that can be
 * probed get an ingest (s->in), the others a status already. */
static struct slot *
new_slots(const struct nd_opts *o, const struct nd_p11_candidates *cands, const json_object *readers,
          json_object *mods)
{
	struct slot *sl = nd_xcalloc(cands->n ? cands->n : 1, sizeof *sl);
	struct nd_elf self;

	nd_p11_elf_self(&self);
	for (size_t i = 0; i < cands->n; i++) {
		const struct nd_p11_candidate *c = &cands->v[i];
		json_object *m = json_object_new_object();

		sl[i].m = m;
		sl[i].arg = (struct nd_p11_probe_arg){ c->path, !(o && o->verbose > 1) };
		json_object_array_add(mods, m);
		json_object_object_add(m, "path", json_object_new_string(c->path));
		json_object_object_add(m, "source", json_object_new_string(c->source));
		nd_jset_str(m, "config", c->config);
		json_object_object_add(m, "akis", json_object_new_boolean(nd_p11_is_akis_path(c->path)));
		if (c->skip) {
			set_status(m, "skipped", c->skip, NULL);
			continue;
		}
		if (!precheck(m, c->path, &self))
			continue;
		sl[i].in = nd_p11_ingest_new(m, readers, o);
	}
	return sl;
}

/* The probes in flight, and the one budget for the layer: no probe starts
 * after `starts_until`, none runs past `ends_at` (the staggered starts
 * included). */
struct sched {
	struct slot *sl;
	size_t n, nrun, next;
	struct nd_child *running[PARALLEL];
	int timeout_s;
	int64_t stagger, starts_until, ends_at, last_start;
};

static void
sched_init(struct sched *sc, struct slot *sl, size_t n, int timeout_s, int64_t t0)
{
	memset(sc, 0, sizeof *sc);
	sc->sl = sl;
	sc->n = n;
	sc->timeout_s = timeout_s;
	sc->stagger = timeout_s * 1000LL / (2 * PARALLEL);
	sc->starts_until = t0 + timeout_s * 1000LL;
	if (sc->stagger > STAGGER_MS)
		sc->stagger = STAGGER_MS;
	sc->ends_at = sc->starts_until + GRACE_MS + PARALLEL * sc->stagger;
}

/* Whether another probe may start now: room, time, and the last one
 * started long enough ago (or none running). */
static bool
may_start(const struct sched *sc, int64_t now)
{
	return sc->nrun < PARALLEL && sc->next < sc->n && now < sc->starts_until &&
	    (sc->nrun == 0 || now - sc->last_start >= sc->stagger);
}

/* Starts the probes that are due, in discovery order. */
static void
start_due(struct sched *sc, int64_t now)
{
	while (may_start(sc, now)) {
		struct slot *s = &sc->sl[sc->next++];
		struct nd_child_limits lim = { sc->timeout_s * 1000, (int)(sc->ends_at - now) };

		if (!s->in)
			continue;
		s->ran = true;
		sc->last_start = now;
		if (nd_child_start(nd_p11_probe_child, &s->arg, &lim, nd_p11_ingest_msg, s->in,
		        &s->child) != ND_OK) {
			memset(&s->res, 0, sizeof s->res);
			s->res.end = ND_CHILD_FAILED;
			continue;
		}
		sc->running[sc->nrun++] = s->child;
	}
}

/* Ends the probes that are done, their results kept in their slots. */
static void
reap(struct sched *sc)
{
	for (size_t k = 0; k < sc->nrun;) {
		if (!nd_child_done(sc->running[k])) {
			k++;
			continue;
		}
		for (size_t i = 0; i < sc->n; i++)
			if (sc->sl[i].child == sc->running[k]) {
				nd_child_end(sc->sl[i].child, &sc->sl[i].res);
				sc->sl[i].child = NULL;
			}
		sc->running[k] = sc->running[--sc->nrun];
	}
}

/* Start in discovery order while there is room and time; record in
 * discovery order whatever order they end in. */
static void
run_probes(struct sched *sc)
{
	for (;;) {
		int64_t now = nd_now_ms();

		start_due(sc, now);
		if (sc->nrun == 0)
			break;
		/* wake up for the next staggered start, if one is due */
		nd_child_wait(sc->running, sc->nrun, sc->next < sc->n && sc->nrun < PARALLEL && now < sc->starts_until ?
		    sc->last_start + sc->stagger : 0);
		reap(sc);
	}
}

/* What one slot's probe found, into the inventory's lists. */
static void
record(const struct nd_opts *o, struct slot *s, const char *path, int timeout_s, json_object *tokens,
       json_object *certs, json_object *der)
{
	const char *st;

	if (!s->ran) {
		not_probed(s->m, NULL);
	} else if (s->res.end == ND_CHILD_TIMEOUT && s->res.over_total) {
		/* what was learned is kept; the status says why it stops */
		nd_p11_ingest_end(s->in, &s->res, tokens, certs, der);
		not_probed(s->m, &s->res);
	} else {
		nd_p11_ingest_end(s->in, &s->res, tokens, certs, der);
		if (s->res.end == ND_CHILD_TIMEOUT)
			json_object_object_add(s->m, "timeout_s", json_object_new_int(timeout_s));
	}
	nd_p11_ingest_free(&s->in);
	st = nd_jstr(s->m, "status");
	if (o && o->verbose)
		nd_safe_line(stderr, o->show_id, "nesdoctor: p11: %s: %s (%lld ms)", path,
		    st ? st : "?", (long long)s->res.elapsed_ms);
}

nd_err
nd_p11_collect(struct nd_report *rep)
{
	const struct nd_opts *o = rep->opts;
	struct nd_p11_candidates cands;
	json_object *mods = json_object_new_array(), *tokens = json_object_new_array(),
	    *certs = json_object_new_array(), *der = json_object_new_array();
	struct slot *sl;
	struct sched sc;
	/* the layer's budget starts here, discovery included */
	int64_t t0 = nd_now_ms();

	nd_p11_discover(o, &cands);
	sl = new_slots(o, &cands, nd_jarr(rep->inventory, "readers"), mods);
	sched_init(&sc, sl, cands.n, o->timeout_s, t0);
	run_probes(&sc);
	for (size_t i = 0; i < cands.n; i++)
		if (sl[i].in)
			record(o, &sl[i], cands.v[i].path, o->timeout_s, tokens, certs, der);
	free(sl);
	nd_p11_candidates_reset(&cands);
	json_object_object_add(rep->inventory, "modules", mods);
	json_object_object_add(rep->inventory, "tokens", tokens);
	json_object_object_add(rep->inventory, "certificates", certs);
	json_object_object_add(rep->internal, "certificates", der);
	return ND_OK;
}
