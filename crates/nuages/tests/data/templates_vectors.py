"""Golden vectors for nuages::template, produced by real Django 5.2.

Run with the reference venv, from this directory, with Jinja2 importable:
    mkdir -p /tmp/j2 && ln -sf "$(python3 -c 'import jinja2,os;print(os.path.dirname(jinja2.__file__))')" \
        "$(python3 -c 'import markupsafe,os;print(os.path.dirname(markupsafe.__file__))')" /tmp/j2/
    PYTHONPATH=/tmp/j2 ~/.cache/nuages-reference-django/venv/bin/python templates_vectors.py \
        /work/shared/reference-django > templates_vectors.json

* `seed`: the bytes the reference application (DjangoTemplates) answers for the pages rendered
  from its templates: /about/ (TemplateView), /books/ (book_list.html), an unknown URL
  (404.html); 500.html rendered with render_to_string (its view needs an exception).
* `jinja2`: Django's Jinja2 backend (jinja2 3.1, autoescape on) rendering small templates from
  strings with a request: how values print (Python str()), markupsafe escaping, filters.
"""
import datetime
import json
import os
import sys

REF = sys.argv[1]
sys.path.insert(0, REF)
os.environ["DJANGO_SETTINGS_MODULE"] = "refproject.settings"

import django  # noqa: E402

django.setup()

from django.template.backends.jinja2 import Jinja2  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

client = Client()
seed = {}
for name, url in (("about.html", "/about/"), ("book_list.html", "/books/"), ("404.html", "/no/such/page/")):
    r = client.get(url)
    seed[name] = {"url": url, "status": r.status_code, "content_type": r["Content-Type"],
                  "body": r.content.decode()}
seed["500.html"] = {"status": 500, "content_type": "text/html; charset=utf-8",
                    "body": render_to_string("500.html")}

engine = Jinja2({"NAME": "jinja2", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})
request = RequestFactory().get("/path/?q=1&q=2")

CONTEXT = {
    "s": "<a href=\"x\">'&'/</a>",
    "none": None,
    "t": True,
    "f": False,
    "i": 42,
    "fl": 1.5,
    "big": 1e20,
    "small": 1e-05,
    "whole": 2.0,
    "lst": [1, "a", None, 1.0, True],
    "dct": {"a": 1, "b": "x'y"},
    "date": datetime.date(2021, 3, 14),
    "dt": datetime.datetime(2021, 3, 14, 9, 30, 0),
    "dtus": datetime.datetime(2021, 3, 14, 9, 30, 0, 120),
    "tm": datetime.time(9, 5),
    "empty": "",
}

TEMPLATES = [
    "{{ s }}", "{{ s|safe }}", "{{ s|e }}", "{{ s|escape }}", "{{ none }}", "{{ t }} {{ f }}",
    "{{ i }} {{ fl }} {{ big }} {{ small }} {{ whole }}", "{{ lst }}", "{{ dct }}", "{{ date }}",
    "{{ dt }}", "{{ dtus }}", "{{ tm }}", "{{ missing }}|{{ empty }}", "{{ dt.year }}-{{ dt.month }}",
    "{% for x in lst %}{{ loop.index }}:{{ x }};{% endfor %}", "a\n", "a\n\n", "{{ request.method }} {{ request.path }}",
    "{{ request.GET.q }}", "{% if none is none %}yes{% endif %}", "{{ none|safe }}", "{{ dct.b }}",
    "{% autoescape false %}{{ s }}{% endautoescape %}", "{{ '<b>'|safe ~ s }}", "{{ lst|length }}",
    "{{ s|upper }}", "{{ i + 1 }}", "{{ i / 5 }}", "{{ i // 5 }}", "{{ [s] }}",
    "{{ {'k': none} }}", "{{ dct['a'] }}", "{{ date.isoformat() }}", "{{ dt.isoformat() }}",
]

jinja2_cases = []
for source in TEMPLATES:
    out = engine.from_string(source).render(dict(CONTEXT), request)
    jinja2_cases.append({"source": source, "output": out})

# static(path) as django.contrib.staticfiles answers it (StaticFilesStorage.url), for several
# STATIC_URL values (already carrying the script prefix, as settings.STATIC_URL does).
from django.contrib.staticfiles.storage import StaticFilesStorage  # noqa: E402

static_cases = []
for base in ("/static/", "https://cdn.example.com/assets/", "/app/static/"):
    storage = StaticFilesStorage(location="/nonexistent", base_url=base)
    for path in ("css/site.css", "/img/logo.png", "a b.txt", "caf\u00e9.js", "x?y#z.js", "../up.css",
                 "dir\\file.js", "q%20.js", "~tilde!*()'.js", "", "//double.js", "a/./b/../c.js"):
        static_cases.append({"static_url": base, "path": path, "url": storage.url(path)})

print(json.dumps({"django": django.get_version(), "seed": seed, "jinja2": jinja2_cases,
                  "static": static_cases},
                 ensure_ascii=False, indent=1))
