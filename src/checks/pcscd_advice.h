/* SPDX-License-Identifier: BSD-2-Clause */
/* The advice about pcscd itself, given by the sys checks and reused word for
 * word by the checks further from the cause (pcsc.service, usb.access), so
 * that two failing checks with one cause never say different things: in a
 * container without systemd, "systemctl enable" next to "start pcscd inside
 * the container" would be a contradiction. */
#ifndef ND_PCSCD_ADVICE_H
#define ND_PCSCD_ADVICE_H

#include "report/report.h"

/* What sys.pcscd tells the person to do to have pcscd started (installing,
 * unmasking, enabling the socket, starting it in a container), from
 * inventory.system; NULL when the system was not looked at or sys.pcscd
 * finds pcscd there. Translated; static storage. */
const char *nd_sys_pcscd_advice(const struct nd_report *rep);

/* How to restart pcscd (when it hangs or speaks another protocol version),
 * on this system: systemctl where systemd runs, never in a container
 * without it. Translated; static storage. */
const char *nd_sys_pcscd_restart(const struct nd_report *rep);

/* Whether pcscd's log is in the journal (systemd), for remedies that say
 * "journalctl -u pcscd": true also when the system was not looked at. */
bool nd_sys_has_journal(const struct nd_report *rep);

/* What sys.polkit tells the person when pcscd refused the session, or NULL
 * when polkit was not looked at. */
const char *nd_sys_polkit_advice(const struct nd_report *rep);

#endif
