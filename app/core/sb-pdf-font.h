/* sb-pdf-font.h — a TrueType font embedded in a libharu document, fixed
 *
 * libharu 2.3 writes a Unicode font as Type0/Identity-H with BMP code points
 * as CIDs, a ToUnicode CMap poppler rejects, a /W array for the whole BMP,
 * spaces for every character above U+FFFF and a font program that keeps
 * every glyph id. This layer keeps libharu's font object but reads the font
 * with HarfBuzz (cmap, advances), gives every distinct character drawn its
 * own CID (1, 2, 3… in the order first drawn, so characters beyond U+FFFF
 * need no stand-ins), and just before the document is saved writes the
 * ToUnicode, CIDToGIDMap and /W for those CIDs and replaces the font
 * program with HarfBuzz's subset of the glyphs drawn (see docs/pdf.md and
 * shared/research/libharu.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <hpdf.h>

G_BEGIN_DECLS

typedef struct _SbPdfFont SbPdfFont;

SbPdfFont  *sb_pdf_font_open        (const char  *path,
                                     int          face_index,
                                     GError     **error);
void        sb_pdf_font_free        (SbPdfFont   *self);
const char *sb_pdf_font_get_path    (SbPdfFont   *self);
gboolean    sb_pdf_font_is_same     (SbPdfFont   *self,
                                     SbPdfFont   *other);
gboolean    sb_pdf_font_has_glyph   (SbPdfFont   *self,
                                     gunichar     c);
/* advance width in thousandths of the font size */
double      sb_pdf_font_advance     (SbPdfFont   *self,
                                     gunichar     c);
double      sb_pdf_font_ascent      (SbPdfFont   *self);
/* embeds the font in doc (once per document) */
gboolean    sb_pdf_font_attach      (SbPdfFont   *self,
                                     HPDF_Doc     doc,
                                     GError     **error);
/* draws chars at (x, y) (baseline, PDF points) with extra spacing after
 * each character; the page must have no text object open */
void        sb_pdf_font_show        (SbPdfFont      *self,
                                     HPDF_Page       page,
                                     double          x,
                                     double          y,
                                     double          size,
                                     double          char_space,
                                     const gunichar *chars,
                                     guint           n_chars);
/* rewrites libharu's font objects; call once, before HPDF_SaveToStream */
gboolean    sb_pdf_font_finish      (SbPdfFont   *self,
                                     GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbPdfFont, sb_pdf_font_free)

G_END_DECLS
