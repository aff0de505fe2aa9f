"""Generate tests/data/pyjson_vectors.json from CPython's json module.

Run with the reference interpreter (Python 3.11):
    ~/.cache/nuages-reference-django/venv/bin/python tests/data/pyjson_vectors.py > tests/data/pyjson_vectors.json

Sections:
  floats: {"bits": hex of the IEEE-754 double, "repr": json.dumps(value)}
  dumps:  {"name", "input": JSON text given to json.loads, "params": json.dumps kwargs,
           "output": json.dumps(json.loads(input), **params)} or "error" when the output
           cannot be encoded to UTF-8 (what Django's HttpResponse does next).
  loads:  {"name", "input_hex": raw bytes, "canon": structural form of json.loads(bytes),
           "dumps": json.dumps(result)} or "error": {"type", "message"}.
Canonical form: null/true/false as is, {"int": digits}, {"float": repr},
{"str": [code points]}, [items], {"dict": [[[key code points], value], ...]}.
"""
import codecs
import json
import random
import struct
import sys


def canon(obj):
    if obj is None or isinstance(obj, bool):
        return obj
    if isinstance(obj, int):
        return {"int": str(obj)}
    if isinstance(obj, float):
        return {"float": json.dumps(obj)}
    if isinstance(obj, str):
        return {"str": [ord(c) for c in obj]}
    if isinstance(obj, list):
        return [canon(v) for v in obj]
    if isinstance(obj, dict):
        return {"dict": [[[ord(c) for c in k], canon(v)] for k, v in obj.items()]}
    raise TypeError(type(obj))


def floats():
    rng = random.Random(20240229)
    values = [0.1, 0.2, 0.3, 1e16, 1e15, 1e-7, 1e-5, 1e-4, 123456789012345680000.0, -0.0, 0.0, 1.0,
              2.5, 100.0, 1e22, 1e21, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
              9007199254740993.0, 1234567890123456.7, 12345678901234567.0, 0.000123, 1.5e-10,
              float("inf"), float("-inf"), 1 / 3, 2 / 3, 299792458.0, 6.02214076e23]
    values += [10.0 ** e for e in range(-30, 31)]
    values += [2.0 ** e for e in range(-60, 80, 7)]
    # exact ties between two shortest candidates (Python rounds them to even)
    values += [2.0 ** -e for e in range(1, 1075, 2)]
    values += [2.0 ** e for e in range(54, 1024, 3)]
    values += [k * 2.0 ** -e for k in (3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 25, 27, 123, 1001) for e in range(20, 80)]
    values += [(2 ** 53 - k) * 2.0 ** e for k in range(1, 30, 3) for e in range(-60, 60, 7)]
    values += [round(rng.uniform(-1000, 1000), rng.randint(0, 8)) for _ in range(200)]
    while len(values) < 2600:
        (v,) = struct.unpack(">d", rng.getrandbits(64).to_bytes(8, "big"))
        if v == v:
            values.append(v)
    return [{"bits": struct.pack(">d", v).hex(), "repr": json.dumps(v)} for v in values]


DUMPS_INPUTS = [
    ("dict", '{"a": 1, "b": [1, 2]}'),
    ("unicode", r'"caf\u00e9 \u2603 \u65e5\u672c \ud83d\ude00 \u0000 \u001f \u007f \u0085 \u2028 \ud800 \udfff x\udc00y"'),
    ("floats", "[0.1, 1e16, 1e-7, 123456789012345680000.0, -0.0, NaN, Infinity, -Infinity, 1E400, -1e400, "
               "1.0, 100, 1e15, 1.5e300, 5e-324, 2.2250738585072014e-308, 0.0001, 0.00001]"),
    ("bigints", "[123456789012345678901234567890, -123456789012345678901234567890, 9223372036854775807, "
                "9223372036854775808, -9223372036854775808, -9223372036854775809, 18446744073709551616, "
                "170141183460469231731687303715884105728, -0, 340282366920938463463374607431768211456]"),
    ("duplicate_keys", '{"a": 1, "b": 2, "a": 3}'),
    ("nested_empty", '{"a": [], "b": {}, "c": [1, {"d": [2, []]}], "e": {"f": {}}}'),
    ("sortable", r'{"b": 1, "a": {"z": 1, "y": [{"d": 1, "c": 2}]}, "A": 0, "\u00e9": 1, "\ud800": 2, '
                 r'"\ud83d\ude00": 3, "\uffff": 4, "": 5}'),
    ("html", r'{"s": "<script>&\u0027\"\\/"}'),
    ("raw_non_ascii", '["é", "日本", "😀"]'),
    ("empty_list", "[]"),
    ("empty_dict", "{}"),
    ("empty_str", '""'),
    ("null", "null"),
    ("true", "true"),
    ("zero", "0"),
]

DUMPS_PARAMS = [
    ("default", {}),
    ("indent2", {"indent": 2}),
    ("indent0", {"indent": 0}),
    ("indent_tab", {"indent": "\t"}),
    ("indent4_sorted", {"indent": 4, "sort_keys": True}),
    ("compact", {"separators": [",", ":"]}),
    ("no_ascii", {"ensure_ascii": False}),
    ("sorted", {"sort_keys": True}),
    ("no_nan", {"allow_nan": False}),
    ("indent_explicit_separators", {"indent": 2, "separators": [", ", ": "]}),
]


def dumps_cases():
    cases = []
    for name, text in DUMPS_INPUTS:
        for pname, params in DUMPS_PARAMS:
            entry = {"name": f"{name}/{pname}", "input": text, "params": params}
            kwargs = dict(params)
            if "separators" in kwargs:
                kwargs["separators"] = tuple(kwargs["separators"])
            try:
                out = json.dumps(json.loads(text), **kwargs)
                out.encode("utf-8")
                entry["output"] = out
            except Exception as e:  # noqa: BLE001
                entry["error"] = {"type": type(e).__name__, "message": str(e)}
            cases.append(entry)
    return cases


def enc(text, encoding):
    return text.encode(encoding, "surrogatepass")


LOADS_INPUTS = [
    # syntax errors
    ("trailing_comma_array", b"[1,]"),
    ("trailing_comma_object", b'{"a":1,}'),
    ("open_object", b"{"),
    ("open_array", b"["),
    ("empty", b""),
    ("space", b" "),
    ("unterminated", b'"abc'),
    ("u_escape_at_end", b'"\\u0041'),
    ("short_u_escape", b'"\\u004'),
    ("bad_u_escape", b'"\\uzzzz"'),
    ("bad_second_u_escape", b'"\\ud800\\uzzzz"'),
    ("high_then_bmp", b'"\\ud800\\u0041"'),
    ("bad_escape", b'"\\q"'),
    ("control_char", b'"a\x01"'),
    ("raw_tab", b'"a\tb"'),
    ("del_char", b'"a\x7fb"'),
    ("minus", b"-"),
    ("minus_x", b"-x"),
    ("dot", b"1."),
    ("e", b"1e"),
    ("e_plus", b"1e+"),
    ("leading_zero", b"01"),
    ("missing_comma", b"[1 2]"),
    ("missing_colon", b'{"a" 1}'),
    ("number_key", b"{1:2}"),
    ("nul", b"nul"),
    ("minus_nan", b"-NaN"),
    ("two_lines", b"1\n2"),
    ("third_line", b"\n\n  x"),
    ("escape_at_end", b'"\\'),
    ("infinity_x", b"Infinityx"),
    ("true_x", b"truex"),
    ("high_backslash_end", b'"\\ud800\\'),
    ("high_u_end", b'"\\ud800\\u'),
    ("high_ud_end", b'"\\ud800\\ud'),
    ("pair_unterminated", b'"\\ud800\\udc00'),
    ("form_feed_ws", b"\x0c1"),
    ("nbsp_ws", "\xa01".encode()),
    ("multiline_error", b'{\n"a":\n  x}'),
    ("multiline_array", b"[1,\n2,\n\n   ]"),
    ("non_ascii_before_error", '"é" x'.encode()),
    ("non_ascii_line_col", '["é",\n "日本" 1]'.encode()),
    ("bom_twice", b"\xef\xbb\xbf\xef\xbb\xbf1"),
    ("utf16_bom_only", b"\xff\xfe"),
    ("utf16be_bom_only", b"\xfe\xff"),
    ("utf8_bom_only", b"\xef\xbb\xbf"),
    ("extra_close", b"[1]]"),
    ("object_trailing_ws_garbage", b'{"a": 1}  x'),
    ("deep_but_ok", b"[" * 50 + b"]" * 50),
    ("nested_missing_value", b'{"a": [1, {"b": }]}'),
    ("key_not_string", b'{"a": 1, 2: 3}'),
    ("single_quotes", b"{'a': 1}"),
    ("python_none", b"None"),
    ("int_limit_ok", b"1" * 4300),
    ("int_limit_exceeded", b"1" * 4301),
    ("int_limit_negative", b"-" + b"1" * 4301),
    ("int_limit_float_ok", b"1" * 4300 + b".5"),
    ("int_limit_in_array", b"[1, " + b"2" * 5000 + b"]"),
    # values
    ("valid_mixed", b'{"name": "x", "n": [1, 2.5, null, true, false], "nested": {"k": "\\u00e9"}}'),
    ("whitespace", b" \t\n\r1\n "),
    ("nan_inf", b"[NaN, Infinity, -Infinity]"),
    ("big_floats", b"[1E400, -1e400, 1.7976931348623157e308, 1.7976931348623159e308, 2.4703282292062327e-324, "
                   b"2.4703282292062328e-324, 4.9406564584124654e-324, 0.1e1, 1E+2, 1e-2, -0.0, 0.0]"),
    ("long_mantissa", b"0." + b"1" * 800 + b"e5"),
    ("ints", b"[0, -0, 1, -1, 9223372036854775807, 9223372036854775808, -9223372036854775809, "
             b"123456789012345678901234567890]"),
    ("float_forms", b"[1.0, 10.50, 1e5, 1E-5, 2.5e+3, 123456789012345678901234567890.5]"),
    ("escapes", b'"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\ud83d\\u0041\\udc00\\ud800"'),
    ("lone_surrogates", b'["\\ud800", "\\udfff", "a\\ud83db"]'),
    ("duplicate_keys", b'{"a": 1, "b": 2, "a": 3}'),
    ("duplicate_keys_nested", b'{"a": {"x": 1}, "a": {"y": 2}}'),
    ("empty_containers", b'[[], {}, [{}], {"": []}]'),
    ("raw_unicode", '{"café": "☃ 日本 😀"}'.encode()),
    ("utf8_bom", b'\xef\xbb\xbf{"a": 1}'),
    ("raw_surrogate_utf8", b'"\xed\xa0\x80"'),
    ("raw_surrogate_pair_cesu", b'"\xed\xa0\xbd\xed\xb8\x80"'),
    ("raw_ed_9f", b'"\xed\x9f\xbf"'),
    ("raw_ed_bf", b'"\xed\xbf\xbf"'),
    ("escaped_high_raw_low", b'"\\ud83d\xed\xb8\x80"'),
    ("surrogate_key", b'{"\\ud800": 1, "\xed\xa0\x80": 2}'),
    ("utf16le", enc('{"a": ["😀", "é"]}', "utf-16-le")),
    ("utf16be", enc('{"a": ["😀", "é"]}', "utf-16-be")),
    ("utf16_bom", enc('{"a": ["😀", "é"]}', "utf-16")),
    ("utf16be_bom", codecs.BOM_UTF16_BE + enc('["x"]', "utf-16-be")),
    ("utf32le", enc('{"a": ["😀", "é"]}', "utf-32-le")),
    ("utf32be", enc('{"a": ["😀", "é"]}', "utf-32-be")),
    ("utf32_bom", enc('{"a": ["😀", "é"]}', "utf-32")),
    ("utf32be_bom", codecs.BOM_UTF32_BE + enc('["x"]', "utf-32-be")),
    ("utf16_error_position", enc('["😀", x]', "utf-16")),
    ("utf16le_lone_surrogates", b'"\x00\x00\xd8"\x00'),
    ("utf16le_lone_low", b'"\x00\x00\xdc"\x00'),
    ("utf16le_two_highs", b'"\x00\x00\xd8\x00\xd8"\x00'),
    ("utf16le_unterminated_high", b'"\x00\x00\xd8'),
    ("utf16le_bom_lone", b'\xff\xfe"\x00\x00\xd8"\x00'),
    ("utf32le_bom_surrogate", b'\xff\xfe\x00\x00"\x00\x00\x00\x00\xd8\x00\x00"\x00\x00\x00'),
    ("utf32be_surrogates", b'\x00\x00\x00"\x00\x00\xd8\x00\x00\x00\xdc\x00\x00\x00\x00"'),
    ("utf16le_two_bytes", b"1\x00"),
    ("utf16be_two_bytes", b"\x001"),
    ("utf32le_padding", b"1\x00\x00\x00\x00\x00\x00\x00"),
    ("three_bytes", b"1 2"),
    # decoding errors
    ("invalid_start", b"\xff"),
    ("truncated_surrogate", b'"\xed\xa0"'),
    ("truncated_3byte_then_quote", b'"\xe4\xb8"'),
    ("bad_continuation_3", b'"\xe4\xb8A"'),
    ("bad_continuation_4", b'"\xf0\x9f\x98A"'),
    ("overlong", b"\xc0\x80"),
    ("end_3byte", b'"\xe4\xb8'),
    ("end_ed", b'"\xed'),
    ("end_ed_a0", b'"\xed\xa0'),
    ("end_c3", b'"\xc3'),
    ("end_f0_9f", b'"\xf0\x9f'),
    ("end_f0_9f_98", b'"\xf0\x9f\x98'),
    ("above_max", b'"\xf4\x90\x80\x80"'),
    ("overlong_3", b'"\xe0\x80\x80"'),
    ("lone_continuation", b'"\x80"'),
    ("f8", b'"\xf8"'),
    ("bom_then_invalid", b"\xef\xbb\xbf\xff"),
    ("bom_then_truncated", b'\xef\xbb\xbf"\xe4\xb8'),
    ("partial_bom", b"\xef\xbb"),
    ("partial_bom_digit", b"\xef\xbb1"),
    ("utf16be_odd", b'\x00"\x00a\x00"\x00'),
    ("utf16le_odd_bom", b'\xff\xfe"\x00a'),
    ("utf16be_odd_bom", b'\xfe\xff\x00"\x00'),
    ("utf16le_high_then_odd", b'"\x00\x00\xd8A'),
    ("utf32le_bom_out_of_range", b'\xff\xfe\x00\x00"\x00\x00\x00\x00\x00\x11\x00"\x00\x00\x00'),
    ("utf32le_bom_truncated", b'\xff\xfe\x00\x00"\x00\x00'),
    ("utf32be_out_of_range", b'\x00\x00\x00"\x00\x11\x00\x00\x00\x00\x00"'),
    ("utf32be_truncated", b'\x00\x00\x00"\x00\x00\x00'),
    ("utf32le_truncated", b'"\x00\x00\x00\x00\x00'),
    ("utf32le_bom_huge", b"\xff\xfe\x00\x00\x00\x00\x00\x01"),
    ("utf32_one_trailing", b'\x00\x00\x00"\x00\x00\x00a\x00\x00\x00"\x00'),
    ("invalid_utf8_after_syntax_error", b"[1 2 \xff]"),
]


def loads_cases():
    cases = []
    for name, raw in LOADS_INPUTS:
        entry = {"name": name, "input_hex": raw.hex()}
        try:
            value = json.loads(raw)
            entry["canon"] = canon(value)
            entry["dumps"] = json.dumps(value)
        except Exception as e:  # noqa: BLE001
            entry["error"] = {"type": type(e).__name__, "message": str(e)}
        cases.append(entry)
    return cases


def main():
    data = {
        "python_version": sys.version.split()[0],
        "floats": floats(),
        "dumps": dumps_cases(),
        "loads": loads_cases(),
    }
    json.dump(data, sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
