//! The system checks run by `App::builder().build()` (↔ `django.core.checks`): each message
//! as Django (or, for the 900 ids, nuages) words it, when it fires and when it does not,
//! silencing, and the configuration errors that name their fix (the start-up log:
//! `tests/checks_log.rs`).

mod support;

#[allow(dead_code)]
#[path = "../../../examples/notes_site/main.rs"]
mod notes_site;

use nuages::core::checks::{self, CheckMessage, Level};
use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
use nuages::urls::{include, path, re_path, UrlEntry, Urls};
use nuages::views::ViewFn;
use nuages::{App, HttpRequest, HttpResponse, Settings};

fn v() -> ViewFn {
    ViewFn::named("t_checks.v")
}

fn dev() -> Settings {
    Settings {
        debug: true,
        ..Settings::default()
    }
}

/// The `Display` of every message of the URLconf's checks, with Django's default settings.
fn url_messages(entries: Vec<UrlEntry>) -> Vec<String> {
    Urls::new(entries)
        .unwrap()
        .check(&Settings::default())
        .iter()
        .map(ToString::to_string)
        .collect()
}

// ===== urls.W005 =====

#[test]
fn duplicate_namespace_is_w005() {
    let polls = || include([path("", v()).name("index")]).app_name("polls");
    assert_eq!(
        url_messages(vec![
            path("polls/", polls()),
            path("old/", polls()),
            path("older/", polls()),
        ]),
        ["?: (urls.W005) URL namespace 'polls' isn't unique. You may not be able to reverse all \
          URLs in this namespace\n\tHINT: Give each include() its own instance namespace with \
          .namespace(\"…\")."]
    );
    // Explicit instance namespaces colliding count too.
    let m = Urls::new([
        path("a/", include([path("", v())]).app_name("a").namespace("x")),
        path("b/", include([path("", v())]).app_name("b").namespace("x")),
    ])
    .unwrap()
    .check(&Settings::default());
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].level, Level::Warning);
    assert_eq!(m[0].id.as_deref(), Some("urls.W005"));
    assert!(m[0].msg.starts_with("URL namespace 'x' isn't unique."));
}

#[test]
fn nested_namespaces_are_joined() {
    let inner = || include([path("", v()).name("i")]).app_name("inner");
    // `outer:inner` twice inside one outer include, and `inner` once at the root: only the
    // nested path repeats.
    let m = url_messages(vec![
        path(
            "o/",
            include([path("a/", inner()), path("b/", inner())]).app_name("outer"),
        ),
        path("i/", inner()),
    ]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("?: (urls.W005) URL namespace 'outer:inner' isn't unique."));
    // A non-namespaced include in between adds nothing to the path.
    let m = url_messages(vec![
        path("x/", include([path("a/", inner())])),
        path("y/", include([path("b/", inner())])),
    ]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("?: (urls.W005) URL namespace 'inner' isn't unique."));
}

// ===== urls.W900 =====

#[test]
fn duplicate_name_with_same_arguments_is_w900() {
    assert_eq!(
        url_messages(vec![
            path("articles/<int:pk>/", v()).name("detail"),
            path("posts/<int:pk>/", v()).name("detail"),
        ]),
        [
            "?: (urls.W900) URL name 'detail' is used by 'articles/<int:pk>/' and again by \
          'posts/<int:pk>/', which takes the same arguments: reverse() always finds the later \
          pattern, so 'articles/<int:pk>/' can never be reversed.\n\
          \tHINT: Rename one of them or remove the duplicate."
        ]
    );
    // It is indeed the later one that reverse() finds.
    let urls = Urls::new([
        path("articles/<int:pk>/", v()).name("detail"),
        path("posts/<int:pk>/", v()).name("detail"),
    ])
    .unwrap();
    assert_eq!(
        nuages::reverse!(urls, "detail", pk = 1).unwrap(),
        "/posts/1/"
    );
    assert_eq!(nuages::reverse!(urls, "detail", 1).unwrap(), "/posts/1/");
}

#[test]
fn duplicate_name_names_the_winner_and_the_namespace() {
    let blog = include([
        path("a/", v()).name("home"),
        path("b/", v()).name("home"),
        path("c/", v()).name("home"),
    ])
    .app_name("blog");
    let m = url_messages(vec![path("blog/", blog)]);
    assert_eq!(m.len(), 2, "{m:?}");
    // Both earlier patterns lose to the last one; routes are full, names namespaced.
    assert!(
        m[0].starts_with(
            "?: (urls.W900) URL name 'blog:home' is used by 'blog/a/' and again by 'blog/c/',"
        ),
        "{}",
        m[0]
    );
    assert!(
        m[1].starts_with(
            "?: (urls.W900) URL name 'blog:home' is used by 'blog/b/' and again by 'blog/c/',"
        ),
        "{}",
        m[1]
    );
}

#[test]
fn duplicate_name_across_non_namespaced_includes() {
    // The shared test URLconf: `dup/` is shadowed by `plain/` + `same/` (Django reverses
    // 'dup' to '/plain/same/'), and `//x/` starts with a slash.
    let urls = Urls::new(support::urls::urlconf()).unwrap();
    assert_eq!(nuages::reverse!(urls, "dup").unwrap(), "/plain/same/");
    let m: Vec<String> = urls
        .check(&Settings::default())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        m,
        [
            "?: (urls.W002) Your URL pattern '//x/' [name='slashes'] has a route beginning with \
             a '/'. Remove this slash as it is unnecessary. If this pattern is targeted in an \
             include(), ensure the include() pattern has a trailing '/'.",
            "?: (urls.W900) URL name 'dup' is used by 'dup/' and again by 'plain/same/', which \
             takes the same arguments: reverse() always finds the later pattern, so 'dup/' can \
             never be reversed.\n\tHINT: Rename one of them or remove the duplicate.",
        ]
    );
    // Captures of a non-namespaced include count as arguments.
    let m = url_messages(vec![
        path("a/<int:x>/", include([path("", v()).name("n")])),
        path("b/<int:x>/", v()).name("n"),
    ]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("'a/<int:x>/' and again by 'b/<int:x>/'"),
        "{}",
        m[0]
    );
}

#[test]
fn duplicate_name_with_different_arguments_is_fine() {
    let cases: Vec<Vec<UrlEntry>> = vec![
        // Different parameters.
        vec![
            path("articles/", v()).name("list"),
            path("articles/<int:year>/", v()).name("list"),
            path("articles/<int:year>/<int:month>/", v()).name("list"),
        ],
        // Same parameter, other converters: reverse() picks by value.
        vec![
            path("n/<int:x>/", v()).name("n"),
            path("s/<slug:x>/", v()).name("n"),
        ],
        // Same parameters in another order: positional reverse() tells them apart.
        vec![
            path("<int:a>/<slug:b>/", v()).name("ab"),
            path("<slug:b>/<int:a>/", v()).name("ab"),
        ],
        // Different extra kwargs.
        vec![
            path("rss/", v()).name("feed").kwargs([("format", "rss")]),
            path("atom/", v()).name("feed").kwargs([("format", "atom")]),
        ],
        // Regex groups with other patterns.
        vec![
            re_path(r"^y/(?P<y>[0-9]{4})/$", v()).name("y"),
            re_path(r"^y/(?P<y>[a-z]+)/$", v()).name("y"),
        ],
        // An optional group gives two ways to reverse: not compared.
        vec![
            re_path(r"^p/(?:(?P<page>[0-9]+)/)?$", v()).name("p"),
            re_path(r"^q/(?:(?P<page>[0-9]+)/)?$", v()).name("p"),
        ],
        // Different namespaces.
        vec![
            path("a/", include([path("", v()).name("i")]).app_name("a")),
            path("b/", include([path("", v()).name("i")]).app_name("b")),
            path("", v()).name("i"),
        ],
        // Unnamed patterns.
        vec![path("a/", v()), path("b/", v())],
    ];
    for entries in cases {
        let m = url_messages(entries);
        assert!(m.is_empty(), "{m:?}");
    }
}

#[test]
fn duplicate_regex_names_with_same_groups() {
    let m = url_messages(vec![
        re_path(r"^repos/([0-9]+)/$", v()).name("repo"),
        re_path(r"^r/([0-9]+)/$", v()).name("repo"),
    ]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("'^repos/([0-9]+)/$' and again by '^r/([0-9]+)/$'"),
        "{}",
        m[0]
    );
}

// ===== pattern checks =====

#[test]
fn route_beginning_with_slash_is_w002() {
    assert_eq!(
        url_messages(vec![path("/about/", v()).name("about")]),
        [
            "?: (urls.W002) Your URL pattern '/about/' [name='about'] has a route beginning with \
          a '/'. Remove this slash as it is unnecessary. If this pattern is targeted in an \
          include(), ensure the include() pattern has a trailing '/'."
        ]
    );
    assert_eq!(
        url_messages(vec![re_path(r"^/about/$", v())]),
        [
            "?: (urls.W002) Your URL pattern '^/about/$' has a route beginning with a '/'. Remove \
          this slash as it is unnecessary. If this pattern is targeted in an include(), ensure \
          the include() pattern has a trailing '/'."
        ]
    );
    // An include's route ending with '/' is fine (Django looks at the regex `^/api/`).
    assert!(url_messages(vec![path("/api/", include([path("x/", v())]))]).is_empty());
    // Skipped without APPEND_SLASH.
    let urls = Urls::new([path("/about/", v())]).unwrap();
    let no_slash = Settings {
        append_slash: false,
        ..Settings::default()
    };
    assert!(urls.check(&no_slash).is_empty());
}

#[test]
fn include_regex_ending_with_dollar_is_w001() {
    assert_eq!(
        url_messages(vec![re_path(r"^api/$", include([path("", v())]))]),
        ["?: (urls.W001) Your URL pattern '^api/$' uses include with a route ending with a '$'. \
          Remove the dollar from the route to avoid problems including URLs."]
    );
    // An escaped dollar is a literal; a view's regex may end with '$'.
    assert!(url_messages(vec![re_path(r"^api\$", include([path("", v())]))]).is_empty());
    assert!(url_messages(vec![re_path(r"^api/$", v())]).is_empty());
    // As in Django, an include's own pattern is only checked when its patterns are clean.
    let m = url_messages(vec![re_path(r"^api/$", include([path("/x", v())]))]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("?: (urls.W002) Your URL pattern '/x' "),
        "{}",
        m[0]
    );
}

#[test]
fn regex_syntax_in_a_route_is_2_0_w001() {
    let expected = |d: &str| {
        format!(
            "?: (2_0.W001) Your URL pattern {d} has a route that contains '(?P<', begins with a \
             '^', or ends with a '$'. This was likely an oversight when migrating to \
             django.urls.path()."
        )
    };
    assert_eq!(
        url_messages(vec![path("^about/", v()).name("about")]),
        [expected("'^about/' [name='about']")]
    );
    assert_eq!(
        url_messages(vec![path("about/$", v())]),
        [expected("'about/$'")]
    );
    assert_eq!(
        url_messages(vec![path("y/(?P<year>[0-9]{4})/", v())]),
        [expected("'y/(?P<year>[0-9]{4})/'")]
    );
    // The same in re_path() is what re_path() is for.
    assert!(url_messages(vec![re_path(r"^about/$", v())]).is_empty());
}

#[test]
fn colon_in_name_is_w003() {
    assert_eq!(
        url_messages(vec![path("a/", v()).name("blog:a")]),
        [
            "?: (urls.W003) Your URL pattern 'a/' [name='blog:a'] has a name including a ':'. \
          Remove the colon, to avoid ambiguous namespace references."
        ]
    );
}

#[test]
fn unmatched_angle_bracket_is_w010() {
    assert_eq!(
        url_messages(vec![path("a/<int:n/", v())]),
        ["?: (urls.W010) Your URL pattern 'a/<int:n/' has an unmatched '<' bracket."]
    );
    assert_eq!(
        url_messages(vec![path("a/int:n>/<x>/>", v())]),
        [
            "?: (urls.W010) Your URL pattern 'a/int:n>/<x>/>' has an unmatched '>' bracket.",
            "?: (urls.W010) Your URL pattern 'a/int:n>/<x>/>' has an unmatched '>' bracket.",
        ]
    );
}

#[test]
fn clean_urlconfs_have_no_messages() {
    let urls = support::urls::golden_urls(v());
    assert!(urls.check(&Settings::default()).is_empty());
    let m = url_messages(vec![
        path("", v()).name("home"),
        path(
            "blog/",
            include([path("<int:pk>/", v()).name("detail")]).app_name("blog"),
        ),
        path(
            "old-blog/",
            include([path("<int:pk>/", v()).name("detail")])
                .app_name("blog")
                .namespace("old-blog"),
        ),
        re_path(r"^archive/(?P<year>[0-9]{4})/$", v()).name("archive"),
    ]);
    assert!(m.is_empty(), "{m:?}");
}

#[test]
fn the_notes_site_example_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let config = notes_site::Config {
        debug: true,
        db: dir.path().join("sessions.sqlite3"),
        secret_key: Some("checks-test-key".into()),
        ..notes_site::Config::default()
    };
    let app = notes_site::app(&config).unwrap();
    assert!(
        app.check_messages().is_empty(),
        "{:?}",
        app.check_messages()
    );
}

// ===== templates.W900 =====

async fn ok(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("ok")
}

#[test]
fn missing_template_dir_warns_and_builds() {
    let root = tempfile::tempdir().unwrap();
    let missing = root.path().join("templates");
    let app = App::builder()
        .settings(dev())
        .templates([EngineConfig::new(Jinja2Backend)
            .name("site")
            .dirs([root.path().to_path_buf(), missing.clone()])])
        .urls([path("", ok)])
        .build()
        .unwrap();
    let m: Vec<String> = app
        .check_messages()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        m,
        [format!(
            "?: (templates.W900) The DIRS entry '{}' of the template engine 'site' does not \
             exist.\n\tHINT: Create it or remove it from DIRS.",
            missing.display()
        )]
    );
}

// ===== urls.E006 =====

#[test]
fn url_settings_without_slash_fail_the_build() {
    let settings = Settings {
        static_url: Some("static".into()),
        ..dev()
    };
    let err = App::builder().settings(settings).build().unwrap_err();
    assert_eq!(
        err.message(),
        "SystemCheckError: System check identified some issues:\n\nERRORS:\n?: (urls.E006) The \
         STATIC_URL setting must end with a slash.\n\nSystem check identified 1 issue (0 \
         silenced)."
    );
    // Silenced, it is no longer fatal (nor shown).
    let settings = Settings {
        static_url: Some("static".into()),
        silenced_system_checks: vec!["urls.E006".into()],
        ..dev()
    };
    let app = App::builder().settings(settings).build().unwrap();
    assert!(app.check_messages().is_empty());
}

// ===== what App::builder().build() does with them =====

#[test]
fn warnings_do_not_fail_the_build() {
    let polls = || include([path("", ok).name("index")]).app_name("polls");
    let app = App::builder()
        .settings(dev())
        .urls([path("/a/", ok), path("p/", polls()), path("q/", polls())])
        .build()
        .unwrap();
    let ids: Vec<Option<&str>> = app
        .check_messages()
        .iter()
        .map(|m| m.id.as_deref())
        .collect();
    assert_eq!(ids, [Some("urls.W002"), Some("urls.W005")]);
    assert!(app.check_messages().iter().all(|m| !m.is_serious()));
}

#[test]
fn silenced_checks_are_left_out() {
    let polls = || include([path("", ok).name("index")]).app_name("polls");
    let urls = || vec![path("/a/", ok), path("p/", polls()), path("q/", polls())];
    let settings = Settings {
        silenced_system_checks: vec!["urls.W005".into()],
        ..dev()
    };
    let app = App::builder()
        .settings(settings)
        .urls(urls())
        .build()
        .unwrap();
    let ids: Vec<Option<&str>> = app
        .check_messages()
        .iter()
        .map(|m| m.id.as_deref())
        .collect();
    assert_eq!(ids, [Some("urls.W002")]);
    // What the server's banner prints after "Performing system checks...".
    let report = app.system_check_report();
    assert!(
        report.starts_with("System check identified some issues:\n\nWARNINGS:\n?: (urls.W002)"),
        "{report}"
    );
    assert!(
        report.ends_with("System check identified 1 issue (1 silenced)."),
        "{report}"
    );
    // From the environment, comma-separated.
    let settings = dev()
        .with_vars(|k| {
            (k == "NUAGES_SILENCED_SYSTEM_CHECKS").then(|| "urls.W002, urls.W005".to_owned())
        })
        .unwrap();
    assert_eq!(settings.silenced_system_checks, ["urls.W002", "urls.W005"]);
    let app = App::builder()
        .settings(settings)
        .urls(urls())
        .build()
        .unwrap();
    assert!(app.check_messages().is_empty());
}

#[test]
fn report_counts_silenced_messages() {
    let messages = [
        CheckMessage::warning("a").id("x.W001"),
        CheckMessage::warning("b").id("x.W002"),
    ];
    assert_eq!(
        checks::report(&messages, &["x.W002".to_owned()]),
        "System check identified some issues:\n\nWARNINGS:\n?: (x.W001) a\n\n\
         System check identified 1 issue (1 silenced)."
    );
}

// ===== the configuration errors name their fix =====

#[test]
fn unknown_converter_names_the_fix() {
    let err = Urls::new([path("t/<tag:t>/", v())]).unwrap_err();
    assert_eq!(
        err.message(),
        "URL route 't/<tag:t>/' uses invalid converter 'tag'. Use one of the registered \
         converters (int, path, slug, str, uuid), or register it first: \
         Urls::builder().register_converter(\"tag\", converter)."
    );
    // Through the application builder too.
    let err = App::builder()
        .settings(dev())
        .urls([path("t/<tag:t>/", ok)])
        .build()
        .unwrap_err();
    assert!(
        err.message().contains("register_converter(\"tag\""),
        "{err}"
    );
}

async fn no_args(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("")
}

async fn two_args(_req: HttpRequest, (a, b): (i64, i64)) -> HttpResponse {
    HttpResponse::new(format!("{a}{b}"))
}

#[test]
fn view_capture_mismatch_names_the_fix() {
    let err = App::builder()
        .settings(dev())
        .urls([path("<int:pk>/", no_args)])
        .build()
        .unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains("of the URL pattern '<int:pk>/' takes no URL arguments"),
        "{msg}"
    );
    assert!(
        msg.ends_with("; add a parameter such as `Kwargs<T>` after the request."),
        "{msg}"
    );
    let err = App::builder()
        .settings(dev())
        .urls([path("<int:a>/", two_args)])
        .build()
        .unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains(
            "takes 2 URL arguments but the route passes 1 (a); take a tuple of 1 or \
                      `Kwargs<T>` with a struct naming them"
        ),
        "{msg}"
    );
}

#[test]
fn missing_secret_key_names_the_fix() {
    let err = App::builder()
        .settings(Settings::default())
        .build()
        .unwrap_err();
    assert_eq!(
        err.message(),
        "The SECRET_KEY setting must not be empty. Set `secret_key` (or NUAGES_SECRET_KEY in the \
         environment) to a long random string, or turn DEBUG on for local development."
    );
}

#[test]
fn unknown_session_engine_names_the_choices() {
    let err = Settings::default()
        .with_vars(|k| (k == "NUAGES_SESSION_ENGINE").then(|| "memcached".to_owned()))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "unknown SESSION_ENGINE \"memcached\" (known: db, cache, cached_db, file, signed_cookies)"
    );
}

#[test]
fn check_messages_display_like_django() {
    let m = CheckMessage::warning("msg").hint("fix").id("urls.W005");
    assert_eq!(m.to_string(), "?: (urls.W005) msg\n\tHINT: fix");
    assert!(m.is_silenced(&["urls.W005".to_owned()]));
    assert!(!m.is_silenced(&["urls.W00".to_owned()]));
}
