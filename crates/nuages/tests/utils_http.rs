//! `django.utils.http` helpers: golden `content_disposition_header` cases
//! (tests/data/golden/fileresponse.json) and the spec's examples (sections M, Q and X).

mod support;

use nuages::utils::http::{
    content_disposition_header, http_date, is_same_domain, parse_etags, parse_http_date,
    parse_http_date_safe, quote_etag,
};
use serde_json::Value;

#[test]
fn content_disposition_header_golden() {
    let golden = support::golden("fileresponse.json");
    let mut count = 0;
    for case in golden["cases"].as_array().expect("cases") {
        if case["kind"] != "content_disposition_header" {
            continue;
        }
        let as_attachment = case["as_attachment"].as_bool().expect("bool");
        let filename = case["filename"].as_str();
        assert_eq!(
            content_disposition_header(as_attachment, filename).as_deref(),
            case["result"].as_str(),
            "content_disposition_header({as_attachment}, {filename:?})"
        );
        count += 1;
    }
    assert_eq!(count, 16);
}

/// The `Content-Disposition` that FileResponse computed for named files is exactly
/// `content_disposition_header(as_attachment, basename)`.
#[test]
fn file_response_dispositions_golden() {
    let golden = support::golden("fileresponse.json");
    let mut count = 0;
    for case in golden["cases"].as_array().expect("cases") {
        let filename = match case["kind"].as_str() {
            Some("open_file") => case["filename"].as_str(),
            Some("bytesio_with_filename") => case["filename_param"].as_str(),
            _ => continue,
        }
        .expect("filename");
        let basename = filename.rsplit('/').next().unwrap_or(filename);
        let as_attachment = case["as_attachment"].as_bool().expect("bool");
        assert_eq!(
            content_disposition_header(as_attachment, Some(basename)).as_deref(),
            case["headers"]
                .get("Content-Disposition")
                .and_then(Value::as_str),
            "{filename:?} as_attachment={as_attachment}"
        );
        count += 1;
    }
    assert_eq!(count, 72);
}

/// Spec rules 257–260 (section X).
#[test]
fn spec_section_x() {
    assert_eq!(
        http_date(1_700_000_000).unwrap(),
        "Tue, 14 Nov 2023 22:13:20 GMT"
    );
    assert_eq!(
        parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"),
        Ok(1_700_000_000)
    );
    assert_eq!(parse_http_date_safe("not a date"), None);
    assert_eq!(
        parse_http_date("not a date").unwrap_err().to_string(),
        "'not a date' is not in a valid HTTP date format"
    );
    assert_eq!(quote_etag("abc"), "\"abc\"");
    assert_eq!(quote_etag("\"abc\""), "\"abc\"");
    assert_eq!(quote_etag("W/\"abc\""), "W/\"abc\"");
    assert!(is_same_domain("example.com", ".example.com"));
    assert!(is_same_domain("a.example.com", ".example.com"));
    assert!(is_same_domain("a.example.com", ".EXAMPLE.com"));
    assert!(!is_same_domain("a.example.com", "example.com"));
}

/// Spec rules 192 and 194 (section Q): the three date formats and ETag list parsing.
#[test]
fn spec_section_q() {
    let lm = 1_193_008_907; // Sun, 21 Oct 2007 23:21:47 GMT
    assert_eq!(http_date(lm).unwrap(), "Sun, 21 Oct 2007 23:21:47 GMT");
    assert_eq!(parse_http_date("Sun, 21 Oct 2007 23:21:47 GMT"), Ok(lm));
    assert_eq!(parse_http_date("Sunday, 21-Oct-07 23:21:47 GMT"), Ok(lm));
    assert_eq!(parse_http_date("Sun Oct 21 23:21:47 2007"), Ok(lm));
    assert_eq!(parse_http_date_safe("Mon, 32 Oct 2007 23:21:47 GMT"), None);
    assert_eq!(parse_etags("garbage, \"abc\""), ["\"abc\""]);
    assert!(parse_etags("abc").is_empty());
    assert_eq!(parse_etags("*"), ["*"]);
    assert_eq!(parse_etags("W/\"abc\", \"def\""), ["W/\"abc\"", "\"def\""]);
}

/// Spec rules 165–167 (section M).
#[test]
fn spec_section_m() {
    assert_eq!(
        content_disposition_header(false, Some("x")).as_deref(),
        Some("inline; filename=\"x\"")
    );
    assert_eq!(
        content_disposition_header(true, Some("x")).as_deref(),
        Some("attachment; filename=\"x\"")
    );
    assert_eq!(
        content_disposition_header(true, None).as_deref(),
        Some("attachment")
    );
    assert_eq!(content_disposition_header(false, None), None);
    assert_eq!(
        content_disposition_header(true, Some("dq\"uote.txt")).as_deref(),
        Some("attachment; filename=\"dq\\\"uote.txt\"")
    );
    assert_eq!(
        content_disposition_header(true, Some("back\\slash.txt")).as_deref(),
        Some("attachment; filename=\"back\\\\slash.txt\"")
    );
    for literal in [
        "semi;colon.txt",
        "comma,name.txt",
        "percent%20.txt",
        "quote'single.txt",
        "with space.txt",
        "tab\tname.txt",
    ] {
        assert_eq!(
            content_disposition_header(true, Some(literal)),
            Some(format!("attachment; filename=\"{literal}\""))
        );
    }
    assert_eq!(
        content_disposition_header(true, Some("résumé.pdf")).as_deref(),
        Some("attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf")
    );
    assert_eq!(
        content_disposition_header(true, Some("a\nb.txt")).as_deref(),
        Some("attachment; filename*=utf-8''a%0Ab.txt")
    );
}
