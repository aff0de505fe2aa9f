//! `Urls::resolve` semantics (expected values checked against Django 5.2).

mod support;

use support::urls::v;

use nuages::core::exceptions::ImproperlyConfigured;
use nuages::urls::converters::{ConversionError, Converter, Value};
use nuages::urls::{include, path, re_path, UrlEntry, Urls};
use nuages::views::ViewFn;

fn urls() -> Urls {
    Urls::new(support::urls::urlconf()).unwrap()
}

fn s(x: &str) -> Value {
    Value::from(x)
}

fn kw(m: &nuages::urls::UrlKwargs) -> Vec<(&str, Value)> {
    m.iter().map(|(k, v)| (k, v.clone())).collect()
}

#[test]
fn include_with_converter_and_extra_kwargs() {
    let m = urls().resolve("/inc/3/leaf/4/").unwrap();
    assert_eq!(
        kw(&m.kwargs),
        vec![
            ("a", Value::Int(3)),
            ("k", s("inc")),
            ("z", Value::Int(4)),
            ("d", s("leaf"))
        ]
    );
    assert!(m.args.is_empty());
    assert_eq!(m.route(), "inc/<int:a>/leaf/<int:z>/");
    assert_eq!(kw(m.captured_kwargs()), vec![("z", Value::Int(4))]);
    assert_eq!(
        kw(m.extra_kwargs()),
        vec![("k", s("inc")), ("d", s("leaf"))]
    );
    assert_eq!(m.view_name(), "leaf");
}

#[test]
fn positional_args_only_without_kwargs() {
    let urls = urls();
    // The include has kwargs, so its (none) args are dropped, but the leaf's args are kept.
    let m = urls.resolve("/inc/3/rx/1/2/").unwrap();
    assert_eq!(m.args, vec!["1", "2"]);
    assert_eq!(kw(&m.kwargs), vec![("a", Value::Int(3)), ("k", s("inc"))]);
    assert_eq!(m.route(), r"inc/<int:a>/rx/(\d+)/(\d+)/$");
    // Unnamed groups of an include prefix are passed when nothing is named.
    let m = urls.resolve("/rinc/5/x/6/").unwrap();
    assert_eq!(m.args, vec!["5", "6"]);
    assert!(m.kwargs.is_empty());
    assert_eq!(m.route(), r"^rinc/(\d+)/x/(\d+)/$");
    // ... and dropped as soon as a named group exists.
    let m = urls.resolve("/rinc/5/y/6/").unwrap();
    assert!(m.args.is_empty());
    assert_eq!(kw(&m.kwargs), vec![("n", s("6"))]);
    assert_eq!(m.route(), r"^rinc/(\d+)/y/(?P<n>\d+)/$");
}

#[test]
fn unnamed_pattern_uses_view_name() {
    let urls = urls();
    let m = urls.resolve("/plain/9/").unwrap();
    assert_eq!(m.url_name(), None);
    assert_eq!(m.view_name(), "t_urls.other");
    assert_eq!(m.route(), "plain/<int:pk>/");
    let m = urls.resolve("/plain/p/ab/").unwrap();
    assert_eq!(m.url_name(), Some("plain-p"));
    assert_eq!(urls.resolve("/plain/same/").unwrap().route(), "plain/same/");
    assert_eq!(urls.resolve("/dup/").unwrap().route(), "dup/");
}

#[test]
fn namespaces() {
    let urls = urls();
    let m = urls.resolve("/nsw/mid/2/d/3/").unwrap();
    assert_eq!(
        kw(&m.kwargs),
        vec![("m", Value::Int(2)), ("pk", Value::Int(3))]
    );
    assert_eq!(m.view_name(), "deep1:d");
    assert_eq!(
        (m.app_names().to_vec(), m.namespaces().to_vec()),
        (vec!["deep".into()], vec!["deep1".into()])
    );
    assert_eq!(m.route(), "nsw/mid/<int:m>/d/<int:pk>/");
    assert_eq!(kw(m.captured_kwargs()), vec![("pk", Value::Int(3))]);

    let m = urls.resolve("/a2/").unwrap();
    assert_eq!(m.view_name(), "multi:i");
    assert_eq!(m.app_name(), "multi");

    let m = urls.resolve("/o/i/d/1/").unwrap();
    assert_eq!(m.view_name(), "out:in:d");
    assert_eq!(m.app_names(), vec!["out", "in"]);
    assert_eq!(m.namespace(), "out:in");
}

#[test]
fn not_found_lists_tried_patterns() {
    let urls = urls();
    let top: Vec<Vec<String>> = [
        "dup/",
        "inc/<int:a>/",
        r"^rinc/(\d+)/",
        "plain/",
        "nsw/",
        "a1/",
        "a2/",
        "a3/",
        "o/",
        "space here/",
        "//x/",
    ]
    .iter()
    .map(|p| vec![p.to_string()])
    .collect();
    let e = urls.resolve("/nothing/").unwrap_err();
    assert_eq!(e.path, "nothing/");
    assert_eq!(e.tried, top);
    assert_eq!(e.tried_names[0].as_deref(), Some("dup"));
    assert_eq!(e.tried_names[1], None);

    // A matching include lists its own patterns.
    let e = urls.resolve("/inc/3/zzz/").unwrap_err();
    assert_eq!(e.path, "inc/3/zzz/");
    let mut expected = top.clone();
    expected.splice(
        1..2,
        [
            vec!["inc/<int:a>/".to_string(), "leaf/<int:z>/".to_string()],
            vec!["inc/<int:a>/".to_string(), r"^rx/(\d+)/(\d+)/$".to_string()],
        ],
    );
    assert_eq!(e.tried, expected);
    assert_eq!(e.tried_names[1].as_deref(), Some("leaf"));

    // Without a leading slash nothing is tried.
    let e = urls.resolve("nothing").unwrap_err();
    assert_eq!((e.path.as_str(), e.tried.len()), ("nothing", 0));
    let e = urls.resolve("//x/").unwrap_err();
    assert_eq!((e.path.as_str(), e.tried), ("/x/", top));
    assert!(urls.try_resolve("/nothing/").is_none());
}

#[test]
fn literal_routes_and_spaces() {
    let urls = urls();
    assert_eq!(urls.resolve("/space here/").unwrap().route(), "space here/");
    assert!(urls.resolve("/space here").is_err());
}

#[test]
fn is_valid_path_and_resolve_view() {
    let urls = urls();
    assert!(urls.is_valid_path("/dup/"));
    assert!(!urls.is_valid_path("/dup"));
    assert!(!urls.is_valid_path("dup/"));
    assert_eq!(
        urls.resolve_view("/plain/9/").map(ViewFn::name),
        Some("t_urls.other")
    );
    assert!(urls.resolve_view("/plain/x/").is_none());
}

#[test]
fn optional_named_group_and_regex_include_prefix() {
    let urls = Urls::new([
        re_path(r"^opt/(?:page-(?P<page>[0-9]+)/)?$", v()).name("opt"),
        re_path(r"^pos/([0-9]+)?/?$", v()).name("pos"),
        re_path(
            r"^api/",
            include([re_path(r"^v(?P<n>[0-9])/$", v()).name("api")]),
        ),
        re_path(r"anywhere/", v()).name("unanchored"),
        re_path(r"full/$", v()).name("full"),
    ])
    .unwrap();
    assert!(urls.resolve("/opt/").unwrap().kwargs.is_empty());
    assert_eq!(
        urls.resolve("/opt/page-2/").unwrap().kwarg("page"),
        Some(&s("2"))
    );
    // A non-participating unnamed group gives an empty string (Django: None).
    assert_eq!(urls.resolve("/pos/").unwrap().args, vec![""]);
    let m = urls.resolve("/api/v2/").unwrap();
    assert_eq!(
        (m.route(), m.kwarg("n")),
        ("^api/v(?P<n>[0-9])/$", Some(&s("2")))
    );
    // re_path without '^' is searched anywhere (Django's `search`).
    assert_eq!(
        urls.resolve("/x/y/anywhere/").unwrap().url_name(),
        Some("unanchored")
    );
    // ... but an endpoint regex ending with '$' must match the whole path (`fullmatch`).
    assert!(urls.resolve("/x/full/").is_err());
    assert_eq!(urls.resolve("/full/").unwrap().url_name(), Some("full"));
    assert_eq!(urls.resolve("/pos/3").unwrap().args, vec!["3"]);
}

/// Accepts only even numbers: odd ones fall through to the next pattern.
struct Even;

impl Converter for Even {
    fn regex(&self) -> &str {
        "[0-9]+"
    }
    fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
        match s.parse::<i64>() {
            Ok(n) if n % 2 == 0 => Ok(Value::Int(n)),
            _ => Err(ConversionError::new("odd")),
        }
    }
    fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
        v.to_text().ok_or_else(|| ConversionError::new("opaque"))
    }
}

#[test]
fn converter_error_means_no_match() {
    let urls = Urls::builder()
        .register_converter("even", Even)
        .build([
            path("n/<even:n>/", ViewFn::named("even")).name("even"),
            path("n/<int:n>/", ViewFn::named("odd")).name("odd"),
            path("big/<int:n>/", ViewFn::named("big")),
        ])
        .unwrap();
    assert_eq!(urls.resolve("/n/4/").unwrap().func().name(), "even");
    assert_eq!(urls.resolve("/n/5/").unwrap().func().name(), "odd");
    // Python's ints have no size: any run of digits matches.
    assert_eq!(
        urls.resolve("/big/0099999999999999999999/")
            .unwrap()
            .kwarg("n"),
        Some(&Value::BigInt("99999999999999999999".into()))
    );
    assert_eq!(
        urls.resolve("/big/9223372036854775807/")
            .unwrap()
            .kwarg("n"),
        Some(&Value::Int(i64::MAX))
    );
}

fn build_err(entries: Vec<UrlEntry>) -> String {
    Urls::new(entries).unwrap_err().message().to_owned()
}

#[test]
fn build_time_errors() {
    // Django's message, then the fix.
    assert_eq!(
        build_err(vec![path("x/<foo:n>/", v())]),
        "URL route 'x/<foo:n>/' uses invalid converter 'foo'. Use one of the registered \
         converters (int, path, slug, str, uuid), or register it first: \
         Urls::builder().register_converter(\"foo\", converter)."
    );
    assert_eq!(
        build_err(vec![path("x/<int:n-1>/", v())]),
        "URL route 'x/<int:n-1>/' uses parameter name 'n-1' which isn't a valid Python identifier."
    );
    assert_eq!(
        build_err(vec![path("x/< int:n >/", v())]),
        "URL route 'x/< int:n >/' cannot contain whitespace in angle brackets <…>."
    );
    // Errors inside includes are found too.
    assert!(build_err(vec![path("a/", include([path("<bad:x>", v())]))])
        .starts_with("URL route '<bad:x>' uses invalid converter 'bad'. "));
    assert!(build_err(vec![re_path(r"^(unclosed/$", v())])
        .starts_with("\"^(unclosed/$\" is not a valid regular expression: "));
    assert_eq!(
        build_err(vec![path("a/", include([path("", v())]).namespace("ns"))]),
        "Specifying a namespace in include() without providing an app_name is not supported. \
         Set the app_name attribute in the included module, or pass a 2-tuple containing the \
         list of patterns and app_name instead."
    );
    let e: ImproperlyConfigured = Urls::builder()
        .register_converter("slug", Even)
        .build([path("", v())])
        .unwrap_err();
    assert_eq!(e.to_string(), "Converter slug is already registered.");
}

#[test]
fn name_on_include_is_ignored() {
    let urls = Urls::new([path("a/", include([path("b/", v())])).name("ignored")]).unwrap();
    assert_eq!(urls.resolve("/a/b/").unwrap().url_name(), None);
    assert!(urls.reverse("ignored").is_err());
}

/// 1,000 routes plus overlapping ones: the first declared match must always win.
#[test]
fn thousand_routes_keep_declaration_order() {
    let mut patterns = vec![re_path(r"special/", ViewFn::named("unanchored"))];
    for i in 0..1000 {
        if i == 500 {
            patterns.push(path("r/route999/<int:id>/", ViewFn::named("early999")));
        }
        if i == 700 {
            patterns.push(path("r/<slug:x>/<int:id>/", ViewFn::named("catchall")));
        }
        if i == 900 {
            patterns.push(path("r/route950/7/", ViewFn::named("literal950")));
        }
        let name: &'static str = Box::leak(format!("v{i}").into_boxed_str());
        patterns.push(path(&format!("r/route{i}/<int:id>/"), ViewFn::named(name)).name(name));
    }
    let urls = Urls::new(patterns).unwrap();
    let view = |p: &str| urls.resolve(p).map(|m| m.func().name().to_owned()).ok();
    assert_eq!(view("/r/route0/1/").as_deref(), Some("v0"));
    assert_eq!(view("/r/route600/1/").as_deref(), Some("v600"));
    assert_eq!(view("/r/route699/1/").as_deref(), Some("v699"));
    assert_eq!(view("/r/route700/1/").as_deref(), Some("catchall"));
    assert_eq!(view("/r/route999/1/").as_deref(), Some("early999"));
    assert_eq!(view("/r/route950/7/").as_deref(), Some("catchall"));
    assert_eq!(view("/r/anything/3/").as_deref(), Some("catchall"));
    assert_eq!(view("/r/route5/special/").as_deref(), Some("unanchored"));
    assert_eq!(view("/r/route5/x/"), None);
    let m = urls.resolve("/r/route42/8/").unwrap();
    assert_eq!(
        (m.url_name(), m.kwarg("id")),
        (Some("v42"), Some(&Value::Int(8)))
    );
    // The 404 lists every pattern, in order.
    let e = urls.resolve("/r/route5/x/").unwrap_err();
    assert_eq!(e.tried.len(), 1004);
    assert_eq!(e.tried[0], vec!["special/"]);
    assert_eq!(e.tried[501], vec!["r/route999/<int:id>/"]);
    assert_eq!(e.tried[1003], vec!["r/route999/<int:id>/"]);
    // Reverse picks the last declared pattern of a name first (Django's reverse_dict order).
    assert_eq!(nuages::reverse!(urls, "v999", 3).unwrap(), "/r/route999/3/");
}

#[test]
fn deep_include_chains() {
    // More than 8 patterns per level so that the prefix index is used at every level.
    let leafs = |tag: &'static str| {
        let mut v: Vec<UrlEntry> = (0..10)
            .map(|i| path(&format!("l{i}/"), ViewFn::named(tag)).name(format!("l{i}")))
            .collect();
        v.push(path("<path:rest>", ViewFn::named("rest")).name("rest"));
        v
    };
    let mut mid: Vec<UrlEntry> = (0..10)
        .map(|i| path(&format!("m{i}/"), include(leafs("leaf"))))
        .collect();
    mid.insert(3, path("m5/l5/", ViewFn::named("shadow")));
    let urls = Urls::new([path("top/", include(mid))]).unwrap();
    assert_eq!(urls.resolve("/top/m5/l5/").unwrap().func().name(), "shadow");
    assert_eq!(urls.resolve("/top/m5/l6/").unwrap().func().name(), "leaf");
    let m = urls.resolve("/top/m9/zz/y").unwrap();
    assert_eq!(
        (m.route(), m.kwarg("rest")),
        ("top/m9/<path:rest>", Some(&s("zz/y")))
    );
    assert!(urls.resolve("/top/m10/l1/").is_err());
}
