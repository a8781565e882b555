#!/usr/bin/python3
"""keyboard.py SHENBAO SAMPLE — the app's shortcuts, pressed as real keys.

Runs the real app on a display (tests/meson.build starts Xvfb) with a copy
of SAMPLE and a data folder of its own, inside a session bus with the
accessibility registry up (sbatspi.in_session). Keys are X events sent by
xdotool, an independent tool, to the app's window; what they did is read
back over AT-SPI, as a screen reader would:

- Alt+Right / Alt+Left: the next and the previous step ("Step N of M");
- Ctrl+F: the wizard's field search takes the focus; typing a field's
  label and Enter moves the focus to that field, on its step;
- Alt+Home: back to the start page (its list of calls);
- Ctrl+Q: the app quits, and the draft is still there and loads.

Prints TAP."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

from sbatspi import Tap, find_app, in_session, on_screen, registry_up, settle, strip_mnemonic, text_of, tr, walk

SEARCHED_LABEL = "Total R&D investment"


def xdotool(*args):
    return subprocess.run(["xdotool"] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30)


def window_of(pid, seconds=60):
    """The X window of process PID that is mapped (GTK sets _NET_WM_PID)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = xdotool("search", "--onlyvisible", "--pid", str(pid))
        ids = found.stdout.decode().split()
        if ids:
            return ids[-1]
        time.sleep(0.2)
    return None


def give_focus(window):
    """The X input focus to WINDOW if it has not got it (there is no window
    manager on the test's display to do so)."""
    if xdotool("getwindowfocus").stdout.decode().strip() != window:
        xdotool("windowfocus", "--sync", window)


def press(window, keys):
    give_focus(window)
    return xdotool("key", "--clearmodifiers", keys)


def type_text(window, text):
    give_focus(window)
    return xdotool("type", "--delay", "20", text)


def nodes_of(app):
    nodes = []
    walk(app, "", nodes)
    return nodes


def step_text(app):
    """The wizard's "Step N of M" as the window shows it, or None."""
    pattern = re.escape(tr("Step %u of %u")).replace("%u", r"\d+")
    for node, role, name, _ in nodes_of(app):
        if role != "label":
            continue
        text = text_of(node) or name
        if re.fullmatch(pattern, text) and on_screen(node):
            return text
    return None


def focused(app):
    """(role, name) of the accessible that has the keyboard focus."""
    for node, role, name, _ in nodes_of(app):
        try:
            if node.getState().contains(pyatspi.STATE_FOCUSED):
                return (role, name)
        except Exception:
            pass
    return None


def step_number(text):
    numbers = re.findall(r"\d+", text or "")
    return int(numbers[0]) if numbers else None


def main():
    shenbao, sample = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    root = tempfile.mkdtemp(prefix="shenbao-keyboard-")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(root, "data"),
               XDG_CONFIG_HOME=os.path.join(root, "config"), GSETTINGS_BACKEND="memory")
    tap = Tap()
    print("1..10")
    proc = None
    try:
        draft = os.path.join(root, "draft.json")
        shutil.copy(sample, draft)
        os.symlink(os.path.join(os.path.dirname(sample), "attachments"),
                   os.path.join(root, "attachments"))
        if not tap.check(registry_up(), "the accessibility registry is up"):
            return 1
        proc = subprocess.Popen([shenbao, draft], env=env, stdout=subprocess.DEVNULL)
        # up to 90 s: a sanitizer build on a loaded machine starts slowly
        app = find_app("shenbao", 90)
        window = window_of(proc.pid) if app is not None else None
        first = settle(lambda: step_text(app), lambda t: t is not None, 60) if window else None
        if not tap.check(first is not None and step_number(first) == 1,
                         "the app shows the draft's first step (%r, window %s)" % (first, window)):
            return 1

        press(window, "alt+Right")
        second = settle(lambda: step_text(app), lambda t: step_number(t) == 2)
        tap.check(step_number(second) == 2, "Alt+Right goes to the next step (%r)" % second)
        press(window, "alt+Left")
        back = settle(lambda: step_text(app), lambda t: step_number(t) == 1)
        tap.check(step_number(back) == 1, "Alt+Left goes back (%r)" % back)

        press(window, "ctrl+f")
        search = settle(lambda: focused(app),
                        lambda f: f is not None and f[0] in ("text", "entry") and f[1] == tr("Find a field"))
        tap.check(search is not None and search[1] == tr("Find a field"),
                  "Ctrl+F puts the focus in the field search (%r)" % (search,))
        # Enter at once, within the search entry's delay: as a quick typist
        type_text(window, SEARCHED_LABEL)
        press(window, "Return")
        target = settle(lambda: focused(app), lambda f: f is not None and f[1] == SEARCHED_LABEL)
        tap.check(target is not None and target[1] == SEARCHED_LABEL,
                  "typing a label and Enter moves the focus to that field (%r)" % (target,))
        moved = step_text(app)
        tap.check(step_number(moved) is not None and step_number(moved) > 1,
                  "the field's step is shown (%r)" % moved)

        press(window, "alt+Home")
        calls_heading = strip_mnemonic(tr("_Calls for Applications"))
        start = settle(lambda: [n for n in nodes_of(app) if n[1] == "label"
                                and strip_mnemonic(text_of(n[0]) or n[2]) == calls_heading
                                and on_screen(n[0])],
                       lambda found: bool(found))
        tap.check(bool(start) and step_text(app) is None,
                  "Alt+Home goes back to the start page (%r shown)" % calls_heading)

        press(window, "ctrl+q")
        try:
            status = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            status = None
        tap.check(status == 0, "Ctrl+Q quits the app (exit status %r)" % status)
        proc = None
        checked = subprocess.run([shenbao, "validate", "--no-files", "--json", draft], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        tap.check(checked.returncode in (0, 1) and checked.stdout.startswith(b"{"),
                  "the draft is still there and loads (validate exit %d)" % checked.returncode,
                  [checked.stderr.decode(errors="replace").strip()])
        return 1 if tap.failed else 0
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)


sys.exit(in_session(__file__, main))
