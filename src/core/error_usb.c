/* SPDX-License-Identifier: BSD-2-Clause */
/* libusb-1.0 return codes -> nd_err, and their names for the report. */
#include <stdio.h>

#include <libusb-1.0/libusb.h>

#include "core/error.h"

nd_err
nd_err_from_libusb(int rv)
{
	switch (rv) {
	case LIBUSB_SUCCESS: return ND_OK;
	case LIBUSB_ERROR_IO: return ND_ERR_IO;
	case LIBUSB_ERROR_INVALID_PARAM: return ND_ERR_ARG;
	case LIBUSB_ERROR_ACCESS: return ND_ERR_ACCESS;
	case LIBUSB_ERROR_NO_DEVICE: return ND_ERR_NOT_FOUND;   /* unplugged meanwhile */
	case LIBUSB_ERROR_NOT_FOUND: return ND_ERR_NOT_FOUND;
	case LIBUSB_ERROR_BUSY: return ND_ERR_SHARING;          /* claimed by another program */
	case LIBUSB_ERROR_TIMEOUT: return ND_ERR_TIMEOUT;
	case LIBUSB_ERROR_OVERFLOW: return ND_ERR_PROTOCOL;
	case LIBUSB_ERROR_PIPE: return ND_ERR_PROTOCOL;          /* the device stalled the request */
	case LIBUSB_ERROR_INTERRUPTED: return ND_ERR_IO;
	case LIBUSB_ERROR_NO_MEM: return ND_ERR_NOMEM;
	case LIBUSB_ERROR_NOT_SUPPORTED: return ND_ERR_UNSUPPORTED;
	}
	return rv > 0 ? ND_OK : ND_ERR_INTERNAL;   /* > 0: a byte count */
}

const char *
nd_libusb_name(int rv)
{
	static char buf[32];

	switch (rv) {
	case LIBUSB_SUCCESS: return "LIBUSB_SUCCESS";
	case LIBUSB_ERROR_IO: return "LIBUSB_ERROR_IO";
	case LIBUSB_ERROR_INVALID_PARAM: return "LIBUSB_ERROR_INVALID_PARAM";
	case LIBUSB_ERROR_ACCESS: return "LIBUSB_ERROR_ACCESS";
	case LIBUSB_ERROR_NO_DEVICE: return "LIBUSB_ERROR_NO_DEVICE";
	case LIBUSB_ERROR_NOT_FOUND: return "LIBUSB_ERROR_NOT_FOUND";
	case LIBUSB_ERROR_BUSY: return "LIBUSB_ERROR_BUSY";
	case LIBUSB_ERROR_TIMEOUT: return "LIBUSB_ERROR_TIMEOUT";
	case LIBUSB_ERROR_OVERFLOW: return "LIBUSB_ERROR_OVERFLOW";
	case LIBUSB_ERROR_PIPE: return "LIBUSB_ERROR_PIPE";
	case LIBUSB_ERROR_INTERRUPTED: return "LIBUSB_ERROR_INTERRUPTED";
	case LIBUSB_ERROR_NO_MEM: return "LIBUSB_ERROR_NO_MEM";
	case LIBUSB_ERROR_NOT_SUPPORTED: return "LIBUSB_ERROR_NOT_SUPPORTED";
	case LIBUSB_ERROR_OTHER: return "LIBUSB_ERROR_OTHER";
	}
	/* own buffer rather than libusb_error_name(): the same text for
	 * every libusb version, and the hex form the other layers use */
	snprintf(buf, sizeof buf, "LIBUSB_0x%X", (unsigned)rv);
	return buf;
}
