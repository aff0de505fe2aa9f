"""url_has_allowed_host_and_scheme on hostile redirect targets, from Django 5.2.

Run with the reference venv:
~/.cache/nuages-reference-django/venv/bin/python redirect_safety_vectors.py > redirect_safety_vectors.json
"""
import json
import sys

import django
from django.utils.http import url_has_allowed_host_and_scheme

URLS = [
    "/next/", "next/", "?next=1", "#frag", "", " ", "/",
    "//evil.com", "//evil.com/", "///evil.com", "////evil.com",
    "\\\\evil.com", "\\/evil.com", "/\\evil.com", "/\\/evil.com", "\\\\\\evil.com",
    " //evil.com", "\t//evil.com", "\n//evil.com", "\x00//evil.com", "\x01//evil.com",
    "/\t/evil.com", "/\n/evil.com", "/\r/evil.com", "//ev\til.com", "/ /evil.com",
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
    "\x01javascript:alert(1)", "\x08javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "javascript://testserver/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
    "http:///evil.com", "https:///evil.com", "http:/evil.com", "https:evil.com",
    "http:evil.com", "http://evil.com", "https://evil.com", "HTTP://evil.com",
    "ftp://testserver/", "http://testserver/", "https://testserver/x",
    "//testserver/x", "http://testserver@evil.com", "http://evil.com@testserver/",
    "http://testserver:80/", "http://TESTSERVER/", "http://testserver\\@evil.com",
    "http:\\\\evil.com", "https:\\\\testserver", "/\u00a0/evil.com", "\u200b//evil.com",
    "\u3000//evil.com", "http://\u2100.com", "//%2F%2Fevil.com", "/%2F/evil.com",
    "/%5Cevil.com", "http://[::1]/", "http://[evil.com/", "http://evil.com:99999/",
    "x" * 2049, "/" + "x" * 2047,
]
HOSTS = ["testserver"]

cases = []
for url in URLS:
    for require_https in (False, True):
        cases.append({
            "url": url,
            "require_https": require_https,
            "safe": url_has_allowed_host_and_scheme(url, HOSTS, require_https=require_https),
        })
json.dump({
    "django_version": django.get_version(),
    "python_version": sys.version.split()[0],
    "allowed_hosts": HOSTS,
    "cases": cases,
}, sys.stdout, indent=1, ensure_ascii=True)
print()
