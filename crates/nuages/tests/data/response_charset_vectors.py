"""Response charset vectors from Django 5.2: DEFAULT_CHARSET, charset=, content_type=, write(),
iterable content, encoding errors, status validation on construction.

Run with the reference venv:
~/.cache/nuages-reference-django/venv/bin/python response_charset_vectors.py > response_charset_vectors.json
"""
import json
import django
from django.conf import settings
settings.configure(SECRET_KEY="x", DEFAULT_CHARSET="utf-8")
django.setup()
from django.http import HttpResponse, StreamingHttpResponse
from django.test import override_settings

def item(x):
    return {"text": x} if isinstance(x, str) else {"bytes_hex": x.hex()} if isinstance(x, bytes) else {"int": x}

cases = []
def run(name, default_charset, content, writes=(), streaming=False, **kwargs):
    case = {"name": name, "default_charset": default_charset,
            "content": [item(c) for c in content] if isinstance(content, list) else item(content),
            "writes": [item(w) for w in writes], "kwargs": kwargs}
    if streaming:
        case["streaming"] = True
    with override_settings(DEFAULT_CHARSET=default_charset):
        try:
            if streaming:
                r = StreamingHttpResponse(content, **kwargs)
                case.update({"status": r.status_code, "content_type": r["Content-Type"], "charset": r.charset})
                # The chunks are encoded as they are sent: an error comes after the headers.
                try:
                    case["chunks_hex"] = [chunk.hex() for chunk in r.streaming_content]
                except Exception as e:
                    case["iteration_error"] = {"exception": type(e).__name__, "message": str(e)}
            else:
                r = HttpResponse(content, **kwargs)
                for w in writes:
                    r.write(w)
                case.update({"status": r.status_code, "content_type": r["Content-Type"], "charset": r.charset, "body_hex": r.content.hex()})
        except Exception as e:
            case["error"] = {"exception": type(e).__name__, "message": str(e)}
    cases.append(case)

for dc in ["utf-8", "latin-1", "UTF-8", "cp1252"]:
    run("text", dc, "é")
    run("bytes", dc, "é".encode())
    run("content_type plain", dc, "é", content_type="text/plain")
    run("content_type with charset", dc, "é", content_type="text/plain; charset=utf-8")
    run("charset kwarg", dc, "é", charset="utf-16")
    run("write text", dc, "a", writes=["é", b"\xff"])
    run("iterable", dc, ["é", b"\xc3", 3])
    run("snowman", dc, "☃")
run("snowman latin-1", "utf-8", "☃ ok", charset="latin-1")
run("snowman ascii", "utf-8", "ab☃", charset="ascii")
run("snowman cp1252", "utf-8", "ab☃", charset="cp1252")
run("unknown charset", "utf-8", "a", charset="nope")
run("unknown charset in content_type", "utf-8", "a", content_type="text/plain; charset=nope")
run("unknown charset bytes", "utf-8", b"a", content_type="text/plain; charset=nope")
for dc in ["utf-8", "latin-1", "cp1252"]:
    run("streaming text", dc, ["é", b"\xc3", 3], streaming=True)
    run("streaming content_type with charset", dc, ["é", "a"], streaming=True,
        content_type="text/plain; charset=latin-1")
    run("streaming charset kwarg", dc, ["é"], streaming=True, charset="utf-16")
run("streaming snowman latin-1", "utf-8", ["ok", "☃"], streaming=True, charset="latin-1")
for status in [99, 100, 599, 600, 999]:
    run(f"status {status}", "utf-8", "", status=status)
print(json.dumps({"django_version": django.get_version(), "cases": cases}, indent=1, ensure_ascii=False))
