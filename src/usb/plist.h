/* SPDX-License-Identifier: BSD-2-Clause */
/* Installed IFD driver bundles: pcscd's drivers folder
 * (/usr/lib/pcsc/drivers/<name>.bundle/Contents/Info.plist). pcscd picks a
 * driver for a USB reader by the ids a bundle's Info.plist lists; the bundle
 * named CCIDCLASSDRIVER (libccid) is the fallback when another bundle lists
 * the same id but fails. pcscd on Linux never picks a driver by interface
 * class: an unlisted CCID-class device gets no driver (checked against
 * pcscd 1.9.9 + libccid 1.5.2 in tests/usb/usb_pcsc.sh). */
#ifndef ND_USB_PLIST_H
#define ND_USB_PLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define ND_PLIST_MAX_SIZE (4u << 20)   /* Info.plist files are ~60 KiB */
#define ND_PLIST_MAX_VALUES 8192       /* per array; libccid has ~560 */
#define ND_PLIST_MAX_STRING 1024

struct nd_ifd_id {
	uint16_t vid, pid;
	char *name;           /* ifdFriendlyName: pcscd's reader name prefix */
};

struct nd_ifd_bundle {
	char *dir;            /* folder name, "ifd-ccid.bundle" */
	char *cf_name;        /* CFBundleName ("CCIDCLASSDRIVER" for libccid) */
	char *executable;     /* CFBundleExecutable */
	char *version;        /* CFBundleShortVersionString */
	struct nd_ifd_id *ids;
	size_t n_ids;
	nd_err err;           /* ND_OK, or why pcscd would not use it fully */
	char *error;          /* the same for people (untranslated detail) */
};

/* Parse the XML subset Info.plist files use: a top-level <dict> of <key>s
 * with <string> or <array> of <string> values (other values are skipped).
 * Fills b (b->dir untouched). Returns ND_ERR_PARSE for broken XML,
 * ND_ERR_NOT_FOUND when the id arrays are missing, ND_ERR_PROTOCOL when
 * they differ in length or hold a bad id (pcscd 1.9.9 then stops reading
 * the drivers folder). b->ids holds what could be read in every case. */
nd_err nd_plist_parse(const char *text, size_t len, struct nd_ifd_bundle *b);
void nd_ifd_bundle_clear(struct nd_ifd_bundle *b);
bool nd_ifd_is_class_driver(const struct nd_ifd_bundle *b);

struct nd_ifd_set {
	char *dir;
	struct nd_ifd_bundle *b;
	size_t n;
	nd_err err;           /* the folder itself could not be read */
};

/* The drivers folder: $NESDOCTOR_PCSC_DRIVERS, else /usr/lib/pcsc/drivers. */
const char *nd_ifd_dir(void);
/* Read every *.bundle in dir, in name order (bounded: at most 64 bundles). */
nd_err nd_ifd_load(const char *dir, struct nd_ifd_set *set);
void nd_ifd_set_reset(struct nd_ifd_set *set);

/* The Debian package a bundle comes from, by folder name, or NULL. */
const char *nd_ifd_package(const char *bundle_dir);

struct nd_ifd_claim {
	const struct nd_ifd_bundle *b;
	const char *friendly;  /* the listed name */
};
/* Bundles that list vid:pid, at most max. */
size_t nd_ifd_claims(const struct nd_ifd_set *set, uint16_t vid, uint16_t pid,
                     struct nd_ifd_claim *out, size_t max);
/* What pcscd would load for vid:pid: a listing bundle that is not the class
 * driver, else the class driver if it lists it, else NULL. `ambiguous` is
 * set when two specific bundles list it (pcscd takes whichever it read
 * last, in folder order). */
const struct nd_ifd_claim *nd_ifd_pick(const struct nd_ifd_claim *c, size_t n, bool *ambiguous);
/* The installed class driver bundle, or NULL. */
const struct nd_ifd_bundle *nd_ifd_class_driver(const struct nd_ifd_set *set);

#endif
