/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-layer inventory sections of the text report. */
#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"

void nd_render_text_pcsc(const struct nd_report *rep, FILE *out, bool color);
void nd_render_text_usb(const struct nd_report *rep, FILE *out, bool color);
void nd_render_text_sys(const struct nd_report *rep, FILE *out, bool color);
void nd_render_text_p11(const struct nd_report *rep, FILE *out, bool color);
void nd_render_text_cert(const struct nd_report *rep, FILE *out, bool color);

void
nd_render_text_inventory(const struct nd_report *rep, enum nd_layer layer, FILE *out, bool color)
{
	switch (layer) {
	case ND_LAYER_PCSC: nd_render_text_pcsc(rep, out, color); break;
	case ND_LAYER_USB: nd_render_text_usb(rep, out, color); break;
	case ND_LAYER_SYS: nd_render_text_sys(rep, out, color); break;
	case ND_LAYER_P11: nd_render_text_p11(rep, out, color); break;
	case ND_LAYER_CERT: nd_render_text_cert(rep, out, color); break;
	case ND_LAYER_SIGN:
	case ND_LAYER_DYS:
		break;
	}
}
