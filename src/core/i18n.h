/* SPDX-License-Identifier: BSD-2-Clause */
/* Translations: every user-visible string goes through _() (gettext). */
#ifndef ND_I18N_H
#define ND_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Pick the language: `forced` ("tr" or "en", from --lang) wins, else the
 * locale (LC_ALL, LC_MESSAGES, LANG; tr_* means Turkish). Works even when
 * the tr_TR locale is not generated on the machine. Returns "tr" or "en",
 * or NULL when `forced` is not a language we have. */
const char *nd_i18n_init(const char *forced);
/* The language chosen by nd_i18n_init ("en" before it ran). */
const char *nd_i18n_lang(void);

#endif
