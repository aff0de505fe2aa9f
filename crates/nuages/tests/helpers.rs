//! Unit tests of the `django.utils` and `django.http` helpers that only need their public API.

mod encoding {
    use std::borrow::Cow;

    use nuages::utils::encoding::*;
    use nuages_py::urllib_parse::InvalidUrl;

    #[test]
    fn escaping_sets() {
        assert_eq!(escape_uri_path("/a;b?c#d%e=f"), "/a%3Bb%3Fc%23d%25e%3Df");
        assert_eq!(escape_uri_path("/:@&+$,-_.!~*'()"), "/:@&+$,-_.!~*'()");
        assert_eq!(
            escape_uri_path("\"<>[]{}|\\^`"),
            "%22%3C%3E%5B%5D%7B%7D%7C%5C%5E%60"
        );
        assert!(matches!(escape_uri_path("/plain/path"), Cow::Borrowed(_)));
        assert_eq!(iri_to_uri("/#%[]=:;$&()+,!?*@'~"), "/#%[]=:;$&()+,!?*@'~");
        assert_eq!(
            iri_to_uri("\"<>{}|\\^` \u{7f}\n"),
            "%22%3C%3E%7B%7D%7C%5C%5E%60%20%7F%0A"
        );
        // Django's test_iri_to_uri cases.
        assert_eq!(iri_to_uri("red%09ros\u{e9}#red"), "red%09ros%C3%A9#red");
        assert_eq!(
            iri_to_uri("/blog/for/J\u{fc}rgen M\u{fc}nster/"),
            "/blog/for/J%C3%BCrgen%20M%C3%BCnster/"
        );
        assert_eq!(
            iri_to_uri("locations/?q=Pallet+Town"),
            "locations/?q=Pallet+Town"
        );
    }

    #[test]
    fn uri_to_iri_cases() {
        // Django's test_uri_to_iri.
        assert_eq!(uri_to_iri("red%09ros%C3%A9#red"), "red%09ros\u{e9}#red");
        assert_eq!(
            uri_to_iri("/blog/for/J%C3%BCrgen%20M%C3%BCnster/"),
            "/blog/for/J\u{fc}rgen%20M\u{fc}nster/"
        );
        assert_eq!(uri_to_iri("%E2%99%A5%E2%99%A5%3F"), "\u{2665}\u{2665}%3F");
        assert_eq!(uri_to_iri("%2F%25?q=%C3%B6&d=%2F"), "%2F%25?q=\u{f6}&d=%2F");
        assert_eq!(uri_to_iri("%41%5a%6B%31"), "AZk%31");
        assert_eq!(uri_to_iri("%e2%99%a5%"), "\u{2665}%");
        assert_eq!(uri_to_iri("%aB%Ab"), "%AB%AB");
    }

    #[test]
    fn broken_unicode() {
        assert_eq!(repercent_broken_unicode(b"\xed\xa0\x80"), "%ED%A0%80");
        assert_eq!(
            repercent_broken_unicode(b"\xe2\x82A\xe2\x82"),
            "%E2%82A%E2%82"
        );
        assert_eq!(
            repercent_broken_unicode(b"\xf0\x9f\x98\x80\xc3"),
            "\u{1f600}%C3"
        );
    }

    #[test]
    fn absolute_uri_edge_cases() {
        let uri = |path: &str, loc| build_absolute_uri("https", "h:8443", path, "", loc);
        assert_eq!(uri("/a;b/page", Some("x")).unwrap(), "https://h:8443/a;b/x");
        assert_eq!(uri("/a?b", Some("x")).unwrap(), "https://h:8443/x");
        assert_eq!(uri("/a/./b", None).unwrap(), "https://h:8443/a/b");
        assert_eq!(uri("/p", Some(" /x")).unwrap(), "https://h:8443%20/x");
        assert_eq!(uri("/p", Some("\t//x.com/y")).unwrap(), "https://x.com/y");
        assert_eq!(uri("/p", Some("HTTP://X.com")).unwrap(), "HTTP://X.com");
        assert_eq!(uri("/p", Some(";x")).unwrap(), "https://h:8443/;x");
        assert_eq!(uri("/p/q", Some("../../../x")).unwrap(), "https://h:8443/x");
        assert_eq!(uri("/p", Some("//h2")).unwrap(), "https://h2");
        assert_eq!(uri("/p", Some("http:x")).unwrap(), "http:x");
        assert_eq!(
            uri("/p", Some("//[::1/x")),
            Err(InvalidUrl::UnbalancedBrackets)
        );
    }
}

mod http {
    use nuages::utils::http::*;

    /// Spec rule 194 / Django's `ETagProcessingTests`.
    #[test]
    fn etags() {
        assert_eq!(
            parse_etags(r#""" ,  "etag", "e\\tag", W/"weak""#),
            [r#""""#, r#""etag""#, r#""e\\tag""#, r#"W/"weak""#]
        );
        assert_eq!(parse_etags("*"), ["*"]);
        assert_eq!(parse_etags(r#"garbage, "abc""#), [r#""abc""#]);
        assert!(parse_etags("abc").is_empty());
        assert!(parse_etags(r#""a"b""#).is_empty());
        assert!(parse_etags(r#"w/"abc""#).is_empty());
        assert_eq!(quote_etag("etag"), "\"etag\"");
        assert_eq!(quote_etag("\"etag\""), "\"etag\"");
        assert_eq!(quote_etag("W/\"etag\""), "W/\"etag\"");
        assert_eq!(quote_etag("a\"b"), "\"a\"b\"");
        assert!(!is_quoted_etag("\""));
        assert!(!is_quoted_etag("W/\""));
    }

    /// Django's `IsSameDomainTests`.
    #[test]
    fn same_domain() {
        for (host, pattern) in [
            ("example.com", "example.com"),
            ("example.com", ".example.com"),
            ("foo.example.com", ".example.com"),
            ("example.com:8888", "example.com:8888"),
            ("example.com:8888", ".example.com:8888"),
            ("foo.example.com:8888", ".example.com:8888"),
            ("example.com", "EXAMPLE.COM"),
            ("k.com", "\u{212a}.COM"),
        ] {
            assert!(is_same_domain(host, pattern), "{host} {pattern}");
        }
        for (host, pattern) in [
            ("example2.com", "example.com"),
            ("foo.example.com", "example.com"),
            ("example.com:9999", "example.com:8888"),
            ("foo.example.com:8888", ""),
            ("EXAMPLE.COM", "example.com"),
            ("notexample.com", ".example.com"),
            ("\u{e9}xample.com", ".xample.com"),
            ("\u{e9}", ".a"),
        ] {
            assert!(!is_same_domain(host, pattern), "{host} {pattern}");
        }
    }

    /// Django's `URLHasAllowedHostAndSchemeTests`.
    #[test]
    fn allowed_host_and_scheme() {
        let hosts = ["testserver"];
        for bad in [
            "http://example.com",
            "http:///example.com",
            "https://example.com",
            "ftp://example.com",
            r"\\example.com",
            r"\\\example.com",
            r"/\\/example.com",
            r"\\\example.com",
            r"\\example.com",
            r"\\//example.com",
            r"/\/example.com",
            r"\/example.com",
            r"/\example.com",
            "http:///example.com",
            r"http:/\//example.com",
            r"http:\/example.com",
            r"http:/\example.com",
            "javascript:alert(\"XSS\")",
            "\njavascript:alert(x)",
            "java\nscript:alert(x)",
            "\x08//example.com",
            "http://otherserver\\@example.com",
            "http:\\\\testserver\\@example.com",
            "http://testserver\\me:pass@example.com",
            "http://testserver\\@example.com",
            "http:\\\\testserver\\confirm\\me@example.com",
            "http:999999999",
            "ftp:9999999999",
            "\n",
            "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
            "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
            "",
            "\u{200b}//example.com",
            "\u{e000}/x",
            "\u{378}/x",
            "//\u{ff0f}example.com",
        ] {
            assert!(
                !url_has_allowed_host_and_scheme(Some(bad), &hosts, false),
                "{bad:?}"
            );
        }
        assert!(!url_has_allowed_host_and_scheme(None, &hosts, false));
        for good in [
            "/view/?param=http://example.com",
            "/view/?param=https://example.com",
            "/view?param=ftp://example.com",
            "view/?param=//example.com",
            "https://testserver/",
            "HTTPS://testserver/",
            "//testserver/",
            "http://testserver/confirm?email=me@example.com",
            "/url%20with%20spaces/",
            "path/http:2222222222",
            "\u{e9}/x",
        ] {
            assert!(
                url_has_allowed_host_and_scheme(Some(good), &hosts, false),
                "{good:?}"
            );
        }
        assert!(!url_has_allowed_host_and_scheme(
            Some("http://testserver/"),
            &hosts,
            true
        ));
        assert!(url_has_allowed_host_and_scheme(
            Some("https://testserver/"),
            &hosts,
            true
        ));
        let long = format!("/{}", "a".repeat(MAX_URL_LENGTH));
        assert!(!url_has_allowed_host_and_scheme(Some(&long), &hosts, false));
        let multi = ["example.com", "example.org"];
        assert!(url_has_allowed_host_and_scheme(
            Some("https://example.org/"),
            &multi,
            false
        ));
        assert!(!url_has_allowed_host_and_scheme(
            Some("https://EXAMPLE.org/"),
            &multi,
            false
        ));
    }

    #[test]
    fn leading_slashes() {
        assert_eq!(escape_leading_slashes("//example.com"), "/%2Fexample.com");
        assert_eq!(escape_leading_slashes("///example.com"), "/%2F/example.com");
        assert_eq!(escape_leading_slashes("/example.com"), "/example.com");
    }

    /// Spec rules 165–167.
    #[test]
    fn content_disposition() {
        assert_eq!(
            content_disposition_header(true, Some("dq\"uote.txt")).unwrap(),
            "attachment; filename=\"dq\\\"uote.txt\""
        );
        assert_eq!(
            content_disposition_header(true, Some("back\\slash.txt")).unwrap(),
            "attachment; filename=\"back\\\\slash.txt\""
        );
        assert_eq!(
            content_disposition_header(true, Some("a\nb.txt")).unwrap(),
            "attachment; filename*=utf-8''a%0Ab.txt"
        );
        assert_eq!(
            content_disposition_header(true, Some("a.txt\n")).unwrap(),
            "attachment; filename=\"a.txt\n\""
        );
        assert_eq!(content_disposition_header(false, None), None);
    }
}

mod header_params {
    use nuages::utils::http::*;

    fn parse(line: &str) -> (String, Vec<(String, String)>) {
        let (key, params) = parse_header_parameters(line).unwrap();
        (key, params.into_iter().collect())
    }

    /// Expected values observed with Django 5.2 / CPython 3.11.7.
    #[test]
    fn matches_django() {
        type Case = (
            &'static str,
            &'static str,
            &'static [(&'static str, &'static str)],
        );
        let cases: &[Case] = &[
            ("", "", &[]),
            ("text/html", "text/html", &[]),
            (" TEXT/HTML ", "text/html", &[]),
            (
                "text/html; charset=UTF-8",
                "text/html",
                &[("charset", "UTF-8")],
            ),
            (
                "text/html;charset=\"utf-8\"",
                "text/html",
                &[("charset", "utf-8")],
            ),
            (
                "text/plain; Charset=\"a\\\"b\"",
                "text/plain",
                &[("charset", "a\"b")],
            ),
            ("a=b; c=d", "a", &[("c", "d")]),
            (
                "multipart/form-data; boundary=\"a;b\"; x=1",
                "multipart/form-data",
                &[("boundary", "a;b"), ("x", "1")],
            ),
            ("text/html; level", "text/html", &[("level", "")]),
            ("text/html; ;x=1", "text/html", &[("x", "1")]),
            ("text/html; =v", "text/html", &[]),
            (
                "text/html; title*=utf-8'en'%C3%A9t%C3%A9",
                "text/html",
                &[("title", "\u{e9}t\u{e9}")],
            ),
            (
                "a; filename*0=foo; filename*1=bar",
                "a",
                &[("filename", "foobar")],
            ),
            (
                "a; filename*0*=utf-8''%E2%98; filename*1*=%83",
                "a",
                &[("filename", "\u{2603}")],
            ),
            ("a; x*=''abc", "a", &[("x", "abc")]),
            ("a; x*=abc", "a", &[("x", "abc")]),
            ("a; x*=latin-1''%E9", "a", &[("x", "\u{e9}")]),
            ("a; x=\"<y>\"", "a", &[("x", "<y>")]),
            ("a; x=<y>", "a", &[("x", "y")]),
            ("a; X=1; x=2", "a", &[("x", "2")]),
            ("a; \"b\"=c", "a", &[("\"b\"", "c")]),
            ("a;q=0.5;Q=0.7", "a", &[("q", "0.7")]),
            ("a; x*=utf-8''\u{2603}", "a", &[("x", "\\u2603")]),
            ("a; x=\"a;b", "a", &[("x", "\"a;b")]),
            (
                "text/html; charset=utf-8;",
                "text/html",
                &[("charset", "utf-8")],
            ),
            ("a; x = \" y \" ", "a", &[("x", " y ")]),
            ("a; x*1=b; x*0=a", "a", &[("x", "ab")]),
            ("a; x*=us-ascii''%E9", "a", &[("x", "\u{fffd}")]),
            ("a; x=\"\\\\\"", "a", &[("x", "\\")]),
            ("a; x*=''\"q\"", "a", &[("x", "q")]),
            ("a\u{a0}; b=\u{a0}c\u{a0}", "a", &[("b", "c")]),
            ("\"text/html\"; a=b", "\"text/html\"", &[("a", "b")]),
            ("<a>; b=c", "<a>", &[("b", "c")]),
        ];
        for (line, key, params) in cases {
            let expected: Vec<(String, String)> = params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            assert_eq!(parse(line), ((*key).to_owned(), expected), "input {line:?}");
        }
    }

    #[test]
    fn errors_match_django() {
        let err = parse_header_parameters("a; x*=bogus''abc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid encoding 'bogus' for RFC 2231 param."
        );
        let err = parse_header_parameters("a; x*=abc; x*0=b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "'<' not supported between instances of 'int' and 'NoneType'"
        );
    }
}
