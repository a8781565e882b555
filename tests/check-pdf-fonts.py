#!/usr/bin/python3
# tests/check-pdf-fonts.py SHENBAO SOURCE_DIR — the fonts embedded in an
# exported PDF hold the glyphs drawn and nothing else, and each CID draws
# the right glyph. Read with mupdf (`mutool show`) and fontTools (Debian:
# python3-fonttools), not with our own code:
# - CIDs are 1, 2, 3…, one per distinct character (docs/pdf.md);
# - every glyph of each font program is .notdef, a glyph some CID of the
#   ToUnicode map is mapped to by the CIDToGIDMap, or a component of one;
# - each CID's glyph has the outline and advance of the glyph the original
#   font file (found by fontconfig from the PostScript name, the face
#   inside a .ttc included) has for the CID's Unicode character;
# - the font program carries no cmap, glyph names, name table or hinting,
#   and is no larger than the kept glyphs' outlines plus per-glyph tables;
# - a chosen face of a .ttc (--font FILE:INDEX) is the face embedded.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import io
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    from fontTools.ttLib import TTFont
except ImportError:
    print("1..0 # SKIP fontTools is not installed (Debian: python3-fonttools; tools/install-deps --tests)")
    sys.exit(0)

shenbao, source_dir = sys.argv[1], sys.argv[2]
samples = os.path.abspath(os.path.join(source_dir, "resources", "samples"))
results = []


def ok(condition, what):
    results.append((bool(condition), what))
    return condition


def run(*args):
    done = subprocess.run(args, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), done.stderr.decode(errors="replace")))
    return done.stdout


def export(draft, pdf, *options):
    run(shenbao, "export", draft, "--pdf", pdf, "--time", "2024-01-20T09:42:00Z", *options)


def objects(pdf):
    """object number -> its dictionary text, from mutool's one-line listing"""
    out = {}
    for line in run("mutool", "show", pdf, "grep").decode("latin-1").splitlines():
        m = re.match(r"(\d+) 0 obj (.*)", line)
        if m:
            out[int(m.group(1))] = m.group(2)
    return out


def ref(text, key):
    m = re.search(r"/" + key + r"\s*\[?\s*(\d+) 0 R", text)
    return int(m.group(1)) if m else None


def to_unicode(data):
    """CID -> text, from the bfchar entries of a ToUnicode CMap"""
    out = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for cid, utf16 in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(cid, 16)] = bytes.fromhex(utf16.decode()).decode("utf-16-be")
    return out


def original_font(base_font):
    """the installed font file and face fontconfig gives for a PostScript name"""
    name = base_font.split("+", 1)[-1].split(",", 1)[0]
    listing = run("fc-list", ":postscriptname=" + name, "file", "index").decode()
    m = re.search(r"^(.*?): ?:index=(\d+)", listing, re.M)
    if not m:
        raise RuntimeError("fontconfig knows no font %s" % name)
    return TTFont(m.group(1), fontNumber=int(m.group(2)), lazy=True), name


def outline(font, name):
    glyf = font["glyf"]
    coordinates, ends, flags = glyf[name].getCoordinates(glyf)
    return list(coordinates), list(ends), [f & 1 for f in flags]


def closure(font, gids):
    """gids, .notdef and the components of composite glyphs, recursively"""
    glyf, order = font["glyf"], font.getGlyphOrder()
    needed = {0} | set(gids)
    pending = list(needed)
    while pending:
        glyph = glyf[order[pending.pop()]]
        for component in glyph.getComponentNames(glyf) if glyph.isComposite() else []:
            gid = font.getGlyphID(component)
            if gid not in needed:
                needed.add(gid)
                pending.append(gid)
    return needed


def check_pdf(label, pdf):
    """checks every CIDFontType2 of pdf; returns {PostScript name: set of characters}"""
    objs = objects(pdf)
    drawn = {}
    fonts = [n for n, text in objs.items() if "/Subtype/Type0" in text.replace(" ", "")]
    ok(fonts, "%s: has Type0 fonts" % label)
    for n in fonts:
        type0 = objs[n]
        cidfont = objs[ref(type0, "DescendantFonts")]
        descriptor = objs[ref(cidfont, "FontDescriptor")]
        base_font = re.search(r"/BaseFont\s*/([^/\s<>\[\]]+)", cidfont).group(1)
        what = "%s: %s" % (label, base_font)
        program = run("mutool", "show", "-b", pdf, str(ref(descriptor, "FontFile2")))
        cid_map = run("mutool", "show", "-b", pdf, str(ref(cidfont, "CIDToGIDMap")))
        cids = to_unicode(run("mutool", "show", "-b", pdf, str(ref(type0, "ToUnicode"))))
        sub = TTFont(io.BytesIO(program))
        original, ps_name = original_font(base_font)
        drawn[ps_name] = set(cids.values())

        # CIDs 1, 2, 3… one per distinct character (docs/pdf.md), mapped by a
        # CIDToGIDMap no longer than they need
        ok(sorted(cids) == list(range(1, len(cids) + 1)) and len(set(cids.values())) == len(cids)
           and len(cid_map) == 2 * (len(cids) + 1),
           "%s: CIDs 1 to %d, one per character, CIDToGIDMap of %d bytes" % (what, len(cids), len(cid_map)))

        # the glyphs the CIDs draw, .notdef and their components: all there is
        order = sub.getGlyphOrder()
        mapped = [int.from_bytes(cid_map[2 * cid:2 * cid + 2], "big") for cid in cids]
        if not ok(all(gid < len(order) for gid in mapped), "%s: every CID maps to a glyph of the font program" % what):
            continue
        needed = closure(sub, mapped)
        cmap = original.getBestCmap()
        original_needed = closure(original, [original.getGlyphID(cmap[ord(t)]) for t in cids.values() if ord(t) in cmap])
        n_glyphs = sub["maxp"].numGlyphs
        ok(needed == set(range(n_glyphs)) and n_glyphs == len(original_needed),
           "%s: the font program's %d glyphs are the %d drawn or needed" % (what, n_glyphs, len(original_needed)))
        ok(n_glyphs < original["maxp"].numGlyphs // 10,
           "%s: %d of the original's %d glyphs" % (what, n_glyphs, original["maxp"].numGlyphs))

        # each CID draws its character's glyph from the original face
        wrong = []
        for cid, text in sorted(cids.items()):
            gid = int.from_bytes(cid_map[2 * cid:2 * cid + 2], "big")
            old = cmap.get(ord(text))
            if (gid == 0 or old is None or outline(sub, order[gid]) != outline(original, old) or
                    sub["hmtx"][order[gid]][0] != original["hmtx"][old][0]):
                wrong.append(text)
        ok(not wrong, "%s: every CID draws its character's glyph (wrong: %s)" % (what, "".join(wrong[:20])))

        # nothing a CIDFontType2 does not use
        extra = [t for t in ("cmap", "post", "name", "fpgm", "prep", "cvt ", "GSUB", "GPOS", "vmtx") if t in sub]
        ok(not extra, "%s: no %s table" % (what, ", ".join(extra) or "cmap, post, name or hinting"))
        loca = original["loca"]
        kept = sum(loca[g + 1] - loca[g] for g in original_needed)
        bound = kept + 12 * (n_glyphs + 1) + 2048
        ok(len(program) <= bound,
           "%s: %d bytes, no more than the kept outlines (%d bytes) and per-glyph tables" % (what, len(program), kept))
    return drawn


def main():
    with tempfile.TemporaryDirectory() as tmp:
        largest = max((f for f in os.listdir(samples) if f.endswith(".json")),
                      key=lambda f: os.path.getsize(os.path.join(samples, f)))
        pdf = os.path.join(tmp, "largest.pdf")
        export(os.path.join(samples, largest), pdf)
        check_pdf(largest, pdf)

        # 𠮷 (U+20BB7, beyond the BMP) from the HanaMin fallback font
        with open(os.path.join(samples, "nantong-2023-qianzhan.json"), encoding="utf-8") as f:
            draft = json.load(f)
        draft["values"]["pi"]["name"] = "𠮷田吉"
        # attachments are found next to the draft
        os.symlink(os.path.join(samples, "attachments"), os.path.join(tmp, "attachments"))
        path = os.path.join(tmp, "yoshi.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(draft, f, ensure_ascii=False)
        pdf = os.path.join(tmp, "yoshi.pdf")
        export(path, pdf)
        drawn = check_pdf("𠮷", pdf)
        ok(any("𠮷" in chars for name, chars in drawn.items() if name.startswith("HanaMin")),
           "𠮷: drawn from HanaMin")

        # a face other than the first of a .ttc: UMing TW (face 2) and Zen Hei Mono (face 1)
        uming = run("fc-list", ":postscriptname=UMingTW", "file").decode().split(":")[0]
        zenhei = run("fc-list", ":postscriptname=WenQuanYiZenHeiMono", "file").decode().split(":")[0]
        pdf = os.path.join(tmp, "faces.pdf")
        export(os.path.join(samples, "nantong-2023-qianzhan.json"), pdf,
               "--font", uming + ":2", "--heading-font", zenhei + ":1")
        drawn = check_pdf("faces", pdf)
        ok("UMingTW" in drawn and "WenQuanYiZenHeiMono" in drawn, "faces: UMing TW and Zen Hei Mono embedded")
        # the checks above tell the faces apart: characters drawn in the
        # heading font have other advances (or glyphs) in face 0 than in face 1
        # (UMing's faces differ in too few characters to tell them apart here)
        faces = [TTFont(zenhei, fontNumber=i, lazy=True) for i in (0, 1)]
        cmaps = [face.getBestCmap() for face in faces]
        differ = [c for c in drawn.get("WenQuanYiZenHeiMono", ())
                  if faces[0]["hmtx"][cmaps[0][ord(c)]] != faces[1]["hmtx"][cmaps[1][ord(c)]]]
        ok(differ, "faces: %d characters drawn differ between Zen Hei and Zen Hei Mono" % len(differ))

    print("1..%d" % len(results))
    for i, (passed, what) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if passed else "not ok", i, what))
    return 0 if all(passed for passed, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
