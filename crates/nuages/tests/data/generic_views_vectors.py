"""Golden vectors for nuages::views::generic and the cache decorators, produced by real Django 5.2.

Run with the reference venv, from this directory:
    ~/.cache/nuages-reference-django/venv/bin/python generic_views_vectors.py > generic_views_vectors.json

* `percent_format`: `url % kwargs` as RedirectView interpolates its `url` (Python's str % dict):
  the result, or the exception and its message.
* `patch_cache_control`: django.utils.cache.patch_cache_control on a response with a given
  Cache-Control (no case has two `no-cache` field names: their order is a Python set's).
* `list_view`: ListView over a plain list (paginate_by, paginate_orphans, allow_empty, the page
  from the URL kwarg or ?page=): the context's object_list, is_paginated, page number and count
  of pages, or the Http404 message.
"""
import json
import uuid

import django
from django.conf import settings

settings.configure(DEBUG=False, SECRET_KEY="x", DEFAULT_CHARSET="utf-8", ALLOWED_HOSTS=["testserver"],
                   USE_I18N=False)
django.setup()

from django.http import Http404, HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils.cache import patch_cache_control  # noqa: E402
from django.views.generic import ListView  # noqa: E402

U = uuid.UUID("12345678-1234-5678-1234-567812345678")

PERCENT = [
    ("/items/%(pk)s/", {"pk": 42}), ("/bar/%(pk)s/%%2F/", {"pk": 1}), ("/target/", {"pk": 1}),
    ("/%(a)s/%(b)s/", {"a": "x", "b": 5}), ("/%(missing)s/", {}), ("/%(missing)s/", {"pk": 1}),
    ("/%s/", {}), ("/%s/", {"a": 1}), ("/%s/", {"a": "x", "b": 2}), ("/%s/%s/", {"a": 1}),
    ("/%(a)r/", {"a": "x"}), ("/%(a)r/", {"a": "é"}), ("/%(a)a/", {"a": "é"}), ("/%(a)a/", {"a": "日"}),
    ("/%(a)d/", {"a": 7}), ("/%(a)d/", {"a": "7"}), ("/%(a)i/", {"a": "7"}), ("/%(a)05d/", {"a": 7}),
    ("/%(a)-5d|", {"a": 7}), ("/%(a)+d/", {"a": 7}), ("/%(a) d/", {"a": 7}),
    ("/%(a)x/%(a)X/%(a)#x/%(a)#X/%(a)o/%(a)#o/", {"a": 255}), ("/%(a)x/", {"a": "s"}), ("%(a)#08x", {"a": 255}),
    ("/%(a)c/", {"a": 65}), ("/%(a)c/", {"a": "z"}), ("/%(a)c/", {"a": "zz"}), ("%(a)c", {"a": 0x110000}),
    ("%(a)5c|", {"a": 65}), ("/%(a).2s/", {"a": "abcdef"}), ("/%(a)10s|", {"a": "abc"}), ("/%(a)-10s|", {"a": "abc"}),
    ("/%(a)f/%(a).2f/%(a)e/%(a).3E/%(a)g/%(a)G/", {"a": 42}), ("/%(a)g/", {"a": 12345678}), ("/%(a)f/", {"a": "x"}),
    ("%(a)#.0f", {"a": 3}), ("%(a)#.0e", {"a": 3}), ("%(a)-08.2f|", {"a": 3}), ("%(a)10.3f|", {"a": -3}),
    ("%(a)#g", {"a": 3}), ("%(a).0e", {"a": 35}), ("%(a)g", {"a": 0}), ("%(a)g", {"a": 1000000}),
    ("%(a)g", {"a": 100000}), ("%(a)e", {"a": 0}), ("%(a).3g", {"a": 123456}), ("%(a)+.1e", {"a": -1234}),
    ("/%(a)s/", {"a": U}), ("/%(a)r/", {"a": U}), ("/%(a)d/", {"a": U}), ("/%(a)x/", {"a": U}), ("/%(a)e/", {"a": U}),
    ("/foo%20bar/", {}), ("/foo%20bar/", {"a": 1}), ("/%(a)", {"a": 1}), ("/%(a)s%", {"a": 1}), ("%(a", {"a": 1}),
    ("/%(a)*d/", {"a": 1}), ("%*d", {"a": 1}), ("%.*d", {"a": 1}), ("/%(a)q/", {"a": 1}), ("/%é/", {}),
    ("/%(a(b))s/", {"a(b)": 1}), ("/%(a)%/", {"a": 1}), ("/%5%/", {}), ("%(a)ld", {"a": 3}),
    ("%(a)i %(a)u", {"a": -3}), ("%(a)05x", {"a": -3}), ("%(a)+05d", {"a": 3}), ("%(a)-05d|", {"a": 3}),
    ("%(a).3d", {"a": 3}), ("%s %(a)s", {"a": 1}), ("%(a)s %s", {"a": 1}), ("%(a)s %(a)s", {"a": 1}),
    ("%d", {}), ("100%%", {}), ("%", {}),
]


def encode(kwargs):
    return {k: {"type": "uuid", "value": str(v)} if isinstance(v, uuid.UUID) else {"type": type(v).__name__, "value": v}
            for k, v in kwargs.items()}


def percent_cases():
    out = []
    for fmt, kw in PERCENT:
        try:
            r = {"ok": fmt % kw}
        except Exception as e:  # noqa: BLE001
            r = {"exception": type(e).__name__, "message": str(e)}
        out.append({"format": fmt, "kwargs": encode(kw), **r})
    return out


CACHE = [
    (None, [("max_age", 0)]),
    (None, [("no_cache", True), ("no_store", True), ("must_revalidate", True), ("private", True)]),
    ("max-age=0", [("no_cache", True), ("no_store", True), ("must_revalidate", True), ("private", True)]),
    ("max-age=100", [("max_age", 50)]), ("max-age=10", [("max_age", 50)]), ("private", [("public", True)]),
    ("public", [("private", True)]), ("no-cache=Set-Cookie", [("no_cache", True)]),
    ("no-cache=Set-Cookie", [("no_cache", "Set-Cookie")]), ("Max-Age=5 ,  Foo=bar", [("s_maxage", 3)]),
    ("max-age", [("max_age", 50)]), ("a, b=1", [("private", False)]), ("", [("public", True)]),
    ("max-age=3600, public", [("max_age", 0)]), ("max-age=abc", [("max_age", 5)]),
    ("no-store", [("no_cache", "X-A")]),
]


def cache_cases():
    out = []
    for header, kw in CACHE:
        r = HttpResponse()
        if header is not None:
            r["Cache-Control"] = header
        try:
            patch_cache_control(r, **dict(kw))
            res = {"cache_control": r["Cache-Control"]}
        except Exception as e:  # noqa: BLE001
            res = {"exception": type(e).__name__, "message": str(e)}
        out.append({"header": header, "kwargs": [[k, v] for k, v in kw], **res})
    return out


class Numbers(ListView):
    template_name = "unused.html"

    def render_to_response(self, context, **response_kwargs):
        self.context = context
        return HttpResponse("rendered")


LISTS = [
    # (count, attrs, query, url kwargs)
    (25, {"paginate_by": 10}, "", {}), (25, {"paginate_by": 10}, "page=2", {}),
    (25, {"paginate_by": 10}, "page=3", {}), (25, {"paginate_by": 10}, "page=4", {}),
    (25, {"paginate_by": 10}, "page=0", {}), (25, {"paginate_by": 10}, "page=-1", {}),
    (25, {"paginate_by": 10}, "page=last", {}), (25, {"paginate_by": 10}, "page=LAST", {}),
    (25, {"paginate_by": 10}, "page=abc", {}), (25, {"paginate_by": 10}, "page=2.0", {}),
    (25, {"paginate_by": 10}, "page=%202%20", {}), (25, {"paginate_by": 10}, "page=", {}),
    (25, {"paginate_by": 10}, "page=99999999999999999999999", {}), (25, {"paginate_by": 10}, "page=1_0", {}),
    (25, {"paginate_by": 10}, "", {"page": 2}), (25, {"paginate_by": 10}, "page=3", {"page": 2}),
    (25, {"paginate_by": 10}, "page=3", {"page": 0}), (25, {"paginate_by": 10}, "", {"page": "last"}),
    (25, {"paginate_by": 10, "paginate_orphans": 5}, "page=2", {}),
    (25, {"paginate_by": 10, "paginate_orphans": 5}, "page=3", {}),
    (21, {"paginate_by": 10, "paginate_orphans": 1}, "page=last", {}),
    (0, {"paginate_by": 10}, "", {}), (0, {"paginate_by": 10}, "page=2", {}),
    (0, {"paginate_by": 10, "allow_empty": False}, "", {}), (0, {"allow_empty": False}, "", {}),
    (0, {}, "", {}), (3, {}, "page=9", {}), (3, {"paginate_by": 0}, "page=9", {}),
    (3, {"paginate_by": 3}, "", {}), (3, {"paginate_by": 2, "page_kwarg": "p"}, "p=2&page=1", {}),
    (5, {"paginate_by": 2, "context_object_name": "numbers"}, "page=3", {}),
]


def list_cases():
    rf = RequestFactory()
    out = []
    for count, attrs, query, kwargs in LISTS:
        view = Numbers.as_view(queryset=list(range(1, count + 1)), **attrs)
        entry = {"count": count, "attrs": attrs, "query": query, "url_kwargs": kwargs}
        try:
            view(rf.get("/numbers/?" + query), **kwargs)
        except Http404 as e:
            entry["http404"] = str(e)
            out.append(entry)
            continue
        # The context of the last instance: as_view makes one per request; reach it via a closure.
        out.append(entry)
    return out


def list_cases_with_context():
    rf = RequestFactory()
    out = []
    for count, attrs, query, kwargs in LISTS:
        captured = {}

        class V(Numbers):
            def render_to_response(self, context, **response_kwargs):
                captured.update(context)
                return HttpResponse("rendered")

        V.__name__ = "Numbers"
        view = V.as_view(queryset=list(range(1, count + 1)), **attrs)
        entry = {"count": count, "attrs": attrs, "query": query, "url_kwargs": kwargs}
        try:
            view(rf.get("/numbers/?" + query), **kwargs)
        except Http404 as e:
            entry["http404"] = str(e)
            out.append(entry)
            continue
        page = captured["page_obj"]
        entry["context"] = {
            "keys": sorted(k for k in captured if k != "view"),
            "object_list": list(captured["object_list"]),
            "is_paginated": captured["is_paginated"],
            "page": None if page is None else {"number": page.number, "num_pages": page.paginator.num_pages,
                                               "str": str(page), "start_index": page.start_index(),
                                               "end_index": page.end_index()},
        }
        if "numbers" in captured:
            entry["context"]["numbers"] = list(captured["numbers"])
        out.append(entry)
    return out


print(json.dumps({
    "django_version": django.get_version(),
    "percent_format": percent_cases(),
    "patch_cache_control": cache_cases(),
    "list_view": list_cases_with_context(),
}, indent=1, ensure_ascii=False))
