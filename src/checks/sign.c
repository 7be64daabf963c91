/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the sign layer: sign.test judges inventory.sign_test, written
 * by nd_p11_sign_test() (nesdoctor sign-test only; never part of check). */
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/pcscd_advice.h"
#include "core/i18n.h"
#include "core/util.h"
#include "p11/p11.h"

#define KAMUSM_HELP N_("Kamu SM help line: 444 5 576.")
#define PIN_UNBLOCK N_("Unblock the PIN online with the card in the reader: www.kamusm.gov.tr → Online İşlemler → Nitelikli Elektronik Sertifika İşlemleri → Kilit Çözme (or e-Devlet → NES işlemleri → PIN oluşturma/kilit çözme).")

/* What the token's flags say after the login, in words. */
static const char *
after_words(const json_object *st)
{
	struct nd_token_flags f;

	nd_p11_flags(nd_jobj(st, ND_P11_K_FLAGS_AFTER), &f);
	if (!f.known)
		return _("the token did not say how many tries are left");
	if (f.user_pin_locked)
		return _("the PIN is now locked");
	if (f.user_pin_final_try)
		return _("one try is left: the next wrong PIN locks the card");
	if (f.user_pin_count_low)
		return _("fewer tries are left");
	return _("the token reports no lock");
}

/* sign.test when the PIN stopped it: locked, on its final try, not given
 * or not usable as given (no try was used), or wrong. */
static void
pin_failure(const json_object *st, enum nd_sign_reason reason, struct nd_result *r)
{
	const char *pin_source = nd_jstr(st, ND_P11_K_PIN_SOURCE);

	switch (reason) {
	case ND_SR_LOCKED:
	case ND_SR_PIN_LOCKED:
		nd_result_set(r, ND_FAIL, "%s", _("No signature: the PIN is locked"));
		nd_result_remedy(r, "%s\n%s", _(PIN_UNBLOCK), _(KAMUSM_HELP));
		break;
	case ND_SR_FINAL_TRY:
		nd_result_set(r, ND_FAIL, "%s", _("Not tried: the token is on its final PIN try, and a wrong PIN now would lock it"));
		nd_result_remedy(r, "%s", _("If you are sure of the PIN, run again with --force. If not, set a new PIN first (www.kamusm.gov.tr → Online İşlemler → Nitelikli Elektronik Sertifika İşlemleri)."));
		break;
	case ND_SR_NO_PIN:
		nd_result_set(r, ND_FAIL, "%s", _("Not tried: no PIN was given"));
		nd_result_remedy(r, "%s", _("Run it in a terminal to type the PIN, or pass it with --pin-fd N or the NESDOCTOR_PIN environment variable (never on the command line)."));
		break;
	case ND_SR_PIN_UNREADABLE:
		nd_result_set(r, ND_FAIL, _("Not tried: the PIN could not be read from %s: %s"),
		    pin_source && strcmp(pin_source, "fd") == 0 ? _("the descriptor given with --pin-fd") : _("the terminal"),
		    strerror((int)nd_jint(st, ND_P11_K_PIN_ERRNO, 0)));
		nd_result_remedy(r, "%s", _("Give --pin-fd a descriptor that is open for reading, for example: nesdoctor sign-test --pin-fd 3 3< FILE"));
		break;
	case ND_SR_PIN_TOO_LONG:
		nd_result_set(r, ND_FAIL, _("Not tried: the PIN given is longer than %d bytes (no try was used)"), ND_P11_PIN_MAX - 1);
		nd_result_remedy(r, "%s", _("Check what is given as the PIN: a smart card's PIN is a few digits, not a file or a pasted text."));
		break;
	case ND_SR_PIN_EMPTY:
		nd_result_set(r, ND_FAIL, "%s", _("Not tried: the PIN given is empty (no try was used)"));
		nd_result_remedy(r, "%s", _("Check what is given as the PIN (an empty line, an empty file or an empty NESDOCTOR_PIN) and give it again."));
		break;
	case ND_SR_PIN_HAS_NUL:
		nd_result_set(r, ND_FAIL, "%s", _("Not tried: the PIN given contains a NUL byte, which the token would cut it at (no try was used)"));
		nd_result_remedy(r, "%s", _("Check what is given as the PIN: a PIN is a few digits, ended by a newline at most."));
		break;
	case ND_SR_PIN_LENGTH:
		nd_result_set(r, ND_FAIL, "%s", _("Not tried: the PIN given has a length the token does not accept (no try was used)"));
		nd_result_remedy(r, "%s", _("Check the PIN and give it again."));
		break;
	case ND_SR_PIN_INCORRECT:
		nd_result_set(r, ND_FAIL, _("Wrong PIN; it was not tried again. The token says: %s"), after_words(st));
		nd_result_remedy(r, "%s", _("Find the right PIN before the next try (the one you set for the card, or the one in Kamu SM's PIN envelope). If it is lost, set a new one: www.kamusm.gov.tr → Online İşlemler → Nitelikli Elektronik Sertifika İşlemleri."));
		break;
	default:
		break;
	}
}

static void
eval_sign(const struct nd_report *rep, struct nd_result *r)
{
	json_object *st = nd_p11_sign_facts(rep->inventory);
	const char *status = nd_jstr(st, ND_P11_K_STATUS), *why = nd_jstr(st, ND_P11_K_REASON);
	const char *who = nd_jstr(st, ND_P11_K_SUBJECT_CN), *call = nd_jstr(st, ND_P11_K_FAILED_CALL);
	const char *rv = nd_jstr(st, ND_P11_K_RV), *login;

	if (!st || !status) {
		nd_result_set(r, ND_SKIP, "%s", _("the signing test was not run (nesdoctor sign-test runs it)"));
		r->undetermined = true;
		return;
	}
	if (!who)
		who = nd_jstr(st, ND_P11_K_CERTIFICATE_LABEL);
	if (!who)
		who = "?";
	if (!call)
		call = "?";
	if (!rv)
		rv = "?";
	if (nd_p11_sign_status(st) == ND_SIGN_VERIFIED) {
		nd_result_set(r, ND_PASS, _("The token signed a fresh test message with the key of %s (%s, %d bytes) and the signature verifies against the certificate"),
		    who, nd_jstr(st, ND_P11_K_MECHANISM) ? nd_jstr(st, ND_P11_K_MECHANISM) : "?",
		    (int)nd_jint(st, ND_P11_K_SIGNATURE_BYTES, 0));
		return;
	}
	switch (nd_p11_sign_reason(st)) {
	case ND_SR_LOCKED:
	case ND_SR_PIN_LOCKED:
	case ND_SR_FINAL_TRY:
	case ND_SR_NO_PIN:
	case ND_SR_PIN_UNREADABLE:
	case ND_SR_PIN_TOO_LONG:
	case ND_SR_PIN_EMPTY:
	case ND_SR_PIN_HAS_NUL:
	case ND_SR_PIN_LENGTH:
	case ND_SR_PIN_INCORRECT:
		pin_failure(st, nd_p11_sign_reason(st), r);
		break;
	case ND_SR_PIN_INVALID:
	case ND_SR_PIN_EXPIRED:
	case ND_SR_LOGIN_FAILED:
	case ND_SR_CONTEXT_LOGIN_FAILED:
		login = nd_jstr(st, ND_P11_K_CONTEXT_LOGIN) ? nd_jstr(st, ND_P11_K_CONTEXT_LOGIN) : nd_jstr(st, ND_P11_K_LOGIN);
		nd_result_set(r, ND_FAIL, _("The token refused the login (%s)"), login ? login : "?");
		nd_result_remedy(r, "%s", _(KAMUSM_HELP));
		break;
	case ND_SR_NO_TOKEN:
	case ND_SR_TOKEN_GONE:
		nd_result_set(r, ND_FAIL, "%s", _("No token to sign with"));
		nd_result_remedy(r, "%s", _("Insert the e-signature card and run again."));
		break;
	case ND_SR_NO_CERTIFICATE:
	case ND_SR_NO_CERTIFICATE_ID:
		nd_result_set(r, ND_FAIL, "%s", _("No certificate with a key to sign with"));
		nd_result_remedy(r, "%s", _(KAMUSM_HELP));
		break;
	case ND_SR_NO_KEY:
		nd_result_set(r, ND_FAIL, _("After the login there is no private key for the certificate of %s"), who);
		nd_result_remedy(r, "%s\n%s", _("The key that belongs to the certificate is missing from the card; the card has to be renewed."), _(KAMUSM_HELP));
		break;
	case ND_SR_NO_MECHANISM:
		nd_result_set(r, ND_FAIL, "%s", _("The token offers no signing method nesdoctor can check"));
		nd_result_remedy(r, "%s", _(KAMUSM_HELP));
		break;
	case ND_SR_VERIFY_FAILED:
		nd_result_set(r, ND_FAIL, "%s", _("The token made a signature, but it does not verify against the certificate: the key and the certificate do not belong together"));
		nd_result_remedy(r, "%s\n%s", _("The card has to be renewed."), _(KAMUSM_HELP));
		break;
	case ND_SR_TIMEOUT:
		nd_result_set(r, ND_FAIL, _("The library did not answer in %s and was stopped"), call);
		nd_result_remedy(r, _("Take the card out and put it back, restart pcscd (%s) and try again."),
		    nd_sys_pcscd_restart(rep));
		break;
	case ND_SR_CRASHED:
		nd_result_set(r, ND_FAIL, _("The library crashed (%s) in %s"),
		    nd_jstr(st, ND_P11_K_SIGNAL) ? nd_jstr(st, ND_P11_K_SIGNAL) : "?", call);
		nd_result_remedy(r, "%s", _("Reinstall AKİA from Kamu SM; if it still crashes, report it with this output."));
		break;
	case ND_SR_ABSENT:
	case ND_SR_OTHER:
		nd_result_set(r, ND_FAIL, _("The signing test failed (%s, %s in %s)"), why ? why : "?", rv, call);
		nd_result_remedy(r, "%s", _(KAMUSM_HELP));
		break;
	}
}

const struct nd_check_def nd_check_sign_test = { "sign.test", ND_LAYER_SIGN,
	{ "p11.pin", "p11.objects", "p11.mechanisms", NULL }, eval_sign };
