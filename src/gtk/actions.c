/* SPDX-License-Identifier: BSD-2-Clause */
/* The window's actions, each a nesdoctor child read asynchronously:
 *   Fix: `nesdoctor setup PARTS --json` (the plan, shown first), then
 *        `pkexec nesdoctor setup PARTS --apply` (polkit action
 *        org.nesdoctor.setup);
 *   Save a report for IT: `nesdoctor bundle -o FILE` when this nesdoctor
 *        has bundle (`nesdoctor help bundle` exits 0), else the last
 *        check's JSON document;
 *   Test signature: `nesdoctor sign-test --json --pin-fd 3`, the PIN
 *        written into a pipe (never argv, never the environment), under
 *        sign-test's rules: one try, refused when locked, the final try
 *        only after an explicit confirmation (--force), no PIN dialog for
 *        a PIN pad. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ndgtk.h"

struct job {
	struct ndg *g;
	char *title;
	char *path;
	char **parts;
};

static void
job_free(struct job *j)
{
	g_free(j->title);
	g_free(j->path);
	g_strfreev(j->parts);
	g_free(j);
}

static GSubprocess *
spawn(char **argv, GError **err)
{
	return g_subprocess_newv((const char *const *)argv,
				 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, err);
}

/* ---- Fix ---- */

static char *
plan_text(json_object *doc)
{
	GString *s = g_string_new("");
	json_object *plan;

	if (doc && json_object_object_get_ex(doc, "plan", &plan) && json_object_is_type(plan, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(plan); i++) {
			json_object *st = json_object_array_get_idx(plan, i);
			const char *what = ndg_str(st, "command") ? ndg_str(st, "command") : ndg_str(st, "path");
			g_string_append_printf(s, "%zu. [%s] %s %s — %s\n", i + 1, ndg_str(st, "part"),
					       ndg_str(st, "action"), what ? what : "", ndg_str(st, "state"));
			if (ndg_str(st, "reason"))
				g_string_append_printf(s, "    %s\n", ndg_str(st, "reason"));
		}
	}
	if (s->len == 0)
		g_string_append(s, _("Nothing to do."));
	return g_string_free(s, FALSE);
}

static void
applied(GObject *src, GAsyncResult *res, gpointer data)
{
	struct job *j = data;
	char *out = NULL;
	GError *err = NULL;
	int rc = -1;

	if (g_subprocess_communicate_utf8_finish(G_SUBPROCESS(src), res, &out, NULL, &err))
		rc = g_subprocess_get_if_exited(G_SUBPROCESS(src)) ? g_subprocess_get_exit_status(G_SUBPROCESS(src)) : -1;
	/* pkexec: 126 the person dismissed the password dialog, 127 not authorised */
	if (rc == 0)
		ndg_message(j->g, _("The fixes were applied."), out ? out : "");
	else if (rc == 126 || rc == 127)
		ndg_message(j->g, _("The fixes were not applied."), _("The administrator's permission was not given."));
	else
		ndg_message(j->g, _("Some fixes were not applied."), err ? err->message : (out ? out : ""));
	g_clear_error(&err);
	g_free(out);
	g_object_unref(src);
	ndg_run_check(j->g);
	job_free(j);
}

static void
plan_answered(GtkDialog *d, int response, gpointer data)
{
	struct job *j = data;
	GPtrArray *a;
	GSubprocess *p;
	GError *err = NULL;
	char **argv;

	gtk_window_destroy(GTK_WINDOW(d));
	if (response != GTK_RESPONSE_ACCEPT) {
		job_free(j);
		return;
	}
	/* pkexec runs the one nesdoctor the polkit action names */
	a = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(a, g_strdup("pkexec"));
	{
		char **nd = ndg_argv(j->g, "setup", (const char *const *)j->parts);
		for (char **x = nd; *x; x++)
			g_ptr_array_add(a, g_strdup(*x));
		g_strfreev(nd);
	}
	g_ptr_array_add(a, g_strdup("--apply"));
	g_ptr_array_add(a, NULL);
	argv = (char **)a->pdata;
	p = spawn(argv, &err);
	g_ptr_array_free(a, TRUE);
	if (!p) {
		ndg_message(j->g, _("The fixes were not applied."), err->message);
		g_clear_error(&err);
		job_free(j);
		return;
	}
	g_subprocess_communicate_utf8_async(p, NULL, NULL, applied, j);
}

static void
planned(GObject *src, GAsyncResult *res, gpointer data)
{
	struct job *j = data;
	char *out = NULL, *text, *parts, *head;
	json_object *doc;
	GtkWidget *d;

	g_subprocess_communicate_utf8_finish(G_SUBPROCESS(src), res, &out, NULL, NULL);
	g_object_unref(src);
	doc = out ? json_tokener_parse(out) : NULL;
	text = plan_text(doc);
	parts = g_strjoinv(" ", j->parts);
	head = g_strdup_printf(_("Fix: nesdoctor setup %s"), parts);
	d = gtk_message_dialog_new(GTK_WINDOW(j->g->win), GTK_DIALOG_MODAL, GTK_MESSAGE_QUESTION,
				   GTK_BUTTONS_NONE, "%s", head);
	gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d), "%s\n\n%s", text,
						 _("The administrator's password will be asked for."));
	ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("_Cancel"), GTK_RESPONSE_CANCEL), _("Cancel"));
	ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("_Apply"), GTK_RESPONSE_ACCEPT), _("Apply"));
	ndg_set_a11y(d, head);
	g_signal_connect(d, "response", G_CALLBACK(plan_answered), j);
	gtk_window_present(GTK_WINDOW(d));
	if (doc)
		json_object_put(doc);
	g_free(out);
	g_free(text);
	g_free(parts);
	g_free(head);
}

void
ndg_fix(struct ndg *g)
{
	static char json_opt[] = "--json";
	struct job *j;
	char **argv, **args;
	GSubprocess *p;
	GError *err = NULL;
	GPtrArray *a;

	j = g_new0(struct job, 1);
	j->g = g;
	j->parts = ndg_fix_parts(g->report);
	if (!j->parts) {
		job_free(j);
		return;
	}
	a = g_ptr_array_new();
	for (char **x = j->parts; *x; x++)
		g_ptr_array_add(a, *x);
	g_ptr_array_add(a, json_opt);
	g_ptr_array_add(a, NULL);
	args = (char **)a->pdata;
	argv = ndg_argv(g, "setup", (const char *const *)args);
	g_ptr_array_free(a, TRUE);
	p = spawn(argv, &err);
	g_strfreev(argv);
	if (!p) {
		ndg_message(g, _("nesdoctor could not be run."), err->message);
		g_clear_error(&err);
		job_free(j);
		return;
	}
	g_subprocess_communicate_utf8_async(p, NULL, NULL, planned, j);
}

/* ---- Save a report for IT ---- */

static void
bundled(GObject *src, GAsyncResult *res, gpointer data)
{
	struct job *j = data;
	char *out = NULL;
	int rc = -1;

	if (g_subprocess_communicate_utf8_finish(G_SUBPROCESS(src), res, &out, NULL, NULL) &&
	    g_subprocess_get_if_exited(G_SUBPROCESS(src)))
		rc = g_subprocess_get_exit_status(G_SUBPROCESS(src));
	/* bundle exits with the check's code (0 to 3) when it wrote the file */
	if (rc >= 0 && rc <= 3)
		ndg_message(j->g, _("The report was saved."), j->path);
	else
		ndg_message(j->g, _("The report could not be saved."), out ? out : j->path);
	g_free(out);
	g_object_unref(src);
	job_free(j);
}

static void
save_to(struct ndg *g, const char *path)
{
	if (g->bundle == 1) {
		const char *args[] = { "-o", path, NULL };
		char **argv = ndg_argv(g, "bundle", args);
		GError *err = NULL;
		GSubprocess *p = spawn(argv, &err);
		struct job *j;

		g_strfreev(argv);
		if (!p) {
			ndg_message(g, _("The report could not be saved."), err->message);
			g_clear_error(&err);
			return;
		}
		j = g_new0(struct job, 1);
		j->g = g;
		j->path = g_strdup(path);
		g_subprocess_communicate_utf8_async(p, NULL, NULL, bundled, j);
		return;
	}
	if (g->report && json_object_to_file_ext(path, g->report, JSON_C_TO_STRING_PRETTY) == 0)
		ndg_message(g, _("The report was saved."), path);
	else
		ndg_message(g, _("The report could not be saved."), path);
}

static void
chosen(GtkNativeDialog *d, int response, gpointer data)
{
	struct ndg *g = data;

	if (response == GTK_RESPONSE_ACCEPT) {
		GFile *f = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(d));
		char *path = f ? g_file_get_path(f) : NULL;
		if (path)
			save_to(g, path);
		g_free(path);
		if (f)
			g_object_unref(f);
	}
	gtk_native_dialog_destroy(d);
	g_object_unref(d);
}

/* GtkFileDialog is GTK 4.10; Debian 12 has 4.8: the native chooser. */
static void
ask_file(struct ndg *g)
{
	GtkFileChooserNative *d = gtk_file_chooser_native_new(_("Save a report for IT"), GTK_WINDOW(g->win),
							      GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(d),
					  g->bundle == 1 ? "nesdoctor-report.tar.gz" : "nesdoctor-report.json");
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(d), TRUE);
	g_signal_connect(d, "response", G_CALLBACK(chosen), g);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(d));
}

static void
help_answered(GObject *src, GAsyncResult *res, gpointer data)
{
	struct ndg *g = data;

	g->bundle = g_subprocess_wait_finish(G_SUBPROCESS(src), res, NULL) &&
		    g_subprocess_get_if_exited(G_SUBPROCESS(src)) &&
		    g_subprocess_get_exit_status(G_SUBPROCESS(src)) == 0;
	g_object_unref(src);
	ask_file(g);
}

void
ndg_save(struct ndg *g)
{
	static const char *const args[] = { "bundle", NULL };
	char **argv;
	GSubprocess *p;

	if (g->bundle >= 0) {
		ask_file(g);
		return;
	}
	argv = ndg_argv(g, "help", args);
	p = g_subprocess_newv((const char *const *)argv,
			      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
	g_strfreev(argv);
	if (!p) {
		g->bundle = 0;
		ask_file(g);
		return;
	}
	g_subprocess_wait_async(p, NULL, help_answered, g);
}

/* ---- Test signature ---- */

static void
signed_done(GObject *src, GAsyncResult *res, gpointer data)
{
	struct job *j = data;
	char *out = NULL;
	json_object *doc = NULL, *st = NULL, *inv;
	const char *status = NULL, *msg = NULL;

	if (g_subprocess_communicate_utf8_finish(G_SUBPROCESS(src), res, &out, NULL, NULL) && out)
		doc = json_tokener_parse(out);
	if (doc && json_object_object_get_ex(doc, "inventory", &inv))
		json_object_object_get_ex(inv, "sign_test", &st);
	status = ndg_str(st, "status");
	msg = ndg_str(ndg_check(doc, "sign.test"), "message");
	if (status && strcmp(status, "verified") == 0)
		ndg_message(j->g, _("The test signature was made and verified."), msg ? msg : "");
	else
		ndg_message(j->g, _("The test signature did not work."), msg ? msg : _("nesdoctor gave no report (it may have been stopped)."));
	if (doc)
		json_object_put(doc);
	g_free(out);
	g_object_unref(src);
	ndg_run_check(j->g);
	job_free(j);
}

/* Run sign-test; pin NULL for a PIN pad. The PIN goes into a pipe whose
 * reading end is the child's fd 3, with a newline as sign-test reads a
 * line; our copy is wiped by the caller. */
static void
run_sign(struct ndg *g, const char *pin, gboolean force)
{
	const char *args[6] = { "--json" };
	size_t n = 1;
	int fds[2] = { -1, -1 };
	GSubprocessLauncher *l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
							   G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	GSubprocess *p = NULL;
	GError *err = NULL;
	char **argv;
	struct job *j;

	if (pin) {
		size_t len = strlen(pin);
		if (pipe2(fds, O_CLOEXEC) != 0 ||
		    write(fds[1], pin, len) != (ssize_t)len || write(fds[1], "\n", 1) != 1) {
			ndg_message(g, _("The test signature did not work."), g_strerror(errno));
			goto fail;
		}
		close(fds[1]);
		fds[1] = -1;
		g_subprocess_launcher_take_fd(l, fds[0], 3);
		fds[0] = -1;
		args[n++] = "--pin-fd";
		args[n++] = "3";
	}
	if (force)
		args[n++] = "--force";
	args[n] = NULL;
	argv = ndg_argv(g, "sign-test", args);
	p = g_subprocess_launcher_spawnv(l, (const char *const *)argv, &err);
	g_strfreev(argv);
	if (!p) {
		ndg_message(g, _("nesdoctor could not be run."), err->message);
		g_clear_error(&err);
		goto fail;
	}
	j = g_new0(struct job, 1);
	j->g = g;
	g_subprocess_communicate_utf8_async(p, NULL, NULL, signed_done, j);
fail:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	g_object_unref(l);
}

struct pin_dialog {
	struct ndg *g;
	GtkWidget *entry;
	gboolean force;
};

static void
pin_answered(GtkDialog *d, int response, gpointer data)
{
	struct pin_dialog *pd = data;

	if (response == GTK_RESPONSE_ACCEPT) {
		/* Our copy is wiped after it is written into the pipe. The
		 * entry's own buffer belongs to GTK (GtkPasswordEntryBuffer keeps
		 * it in non-pageable memory and clears it when freed); we empty
		 * it at once, which is all GTK lets us do. */
		char *pin = g_strdup(gtk_editable_get_text(GTK_EDITABLE(pd->entry)));
		gtk_editable_set_text(GTK_EDITABLE(pd->entry), "");
		if (*pin)
			run_sign(pd->g, pin, pd->force);
		explicit_bzero(pin, strlen(pin));
		g_free(pin);
	}
	gtk_window_destroy(GTK_WINDOW(d));
	g_free(pd);
}

static void
pin_activate(GtkWidget *e, gpointer data)
{
	(void)e;
	gtk_dialog_response(GTK_DIALOG(data), GTK_RESPONSE_ACCEPT);
}

static void
ask_pin(struct ndg *g, gboolean force)
{
	struct pin_dialog *pd = g_new0(struct pin_dialog, 1);
	GtkWidget *d = gtk_dialog_new_with_buttons(_("Test signature"), GTK_WINDOW(g->win),
						   GTK_DIALOG_MODAL | GTK_DIALOG_USE_HEADER_BAR, NULL, NULL);
	GtkWidget *box = gtk_dialog_get_content_area(GTK_DIALOG(d));
	GtkWidget *lab = gtk_label_new(_("Enter the PIN of your e-signature device. It is tried once: a wrong PIN is never retried."));

	pd->g = g;
	pd->force = force;
	gtk_label_set_wrap(GTK_LABEL(lab), TRUE);
	gtk_widget_set_margin_start(box, 12);
	gtk_widget_set_margin_end(box, 12);
	gtk_widget_set_margin_top(box, 12);
	gtk_widget_set_margin_bottom(box, 12);
	gtk_box_set_spacing(GTK_BOX(box), 8);
	pd->entry = gtk_password_entry_new();
	gtk_password_entry_set_show_peek_icon(GTK_PASSWORD_ENTRY(pd->entry), FALSE);
	ndg_set_a11y(pd->entry, _("PIN"));
	g_signal_connect(pd->entry, "activate", G_CALLBACK(pin_activate), d);
	gtk_box_append(GTK_BOX(box), lab);
	gtk_box_append(GTK_BOX(box), pd->entry);
	ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("_Cancel"), GTK_RESPONSE_CANCEL), _("Cancel"));
	ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("_Sign"), GTK_RESPONSE_ACCEPT), _("Sign"));
	gtk_dialog_set_default_response(GTK_DIALOG(d), GTK_RESPONSE_ACCEPT);
	ndg_set_a11y(d, _("Test signature"));
	g_signal_connect(d, "response", G_CALLBACK(pin_answered), pd);
	gtk_window_present(GTK_WINDOW(d));
}

static void
final_answered(GtkDialog *d, int response, gpointer data)
{
	struct ndg *g = data;

	gtk_window_destroy(GTK_WINDOW(d));
	if (response != GTK_RESPONSE_ACCEPT)
		return;
	if (ndg_token_flag(ndg_sign_token(g->report), "protected_authentication_path"))
		run_sign(g, NULL, TRUE);
	else
		ask_pin(g, TRUE);
}

static void
pinpad_answered(GtkDialog *d, int response, gpointer data)
{
	gtk_window_destroy(GTK_WINDOW(d));
	if (response == GTK_RESPONSE_ACCEPT)
		run_sign(data, NULL, FALSE);
}

void
ndg_sign(struct ndg *g)
{
	json_object *tok = ndg_sign_token(g->report);
	GtkWidget *d;

	if (!tok)
		return;
	if (ndg_token_flag(tok, "user_pin_locked")) {
		ndg_message(g, _("The PIN is locked."),
			    _("No signature can be made until it is unblocked: call Kamu SM on 444 5 576."));
		return;
	}
	if (ndg_token_flag(tok, "user_pin_final_try")) {
		d = gtk_message_dialog_new(GTK_WINDOW(g->win), GTK_DIALOG_MODAL, GTK_MESSAGE_WARNING,
					   GTK_BUTTONS_NONE, "%s", _("This is the last try before the PIN is locked."));
		gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d), "%s",
			_("If the PIN is wrong, the device will be locked. Try only if you are sure of the PIN."));
		ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("_Cancel"), GTK_RESPONSE_CANCEL), _("Cancel"));
		ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("I am sure, _try"), GTK_RESPONSE_ACCEPT),
			     _("I am sure, try"));
		ndg_set_a11y(d, _("This is the last try before the PIN is locked."));
		g_signal_connect(d, "response", G_CALLBACK(final_answered), g);
		gtk_window_present(GTK_WINDOW(d));
		return;
	}
	if (ndg_token_flag(tok, "protected_authentication_path")) {
		d = gtk_message_dialog_new(GTK_WINDOW(g->win), GTK_DIALOG_MODAL, GTK_MESSAGE_QUESTION,
					   GTK_BUTTONS_NONE, "%s", _("Test signature"));
		gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d), "%s",
			_("Your device has a PIN pad: enter the PIN on the device when it asks."));
		ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("_Cancel"), GTK_RESPONSE_CANCEL), _("Cancel"));
		ndg_set_a11y(gtk_dialog_add_button(GTK_DIALOG(d), _("_Sign"), GTK_RESPONSE_ACCEPT), _("Sign"));
		ndg_set_a11y(d, _("Test signature"));
		g_signal_connect(d, "response", G_CALLBACK(pinpad_answered), g);
		gtk_window_present(GTK_WINDOW(d));
		return;
	}
	ask_pin(g, FALSE);
}
