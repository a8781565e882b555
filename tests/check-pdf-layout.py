#!/usr/bin/env python3
# check-pdf-layout.py — the page breaks and lines a bureau clerk would object to
#
# Reads a PDF with independent tools only (mutool's structured text: every
# glyph with its font and line; mutool trace: the ruled lines), never with
# Shenbao's own code, and fails, naming the file, page and text, when
# - a page holds nothing but signature lines, seal boxes, date lines and
#   headings (a signature group stranded from what it signs);
# - a page ends with a signature line or seal label and the next page
#   starts with another (a signature group split across pages);
# - the last line of a page's text block is all in the heading face (a
#   heading, a table's caption or its header row without a row under it),
#   unless the next page starts a new part;
# - a text's last line (in the same ruled cell, or mutool's block outside
#   cells) holds a single character (or one and closing punctuation) under
#   a line that could give it one or two CJK characters without a line
#   starting or ending against the Chinese rules and keeping two (a widow
#   the line breaker should have avoided);
# - two characters of a line stand more than MAX_STRETCH em apart (a
#   justified line stretched wide) but closer than a cell's padding;
# - with --apart TEXT (repeatable): the line holding TEXT (or the ruled cell
#   around it, or the seal box right above it) has a ruled line less than
#   MIN_GAP pt above it that is not its own top edge: the block touches the
#   one above.
#
# Usage: check-pdf-layout.py [--apart TEXT]... PDF...
#        check-pdf-layout.py --self-test    (the checks find planted faults)
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("check_pdf_cells", os.path.join(HERE, "check-pdf-cells.py"))
cells = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cells)

PT_PER_MM = 72 / 25.4
PAGE_H = 841.89
BOTTOM = PAGE_H - 35 * PT_PER_MM   # the text block's foot (GB/T 9704 margins)
MAX_STRETCH = 0.13                 # em
MIN_GAP = 8.0                      # pt: half a line of body text is 9.6
NO_LINE_START = set("，。、；：？！）】》”’%％·…～」』〕〉｝］,.;:?!)]}")
NO_LINE_END = set("（【《“‘「『〔〈｛［([{")
SIGNATURE_RE = re.compile(r"（签字）|（盖章）|公章）|^年\s*月\s*日$|＿{4,}")


class Line:
    def __init__(self, text, glyphs, heading, block):
        self.text = text                 # without spaces
        self.glyphs = glyphs             # (c, x0, y0, x1, y1, size, after a space the file draws)
        self.heading = heading           # every glyph in the heading face
        self.block = block               # mutool's block number on the page
        self.x0 = min(g[1] for g in glyphs)
        self.y0 = min(g[2] for g in glyphs)
        self.x1 = max(g[3] for g in glyphs)
        self.y1 = max(g[4] for g in glyphs)
        self.size = max(g[5] for g in glyphs)


def is_heading_font(name):
    return "zen" in name.lower() or "hei" in name.lower()


def read_pages(pdf):
    """Lines of glyphs (spaces dropped) per page, with their faces."""
    root = ET.fromstring(cells.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf]))
    pages = []
    for page_el in root.iter("page"):
        lines = []
        for number, block_el in enumerate(page_el.iter("block")):
            for line_el in block_el.iter("line"):
                glyphs, heading, space = [], True, False
                for font_el in line_el.iter("font"):
                    size = float(font_el.get("size"))
                    for ch in font_el.iter("char"):
                        c = ch.get("c")
                        if c is None or c.isspace() or c == "\u3000":
                            space = space or (c is not None and drawn_space(ch, size))
                            continue
                        q = cells.floats(ch.get("quad"))
                        glyphs.append((c, min(q[0::2]), min(q[1::2]), max(q[0::2]), max(q[1::2]), size, space))
                        space = False
                        heading = heading and is_heading_font(font_el.get("name", ""))
                if glyphs:
                    lines.append(Line("".join(g[0] for g in glyphs), glyphs, heading, number))
        pages.append(lines)
    return pages


def drawn_space(ch, size):
    """mutool adds a space spanning the gap where glyphs stand apart; a
    space the file draws is at least 0.4 em wide (half-width: 0.5 em)"""
    q = cells.floats(ch.get("quad"))
    return max(q[0::2]) - min(q[0::2]) >= 0.4 * size


def body(lines):
    return [l for l in lines if l.y1 < BOTTOM + 2]


def is_signature(line):
    return SIGNATURE_RE.search(line.text) is not None


def is_cjk(c):
    return "\u3400" <= c <= "\u9fff" or "\U00020000" <= c <= "\U0002ffff"


class Checker:
    def __init__(self, pdf, apart):
        self.pdf = pdf
        self.apart = apart
        self.failures = []

    def fail(self, number, message):
        self.failures.append("%s page %d: %s" % (os.path.basename(self.pdf), number, message))

    def check_signatures(self, pages):
        for number, lines in enumerate(pages, start=1):
            lines = body(lines)
            if any(is_signature(l) for l in lines) and all(is_signature(l) or l.heading for l in lines):
                self.fail(number, "holds only signatures: %s" % " / ".join(l.text for l in lines))
        for number in range(1, len(pages)):
            this, after = body(pages[number - 1]), body(pages[number])
            if this and after:
                last = max(this, key=lambda l: l.y1)
                first = min(after, key=lambda l: l.y0)
                if is_signature(last) and is_signature(first):
                    self.fail(number, "the signatures split: “%s” here, “%s” on the next page" % (last.text, first.text))

    def check_feet(self, pages, footers):
        for number, lines in enumerate(pages, start=1):
            lines = body(lines)
            if not lines or number == len(pages) or footers[number - 1] != footers[number]:
                continue
            foot = max(l.y1 for l in lines)
            last = [l for l in lines if l.y1 > foot - 2]
            if all(l.heading for l in last):
                self.fail(number, "ends with a heading, caption or table header: %s" % " / ".join(l.text for l in last))

    @staticmethod
    def cell_of(line, page):
        """the innermost ruled rectangle around the line's centre, or None"""
        x, y = (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2
        around = [r for r in (page.rects if page else []) if r[0] <= x <= r[2] and r[1] <= y <= r[3]]
        return min(around, key=lambda r: (r[2] - r[0]) * (r[3] - r[1])) if around else None

    def check_widows(self, pages, paths):
        for number, lines in enumerate(pages, start=1):
            page = paths.get(number)
            for line in lines:
                letters = [c for c in line.text if c not in NO_LINE_START]
                if len(letters) != 1 or not is_cjk(letters[0]) or line.text[0] in NO_LINE_START:
                    continue
                cell = self.cell_of(line, page)
                above = [l for l in lines if l is not line and 0 < line.y0 - l.y0 < 2 * line.size and
                         (self.cell_of(l, page) == cell if cell else l.block == line.block) and
                         (cell or (l.x0 < line.x1 and l.x1 > line.x0))]
                if not above:
                    continue
                prev = max(above, key=lambda l: l.y0).text
                # one (or two) characters could come down: a CJK character
                # that may start a line, after one that may end a line, and
                # two stay above
                if any(len(prev) >= pull + 2 and is_cjk(prev[-pull]) and prev[-pull] not in NO_LINE_START and
                       prev[-pull - 1] not in NO_LINE_END and all(is_cjk(c) or c in NO_LINE_START for c in prev[-pull:])
                       for pull in (1, 2)):
                    self.fail(number, "“%s” alone on the last line under “%s”" % (line.text, prev))

    def check_stretch(self, pages):
        for number, lines in enumerate(pages, start=1):
            for line in lines:
                g = line.glyphs
                for a, b in zip(g, g[1:]):
                    gap = b[1] - a[3]
                    if is_cjk(a[0]) and is_cjk(b[0]) and not b[6] and MAX_STRETCH * a[5] < gap < 0.6 * a[5]:
                        self.fail(number, "“%s” stretched: %.2f em between “%s” and “%s”"
                                  % (line.text, gap / a[5], a[0], b[0]))
                        break

    def check_apart(self, pages, paths):
        for text in self.apart:
            found = False
            for number, lines in enumerate(pages, start=1):
                page = paths.get(number)
                for line in lines:
                    if text not in line.text:
                        continue
                    found = True
                    holders = [r for r in (page.rects if page else []) if r[0] <= line.x0 and r[2] >= line.x1 and
                               r[1] <= line.y0 and r[3] >= line.y1]
                    # a seal label: its (empty) box just above it
                    seals = [r for r in (page.rects if page else []) if not holders and
                             0 <= line.y0 - r[3] < 14 and r[0] < line.x1 and r[2] > line.x0 and
                             not any(r[0] <= (l.x0 + l.x1) / 2 <= r[2] and r[1] <= (l.y0 + l.y1) / 2 <= r[3]
                                     for l in lines)]
                    top = max((r[1] for r in holders + seals), default=line.y0)
                    # ruled lines above the top, and boxes ending at it
                    edges = [(y, a, b) for y, a, b in (page.h_lines if page else []) if y < top - 0.5]
                    for r in (page.rects if page else []):
                        edges += [(y, r[0], r[2]) for y in (r[1], r[3]) if y < top - 0.5]
                        if abs(r[3] - top) <= 0.5 and r[1] < top - 0.5:
                            edges.append((r[3], r[0], r[2]))
                    near = [y for y, a, b in edges
                            if top - MIN_GAP < y < top + 0.5 and a < line.x1 and b > line.x0]
                    if near:
                        self.fail(number, "“%s” (in “%s”, top %.2f pt) touches the block above it: a ruled line at %.2f pt"
                                  % (text, line.text, top, max(near)))
            if not found:
                self.failures.append("%s: “%s” is not in the file" % (os.path.basename(self.pdf), text))

    def check(self):
        pages = read_pages(self.pdf)
        footers = []
        for lines in pages:
            foot = [l.text for l in lines if l.y0 > BOTTOM + 2]
            footers.append(foot[-1].split("·")[-1] if foot else "")
        self.check_signatures(pages)
        self.check_feet(pages, footers)
        paths = {}
        cells.read_paths(self.pdf, paths)
        self.check_widows(pages, paths)
        self.check_stretch(pages)
        if self.apart:
            self.check_apart(pages, paths)
        return self.failures


def make_pdf(path, pages):
    """A PDF whose pages draw the given content streams in a body (F1: AR PL
    UMing) and a heading (F2: WenQuanYi Zen Hei) font, written by hand with
    the fonts not embedded: mutool substitutes a CJK font and reports the
    names."""
    objects = []
    fonts = "<< /F1 4 0 R /F2 5 0 R >>"
    kids = " ".join("%d 0 R" % (6 + 2 * i) for i in range(len(pages)))
    objects.append("<< /Type /Catalog /Pages 2 0 R >>")
    objects.append("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    objects.append("<< >>")
    for name in ("ARPLUMingCN", "WenQuanYiZenHei"):
        objects.append("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /UniGB-UCS2-H "
                       "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /%s "
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 "
                       "/FontDescriptor << /Type /FontDescriptor /FontName /%s /Flags 4 "
                       "/FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 "
                       "/StemV 80 >> >>] >>" % (name, name, name))
    for i, content in enumerate(pages):
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.276 841.89] /Resources << /Font %s >> "
                       "/Contents %d 0 R >>" % (fonts, 7 + 2 * i))
        data = content.encode("latin-1")
        objects.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(data), content))
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (n, obj)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    for o in offsets:
        out += ("%010d 00000 n \n" % o).encode()
    out += ("trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)).encode()
    with open(path, "wb") as f:
        f.write(out)


def show(font, size, x, y, text, spacing=0):
    """y from the page top, text in UCS-2 for UniGB-UCS2-H"""
    hexes = "".join("%04X" % ord(c) for c in text)
    return "BT /%s %g Tf %g Tc %g %g Td <%s> Tj ET\n" % (font, size, spacing, x, PAGE_H - y, hexes)


def footer(part):
    return show("F1", 8, 200, 800, "申报摘要·" + part)


def self_test():
    cases = [
        ("signatures alone", [show("F1", 12, 300, 200, "正文最后一行。") + footer("甲"),
                              show("F1", 12, 300, 200, "项目负责人（签字）：＿＿＿＿") +
                              show("F1", 12, 380, 230, "年月日") + footer("甲")],
         "holds only signatures"),
        ("signatures split", [show("F1", 12, 100, 200, "正文。") + show("F1", 12, 300, 700, "负责人（签字）：＿＿＿＿") +
                              footer("甲"),
                              show("F1", 12, 300, 200, "申报单位（盖章）") + show("F1", 12, 100, 300, "正文。") +
                              footer("甲")],
         "the signatures split"),
        ("header at the foot", [show("F1", 12, 100, 200, "正文。") + show("F2", 10.5, 100, 700, "序号") +
                                show("F2", 10.5, 200, 700, "姓名") + footer("甲"),
                                show("F1", 12, 100, 200, "正文。") + footer("甲")],
         "ends with a heading"),
        ("widow", [show("F1", 12, 100, 200, "申请市财政资") + show("F1", 12, 100, 215, "助") + footer("甲")],
         "alone on the last line"),
        ("stretched", [show("F1", 12, 100, 200, "成果来源于江西", 3) + footer("甲")], "stretched"),
    ]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, pages, expect in cases:
            path = os.path.join(tmp, "case.pdf")
            make_pdf(path, pages)
            found = Checker(path, []).check()
            if not any(expect in f for f in found):
                print("not ok: %s: expected “%s”, found %s" % (name, expect, found))
                failed += 1
            else:
                print("ok: %s" % name)
        # the same pages done right pass
        path = os.path.join(tmp, "good.pdf")
        make_pdf(path, [show("F1", 12, 100, 200, "正文最后两行。") + show("F1", 12, 300, 230, "项目负责人（签字）：＿＿＿＿") +
                        show("F2", 10.5, 100, 300, "序号") + show("F1", 10.5, 100, 320, "１") +
                        show("F1", 12, 100, 400, "申请市财") + show("F1", 12, 100, 415, "政资助") + footer("甲")])
        found = Checker(path, []).check()
        if found:
            print("not ok: a good page: %s" % found)
            failed += 1
        else:
            print("ok: a good page passes")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apart", action="append", default=[])
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("pdf", nargs="*")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    failures = []
    for pdf in args.pdf:
        failures += Checker(pdf, args.apart).check()
    for f in failures[:40]:
        print(f)
    if len(failures) > 40:
        print("… and %d more" % (len(failures) - 40))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
