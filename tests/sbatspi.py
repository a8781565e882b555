"""sbatspi — what the AT-SPI tests share: the app's texts in the test's
language, finding the app and its accessibles on the bus, TAP output,
retrying while a window settles, and running a test inside a session bus
of its own with the accessibility registry up."""
import gettext
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pyatspi


def tr(text):
    """TEXT as the app shows it in the test's language."""
    localedir = os.environ.get("SHENBAO_LOCALEDIR")
    languages = [l for l in os.environ.get("LANGUAGE", "").split(":") if l]
    try:
        catalogue = gettext.translation("shenbao", localedir, languages=languages)
    except OSError:
        return text
    return catalogue.gettext(text)


def strip_mnemonic(text):
    return text.replace("_", "", 1) if "_" in text else text


def on_screen(node):
    """Whether NODE takes room in its window: GTK 4.8 reports no SHOWING
    state, and lists the pages of a stack that are not shown (the search
    page of a preferences window, say) with an empty size."""
    try:
        extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return extents.width > 0 and extents.height > 0
    except Exception:
        return True


def find_app(name, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            for app in pyatspi.Registry.getDesktop(0):
                if app is not None and app.name == name and app.childCount > 0:
                    return app
        except Exception:
            pass
        time.sleep(0.2)
    return None


def text_of(node):
    """The text a screen reader reads from NODE (its Text interface)."""
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount) or ""
    except Exception:
        return ""


def walk(node, path, out):
    """Every accessible under NODE: (node, role, name, path)."""
    try:
        role = node.getRoleName()
        name = node.name or ""
    except Exception:
        return
    here = "%s/%s%s" % (path, role, "[%s]" % name if name else "")
    out.append((node, role, name, here))
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        if child is not None:
            walk(child, here, out)


class Tap:
    def __init__(self):
        self.number = 0
        self.failed = 0

    def check(self, ok, what, details=()):
        self.number += 1
        if not ok:
            self.failed += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.number, what))
        for line in details:
            print("# %s" % line)
        sys.stdout.flush()
        return ok


def settle(read, judge, seconds=30):
    """READ () until JUDGE (result) holds or SECONDS pass; the last result."""
    deadline = time.monotonic() + seconds
    while True:
        result = read()
        if judge(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def wait_for_display(seconds=60):
    """Until the X server of DISPLAY accepts connections: the registry
    gives up for good on a display that is not up yet."""
    match = re.match(r"^:(\d+)", os.environ.get("DISPLAY", ""))
    if match is None:
        return
    path = "/tmp/.X11-unix/X" + match.group(1)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            try:
                sock.connect(path)
                return
            except OSError:
                time.sleep(0.2)


def registry_up(seconds=30):
    """Starts the session's accessibility registry, retrying while it
    comes up: an app that starts before the registry is up is never listed
    (GTK 4.8 does not retry)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            desktop = pyatspi.Registry.getDesktop(0)
            desktop.childCount
            return True
        except Exception:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)


INNER = "SHENBAO_A11Y_INNER"


def in_session(script, main):
    """Runs MAIN () if this is the run inside the session bus; otherwise
    runs SCRIPT again in a session bus of its own, passing on its TAP (the
    accessibility registry the session starts writes lines that are not
    TAP to the session's standard output). Returns the exit status."""
    if os.environ.get(INNER):
        return main()
    env = dict(os.environ)
    env[INNER] = "1"
    # the accessibility bus and registry the session starts get this
    # environment: no fatal warnings for them (nor for pyatspi)
    for key in ("NO_AT_BRIDGE", "G_DEBUG", "GTK_A11Y"):
        env.pop(key, None)
    wait_for_display()
    argv = [shutil.which("dbus-run-session") or "dbus-run-session", "--",
            sys.executable, os.path.abspath(script)] + sys.argv[1:]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE)
    for raw in proc.stdout:
        line = raw.decode("utf-8", errors="replace").rstrip("\n")
        if not re.match(r"^(ok |not ok |1\.\.|#)", line):
            line = "# " + line
        print(line)
        sys.stdout.flush()
    return proc.wait()
