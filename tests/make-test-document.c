/* make-test-document.c — writes the PDFs and Word documents the blind-review
 * tests read, with real libraries: cairo's PDF surface (text with a real
 * text layer, or text drawn into an image for a scan without one) and
 * libarchive (a .docx is a zip with word/document.xml). Encrypted PDFs are
 * made from these with qpdf.
 *
 *   make-test-document pdf OUT PAGE…        one page per argument
 *   make-test-document image-pdf OUT TEXT   a page that is only an image
 *   make-test-document docx OUT PARAGRAPH…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <string.h>

#define FONT "WenQuanYi Zen Hei"

static void
draw_text (cairo_t    *cr,
           const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  cairo_select_font_face (cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 14);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      cairo_move_to (cr, 60, 80 + 24 * i);
      cairo_show_text (cr, lines[i]);
    }
}

static int
write_pdf (const char  *out,
           char       **pages,
           int          n)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (out, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (int i = 0; i < n; i++)
    {
      draw_text (cr, pages[i]);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_printerr ("%s: %s\n", out, cairo_status_to_string (cairo_surface_status (surface)));
      return 1;
    }
  cairo_surface_destroy (surface);
  return 0;
}

/* The text is rendered into pixels first: the PDF holds only an image. */
static int
write_image_pdf (const char *out,
                 const char *text)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 595, 842);
  cairo_t *icr = cairo_create (image);
  cairo_surface_t *surface;
  cairo_t *cr;

  cairo_set_source_rgb (icr, 1, 1, 1);
  cairo_paint (icr);
  draw_text (icr, text);
  cairo_destroy (icr);

  surface = cairo_pdf_surface_create (out, 595, 842);
  cr = cairo_create (surface);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_paint (cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  cairo_surface_destroy (image);
  return 0;
}

static void
add_entry (struct archive *zip,
           const char     *name,
           const char     *data)
{
  struct archive_entry *entry = archive_entry_new ();
  size_t length = strlen (data);

  archive_entry_set_pathname (entry, name);
  archive_entry_set_size (entry, length);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_write_header (zip, entry);
  archive_write_data (zip, data, length);
  archive_entry_free (entry);
}

static int
write_docx (const char  *out,
            char       **paragraphs,
            int          n)
{
  struct archive *zip = archive_write_new ();
  g_autoptr(GString) body = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                                          "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");

  for (int i = 0; i < n; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (paragraphs[i], -1);
      /* a run split in two, as Word often stores it */
      glong half = g_utf8_strlen (escaped, -1) / 2;
      const char *middle = g_utf8_offset_to_pointer (escaped, half);

      g_string_append (body, "<w:p><w:r><w:t xml:space=\"preserve\">");
      g_string_append_len (body, escaped, middle - escaped);
      g_string_append (body, "</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>");
      g_string_append (body, middle);
      g_string_append (body, "</w:t></w:r></w:p>");
    }
  g_string_append (body, "</w:body></w:document>");

  archive_write_set_format_zip (zip);
  if (archive_write_open_filename (zip, out) != ARCHIVE_OK)
    {
      g_printerr ("%s: %s\n", out, archive_error_string (zip));
      return 1;
    }
  add_entry (zip, "[Content_Types].xml",
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
             "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
             "</Types>");
  add_entry (zip, "_rels/.rels",
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
             "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
             "</Relationships>");
  add_entry (zip, "word/document.xml", body->str);
  archive_write_close (zip);
  archive_write_free (zip);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  int status = 2;

  if (argc >= 4 && g_str_equal (argv[1], "pdf"))
    status = write_pdf (argv[2], argv + 3, argc - 3);
  else if (argc == 4 && g_str_equal (argv[1], "image-pdf"))
    status = write_image_pdf (argv[2], argv[3]);
  else if (argc >= 4 && g_str_equal (argv[1], "docx"))
    status = write_docx (argv[2], argv + 3, argc - 3);
  else
    g_printerr ("usage: make-test-document pdf|image-pdf|docx OUT TEXT…\n");

  /* cairo's and fontconfig's caches, so that a sanitizer build sees no leak */
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
