/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>

#include "checks/checks.h"

/*
 * Every check, in causal order: a check comes after the checks it depends
 * on (deps[] name only earlier ids), and the first failure in this order is
 * the report's primary cause, so a cause lower in the stack is named before
 * its symptoms higher up. Commands pick the layers they evaluate; the order
 * stays this one. The order is part of the output (checks[] in the JSON,
 * the text report): append a new check where its cause puts it.
 */
const struct nd_check_def *const nd_checks[] = {
	/* USB first: without a reader on the bus, and a driver pcscd can load
	 * for it, nothing above can work, whatever else is wrong. */
	&nd_check_usb_device,
	&nd_check_usb_policy,      /* a device the policy does not allow gets no driver */
	&nd_check_usb_driver,
	&nd_check_usb_access,      /* needs the device and its driver */
	/* The system: which one it is, and pcscd, polkit, programs holding
	 * readers and sandboxes, which explain PC/SC failures below. */
	&nd_check_sys_os,
	&nd_check_sys_pcscd,
	&nd_check_sys_polkit,      /* polkit's rules only matter for pcscd */
	&nd_check_sys_holders,
	&nd_check_sys_sandbox,
	/* Around the card: the browsers' NSS databases and Java, for the
	 * programs that sign outside DYS; facts for them, never a failure. */
	&nd_check_sys_browser,
	&nd_check_sys_java,
	/* PC/SC: the daemon, then a reader, then a card in it, then which card. */
	&nd_check_pcsc_service,
	&nd_check_pcsc_reader,
	&nd_check_pcsc_card,
	&nd_check_pcsc_card_type,
	/* PKCS#11: the AKIS module loads, sees the token; then the PIN, the
	 * objects and the mechanisms on that token. */
	&nd_check_p11_module,
	&nd_check_p11_token,
	&nd_check_p11_pin,
	&nd_check_p11_objects,
	&nd_check_p11_mechanisms,
	/* The certificate the token's objects hold: which one DYS would use
	 * first, then its dates, holder and key, its chain, and last its
	 * revocation, which needs the chain's issuer. */
	&nd_check_cert_qualified,
	&nd_check_cert_validity,
	&nd_check_cert_holder,
	&nd_check_cert_key,
	&nd_check_cert_chain,
	&nd_check_cert_revocation,
	/* A real signature needs the PIN, the key and a mechanism (sign-test). */
	&nd_check_sign_test,
	/* The verdict reads every result above, so it comes last. */
	&nd_check_dys_ready,
	NULL,
};
