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

nd_err
nd_p11_collect(struct nd_report *rep)
{
	const struct nd_opts *o = rep->opts;
	int timeout_s = o && o->timeout_s > 0 ? o->timeout_s : 10;
	struct nd_child_limits lim = { timeout_s * 1000, 6 * timeout_s * 1000 };
	struct nd_p11_candidates cands;
	json_object *mods = json_object_new_array(), *tokens = json_object_new_array(),
	    *certs = json_object_new_array(), *der = json_object_new_array();
	const json_object *readers = nd_jarr(rep->inventory, "readers");
	struct nd_elf self;

	nd_p11_elf_self(&self);
	nd_p11_discover(o, &cands);
	for (size_t i = 0; i < cands.n; i++) {
		const struct nd_p11_candidate *c = &cands.v[i];
		json_object *m = json_object_new_object();
		struct nd_p11_probe_arg arg = { c->path, !(o && o->verbose > 1) };
		struct nd_child_result res;
		struct nd_p11_ingest *in;

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
		in = nd_p11_ingest_new(m, readers, o);
		if (nd_child_run(nd_p11_probe_child, &arg, &lim, nd_p11_ingest_msg, in, &res) != ND_OK)
			res.end = ND_CHILD_FAILED;
		nd_p11_ingest_end(in, &res, tokens, certs, der);
		nd_p11_ingest_free(in);
		if (res.end == ND_CHILD_TIMEOUT)
			json_object_object_add(m, "timeout_s", json_object_new_int(timeout_s));
		if (o && o->verbose)
			nd_safe_line(stderr, o->show_id, "nesdoctor: p11: %s: %s (%lld ms)", c->path,
			    nd_jstr(m, "status") ? nd_jstr(m, "status") : "?", (long long)res.elapsed_ms);
	}
	nd_p11_candidates_free(&cands);
	json_object_object_add(rep->inventory, "modules", mods);
	json_object_object_add(rep->inventory, "tokens", tokens);
	json_object_object_add(rep->inventory, "certificates", certs);
	json_object_object_add(rep->internal, "certificates", der);
	return ND_OK;
}
