"""Golden vectors for 304 responses, produced by real Django 5.2: which headers of the view's
response a 304 keeps (``django.utils.cache._not_modified``: Cache-Control, Content-Location,
Date, ETag, Expires, Last-Modified, Vary, and the cookies), in which order and spelling, and
that ``HttpResponseNotModified`` has no Content-Type (its ``__init__`` deletes it) even when the
view set one.

Usage:  ~/.cache/nuages-reference-django/venv/bin/python not_modified_vectors.py > not_modified_vectors.json
"""
import json
import platform

import django
from django.conf import settings

settings.configure(SECRET_KEY="x", DEFAULT_CHARSET="utf-8", ALLOWED_HOSTS=["*"], USE_TZ=True)
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.middleware.http import ConditionalGetMiddleware  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.views.decorators.http import condition, etag  # noqa: E402

ETAG = '"v1"'
LAST_MODIFIED = "Sun, 21 Oct 2007 23:21:47 GMT"

# What the view sets, in this order (name as set, value).
VIEW_HEADERS = [
    ("X-Custom", "kept?"),
    ("content-language", "fr"),
    ("Cache-Control", "max-age=60"),
    ("vary", "Cookie"),
    ("Content-Location", "/doc.fr"),
    ("Expires", "Sun, 21 Oct 2007 23:31:47 GMT"),
    ("Date", "Sun, 21 Oct 2007 23:21:48 GMT"),
    ("Last-Modified", LAST_MODIFIED),
    ("etag", ETAG),
]


def view_response():
    r = HttpResponse("body", content_type="text/plain; charset=latin-1")
    for name, value in VIEW_HEADERS:
        r[name] = value
    r.set_cookie("a", "1", path="/doc")
    r.set_cookie("b", "2", httponly=True)
    return r


def record(name, response, view_ran):
    return {
        "name": name,
        "status": response.status_code,
        "view_ran": view_ran,
        "items": [list(i) for i in response.items()],
        "cookies": [m.output(header="").strip() for m in response.cookies.values()],
        "content": response.content.decode(),
    }


cases = []
rf = RequestFactory()
for request_headers in [{"HTTP_IF_NONE_MATCH": ETAG}, {"HTTP_IF_MODIFIED_SINCE": LAST_MODIFIED}, {}]:
    label = next(iter(request_headers), "none")
    ran = []

    def get_response(request):
        ran.append(True)
        return view_response()

    mw = ConditionalGetMiddleware(get_response)
    cases.append(record("middleware " + label, mw(rf.get("/doc", **request_headers)), bool(ran)))
    ran.clear()

    @condition(etag_func=lambda request: ETAG, last_modified_func=None)
    def decorated(request):
        ran.append(True)
        return view_response()

    cases.append(record("condition " + label, decorated(rf.get("/doc", **request_headers)), bool(ran)))
    ran.clear()

    @etag(lambda request: ETAG)
    def with_etag(request):
        ran.append(True)
        return view_response()

    cases.append(record("etag " + label, with_etag(rf.get("/doc", **request_headers)), bool(ran)))

print(json.dumps({"django_version": django.get_version(), "python_version": platform.python_version(),
                  "request": {"path": "/doc", "etag": ETAG, "last_modified": LAST_MODIFIED},
                  "view_headers": VIEW_HEADERS, "cases": cases}, indent=1, ensure_ascii=False))
