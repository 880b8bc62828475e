/*
 * qr.c - a QR code as inline SVG: libqrencode makes the symbol; this file
 * only draws its dark modules as one path (a run of dark modules in a row
 * is one rectangle), with the four-module quiet zone the standard asks
 * for, so a phone camera reads it from the screen. No image file, no
 * script: the strict Content-Security-Policy holds.
 */
#include <qrencode.h>
#include <stdio.h>

#include "util/error.h"
#include "web/admin.h"
#include "web/html.h"

#define WEB_QR_QUIET	4	/* modules of white around the symbol */
#define WEB_QR_DARK	0x01	/* libqrencode: bit 0 of a module is its colour */

int
web_qr_svg(struct buf *out, const char *text, const char *label)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int x, y, run, size;

	if (qr == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "the QR code could not be made");
	size = qr->width + 2 * WEB_QR_QUIET;
	html_printf(out, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size,
	    size * 5, size * 5, label, size, size);
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x += run > 0 ? run : 1) {
			for (run = 0; x + run < qr->width &&
			    (qr->data[y * qr->width + x + run] & WEB_QR_DARK); run++)
				;
			if (run > 0)
				buf_printf(out, "M%d %dh%dv1h-%dz", x + WEB_QR_QUIET, y + WEB_QR_QUIET, run,
				    run);
		}
	buf_puts(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
