/* SPDX-License-Identifier: BSD-2-Clause */
/* nesdoctor-gtk: the window's shared state and the helpers between its
 * files (main.c: the window and the check; report.c: what a report says;
 * actions.c: fix, save, test signature). */
#ifndef ND_GTK_H
#define ND_GTK_H

#include <gtk/gtk.h>
#include <json-c/json.h>
#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

struct ndg {
	GtkApplication *gapp;
	GtkWidget *win;
	GtkWidget *verdict_icon, *verdict_label, *cause_label, *steps_box, *layers_box;
	GtkWidget *busy, *status_label;
	GtkWidget *btn_check, *btn_fix, *btn_save, *btn_sign;
	char *nd;              /* the nesdoctor binary */
	char **extra;          /* NESDOCTOR_GTK_ARGS, split as a shell would */
	const char *lang;      /* "tr" or "en", passed on as --lang */
	json_object *report;   /* the last check's document, or NULL */
	GSubprocess *check;    /* the check running now, or NULL */
	gboolean again;        /* another check asked for while one runs */
	guint check_guard;     /* kills a check that outlives every bound */
	GSubprocess *watch;
	GDataInputStream *watch_in;
	GCancellable *watch_cancel;
	gboolean watch_up;     /* the last watch answered */
	guint debounce, watch_retry;
	int bundle;            /* -1 not asked yet, 0 no, 1 `nesdoctor bundle` exists */
	guint shot_seq;
};

/* report.c */
const char *ndg_verdict_text(const char *verdict);
const char *ndg_verdict_icon(const char *verdict);
const char *ndg_verdict_css(const char *verdict);
const char *ndg_layer_title(const char *layer);
const char *ndg_status_mark(const char *status);
const char *ndg_status_text(const char *status);
json_object *ndg_check(json_object *rep, const char *id);
const char *ndg_str(json_object *o, const char *key);
char **ndg_remedy_steps(const char *remedy);
char **ndg_fix_parts(json_object *rep);
json_object *ndg_sign_token(json_object *rep);
gboolean ndg_token_flag(json_object *tok, const char *flag);
char **ndg_argv(struct ndg *g, const char *cmd, const char *const *args);

/* main.c */
void ndg_run_check(struct ndg *g);
void ndg_set_a11y(GtkWidget *w, const char *name);
void ndg_message(struct ndg *g, const char *title, const char *text);

/* actions.c */
void ndg_fix(struct ndg *g);
void ndg_save(struct ndg *g);
void ndg_sign(struct ndg *g);

#endif
