"""django.utils.cache, the vary decorators and the cache middleware: vectors from Django 5.2.

Run with the reference venv:
~/.cache/nuages-reference-django/venv/bin/python cache_vectors.py > cache_vectors.json

Requests are RequestFactory requests without the factory's empty Cookie header (as a real
server sends them: no Cookie header at all unless the case has cookies), through Django's
whole handler (BaseHandler.get_response: middleware, URL resolution, the view). Expires and
Date depend on the clock: Expires is recorded as "<http date>" and checked to be one.
"""
import json
import sys

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="x",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    DEBUG=False,
    USE_I18N=False,
    USE_TZ=False,
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "other": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "other"},
    },
    MIDDLEWARE=[],
)
django.setup()

from django.core.cache import caches
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path
from django.utils.cache import (
    get_cache_key,
    get_max_age,
    learn_cache_key,
    patch_vary_headers,
    _generate_cache_header_key,
)
from django.utils.http import parse_http_date_safe
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_cookie, vary_on_headers

rf = RequestFactory()


def make_request(method, url, headers=None, cookies=None, secure=False, host=None):
    extra = {}
    for k, v in (headers or {}).items():
        key = k.upper().replace("-", "_")
        extra[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = v
    if host:
        extra["HTTP_HOST"] = host
    req = getattr(rf, method.lower())(url, secure=secure, **extra)
    if cookies is None:
        req.META.pop("HTTP_COOKIE", None)
    else:
        req.META["HTTP_COOKIE"] = cookies
    return req


# ===== patch_vary_headers =====
vary_cases = []
for initial, new in [
    (None, ["Accept-Encoding"]),
    ("Accept-Encoding", ["accept-encoding"]),
    ("Accept-Encoding", ["ACCEPT-ENCODING"]),
    ("Cookie", ["Accept-Encoding"]),
    ("Cookie, Accept-Encoding", ["Accept-Encoding"]),
    ("Cookie, Accept-Encoding", ["Accept-Encoding", "cookie"]),
    (None, ["Accept-Encoding", "COOKIE"]),
    ("Cookie,     Accept-Encoding", ["Accept-Encoding", "cookie"]),
    ("Cookie    ,     Accept-Encoding", ["Accept-Encoding", "cookie"]),
    ("*", ["Accept-Language", "Cookie"]),
    ("Accept-Language, Cookie", ["*"]),
    ("Accept-Language, Cookie", ["*", "Accept-Language"]),
    ("Cookie", ["A", "a"]),
    ("", ["Accept-Encoding"]),
    (" Cookie ,", []),
    ("Accept", ["User-Agent", "Accept-Language", "accept"]),
]:
    r = HttpResponse()
    if initial is not None:
        r["Vary"] = initial
    patch_vary_headers(r, new)
    vary_cases.append({"initial": initial, "new": new, "vary": r["Vary"]})

# ===== vary_on_headers / vary_on_cookie =====
decorator_cases = []
for initial, headers in [
    (None, ["Accept-Language"]),
    ("Cookie", ["Accept-Language", "cookie"]),
    ("Accept", ["*"]),
    (None, []),
    ("Accept-Encoding", None),  # vary_on_cookie
    ("cookie", None),
]:
    def view(request, initial=initial):
        r = HttpResponse("v")
        if initial is not None:
            r["Vary"] = initial
        return r

    decorated = vary_on_cookie(view) if headers is None else vary_on_headers(*headers)(view)
    r = decorated(make_request("GET", "/"))
    decorator_cases.append({"initial": initial, "headers": headers, "vary": r.get("Vary")})

# ===== get_max_age =====
max_age_cases = []
for cc in [
    None,
    "",
    "max-age=3600",
    "public, max-age=60",
    "max-age=abc",
    "max-age",
    "max-age=1, max-age=2",
    "MAX-AGE=5",
    "max-age= 7",
    "max-age=1_0",
    "max-age=-3",
    "max-age=+4",
    "private,max-age=0",
    " max-age=9",
    "s-maxage=5",
    "max-age=3.5",
    "max-age=",
]:
    r = HttpResponse()
    if cc is not None:
        r["Cache-Control"] = cc
    max_age_cases.append({"cache_control": cc, "max_age": get_max_age(r)})

# ===== learn_cache_key / get_cache_key =====
key_cases = []
cache = caches["default"]
for name, method, url, headers, cookies, vary, prefix, secure, host in [
    ("plain", "GET", "/page/", {}, None, None, "", False, None),
    ("query", "GET", "/page/?b=2&a=1", {}, None, None, "", False, None),
    ("query_escaped", "GET", "/caf%C3%A9/?q=%20x", {}, None, None, "", False, None),
    ("prefix", "GET", "/page/", {}, None, None, "site1", False, None),
    ("secure_host", "GET", "/page/", {}, None, None, "", True, "example.com:8443"),
    ("vary_one", "GET", "/page/", {"Accept-Language": "fr"}, None, "Accept-Language", "", False, None),
    ("vary_absent", "GET", "/page/", {}, None, "Accept-Language", "", False, None),
    ("vary_empty", "GET", "/page/", {"Accept-Language": ""}, None, "Accept-Language", "", False, None),
    ("vary_order", "GET", "/page/", {"Accept-Language": "fr", "Accept-Encoding": "gzip"}, None, "Accept-Language, Accept-Encoding", "", False, None),
    ("vary_order_reversed", "GET", "/page/", {"Accept-Language": "fr", "Accept-Encoding": "gzip"}, None, "accept-encoding,accept-language", "", False, None),
    ("vary_cookie", "GET", "/page/", {}, "a=1; b=2", "Cookie", "", False, None),
    ("vary_cookie_absent", "GET", "/page/", {}, None, "Cookie", "", False, None),
    ("vary_content_type", "GET", "/page/", {"Content-Type": "text/plain"}, None, "Content-Type", "", False, None),
    ("vary_latin1", "GET", "/page/", {"X-Name": "caf\xe9"}, None, "X-Name", "p", False, None),
    ("head", "HEAD", "/page/", {}, None, None, "", False, None),
    ("vary_star", "GET", "/page/", {}, None, "*", "", False, None),
]:
    cache.clear()
    req = make_request(method, url, headers, cookies, secure, host)
    r = HttpResponse("x")
    if vary is not None:
        r["Vary"] = vary
    before = get_cache_key(req, prefix, "GET", cache=cache)
    learned = learn_cache_key(req, r, 60, prefix, cache=cache)
    header_key = _generate_cache_header_key(prefix, req)
    key_cases.append({
        "name": name, "method": method, "url": url, "headers": headers, "cookies": cookies,
        "vary": vary, "prefix": prefix, "secure": secure, "host": host,
        "before": before,
        "learned": learned,
        "header_key": header_key,
        "headerlist": cache.get(header_key),
        "get_key": get_cache_key(req, prefix, "GET", cache=cache),
        "head_key": get_cache_key(req, prefix, "HEAD", cache=cache),
    })
cache.clear()

# ===== the middleware =====
calls = {}


def counted(name):
    calls[name] = calls.get(name, 0) + 1
    return "%s:%d" % (name, calls[name])


def v_plain(request):
    return HttpResponse(counted("plain"))


def v_vary_lang(request):
    r = HttpResponse(counted("vary_lang"))
    r["Vary"] = "Accept-Language"
    return r


def v_cookie_vary(request):
    r = HttpResponse(counted("cookie_vary"))
    r["Vary"] = "Cookie"
    r.set_cookie("c", "1")
    return r


def v_cookie_novary(request):
    r = HttpResponse(counted("cookie_novary"))
    r.set_cookie("c", "1")
    return r


def v_vary_cookie_only(request):
    r = HttpResponse(counted("vary_cookie_only"))
    r["Vary"] = "Cookie"
    return r


def v_private(request):
    r = HttpResponse(counted("private"))
    r["Cache-Control"] = "private"
    return r


def v_no_store(request):
    r = HttpResponse(counted("no_store"))
    r["Cache-Control"] = "max-age=60, no-store"
    return r


def v_max_age_0(request):
    r = HttpResponse(counted("max_age_0"))
    r["Cache-Control"] = "max-age=0"
    return r


def v_max_age_30(request):
    r = HttpResponse(counted("max_age_30"))
    r["Cache-Control"] = "public, max-age=30"
    return r


def v_expires_set(request):
    r = HttpResponse(counted("expires_set"))
    r["Expires"] = "Sun, 06 Nov 1994 08:49:37 GMT"
    return r


def v_not_found(request):
    return HttpResponse(counted("not_found"), status=404)


def v_redirect(request):
    r = HttpResponse(counted("redirect"), status=302)
    r["Location"] = "/elsewhere/"
    return r


def v_star(request):
    r = HttpResponse(counted("star"))
    r["Vary"] = "*"
    return r


def v_post(request):
    return HttpResponse(counted("post"))


def v_stream(request):
    return StreamingHttpResponse(iter([counted("stream").encode()]))


def v_not_modified(request):
    return HttpResponse(status=304)


page = cache_page(45)
cp_plain = page(lambda request: HttpResponse(counted("cp_plain")))


def cp_max_age(request):
    r = HttpResponse(counted("cp_max_age"))
    r["Cache-Control"] = "max-age=3600"
    return r


cp_max_age = cache_page(20)(cp_max_age)
cp_prefix = cache_page(30, key_prefix="pfx", cache="other")(lambda request: HttpResponse(counted("cp_prefix")))

urlpatterns = [
    path("plain/", v_plain),
    path("vary_lang/", v_vary_lang),
    path("cookie_vary/", v_cookie_vary),
    path("cookie_novary/", v_cookie_novary),
    path("vary_cookie_only/", v_vary_cookie_only),
    path("private/", v_private),
    path("no_store/", v_no_store),
    path("max_age_0/", v_max_age_0),
    path("max_age_30/", v_max_age_30),
    path("expires_set/", v_expires_set),
    path("not_found/", v_not_found),
    path("redirect/", v_redirect),
    path("star/", v_star),
    path("post/", v_post),
    path("stream/", v_stream),
    path("not_modified/", v_not_modified),
    path("cp_plain/", cp_plain),
    path("cp_max_age/", cp_max_age),
    path("cp_prefix/", cp_prefix),
]

TWO_PART = ["django.middleware.cache.UpdateCacheMiddleware", "django.middleware.cache.FetchFromCacheMiddleware"]
ONE = ["django.middleware.cache.CacheMiddleware"]


def record(resp):
    headers = []
    for k, v in resp.headers.items():
        if k.lower() == "expires":
            assert parse_http_date_safe(v) is not None, v
            v = "<http date>"
        headers.append([k, v])
    for c in resp.cookies.values():
        headers.append(["Set-Cookie", c.output(header="").strip()])
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    return {"status": resp.status_code, "headers": headers, "content": content.decode("latin-1")}


scenarios = []


def scenario(name, middleware, requests, **overrides):
    for c in caches.all():
        c.clear()
    calls.clear()
    out = []
    with override_settings(MIDDLEWARE=middleware, **overrides):
        handler = BaseHandler()
        handler.load_middleware()
        for spec in requests:
            if spec[0] == "CLEAR":
                caches[spec[1]].clear()
                out.append({"clear": spec[1]})
                continue
            method, url = spec[0], spec[1]
            opts = spec[2] if len(spec) > 2 else {}
            req = make_request(method, url, opts.get("headers"), opts.get("cookies"))
            resp = handler.get_response(req)
            out.append({"method": method, "url": url, "headers": opts.get("headers") or {},
                        "cookies": opts.get("cookies"), "response": record(resp),
                        # What the caches hold (header lists and pages, expired included).
                        "cache_sizes": {a: len(caches[a]._cache) for a in ("default", "other")}})
    scenarios.append({"name": name, "middleware": [m.rsplit(".", 1)[1] for m in middleware],
                      "settings": overrides, "requests": out})


for mw_name, mw in [("two_part", TWO_PART), ("single", ONE)]:
    scenario(mw_name + "_miss_then_hit", mw, [("GET", "/plain/"), ("GET", "/plain/"), ("GET", "/plain/?x=1"), ("GET", "/plain/?x=1")])
    scenario(mw_name + "_vary", mw, [
        ("GET", "/vary_lang/", {"headers": {"Accept-Language": "fr"}}),
        ("GET", "/vary_lang/", {"headers": {"Accept-Language": "fr"}}),
        ("GET", "/vary_lang/", {"headers": {"Accept-Language": "de"}}),
        ("GET", "/vary_lang/"),
        ("GET", "/vary_lang/", {"headers": {"Accept-Language": ""}}),
        ("GET", "/vary_lang/"),
        ("GET", "/vary_lang/", {"headers": {"Accept-Language": "de"}}),
    ])
    scenario(mw_name + "_cookies", mw, [
        ("GET", "/cookie_vary/"), ("GET", "/cookie_vary/"),
        ("GET", "/cookie_vary/", {"cookies": "c=1"}), ("GET", "/cookie_vary/", {"cookies": "c=1"}),
        ("GET", "/cookie_novary/"), ("GET", "/cookie_novary/"),
        ("GET", "/vary_cookie_only/", {"cookies": "a=1"}), ("GET", "/vary_cookie_only/", {"cookies": "a=1"}),
        ("GET", "/vary_cookie_only/", {"cookies": "a=2"}), ("GET", "/vary_cookie_only/"),
    ])
    scenario(mw_name + "_not_cached", mw, [
        ("GET", "/private/"), ("GET", "/private/"),
        ("GET", "/no_store/"), ("GET", "/no_store/"),
        ("GET", "/max_age_0/"), ("GET", "/max_age_0/"),
        ("GET", "/not_found/"), ("GET", "/not_found/"),
        ("GET", "/redirect/"), ("GET", "/redirect/"),
        ("GET", "/star/"), ("GET", "/star/"),
        ("GET", "/stream/"), ("GET", "/stream/"),
        ("GET", "/not_modified/"),
        ("GET", "/missing/"),
    ])
    scenario(mw_name + "_max_age_and_expires", mw, [
        ("GET", "/max_age_30/"), ("GET", "/max_age_30/"),
        ("GET", "/expires_set/"), ("GET", "/expires_set/"),
    ])
    scenario(mw_name + "_methods", mw, [
        ("POST", "/post/"), ("POST", "/post/"), ("GET", "/post/"), ("POST", "/post/"), ("GET", "/post/"),
        ("HEAD", "/plain/"), ("HEAD", "/plain/"), ("GET", "/plain/"), ("GET", "/plain/"), ("HEAD", "/plain/"),
        ("PUT", "/plain/"),
    ])
    scenario(mw_name + "_authorization", mw, [
        ("GET", "/plain/", {"headers": {"Authorization": "Basic YTpi"}}),
        ("GET", "/plain/", {"headers": {"Authorization": "Basic YTpi"}}),
        ("GET", "/plain/"),
        ("GET", "/plain/", {"headers": {"Authorization": "Basic Yzpk"}}),
        ("GET", "/max_age_30/", {"headers": {"Authorization": "Basic YTpi"}}),
        ("GET", "/max_age_30/"),
    ])
scenario("settings_seconds_prefix", TWO_PART, [("GET", "/plain/"), ("GET", "/plain/")],
         CACHE_MIDDLEWARE_SECONDS=120, CACHE_MIDDLEWARE_KEY_PREFIX="site")
scenario("settings_alias", ONE, [("GET", "/plain/"), ("GET", "/plain/")], CACHE_MIDDLEWARE_ALIAS="other")
scenario("cache_page", [], [
    ("GET", "/cp_plain/"), ("GET", "/cp_plain/"), ("HEAD", "/cp_plain/"), ("POST", "/cp_plain/"),
    ("GET", "/cp_max_age/"), ("GET", "/cp_max_age/"),
    ("GET", "/cp_prefix/"), ("GET", "/cp_prefix/"),
])
# cache_page under the middleware: the page timeout is the decorator's.
scenario("cache_page_and_middleware", TWO_PART, [("GET", "/cp_plain/"), ("GET", "/cp_plain/")],
         CACHE_MIDDLEWARE_KEY_PREFIX="mw")

# A hit of cache_page clears request._cache_update_cache: the middleware around it does not
# store the page again once its own copy is gone.
scenario("cache_page_hit_not_stored_again", TWO_PART, [
    ("GET", "/cp_plain/"), ("CLEAR", "other"), ("GET", "/cp_plain/"), ("GET", "/cp_plain/"),
], CACHE_MIDDLEWARE_ALIAS="other")
json.dump({
    "django": django.get_version(),
    "patch_vary_headers": vary_cases,
    "vary_decorators": decorator_cases,
    "get_max_age": max_age_cases,
    "cache_keys": key_cases,
    "middleware": scenarios,
}, sys.stdout, indent=1, ensure_ascii=True)
sys.stdout.write("\n")
