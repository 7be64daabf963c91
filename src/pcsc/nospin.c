/* SPDX-License-Identifier: BSD-2-Clause */
/* libpcsclite's busy wait, turned into a sleep.
 *
 * libpcsclite waits for pcscd's answer in MessageReceiveTimeout(): it polls
 * the socket for what is left of the caller's timeout, counted in whole
 * milliseconds, and gives up once more than that has passed. With a timeout
 * of 0 ms (SCardGetStatusChange(ctx, 0, ...): "has anything changed?", which
 * OpenSC asks of every reader on nearly every PKCS#11 call) that is
 * poll(fd, 1, 0) again and again, with a stat() of pcscd's socket in
 * between, until the clock has moved by a millisecond: 1-2 ms of CPU spent
 * spinning per call (pcsc-lite 1.9.9). On the rig that was more than half
 * of what the PKCS#11 probe cost (drivers-notes/pcsc.md).
 *
 * So the program has a poll() of its own, which the dynamic linker gives to
 * every library in the process. Called from libpcsclite with one descriptor
 * to read and 0 ms, it waits up to 1 ms instead. That changes nothing the
 * library can see: an answer that comes earlier ends the wait at once, as it
 * would have ended the spinning, and otherwise the library's own clock ends
 * the wait when the millisecond it was going to spin through has passed.
 * Every other call goes on unchanged to the poll() the program would have
 * called without this one (libc's, or a wrapper preloaded before it).
 *
 * Linked into the nesdoctor program itself (an object library, see
 * CMakeLists.txt): a definition in a static library would be linked only by
 * chance. */

/* the fortified <poll.h> defines poll() inline */
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <PCSC/winscard.h>

int poll(struct pollfd *fds, nfds_t nfds, int timeout);

/* libpcsclite's code, found once before main(): poll() then only compares
 * its caller's address, which is safe anywhere, even in a signal handler */
static uintptr_t pcsc_lo, pcsc_hi;
/* the poll() next in line (NULL: ppoll() does its work) */
static int (*next_poll)(struct pollfd *, nfds_t, int);

static int
find_code(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t want = (uintptr_t)arg;

	(void)size;
	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && want >= lo &&
		    want - lo < (uintptr_t)ph->p_memsz) {
			pcsc_lo = lo;
			pcsc_hi = lo + (uintptr_t)ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

__attribute__((constructor)) static void
find_pcsclite(void)
{
	dl_iterate_phdr(find_code, (void *)(uintptr_t)SCardEstablishContext);
	*(void **)&next_poll = dlsym(RTLD_NEXT, "poll");
}

/* <poll.h> declares poll()'s array write-only, so GCC takes what the caller
 * put in it for uninitialised */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
static bool
is_spin(const struct pollfd *fds, nfds_t nfds, int timeout, const void *caller)
{
	uintptr_t at = (uintptr_t)caller;

	return timeout == 0 && nfds == 1 && fds && fds[0].events == POLLIN &&
	       at >= pcsc_lo && at < pcsc_hi;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

int
poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct timespec ts, *tp = NULL;

	if (is_spin(fds, nfds, timeout, __builtin_return_address(0)))
		timeout = 1;
	if (next_poll)
		return next_poll(fds, nfds, timeout);
	if (timeout >= 0) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (long)(timeout % 1000) * 1000000L;
		tp = &ts;
	}
	return ppoll(fds, nfds, tp, NULL);
}
