"""Content-Security-Policy vectors from real Django 6.0 (django.utils.csp, django.middleware.csp,
django.views.decorators.csp, django.template.context_processors.csp), for tests/csp_golden.rs.

Run with a Django 6.0 venv that has Jinja2, from any directory:
    python3.12 -m venv /tmp/dj6 && /tmp/dj6/bin/pip install 'django>=6.0,<6.1' jinja2
    /tmp/dj6/bin/python csp_vectors.py        # writes csp_vectors.json next to this file

A policy (a Python dict) is written as a list of [directive, value] pairs, in order, each value
as {"type": "list" | "tuple" | "set" | "str" | "bool" | "none", "value": ...} (a set as its
items; Django sorts them).

* `build_policy`: Django's own cases (tests/utils_tests/test_csp.py) and more: the policy
  `build_policy(config, nonce)` returns.
* `middleware`: a GET through the test client with only ContentSecurityPolicyMiddleware, the
  case's SECURE_CSP / SECURE_CSP_REPORT_ONLY and view; the two CSP headers (null: absent). A
  view that prints the nonce answers it as its body; in headers, `{nonce}` stands for it.
* `debug_pages`: a 404 (no URL matches) and a 500 (the view raises) with DEBUG on and off:
  Django 6.0's DEBUG pages carry empty overrides, so no CSP header.
* `template`: Django's Jinja2 backend with the `csp` context processor, rendering a template
  from a string with the request, with or without the middleware; `{nonce}` stands for the
  nonce in the body and the headers (it is random).
"""
import json
import os
import sys

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="csp-vectors",
    ALLOWED_HOSTS=["testserver"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.csp.ContentSecurityPolicyMiddleware"],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.jinja2.Jinja2",
            "DIRS": [],
            "OPTIONS": {"context_processors": ["django.template.context_processors.csp"]},
        }
    ],
)
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils.csp import CSP, build_policy  # noqa: E402
from django.views.decorators.csp import (  # noqa: E402
    csp_override,
    csp_report_only_override,
)

assert django.VERSION[:2] == (6, 0), django.get_version()


def enc_value(v):
    if v is None:
        return {"type": "none", "value": None}
    if isinstance(v, bool):
        return {"type": "bool", "value": v}
    if isinstance(v, str):
        return {"type": "str", "value": str(v)}
    if isinstance(v, list):
        return {"type": "list", "value": [str(x) for x in v]}
    if isinstance(v, tuple):
        return {"type": "tuple", "value": [str(x) for x in v]}
    if isinstance(v, (set, frozenset)):
        return {"type": "set", "value": sorted(str(x) for x in v)}
    raise TypeError(v)


def enc(config):
    return [[k, enc_value(v)] for k, v in config.items()]


# ===== build_policy =====

BUILD = [
    # tests/utils_tests/test_csp.py
    ("config_empty", {}, None),
    ("config_basic", {"default-src": [CSP.SELF]}, None),
    ("multiple_directives", {"default-src": [CSP.SELF], "script-src": [CSP.NONE]}, None),
    ("value_as_string", {"default-src": CSP.SELF}, None),
    ("value_as_tuple", {"default-src": (CSP.SELF, "foo.com")}, None),
    ("value_as_set", {"default-src": {CSP.SELF, "foo.com", "bar.com"}}, None),
    ("value_none", {"default-src": [CSP.SELF], "script-src": None}, None),
    ("boolean_true", {"default-src": [CSP.SELF], "block-all-mixed-content": True}, None),
    ("boolean_false", {"default-src": [CSP.SELF], "block-all-mixed-content": False}, None),
    (
        "multiple_boolean",
        {
            "default-src": [CSP.SELF],
            "block-all-mixed-content": True,
            "upgrade-insecure-requests": True,
        },
        None,
    ),
    ("nonce_arg_without_sentinel", {"default-src": [CSP.SELF]}, "abc123"),
    ("with_nonce", {"default-src": [CSP.SELF, CSP.NONCE]}, "abc123"),
    (
        "multiple_nonces",
        {"default-src": [CSP.SELF, CSP.NONCE], "script-src": [CSP.SELF, CSP.NONCE]},
        "abc123",
    ),
    ("empty_directive", {"default-src": []}, None),
    # more
    ("every_constant", {
        "default-src": [CSP.NONE],
        "script-src": [
            CSP.SELF, CSP.STRICT_DYNAMIC, CSP.UNSAFE_EVAL, CSP.UNSAFE_HASHES,
            CSP.UNSAFE_INLINE, CSP.WASM_UNSAFE_EVAL, CSP.REPORT_SAMPLE,
        ],
    }, None),
    ("order_kept", {"z-src": ["z"], "a-src": ["a"], "m-src": "m"}, None),
    ("sentinel_removed_without_nonce", {"script-src": [CSP.SELF, CSP.NONCE]}, None),
    ("sentinel_removed_empty_nonce", {"script-src": [CSP.SELF, CSP.NONCE]}, ""),
    ("only_sentinel_without_nonce", {"script-src": [CSP.NONCE], "img-src": [CSP.SELF]}, None),
    ("only_sentinel_str_without_nonce", {"script-src": CSP.NONCE}, None),
    ("sentinel_str_with_nonce", {"script-src": CSP.NONCE}, "n0nce"),
    ("sentinel_twice", {"script-src": [CSP.NONCE, CSP.SELF, CSP.NONCE]}, "n0nce"),
    ("sentinel_in_set", {"script-src": {CSP.SELF, CSP.NONCE, "a.com"}}, "xyz"),
    ("sentinel_in_tuple", {"script-src": (CSP.NONCE,)}, "xyz"),
    ("empty_string", {"sandbox": ""}, None),
    ("empty_string_in_list", {"a": ["x", ""], "b": ["", "y"]}, None),
    ("empty_tuple_and_set", {"a": (), "b": set(), "c": [CSP.SELF]}, None),
    ("all_left_out", {"a": None, "b": False, "c": []}, None),
    ("bools_only", {"upgrade-insecure-requests": True, "block-all-mixed-content": False}, None),
    ("set_sorting", {"img-src": {"b.com", "A.com", "a.com", "'self'", "data:", "*.z.com"}}, None),
    ("report_to", {"default-src": [CSP.SELF], "report-uri": "/csp-report/", "report-to": "grp"}, None),
    ("non_ascii", {"img-src": ["https://exämple.com"]}, None),
]

build_cases = [
    {"name": name, "config": enc(config), "nonce": nonce, "policy": build_policy(config, nonce)}
    for name, config, nonce in BUILD
]

# ===== middleware =====

basic = {"default-src": [CSP.SELF]}
with_nonce = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
images = {"default-src": [CSP.SELF], "img-src": [CSP.SELF, "data:"]}

CURRENT = {"view": None}


def base_view(request):
    return HttpResponse("base")


def nonce_view(request):
    return HttpResponse(str(request._csp_nonce))


def header_view(request):
    response = HttpResponse("header")
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


def ro_header_nonce_view(request):
    response = HttpResponse(str(request._csp_nonce))
    response.headers["Content-Security-Policy-Report-Only"] = "img-src 'none'"
    return response


VIEWS = {"base": base_view, "nonce": nonce_view, "header": header_view,
         "ro_header_nonce": ro_header_nonce_view}


def dispatch(request):
    return CURRENT["view"](request)


urlpatterns = [path("v/", dispatch), path("t/", lambda r: CURRENT["view"](r))]

MIDDLEWARE_CASES = [
    # (name, SECURE_CSP, SECURE_CSP_REPORT_ONLY, view, override, report-only override)
    ("defaults_off", {}, {}, "base", None, None),
    ("basic", basic, {}, "base", None, None),
    ("report_only_basic", {}, basic, "base", None, None),
    ("both", basic, basic, "base", None, None),
    ("nonce_used", with_nonce, {}, "nonce", None, None),
    ("nonce_unused", with_nonce, {}, "base", None, None),
    ("nonce_used_both", with_nonce, with_nonce, "nonce", None, None),
    ("nonce_used_no_sentinel", basic, {}, "nonce", None, None),
    ("nonce_used_no_policy", {}, {}, "nonce", None, None),
    ("header_already_set", with_nonce, basic, "header", None, None),
    ("report_only_already_set", with_nonce, with_nonce, "ro_header_nonce", None, None),
    ("all_left_out_sends_empty", {"script-src": None, "img-src": []}, {}, "base", None, None),
    ("only_sentinel_unused", {"script-src": [CSP.NONCE]}, {}, "base", None, None),
    ("override_enforced", basic, basic, "base", images, None),
    ("override_report_only", basic, basic, "base", None, images),
    ("override_both", basic, basic, "base", images, images),
    ("exempt_enforced", basic, basic, "base", {}, None),
    ("exempt_report_only", basic, basic, "base", None, {}),
    ("exempt_both", basic, basic, "base", {}, {}),
    ("override_without_settings", {}, {}, "base", images, images),
    ("override_with_nonce_used", basic, {}, "nonce", with_nonce, None),
    ("override_with_nonce_unused", basic, {}, "base", with_nonce, with_nonce),
    ("override_does_not_overwrite_header", basic, {}, "header", images, None),
]


def header_or_none(response, name, nonce):
    if name not in response:
        return None
    value = response[name]
    return value.replace(nonce, "{nonce}") if nonce else value


middleware_cases = []
for name, csp, csp_ro, view_name, override, ro_override in MIDDLEWARE_CASES:
    view = VIEWS[view_name]
    if override is not None:
        view = csp_override(override)(view)
    if ro_override is not None:
        view = csp_report_only_override(ro_override)(view)
    CURRENT["view"] = view
    with override_settings(SECURE_CSP=csp, SECURE_CSP_REPORT_ONLY=csp_ro):
        response = Client().get("/v/")
    body = response.content.decode()
    nonce = body if view_name in ("nonce", "ro_header_nonce") else None
    assert nonce is None or len(nonce) == 22, nonce
    middleware_cases.append({
        "name": name,
        "secure_csp": enc(csp),
        "secure_csp_report_only": enc(csp_ro),
        "view": view_name,
        "csp_override": None if override is None else enc(override),
        "csp_report_only_override": None if ro_override is None else enc(ro_override),
        "status": response.status_code,
        "body": "{nonce}" if nonce else body,
        "csp": header_or_none(response, "Content-Security-Policy", nonce),
        "csp_report_only": header_or_none(response, "Content-Security-Policy-Report-Only", nonce),
    })

# ===== the DEBUG pages (technical_404_response, technical_500_response) =====


def error_view(request):
    raise ValueError("boom")


DEBUG_PAGES = [
    ("debug_404", True, "/nope/"),
    ("debug_500", True, "/v/"),
    ("production_404", False, "/nope/"),
    ("production_500", False, "/v/"),
]

debug_cases = []
for name, debug, url in DEBUG_PAGES:
    CURRENT["view"] = error_view
    with override_settings(DEBUG=debug, SECURE_CSP=basic, SECURE_CSP_REPORT_ONLY=basic):
        response = Client(raise_request_exception=False).get(url)
    debug_cases.append({
        "name": name,
        "debug": debug,
        "path": url,
        "secure_csp": enc(basic),
        "secure_csp_report_only": enc(basic),
        "status": response.status_code,
        "csp": header_or_none(response, "Content-Security-Policy", None),
        "csp_report_only": header_or_none(response, "Content-Security-Policy-Report-Only", None),
    })

# ===== template =====

TEMPLATES = [
    ("script_nonce", '<script nonce="{{ csp_nonce }}"></script>', True),
    ("if_before_use", "{% if csp_nonce %}yes{% else %}no{% endif %}", True),
    ("if_after_use", "[{{ csp_nonce }}]{% if csp_nonce %} yes{% else %} no{% endif %}", True),
    ("twice_same", "{{ csp_nonce }}|{{ csp_nonce }}", True),
    ("unused", "no nonce here", True),
    ("without_middleware", "[{{ csp_nonce }}]{% if csp_nonce %} yes{% else %} no{% endif %}", False),
]

template_cases = []
for name, source, with_mw in TEMPLATES:
    def render_view(request, source=source):
        return HttpResponse(engines["jinja2"].from_string(source).render({}, request))

    CURRENT["view"] = render_view
    mw = ["django.middleware.csp.ContentSecurityPolicyMiddleware"] if with_mw else []
    with override_settings(SECURE_CSP=with_nonce, SECURE_CSP_REPORT_ONLY=basic, MIDDLEWARE=mw):
        # A new client: the handler loads MIDDLEWARE on its first request.
        response = Client().get("/t/")
    body = response.content.decode()
    header = response.get("Content-Security-Policy")
    nonce = None
    if header and "'nonce-" in header:
        nonce = header.split("'nonce-")[1].split("'")[0]
        assert len(nonce) == 22, nonce
    template_cases.append({
        "name": name,
        "template": source,
        "middleware": with_mw,
        "secure_csp": enc(with_nonce),
        "secure_csp_report_only": enc(basic),
        "body": body.replace(nonce, "{nonce}") if nonce else body,
        "csp": header_or_none(response, "Content-Security-Policy", nonce),
        "csp_report_only": header_or_none(response, "Content-Security-Policy-Report-Only", nonce),
    })

out = {
    "django": django.get_version(),
    "constants": {m.name: m.value for m in CSP},
    "build_policy": build_cases,
    "middleware": middleware_cases,
    "debug_pages": debug_cases,
    "template": template_cases,
}
target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "csp_vectors.json")
with open(target, "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"wrote {target}: {len(build_cases)} build_policy, {len(middleware_cases)} middleware, "
      f"{len(debug_cases)} debug_pages, {len(template_cases)} template cases", file=sys.stderr)
