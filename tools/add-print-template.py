#!/usr/bin/env python3
# tools/add-print-template.py FORM.json TEMPLATE.json — sets the call's "print"
# member to TEMPLATE, as the LAST member of FORM, leaving the rest of the
# file's text untouched (other branches edit the same files).
import json, sys

form_path, template_path = sys.argv[1], sys.argv[2]
text = open(form_path, encoding='utf-8').read()
template = json.load(open(template_path, encoding='utf-8'))
data = json.loads(text)
if 'print' in data:
    # drop the old member: it is always the last one
    i = text.rindex('\n  "print": ')
    j = text.rstrip().rindex('}')
    head = text[:i].rstrip()
    assert head.endswith(','), 'print must be the last member'
    text = head[:-1] + '\n}\n'
body = json.dumps(template, ensure_ascii=False, indent=2).replace('\n', '\n  ')
end = text.rstrip().rindex('}')
head = text[:end].rstrip()
text = head + ',\n  "print": ' + body + '\n}\n'
json.loads(text)
open(form_path, 'w', encoding='utf-8').write(text)
