//! The URLconf of the golden-vector generator's `golden_urls` module, shared by the tests that
//! resolve and reverse against it.

use nuages::urls::converters::{ConversionError, Converter, Value};
use nuages::urls::{include, path, re_path, UrlEntry, Urls};
use nuages::views::ViewFn;

/// `FourDigitYear` of the generator: regex `[0-9]{4}`, `to_python` = int, `to_url` = `%04d`.
pub struct FourDigitYear;

impl Converter for FourDigitYear {
    fn regex(&self) -> &str {
        "[0-9]{4}"
    }

    fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
        s.parse()
            .map(Value::Int)
            .map_err(|_| ConversionError::new("bad year"))
    }

    fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
        v.as_int()
            .map(|n| format!("{n:04}"))
            .ok_or_else(|| ConversionError::new("%d format: a real number is required"))
    }
}

/// The generator's `golden_urls` URLconf, every pattern leading to `v`.
pub fn golden_urls(v: ViewFn) -> Urls {
    let app_patterns = || {
        vec![
            path("detail/<int:pk>/", v.clone()).name("detail"),
            path("", v.clone()).name("index"),
        ]
    };
    let nested = vec![path("inner/<slug:s>/", v.clone()).name("inner")];
    let patterns = vec![
        path("int/<int:n>/", v.clone()).name("int"),
        path("str/<str:s>/", v.clone()).name("str"),
        path("slug/<slug:s>/", v.clone()).name("slug"),
        path("uuid/<uuid:u>/", v.clone()).name("uuid"),
        path("path/<path:p>", v.clone()).name("path"),
        path("plain/<x>/", v.clone()).name("plain"),
        path("mixed/<int:year>/<slug:title>/", v.clone()).name("mixed"),
        path("year/<yyyy:year>/", v.clone()).name("yyyy"),
        path("extra/", v.clone())
            .kwargs([("extra", "default")])
            .name("extra"),
        path("café/<str:x>/", v.clone()).name("nonascii"),
        path("exact", v.clone()).name("exact-noslash"),
        path("", v.clone()).name("root"),
        re_path(r"^re/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", v.clone()).name("re-named"),
        re_path(r"^repos/([0-9]+)/$", v.clone()).name("re-positional"),
        re_path(r"^opt/(?:page-(?P<page>[0-9]+)/)?$", v.clone()).name("re-optional"),
        path(
            "app/",
            include(app_patterns()).app_name("app").namespace("ns1"),
        ),
        path(
            "app2/",
            include(app_patterns()).app_name("app").namespace("ns2"),
        ),
        path(
            "outer/<int:o>/",
            include([path(
                "x/",
                include(nested).app_name("nest").namespace("nest"),
            )])
            .app_name("outer")
            .namespace("outer"),
        ),
    ];
    Urls::builder()
        .register_converter("yyyy", FourDigitYear)
        .build(patterns)
        .expect("golden URLconf builds")
}

/// The view every pattern of [`urlconf`] leads to (one that accepts any URL argument).
pub fn v() -> ViewFn {
    ViewFn::named("t_urls.v")
}

/// The URLconf of `tests/urls_resolve.rs` and `tests/urls_reverse.rs` (expectations checked
/// against Django 5.2).
pub fn urlconf() -> Vec<UrlEntry> {
    let inner = vec![
        path("leaf/<int:z>/", v())
            .kwargs([("d", "leaf")])
            .name("leaf"),
        re_path(r"^rx/(\d+)/(\d+)/$", v()).name("rx"),
    ];
    let plain = vec![
        path("p/<slug:s>/", v()).name("plain-p"),
        path("same/", v()).name("dup"),
        path("<int:pk>/", ViewFn::named("t_urls.other")),
    ];
    let inst = || vec![path("d/<int:pk>/", v()).name("d"), path("", v()).name("i")];
    vec![
        path("dup/", v()).name("dup"),
        path("inc/<int:a>/", include(inner)).kwargs([("k", "inc")]),
        re_path(
            r"^rinc/(\d+)/",
            include([
                re_path(r"^x/(\d+)/$", v()).name("rx2"),
                re_path(r"^y/(?P<n>\d+)/$", v()).name("ry"),
            ]),
        ),
        path("plain/", include(plain)),
        path(
            "nsw/",
            include([path(
                "mid/<int:m>/",
                include(inst()).app_name("deep").namespace("deep1"),
            )]),
        ),
        path("a1/", include(inst()).app_name("multi").namespace("m1")),
        path("a2/", include(inst()).app_name("multi").namespace("multi")),
        path("a3/", include(inst()).app_name("multi").namespace("m3")),
        path(
            "o/",
            include([path("i/", include(inst()).app_name("in"))])
                .app_name("out")
                .namespace("out"),
        ),
        path("space here/", v()).name("space"),
        path("//x/", v()).name("slashes"),
    ]
}
