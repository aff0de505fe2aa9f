"""Hostile request input through Django 5.2: pathological Cookie headers (parse_cookie) and
invalid UTF-8 in the path, the query string, a form body and header values (WSGIRequest, as
a WSGI server hands it the raw bytes decoded as Latin-1).

Run with the reference venv:
~/.cache/nuages-reference-django/venv/bin/python hostile_vectors.py > hostile_vectors.json
"""
import io
import json
import sys

import django
from django.conf import settings

settings.configure(SECRET_KEY="x", ALLOWED_HOSTS=["testserver"], DEBUG=False)
django.setup()
from django.core.handlers.wsgi import WSGIRequest  # noqa: E402
from django.http.cookie import parse_cookie  # noqa: E402

COOKIES = [
    '"\\"\\\\\\""', '"', 'a="', 'a="b', 'a=b"', '";;;;', ';;;;', '=', '==', '=;=;=',
    'a==b', '=a', ' ; ; ', 'a=1;;;b=2', '"a=1"; b="2', 'a="\\\\"; b=2', 'a=\\"; b=2',
    'a="\\073"', 'a="\\"x\\""', 'a=1; a=2', 'a =  b ; c', 'a=b; c', '\x00a=1', 'a=\x01b',
    'a=1\tb', '\tc=d', '$Version=1; a=b', 'a=b; Path=/; Domain=x', 'a=\u00e9',
]

cases = [{"kind": "parse_cookie", "header": h, "parsed": list(parse_cookie(h).items())} for h in COOKIES]


def environ(path, query=b"", body=b"", headers=()):
    env = {
        "REQUEST_METHOD": "POST" if body else "GET",
        "PATH_INFO": path.decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
    }
    if body:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        env["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers:
        env["HTTP_" + name.upper().replace("-", "_")] = value.decode("latin-1")
    return env


# (raw path bytes as they arrive; the URL a client sends, percent-encoded where it must be)
PATHS = [b"/caf%C3%A9/", b"/caf%E9/", b"/%FF%FE/", b"/a%C3/", b"/%ED%A0%80/", b"/%F0%9F%98/x",
         b"/%00/", b"/%0D%0A/", b"/%25/", b"/%2F/"]
for p in PATHS:
    # The WSGI server unquotes the path before Django sees it (PATH_INFO is unquoted bytes).
    from urllib.parse import unquote_to_bytes
    req = WSGIRequest(environ(unquote_to_bytes(p)))
    cases.append({"kind": "path", "raw": p.decode("ascii"), "path_info": req.path_info,
                  "full_path": req.get_full_path()})

QUERIES = [b"a=%FF", b"a=%C3%A9&b=%E9", b"%FF=1", b"a=\xff", b"a=%C3", b"q=%ED%A0%80",
           b"a=1&&b=%zz", b"a=%00"]
for q in QUERIES:
    req = WSGIRequest(environ(b"/", query=q))
    cases.append({"kind": "query", "raw": q.decode("latin-1"), "lists": list(req.GET.lists())})

BODIES = [b"a=%FF", b"a=\xff\xfe", b"%E9=%C3%A9", b"a=%C3"]
for b in BODIES:
    req = WSGIRequest(environ(b"/", body=b))
    cases.append({"kind": "form", "raw": b.decode("latin-1"), "lists": list(req.POST.lists())})

HEADERS = [b"caf\xc3\xa9", b"\xff\xfe", b"a\x7fb", b"\xe9t\xe9"]
for h in HEADERS:
    req = WSGIRequest(environ(b"/", headers=[("X-Data", h)]))
    cases.append({"kind": "header", "raw": h.decode("latin-1"), "value": req.headers["X-Data"],
                  "meta": req.META["HTTP_X_DATA"]})

json.dump({"django_version": django.get_version(), "python_version": sys.version.split()[0],
           "cases": cases}, sys.stdout, indent=1, ensure_ascii=True)
print()
