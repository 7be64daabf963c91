/* SPDX-License-Identifier: BSD-2-Clause */
/* nesdoctor-gtk: one window that answers `nesdoctor check`'s question for
 * the person at the desk, and follows card and reader events.
 *
 * The diagnosis runs in a child, `nesdoctor check --json`, read
 * asynchronously: a hung module or pcscd never holds the main loop, and
 * the child is bounded by its own --timeout (and killed here after
 * ND_GTK_GUARD_S if it is not). `nesdoctor watch --json` runs beside it;
 * each card or reader event re-runs the check, debounced.
 *
 * Environment:
 *   NESDOCTOR_GTK_ARGS        options for the children, as a shell would
 *                             split them (--module, --anchor, --cache-dir,
 *                             --timeout, --offline, --reader); each command
 *                             gets those it takes
 *   NESDOCTOR                 the nesdoctor binary (default: next to this
 *                             one, else in PATH)
 *   NESDOCTOR_GTK_SCREENSHOT  PREFIX: after each verdict is shown, the window
 *                             is written to PREFIX-VERDICT.png (tests)
 */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "config.h"
#include "ndgtk.h"

#define ND_GTK_GUARD_S 120
#define ND_GTK_DEBOUNCE_MS 700
#define ND_GTK_WATCH_RETRY_S 3

static const char css[] =
	".nd-verdict { font-size: 20pt; font-weight: bold; }\n"
	".nd-ready { color: #26a269; }\n"
	".nd-warning { color: #c64600; }\n"
	".nd-not-ready { color: #c01c28; }\n"
	".nd-unknown { color: #5e5c64; }\n"
	".nd-step-num { font-weight: bold; }\n";

/* As `nesdoctor` does (core/i18n.c): tr_* means Turkish, also where the
 * tr_TR locale is not generated, through LANGUAGE under C.UTF-8. */
static const char *
i18n_init(void)
{
	static const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *lang = "en", *cur, *env;
	char exe[PATH_MAX], *dir = NULL;
	ssize_t n;

	for (size_t i = 0; i < G_N_ELEMENTS(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			lang = strncmp(v, "tr", 2) == 0 ? "tr" : "en";
			break;
		}
	}
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C.UTF-8");
	cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	setlocale(LC_NUMERIC, "C");
	setenv("LANGUAGE", lang, 1);

	/* the catalogue next to the binary (build tree) first */
	env = getenv("NESDOCTOR_LOCALEDIR");
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (env && *env)
		dir = g_strdup(env);
	else if (n > 0) {
		char *d;
		exe[n] = '\0';
		d = g_path_get_dirname(exe);
		dir = g_build_filename(d, "locale", NULL);
		g_free(d);
		if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
			g_free(dir);
			dir = NULL;
		}
	}
	bindtextdomain(ND_TEXTDOMAIN, dir ? dir : ND_LOCALEDIR);
	bind_textdomain_codeset(ND_TEXTDOMAIN, "UTF-8");
	textdomain(ND_TEXTDOMAIN);
	g_free(dir);
	return lang;
}

/* $NESDOCTOR, else nesdoctor next to this binary, else in PATH. */
static char *
find_nesdoctor(void)
{
	const char *env = getenv("NESDOCTOR");
	char exe[PATH_MAX], *rv = NULL;
	ssize_t n;

	if (env && *env)
		return g_strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *d;
		exe[n] = '\0';
		d = g_path_get_dirname(exe);
		rv = g_build_filename(d, "nesdoctor", NULL);
		g_free(d);
		if (g_file_test(rv, G_FILE_TEST_IS_EXECUTABLE))
			return rv;
		g_free(rv);
	}
	rv = g_find_program_in_path("nesdoctor");
	return rv ? rv : g_strdup("nesdoctor");
}

void
ndg_set_a11y(GtkWidget *w, const char *name)
{
	gtk_accessible_update_property(GTK_ACCESSIBLE(w), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
message_done(GtkDialog *d, int response, gpointer data)
{
	(void)response;
	(void)data;
	gtk_window_destroy(GTK_WINDOW(d));
}

void
ndg_message(struct ndg *g, const char *title, const char *text)
{
	GtkWidget *d = gtk_message_dialog_new(GTK_WINDOW(g->win), GTK_DIALOG_MODAL,
					      GTK_MESSAGE_INFO, GTK_BUTTONS_CLOSE, "%s", title);

	gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d), "%s", text);
	ndg_set_a11y(d, title);
	g_signal_connect(d, "response", G_CALLBACK(message_done), NULL);
	gtk_window_present(GTK_WINDOW(d));
}

/* ---- screenshots for the tests ---- */

static gboolean
screenshot(gpointer data)
{
	struct ndg *g = data;
	const char *prefix = getenv("NESDOCTOR_GTK_SCREENSHOT");
	const char *v = ndg_str(g->report, "verdict");
	int w = gtk_widget_get_width(g->win), h = gtk_widget_get_height(g->win);
	GdkPaintable *p;
	GtkSnapshot *s;
	GskRenderNode *node;
	GskRenderer *r;
	GdkTexture *tex;
	char *path;

	if (!prefix || w <= 0 || h <= 0)
		return G_SOURCE_REMOVE;
	p = gtk_widget_paintable_new(g->win);
	s = gtk_snapshot_new();
	gdk_paintable_snapshot(p, GDK_SNAPSHOT(s), w, h);
	node = gtk_snapshot_free_to_node(s);
	r = gtk_native_get_renderer(GTK_NATIVE(g->win));
	if (node && r) {
		tex = gsk_renderer_render_texture(r, node, &GRAPHENE_RECT_INIT(0, 0, (float)w, (float)h));
		path = g_strdup_printf("%s-%s.png", prefix, v ? v : "none");
		if (!gdk_texture_save_to_png(tex, path))
			g_printerr("nesdoctor-gtk: could not write %s\n", path);
		g_free(path);
		g_object_unref(tex);
	}
	if (node)
		gsk_render_node_unref(node);
	g_object_unref(p);
	return G_SOURCE_REMOVE;
}

/* ---- the main view ---- */

static void
clear_box(GtkWidget *box)
{
	GtkWidget *c;

	while ((c = gtk_widget_get_first_child(box)))
		gtk_box_remove(GTK_BOX(box), c);
}

static void
copy_step(GtkButton *b, gpointer data)
{
	(void)data;
	gdk_clipboard_set_text(gtk_widget_get_clipboard(GTK_WIDGET(b)),
			       g_object_get_data(G_OBJECT(b), "nd-text"));
}

static void
add_step(struct ndg *g, unsigned num, const char *text)
{
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 8);
	char *n = g_strdup_printf("%u.", num);
	GtkWidget *nl = gtk_label_new(n), *tl = gtk_label_new(text);
	GtkWidget *copy = gtk_button_new_from_icon_name("edit-copy-symbolic");
	char *name = g_strdup_printf(_("Copy step %u"), num);

	gtk_widget_add_css_class(nl, "nd-step-num");
	gtk_widget_set_valign(nl, GTK_ALIGN_START);
	gtk_label_set_wrap(GTK_LABEL(tl), TRUE);
	gtk_label_set_selectable(GTK_LABEL(tl), TRUE);
	gtk_label_set_xalign(GTK_LABEL(tl), 0);
	gtk_widget_set_hexpand(tl, TRUE);
	ndg_set_a11y(tl, text);
	g_object_set_data_full(G_OBJECT(copy), "nd-text", g_strdup(text), g_free);
	gtk_widget_set_tooltip_text(copy, name);
	ndg_set_a11y(copy, name);
	gtk_widget_set_valign(copy, GTK_ALIGN_START);
	g_signal_connect(copy, "clicked", G_CALLBACK(copy_step), NULL);
	gtk_box_append(GTK_BOX(row), nl);
	gtk_box_append(GTK_BOX(row), tl);
	gtk_box_append(GTK_BOX(row), copy);
	gtk_box_append(GTK_BOX(g->steps_box), row);
	g_free(n);
	g_free(name);
}

static void
render_layers(struct ndg *g, json_object *checks)
{
	static const char *layers[] = { "usb", "sys", "pcsc", "p11", "cert", "dys" };

	clear_box(g->layers_box);
	for (size_t l = 0; l < G_N_ELEMENTS(layers); l++) {
		GtkWidget *inner = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4), *exp;
		unsigned nfail = 0, nwarn = 0, nskip = 0, n = 0;
		char *title;

		for (size_t i = 0; checks && i < json_object_array_length(checks); i++) {
			json_object *c = json_object_array_get_idx(checks, i);
			const char *layer = ndg_str(c, "layer"), *st = ndg_str(c, "status");
			const char *msg = ndg_str(c, "message");
			char *line;
			GtkWidget *lab;

			if (!layer || strcmp(layer, layers[l]) != 0)
				continue;
			n++;
			nfail += st && strcmp(st, "fail") == 0;
			nwarn += st && strcmp(st, "warn") == 0;
			nskip += st && strcmp(st, "skip") == 0;
			line = g_strdup_printf("%s %s — %s: %s", ndg_status_mark(st), ndg_str(c, "id"),
					       ndg_status_text(st), msg ? msg : "");
			lab = gtk_label_new(line);
			gtk_label_set_wrap(GTK_LABEL(lab), TRUE);
			gtk_label_set_selectable(GTK_LABEL(lab), TRUE);
			gtk_label_set_xalign(GTK_LABEL(lab), 0);
			ndg_set_a11y(lab, line);
			gtk_box_append(GTK_BOX(inner), lab);
			g_free(line);
		}
		if (n == 0) {
			g_object_ref_sink(inner);
			g_object_unref(inner);
			continue;
		}
		if (nfail)
			title = g_strdup_printf("✘ %s — %s", ndg_layer_title(layers[l]), _("a problem"));
		else if (nwarn)
			title = g_strdup_printf("! %s — %s", ndg_layer_title(layers[l]), _("needs attention"));
		else if (nskip == n)
			title = g_strdup_printf("– %s — %s", ndg_layer_title(layers[l]), _("not checked"));
		else
			title = g_strdup_printf("✔ %s — %s", ndg_layer_title(layers[l]), _("fine"));
		exp = gtk_expander_new(title);
		gtk_expander_set_child(GTK_EXPANDER(exp), inner);
		gtk_widget_set_margin_start(inner, 18);
		ndg_set_a11y(exp, title);
		gtk_box_append(GTK_BOX(g->layers_box), exp);
		g_free(title);
	}
}

/* Show the document (or, with rep NULL, why there is none). The verdict is
 * announced as well as GTK 4.8 can: the label's accessible name and the
 * window's title change (AT-SPI name-changed events, which screen readers
 * speak for the active window); 4.8 has neither live regions nor
 * gtk_accessible_announce (4.14). */
static void
render(struct ndg *g, const char *error)
{
	const char *v = ndg_str(g->report, "verdict"), *vt = ndg_verdict_text(v);
	const char *cause = ndg_str(g->report, "primary_cause");
	json_object *checks = NULL, *pc;
	char *title;
	const char *remedy = NULL;

	if (!g->report)
		v = NULL;
	gtk_image_set_from_icon_name(GTK_IMAGE(g->verdict_icon), ndg_verdict_icon(v));
	gtk_label_set_text(GTK_LABEL(g->verdict_label), vt);
	for (const char *const *c = (const char *const[]){ "nd-ready", "nd-warning", "nd-not-ready",
							    "nd-unknown", NULL }; *c; c++)
		gtk_widget_remove_css_class(g->verdict_label, *c),
		gtk_widget_remove_css_class(g->verdict_icon, *c);
	gtk_widget_add_css_class(g->verdict_label, ndg_verdict_css(v));
	gtk_widget_add_css_class(g->verdict_icon, ndg_verdict_css(v));
	ndg_set_a11y(g->verdict_label, vt);
	ndg_set_a11y(g->verdict_icon, vt);
	title = g_strdup_printf("nesdoctor — %s", vt);
	gtk_window_set_title(GTK_WINDOW(g->win), title);
	g_free(title);

	if (g->report)
		json_object_object_get_ex(g->report, "checks", &checks);
	pc = ndg_check(g->report, cause);
	if (error) {
		gtk_label_set_text(GTK_LABEL(g->cause_label), error);
	} else if (pc) {
		char *s = g_strdup_printf(_("Cause: %s (%s)"), ndg_str(pc, "message"), cause);
		gtk_label_set_text(GTK_LABEL(g->cause_label), s);
		g_free(s);
		remedy = ndg_str(pc, "remedy");
	} else if (v && strcmp(v, "ready") != 0) {
		/* no failure: dys.ready says what needs attention or is unknown */
		pc = ndg_check(g->report, "dys.ready");
		gtk_label_set_text(GTK_LABEL(g->cause_label), pc && ndg_str(pc, "message") ? ndg_str(pc, "message") : "");
		remedy = ndg_str(pc, "remedy");
	} else {
		pc = ndg_check(g->report, "dys.ready");
		gtk_label_set_text(GTK_LABEL(g->cause_label), pc && ndg_str(pc, "message") ? ndg_str(pc, "message") : "");
	}
	ndg_set_a11y(g->cause_label, gtk_label_get_text(GTK_LABEL(g->cause_label)));

	clear_box(g->steps_box);
	if (remedy) {
		char **steps = ndg_remedy_steps(remedy);
		GtkWidget *h = gtk_label_new(_("What to do:"));
		gtk_label_set_xalign(GTK_LABEL(h), 0);
		gtk_widget_add_css_class(h, "heading");
		gtk_box_append(GTK_BOX(g->steps_box), h);
		for (unsigned i = 0; steps[i]; i++)
			add_step(g, i + 1, steps[i]);
		g_strfreev(steps);
	}
	render_layers(g, checks);

	{
		char **parts = ndg_fix_parts(g->report);
		gtk_widget_set_sensitive(g->btn_fix, parts != NULL);
		g_strfreev(parts);
	}
	gtk_widget_set_sensitive(g->btn_save, g->report != NULL);
	gtk_widget_set_sensitive(g->btn_sign, ndg_sign_token(g->report) != NULL);
	if (getenv("NESDOCTOR_GTK_SCREENSHOT"))
		g_timeout_add(600, screenshot, g);
}

static void
set_busy(struct ndg *g, gboolean busy)
{
	gtk_widget_set_visible(g->busy, busy);
	if (busy)
		gtk_spinner_start(GTK_SPINNER(g->busy));
	else
		gtk_spinner_stop(GTK_SPINNER(g->busy));
	gtk_label_set_text(GTK_LABEL(g->status_label), busy ? _("Checking…") : "");
	ndg_set_a11y(g->status_label, busy ? _("Checking…") : _("Check finished"));
}

static gboolean
check_guard(gpointer data)
{
	struct ndg *g = data;

	g->check_guard = 0;
	if (g->check)
		g_subprocess_force_exit(g->check);
	return G_SOURCE_REMOVE;
}

static void
check_done(GObject *src, GAsyncResult *res, gpointer data)
{
	struct ndg *g = data;
	GSubprocess *p = G_SUBPROCESS(src);
	char *out = NULL;
	GError *err = NULL;
	json_object *doc = NULL;
	const char *error = NULL;

	if (g->check_guard) {
		g_source_remove(g->check_guard);
		g->check_guard = 0;
	}
	if (!g_subprocess_communicate_utf8_finish(p, res, &out, NULL, &err)) {
		error = _("nesdoctor could not be run.");
		g_clear_error(&err);
	} else {
		doc = out ? json_tokener_parse(out) : NULL;
		if (!doc || !ndg_str(doc, "schema") || strcmp(ndg_str(doc, "schema"), "nesdoctor.report/1") != 0) {
			if (doc)
				json_object_put(doc);
			doc = NULL;
			error = _("nesdoctor gave no report (it may have been stopped).");
		}
	}
	g_free(out);
	g_clear_object(&g->check);
	if (g->report)
		json_object_put(g->report);
	g->report = doc;
	set_busy(g, FALSE);
	render(g, error);
	if (g->again) {
		g->again = FALSE;
		ndg_run_check(g);
	}
}

void
ndg_run_check(struct ndg *g)
{
	static const char *const args[] = { "--json", NULL };
	char **argv;
	GError *err = NULL;

	if (g->check) {
		g->again = TRUE;
		return;
	}
	argv = ndg_argv(g, "check", args);
	g->check = g_subprocess_newv((const char *const *)argv,
				     G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &err);
	g_strfreev(argv);
	if (!g->check) {
		if (g->report)
			json_object_put(g->report);
		g->report = NULL;
		render(g, err ? err->message : _("nesdoctor could not be run."));
		g_clear_error(&err);
		return;
	}
	set_busy(g, TRUE);
	g->check_guard = g_timeout_add_seconds(ND_GTK_GUARD_S, check_guard, g);
	g_subprocess_communicate_utf8_async(g->check, NULL, NULL, check_done, g);
}

/* ---- live: `nesdoctor watch --json` ---- */

static void watch_start(struct ndg *g);

static gboolean
debounced(gpointer data)
{
	struct ndg *g = data;

	g->debounce = 0;
	ndg_run_check(g);
	return G_SOURCE_REMOVE;
}

static void
recheck_soon(struct ndg *g)
{
	if (g->debounce)
		g_source_remove(g->debounce);
	g->debounce = g_timeout_add(ND_GTK_DEBOUNCE_MS, debounced, g);
}

static gboolean
watch_retry(gpointer data)
{
	struct ndg *g = data;

	g->watch_retry = 0;
	watch_start(g);
	return G_SOURCE_REMOVE;
}

static void
watch_line(GObject *src, GAsyncResult *res, gpointer data)
{
	struct ndg *g = data;
	GError *err = NULL;
	gsize len = 0;
	char *line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(src), res, &len, &err);

	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_clear_error(&err);
		return;
	}
	g_clear_error(&err);
	if (!line) {
		/* watch ended (pcscd gone or not there): try again shortly; the
		 * check is re-run when it answers again */
		if (g->watch_up)
			recheck_soon(g);
		g->watch_up = FALSE;
		g_clear_object(&g->watch_in);
		if (g->watch) {
			g_subprocess_force_exit(g->watch);
			g_subprocess_wait_async(g->watch, NULL, NULL, NULL);
		}
		g_clear_object(&g->watch);
		g->watch_retry = g_timeout_add_seconds(ND_GTK_WATCH_RETRY_S, watch_retry, g);
		return;
	}
	{
		json_object *ev = json_tokener_parse(line);
		const char *e = ndg_str(ev, "event");
		if (!g->watch_up) {
			/* pcscd answers again (or for the first time after
			 * failing): what it shows may have changed */
			if (g->report)
				recheck_soon(g);
			g->watch_up = TRUE;
		}
		if (e && (strcmp(e, "card_inserted") == 0 || strcmp(e, "card_removed") == 0 ||
			  strcmp(e, "reader_added") == 0 || strcmp(e, "reader_removed") == 0))
			recheck_soon(g);
		if (ev)
			json_object_put(ev);
	}
	g_free(line);
	g_data_input_stream_read_line_async(g->watch_in, G_PRIORITY_DEFAULT, g->watch_cancel, watch_line, g);
}

static void
watch_start(struct ndg *g)
{
	static const char *const args[] = { "--json", NULL };
	char **argv = ndg_argv(g, "watch", args);
	GError *err = NULL;

	g->watch = g_subprocess_newv((const char *const *)argv,
				     G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &err);
	g_strfreev(argv);
	if (!g->watch) {
		g_clear_error(&err);
		g->watch_retry = g_timeout_add_seconds(ND_GTK_WATCH_RETRY_S, watch_retry, g);
		return;
	}
	g->watch_in = g_data_input_stream_new(g_subprocess_get_stdout_pipe(g->watch));
	g_data_input_stream_read_line_async(g->watch_in, G_PRIORITY_DEFAULT, g->watch_cancel, watch_line, g);
}

/* ---- the window ---- */

static void on_check(GtkButton *b, gpointer data) { (void)b; ndg_run_check(data); }
static void on_fix(GtkButton *b, gpointer data) { (void)b; ndg_fix(data); }
static void on_save(GtkButton *b, gpointer data) { (void)b; ndg_save(data); }
static void on_sign(GtkButton *b, gpointer data) { (void)b; ndg_sign(data); }

/* A button named by its text: GTK 4.8 joins a button's label property (or
 * an accessible label set on it) to its child label's text in the AT-SPI
 * name ("Fix… Fix…"), so the text is a child label and the button is
 * labelled by it. */
static GtkWidget *
button(const char *label, GCallback cb, struct ndg *g)
{
	GtkWidget *b = gtk_button_new(), *l = gtk_label_new_with_mnemonic(label);

	gtk_button_set_child(GTK_BUTTON(b), l);
	gtk_label_set_mnemonic_widget(GTK_LABEL(l), b);
	gtk_accessible_update_relation(GTK_ACCESSIBLE(b), GTK_ACCESSIBLE_RELATION_LABELLED_BY, l, NULL, -1);
	g_signal_connect(b, "clicked", cb, g);
	return b;
}

static void
activate(GtkApplication *app, gpointer data)
{
	struct ndg *g = data;
	GtkWidget *outer, *head, *vbox, *scroll, *bar;
	GtkCssProvider *prov;

	if (g->win) {
		gtk_window_present(GTK_WINDOW(g->win));
		return;
	}
	prov = gtk_css_provider_new();
	gtk_css_provider_load_from_data(prov, css, -1);
	gtk_style_context_add_provider_for_display(gdk_display_get_default(), GTK_STYLE_PROVIDER(prov),
						   GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
	g_object_unref(prov);

	g->win = gtk_application_window_new(app);
	gtk_window_set_title(GTK_WINDOW(g->win), "nesdoctor");
	gtk_window_set_default_size(GTK_WINDOW(g->win), 760, 620);
	gtk_window_set_icon_name(GTK_WINDOW(g->win), "org.nesdoctor.Gtk");

	outer = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
	gtk_widget_set_margin_top(outer, 18);
	gtk_widget_set_margin_bottom(outer, 18);
	gtk_widget_set_margin_start(outer, 18);
	gtk_widget_set_margin_end(outer, 18);

	head = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	g->verdict_icon = gtk_image_new_from_icon_name("dialog-question-symbolic");
	gtk_image_set_pixel_size(GTK_IMAGE(g->verdict_icon), 64);
	g->verdict_label = gtk_label_new(_("Checking…"));
	gtk_label_set_wrap(GTK_LABEL(g->verdict_label), TRUE);
	gtk_label_set_xalign(GTK_LABEL(g->verdict_label), 0);
	gtk_widget_set_hexpand(g->verdict_label, TRUE);
	gtk_widget_add_css_class(g->verdict_label, "nd-verdict");
	gtk_accessible_update_property(GTK_ACCESSIBLE(g->verdict_label),
				       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Verdict"), -1);
	ndg_set_a11y(g->verdict_label, _("Checking…"));
	gtk_box_append(GTK_BOX(head), g->verdict_icon);
	gtk_box_append(GTK_BOX(head), g->verdict_label);
	gtk_box_append(GTK_BOX(outer), head);

	g->cause_label = gtk_label_new("");
	gtk_label_set_wrap(GTK_LABEL(g->cause_label), TRUE);
	gtk_label_set_selectable(GTK_LABEL(g->cause_label), TRUE);
	gtk_label_set_xalign(GTK_LABEL(g->cause_label), 0);
	gtk_box_append(GTK_BOX(outer), g->cause_label);

	scroll = gtk_scrolled_window_new();
	gtk_widget_set_vexpand(scroll, TRUE);
	vbox = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
	g->steps_box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	g->layers_box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4);
	gtk_box_append(GTK_BOX(vbox), g->steps_box);
	gtk_box_append(GTK_BOX(vbox), gtk_separator_new(GTK_ORIENTATION_HORIZONTAL));
	gtk_box_append(GTK_BOX(vbox), g->layers_box);
	gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(scroll), vbox);
	ndg_set_a11y(scroll, _("Details"));
	gtk_box_append(GTK_BOX(outer), scroll);

	bar = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 8);
	g->btn_check = button(_("_Check again"), G_CALLBACK(on_check), g);
	g->btn_fix = button(_("_Fix…"), G_CALLBACK(on_fix), g);
	g->btn_save = button(_("_Save a report for IT…"), G_CALLBACK(on_save), g);
	g->btn_sign = button(_("_Test signature…"), G_CALLBACK(on_sign), g);
	g->busy = gtk_spinner_new();
	ndg_set_a11y(g->busy, _("Checking…"));
	g->status_label = gtk_label_new("");
	gtk_widget_set_hexpand(g->status_label, TRUE);
	gtk_label_set_xalign(GTK_LABEL(g->status_label), 1);
	gtk_box_append(GTK_BOX(bar), g->btn_check);
	gtk_box_append(GTK_BOX(bar), g->btn_fix);
	gtk_box_append(GTK_BOX(bar), g->btn_save);
	gtk_box_append(GTK_BOX(bar), g->btn_sign);
	gtk_box_append(GTK_BOX(bar), g->status_label);
	gtk_box_append(GTK_BOX(bar), g->busy);
	gtk_box_append(GTK_BOX(outer), bar);

	gtk_window_set_child(GTK_WINDOW(g->win), outer);
	gtk_widget_set_sensitive(g->btn_fix, FALSE);
	gtk_widget_set_sensitive(g->btn_save, FALSE);
	gtk_widget_set_sensitive(g->btn_sign, FALSE);
	gtk_window_present(GTK_WINDOW(g->win));
	/* not the selectable cause label, which would show a caret */
	gtk_widget_grab_focus(g->btn_check);

	ndg_run_check(g);
	watch_start(g);
}

/* SIGTERM (a session ending, a test) closes the window as a click would,
 * so that the children are ended too. */
static gboolean
on_term(gpointer data)
{
	g_application_quit(G_APPLICATION(data));
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	struct ndg g = { .bundle = -1 };
	const char *extra = getenv("NESDOCTOR_GTK_ARGS");
	GError *err = NULL;
	int rv;

	gtk_disable_setlocale();
	g.lang = i18n_init();
	g.nd = find_nesdoctor();
	if (extra && *extra && !g_shell_parse_argv(extra, NULL, &g.extra, &err)) {
		g_printerr("nesdoctor-gtk: NESDOCTOR_GTK_ARGS: %s\n", err->message);
		g_clear_error(&err);
		g_free(g.nd);
		return 64;
	}
	g.watch_cancel = g_cancellable_new();
	g.gapp = gtk_application_new("org.nesdoctor.Gtk", G_APPLICATION_NON_UNIQUE);
	g_signal_connect(g.gapp, "activate", G_CALLBACK(activate), &g);
	g_unix_signal_add(SIGTERM, on_term, g.gapp);
	rv = g_application_run(G_APPLICATION(g.gapp), argc, argv);

	/* the children must not outlive the window */
	g_cancellable_cancel(g.watch_cancel);
	if (g.watch)
		g_subprocess_force_exit(g.watch);
	if (g.check)
		g_subprocess_force_exit(g.check);
	if (g.debounce)
		g_source_remove(g.debounce);
	if (g.watch_retry)
		g_source_remove(g.watch_retry);
	if (g.check_guard)
		g_source_remove(g.check_guard);
	g_clear_object(&g.watch_in);
	g_clear_object(&g.watch);
	g_clear_object(&g.watch_cancel);
	g_object_unref(g.gapp);
	if (g.report)
		json_object_put(g.report);
	g_strfreev(g.extra);
	g_free(g.nd);
	return rv;
}
