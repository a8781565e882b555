/* sb-pdf-font.c — a TrueType font embedded in a libharu document, fixed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "sb-error.h"
#include "sb-pdf-font.h"

#define PUA_FIRST 0xE000
#define PUA_LAST  0xF8FF

struct _SbPdfFont {
  char         *path;
  int           face_index;
  GMappedFile  *mapped;
  const guint8 *data;
  gsize         size;

  /* tables */
  const guint8 *cmap_sub;     /* the chosen cmap subtable */
  int           cmap_format;  /* 4 or 12 */
  gsize         cmap_len;
  const guint8 *hmtx;
  gsize         hmtx_len;
  guint         n_hmetrics;
  guint         units_per_em;
  int           ascender;
  int           descender;
  guint         n_glyphs;
  const guint8 *loca;
  gsize         loca_len;
  gboolean      long_loca;
  const guint8 *glyf;
  gsize         glyf_len;

  /* per document */
  HPDF_Doc      doc;
  HPDF_Font     font;
  GHashTable   *cid_to_char;   /* CID → Unicode character */
  GHashTable   *char_to_cid;   /* non-BMP character → stand-in CID */
  gunichar      next_pua;
  gboolean      pua_conflict;
  HPDF_TTFontDefAttr neutered;    /* libharu's cmap, swapped out (below) */
  HPDF_TTF_CmapRange saved_cmap;
};

/* libharu looks up all 65,536 BMP code points in the font's cmap when it
 * creates the font (for its CIDToGIDMap and /W, both rewritten by
 * sb_pdf_font_finish) and again for every character drawn (for widths and
 * subset flags, also ours): a quarter of the export's time. While the font
 * is in use its cmap is replaced by one empty segment, so those lookups
 * answer at once; the real one is put back before libharu frees it. */
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

static guint16
u16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static gint16
s16 (const guint8 *p)
{
  return (gint16) u16 (p);
}

static guint32
u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
find_table (SbPdfFont     *self,
            gsize          face,
            const char    *tag,
            const guint8 **out,
            gsize         *out_len)
{
  guint n_tables;

  if (face + 12 > self->size)
    return FALSE;
  n_tables = u16 (self->data + face + 4);
  for (guint i = 0; i < n_tables; i++)
    {
      gsize rec = face + 12 + 16 * (gsize) i;
      guint32 offset, length;

      if (rec + 16 > self->size)
        return FALSE;
      if (memcmp (self->data + rec, tag, 4) != 0)
        continue;
      offset = u32 (self->data + rec + 8);
      length = u32 (self->data + rec + 12);
      if ((gsize) offset + length > self->size)
        return FALSE;
      *out = self->data + offset;
      *out_len = length;
      return TRUE;
    }
  return FALSE;
}

static gboolean
choose_cmap (SbPdfFont    *self,
             const guint8 *cmap,
             gsize         len)
{
  static const struct { guint16 platform, encoding, format; } wanted[] = {
    { 3, 10, 12 }, { 0, 6, 12 }, { 0, 4, 12 }, { 3, 1, 4 }, { 0, 3, 4 },
  };
  guint n;

  if (len < 4)
    return FALSE;
  n = u16 (cmap + 2);
  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    for (guint i = 0; i < n && 4 + 8 * (gsize) i + 8 <= len; i++)
      {
        const guint8 *rec = cmap + 4 + 8 * i;
        guint32 offset = u32 (rec + 4);

        if (u16 (rec) != wanted[w].platform || u16 (rec + 2) != wanted[w].encoding || offset + 8 > len)
          continue;
        if (u16 (cmap + offset) != wanted[w].format)
          continue;
        self->cmap_sub = cmap + offset;
        self->cmap_format = wanted[w].format;
        self->cmap_len = len - offset;
        return TRUE;
      }
  return FALSE;
}

static guint
glyph_id (SbPdfFont *self,
          gunichar   c)
{
  const guint8 *t = self->cmap_sub;

  if (self->cmap_format == 12)
    {
      guint32 n = u32 (t + 12);
      guint32 lo = 0, hi = MIN (n, (self->cmap_len - 16) / 12);

      while (lo < hi)
        {
          guint32 mid = (lo + hi) / 2;
          const guint8 *g = t + 16 + 12 * (gsize) mid;

          if (c < u32 (g))
            hi = mid;
          else if (c > u32 (g + 4))
            lo = mid + 1;
          else
            return u32 (g + 8) + (c - u32 (g));
        }
      return 0;
    }
  else
    {
      guint seg_x2 = u16 (t + 6);
      const guint8 *ends = t + 14;
      const guint8 *starts = ends + seg_x2 + 2;
      const guint8 *deltas = starts + seg_x2;
      const guint8 *ranges = deltas + seg_x2;

      if (c > 0xFFFF || (gsize) (ranges - t) + seg_x2 > self->cmap_len)
        return 0;
      for (guint i = 0; i < seg_x2 / 2; i++)
        {
          guint start, range;

          if (c > u16 (ends + 2 * i))
            continue;
          start = u16 (starts + 2 * i);
          if (c < start)
            return 0;
          range = u16 (ranges + 2 * i);
          if (range == 0)
            return (c + u16 (deltas + 2 * i)) & 0xFFFF;
          {
            const guint8 *p = ranges + 2 * i + range + 2 * (c - start);
            guint g;

            if (p + 2 > t + self->cmap_len)
              return 0;
            g = u16 (p);
            return g == 0 ? 0 : (g + u16 (deltas + 2 * i)) & 0xFFFF;
          }
        }
      return 0;
    }
}

static guint
glyph_advance (SbPdfFont *self,
               guint      gid)
{
  guint index = MIN (gid, self->n_hmetrics - 1);

  if (4 * (gsize) index + 2 > self->hmtx_len)
    return 0;
  return u16 (self->hmtx + 4 * index);
}

SbPdfFont *
sb_pdf_font_open (const char  *path,
                  int          face_index,
                  GError     **error)
{
  g_autoptr(SbPdfFont) self = g_new0 (SbPdfFont, 1);
  const guint8 *head, *hhea, *maxp, *cmap;
  gsize head_len, hhea_len, maxp_len, cmap_len;
  gsize face = 0;

  self->path = g_strdup (path);
  self->face_index = face_index;
  self->mapped = g_mapped_file_new (path, FALSE, error);
  if (self->mapped == NULL)
    return NULL;
  self->data = (const guint8 *) g_mapped_file_get_contents (self->mapped);
  self->size = g_mapped_file_get_length (self->mapped);

  if (self->size >= 12 && memcmp (self->data, "ttcf", 4) == 0)
    {
      if (face_index < 0 || (guint) face_index >= u32 (self->data + 8) || 16 + 4 * (gsize) face_index > self->size)
        goto bad;
      face = u32 (self->data + 12 + 4 * face_index);
    }
  else if (face_index != 0)
    goto bad;

  if (!find_table (self, face, "head", &head, &head_len) || head_len < 54 ||
      !find_table (self, face, "hhea", &hhea, &hhea_len) || hhea_len < 36 ||
      !find_table (self, face, "maxp", &maxp, &maxp_len) || maxp_len < 6 ||
      !find_table (self, face, "hmtx", &self->hmtx, &self->hmtx_len) ||
      !find_table (self, face, "cmap", &cmap, &cmap_len) ||
      !find_table (self, face, "loca", &self->loca, &self->loca_len) ||
      !find_table (self, face, "glyf", &self->glyf, &self->glyf_len) ||
      !choose_cmap (self, cmap, cmap_len))
    goto bad;

  self->units_per_em = u16 (head + 18);
  self->long_loca = s16 (head + 50) == 1;
  self->ascender = s16 (hhea + 4);
  self->descender = s16 (hhea + 6);
  self->n_hmetrics = u16 (hhea + 34);
  self->n_glyphs = u16 (maxp + 4);
  if (self->units_per_em == 0 || self->n_hmetrics == 0)
    goto bad;
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
  g_clear_pointer (&self->mapped, g_mapped_file_unref);
  g_clear_pointer (&self->cid_to_char, g_hash_table_unref);
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
sb_pdf_font_has_glyph (SbPdfFont *self,
                       gunichar   c)
{
  return glyph_id (self, c) != 0;
}

double
sb_pdf_font_advance (SbPdfFont *self,
                     gunichar   c)
{
  return glyph_advance (self, glyph_id (self, c)) * 1000.0 / self->units_per_em;
}

double
sb_pdf_font_ascent (SbPdfFont *self)
{
  return self->ascender * 1000.0 / self->units_per_em;
}

gboolean
sb_pdf_font_attach (SbPdfFont  *self,
                    HPDF_Doc    doc,
                    GError    **error)
{
  const char *name;

  if (g_str_has_suffix (self->path, ".ttc") || g_str_has_suffix (self->path, ".TTC"))
    name = HPDF_LoadTTFontFromFile2 (doc, self->path, self->face_index, HPDF_TRUE);
  else
    name = HPDF_LoadTTFontFromFile (doc, self->path, HPDF_TRUE);
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
  self->cid_to_char = g_hash_table_new (NULL, NULL);
  self->char_to_cid = g_hash_table_new (NULL, NULL);
  self->next_pua = PUA_LAST;
  return TRUE;
}

static gunichar
stand_in_cid (SbPdfFont *self,
              gunichar   c)
{
  gpointer cid;

  if (g_hash_table_lookup_extended (self->char_to_cid, GUINT_TO_POINTER (c), NULL, &cid))
    return GPOINTER_TO_UINT (cid);
  while (self->next_pua >= PUA_FIRST &&
         (glyph_id (self, self->next_pua) != 0 ||
          g_hash_table_contains (self->cid_to_char, GUINT_TO_POINTER (self->next_pua))))
    self->next_pua--;
  if (self->next_pua < PUA_FIRST)
    {
      self->pua_conflict = TRUE;
      return 0x20;
    }
  g_hash_table_insert (self->char_to_cid, GUINT_TO_POINTER (c), GUINT_TO_POINTER (self->next_pua));
  return self->next_pua--;
}

static gunichar
cid_for (SbPdfFont *self,
         gunichar   c)
{
  gunichar cid = c;
  gpointer known;

  if (c > 0xFFFF)
    cid = stand_in_cid (self, c);
  if (g_hash_table_lookup_extended (self->cid_to_char, GUINT_TO_POINTER (cid), NULL, &known))
    {
      if (GPOINTER_TO_UINT (known) != c)
        self->pua_conflict = TRUE;   /* a real PUA character met a stand-in */
    }
  else
    g_hash_table_insert (self->cid_to_char, GUINT_TO_POINTER (cid), GUINT_TO_POINTER (c));
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

static void
mark_glyph (SbPdfFont         *self,
            HPDF_TTFontDefAttr ta,
            guint              gid,
            int                depth)
{
  guint32 start, end;
  const guint8 *g;

  if (gid >= self->n_glyphs || gid >= ta->num_glyphs || depth > 8)
    return;
  ta->glyph_tbl.flgs[gid] = 1;
  if (self->long_loca)
    {
      if (4 * (gsize) gid + 8 > self->loca_len)
        return;
      start = u32 (self->loca + 4 * gid);
      end = u32 (self->loca + 4 * gid + 4);
    }
  else
    {
      if (2 * (gsize) gid + 4 > self->loca_len)
        return;
      start = 2u * u16 (self->loca + 2 * gid);
      end = 2u * u16 (self->loca + 2 * gid + 2);
    }
  if (end <= start + 10 || end > self->glyf_len)
    return;
  g = self->glyf + start;
  if (s16 (g) >= 0)
    return;
  /* a composite glyph: its components are embedded too */
  for (gsize at = 10; at + 4 <= end - start;)
    {
      guint flags = u16 (g + at);

      mark_glyph (self, ta, u16 (g + at + 2), depth + 1);
      at += 4 + ((flags & 0x1) ? 4 : 2);
      if (flags & 0x8)
        at += 2;
      else if (flags & 0x40)
        at += 4;
      else if (flags & 0x80)
        at += 8;
      if (!(flags & 0x20))
        break;
    }
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static guint
cid_width (SbPdfFont *self,
           gunichar   c)
{
  return (guint) (sb_pdf_font_advance (self, c) + 0.5);
}

static void
write_to_unicode (SbPdfFont *self,
                  HPDF_Dict  stream_dict,
                  GArray    *cids)
{
  g_autoptr(GString) cmap = g_string_new (
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

  for (guint i = 0; i < cids->len; i += 100)
    {
      guint n = MIN (100, cids->len - i);

      g_string_append_printf (cmap, "%u beginbfchar\n", n);
      for (guint j = i; j < i + n; j++)
        {
          guint cid = g_array_index (cids, guint, j);
          gunichar c = GPOINTER_TO_UINT (g_hash_table_lookup (self->cid_to_char, GUINT_TO_POINTER (cid)));

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

static void
write_cid_to_gid (SbPdfFont *self,
                  HPDF_Dict  stream_dict,
                  GArray    *cids)
{
  guint max_cid = cids->len ? g_array_index (cids, guint, cids->len - 1) : 0;
  g_autofree guint8 *map = g_malloc0 (2 * ((gsize) max_cid + 1));

  for (guint i = 0; i < cids->len; i++)
    {
      guint cid = g_array_index (cids, guint, i);
      gunichar c = GPOINTER_TO_UINT (g_hash_table_lookup (self->cid_to_char, GUINT_TO_POINTER (cid)));
      guint gid = glyph_id (self, c);

      map[2 * cid] = gid >> 8;
      map[2 * cid + 1] = gid & 0xFF;
    }
  HPDF_MemStream_FreeData (stream_dict->stream);
  HPDF_Stream_Write (stream_dict->stream, map, 2 * ((gsize) max_cid + 1));
}

static void
write_widths (SbPdfFont *self,
              HPDF_Dict  descendant,
              GArray    *cids)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  HPDF_Array w = HPDF_Array_New (descendant->mmgr);
  HPDF_Array run = NULL;
  guint dw = 1000, best = 0, previous = G_MAXUINT;

  for (guint i = 0; i < cids->len; i++)
    {
      guint cid = g_array_index (cids, guint, i);
      guint width = cid_width (self, GPOINTER_TO_UINT (g_hash_table_lookup (self->cid_to_char, GUINT_TO_POINTER (cid))));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (width))) + 1;

      g_hash_table_insert (counts, GUINT_TO_POINTER (width), GUINT_TO_POINTER (n));
      if (n > best || (n == best && width < dw))
        best = n, dw = width;
    }
  for (guint i = 0; i < cids->len; i++)
    {
      guint cid = g_array_index (cids, guint, i);
      guint width = cid_width (self, GPOINTER_TO_UINT (g_hash_table_lookup (self->cid_to_char, GUINT_TO_POINTER (cid))));

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

/* libharu's FontFile2 keeps the full cmap, post and hmtx whatever the text
 * (~200 KB a font): rebuilt with a minimal cmap (CIDToGIDMap does the
 * mapping), post format 3, an empty name table and the metrics of unused
 * glyphs zeroed. */

static guint32
table_checksum (const guint8 *data,
                gsize         length)
{
  guint32 sum = 0;

  for (gsize i = 0; i < length; i += 4)
    {
      guint8 word[4] = { 0 };
      memcpy (word, data + i, MIN (4, length - i));
      sum += u32 (word);
    }
  return sum;
}

static void
put16 (GByteArray *out,
       guint       value)
{
  guint8 b[2] = { value >> 8, value & 0xFF };
  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 b[4] = { value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF };
  g_byte_array_append (out, b, 4);
}

static void
set32 (guint8  *p,
       guint32  value)
{
  p[0] = value >> 24;
  p[1] = (value >> 16) & 0xFF;
  p[2] = (value >> 8) & 0xFF;
  p[3] = value & 0xFF;
}

static GByteArray *
shrink_sfnt (const guint8      *font,
             gsize              size,
             HPDF_TTFontDefAttr ta)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  guint n_tables, search = 1, selector = 0, n_hmetrics = 0;
  gsize head_at = 0;

  if (size < 12)
    return NULL;
  n_tables = u16 (font + 4);
  if (12 + 16 * (gsize) n_tables > size)
    return NULL;
  for (guint i = 0; i < n_tables; i++)
    {
      const guint8 *rec = font + 12 + 16 * i;
      if (memcmp (rec, "hhea", 4) == 0 && u32 (rec + 8) + 36 <= size)
        n_hmetrics = u16 (font + u32 (rec + 8) + 34);
    }

  for (guint i = 0; i < n_tables; i++)
    {
      const guint8 *rec = font + 12 + 16 * i;
      guint32 offset = u32 (rec + 8), length = u32 (rec + 12);
      GByteArray *body = g_byte_array_new ();

      if ((gsize) offset + length > size)
        {
          g_byte_array_unref (body);
          return NULL;
        }
      if (memcmp (rec, "post", 4) == 0 && length >= 32)
        {
          g_byte_array_append (body, font + offset, 32);
          set32 (body->data, 0x00030000);
        }
      else if (memcmp (rec, "name", 4) == 0)
        {
          /* the font's names and licence texts: a PDF names the font in
           * its own dictionaries; an empty table keeps the sfnt valid */
          put16 (body, 0);
          put16 (body, 0);
          put16 (body, 6);
        }
      else if (memcmp (rec, "cmap", 4) == 0)
        {
          static const guint16 cmap[] = { 0, 1, 3, 1, 0, 12, 4, 24, 0, 2, 2, 0, 0, 0xFFFF, 0, 0xFFFF, 1, 0 };
          for (guint k = 0; k < G_N_ELEMENTS (cmap); k++)
            put16 (body, cmap[k]);
        }
      else if (memcmp (rec, "hmtx", 4) == 0 && n_hmetrics > 0)
        {
          g_byte_array_append (body, font + offset, length);
          for (guint gid = 0; gid < ta->num_glyphs; gid++)
            {
              if (ta->glyph_tbl.flgs[gid] || gid == n_hmetrics - 1)
                continue;
              if (gid < n_hmetrics && 4 * (gsize) gid + 4 <= length)
                memset (body->data + 4 * gid, 0, 4);
              else if (gid >= n_hmetrics && 4 * (gsize) n_hmetrics + 2 * (gsize) (gid - n_hmetrics) + 2 <= length)
                memset (body->data + 4 * n_hmetrics + 2 * (gid - n_hmetrics), 0, 2);
            }
        }
      else
        g_byte_array_append (body, font + offset, length);
      g_ptr_array_add (bodies, body);
    }

  while (search * 2 <= n_tables)
    search *= 2, selector++;
  g_byte_array_append (out, font, 4);
  put16 (out, n_tables);
  put16 (out, search * 16);
  put16 (out, selector);
  put16 (out, n_tables * 16 - search * 16);
  {
    gsize at = 12 + 16 * (gsize) n_tables;
    for (guint i = 0; i < n_tables; i++)
      {
        GByteArray *body = g_ptr_array_index (bodies, i);
        g_byte_array_append (out, font + 12 + 16 * i, 4);
        put32 (out, table_checksum (body->data, body->len));
        put32 (out, at);
        put32 (out, body->len);
        if (memcmp (font + 12 + 16 * i, "head", 4) == 0)
          head_at = at;
        at += (body->len + 3) & ~(gsize) 3;
      }
    for (guint i = 0; i < n_tables; i++)
      {
        GByteArray *body = g_ptr_array_index (bodies, i);
        static const guint8 zeros[4] = { 0 };
        g_byte_array_append (out, body->data, body->len);
        g_byte_array_append (out, zeros, ((body->len + 3) & ~3u) - body->len);
      }
  }
  if (head_at != 0 && head_at + 12 <= out->len)
    {
      /* the head checksum is computed with checkSumAdjustment zero */
      set32 (out->data + head_at + 8, 0);
      for (guint i = 0; i < n_tables; i++)
        if (memcmp (out->data + 12 + 16 * i, "head", 4) == 0)
          set32 (out->data + 12 + 16 * i + 4, table_checksum (out->data + head_at, u32 (out->data + 12 + 16 * i + 12)));
      set32 (out->data + head_at + 8, 0xB1B0AFBA - table_checksum (out->data, out->len));
    }
  return g_steal_pointer (&out);
}

static void
shrink_font_file (SbPdfFont         *self,
                  HPDF_FontAttr      fa,
                  HPDF_TTFontDefAttr ta)
{
  HPDF_Dict ff2 = fa->fontdef->descriptor ? HPDF_Dict_GetItem (fa->fontdef->descriptor, "FontFile2", HPDF_OCLASS_DICT) : NULL;
  HPDF_UINT32 size;
  g_autofree guint8 *data = NULL;
  g_autoptr(GByteArray) rebuilt = NULL;
  HPDF_UINT got;

  if (ff2 == NULL || ff2->stream == NULL)
    return;
  size = HPDF_Stream_Size (ff2->stream);
  if (size == 0 || HPDF_Stream_Seek (ff2->stream, 0, HPDF_SEEK_SET) != HPDF_OK)
    return;
  data = g_malloc (size);
  got = size;
  if (HPDF_Stream_Read (ff2->stream, data, &got) != HPDF_OK && got != size)
    {
      HPDF_ResetError (self->doc);
      return;
    }
  HPDF_ResetError (self->doc);
  rebuilt = shrink_sfnt (data, got, ta);
  if (rebuilt == NULL)
    return;
  HPDF_MemStream_FreeData (ff2->stream);
  HPDF_Stream_Write (ff2->stream, rebuilt->data, rebuilt->len);
  HPDF_Dict_AddNumber (ff2, "Length1", rebuilt->len);
}

gboolean
sb_pdf_font_finish (SbPdfFont  *self,
                    GError    **error)
{
  HPDF_FontAttr fa;
  HPDF_TTFontDefAttr ta;
  HPDF_Dict csi;
  g_autoptr(GArray) cids = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;

  if (self->font == NULL)
    return TRUE;
  restore_cmap (self);
  if (self->pua_conflict)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: the text uses Private Use Area characters that Shenbao needs for characters beyond U+FFFF, "
                     "or more than 6,400 different such characters"), self->path);
      return FALSE;
    }

  fa = (HPDF_FontAttr) self->font->attr;
  ta = (HPDF_TTFontDefAttr) fa->fontdef->attr;

  g_hash_table_iter_init (&iter, self->cid_to_char);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint cid = GPOINTER_TO_UINT (key);
      g_array_append_val (cids, cid);
    }
  g_array_sort (cids, compare_uint);

  for (guint i = 0; i < cids->len; i++)
    {
      guint cid = g_array_index (cids, guint, i);
      mark_glyph (self, ta, glyph_id (self, GPOINTER_TO_UINT (g_hash_table_lookup (self->cid_to_char, GUINT_TO_POINTER (cid)))), 0);
    }
  ta->glyph_tbl.flgs[0] = 1;

  write_to_unicode (self, fa->cmap_stream, cids);
  write_cid_to_gid (self, fa->map_stream, cids);
  write_widths (self, fa->descendant_font, cids);

  csi = HPDF_Dict_GetItem (fa->descendant_font, "CIDSystemInfo", HPDF_OCLASS_DICT);
  if (csi != NULL)
    HPDF_Dict_Add (csi, "Ordering", HPDF_String_New (self->font->mmgr, "Identity", NULL));

  if (self->font->before_write_fn != NULL)
    self->font->before_write_fn (self->font);
  if (fa->fontdef->descriptor != NULL)
    HPDF_Dict_AddNumber (fa->fontdef->descriptor, "CapHeight", fa->fontdef->cap_height);
  shrink_font_file (self, fa, ta);

  if (HPDF_GetError (self->doc) != HPDF_OK)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the PDF library failed while embedding the font (error 0x%04lX)"),
                   self->path, (unsigned long) HPDF_GetError (self->doc));
      return FALSE;
    }
  return TRUE;
}
