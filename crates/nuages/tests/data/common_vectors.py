"""CommonMiddleware (DISALLOWED_USER_AGENTS, PREPEND_WWW) vectors from Django 5.2.

Run with the reference venv: ~/.cache/nuages-reference-django/venv/bin/python common_vectors.py > common_vectors.json
"""
import json, re, sys
import django
from django.conf import settings
settings.configure(SECRET_KEY="x", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, DEBUG=False,
                   DISALLOWED_USER_AGENTS=[re.compile(r"^BadBot"), re.compile(r"evil")])
django.setup()
from django.urls import path
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.middleware.common import CommonMiddleware
from django.core.exceptions import PermissionDenied
urlpatterns = [path("home/", lambda r: HttpResponse("home"))]
rf = RequestFactory()
def view404(r):
    from django.urls import resolve, Resolver404
    try:
        m = resolve(r.path_info)
    except Resolver404:
        return HttpResponse("nf", status=404)
    return m.func(r)
cases = []
def run(name, method, url, host, prepend, ua=None, secure=False, debug=False):
    kw = {"HTTP_HOST": host}
    if ua: kw["HTTP_USER_AGENT"] = ua
    req = getattr(rf, method.lower())(url, secure=secure, **kw)
    with override_settings(PREPEND_WWW=prepend, DEBUG=debug):
        mw = CommonMiddleware(view404)
        try:
            resp = mw(req)
            out = {"status": resp.status_code, "location": resp.get("Location"), "content_length": resp.get("Content-Length")}
        except PermissionDenied as e:
            out = {"error": "PermissionDenied", "message": str(e)}
        except RuntimeError as e:
            out = {"error": "RuntimeError"}
    cases.append({"name": name, "method": method, "url": url, "host": host, "prepend_www": prepend,
                  "user_agent": ua, "secure": secure, "debug": debug, **out})
run("prepend_valid", "GET", "/home/?a=1", "example.com", True)
run("prepend_and_slash", "GET", "/home?a=1", "example.com", True)
run("prepend_missing", "GET", "/missing", "example.com", True)
run("prepend_already_www", "GET", "/home/", "www.example.com", True)
run("prepend_secure_port", "GET", "/home/", "example.com:8443", True, secure=True)
run("prepend_post_debug", "POST", "/home", "example.com", True, debug=True)
run("prepend_delete_debug", "DELETE", "/home", "example.com", True, debug=True)
run("prepend_post_nodebug", "POST", "/home", "example.com", True)
run("no_prepend", "GET", "/home/", "example.com", False)
run("append_delete_debug", "DELETE", "/home", "example.com", False, debug=True)
run("ua_bad_prefix", "GET", "/home/", "example.com", False, ua="BadBot/1.0")
run("ua_search_middle", "GET", "/home/", "example.com", False, ua="Mozilla evil thing")
run("ua_not_prefix", "GET", "/home/", "example.com", False, ua="GoodBot BadBot")
run("ua_ok", "GET", "/home/", "example.com", False, ua="Mozilla/5.0")
run("ua_before_prepend", "GET", "/home/", "example.com", True, ua="BadBot")
json.dump({"django": django.get_version(), "disallowed_user_agents": ["^BadBot", "evil"], "cases": cases}, sys.stdout, indent=1)
