//! `Urls::reverse` semantics (expected values checked against Django 5.2).

mod support;

use support::urls::v;

use nuages::urls::{include, path, re_path, Urls, Value};

fn urls() -> Urls {
    Urls::new(support::urls::urlconf()).unwrap()
}

fn i(n: i64) -> Value {
    Value::Int(n)
}

fn s(x: &str) -> Value {
    Value::from(x)
}

fn ok(urls: &Urls, name: &str, args: &[Value], kwargs: &[(&str, Value)]) -> String {
    urls.reverse_with(name)
        .args(args.iter().cloned())
        .kwargs(kwargs.iter().map(|(k, v)| (*k, v.clone())))
        .build()
        .unwrap_or_else(|e| panic!("reverse {name}: {e}"))
}

fn err(urls: &Urls, name: &str, args: &[Value], kwargs: &[(&str, Value)]) -> String {
    urls.reverse_with(name)
        .args(args.iter().cloned())
        .kwargs(kwargs.iter().map(|(k, v)| (*k, v.clone())))
        .build()
        .expect_err(name)
        .message()
        .to_owned()
}

#[test]
fn last_declared_pattern_is_tried_first() {
    let urls = urls();
    assert_eq!(ok(&urls, "dup", &[], &[]), "/plain/same/");
    assert_eq!(
        err(&urls, "dup", &[], &[("a", i(1))]),
        r"Reverse for 'dup' with keyword arguments '{'a': 1}' not found. 2 pattern(s) tried: ['plain/same/\\Z', 'dup/\\Z']"
    );
}

#[test]
fn include_prefixes_and_defaults() {
    let urls = urls();
    assert_eq!(ok(&urls, "plain-p", &[], &[("s", s("x"))]), "/plain/p/x/");
    assert_eq!(
        ok(&urls, "leaf", &[], &[("a", i(1)), ("z", i(2))]),
        "/inc/1/leaf/2/"
    );
    assert_eq!(
        ok(
            &urls,
            "leaf",
            &[],
            &[("a", i(1)), ("z", i(2)), ("k", s("inc")), ("d", s("leaf"))]
        ),
        "/inc/1/leaf/2/"
    );
    assert_eq!(
        err(
            &urls,
            "leaf",
            &[],
            &[("a", i(1)), ("z", i(2)), ("k", s("no"))]
        ),
        r"Reverse for 'leaf' with keyword arguments '{'a': 1, 'z': 2, 'k': 'no'}' not found. 1 pattern(s) tried: ['inc/(?P<a>[0-9]+)/leaf/(?P<z>[0-9]+)/\\Z']"
    );
    assert_eq!(ok(&urls, "leaf", &[i(1), i(2)], &[]), "/inc/1/leaf/2/");
    assert_eq!(
        err(&urls, "leaf", &[i(1)], &[]),
        r"Reverse for 'leaf' with arguments '(1,)' not found. 1 pattern(s) tried: ['inc/(?P<a>[0-9]+)/leaf/(?P<z>[0-9]+)/\\Z']"
    );
    assert_eq!(
        err(&urls, "leaf", &[s("x y"), s("é")], &[]),
        r"Reverse for 'leaf' with arguments '('x y', 'é')' not found. 1 pattern(s) tried: ['inc/(?P<a>[0-9]+)/leaf/(?P<z>[0-9]+)/\\Z']"
    );
}

#[test]
fn regex_positional_groups() {
    let urls = urls();
    assert_eq!(ok(&urls, "rx", &[i(1), i(2), i(3)], &[]), "/inc/1/rx/2/3/");
    assert_eq!(
        err(&urls, "rx", &[i(1), i(2)], &[]),
        r"Reverse for 'rx' with arguments '(1, 2)' not found. 1 pattern(s) tried: ['inc/(?P<a>[0-9]+)/rx/(\\d+)/(\\d+)/$']"
    );
    assert_eq!(ok(&urls, "rx2", &[i(5), i(6)], &[]), "/rinc/5/x/6/");
    assert_eq!(
        err(&urls, "ry", &[], &[("n", i(6))]),
        r"Reverse for 'ry' with keyword arguments '{'n': 6}' not found. 1 pattern(s) tried: ['rinc/(\\d+)/y/(?P<n>\\d+)/$']"
    );
}

#[test]
fn namespaces() {
    let urls = urls();
    let pk = |n| [("pk", i(n))];
    // Application namespace resolved to its only instance; outer kwargs are required.
    assert_eq!(
        ok(&urls, "deep:d", &[], &[("m", i(2)), ("pk", i(3))]),
        "/nsw/mid/2/d/3/"
    );
    assert_eq!(
        ok(&urls, "deep1:d", &[], &[("m", i(2)), ("pk", i(3))]),
        "/nsw/mid/2/d/3/"
    );
    assert_eq!(ok(&urls, "deep1:i", &[], &[("m", i(2))]), "/nsw/mid/2/");
    // Default instance (namespace == app name) wins.
    assert_eq!(ok(&urls, "multi:d", &[], &pk(1)), "/a2/d/1/");
    assert_eq!(ok(&urls, "m1:d", &[i(1)], &[]), "/a1/d/1/");
    assert_eq!(ok(&urls, "out:in:i", &[], &[]), "/o/i/");
    assert_eq!(
        err(&urls, "out:nope:i", &[], &[]),
        "'nope' is not a registered namespace inside 'out'"
    );
    assert_eq!(
        err(&urls, "zz:i", &[], &[]),
        "'zz' is not a registered namespace"
    );
    assert_eq!(
        err(&urls, "d", &[], &pk(1)),
        "Reverse for 'd' not found. 'd' is not a valid view function or pattern name."
    );
}

#[test]
fn current_app() {
    let urls = urls();
    let r = |name: &str, app: &str| {
        urls.reverse_with(name)
            .kwarg("pk", 1)
            .current_app(app)
            .build()
            .unwrap()
    };
    assert_eq!(r("multi:d", "m3"), "/a3/d/1/");
    assert_eq!(r("multi:d", "unknown"), "/a2/d/1/");
    // An instance namespace is not affected by current_app.
    assert_eq!(r("m1:d", "m3"), "/a1/d/1/");
    let u = urls.reverse_with("out:in:i").current_app("out:in").build();
    assert_eq!(u.unwrap(), "/o/i/");
}

#[test]
fn last_deployed_instance_without_default() {
    let inst = || include([path("<int:pk>/", v()).name("d")]).app_name("app");
    let urls = Urls::new([
        path("one/", inst().namespace("one")),
        path("two/", inst().namespace("two")),
    ])
    .unwrap();
    assert_eq!(ok(&urls, "app:d", &[i(3)], &[]), "/two/3/");
    let u = urls.reverse_with("app:d").arg(3).current_app("one").build();
    assert_eq!(u.unwrap(), "/one/3/");
}

#[test]
fn quoting_and_leading_slashes() {
    let urls = urls();
    assert_eq!(ok(&urls, "space", &[], &[]), "/space%20here/");
    assert_eq!(ok(&urls, "slashes", &[], &[]), "/%2F/x/");
}

#[test]
fn script_prefix_query_and_fragment() {
    let urls = urls();
    assert_eq!(
        urls.reverse_with("dup")
            .script_prefix("/pre fix")
            .build()
            .unwrap(),
        "/pre%20fix/plain/same/"
    );
    assert_eq!(
        urls.reverse_with("m1:d")
            .kwarg("pk", 4)
            .script_prefix("/pre fix/")
            .build()
            .unwrap(),
        "/pre%20fix/a1/d/4/"
    );
    // An empty query adds nothing; an empty fragment adds '#'.
    let empty: [(&str, &str); 0] = [];
    assert_eq!(
        urls.reverse_with("dup")
            .query(empty)
            .fragment("")
            .build()
            .unwrap(),
        "/plain/same/#"
    );
    assert_eq!(
        urls.reverse_with("dup")
            .query_string("a=1&b=2")
            .build()
            .unwrap(),
        "/plain/same/?a=1&b=2"
    );
    assert_eq!(
        urls.reverse_with("dup")
            .query([("k y", "é&=")])
            .build()
            .unwrap(),
        "/plain/same/?k+y=%C3%A9%26%3D"
    );
}

#[test]
fn mixing_args_and_kwargs() {
    let urls = urls();
    assert_eq!(
        err(&urls, "dup", &[i(1)], &[("a", i(1))]),
        "Don't mix *args and **kwargs in call to reverse()!"
    );
    // Repeated keyword arguments: the last value wins (Python dict).
    let u = urls
        .reverse_with("plain-p")
        .kwarg("s", "a")
        .kwarg("s", "b")
        .build();
    assert_eq!(u.unwrap(), "/plain/p/b/");
}

#[test]
fn values_and_converters() {
    let urls = Urls::new([
        path("u/<uuid:u>/", v()).name("uuid"),
        path("p/<path:p>", v()).name("path"),
        re_path(r"^opaque/(?P<x>[a-z]+)/$", v()).name("opaque"),
    ])
    .unwrap();
    let id: uuid::Uuid = "12345678-1234-5678-1234-567812345678".parse().unwrap();
    assert_eq!(ok(&urls, "uuid", &[id.into()], &[]), format!("/u/{id}/"));
    assert!(urls
        .reverse_with("uuid")
        .arg(s("12345678-1234-5678-1234-56781234567A"))
        .build()
        .is_err());
    assert_eq!(ok(&urls, "path", &[s("a/b c")], &[]), "/p/a/b%20c");
    assert_eq!(
        err(&urls, "opaque", &[], &[("x", Value::any(1u8))]),
        r"Reverse for 'opaque' with keyword arguments '{'x': <object>}' not found. 1 pattern(s) tried: ['opaque/(?P<x>[a-z]+)/$']"
    );
}

struct FourDigitYear;

impl nuages::urls::Converter for FourDigitYear {
    fn regex(&self) -> &str {
        "[0-9]{4}"
    }
    fn to_rust(&self, s: &str) -> Result<Value, nuages::urls::ConversionError> {
        s.parse()
            .map(Value::Int)
            .map_err(|_| nuages::urls::ConversionError::new("year"))
    }
    fn to_url(&self, v: &Value) -> Result<String, nuages::urls::ConversionError> {
        v.as_int()
            .map(|n| format!("{n:04}"))
            .ok_or_else(|| nuages::urls::ConversionError::new("not an int"))
    }
}

/// Converters of every include level apply when reversing inside namespaces.
#[test]
fn namespace_converters_and_empty_prefix() {
    let urls = Urls::builder()
        .register_converter("yyyy", FourDigitYear)
        .build([
            path(
                "",
                include([path("x/<int:n>/", v()).name("x")]).app_name("e"),
            ),
            path(
                "ns/<yyyy:a>/",
                include([
                    path("mid/<yyyy:y>/", include([path("leaf/", v()).name("leaf")])),
                    path(
                        "deep/<yyyy:z>/",
                        include([path("end/", v()).name("end")]).app_name("d"),
                    ),
                ])
                .app_name("n"),
            ),
            re_path(
                r"^(?P<lang>[a-z]{2})/",
                include([re_path(r"^p/(?P<id>[0-9]+)/$", v()).name("p")]).app_name("l"),
            ),
        ])
        .unwrap();
    assert_eq!(ok(&urls, "e:x", &[], &[("n", i(1))]), "/x/1/");
    assert_eq!(
        ok(&urls, "n:leaf", &[], &[("a", i(1)), ("y", i(24))]),
        "/ns/0001/mid/0024/leaf/"
    );
    assert_eq!(
        ok(&urls, "n:d:end", &[], &[("a", i(5)), ("z", i(7))]),
        "/ns/0005/deep/0007/end/"
    );
    assert_eq!(
        ok(&urls, "l:p", &[], &[("lang", s("fr")), ("id", i(3))]),
        "/fr/p/3/"
    );

    let m = urls.resolve("/fr/p/3/").unwrap();
    assert_eq!(m.route(), "^(?P<lang>[a-z]{2})/p/(?P<id>[0-9]+)/$");
    assert_eq!(m.view_name(), "l:p");
    assert_eq!(
        m.kwargs.iter().collect::<Vec<_>>(),
        vec![("lang", &s("fr")), ("id", &s("3"))]
    );
    let m = urls.resolve("/ns/0001/deep/0007/end/").unwrap();
    assert_eq!(
        (m.route(), m.view_name()),
        ("ns/<yyyy:a>/deep/<yyyy:z>/end/", "n:d:end".to_string())
    );
    assert!(m.captured_kwargs().is_empty());
    assert_eq!(m.kwarg("a"), Some(&i(1)));
}

#[test]
fn urls_is_shareable() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Urls>();
    let urls = urls();
    let clone = urls.clone();
    let handle = std::thread::spawn(move || clone.reverse("dup").unwrap());
    assert_eq!(handle.join().unwrap(), ok(&urls, "dup", &[], &[]));
}
