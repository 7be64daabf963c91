/* SPDX-License-Identifier: BSD-2-Clause */
/* `nesdoctor setup`: the fixes for what the checks find, as a plan of
 * steps. Without --apply the plan is shown and nothing changes; with it each
 * step is done, idempotently (a step whose result is already there is
 * "ok"), a changed file is backed up first, and system paths need root.
 * --root DIR writes files under DIR and runs no commands (packaging, tests).
 * Packages are never installed: the plan names the apt command. */
#ifndef ND_SETUP_H
#define ND_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "core/opts.h"

enum nd_step_kind {
	ND_STEP_WRITE,     /* a whole file with given content */
	ND_STEP_SYMLINK,   /* a symbolic link */
	ND_STEP_RUN,       /* a command */
	ND_STEP_MANUAL,    /* something the person does (apt install ...) */
};

enum nd_step_state {
	ND_STEP_PENDING,   /* to be done */
	ND_STEP_OK,        /* already as wanted: nothing to do */
	ND_STEP_SKIPPED,   /* not done here (under --root, not applicable) */
	ND_STEP_BLOCKED,   /* cannot be done until something else is */
	ND_STEP_DONE,      /* done by --apply */
	ND_STEP_FAILED,    /* --apply tried and failed */
};

struct nd_step {
	const char *part;          /* "udev", "p11-kit", "nss", "pcscd", "polkit" */
	enum nd_step_kind kind;
	enum nd_step_state state;
	char *path;                /* the system path (write, symlink) */
	char *real_path;           /* the same under --root */
	char *content;             /* write: the file; symlink: the target */
	bool replaces;             /* write: an existing file with other content */
	char **argv;               /* run: NULL-terminated */
	char *command;             /* run, manual: the command line to show */
	bool system;               /* changes the system: needs root without --root */
	char *reason;              /* why ok/skipped/blocked/failed; what it is for */
	char *backup;              /* where the old file went (after --apply) */
};

struct nd_plan {
	struct nd_step *steps;
	size_t n, cap;
	bool apply;
	const char *root;          /* NULL without --root */
	char *refused;             /* --apply refused as a whole: why */
};

#define ND_SETUP_PARTS "udev, p11-kit, nss, pcscd, polkit"

/* Is name a setup part? */
bool nd_setup_part_known(const char *name);
/* Build the plan for the named parts (NULL/0: the default parts, all but
 * polkit). Looks at the system (files, commands, bounded in time) but
 * changes nothing. Returns 0, or 64 with a message on stderr for a usage
 * error (polkit without a valid --polkit-group, --module not a file). */
int nd_setup_plan(const struct nd_opts *o, char **parts, int nparts, struct nd_plan *plan);
/* Do the pending steps. */
void nd_setup_apply(const struct nd_opts *o, struct nd_plan *plan);
/* 0 nothing left to do, 1 steps pending or manual steps left, 2 a step
 * failed or --apply was refused. */
int nd_setup_exit(const struct nd_plan *plan);
void nd_setup_render_text(const struct nd_plan *plan, FILE *out, bool color);
json_object *nd_setup_json(const struct nd_opts *o, const struct nd_plan *plan);
void nd_plan_reset(struct nd_plan *plan);

/* Internal to src/setup/ (parts.c builds steps with these). */
struct nd_step *nd_plan_add(struct nd_plan *plan, const char *part, enum nd_step_kind kind);
char *nd_setup_path(const struct nd_plan *plan, const char *path);
/* Read (at most max bytes of) the regular file at the system path path,
 * under --root resolved without leaving it; NULL when absent or not a
 * regular file (*exists tells absent from the rest). */
char *nd_setup_read(const struct nd_plan *plan, const char *path, size_t max, bool *exists);
/* readlink of the system path path under the root (its folders resolved
 * without leaving it); *exists: there is something at path. */
ssize_t nd_setup_readlink(const struct nd_plan *plan, const char *path, char *buf, size_t bufsz,
                          bool *exists);
const char *nd_step_state_name(enum nd_step_state s);
const char *nd_step_kind_name(enum nd_step_kind k);

#endif
