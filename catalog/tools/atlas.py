#!/usr/bin/env python3
"""atlas.py - writes catalog/atlas.json and catalog/map-atlas.json from MITRE
ATLAS's distributed data (dist/ATLAS.yaml of mitre-atlas/atlas-data).

The ids, names, tactic membership and sub-technique parents come from the
YAML, so a newer ATLAS release is taken in by running this again.  The
summaries are ours (atlas-summaries.json, keyed by id: ATLAS's own
descriptions are never copied) and so are the mappings to ISO/IEC 42001
(atlas-map-rules.json: per tactic, with per-technique exceptions).  An id
in the YAML without a summary, or a tactic without a mapping rule, stops
the run naming it, so nothing new goes in unsummarised or unmapped.

  python3 catalog/tools/atlas.py ATLAS.yaml          write both files
  python3 catalog/tools/atlas.py ATLAS.yaml --check  exit 1 if they differ
  python3 catalog/tools/atlas.py ATLAS.yaml --ids    print the YAML's tactic
                                                     and technique ids (JSON)
"""
import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.dirname(HERE)
SUMMARIES = os.path.join(HERE, 'atlas-summaries.json')
RULES = os.path.join(HERE, 'atlas-map-rules.json')
OUT_CATALOG = os.path.join(CATALOG, 'atlas.json')
OUT_MAP = os.path.join(CATALOG, 'map-atlas.json')
# The loader's limits (src/core/catalog.h): a title and a one-sentence summary.
TITLE_MAX = 200
SUMMARY_MAX = 300


def fail(msg):
    sys.stderr.write('atlas.py: %s\n' % msg)
    sys.exit(1)


def id_key(ident):
    """AML.T0051.001 sorts after AML.T0051 and before AML.T0052."""
    return [int(n) for n in re.findall(r'\d+', ident)]


def one_sentence(s):
    return (len(s) <= SUMMARY_MAX and s[-1:] in '.?!' and
            re.search(r'[.?!] [A-Z]', s[:-1]) is None)


def read_matrix(path):
    with open(path, encoding='utf-8') as f:
        doc = yaml.safe_load(f)
    matrices = doc.get('matrices') or []
    if len(matrices) != 1:
        fail('%s: expected one matrix, found %d' % (path, len(matrices)))
    return str(doc.get('version', '')), matrices[0]


def build(path):
    version, matrix = read_matrix(path)
    with open(SUMMARIES, encoding='utf-8') as f:
        summaries = json.load(f)
    with open(RULES, encoding='utf-8') as f:
        rules = json.load(f)
    tactics = [(t['id'], t['name']) for t in matrix['tactics']]
    tactic_ids = {t for t, _ in tactics}
    techniques = {t['id']: t for t in matrix['techniques']}
    missing = [i for i, _ in tactics if i not in summaries]
    missing += [i for i in techniques if i not in summaries]
    if missing:
        fail('no summary in %s for: %s' % (os.path.basename(SUMMARIES), ', '.join(missing)))
    bad = [i for i, s in summaries.items() if not one_sentence(s)]
    if bad:
        fail('summaries that are not one sentence of at most %d characters: %s' %
             (SUMMARY_MAX, ', '.join(bad)))

    def tactics_of(t):
        parent = t.get('subtechnique-of')
        if parent:
            if parent not in techniques:
                fail('%s: parent %s is not a technique' % (t['id'], parent))
            return tactics_of(techniques[parent])
        listed = t.get('tactics') or []
        if not listed or any(x not in tactic_ids for x in listed):
            fail('%s: tactics %s are not tactics of the matrix' % (t['id'], listed))
        return listed

    reqs = []
    for tid, name in tactics:
        reqs.append({'id': tid, 'kind': 'tactic', 'title': name,
                     'summary': summaries[tid], 'parent': None})
    # Techniques in id order: a parent before its sub-techniques.  A top-level
    # technique hangs under the first tactic ATLAS lists for it; all of its
    # tactics are in "tactics".
    for ident in sorted(techniques, key=id_key):
        t = techniques[ident]
        if len(t['name']) > TITLE_MAX:
            fail('%s: name longer than %d characters' % (ident, TITLE_MAX))
        member = tactics_of(t)
        reqs.append({'id': ident, 'kind': 'technique', 'title': t['name'],
                     'summary': summaries[ident],
                     'parent': t.get('subtechnique-of') or member[0],
                     'tactics': member})
    catalog = {
        'framework': 'atlas',
        'title': 'MITRE ATLAS (tactics, techniques and sub-techniques)',
        'edition': version,
        'version': 2,
        'requirements': reqs,
    }

    parents = {t.get('subtechnique-of') for t in techniques.values()}
    maps = []
    for r in reqs:
        if r['kind'] != 'technique' or r['id'] in parents:
            continue
        rule = None
        for key in (r['id'], techniques[r['id']].get('subtechnique-of')):
            if key and key in rules['techniques']:
                rule = rules['techniques'][key]
                break
        if rule is None:
            rule = rules['tactics'].get(r['tactics'][0])
        if rule is None:
            fail('%s: no mapping rule for it or its tactic %s in %s' %
                 (r['id'], r['tactics'][0], os.path.basename(RULES)))
        m = {'source': r['id'], 'relationship': rule['relationship'],
             'targets': list(rule['targets'])}
        if rule.get('gap'):
            m['gap'] = rule['gap']
        maps.append(m)
    unused = [k for k in rules['techniques'] if k not in techniques]
    if unused:
        fail('rules for techniques ATLAS does not have: %s' % ', '.join(unused))
    mapping = {
        'source': 'atlas',
        'target': 'iso42001',
        'kinds': ['technique'],
        'title': 'MITRE ATLAS techniques to ISO/IEC 42001',
        'version': 2,
        'method': 'human',
        'matching_rationale': 'functional',
        'status': 'draft',
        'description': 'Our own reading of which ISO/IEC 42001 requirements bear on '
                       'defending against each ATLAS technique, by tactic where the '
                       'techniques of a tactic meet the same requirements, with the '
                       'exceptions named; general information security measures are '
                       'left to the risk treatment (6.1.3) and named as gaps.',
        'maps': maps,
    }
    return catalog, mapping


def text(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False) + '\n'


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    flags = {a for a in argv if a.startswith('--')}
    if len(args) != 1 or flags - {'--check', '--ids'}:
        sys.stderr.write(__doc__)
        return 2
    if '--ids' in flags:
        _, matrix = read_matrix(args[0])
        print(json.dumps({'tactics': [t['id'] for t in matrix['tactics']],
                          'techniques': [t['id'] for t in matrix['techniques']]}))
        return 0
    catalog, mapping = build(args[0])
    outs = [(OUT_CATALOG, text(catalog)), (OUT_MAP, text(mapping))]
    if '--check' in flags:
        stale = []
        for path, want in outs:
            with open(path, encoding='utf-8') as f:
                if f.read() != want:
                    stale.append(os.path.relpath(path))
        if stale:
            sys.stderr.write('atlas.py: %s differ from what %s gives; run it again\n' %
                             (', '.join(stale), args[0]))
            return 1
        return 0
    for path, want in outs:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(want)
    print('wrote %s (%d entries) and %s (%d maps)' %
          (os.path.relpath(OUT_CATALOG), len(catalog['requirements']),
           os.path.relpath(OUT_MAP), len(mapping['maps'])))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
