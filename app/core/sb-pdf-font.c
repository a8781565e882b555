/* sb-pdf-font.c — a TrueType font embedded in a libharu document, fixed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <hb.h>
#include <hb-subset.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "sb-error.h"
#include "sb-pdf-font.h"

/* CIDs are handed out in the order characters are first drawn, from 1:
 * every code libharu writes is then one UTF-8 character of the BMP below
 * the surrogates (libharu turns anything above U+FFFF into a space) */
#define CID_FIRST 1
#define CID_LAST  0xD7FF

struct _SbPdfFont {
  char         *path;
  int           face_index;
  gboolean      collection;  /* a TrueType collection (ttcf), whatever its name */
  hb_face_t    *face;
  hb_font_t    *hb_font;
  guint         units_per_em;

  /* per document */
  HPDF_Doc      doc;
  HPDF_Font     font;
  GArray       *cid_to_char;   /* CID - CID_FIRST → Unicode character */
  GHashTable   *char_to_cid;   /* character → CID */
  gboolean      too_many;
  HPDF_TTFontDefAttr neutered;    /* libharu's cmap, swapped out (below) */
  HPDF_TTF_CmapRange saved_cmap;
};

/* libharu looks up all 65,536 BMP code points in the font's cmap when it
 * creates the font (for its CIDToGIDMap and /W, both rewritten by
 * sb_pdf_font_finish) and again for every character drawn (for widths and
 * subset flags, which we do not use: the font program is HarfBuzz's
 * subset): a quarter of the export's time. While the font is in use its
 * cmap is replaced by one empty segment, so those lookups answer at once;
 * the real one is put back before libharu frees it. */
static guint16 empty_end[] = { 0xFFFF };
static guint16 empty_start[] = { 0xFFFF };
static gint16 empty_delta[] = { 1 };
static guint16 empty_range[] = { 0 };

static void
neuter_cmap (SbPdfFont         *self,
             HPDF_TTFontDefAttr ta)
{
  if (ta->cmap.format != 4)
    return;
  self->neutered = ta;
  self->saved_cmap = ta->cmap;
  ta->cmap.seg_count_x2 = 2;
  ta->cmap.end_count = empty_end;
  ta->cmap.start_count = empty_start;
  ta->cmap.id_delta = empty_delta;
  ta->cmap.id_range_offset = empty_range;
  ta->cmap.glyph_id_array_count = 0;
}

static void
restore_cmap (SbPdfFont *self)
{
  if (self->neutered == NULL)
    return;
  self->neutered->cmap = self->saved_cmap;
  self->neutered = NULL;
}

static gboolean
has_table (hb_face_t  *face,
           hb_tag_t    tag)
{
  hb_blob_t *blob = hb_face_reference_table (face, tag);
  gboolean found = hb_blob_get_length (blob) > 0;

  hb_blob_destroy (blob);
  return found;
}

static guint
glyph_id (SbPdfFont *self,
          gunichar   c)
{
  hb_codepoint_t gid = 0;

  if (!hb_font_get_nominal_glyph (self->hb_font, c, &gid))
    return 0;
  return gid;
}

SbPdfFont *
sb_pdf_font_open (const char  *path,
                  int          face_index,
                  GError     **error)
{
  g_autoptr(SbPdfFont) self = g_new0 (SbPdfFont, 1);
  hb_blob_t *blob;
  hb_set_t *unicodes;
  gboolean usable;

  self->path = g_strdup (path);
  self->face_index = face_index;
  blob = hb_blob_create_from_file_or_fail (path);
  if (blob == NULL)
    {
      int saved_errno = errno;

      if (saved_errno == 0)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("%s: cannot be read as a font file"), path);
      else
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  {
    unsigned int length = 0;
    const char *data = hb_blob_get_data (blob, &length);

    self->collection = length >= 4 && memcmp (data, "ttcf", 4) == 0;
  }
  if (face_index < 0 || (guint) face_index >= hb_face_count (blob))
    {
      hb_blob_destroy (blob);
      goto bad;
    }
  self->face = hb_face_create (blob, face_index);
  hb_blob_destroy (blob);
  self->hb_font = hb_font_create (self->face);
  self->units_per_em = hb_face_get_upem (self->face);

  unicodes = hb_set_create ();
  hb_face_collect_unicodes (self->face, unicodes);
  usable = !hb_set_is_empty (unicodes) &&
           has_table (self->face, HB_TAG ('g', 'l', 'y', 'f')) &&
           has_table (self->face, HB_TAG ('l', 'o', 'c', 'a')) &&
           has_table (self->face, HB_TAG ('h', 'm', 't', 'x'));
  hb_set_destroy (unicodes);
  if (usable)
    return g_steal_pointer (&self);

bad:
  g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
               _("%s (face %d) is not a TrueType font Shenbao can embed (TrueType outlines and a Unicode cmap are needed)"),
               path, face_index);
  return NULL;
}

void
sb_pdf_font_free (SbPdfFont *self)
{
  if (self == NULL)
    return;
  restore_cmap (self);
  g_clear_pointer (&self->hb_font, hb_font_destroy);
  g_clear_pointer (&self->face, hb_face_destroy);
  g_clear_pointer (&self->cid_to_char, g_array_unref);
  g_clear_pointer (&self->char_to_cid, g_hash_table_unref);
  g_free (self->path);
  g_free (self);
}

const char *
sb_pdf_font_get_path (SbPdfFont *self)
{
  return self->path;
}

gboolean
sb_pdf_font_is_same (SbPdfFont *self,
                     SbPdfFont *other)
{
  return self->face_index == other->face_index && g_str_equal (self->path, other->path);
}

gboolean
sb_pdf_font_has_glyph (SbPdfFont *self,
                       gunichar   c)
{
  return glyph_id (self, c) != 0;
}

double
sb_pdf_font_advance (SbPdfFont *self,
                     gunichar   c)
{
  /* the hb_font's scale is the font's units per em */
  return hb_font_get_glyph_h_advance (self->hb_font, glyph_id (self, c)) * 1000.0 / self->units_per_em;
}

double
sb_pdf_font_ascent (SbPdfFont *self)
{
  hb_font_extents_t extents = { 0 };

  hb_font_get_h_extents (self->hb_font, &extents);
  return extents.ascender * 1000.0 / self->units_per_em;
}

gboolean
sb_pdf_font_attach (SbPdfFont  *self,
                    HPDF_Doc    doc,
                    GError    **error)
{
  const char *name;

  /* not embedded by libharu, which would read the whole file (UMing's is
   * 21 MB) into memory for every document and write it out again: the
   * font program is HarfBuzz's subset, added by sb_pdf_font_finish */
  if (self->collection)
    name = HPDF_LoadTTFontFromFile2 (doc, self->path, self->face_index, HPDF_FALSE);
  else
    name = HPDF_LoadTTFontFromFile (doc, self->path, HPDF_FALSE);
  if (name != NULL)
    {
      HPDF_FontDef def = HPDF_GetFontDef (doc, name);
      if (def != NULL && def->attr != NULL)
        neuter_cmap (self, (HPDF_TTFontDefAttr) def->attr);
    }
  self->font = name ? HPDF_GetFont (doc, name, "UTF-8") : NULL;
  if (self->font == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the PDF library cannot embed this font (error 0x%04lX)"),
                   self->path, (unsigned long) HPDF_GetError (doc));
      HPDF_ResetError (doc);
      return FALSE;
    }
  self->doc = doc;
  self->cid_to_char = g_array_new (FALSE, FALSE, sizeof (gunichar));
  self->char_to_cid = g_hash_table_new (NULL, NULL);
  return TRUE;
}

static gunichar
cid_for (SbPdfFont *self,
         gunichar   c)
{
  gpointer known;
  gunichar cid;

  if (g_hash_table_lookup_extended (self->char_to_cid, GUINT_TO_POINTER (c), NULL, &known))
    return GPOINTER_TO_UINT (known);
  if (self->cid_to_char->len > CID_LAST - CID_FIRST)
    {
      self->too_many = TRUE;
      return CID_FIRST;
    }
  cid = CID_FIRST + self->cid_to_char->len;
  g_array_append_val (self->cid_to_char, c);
  g_hash_table_insert (self->char_to_cid, GUINT_TO_POINTER (c), GUINT_TO_POINTER (cid));
  return cid;
}

void
sb_pdf_font_show (SbPdfFont      *self,
                  HPDF_Page       page,
                  double          x,
                  double          y,
                  double          size,
                  double          char_space,
                  const gunichar *chars,
                  guint           n_chars)
{
  g_autoptr(GString) text = g_string_sized_new (n_chars * 3 + 1);

  for (guint i = 0; i < n_chars; i++)
    {
      char utf8[8];
      int n = g_unichar_to_utf8 (cid_for (self, chars[i]), utf8);

      g_string_append_len (text, utf8, n);
    }
  HPDF_Page_BeginText (page);
  HPDF_Page_SetFontAndSize (page, self->font, size);
  HPDF_Page_SetCharSpace (page, char_space);

  HPDF_Page_TextOut (page, x, y, text->str);
  HPDF_Page_EndText (page);
}

/* Finishing: the objects libharu gets wrong, rewritten */

static gunichar
char_of (SbPdfFont *self,
         guint      cid)
{
  return g_array_index (self->cid_to_char, gunichar, cid - CID_FIRST);
}

static guint
cid_width (SbPdfFont *self,
           guint      cid)
{
  return (guint) (sb_pdf_font_advance (self, char_of (self, cid)) + 0.5);
}

static guint
last_cid (SbPdfFont *self)
{
  return CID_FIRST + self->cid_to_char->len - 1;
}

static void
write_to_unicode (SbPdfFont *self,
                  HPDF_Dict  stream_dict)
{
  g_autoptr(GString) cmap = g_string_new (
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  guint n_cids = self->cid_to_char->len;

  for (guint i = 0; i < n_cids; i += 100)
    {
      guint n = MIN (100, n_cids - i);

      g_string_append_printf (cmap, "%u beginbfchar\n", n);
      for (guint cid = CID_FIRST + i; cid < CID_FIRST + i + n; cid++)
        {
          gunichar c = char_of (self, cid);

          if (c > 0xFFFF)
            g_string_append_printf (cmap, "<%04X> <%04X%04X>\n", cid,
                                    0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
          else
            g_string_append_printf (cmap, "<%04X> <%04X>\n", cid, c);
        }
      g_string_append (cmap, "endbfchar\n");
    }
  g_string_append (cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

  HPDF_Dict_RemoveElement (stream_dict, "Type");
  HPDF_Dict_RemoveElement (stream_dict, "CMapName");
  HPDF_Dict_RemoveElement (stream_dict, "CIDSystemInfo");
  HPDF_Dict_RemoveElement (stream_dict, "WMode");
  HPDF_MemStream_FreeData (stream_dict->stream);
  HPDF_Stream_Write (stream_dict->stream, (const HPDF_BYTE *) cmap->str, cmap->len);
}

/* a stream of this font's, compressed as the document's streams are */
static HPDF_Dict
new_stream (HPDF_Font font)
{
  HPDF_FontAttr fa = (HPDF_FontAttr) font->attr;
  HPDF_Dict stream = HPDF_DictStream_New (font->mmgr, fa->xref);

  if (stream != NULL)
    stream->filter = font->filter;
  return stream;
}

/* the CIDToGIDMap: each CID's glyph id in the subset font program (libharu
 * makes none for a font it does not embed) */
static gboolean
write_cid_to_gid (SbPdfFont      *self,
                  HPDF_FontAttr   fa,
                  const hb_map_t *old_to_new)
{
  gsize size = 2 * ((gsize) last_cid (self) + 1);
  g_autofree guint8 *map = g_malloc0 (size);
  HPDF_Dict stream_dict = fa->map_stream;

  if (stream_dict != NULL)
    HPDF_MemStream_FreeData (stream_dict->stream);
  else
    {
      stream_dict = new_stream (self->font);
      if (stream_dict == NULL || HPDF_Dict_Add (fa->descendant_font, "CIDToGIDMap", stream_dict) != HPDF_OK)
        return FALSE;
      fa->map_stream = stream_dict;
    }
  for (guint cid = CID_FIRST; cid <= last_cid (self); cid++)
    {
      hb_codepoint_t gid = hb_map_get (old_to_new, glyph_id (self, char_of (self, cid)));

      if (gid == HB_MAP_VALUE_INVALID)
        gid = 0;
      map[2 * cid] = gid >> 8;
      map[2 * cid + 1] = gid & 0xFF;
    }
  return HPDF_Stream_Write (stream_dict->stream, map, size) == HPDF_OK;
}

static void
write_widths (SbPdfFont *self,
              HPDF_Dict  descendant)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  HPDF_Array w = HPDF_Array_New (descendant->mmgr);
  HPDF_Array run = NULL;
  guint dw = 1000, best = 0, previous = G_MAXUINT;

  for (guint cid = CID_FIRST; cid <= last_cid (self); cid++)
    {
      guint width = cid_width (self, cid);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (width))) + 1;

      g_hash_table_insert (counts, GUINT_TO_POINTER (width), GUINT_TO_POINTER (n));
      if (n > best || (n == best && width < dw))
        best = n, dw = width;
    }
  for (guint cid = CID_FIRST; cid <= last_cid (self); cid++)
    {
      guint width = cid_width (self, cid);

      if (width == dw)
        {
          run = NULL;
          continue;
        }
      if (run == NULL || cid != previous + 1)
        {
          HPDF_Array_AddNumber (w, cid);
          run = HPDF_Array_New (descendant->mmgr);
          HPDF_Array_Add (w, run);
        }
      HPDF_Array_AddNumber (run, width);
      previous = cid;
    }
  HPDF_Dict_Add (descendant, "W", w);
  HPDF_Dict_AddNumber (descendant, "DW", dw);
}

/* libharu failed while this font's objects were written (sb_pdf_writer
 * checks the document before the fonts are finished, so the error is
 * this font's) */
static gboolean
library_error (SbPdfFont  *self,
               GError    **error)
{
  g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the PDF library failed while embedding the font (error 0x%04lX)"),
               self->path, (unsigned long) HPDF_GetError (self->doc));
  return FALSE;
}

/* A subset's name starts with a tag of six capital letters and "+" (PDF
 * 32000-1 9.6.4); libharu gives one only to fonts it embeds itself. The
 * tag is taken from the characters kept, so the same text gives the same
 * bytes and different subsets of one font get different names. */
static void
tag_subset_name (SbPdfFont     *self,
                 HPDF_FontAttr  fa)
{
  HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr) fa->fontdef->attr;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize name_len;

  g_checksum_update (sum, (const guchar *) ta->base_font, -1);
  for (guint i = 0; i < self->cid_to_char->len; i++)
    {
      char utf8[8];
      int n = g_unichar_to_utf8 (g_array_index (self->cid_to_char, gunichar, i), utf8);

      g_checksum_update (sum, (const guchar *) utf8, n);
    }
  g_checksum_get_digest (sum, digest, &digest_len);
  /* a name is at most HPDF_LIMIT_MAX_NAME_LEN bytes: a very long one loses
   * its end to make room for the tag */
  name_len = MIN (strlen (ta->base_font), (gsize) HPDF_LIMIT_MAX_NAME_LEN - 7);
  memmove (ta->base_font + 7, ta->base_font, name_len);
  ta->base_font[7 + name_len] = '\0';
  for (guint i = 0; i < 6; i++)
    ta->base_font[i] = 'A' + digest[i] % 26;
  ta->base_font[6] = '+';
}

/* The font program: HarfBuzz's subsetter keeps the glyphs drawn, .notdef
 * and the components of composite glyphs, numbered anew from 0 in their
 * old order (no RETAIN_GIDS), and only the tables a CIDFontType2 uses: no
 * cmap (the CIDToGIDMap maps CIDs to glyphs), glyph names, name table,
 * hinting, layout, colour, variation or vertical tables, whatever font
 * --font names. */
static const hb_tag_t kept_tables[] = {
  HB_TAG ('h', 'e', 'a', 'd'), HB_TAG ('h', 'h', 'e', 'a'), HB_TAG ('m', 'a', 'x', 'p'),
  HB_TAG ('O', 'S', '/', '2'), HB_TAG ('h', 'm', 't', 'x'), HB_TAG ('l', 'o', 'c', 'a'),
  HB_TAG ('g', 'l', 'y', 'f'),
};

static hb_subset_plan_t *
subset_plan (SbPdfFont *self)
{
  hb_subset_input_t *input = hb_subset_input_create_or_fail ();
  hb_subset_plan_t *plan;
  hb_set_t *glyphs, *drop;

  if (input == NULL)
    return NULL;
  glyphs = hb_subset_input_glyph_set (input);
  hb_set_add (glyphs, 0);
  for (guint cid = CID_FIRST; cid <= last_cid (self); cid++)
    hb_set_add (glyphs, glyph_id (self, char_of (self, cid)));
  drop = hb_subset_input_set (input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  hb_set_clear (drop);
  hb_set_invert (drop);
  for (guint i = 0; i < G_N_ELEMENTS (kept_tables); i++)
    hb_set_del (drop, kept_tables[i]);
  hb_subset_input_set_flags (input, HB_SUBSET_FLAGS_NO_HINTING);
  plan = hb_subset_plan_create_or_fail (self->face, input);
  hb_subset_input_destroy (input);
  return plan;
}

static gboolean
write_font_file (SbPdfFont        *self,
                 HPDF_FontAttr     fa,
                 hb_subset_plan_t *plan,
                 GError          **error)
{
  HPDF_Dict ff2;
  hb_face_t *subset = hb_subset_plan_execute_or_fail (plan);
  hb_blob_t *blob = subset ? hb_face_reference_blob (subset) : NULL;
  const char *data = NULL;
  unsigned int length = 0;
  gboolean written;

  if (blob != NULL)
    data = hb_blob_get_data (blob, &length);
  if (length == 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: HarfBuzz could not subset this font"), self->path);
      written = FALSE;
    }
  else
    {
      ff2 = fa->fontdef->descriptor ? new_stream (self->font) : NULL;
      written = ff2 != NULL &&
                HPDF_Dict_Add (fa->fontdef->descriptor, "FontFile2", ff2) == HPDF_OK &&
                HPDF_Stream_Write (ff2->stream, (const HPDF_BYTE *) data, length) == HPDF_OK &&
                HPDF_Dict_AddNumber (ff2, "Length1", length) == HPDF_OK;
      if (!written)
        library_error (self, error);
    }
  g_clear_pointer (&blob, hb_blob_destroy);
  g_clear_pointer (&subset, hb_face_destroy);
  return written;
}

gboolean
sb_pdf_font_finish (SbPdfFont  *self,
                    GError    **error)
{
  HPDF_FontAttr fa;
  HPDF_Dict csi;
  hb_subset_plan_t *plan;
  gboolean written;

  if (self->font == NULL)
    return TRUE;
  restore_cmap (self);
  if (self->too_many)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: the text uses more than %u different characters of this font"), self->path,
                   CID_LAST - CID_FIRST + 1);
      return FALSE;
    }

  fa = (HPDF_FontAttr) self->font->attr;
  plan = subset_plan (self);
  if (plan == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: HarfBuzz could not subset this font"), self->path);
      return FALSE;
    }

  write_to_unicode (self, fa->cmap_stream);
  write_widths (self, fa->descendant_font);
  csi = HPDF_Dict_GetItem (fa->descendant_font, "CIDSystemInfo", HPDF_OCLASS_DICT);
  if (csi != NULL)
    HPDF_Dict_Add (csi, "Ordering", HPDF_String_New (self->font->mmgr, "Identity", NULL));
  tag_subset_name (self, fa);
  /* libharu builds the FontDescriptor here (again, at no cost, when it
   * saves); the font program is added to it */
  if (self->font->before_write_fn != NULL)
    self->font->before_write_fn (self->font);
  if (fa->fontdef->descriptor != NULL)
    HPDF_Dict_AddNumber (fa->fontdef->descriptor, "CapHeight", fa->fontdef->cap_height);

  if (!write_cid_to_gid (self, fa, hb_subset_plan_old_to_new_glyph_mapping (plan)))
    written = library_error (self, error);
  else
    written = write_font_file (self, fa, plan, error);
  hb_subset_plan_destroy (plan);
  if (written && HPDF_GetError (self->doc) != HPDF_OK)
    written = library_error (self, error);
  return written;
}
