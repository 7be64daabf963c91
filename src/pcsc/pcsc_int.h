/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the collector and the watch (child side; talks to pcscd). */
#ifndef ND_PCSC_INT_H
#define ND_PCSC_INT_H

#include <PCSC/winscard.h>

/* The reader names as a multi-string (each name NUL-terminated, an empty
 * name at the end) in *list (malloc'ed), or NULL on any error, including
 * SCARD_E_NO_READERS_AVAILABLE. A reader that comes or goes between the
 * size query and the read is retried. */
LONG nd_pcsc_list_readers(SCARDCONTEXT ctx, char **list);

#endif
