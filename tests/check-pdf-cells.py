#!/usr/bin/env python3
# check-pdf-cells.py — text stays inside its cell and its page's text block
#
# Reads a PDF with independent tools only, never with Shenbao's own code:
# - the ruling lines and rectangles the pages draw, from `mutool trace`
#   (every stroked path, in page coordinates);
# - every glyph's box, from `mutool draw -F stext` (char quads);
# - every word and line, from poppler's `pdftotext -bbox-layout`.
# and fails, naming the file, page, text and coordinates, when
# - a glyph box crosses a drawn line;
# - a glyph inside a ruled rectangle (a grid cell, a long-text box) is not
#   wholly inside the innermost rectangle that holds its centre;
# - a glyph, a word or a line lies outside its page's text block: with
#   mirrored margins (GB/T 9704-2012 9.2, double-sided printing) the binding
#   edge is on the left of odd pages and on the right of even pages;
# - the body text of a page starts at the other side's text block edge (a
#   page not mirrored when it should be, or mirrored when it should not),
#   or no page of a side starts its text at that side's edge.
#
# Usage: check-pdf-cells.py [--margins TOP,RIGHT,BOTTOM,LEFT] [--no-mirror]
#                           [--verbose] PDF...
#        check-pdf-cells.py --self-test    (the checks find planted faults)
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import bisect
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PT_PER_MM = 72 / 25.4
TOL = 0.25        # pt: glyph boxes may touch a line, not cross it
EDGE_TOL = 0.1    # pt: "starts at the edge"
CELL_PAD = 6.0    # pt: text in a cell starts this far inside it
MAX_REPORTS = 25


class Page:
    def __init__(self, number):
        self.number = number
        self.h_lines = []   # (y, x0, x1)
        self.v_lines = []   # (x, y0, y1)
        self.rects = []     # (x0, y0, x1, y1), stroked
        self.glyphs = []    # (char, x0, y0, x1, y1)
        self.lines = []     # (text, x0, y0, x1, y1) from poppler


def run(args):
    result = subprocess.run(args, capture_output=True)
    if result.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (" ".join(args), result.returncode,
                                                 result.stderr.decode("utf-8", "replace")))
    return result.stdout


def floats(text):
    return [float(v) for v in text.replace(",", " ").split()]


def read_paths(pdf, pages):
    """Stroked paths: segments and axis-aligned rectangles, top-left origin."""
    root = ET.fromstring(run(["mutool", "trace", pdf]))
    for page_el in root.iter("page"):
        page = pages.setdefault(int(page_el.get("number")), Page(int(page_el.get("number"))))
        for path in page_el.iter("stroke_path"):
            a, b, c, d, e, f = floats(path.get("transform", "1 0 0 1 0 0"))

            def tr(el):
                x, y = float(el.get("x")), float(el.get("y"))
                return (a * x + c * y + e, b * x + d * y + f)

            subpaths, current = [], []
            for el in path:
                if el.tag == "moveto":
                    if len(current) > 1:
                        subpaths.append((current, False))
                    current = [tr(el)]
                elif el.tag == "lineto":
                    current.append(tr(el))
                elif el.tag == "closepath":
                    if current:
                        subpaths.append((current, True))
                        current = [current[0]]
                elif el.tag in ("curveto", "curvetov", "curvetoy"):
                    raise SystemExit("%s page %d: a curve; this checker knows straight lines only" % (pdf, page.number))
            if len(current) > 1:
                subpaths.append((current, False))
            for points, closed in subpaths:
                pts = points + [points[0]] if closed else points
                for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                    if abs(y0 - y1) < 0.01:
                        page.h_lines.append((y0, min(x0, x1), max(x0, x1)))
                    elif abs(x0 - x1) < 0.01:
                        page.v_lines.append((x0, min(y0, y1), max(y0, y1)))
                    else:
                        raise SystemExit("%s page %d: a slanted line (%g, %g)–(%g, %g)" % (pdf, page.number, x0, y0, x1, y1))
                if closed and len(points) == 4:
                    xs = sorted({round(p[0], 2) for p in points})
                    ys = sorted({round(p[1], 2) for p in points})
                    if len(xs) == 2 and len(ys) == 2:
                        page.rects.append((xs[0], ys[0], xs[1], ys[1]))


def read_glyphs(pdf, pages):
    root = ET.fromstring(run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf]))
    for number, page_el in enumerate(root.iter("page"), start=1):
        page = pages.setdefault(number, Page(number))
        for ch in page_el.iter("char"):
            c = ch.get("c")
            if c is None or c.isspace() or c == "\u3000":
                continue
            q = floats(ch.get("quad"))
            xs, ys = q[0::2], q[1::2]
            page.glyphs.append((c, min(xs), min(ys), max(xs), max(ys)))


LINE_RE = re.compile(r'<line xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">(.*?)</line>', re.S)
WORD_RE = re.compile(r'<word [^>]*>(.*?)</word>', re.S)


def read_lines(pdf, pages):
    text = run(["pdftotext", "-bbox-layout", pdf, "-"]).decode("utf-8")
    for number, chunk in enumerate(text.split("<page ")[1:], start=1):
        page = pages.setdefault(number, Page(number))
        for m in LINE_RE.finditer(chunk):
            words = " ".join(w for w in WORD_RE.findall(m.group(5)))
            page.lines.append((words,) + tuple(float(m.group(i)) for i in range(1, 5)))


class Checker:
    def __init__(self, pdf, margins, mirror):
        self.pdf = pdf
        self.top, self.right, self.bottom, self.left = [m * PT_PER_MM for m in margins]
        self.mirror = mirror
        self.failures = []
        self.page_w = 595.276
        self.page_h = 841.89

    def fail(self, page, message):
        self.failures.append((page.number, "%s page %d: %s" % (os.path.basename(self.pdf), page.number, message)))

    def block(self, number, mirror=None):
        """The text block's left and right edges of page number (1-based)."""
        mirror = self.mirror if mirror is None else mirror
        left = self.right if mirror and number % 2 == 0 else self.left
        return left, self.page_w - (self.left + self.right - left)

    @staticmethod
    def mm(pt):
        return "%.2f mm" % (pt / PT_PER_MM)

    def check_lines_crossed(self, page):
        h = sorted(page.h_lines)
        v = sorted(page.v_lines)
        hy = [s[0] for s in h]
        vx = [s[0] for s in v]
        for c, x0, y0, x1, y1 in page.glyphs:
            # one report per glyph: adjacent cells share their edges
            crossed = [("horizontal line y %.2f (x %.2f–%.2f)" % (y, a, b))
                       for y, a, b in h[bisect.bisect_right(hy, y0 + TOL):bisect.bisect_left(hy, y1 - TOL)]
                       if a < x1 - TOL and b > x0 + TOL]
            crossed += [("vertical line x %.2f (y %.2f–%.2f)" % (x, a, b))
                        for x, a, b in v[bisect.bisect_right(vx, x0 + TOL):bisect.bisect_left(vx, x1 - TOL)]
                        if a < y1 - TOL and b > y0 + TOL]
            if crossed:
                self.fail(page, "“%s” at x %.2f–%.2f, y %.2f–%.2f pt crosses the %s"
                          % (c, x0, x1, y0, y1, crossed[0]))

    def check_cells(self, page):
        rects = sorted(page.rects, key=lambda r: r[1])
        tops = [r[1] for r in rects]
        for c, x0, y0, x1, y1 in page.glyphs:
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            cell = None
            for r in rects[:bisect.bisect_right(tops, cy)]:
                if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]:
                    if cell is None or (r[2] - r[0]) * (r[3] - r[1]) < (cell[2] - cell[0]) * (cell[3] - cell[1]):
                        cell = r
            if cell is None:
                continue
            if x0 < cell[0] - TOL or x1 > cell[2] + TOL or y0 < cell[1] - TOL or y1 > cell[3] + TOL:
                self.fail(page, "“%s” at x %.2f–%.2f, y %.2f–%.2f pt is not inside its cell x %.2f–%.2f, y %.2f–%.2f"
                          % (c, x0, x1, y0, y1, cell[0], cell[2], cell[1], cell[3]))

    def check_text_block(self, page):
        left, right = self.block(page.number)
        side = "even" if page.number % 2 == 0 else "odd"
        for c, x0, y0, x1, y1 in page.glyphs:
            if x0 < left - TOL or x1 > right + TOL or y0 < 0 or y1 > self.page_h:
                self.fail(page, "“%s” at x %.2f–%.2f pt (%s–%s) is outside the %s page's text block %s–%s"
                          % (c, x0, x1, self.mm(x0), self.mm(x1), side, self.mm(left), self.mm(right)))
        for x, a, b in page.v_lines:
            if x < left - TOL or x > right + TOL:
                self.fail(page, "a vertical line at x %.2f pt (%s) is outside the %s page's text block %s–%s"
                          % (x, self.mm(x), side, self.mm(left), self.mm(right)))
        for y, a, b in page.h_lines:
            if a < left - TOL or b > right + TOL:
                self.fail(page, "a horizontal line x %.2f–%.2f pt at y %.2f is outside the %s page's text block %s–%s"
                          % (a, b, y, side, self.mm(left), self.mm(right)))
        for text, x0, y0, x1, y1 in page.lines:
            if x0 < left - TOL or x1 > right + TOL:
                self.fail(page, "the line “%s” at x %.2f–%.2f pt (%s–%s) is outside the %s page's text block %s–%s"
                          % (text, x0, x1, self.mm(x0), self.mm(x1), side, self.mm(left), self.mm(right)))

    def body_edge(self, page):
        """Where the page's body text starts: the smallest xMin of poppler's
        lines above the footer (the page number sits below the text block)."""
        foot = self.page_h - self.bottom + 1
        starts = [x0 for text, x0, y0, x1, y1 in page.lines if y1 <= foot]
        return min(starts) if starts else None

    def check_mirroring(self, pages):
        at_edge = {0: [], 1: []}
        for page in pages:
            edge = self.body_edge(page)
            if edge is None:
                continue
            left, _ = self.block(page.number)
            other, _ = self.block(page.number, mirror=not self.mirror)
            ours = [left, left + CELL_PAD]
            theirs = [other, other + CELL_PAD]
            if any(abs(edge - x) <= EDGE_TOL for x in ours):
                at_edge[page.number % 2].append(page.number)
            elif left != other and any(abs(edge - x) <= EDGE_TOL for x in theirs):
                self.fail(page, "the body text starts at x %.2f pt (%s): the %s text block's edge, not %s"
                          % (edge, self.mm(edge), "mirrored" if not self.mirror else "unmirrored", self.mm(left)))
            if self.verbose:
                print("%s page %d: body text from %s (text block from %s)"
                      % (os.path.basename(self.pdf), page.number, self.mm(edge), self.mm(left)))
        for parity, name in ((1, "odd"), (0, "even")):
            numbers = [p.number for p in pages if p.number % 2 == parity and self.body_edge(p) is not None]
            if len(numbers) >= 2 and not at_edge[parity]:
                left, _ = self.block(numbers[0])
                self.fail(pages[numbers[0] - 1], "no %s page starts its body text at the text block's edge %s (pages %s)"
                          % (name, self.mm(left), ", ".join(map(str, numbers))))

    def check(self, verbose=False):
        self.verbose = verbose
        pages = {}
        read_paths(self.pdf, pages)
        read_glyphs(self.pdf, pages)
        read_lines(self.pdf, pages)
        ordered = [pages[n] for n in sorted(pages)]
        if not any(p.glyphs for p in ordered):
            self.failures.append((0, "%s: no text found" % self.pdf))
        for page in ordered:
            self.check_lines_crossed(page)
            self.check_cells(page)
            self.check_text_block(page)
        self.check_mirroring(ordered)
        if verbose:
            print("%s: %d pages, %d glyphs, %d ruled rectangles, %d line segments" % (
                os.path.basename(self.pdf), len(ordered), sum(len(p.glyphs) for p in ordered),
                sum(len(p.rects) for p in ordered), sum(len(p.h_lines) + len(p.v_lines) for p in ordered)))
        # page by page, in the order found on each page
        return [message for _, message in sorted(self.failures, key=lambda f: f[0])]


# Self-test: hand-written PDFs with planted faults (Helvetica, not embedded)

def make_pdf(path, pages):
    """pages: content streams (str). A4, one Helvetica font."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for content in pages:
        data = content.encode("latin-1")
        objects.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(data), content))
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.276 841.89] "
                       "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects)))
        kids.append("%d 0 R" % len(objects))
    objects[1] = "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i, obj)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    for off in offsets:
        out += ("%010d 00000 n \n" % off).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)).encode()
    with open(path, "wb") as f:
        f.write(out)


def page_content(left, texts, cell=None):
    """texts: (x, y_from_top, string); cell: (x, top, w, h) stroked, top-left origin."""
    ops = []
    if cell:
        x, top, w, h = cell
        ops.append("0.6 w %.3f %.3f %.3f %.3f re S" % (x, 841.89 - top - h, w, h))
    for x, y, s in texts:
        ops.append("BT /F1 12 Tf %.3f %.3f Td (%s) Tj ET" % (x, 841.89 - y, s))
    return "\n".join(ops)


def self_test():
    odd, even = 28 * PT_PER_MM, 26 * PT_PER_MM
    width = 156 * PT_PER_MM
    body = "Body text at the edge"
    cases = {
        # name: (pages, expected fragments of the failures; [] = must pass)
        "good": ([page_content(odd, [(odd, 200, body), (odd + CELL_PAD, 260, "In a cell")], (odd, 245, 200, 30)),
                  page_content(even, [(even, 200, body), (even + CELL_PAD, 260, "In a cell")], (even, 245, width, 30))],
                 []),
        "text over a cell's edge": ([page_content(odd, [(odd, 200, body), (odd + 150, 260, "Shifted out of its cell")], (odd, 245, 200, 30)),
                                     page_content(even, [(even, 200, body)])],
                                    ["crosses the vertical line x 279.37"]),
        "text below its cell": ([page_content(odd, [(odd, 200, body), (odd + CELL_PAD, 280, "Too low")], (odd, 245, 200, 30)),
                                 page_content(even, [(even, 200, body)])],
                                ["crosses the horizontal line"]),
        "even page not mirrored": ([page_content(odd, [(odd, 200, body)]),
                                    page_content(even, [(odd, 200, body), (odd + CELL_PAD, 260, "In a cell")], (odd, 245, width, 30))],
                                   ["page 2: the body text starts at x", "is outside the even page's text block"]),
    }
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (pages, expected) in cases.items():
            path = os.path.join(tmp, name.replace(" ", "-").replace("'", "") + ".pdf")
            make_pdf(path, pages)
            failures = Checker(path, (37, 26, 35, 28), True).check()
            text = "\n".join(failures)
            ok = (not failures) if not expected else all(e in text for e in expected)
            print("%s - self-test: %s" % ("ok" if ok else "not ok", name))
            if not ok:
                failed += 1
                print("  expected %s, got:\n  %s" % (expected or "no failure", text.replace("\n", "\n  ") or "no failure"))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdfs", nargs="*")
    parser.add_argument("--margins", default="37,26,35,28", help="top,right,bottom,left in mm (left: the binding edge)")
    parser.add_argument("--no-mirror", action="store_true", help="the same margins on every page")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    margins = [float(v) for v in args.margins.split(",")]
    status = 0
    for pdf in args.pdfs:
        failures = Checker(pdf, margins, not args.no_mirror).check(args.verbose)
        for line in failures[:MAX_REPORTS]:
            print(line)
        if len(failures) > MAX_REPORTS:
            print("%s: … and %d more" % (pdf, len(failures) - MAX_REPORTS))
        if failures:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
