#!/usr/bin/python3
"""a11y-key-bundle.py key|bundle SHENBAO SAMPLE — what a screen reader gets
from the Signing Key window, or from a signed bundle opened read-only.

Runs the real app under the AT-SPI bus of a session bus it starts
(dbus-run-session; run it on a display: tests/meson.build starts Xvfb), in the
language of LANGUAGE / LC_ALL, with a data folder of its own:

- key: a key is made by exporting SAMPLE as a signed bundle, the app is
  started and its `app.signing-key` action activated over D-Bus
  (org.gtk.Actions); every control of the window must have a name (not
  empty, not a class name) and the key's fingerprint must be readable as
  text, labelled "Fingerprint". Controls that take no room (the search
  page of the preferences window, its search being off) are left out.
- bundle: the app is started with the signed bundle made from SAMPLE; the
  bar above the wizard must expose its read-only notice, the key's
  fingerprint and the application digest as text, its "Make a Copy to
  Edit" button by name, and every control of the window must have a name,
  those of the steps not shown too.

The expected texts are read in the test's language from the built
catalogue (SHENBAO_LOCALEDIR). Every check is retried while the window
settles, up to a deadline; a failure lists the offending controls with
their role, name and path. Prints TAP."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

from sbatspi import (Tap, find_app, in_session, on_screen, registry_up, settle, strip_mnemonic,
                     text_of, tr, walk)

CONTROLS = {"push button", "toggle button", "entry", "text", "list item",
            "check box", "combo box", "radio button", "spin button",
            "menu item", "list", "list box", "link", "slider", "switch",
            "password text"}
APP_ID = "cn.shenbao.Shenbao"
APP_PATH = "/cn/shenbao/Shenbao"


def labels_of(node):
    """The names of the accessibles NODE is labelled by."""
    names = []
    try:
        for relation in node.getRelationSet():
            if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
                for i in range(relation.getNTargets()):
                    names.append(relation.getTarget(i).name or "")
    except Exception:
        pass
    return names


def window_named(app, title):
    try:
        for window in app:
            if window is not None and window.name == title:
                return window
    except Exception:
        pass
    return None


def unnamed(nodes, shown_only=False):
    """The controls without a name (or with a class name): with SHOWN_ONLY,
    those on screen only (for a window of one page, where a control that
    takes no room cannot be reached: the search page of a preferences
    window whose search is off)."""
    return [(role, name, path) for node, role, name, path in nodes
            if role in CONTROLS
            and (not name.strip() or re.match(r"^(Gtk|Adw|Sb)[A-Z]", name))
            and (not shown_only or on_screen(node))]


def labelled(nodes, label):
    """Texts of the accessibles labelled LABEL (by a relation, or by name)."""
    return [text_of(node) for node, _, name, _ in nodes
            if name == label or label in labels_of(node)]


def run(argv, env, **kwargs):
    return subprocess.run(argv, env=env, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=300, **kwargs)


def activate_signing_key(env, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        done = subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID,
                               "--object-path", APP_PATH, "--method",
                               "org.gtk.Actions.Activate", "signing-key", "[]", "{}"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if done.returncode == 0 or time.monotonic() > deadline:
            return done
        time.sleep(0.5)


def check_key(tap, app, env, fingerprint):
    done = activate_signing_key(env)
    if not tap.check(done.returncode == 0, "app.signing-key activated over D-Bus",
                     [done.stderr.decode(errors="replace").strip()]):
        return
    title = tr("Signing Key")
    window = settle(lambda: window_named(app, title), lambda w: w is not None)
    if not tap.check(window is not None, "the window %r is on the bus" % title,
                     ["windows: %r" % [w.name for w in app if w is not None]]):
        return
    label = tr("Fingerprint")

    def read():
        nodes = []
        walk(window, "", nodes)
        return nodes

    def judge(nodes):
        return (not unnamed(nodes, shown_only=True) and fingerprint in labelled(nodes, label)
                and len([n for n in nodes if n[1] in CONTROLS]) >= 5)

    nodes = settle(read, judge)
    controls = [n for n in nodes if n[1] in CONTROLS]
    bad = unnamed(nodes, shown_only=True)
    tap.check(not bad and len(controls) >= 5,
              "every control of the Signing Key window has a name (%d controls)" % len(controls),
              ["UNNAMED %s %r at %s" % b for b in bad]
              + ["%s %r%s" % (r, n, "" if on_screen(node) else " (not shown)")
                 for node, r, n, _ in controls])
    for name in ("Copy Fingerprint", "Save as _JWK…", "Save as _PEM…",
                 "_Import Key…"):
        want = strip_mnemonic(tr(name))
        found = [n for n in controls if strip_mnemonic(n[2]) == want]
        tap.check(bool(found), "a control is named %r" % want,
                  ["controls: %r" % [(r, n) for _, r, n, _ in controls]])
    texts = labelled(nodes, label)
    tap.check(fingerprint in texts,
              "the fingerprint is readable as text, labelled %r" % label,
              ["texts labelled %r: %r; want %r" % (label, texts, fingerprint)])


def check_bundle(tap, app, fingerprint, digest):
    heading = tr("Signed bundle — read-only")
    fingerprint_label = tr("Key fingerprint")
    digest_label = tr("Application digest")
    copy_name = strip_mnemonic(tr("_Make a Copy to Edit"))

    def read():
        nodes = []
        walk(app, "", nodes)
        return nodes

    def judge(nodes):
        names = {n[2] for n in nodes}
        return (not unnamed(nodes) and heading in names
                and any(copy_name in name for name in names)
                and fingerprint in labelled(nodes, fingerprint_label)
                and digest in labelled(nodes, digest_label)
                and len([n for n in nodes if n[1] in CONTROLS]) > 50)

    nodes = settle(read, judge, seconds=60)
    names = [n[2] for n in nodes]
    texts = [text_of(n[0]) for n in nodes if n[1] == "label"]
    tap.check(heading in names or heading in texts,
              "the read-only notice %r is readable" % heading,
              ["labels: %r" % texts[:40]])
    found = labelled(nodes, fingerprint_label)
    tap.check(fingerprint in found,
              "the key's fingerprint is readable as text, labelled %r" % fingerprint_label,
              ["texts labelled %r: %r; want %r" % (fingerprint_label, found, fingerprint)])
    found = labelled(nodes, digest_label)
    tap.check(digest in found,
              "the application digest is readable as text, labelled %r" % digest_label,
              ["texts labelled %r: %r; want %r" % (digest_label, found, digest)])
    # GTK 4.8 names a button with a mnemonic by its label and its text
    # ("_Make a Copy to Edit Make a Copy to Edit"): the name must say it
    buttons = [n for n in nodes if n[1] == "push button" and copy_name in n[2]]
    tap.check(bool(buttons), "a button is named %r" % copy_name,
              ["buttons: %r" % [n[2] for n in nodes if n[1] == "push button"][:40]])
    controls = [n for n in nodes if n[1] in CONTROLS]
    bad = unnamed(nodes)
    tap.check(not bad and len(controls) > 50,
              "every control of the bundle's window has a name (%d controls, %d not shown)"
              % (len(controls), len([n for n in controls if not on_screen(n[0])])),
              ["UNNAMED %s %r at %s" % b for b in bad])


def main():
    mode, shenbao, sample = sys.argv[1], sys.argv[2], sys.argv[3]
    root = tempfile.mkdtemp(prefix="shenbao-a11y-%s-" % mode)
    env = dict(os.environ)
    for key in ("NO_AT_BRIDGE", "G_DEBUG", "GTK_A11Y"):
        env.pop(key, None)
    env.update(XDG_DATA_HOME=os.path.join(root, "data"),
               XDG_CONFIG_HOME=os.path.join(root, "config"),
               GSETTINGS_BACKEND="memory")
    english = dict(env, LANGUAGE="en", LC_ALL="C.UTF-8")
    tap = Tap()
    print("1..%d" % (11 if mode == "key" else 8))
    proc = None
    try:
        # a key of the test's own, made by the first signed export
        bundle = os.path.join(root, "a11y.shenbao.json")
        run([shenbao, "export", sample, "--bundle", bundle], english)
        shown = run([shenbao, "key", "show"], english).stdout.decode()
        fingerprint = re.search(r"Key fingerprint: (\S+)", shown).group(1)
        verified = json.loads(run([shenbao, "verify", "--json", bundle], english).stdout)
        digest = re.search(r'"application_digest"\s*:\s*"([^"]+)"', json.dumps(verified))
        digest = digest.group(1) if digest else "(no digest in verify --json)"
        # in Chinese, the texts looked for are Chinese: a catalogue that
        # is not found would have the test look for the English ones
        language = os.environ.get("LANGUAGE", "")
        tap.check(language.startswith("en") or tr("Signing Key") != "Signing Key",
                  "the texts looked for are in the test's language (%s: %r)"
                  % (language, tr("Signing Key")))
        if not tap.check(registry_up(), "the accessibility registry is up"):
            return 1
        argv = [shenbao] + ([bundle] if mode == "bundle" else [])
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
        # up to 90 s: a sanitizer build on a loaded machine starts slowly
        app = find_app("shenbao", 90)
        if not tap.check(app is not None, "the app appears on the accessibility bus"):
            return 1
        if mode == "key":
            check_key(tap, app, env, fingerprint)
        else:
            check_bundle(tap, app, fingerprint, digest)
        return 1 if tap.failed or tap.number == 1 else 0
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)


sys.exit(in_session(__file__, main))
