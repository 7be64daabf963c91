/* SPDX-License-Identifier: BSD-2-Clause */
/* The sys collector: gathers facts into the report's inventory, nothing else. */
#ifndef ND_SYS_H
#define ND_SYS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/error.h"
#include "report/report.h"

/* Add this layer's facts to rep->inventory. Bounded by rep->opts->timeout_s.
 * Errors are facts too: they go into the inventory, and the return value
 * only says whether collecting itself could run.
 *
 * inventory.system: os (from os-release), kernel, pcscd (installed, version,
 * running, user, socket, systemd units), polkit, session (user, ssh,
 * logind), container, sandbox (snap, flatpak), holders (programs known to
 * hold readers: GnuPG's scdaemon), usb_holders (processes with a USB device
 * node open), gnupg (scdaemon.conf options). Nothing here needs root: what
 * cannot be seen without it is reported as unknown. */
nd_err nd_sys_collect(struct nd_report *rep);

/* Pure parsers, for the collector and the tests. Each reads the bytes
 * through a bounded cursor (the _n forms: p, n), and the text ends at the
 * first NUL as a C string would; the C-string forms are the same parsers.
 * fuzz_sys_parse runs every one of them. */
/* os-release text -> {"id", "name", "version_id", "pretty_name", "id_like",
 * "codename", "family"}; family is "debian" for Debian, Ubuntu, Pardus and
 * their kin. */
json_object *nd_sys_parse_os_release(const char *text);
json_object *nd_sys_parse_os_release_n(const void *p, size_t n);
/* "pcsc-lite version 1.9.9." -> "1.9.9"; false when not found. */
bool nd_sys_parse_pcscd_version(const char *out, char *ver, size_t versz);
bool nd_sys_parse_pcscd_version_n(const void *p, size_t n, char *ver, size_t versz);
/* pcscd's version from the bytes of its program file: the message every
 * pcsc-lite logs at start, "pcsc-lite 1.9.9 daemon ready.", holds the
 * same VERSION that --version prints */
bool nd_sys_parse_pcscd_binary(const void *p, size_t n, char *ver, size_t versz);
/* The effective uid from /proc/PID/status text, -1 when absent. */
long nd_sys_parse_status_uid(const char *status);
long nd_sys_parse_status_uid_n(const void *p, size_t n);
/* scdaemon.conf: are pcsc-shared and disable-ccid set? */
void nd_sys_parse_scdaemon_conf(const char *text, bool *pcsc_shared, bool *disable_ccid);
void nd_sys_parse_scdaemon_conf_n(const void *p, size_t n, bool *pcsc_shared, bool *disable_ccid);
/* A container runtime named in /proc/1/cgroup text, or NULL. */
const char *nd_sys_parse_cgroup(const char *text);
const char *nd_sys_parse_cgroup_n(const void *p, size_t n);
/* `systemctl show --property=Id,LoadState,UnitFileState,ActiveState U...`
 * -> [{"enabled", "active"}], one per unit of `units`, in that order: what
 * `systemctl is-enabled` and `is-active` print. Each block of the output
 * goes to the unit its Id= names (the first block for a unit counts); a
 * value counts only as a unit name or state word ([a-z0-9-_.@], 1 to 63
 * bytes); with no UnitFileState a unit is "masked" when its LoadState is,
 * and what the text does not say is `none` ("unknown"; the collector gives
 * "timeout" and no text when systemctl was stopped). */
json_object *nd_sys_parse_units_n(const void *p, size_t n, const char *const *units, size_t nunits,
    const char *none);
/* `loginctl show-session ID -p Remote -p Active -p Type -p Class`: sets in
 * o what the text says, "remote" and "active" (true for "yes"), and
 * "logind_type", "logind_class" (the value as printed, cut to 64 bytes);
 * keys it does not name are left as they are. */
void nd_sys_parse_session_n(const void *p, size_t n, json_object *o);
/* Browsers (browser.c): profiles.ini -> [{"name", "path", "relative",
 * "default"}]; an NSS pkcs11.txt -> [{"library", "name"}] (the internal
 * module, with an empty library=, left out). fuzz_sys_browser runs both. */
json_object *nd_sys_parse_profiles_ini_n(const void *p, size_t n);
json_object *nd_sys_parse_pkcs11_txt_n(const void *p, size_t n);
/* inventory.system.browsers: {"home", "sudo_user", "firefox": [{"install"
 * ("deb", "snap", "flatpak"), "name", "path", "default", "exists",
 * "locked", "pkcs11_txt", "readable", "modules", "akis",
 * "p11_kit_proxy"}], "nssdb": {"path", "exists", ...the same}}. HOME, or
 * SUDO_USER's home when run as root through sudo. */
json_object *nd_sys_browser_facts(void);
/* Java (java.c): `java -version`'s banner -> {"version", "vendor",
 * "runtime", "vm", "vm_bits"}, NULL when there is no version line. */
json_object *nd_sys_parse_java_version_n(const void *p, size_t n);
/* A JVM's `release` file: {version, implementor, runtime_version}, or NULL
 * when it names no JAVA_VERSION. */
json_object *nd_sys_parse_java_release_n(const void *p, size_t n);
/* inventory.system.java: {"on_path": {"path", "real_path", "elf": {"bits",
 * "machine"}, "ran", "timed_out", "version", "vendor", "runtime", "vm",
 * "vm_bits"} or null, "installed": [{"path", "elf"}] (NESDOCTOR_JVM_DIR,
 * default /usr/lib/jvm)}. */
json_object *nd_sys_java_facts(const struct nd_report *rep);
/* Compare dotted versions ("1.9.9" < "2.4.0"): <0, 0, >0. */
int nd_sys_version_cmp(const char *a, const char *b);

#endif
