//! Unit tests of the stdlib modules that only need their public API.

mod http_cookies {
    use nuages_py::http_cookies::*;

    #[test]
    fn unquote_edge_cases() {
        assert_eq!(unquote("\""), "\"");
        assert_eq!(unquote("\"\""), "");
        assert_eq!(unquote("\"\\\""), "\\");
        assert_eq!(unquote("\"a\\\nb\""), "a\\\nb");
        assert_eq!(unquote("\"\\é\\477\""), "é477");
        assert_eq!(unquote("\"\\\\073\""), "\\073");
        assert_eq!(unquote("\"\\0730\""), ";0");
    }

    #[test]
    fn keys_and_output() {
        assert_eq!(
            check_key("Path"),
            Err(CookieError::ReservedKey("Path".into()))
        );
        assert_eq!(
            check_key("a b").map_err(|e| e.to_string()),
            Err("Illegal key 'a b'".to_owned())
        );
        let mut m = Morsel::new("n".into(), "a;b".into());
        m.set_path("/");
        m.set_httponly(true);
        m.set_max_age(Some(10));
        assert_eq!(
            m.header_value(),
            "n=\"a\\073b\"; HttpOnly; Max-Age=10; Path=/"
        );
    }
}

mod email_utils {
    use nuages_py::email_utils::*;

    #[test]
    fn email_quoting() {
        assert_eq!(unquote("\"a\\\"b\""), "a\"b");
        assert_eq!(unquote("<y>"), "y");
        assert_eq!(unquote("\""), "\"");
        assert_eq!(quote("a\\\"b"), "a\\\\\\\"b");
    }

    #[test]
    fn formatdate_like_python() {
        let gmt = |t: f64| formatdate(t, true);
        assert_eq!(gmt(0.0).unwrap(), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            gmt(1_193_008_907.0).unwrap(),
            "Sun, 21 Oct 2007 23:21:47 GMT"
        );
        assert_eq!(gmt(-1.0).unwrap(), "Wed, 31 Dec 1969 23:59:59 GMT");
        assert_eq!(gmt(-0.5).unwrap(), "Wed, 31 Dec 1969 23:59:59 GMT");
        assert_eq!(gmt(0.9999995).unwrap(), "Thu, 01 Jan 1970 00:00:01 GMT");
        assert_eq!(gmt(951_782_400.0).unwrap(), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(
            gmt(-62_135_596_800.0).unwrap(),
            "Mon, 01 Jan 0001 00:00:00 GMT"
        );
        assert_eq!(
            gmt(253_402_300_799.0).unwrap(),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
        assert_eq!(gmt(253_402_300_800.0), Err(DateOutOfRange));
        assert_eq!(gmt(-62_135_596_801.0), Err(DateOutOfRange));
        assert_eq!(gmt(f64::NAN), Err(DateOutOfRange));
    }
}

mod builtins {
    use std::borrow::Cow;

    use nuages_py::builtins::*;

    #[test]
    fn strip_and_lower_follow_python() {
        assert_eq!(strip("\x1c a \u{a0}\u{85}"), "a");
        assert_eq!(lower("ABC"), "abc");
        assert!(matches!(lower("abc"), Cow::Borrowed(_)));
        assert_eq!(lower("\u{212a}.COM"), "k.com");
    }

    #[test]
    fn printable() {
        for c in [' ', 'a', '~', 'é', '☃', '\u{1f600}'] {
            assert!(is_printable(c), "{c:?}");
        }
        for c in [
            '\0', '\n', '\x7f', '\u{85}', '\u{a0}', '\u{ad}', '\u{2028}', '\u{e000}',
        ] {
            assert!(!is_printable(c), "{c:?}");
        }
        assert!(is_printable_str("a b") && !is_printable_str("a\tb"));
    }
}

mod html {
    use nuages_py::html::*;

    #[test]
    fn escape_matches_python() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#x27;f");
    }

    /// Expected values from CPython 3.11 `html.unescape`.
    #[test]
    fn unescape_matches_python() {
        let cases = [
            ("plain", "plain"),
            ("a&amp;b", "a&b"),
            ("&amp", "&"),
            ("&ampx", "&x"),
            ("&copy.txt", "\u{a9}.txt"),
            ("&hearts;", "\u{2665}"),
            ("&hearts", "&hearts"),
            ("&bogus;", "&bogus;"),
            ("&#233;&#xE9;&#XE9", "\u{e9}\u{e9}\u{e9}"),
            (
                "&#128;&#0;&#1;&#xD800;&#x110000;&#99999999999;",
                "\u{20ac}\u{fffd}\u{fffd}\u{fffd}\u{fffd}",
            ),
            ("&#xFFFE;&#x1FFFF;&#xFDD0;&#13;", "\r"),
            ("&#;&#x;&#xg", "&#;&#x;&#xg"),
            ("& amp;", "& amp;"),
            ("&&amp;", "&&"),
            ("&ltx&gt", "<x>"),
            ("&notit;", "\u{ac}it;"),
            ("&notin;", "\u{2209}"),
            ("&caf\u{e9};", "&caf\u{e9};"),
        ];
        for (input, expected) in cases {
            assert_eq!(unescape(input), expected, "input {input:?}");
        }
    }
}

mod repr {
    use nuages_py::repr::*;

    #[test]
    fn floats_like_python() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (10.0, "10.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (2.5e-7, "2.5e-07"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1e20, "1e+20"),
            (123_456_789_012_345_680.0, "1.2345678901234568e+17"),
            (123_456_789_012_345_680_000.0, "1.2345678901234568e+20"),
            (1_234_567_890_123_456.8, "1234567890123456.8"),
            (1e300, "1e+300"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (3600.0, "3600.0"),
            (864_001.5, "864001.5"),
            (-12.25, "-12.25"),
            (639_247_291_879_612.0 + 0.25, "639247291879612.2"),
            (0.125, "0.125"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (x, expected) in cases {
            assert_eq!(float_repr(*x), *expected, "repr({x:?})");
        }
        assert_eq!(float_repr(2f64.powi(-25)), "2.9802322387695312e-08");
        assert_eq!(float_repr(-(2f64.powi(-25))), "-2.9802322387695312e-08");
        let mut s = String::new();
        write_f32_repr(&mut s, 0.1);
        assert_eq!(s, "0.1");
    }

    #[test]
    fn strings_like_python() {
        assert_eq!(str_repr("na me"), "'na me'");
        assert_eq!(str_repr("nämé"), "'nämé'");
        assert_eq!(str_repr("a'b"), "\"a'b\"");
        assert_eq!(str_repr("a'b\""), "'a\\'b\"'");
        assert_eq!(str_repr("\\"), "'\\\\'");
        assert_eq!(str_repr("a\nb\x00\u{a0}"), "'a\\nb\\x00\\xa0'");
        assert_eq!(str_repr("\u{2028}☃"), "'\\u2028☃'");
        assert_eq!(str_repr("evil.com"), "'evil.com'");
        assert_eq!(str_repr("a'\"b"), "'a\\'\"b'");
        assert_eq!(
            str_repr("a\\b\n\t\r\x01\x7f"),
            "'a\\\\b\\n\\t\\r\\x01\\x7f'"
        );
        assert_eq!(
            str_repr("caf\u{e9}\u{a0}\u{ad}\u{85}"),
            "'caf\u{e9}\\xa0\\xad\\x85'"
        );
        assert_eq!(
            str_repr("\u{2603}\u{200b}\u{e000}\u{1f600}\u{10ffff}"),
            "'\u{2603}\\u200b\\ue000\u{1f600}\\U0010ffff'"
        );
        assert_eq!(
            str_repr("é☃\u{a0}\u{200b}\u{feff}😀\u{10ffff}"),
            "'é☃\\xa0\\u200b\\ufeff😀\\U0010ffff'"
        );
        assert_eq!(str_repr(""), "''");
        assert_eq!(str_repr("\u{1}é\n"), "'\\x01é\\n'");
    }
}

mod urllib_parse {
    use std::borrow::Cow;

    use nuages_py::codecs::Charset;
    use nuages_py::urllib_parse::*;

    fn split(url: &str) -> Result<(String, String, String, String, String), InvalidUrl> {
        let cleaned = clean(url);
        let s = urlsplit(&cleaned, "")?;
        Ok((
            s.scheme.into_owned(),
            s.netloc.into(),
            s.path.into(),
            s.query.into(),
            s.fragment.into(),
        ))
    }

    fn unquote_in(s: &str, label: &str) -> String {
        unquote_plus(s, &Charset::from_label(label).unwrap()).into_owned()
    }

    #[test]
    fn unquote_plus_matches_python() {
        // Expected values observed with CPython 3.11's urllib.parse.unquote.
        assert_eq!(unquote_in("a+b", "utf-8"), "a b");
        assert_eq!(unquote_in("%2B%2b", "utf-8"), "++");
        assert_eq!(unquote_in("%%41%", "utf-8"), "%A%");
        assert_eq!(unquote_in("%2+", "utf-8"), "%2 ");
        assert_eq!(unquote_in("%C3%A9", "utf-8"), "é");
        assert_eq!(unquote_in("%C3é%A9", "utf-8"), "\u{fffd}é\u{fffd}");
        assert_eq!(unquote_in("%C3%A9", "latin-1"), "Ã©");
        assert_eq!(unquote_in("é%E9+", "latin-1"), "éé ");
        assert_eq!(unquote_in("%A4", "iso-8859-15"), "€");
        assert_eq!(unquote_in("%81", "cp1252"), "\u{fffd}");
        // Without '%' Python returns the text untouched, even for UTF-16.
        assert_eq!(unquote_in("ab", "utf-16"), "ab");
        assert_eq!(unquote_in("%61%00", "utf-16"), "a");
        assert_eq!(unquote_in("%61%00é%62", "utf-16-le"), "aé\u{fffd}");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a b+/~*é", Safe::DEFAULT), "a%20b%2B/~%2A%C3%A9");
        assert_eq!(quote_plus("a b+/~*é", Safe::NONE), "a+b%2B%2F~%2A%C3%A9");
        assert_eq!(quote_plus("a b", Safe::new("/é")), "a+b");
        assert!(matches!(
            quote("/plain/path", Safe::DEFAULT),
            Cow::Borrowed(_)
        ));
        assert_eq!(quote_from_bytes(b"\xff ", Safe::NONE), "%FF%20");
        assert_eq!(unquote("%e2%98%83%2"), "☃%2");
        assert_eq!(unquote_to_bytes(b"%41%zz%"), &b"A%zz%"[..]);
        assert_eq!(unquote_with("caf%E9%20", &Charset::LATIN_1), "café ");
    }

    #[test]
    fn urlsplit_matches_python() {
        let t = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            Ok((
                a.to_owned(),
                b.to_owned(),
                c.to_owned(),
                d.to_owned(),
                e.to_owned(),
            ))
        };
        assert_eq!(
            split("HTTP://Host:80/p;x?q=1#f"),
            t("http", "Host:80", "/p;x", "q=1", "f")
        );
        assert_eq!(split("////double"), t("", "", "//double", "", ""));
        assert_eq!(split(" \x01//a\tb/c\n"), t("", "ab", "/c", "", ""));
        assert_eq!(split("mailto:a@b.c"), t("mailto", "", "a@b.c", "", ""));
        assert_eq!(split("1http://x"), t("", "", "1http://x", "", ""));
        assert_eq!(split("path:80"), t("path", "", "80", "", ""));
        assert_eq!(split("//[::1]:80/x"), t("", "[::1]:80", "/x", "", ""));
        assert_eq!(
            split("//[fe80::1%eth0]/"),
            t("", "[fe80::1%eth0]", "/", "", "")
        );
        assert_eq!(split("//[v1.x]/"), t("", "[v1.x]", "/", "", ""));
        assert_eq!(split("//[::1/x"), Err(InvalidUrl::UnbalancedBrackets));
        assert_eq!(split("//[1.2.3.4]/"), Err(InvalidUrl::BracketedIpv4));
        assert_eq!(split("//[v.x]/"), Err(InvalidUrl::InvalidIpvFuture));
        assert_eq!(
            split("//[zz]/").unwrap_err().to_string(),
            "'zz' does not appear to be an IPv4 or IPv6 address"
        );
        assert!(split("//a\u{ff0f}b/").is_err());
        assert!(split("//caf\u{e9}/").is_ok());
    }

    #[test]
    fn urljoin_matches_python() {
        let base = "http://a/b/c/d;p?q";
        // RFC 3986 section 5.4 examples as resolved by CPython 3.11.
        for (rel, expected) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            (";x", "http://a/b/c/;x"),
            ("g;x", "http://a/b/c/g;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("http:g", "http://a/b/c/g"),
            ("http:", "http://a/b/c/d;p?q"),
            ("a//b", "http://a/b/c/a/b"),
        ] {
            assert_eq!(urljoin(base, rel).unwrap(), expected, "{rel:?}");
        }
        assert_eq!(urljoin("", "x").unwrap(), "x");
        assert_eq!(urljoin("http://h/p", "//").unwrap(), "http://h/p");
        assert_eq!(
            urljoin("http://h/p", "///triple").unwrap(),
            "http://h/triple"
        );
    }
}
