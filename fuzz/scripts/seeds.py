#!/usr/bin/env python3
"""Writes the seed corpus (fuzz/corpus/<target>/) from the Django golden vectors in
crates/nuages/tests/data, in each target's input format (see the targets' module docs).
Run from anywhere: `python3 fuzz/scripts/seeds.py`. Existing seeds are replaced."""
import base64, hashlib, json, pathlib, shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "crates/nuages/tests/data"
CORPUS = ROOT / "fuzz/corpus"
MAX_SEED = 2048  # bytes: the corpus stays small


def golden(name):
    return json.loads((DATA / "golden" / f"{name}.json").read_text())["cases"]


def write(target, seeds, limit=24):
    out = CORPUS / target
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    kept = []
    for s in seeds:
        if isinstance(s, str):
            s = s.encode("utf-8", "surrogatepass")
        if len(s) <= MAX_SEED and s not in kept:
            kept.append(s)
    for s in kept[:limit]:
        (out / hashlib.sha1(s).hexdigest()).write_bytes(s)
    print(f"{target}: {len(kept[:limit])} seeds")


qd = [c["input"].encode() if "input" in c else base64.b64decode(c["input_b64"])
      for c in golden("querydict") if c["kind"] == "parse"]
write("query_dict", [b"\x00" + q for q in qd[:20]] + [b"\x05a=1&b=2", b"\x01a=%E9&b=\xe9"])

write("cookie_header", [c["header"] for c in golden("cookies") if c["kind"] == "parse_cookie"])

mp = json.loads((DATA / "multipart_vectors.json").read_text())["cases"]
write("multipart", [b"\x00\x00" + base64.b64decode(c["body_b64"]) for c in mp
                    if "boundary=xYzZY" in c["content_type"]]
      + [b"\x02\x07\x1f\x00" + base64.b64decode(mp[0]["body_b64"])])

conv = golden("converters")
resolve = [b"\x00" + c["path"].encode() for c in conv if c["kind"] == "resolve"]
reverse = []
for c in conv:
    if c["kind"] != "reverse":
        continue
    value = lambda v: str(v["value"] if isinstance(v, dict) else v)
    parts = [c["name"]]
    if c["args"]:
        parts += [value(v) for v in c["args"]]
        mode = b"\x07"
    else:
        for k, v in c["kwargs"].items():
            parts += [k, value(v)]
        mode = b"\x05"
    reverse.append(mode + "\0".join(parts).encode())
write("url_resolve", resolve[::3] + reverse[::3], limit=32)

sg = golden("signing")
signed = [b"\x00" + c["signed"].encode() for c in sg if c["kind"] == "Signer.sign"][:4]
loads = [b"\x02" + c["input"].encode() for c in sg if c["kind"] == "loads"]
dumps = [c for c in sg if c["kind"] == "dumps"]
payloads = [b"\x01" + c["output"].rsplit(":", 1)[0].encode()
            for c in sorted(dumps, key=lambda c: not c["payload_is_compressed"])][:12]
write("signing_loads", signed + loads + payloads)

acc = [c["accept"] for c in golden("accept") if c["accept"]]
write("accept", [a + "\ntext/html\napplication/json; q=0.5" for a in acc])

write("header_params", [
    "text/html; charset=utf-8",
    'form-data; name="file"; filename="a b.txt"',
    "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
    "message/external-body; access-type=URL; URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub\"",
    "application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
    'multipart/form-data; boundary="----x;y"; charset=latin-1',
    "Text/HTML; Level=1; q=0.50",
    'inline; filename="\\"quoted\\".txt"',
])

pj = json.loads((DATA / "pyjson_vectors.json").read_text())["loads"]
write("json_body", [bytes.fromhex(c["input_hex"]) for c in pj][::2], limit=32)

CRLF = "\r\n"
MULTIPART = b'--xYzZY\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xYzZY--\r\n'
def req(head, body=b""):
    return head.replace("\n", CRLF).encode() + body
# request_head serves inputs of even length as Server does (the client's EOF cancels the
# request) and those of odd length to the end: each request is given in both lengths.
write("request_head", [s + extra for extra in (b"", b"\n") for s in [
    req("GET /?a=1&b=%C3%A9 HTTP/1.1\nHost: testserver\nCookie: a=1; b=\"x\\073y\"\nAccept: text/html,*/*;q=0.8\n\n"),
    req("GET /h/x HTTP/1.1\nHost: www.example.com:8000\nX-Forwarded-Proto: https\n\nGET /int/7/ HTTP/1.1\nHost: testserver\nConnection: close\n\n"),
    req("POST /form/ HTTP/1.1\nHost: testserver\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 11\n\n", b"a=1&b=2&c=3"),
    req("POST /form/ HTTP/1.1\nHost: testserver\nContent-Type: multipart/form-data; boundary=xYzZY\nTransfer-Encoding: chunked\n\n",
        b"%x\r\n%s\r\n0\r\n\r\n" % (len(MULTIPART), MULTIPART)),
    req("POST /json/ HTTP/1.1\nHost: testserver\nContent-Type: application/json\nContent-Length: 17\n\n", b'{"a": [1, 2.5e3]}'),
    req("POST /protected/ HTTP/1.1\nHost: testserver\nOrigin: https://example.com\nContent-Length: 0\n\n"),
    req("OPTIONS / HTTP/1.0\nHost: [::1]\nOrigin: https://example.com\nAccess-Control-Request-Method: PUT\n\n"),
    req("GET /h HTTP/1.1\nHost: evil.com\nAccept-Encoding: gzip\n\n"),
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00",
]])
