/* sb-print-template.h — a call's printed 申报书, as data
 *
 * The `print` member of a call definition: the parts of the paper
 * submission in their paper order, each a list of blocks (headings, fixed
 * text with {field} placeholders, label/value grids, long-text boxes,
 * tables over list fields, signature lines and seal boxes, the attachment
 * list, the table of contents, slots for official text the call definition
 * does not hold yet). Checked completely on load; the schema is in
 * forms/README.md. The layout engine is sb-pdf-export.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-call-parts.h"
#include "sb-expr.h"

G_BEGIN_DECLS

typedef struct _SbCall SbCall;

typedef enum {
  SB_BLOCK_TITLE,
  SB_BLOCK_HEADING,
  SB_BLOCK_TEXT,
  SB_BLOCK_GRID,
  SB_BLOCK_LONG_TEXT,
  SB_BLOCK_TABLE,
  SB_BLOCK_FIELDS,
  SB_BLOCK_SIGNATURE,
  SB_BLOCK_TEAM_SIGNATURES,
  SB_BLOCK_ATTACHMENTS,
  SB_BLOCK_CONTENTS,
  SB_BLOCK_OFFICIAL_TEXT,
  SB_BLOCK_QR,
  SB_BLOCK_PAGE_BREAK,
  SB_BLOCK_SPACE,
} SbBlockType;

typedef struct {
  SbText    label;      /* a fixed text cell */
  char     *field;      /* a value cell: "pi.name"; NULL for a label */
  SbText    hint;       /* printed in grey when the field is empty */
  char     *text;       /* a text cell with {field} placeholders (zh) */
  gboolean  row_number; /* the number of the row, in a repeated row */
  int       colspan;
  int       rowspan;
  char     *align;
  double    min_height_mm;
} SbPrintCell;

/* A grid row: fixed cells, or one row per item of a table field
 * ("for_each"), under a header row, with a label cell spanning them all */
typedef struct {
  GArray   *cells;       /* SbPrintCell */
  char     *for_each;    /* a table field */
  SbText    label;
  GArray   *header;      /* SbPrintCell; may be empty */
  gint64    min_rows;    /* blank rows printed when the list is shorter */
} SbPrintRow;

typedef struct {
  char     *column;
  SbText    title;
  double    width_mm;
} SbPrintColumn;

typedef struct {
  SbBlockType type;
  char       *path;          /* JSON path, for errors */
  SbText      text;
  char       *field;
  char       *step;
  char       *person;        /* team_signatures */
  SbText      hint;
  SbText      label;
  int         level;
  char       *align;
  double      size;          /* pt; 0: the block type's default */
  double      min_height_mm;
  double      space_mm;
  gboolean    grey;
  gboolean    indent;
  gboolean    seal;
  gboolean    date;
  gboolean    numbered;
  char       *basis;         /* "seed" or "convention": whence a signature box */
  GArray     *columns_mm;    /* double */
  GPtrArray  *rows;          /* SbPrintRow */
  GArray     *columns;       /* SbPrintColumn */
  char       *relevant_source;
  SbExpr     *relevant;
} SbPrintBlock;

typedef struct {
  char      *id;
  SbText     title;
  gboolean   in_contents;
  gboolean   new_page;
  gboolean   has_official_text;   /* the seed names the form without its text */
  SbText     official_text;
  char      *relevant_source;
  SbExpr    *relevant;
  GPtrArray *blocks;              /* SbPrintBlock */
} SbPrintPart;

typedef struct _SbPrintTemplate SbPrintTemplate;

SbPrintTemplate *sb_print_template_new          (JsonNode        *node,
                                                 SbCall          *call,
                                                 const char      *file,
                                                 const char      *path,
                                                 GError         **error);
void             sb_print_template_free         (SbPrintTemplate *self);
GPtrArray       *sb_print_template_get_parts    (SbPrintTemplate *self);
double           sb_print_template_get_margin   (SbPrintTemplate *self,
                                                 guint            side);  /* top, right, bottom, left: mm */
/* even pages mirror the margins (left: the binding edge), for double-sided printing */
gboolean         sb_print_template_get_mirror   (SbPrintTemplate *self);
double           sb_print_template_get_size     (SbPrintTemplate *self,
                                                 const char      *role);  /* title, heading, body, table: pt */
/* field ids of the call whose typed values the template never prints */
GStrv            sb_print_template_list_omitted (SbPrintTemplate *self,
                                                 SbCall          *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbPrintTemplate, sb_print_template_free)

G_END_DECLS
