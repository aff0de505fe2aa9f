"""Golden vectors for nuages::views::static_files::serve, produced by real Django 5.2
(django.views.static.serve called directly, no middleware).

Run with the reference venv:
    ~/.cache/nuages-reference-django/venv/bin/python static_vectors.py > static_vectors.json

The fixture tree (FILES, DIRS, LINKS below; every file's mtime is MTIME) is rebuilt by the Rust
test in its own temporary directory. Each case: the path given to serve(), show_indexes, the
If-Modified-Since header, and the outcome: status, headers and body, or the exception raised.
"""
import json
import os
import tempfile

import django
from django.conf import settings

settings.configure(DEBUG=True, USE_I18N=False, ALLOWED_HOSTS=["testserver"],
                   TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}])
django.setup()

from django.core.exceptions import SuspiciousFileOperation  # noqa: E402
from django.http import Http404  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.views.static import serve  # noqa: E402

MTIME = 1700000000
FILES = {
    "media/readme.txt": "Hello media\n",
    "media/style.css": "body { color: red; }\n",
    "media/img/logo.png": "PNG-ish bytes",
    "media/archive.tar.gz": "gz",
    "media/data.json.gz": "gz",
    "media/x.gz": "gz",
    "media/style.css.br": "br",
    "media/file.tgz": "tgz",
    "media/image.svgz": "svgz",
    "media/doc.pdf.bz2": "bz2",
    "media/old.txt.Z": "Z",
    "media/old.txt.z": "z",
    "media/UPPER.TXT": "upper",
    "media/noext": "noext",
    "media/.hidden": "hidden",
    "media/sp ace.txt": "space",
    "media/a&b<c>.txt": "amp",
    "media/café.txt": "café",
    "media/%2e%2e": "literal percent name",
    "media/sub/inner.txt": "inner",
    "media/sub/.dot": "dot",
    "secret.txt": "top secret",
    "outside_dir/file.txt": "outside",
}
DIRS = ["media/emptydir"]
LINKS = {"media/link_out": "../secret.txt", "media/link_in": "readme.txt",
         "media/dirlink_out": "../outside_dir"}

PATHS = [
    "readme.txt", "style.css", "img/logo.png", "archive.tar.gz", "data.json.gz", "x.gz",
    "style.css.br", "file.tgz", "image.svgz", "doc.pdf.bz2", "old.txt.Z", "old.txt.z", "UPPER.TXT",
    "noext", ".hidden", "sp ace.txt", "a&b<c>.txt", "café.txt", "missing.txt", "", "/", ".", "img",
    "img/", "sub", "emptydir", "readme.txt/", "./readme.txt", "img/../readme.txt", "../secret.txt",
    "img/../../secret.txt", "/etc/passwd", "//etc/passwd", "/../secret.txt", "/../../secret.txt",
    "%2e%2e/secret.txt", "%2e%2e", "..%2fsecret.txt", "..\\secret.txt", "..\\..\\secret.txt",
    "a\x00b", "readme.txt\x00.png", "..", "../", "sub/..", "sub/../..", "link_in", "link_out",
    "dirlink_out/file.txt", "dirlink_out", "sub/inner.txt", "sub//inner.txt", "SUB/inner.txt",
]

IMS = [None, "Tue, 14 Nov 2023 22:13:20 GMT", "Tue, 14 Nov 2023 22:13:19 GMT",
       "Tue, 14 Nov 2023 22:13:21 GMT", "Tuesday, 14-Nov-23 22:13:20 GMT",
       "Tue Nov 14 22:13:20 2023", "garbage", "Tue, 14 Nov 2023 22:13:20 GMT; length=12", ""]


def build(base):
    for rel, text in FILES.items():
        p = os.path.join(base, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        os.utime(p, (MTIME, MTIME))
    for rel in DIRS:
        os.makedirs(os.path.join(base, rel), exist_ok=True)
    for rel, target in LINKS.items():
        os.symlink(target, os.path.join(base, rel))


def outcome(base, path, show_indexes, ims):
    headers = {} if ims is None else {"HTTP_IF_MODIFIED_SINCE": ims}
    request = RequestFactory().get("/media/", **headers)
    root = os.path.join(base, "media")
    try:
        r = serve(request, path, document_root=root, show_indexes=show_indexes)
    except Http404 as e:
        return {"raises": "Http404", "message": str(e).replace(base, "{base}")}
    except SuspiciousFileOperation as e:
        return {"raises": "SuspiciousFileOperation", "message": str(e).replace(base, "{base}")}
    body = b"".join(r.streaming_content) if r.streaming else r.content
    out = {"status": r.status_code, "headers": sorted([k, v] for k, v in r.items()),
           "body": body.decode("utf-8")}
    r.close()
    return out


with tempfile.TemporaryDirectory() as base:
    build(base)
    cases = []
    for path in PATHS:
        for show in (False, True):
            cases.append({"path": path, "show_indexes": show, "if_modified_since": None,
                          "outcome": outcome(base, path, show, None)})
    for ims in IMS[1:]:
        cases.append({"path": "readme.txt", "show_indexes": False, "if_modified_since": ims,
                      "outcome": outcome(base, "readme.txt", False, ims)})

print(json.dumps({"django": django.get_version(), "mtime": MTIME, "files": FILES, "dirs": DIRS,
                  "links": LINKS, "cases": cases}, ensure_ascii=False, indent=1))
