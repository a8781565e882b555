#!/usr/bin/env python3
# tests/check-flatpak-manifest.py MANIFEST — every source the Flatpak
# manifest downloads is pinned to content that can be checked:
#  - an archive or file with a URL has a sha256 of 64 hex digits that is
#    not a placeholder (all zeros or one digit repeated);
#  - a git source has a URL and a commit of 40 hex digits;
#  - every module has at least one such pinned source, unless all its
#    sources are local (the app itself: a "dir" source);
#  - the sandbox gets neither network nor file-system access.
# Before the real manifest, the same checks run on broken copies of it,
# each of which must be rejected (so the checks themselves can fail).
# Output: TAP.

import copy
import json
import re
import sys

HEX64 = re.compile(r'^[0-9a-f]{64}$')
HEX40 = re.compile(r'^[0-9a-f]{40}$')
LOCAL_TYPES = {'dir', 'shell', 'script', 'inline'}


def walk_modules(modules, path):
    for i, module in enumerate(modules):
        if isinstance(module, str):
            # a module kept in a file of its own: not used by this manifest
            yield f'{path}[{i}]', None, module
            continue
        name = module.get('name', f'#{i}')
        here = f'{path}[{i}] ({name})'
        yield here, module, None
        yield from walk_modules(module.get('modules', []), here + '.modules')


def source_problems(where, source):
    kind = source.get('type')
    problems = []
    if kind in ('archive', 'file', 'patch', 'extra-data'):
        if 'path' in source and 'url' not in source:
            return [], False  # a file in this repository
        if 'url' not in source:
            problems.append(f'{where}: {kind} source without url or path')
        sha = source.get('sha256')
        if sha is None:
            problems.append(f'{where}: {kind} source {source.get("url")} has no sha256')
        elif not HEX64.match(sha):
            problems.append(f'{where}: sha256 "{sha}" is not 64 lowercase hex digits')
        elif len(set(sha)) == 1:
            problems.append(f'{where}: sha256 "{sha}" is a placeholder, not a real sum')
        return problems, not problems
    if kind == 'git':
        if 'url' not in source:
            problems.append(f'{where}: git source without url')
        commit = source.get('commit')
        if commit is None:
            problems.append(f'{where}: git source {source.get("url")} has no commit')
        elif not HEX40.match(commit) or len(set(commit)) == 1:
            problems.append(f'{where}: git commit "{commit}" is not a 40-hex commit id')
        return problems, not problems
    if kind in LOCAL_TYPES:
        return [], False
    return [f'{where}: source of type {kind!r} cannot be checked here'], False


def manifest_problems(manifest):
    problems = []
    finish_args = manifest.get('finish-args', [])
    for arg in finish_args:
        if arg.startswith('--share=network'):
            problems.append(f'finish-args: {arg} (the app works offline)')
        if arg.startswith('--filesystem'):
            problems.append(f'finish-args: {arg} (files come through the portals)')
    for where, module, external in walk_modules(manifest.get('modules', []), 'modules'):
        if module is None:
            problems.append(f'{where}: module file {external} is not checked')
            continue
        sources = module.get('sources', [])
        if not sources:
            problems.append(f'{where}: no sources')
            continue
        pinned = 0
        all_local = True
        for j, source in enumerate(sources):
            if isinstance(source, str):
                problems.append(f'{where}.sources[{j}]: source file {source} is not checked')
                all_local = False
                continue
            found, is_pinned = source_problems(f'{where}.sources[{j}]', source)
            problems += found
            pinned += is_pinned
            if source.get('type') not in LOCAL_TYPES and 'url' in source:
                all_local = False
        if pinned == 0 and not all_local:
            problems.append(f'{where}: no archive with sha256 and no git source with a commit')
    return problems


def broken_copies(manifest):
    """Each: (what is broken, a copy of the manifest with that fault)."""
    def first(m, kind):
        for _, module, _ in walk_modules(m['modules'], 'modules'):
            for source in (module or {}).get('sources', []):
                if isinstance(source, dict) and source.get('type') == kind:
                    return source
        raise LookupError(f'the manifest has no {kind} source to break')

    cases = []

    def case(what, change):
        m = copy.deepcopy(manifest)
        change(m)
        cases.append((what, m))

    case('all-zero sha256', lambda m: first(m, 'archive').update(sha256='0' * 64))
    case('missing sha256', lambda m: first(m, 'archive').pop('sha256'))
    case('63-digit sha256', lambda m: first(m, 'archive').update(sha256='a' + '1b' * 31))
    case('upper-case sha256', lambda m: first(m, 'archive').update(
        sha256=first(m, 'archive')['sha256'].upper()))
    case('file without sha256', lambda m: m['modules'][0]['sources'].__setitem__(
        0, {'type': 'file', 'url': 'https://deb.debian.org/debian/pool/main/x.deb'}))
    case('git without commit', lambda m: m['modules'][0]['sources'].__setitem__(
        0, {'type': 'git', 'url': 'https://github.com/libharu/libharu.git', 'tag': 'v2.4.4'}))
    case('git with a short commit', lambda m: m['modules'][0]['sources'].__setitem__(
        0, {'type': 'git', 'url': 'https://github.com/libharu/libharu.git', 'commit': '0c598be'}))
    case('network access', lambda m: m['finish-args'].append('--share=network'))
    case('home directory access', lambda m: m['finish-args'].append('--filesystem=home'))
    return cases


def main():
    if len(sys.argv) != 2:
        print('usage: check-flatpak-manifest.py MANIFEST', file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding='utf-8') as f:
        manifest = json.load(f)

    cases = broken_copies(manifest)
    print(f'1..{len(cases) + 1}')
    failed = False
    n = 0
    for what, broken in cases:
        n += 1
        found = manifest_problems(broken)
        if found:
            print(f'ok {n} - rejects a manifest with {what}: {found[0]}')
        else:
            print(f'not ok {n} - a manifest with {what} passes the checks')
            failed = True

    n += 1
    problems = manifest_problems(manifest)
    for p in problems:
        print(f'# {p}')
    print(f'{"not ok" if problems else "ok"} {n} - {sys.argv[1]}: every source pinned')
    return 1 if failed or problems else 0


if __name__ == '__main__':
    sys.exit(main())
