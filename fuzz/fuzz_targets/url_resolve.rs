//! URL resolution with the built-in converters (`<int:n>`, `<str:s>`, `<slug:s>`, `<uuid:u>`,
//! `<path:p>`), `re_path()` with named, positional and optional groups, and namespaced
//! `include()`s; and `reverse()` with fuzzed names and arguments.
//!
//! Input: one mode byte, then text (lossy UTF-8).
//! - bit 0 clear: the text is a path to resolve; a match must reverse (by its view name and
//!   captured arguments) to a URL that resolves again.
//! - bit 0 set: the text is `viewname\0name\0value\0name\0value…`; bit 1 gives the values as
//!   positional arguments instead of keyword arguments, bit 2 passes values that parse as an
//!   integer or a UUID as such, bit 3 passes `current_app` "ns2". A URL reversed must
//!   resolve.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nuages::py::urllib_parse::unquote;
use nuages::urls::{include, path, re_path, Urls, Value};
use nuages::views::ViewFn;

fn urls() -> &'static Urls {
    static URLS: OnceLock<Urls> = OnceLock::new();
    URLS.get_or_init(|| {
        let v = || ViewFn::named("fuzz.v");
        let app = || {
            vec![
                path("detail/<int:pk>/", v()).name("detail"),
                path("", v()).name("index"),
            ]
        };
        let nested = vec![path("inner/<slug:s>/", v()).name("inner")];
        Urls::new(vec![
            path("int/<int:n>/", v()).name("int"),
            path("str/<str:s>/", v()).name("str"),
            path("slug/<slug:s>/", v()).name("slug"),
            path("uuid/<uuid:u>/", v()).name("uuid"),
            path("path/<path:p>", v()).name("path"),
            path("plain/<x>/", v()).name("plain"),
            path("mixed/<int:year>/<slug:title>/", v()).name("mixed"),
            path("files/<path:p>/<int:n>", v()).name("files"),
            path("extra/", v())
                .kwargs([("extra", "default")])
                .name("extra"),
            path("café/<str:x>/", v()).name("nonascii"),
            path("exact", v()).name("exact-noslash"),
            path("", v()).name("root"),
            re_path(r"^re/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", v()).name("re-named"),
            re_path(r"^repos/([0-9]+)/$", v()).name("re-positional"),
            re_path(r"^opt/(?:page-(?P<page>[0-9]+)/)?$", v()).name("re-optional"),
            re_path(r"^any/(?P<rest>.*)$", v()).name("re-any"),
            path("app/", include(app()).app_name("app").namespace("ns1")),
            path("app2/", include(app()).app_name("app").namespace("ns2")),
            path(
                "outer/<int:o>/",
                include([path(
                    "x/",
                    include(nested).app_name("nest").namespace("nest"),
                )])
                .app_name("outer")
                .namespace("outer"),
            ),
        ])
        .expect("the URLconf builds")
    })
}

/// A fuzzed argument: an integer or a UUID when asked and the text is one, else a string.
fn value(text: &str, typed: bool) -> Value {
    if typed {
        if let Ok(n) = text.parse::<i64>() {
            return Value::Int(n);
        }
        if let Ok(u) = text.parse::<uuid::Uuid>() {
            return Value::Uuid(u);
        }
    }
    Value::Str(text.to_owned())
}

/// A reversed URL is percent-encoded; resolving works on the decoded path.
fn assert_resolves(url: &str, what: &dyn std::fmt::Debug) {
    assert!(url.starts_with('/'), "{what:?} reversed to {url:?}");
    let decoded = unquote(url);
    assert!(
        urls().resolve(&decoded).is_ok(),
        "{what:?} reversed to {url:?}, which does not resolve"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let urls = urls();
    if mode & 1 == 0 {
        let found = urls.resolve(&text);
        assert_eq!(found.is_ok(), urls.is_valid_path(&text));
        let Ok(m) = found else { return };
        let view_name = m.view_name();
        let reverse = urls.reverse_with(&view_name);
        let url = if m.args.is_empty() {
            let kwargs = m.captured_kwargs().clone();
            reverse
                .kwargs(kwargs.iter().map(|(k, v)| (k, v.clone())))
                .build()
        } else {
            reverse.args(m.args.iter().map(String::as_str)).build()
        };
        let url = url.unwrap_or_else(|e| panic!("{text:?} resolved to {view_name} but: {e:?}"));
        assert_resolves(&url, &text);
    } else {
        let mut parts = text.split('\0');
        let viewname = parts.next().unwrap_or_default();
        let typed = mode & 4 != 0;
        let mut reverse = urls.reverse_with(viewname);
        if mode & 8 != 0 {
            reverse = reverse.current_app("ns2");
        }
        let rest: Vec<&str> = parts.collect();
        if mode & 2 != 0 {
            reverse = reverse.args(rest.iter().map(|a| value(a, typed)));
        } else {
            reverse = reverse.kwargs(rest.chunks(2).map(|kv| {
                let name = kv[0];
                (name, value(kv.get(1).copied().unwrap_or_default(), typed))
            }));
        }
        if let Ok(url) = reverse.build() {
            assert_resolves(&url, &text);
        }
    }
});
