/* sb-pdf-writer.h — Chinese text laid out on A4 pages with libharu
 *
 * The writer owns the document, the fonts (a 宋/明-style body face, a
 * 黑体-style heading face, per-character fallbacks for what they lack), the
 * page flow and the line breaking: UAX #14 break opportunities from Pango
 * plus the Chinese rules (no line starts with ，。、；：？！）】》”’% and no
 * line ends with （【《“‘), no one-character last line (widow), justified
 * lines (flush left when that would stretch them more than 0.12 em a gap),
 * 2-character first-line indent.
 * Paragraphs, grid rows and table rows split across pages; nothing is drawn
 * outside its cell or the page.
 *
 * A writer made with dry_run only paginates: the exporter runs the layout
 * twice so that the table of contents knows the page numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_PT_PER_MM (72.0 / 25.4)

typedef struct _SbPdfWriter SbPdfWriter;

typedef enum {
  SB_PDF_FACE_BODY,
  SB_PDF_FACE_HEADING,
} SbPdfFace;

typedef enum {
  SB_PDF_ALIGN_JUSTIFY,
  SB_PDF_ALIGN_LEFT,
  SB_PDF_ALIGN_CENTER,
  SB_PDF_ALIGN_RIGHT,
} SbPdfAlign;

typedef struct {
  SbPdfFace  face;
  double     size;      /* pt */
  double     leading;   /* line pitch / size */
  SbPdfAlign align;
  gboolean   indent;    /* 2-character first-line indent */
  gboolean   grey;
  gboolean   bottom;    /* in a cell: on its last line, not its first (a page number in the contents) */
} SbPdfStyle;

/* Where the fonts are; NULL members are looked up with fontconfig. */
typedef struct {
  char *body;            /* "path" or "path:index" */
  char *heading;
} SbPdfFontChoice;

typedef struct {
  char      *text;
  SbPdfStyle style;
  double     width_mm;   /* 0: share the rest */
  gboolean   positioned; /* at x_mm from the text block's left edge (of the page it is drawn on); else after the previous cell */
  double     x_mm;
  int        colspan;
  int        rowspan;
  gboolean   border;
  gboolean   fill;       /* a label cell: light grey background */
  double     min_height_mm;
  char      *where;      /* what the text is, for errors: a field path */
} SbPdfCell;

/* left_mm is the binding edge of odd pages (the front sides). With mirror,
 * even pages (the back sides) swap left and right so that the text blocks
 * of both sides register in double-sided printing (GB/T 9704-2012 9.2);
 * the text block keeps its width on every page. */
typedef struct {
  double   top_mm, right_mm, bottom_mm, left_mm;
  gboolean mirror;
} SbPdfMargins;

SbPdfWriter *sb_pdf_writer_new            (const SbPdfFontChoice *fonts,
                                           const SbPdfMargins    *margins,
                                           gboolean               dry_run,
                                           GError               **error);
void         sb_pdf_writer_free           (SbPdfWriter  *self);

/* the first glyph-less character stops the layout: the error names it and
 * the cell's or paragraph's `where` */
gboolean     sb_pdf_writer_ok             (SbPdfWriter  *self,
                                           GError      **error);

void         sb_pdf_writer_new_page       (SbPdfWriter  *self);
guint        sb_pdf_writer_get_page       (SbPdfWriter  *self);   /* 1-based; 0 before the first */
void         sb_pdf_writer_set_part       (SbPdfWriter  *self,
                                           const char   *title);
double       sb_pdf_writer_text_width     (SbPdfWriter  *self);   /* pt */
double       sb_pdf_writer_space_left     (SbPdfWriter  *self);   /* pt */
void         sb_pdf_writer_skip           (SbPdfWriter  *self,
                                           double        pt);

/* Looking ahead. sb_pdf_writer_at_top: nothing drawn on this page yet.
 * sb_pdf_writer_need: a new page unless pt fit on this one (or it is
 * empty). A probe lays out without drawing and then puts everything back:
 * the exporter tries a block to see where it would end. Every drawing call
 * (paragraph, box, grid, signature, contents line) is counted; the call
 * given to keep_after keeps its last two lines (a grid: its last row's)
 * on the page with pt below them. watch/first_drawn: the page of the
 * first line or cell drawn since watch (0: none yet). */
typedef struct {
  guint    n_pages, n_parts, calls, keep_call, first_drawn;
  double   y, left, right, keep_after;
  gboolean dry_run;
} SbPdfMark;

gboolean     sb_pdf_writer_at_top         (SbPdfWriter  *self);
void         sb_pdf_writer_need           (SbPdfWriter  *self,
                                           double        pt);
double       sb_pdf_writer_page_height    (SbPdfWriter  *self);   /* of the text block, pt */
void         sb_pdf_writer_probe_begin    (SbPdfWriter  *self,
                                           SbPdfMark    *mark);
void         sb_pdf_writer_probe_end      (SbPdfWriter     *self,
                                           const SbPdfMark *mark);
guint        sb_pdf_writer_get_calls      (SbPdfWriter  *self);
void         sb_pdf_writer_keep_after     (SbPdfWriter  *self,
                                           guint         call,
                                           double        pt);
void         sb_pdf_writer_watch          (SbPdfWriter  *self);
guint        sb_pdf_writer_first_drawn    (SbPdfWriter  *self);

double       sb_pdf_writer_paragraph_height (SbPdfWriter      *self,
                                             const char       *text,
                                             const SbPdfStyle *style);
double       sb_pdf_writer_signature_height (SbPdfWriter      *self,
                                             const char       *label,
                                             gboolean          seal,
                                             gboolean          date,
                                             const SbPdfStyle *style);

void         sb_pdf_writer_paragraph      (SbPdfWriter      *self,
                                           const char       *text,
                                           const SbPdfStyle *style,
                                           const char       *where);
/* a bordered box of paragraphs, split across pages when long */
void         sb_pdf_writer_box            (SbPdfWriter      *self,
                                           const char       *text,
                                           const SbPdfStyle *style,
                                           double            min_height_mm,
                                           const char       *where);
/* rows of cells: widths in mm; header rows are repeated on every page the
 * rows continue on. cells is an array of SbPdfCell arrays (one per row). */
void         sb_pdf_writer_grid           (SbPdfWriter      *self,
                                           GPtrArray        *rows,
                                           guint             n_header_rows);
/* a line "label ____ " or a seal box, right-aligned */
void         sb_pdf_writer_signature      (SbPdfWriter      *self,
                                           const char       *label,
                                           gboolean          seal,
                                           gboolean          date,
                                           const SbPdfStyle *style);
void         sb_pdf_writer_qr             (SbPdfWriter      *self,
                                           const char       *payload,
                                           double            size_mm,
                                           const char       *caption);
void         sb_pdf_writer_toc_line       (SbPdfWriter      *self,
                                           const char       *title,
                                           guint             page,
                                           const SbPdfStyle *style);

void         sb_pdf_writer_set_metadata   (SbPdfWriter  *self,
                                           const char   *title,
                                           const char   *author,
                                           const char   *subject,
                                           const char   *creator,
                                           GDateTime    *time);
/* page numbers "— N —" and the digest line on every page, then the file,
 * written atomically */
gboolean     sb_pdf_writer_finish         (SbPdfWriter  *self,
                                           const char   *footer_prefix,
                                           GBytes      **out,
                                           GError      **error);

void         sb_pdf_cell_clear            (SbPdfCell    *cell);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbPdfWriter, sb_pdf_writer_free)

G_END_DECLS
