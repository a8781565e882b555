/* sb-blind-review.h — a blind review: identities that must not appear in
 * the blind fields and attached files of a draft
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-call.h"
#include "sb-draft.h"
#include "sb-rule.h"

G_BEGIN_DECLS

/* Text read from one attached file, page by page (a file without pages,
 * such as a .docx or a text file, is one page numbered 0). */
typedef struct {
  GPtrArray *pages;      /* char*, UTF-8 */
  gboolean   paged;      /* whether page numbers mean something */
  gsize      length;     /* bytes of text in all pages */
  gboolean   truncated;  /* the file has more than the caps below */
} SbFileText;

/* The text taken from one file: beyond this the rest is not searched. */
#define SB_FILE_TEXT_MAX_PAGES 2000
#define SB_FILE_TEXT_MAX_BYTES (16 * 1024 * 1024)

#define SB_FILE_TEXT_ERROR (sb_file_text_error_quark ())

typedef enum {
  SB_FILE_TEXT_ERROR_ENCRYPTED,
  SB_FILE_TEXT_ERROR_NO_TEXT,       /* e.g. an image-only scan */
  SB_FILE_TEXT_ERROR_UNSUPPORTED,   /* a kind of file whose text is not read */
  SB_FILE_TEXT_ERROR_UNREADABLE,    /* damaged, not what its name says */
} SbFileTextError;

GQuark       sb_file_text_error_quark    (void);
void         sb_file_text_free           (SbFileText     *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbFileText, sb_file_text_free)

/* Reads the text of a PDF (poppler-glib), a .docx (word/document.xml
 * through libarchive) or a plain text file. The file is read by
 * sb_file_read(): a regular file of at most @max_bytes, else an SB_ERROR.
 * Otherwise fails (SB_FILE_TEXT_ERROR) with a message a person can act on
 * when the file is encrypted, has no text layer or is of a kind whose text
 * cannot be read. The text is capped (SB_FILE_TEXT_MAX_*; truncated set). */
SbFileText  *sb_file_text_read           (GFile          *file,
                                          gsize           max_bytes,
                                          GError        **error);

/* Whether @needle occurs in @haystack once both are normalised: NFKC
 * (full-width brackets and letters become half-width), letters upper case,
 * white space removed. */
gboolean     sb_text_contains_normalised (const char     *haystack,
                                          const char     *needle);

/* Runs the blind review @rule over @draft and adds its problems. */
void         sb_blind_review_run         (SbRule         *rule,
                                          SbCall         *call,
                                          SbDraft        *draft,
                                          SbEvalContext  *context,
                                          gboolean        read_files,
                                          GPtrArray      *problems);

G_END_DECLS
