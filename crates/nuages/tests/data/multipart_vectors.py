#!/usr/bin/env python
"""Golden vectors for nuages' multipart/form-data parser, produced by real Django 5.2.

Usage:  python multipart_vectors.py > multipart_vectors.json   (requires Django 5.2.x)

Each case feeds a crafted body to ``django.http.multipartparser.MultiPartParser`` with
Django's default upload handlers (memory, then temporary file) and records either the
parsed POST / FILES or the exception class and message. Bodies are base64-encoded.
"""
import base64
import json
import platform
import sys
from io import BytesIO

import django
from django.conf import settings

settings.configure(
    DEFAULT_CHARSET="utf-8",
    USE_TZ=True,
)
django.setup()

from django.core.files.uploadhandler import (  # noqa: E402
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.http.multipartparser import MultiPartParser  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

B = "xYzZY"
CT = "multipart/form-data; boundary=" + B
DEFAULT_LIMITS = {
    "DATA_UPLOAD_MAX_MEMORY_SIZE": 2621440,
    "DATA_UPLOAD_MAX_NUMBER_FIELDS": 1000,
    "DATA_UPLOAD_MAX_NUMBER_FILES": 100,
    "FILE_UPLOAD_MAX_MEMORY_SIZE": 2621440,
}


def part(headers, content=b"", boundary=B):
    """One encapsulation: boundary line, header lines, blank line, content, CRLF."""
    out = b"--" + boundary.encode() + b"\r\n"
    out += b"".join(h + b"\r\n" for h in headers)
    return out + b"\r\n" + content + b"\r\n"


def field(name, value):
    if isinstance(name, str):
        name = name.encode()
    if isinstance(value, str):
        value = value.encode()
    return part([b'Content-Disposition: form-data; name="' + name + b'"'], value)


def file(name, filename, content, content_type=b"text/plain", extra=()):
    if isinstance(filename, str):
        filename = filename.encode()
    headers = [
        b'Content-Disposition: form-data; name="'
        + name.encode()
        + b'"; filename="'
        + filename
        + b'"'
    ]
    if content_type is not None:
        headers.append(b"Content-Type: " + content_type)
    headers.extend(extra)
    return part(headers, content)


def body(*parts, boundary=B):
    """The parts (made with the default boundary) and the closing boundary."""
    data = b"".join(parts)
    if boundary != B:
        data = data.replace(b"--" + B.encode() + b"\r\n", b"--" + boundary.encode() + b"\r\n")
    return data + b"--" + boundary.encode() + b"--\r\n"


def run(content_type, data, encoding, limits):
    meta = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(data))}
    handlers = [MemoryFileUploadHandler(), TemporaryFileUploadHandler()]
    with override_settings(**limits):
        try:
            parser = MultiPartParser(meta, BytesIO(data), handlers, encoding)
            post, files = parser.parse()
        except Exception as exc:  # noqa: BLE001 - recorded as the expected outcome
            return {"error": {"class": type(exc).__name__, "message": str(exc)}}
        out_files = []
        for key, values in files.lists():
            entries = []
            for f in values:
                f.seek(0)
                content = f.read()
                charset = f.charset.decode() if isinstance(f.charset, bytes) else f.charset
                extra = {
                    k: (v.decode() if isinstance(v, bytes) else v)
                    for k, v in (f.content_type_extra or {}).items()
                }
                entries.append(
                    {
                        "name": f.name,
                        "size": f.size,
                        "content_type": f.content_type,
                        "charset": charset,
                        "content_type_extra": extra,
                        "content_b64": base64.b64encode(content).decode(),
                        "class": type(f).__name__,
                    }
                )
                f.close()
            out_files.append([key, entries])
        return {
            "ok": {
                "post": [[k, list(v)] for k, v in post.lists()],
                "files": out_files,
            }
        }


CASES = []


def case(name, data, content_type=CT, encoding="utf-8", note=None, **limits):
    all_limits = dict(DEFAULT_LIMITS)
    all_limits.update(limits)
    entry = {
        "name": name,
        "content_type": content_type,
        "encoding": encoding,
        "limits": {
            "data_upload_max_memory_size": all_limits["DATA_UPLOAD_MAX_MEMORY_SIZE"],
            "data_upload_max_number_fields": all_limits["DATA_UPLOAD_MAX_NUMBER_FIELDS"],
            "data_upload_max_number_files": all_limits["DATA_UPLOAD_MAX_NUMBER_FILES"],
            "file_upload_max_memory_size": all_limits["FILE_UPLOAD_MAX_MEMORY_SIZE"],
        },
        "body_b64": base64.b64encode(data).decode(),
        "expected": run(content_type, data, encoding, all_limits),
    }
    if note:
        entry["note"] = note
    CASES.append(entry)


# --- normal fields and files ---------------------------------------------------------------
case("simple_fields", body(field("a", "1"), field("b", "two words")))
case("duplicate_field_names", body(field("a", "1"), field("b", "x"), field("a", "2")))
case("empty_value", body(field("a", "")))
case("multiline_value", body(field("text", "line1\r\nline2\nline3")))
case("unicode_value", body(field("name", "caf\u00e9 \u2603")))
case("unicode_field_name", body(field("caf\u00e9", "1")))
case("name_with_spaces_stripped", body(field("  a b  ", "1")))
case(
    "unquoted_name",
    body(part([b"Content-Disposition: form-data; name=plain"], b"v")),
)
case(
    "semicolon_in_quoted_name",
    body(part([b'Content-Disposition: form-data; name="a;b"'], b"v")),
)
case(
    "escaped_quote_in_name",
    body(part([b'Content-Disposition: form-data; name="a\\"b"'], b"v")),
)
case(
    "uppercase_headers",
    body(part([b'CONTENT-DISPOSITION: FORM-DATA; NAME="Up"'], b"v")),
)
case(
    "last_content_disposition_wins",
    body(
        part(
            [
                b'Content-Disposition: form-data; name="first"',
                b'Content-Disposition: form-data; name="second"',
            ],
            b"v",
        )
    ),
)
case("simple_file", body(field("title", "t"), file("doc", "hello.txt", b"hello world")))
case(
    "multiple_files_same_field",
    body(
        file("docs", "a.txt", b"AAA"),
        file("docs", "b.bin", b"\x00\x01\x02\xff", b"application/octet-stream"),
        field("x", "y"),
    ),
)
case("empty_file", body(file("f", "empty.txt", b"")))
case("file_without_content_type", body(file("f", "n.dat", b"data", None)))
case(
    "file_content_type_params",
    body(file("f", "l.txt", b"caf\xe9", b"Text/Plain; charset=latin-1; format=flowed")),
)
case(
    "binary_file_with_crlf",
    body(file("f", "crlf.bin", b"\r\n--xYz\r\n\r\n--\r\nend\r\n", b"application/x-thing")),
)

# --- empty and odd filenames ---------------------------------------------------------------
case("empty_filename_no_content", body(file("f", "", b"", b"application/octet-stream")))
case("empty_filename_with_content", body(file("f", "", b"content", b"text/plain")))
case("filename_dotdot_skipped", body(file("f", "..", b"x"), field("after", "1")))
case("filename_slash_skipped", body(file("f", "dir/", b"x"), field("after", "1")))
case("traversal_filename", body(file("f", "../../etc/pa ss.txt", b"x")))
case("windows_filename", body(file("f", "C:\\dir\\file.txt", b"x")))
case("mixed_separators_filename", body(file("f", "a\\b/c\\d.txt", b"x")))
case("unicode_filename", body(file("f", "r\u00e9sum\u00e9 \u2603.txt", b"x")))
case(
    "rfc2231_filename",
    body(
        part(
            [
                b"Content-Disposition: form-data; name=\"f\"; "
                b"filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
                b"Content-Type: application/pdf",
            ],
            b"%PDF",
        )
    ),
)
case(
    "rfc2231_filename_overrides_plain",
    body(
        part(
            [
                b"Content-Disposition: form-data; name=\"f\"; "
                b"filename*=utf-8''%E2%82%AC.txt; filename=\"euro.txt\"",
            ],
            b"x",
        )
    ),
)
case(
    "rfc2231_unknown_charset_drops_part",
    body(
        part([b"Content-Disposition: form-data; name=\"f\"; filename*=bogus''x.txt"], b"x"),
        field("after", "1"),
    ),
)
case(
    "non_utf8_header_drops_part",
    body(file("f", b"caf\xe9.txt", b"x"), field("after", "1")),
)
case("html_numeric_entities_filename", body(file("f", "a&#x2F;b&#47;c&#233;.txt", b"x")))
case("html_named_entities_filename", body(file("f", "Q&amp;A &copy.txt &hearts; &bogus;", b"x")))
case("html_invalid_charrefs_filename", body(file("f", "x&#128;&#0;&#1;&#xD800;y.txt", b"x")))
case("nonprintable_filename_chars", body(file("f", "a\tb\u0085c\u200bd\u00a0.txt", b"x")))
case(
    "control_character_in_header",
    body(file("f", "a\x7fb.txt", b"x")),
    note="Django drops the DEL from the file name.",
)
case("space_filename", body(file("f", " ", b"x")))
case("escaped_quote_filename", body(file("f", 'say \\"hi\\".txt', b"x")))
case("long_filename_truncated", body(file("f", "n" * 300 + ".txt", b"x")))
case("long_extension_truncated", body(file("f", "a." + "e" * 300, b"x")))

# --- boundary and content type -------------------------------------------------------------
OK_BODY = body(field("a", "1"))
case("missing_boundary", OK_BODY, content_type="multipart/form-data")
case("empty_boundary", OK_BODY, content_type="multipart/form-data; boundary=")
case("boundary_trailing_space", OK_BODY, content_type='multipart/form-data; boundary="abc "')
case("boundary_too_long", OK_BODY, content_type="multipart/form-data; boundary=" + "b" * 202)
case(
    "boundary_max_length",
    body(field("a", "1"), boundary="b" * 201),
    content_type="multipart/form-data; boundary=" + "b" * 201,
)
case(
    "boundary_quoted_with_space",
    body(field("a", "1"), boundary="a b"),
    content_type='multipart/form-data; boundary="a b"',
)
case(
    "boundary_webkit",
    body(field("a", "1"), boundary="----WebKitFormBoundary7MA4YWxkTrZu0gW"),
    content_type="multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
)
case("boundary_non_printable", OK_BODY, content_type="multipart/form-data; boundary=a\x01b")
case("not_multipart", OK_BODY, content_type="application/x-www-form-urlencoded")
case("uppercase_multipart", OK_BODY, content_type="Multipart/form-data; boundary=" + B)
case("non_ascii_content_type", OK_BODY, content_type="multipart/form-data; boundary=\u00e9")
case("multipart_mixed_accepted", OK_BODY, content_type="multipart/mixed; boundary=" + B)

# --- bodies: empty, preamble, broken -------------------------------------------------------
case("empty_body", b"")
case("empty_body_bad_boundary", b"", content_type="multipart/form-data")
case(
    "preamble_and_epilogue",
    b"This is the preamble.\r\n" + body(field("a", "1")) + b"epilogue text\r\n",
)
case(
    "part_without_content_disposition",
    body(part([b"Content-Type: text/plain"], b"x"), field("a", "1")),
)
case(
    "field_without_name",
    body(part([b"Content-Disposition: form-data"], b"x"), field("a", "1")),
)
case(
    "file_without_name",
    body(part([b'Content-Disposition: form-data; filename="x.txt"'], b"x"), field("a", "1")),
)
case(
    "truncated_no_closing_boundary",
    field("a", "1") + part([b'Content-Disposition: form-data; name="b"'], b"2"),
    note="Django keeps the unterminated last part.",
)
case(
    "truncated_in_headers",
    field("a", "1") + b"--" + B.encode() + b'\r\nContent-Disposition: form-da',
    note="Django drops the unterminated part.",
)
case(
    "garbage_body",
    b"this is not a multipart body at all",
    note="Django finds no part.",
)
case(
    "lf_line_endings",
    body(field("a", "1")).replace(b"\r\n", b"\n"),
    note="Django finds no header block.",
)

# --- limits --------------------------------------------------------------------------------
case("fields_at_limit", body(*(field(f"f{i}", "v") for i in range(3))),
     DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
case("too_many_fields", body(*(field(f"f{i}", "v") for i in range(4))),
     DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
case(
    "files_do_not_count_as_fields",
    body(field("a", "1"), *(file(f"f{i}", f"{i}.txt", b"x") for i in range(3))),
    DATA_UPLOAD_MAX_NUMBER_FIELDS=1,
)
case(
    "empty_filename_counts_as_field",
    body(field("a", "1"), file("f", "", b"")),
    DATA_UPLOAD_MAX_NUMBER_FIELDS=1,
)
case(
    "nameless_parts_count_as_fields",
    body(field("a", "1"), part([b"Content-Type: text/plain"], b"x")),
    DATA_UPLOAD_MAX_NUMBER_FIELDS=1,
)
case("files_at_limit", body(*(file("f", f"{i}.txt", b"x") for i in range(2))),
     DATA_UPLOAD_MAX_NUMBER_FILES=2)
case("too_many_files", body(*(file("f", f"{i}.txt", b"x") for i in range(3))),
     DATA_UPLOAD_MAX_NUMBER_FILES=2)
case(
    "skipped_filenames_count_as_files",
    body(file("f", "..", b"x"), file("f", "/", b"x"), file("f", "ok.txt", b"x")),
    DATA_UPLOAD_MAX_NUMBER_FILES=2,
)
case("no_field_limit", body(*(field("f", str(i)) for i in range(30))),
     DATA_UPLOAD_MAX_NUMBER_FIELDS=None)
case("big_field_over_memory_limit", body(field("big", "x" * 150)),
     DATA_UPLOAD_MAX_MEMORY_SIZE=100)
case("file_not_counted_in_memory_limit", body(file("f", "big.bin", b"x" * 500)),
     DATA_UPLOAD_MAX_MEMORY_SIZE=100)
case("memory_limit_exact", body(field("ab", "x" * 50), field("cd", "y" * 42)),
     DATA_UPLOAD_MAX_MEMORY_SIZE=100)
case("memory_limit_plus_one", body(field("ab", "x" * 50), field("cd", "y" * 43)),
     DATA_UPLOAD_MAX_MEMORY_SIZE=100)
case("memory_limit_counts_name_chars", body(field("\u00e9\u00e9", "x" * 96)),
     DATA_UPLOAD_MAX_MEMORY_SIZE=100)
case("no_memory_limit", body(field("big", "x" * 5000)), DATA_UPLOAD_MAX_MEMORY_SIZE=None)
case(
    "file_over_file_upload_max_memory_size",
    body(file("f", "big.txt", b"z" * 100)),
    FILE_UPLOAD_MAX_MEMORY_SIZE=10,
)
case(
    "small_and_big_files_small_limit",
    body(file("f", "small.txt", b"s"), file("g", "big.txt", b"b" * 100)),
    FILE_UPLOAD_MAX_MEMORY_SIZE=50,
    note="Django decides memory vs disk on the whole body size; nuages per file.",
)

# --- base64 transfer encoding --------------------------------------------------------------
case(
    "base64_field",
    body(part([b'Content-Disposition: form-data; name="a"',
               b"Content-Transfer-Encoding: base64"], b"aGVsbG8gd29ybGQ=")),
)
case(
    "base64_field_uppercase_encoding",
    body(part([b'Content-Disposition: form-data; name="a"',
               b"Content-Transfer-Encoding: BASE64"], b"Y2Fmw6k=")),
)
case(
    "base64_field_invalid_kept_raw",
    body(part([b'Content-Disposition: form-data; name="a"',
               b"Content-Transfer-Encoding: base64"], b"abc")),
)
case(
    "base64_field_with_newlines",
    body(part([b'Content-Disposition: form-data; name="a"',
               b"Content-Transfer-Encoding: base64"], b"aGVs\r\nbG8=")),
)
case(
    "base64_file",
    body(file("f", "b.bin", base64.encodebytes(bytes(range(256)) * 3), b"application/x",
              [b"Content-Transfer-Encoding: base64"])),
)
case(
    "base64_file_bad_length",
    body(file("f", "b.bin", b"aGVsbG8", b"text/plain",
              [b"Content-Transfer-Encoding: base64"])),
)
case(
    "base64_file_junk_characters",
    body(file("f", "b.bin", b"aGVs*bG8=", b"text/plain",
              [b"Content-Transfer-Encoding: base64"])),
)
case(
    "base64_file_data_after_padding",
    body(file("f", "b.bin", b"YQ==YmM=", b"text/plain",
              [b"Content-Transfer-Encoding: base64"])),
)
case(
    "other_transfer_encoding_ignored",
    body(part([b'Content-Disposition: form-data; name="a"',
               b"Content-Transfer-Encoding: quoted-printable"], b"a=3Db")),
)

# --- charsets ------------------------------------------------------------------------------
case(
    "latin1_part_charset_ignored_for_fields",
    body(part([b'Content-Disposition: form-data; name="a"',
               b"Content-Type: text/plain; charset=latin-1"], b"caf\xe9")),
)
case(
    "request_encoding_latin1",
    body(field("a", b"caf\xe9"), field("\u00e9", "x"), file("f", "\u00e9.txt", b"x")),
    encoding="latin-1",
)
case("invalid_utf8_replaced", body(field("a", b"\xff\xfeok")))

# --- header size ---------------------------------------------------------------------------
# Header block = CRLF after the boundary + header lines + CRLFCRLF; Django looks for the end
# of the headers within the first 1024 bytes after the boundary.
PREFIX = b'Content-Disposition: form-data; name="'
case("header_at_limit", body(part([PREFIX + b"n" * (1018 - len(PREFIX) - 1) + b'"'], b"v")))
case("header_over_limit", body(part([PREFIX + b"n" * (1018 - len(PREFIX)) + b'"'], b"v")))
case(
    "header_limit_counts_all_lines",
    body(part([b'Content-Disposition: form-data; name="a"']
              + [b"X-Pad-%d: " % i + b"p" * 90 for i in range(10)], b"v")),
)
case(
    "header_limit_repeated_lines",
    body(part([b'Content-Disposition: form-data; name="a"'] + [b"X-Pad: " + b"p" * 90] * 11,
              b"v")),
    note="Repeated header lines all count toward the limit.",
)


# Django's lenient reading of bodies that are not well-formed multipart messages.
case("separator_mid_line", body(field("a", "x--xYzZYy")))
case("cr_before_separator", b"--xYzZY\r\n" + b'Content-Disposition: form-data; name="a"\r\n\r\n1\r--xYzZY--\r\n')
case("lf_before_separator", b"--xYzZY\r\n" + b'Content-Disposition: form-data; name="a"\r\n\r\n1\n--xYzZY--\r\n')
case("preamble_and_epilogue", b"preamble\r\n" + body(field("a", "1")) + b"epilogue\r\n")
case("file_in_unterminated_last_part", field("a", "1") + part(
    [b'Content-Disposition: form-data; name="f"; filename="a.txt"'], b"data")[:-2])
case("closing_separator_without_crlf", file("f", "a.txt", b"data") + b"--xYzZY--")
case("closing_separator_only", file("f", "a.txt", b"data") + b"--xYzZY")
case("part_without_headers", body(part([], b"v"), field("a", "1")))
case("separator_not_followed_by_crlf", b"--xYzZYjunk\r\n\r\nv\r\n" + body(field("a", "1")))
case("last_content_disposition_wins", body(part(
    [b'Content-Disposition: form-data; name="a"; filename="x.txt"',
     b'Content-Disposition: form-data; name="b"'], b"v")))
case("garbage_body_over_header_limit", b"g" * 2000)
case("lf_line_endings_long", (b"--xYzZY\nContent-Disposition: form-data; name=\"a\"\n\n" + b"1" * 2000
                              + b"\n--xYzZY--\n"))
# A part Django skips is not read further: the next part starts where reading stopped, here
# in the middle of a 70,000-byte nameless field, whose rest has no headers.
case("skipped_big_part_is_not_exhausted", body(
    part([b"Content-Disposition: form-data"], b"q" * 70000), field("a", "1")))
case("skipped_small_part", body(part([b"Content-Disposition: form-data"], b"q" * 5000), field("a", "1")))
case("skipped_big_file_with_bad_name", body(file("f", "..", b"z" * 70000), field("a", "1")))

if __name__ == "__main__":
    json.dump(
        {
            "django_version": django.get_version(),
            "python_version": platform.python_version(),
            "boundary": B,
            "cases": CASES,
        },
        sys.stdout,
        indent=1,
        ensure_ascii=False,
    )
    sys.stdout.write("\n")
