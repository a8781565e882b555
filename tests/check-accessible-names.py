#!/usr/bin/python3
"""check-accessible-names SHENBAO SAMPLE — every control of the start page
has an accessible name a screen reader can say (not empty, not a class
name). Runs the real app with one saved draft under the session's AT-SPI
bus (run it inside dbus-run-session on a display). TAP output."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

ROLES = {"push button", "toggle button", "entry", "text", "list item",
         "check box", "combo box", "radio button", "spin button", "menu item",
         "list", "list box", "link", "slider", "switch"}


def find_app(name, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.name == name:
                return app
        time.sleep(0.2)
    return None


def walk(node, out):
    try:
        role = node.getRoleName()
        name = node.name or ""
    except Exception:
        return
    if role in ROLES:
        out.append((role, name))
    for child in node:
        walk(child, out)


def main():
    shenbao, sample = sys.argv[1], sys.argv[2]
    root = tempfile.mkdtemp(prefix="shenbao-a11y-")
    folder = os.path.join(root, "data", "shenbao", "drafts", "a11y")
    os.makedirs(folder)
    shutil.copy(sample, os.path.join(folder, "draft.json"))
    env = dict(os.environ)
    for key in ("NO_AT_BRIDGE", "G_DEBUG", "GTK_A11Y"):
        env.pop(key, None)
    env.update(XDG_DATA_HOME=os.path.join(root, "data"),
               XDG_CONFIG_HOME=os.path.join(root, "config"),
               GSETTINGS_BACKEND="memory", LANGUAGE="en")
    # the accessibility registry first: an app that starts before the
    # session's registry is up is never listed (GTK 4.8 does not retry)
    pyatspi.Registry.getDesktop(0)
    app = subprocess.Popen([shenbao], env=env, stdout=subprocess.DEVNULL)
    try:
        print("1..2")
        node = find_app("shenbao")
        if node is None:
            print("not ok 1 - the app appears on the accessibility bus")
            print("not ok 2 # SKIP")
            return 1
        print("ok 1 - the app appears on the accessibility bus")
        time.sleep(1.0)
        controls = []
        walk(node, controls)
        bad = [(r, n) for r, n in controls
               if not n.strip() or n.startswith(("Gtk", "Adw"))]
        for role, name in controls:
            print("# %s: %r" % (role, name))
        kinds = {r for r, _ in controls}
        if bad or not {"entry", "list item", "push button"} <= kinds:
            for role, name in bad:
                print("# UNNAMED %s: %r" % (role, name))
            print("not ok 2 - every control has a name (%d controls)" % len(controls))
            return 1
        print("ok 2 - every control has a name (%d controls)" % len(controls))
        return 0
    finally:
        app.kill()
        app.wait()
        shutil.rmtree(root, ignore_errors=True)


sys.exit(main())
