#!/usr/bin/env python3
# tests/check-mime.py MIME_XML DESKTOP_FILE SHENBAO SOURCE_DIR — the signed
# bundle's file type, as the desktop sees it:
#  - update-mime-database (shared-mime-info) accepts the package file;
#  - with it installed into a data folder of its own, GIO (`gio info`)
#    calls a bundle written by `shenbao export --bundle` (of the worked
#    example in tests/bundle/), named NAME.shenbao.json, application/x-shenbao-bundle,
#    a sub-class of application/json, and a draft still application/json;
#  - the desktop file opens that type (MimeType=).
# Output: TAP.

import os
import shutil
import subprocess
import sys
import tempfile

TYPE = 'application/x-shenbao-bundle'
mime_xml, desktop, shenbao, source = sys.argv[1:5]
draft = os.path.join(source, 'tests', 'bundle', 'example-draft.json')
checks = []


def check(name, ok, detail=''):
    checks.append((name, ok, detail))


def content_type(env, path):
    out = subprocess.run(['gio', 'info', '-a', 'standard::content-type', path],
                         env=env, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if 'standard::content-type:' in line:
            return line.split(':', 3)[-1].strip()
    return None


with tempfile.TemporaryDirectory(prefix='shenbao-mime-') as home:
    packages = os.path.join(home, 'mime', 'packages')
    os.makedirs(packages)
    shutil.copy(mime_xml, os.path.join(packages, 'cn.shenbao.Shenbao.xml'))
    run = subprocess.run(['update-mime-database', '-V', os.path.join(home, 'mime')],
                         capture_output=True, text=True)
    check('update-mime-database accepts the package',
          run.returncode == 0 and 'error' not in run.stderr.lower(), run.stderr.strip())

    env = dict(os.environ, XDG_DATA_HOME=home, XDG_DATA_DIRS='/usr/local/share:/usr/share')
    named = os.path.join(home, '申报 2026.shenbao.json')
    run = subprocess.run([shenbao, 'export', '--forms', os.path.join(source, 'tests', 'bundle', 'example-call.json'),
                          draft, '--bundle', named], env=env, capture_output=True, text=True)
    check('shenbao export --bundle writes a bundle', run.returncode == 0 and os.path.exists(named),
          run.stderr.strip())
    plain = os.path.join(home, 'draft.json')
    shutil.copy(draft, plain)
    got = content_type(env, named)
    check('a *.shenbao.json file is ' + TYPE, got == TYPE, 'got %s' % got)
    got = content_type(env, plain)
    check('a draft is still application/json', got == 'application/json', 'got %s' % got)
    with open(os.path.join(home, 'mime', 'subclasses')) as f:
        subclasses = f.read().split('\n')
    check('it is a sub-class of application/json', TYPE + ' application/json' in subclasses)
    # the same checks must fail without the package: they can fail
    bare = dict(os.environ, XDG_DATA_HOME=os.path.join(home, 'nothing'),
                XDG_DATA_DIRS='/usr/local/share:/usr/share')
    got = content_type(bare, named)
    check('without the package it is not ' + TYPE, got != TYPE, 'got %s' % got)

with open(desktop) as f:
    mime_types = [line.split('=', 1)[1].strip().split(';') for line in f if line.startswith('MimeType=')]
check('the desktop file opens ' + TYPE, len(mime_types) == 1 and TYPE in mime_types[0])

print('1..%d' % len(checks))
for i, (name, ok, detail) in enumerate(checks, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if detail and not ok:
        print('# ' + detail)
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
