//! `django.utils.cache`, the vary decorators, `cache_page` and the cache middleware against
//! vectors from Django 5.2 (`tests/data/cache_vectors.json`, made by `cache_vectors.py`).
//!
//! The middleware scenarios run the same views, with the same request sequences, through a
//! real [`App`] and the test [`Client`]: statuses, contents (each view counts its calls, so a
//! hit shows as a repeated count), headers and the number of entries in each cache after
//! each request must match Django's (`Expires` is only checked
//! to be an HTTP date, headers are compared as sorted lists). A last test runs the middleware
//! on Redis when `NUAGES_TEST_REDIS_URL` is set.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use http::{header::VARY, HeaderMap, HeaderValue, Method, StatusCode};
use nuages::core::cache::{Cache, CacheConfig, Caches, LocMemCache, RedisCache, Timeout};
use nuages::middleware::cache::{CacheMiddleware, FetchFromCacheMiddleware, UpdateCacheMiddleware};
use nuages::test::{Client, RequestFactory, TestResponse};
use nuages::urls::{path, UrlEntry};
use nuages::utils::cache::{
    generate_cache_header_key, get_cache_key, get_max_age, learn_cache_key, patch_vary_headers,
};
use nuages::utils::http::parse_http_date_safe;
use nuages::views::decorators::cache::{cache_page, CachePage};
use nuages::views::decorators::vary::{vary_on_cookie, vary_on_headers};
use nuages::{App, HttpRequest, HttpResponse, Settings};
use serde_json::Value as Json;

fn vectors() -> Json {
    support::data("cache_vectors.json")
}

fn opt_str(v: &Json) -> Option<&str> {
    v.as_str()
}

fn strings(v: &Json) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn patch_vary_headers_matches_django() {
    let v = vectors();
    let cases = v["patch_vary_headers"].as_array().expect("cases");
    assert_eq!(cases.len(), 16);
    for case in cases {
        let mut headers = HeaderMap::new();
        if let Some(initial) = opt_str(&case["initial"]) {
            headers.insert(VARY, HeaderValue::from_str(initial).expect("value"));
        }
        let new = strings(&case["new"]);
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        patch_vary_headers(&mut headers, &new).expect("patch");
        assert_eq!(
            headers[VARY],
            case["vary"].as_str().expect("vary"),
            "{case}"
        );
    }
}

#[tokio::test]
async fn vary_decorators_match_django() {
    let v = vectors();
    let cases = v["vary_decorators"].as_array().expect("cases");
    assert_eq!(cases.len(), 6);
    for case in cases {
        let initial = opt_str(&case["initial"]).map(str::to_owned);
        let view = move |_: HttpRequest| {
            let mut r = HttpResponse::new("v");
            if let Some(i) = &initial {
                r.set_header("Vary", i.as_str()).expect("header");
            }
            r
        };
        let decorated = if case["headers"].is_null() {
            vary_on_cookie(view)
        } else {
            let headers = strings(&case["headers"]);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            vary_on_headers(&headers, view)
        };
        let r = decorated
            .call(RequestFactory::new().get("/").build())
            .await
            .expect("response");
        assert_eq!(
            r.header("vary").as_deref(),
            opt_str(&case["vary"]),
            "{case}"
        );
    }
}

#[test]
fn get_max_age_matches_django() {
    let v = vectors();
    let cases = v["get_max_age"].as_array().expect("cases");
    assert_eq!(cases.len(), 17);
    for case in cases {
        let mut headers = HeaderMap::new();
        if let Some(cc) = opt_str(&case["cache_control"]) {
            headers.insert(
                http::header::CACHE_CONTROL,
                HeaderValue::from_str(cc).expect("value"),
            );
        }
        assert_eq!(get_max_age(&headers), case["max_age"].as_i64(), "{case}");
    }
}

/// The case's request, without a Cookie header unless it has cookies (as the generator).
fn key_request(case: &Json) -> HttpRequest {
    let method =
        Method::from_bytes(case["method"].as_str().expect("method").as_bytes()).expect("method");
    let mut f = RequestFactory::with_settings(Settings {
        allowed_hosts: vec!["*".into()],
        ..Settings::default()
    })
    .request(method, case["url"].as_str().expect("url"));
    if let Some(headers) = case["headers"].as_object() {
        for (k, value) in headers {
            let value = value.as_str().expect("header value");
            // Latin-1 text: the header's bytes.
            let bytes: Vec<u8> = value.chars().map(|c| c as u32 as u8).collect();
            f = f.header_bytes(k, &bytes);
        }
    }
    if let Some(cookies) = opt_str(&case["cookies"]) {
        f = f.header("Cookie", cookies);
    }
    if let Some(host) = opt_str(&case["host"]) {
        f = f.header("Host", host);
    }
    if case["secure"].as_bool() == Some(true) {
        f = f.secure(true);
    }
    f.build()
}

#[tokio::test]
async fn cache_keys_match_django() {
    let v = vectors();
    let cases = v["cache_keys"].as_array().expect("cases");
    assert_eq!(cases.len(), 16);
    for case in cases {
        let cache = LocMemCache::private();
        let request = key_request(case);
        let prefix = Some(case["prefix"].as_str().expect("prefix"));
        let mut response = HttpResponse::new("x");
        if let Some(vary) = opt_str(&case["vary"]) {
            response.set_header("Vary", vary).expect("vary");
        }
        let name = &case["name"];
        let before = get_cache_key(&request, prefix, &Method::GET, Some(&cache))
            .await
            .expect("before");
        assert_eq!(before.as_deref(), opt_str(&case["before"]), "{name}");
        let learned = learn_cache_key(&request, &response, Some(60), prefix, Some(&cache))
            .await
            .expect("learn");
        assert_eq!(
            learned,
            case["learned"].as_str().expect("learned"),
            "{name}"
        );
        let header_key = generate_cache_header_key(case["prefix"].as_str().unwrap_or(""), &request)
            .expect("key");
        assert_eq!(
            header_key,
            case["header_key"].as_str().expect("header_key"),
            "{name}"
        );
        assert_eq!(
            cache.get(&header_key, None).await.expect("get"),
            Some(case["headerlist"].clone()),
            "{name}"
        );
        for (method, field) in [(Method::GET, "get_key"), (Method::HEAD, "head_key")] {
            let key = get_cache_key(&request, prefix, &method, Some(&cache))
                .await
                .expect("key");
            assert_eq!(key.as_deref(), opt_str(&case[field]), "{name} {field}");
        }
    }
}

// ===== the middleware =====

type Calls = Arc<Mutex<HashMap<&'static str, usize>>>;

fn count(calls: &Calls, name: &'static str) -> String {
    let mut calls = calls.lock().unwrap_or_else(|e| e.into_inner());
    let n = calls.entry(name).or_insert(0);
    *n += 1;
    format!("{name}:{n}")
}

/// A view answering `name:<count>`, then changed by `finish`.
fn counted(
    calls: &Calls,
    name: &'static str,
    finish: fn(HttpResponse) -> HttpResponse,
) -> impl Fn(HttpRequest) -> HttpResponse + Send + Sync + 'static {
    let calls = Arc::clone(calls);
    move |_| finish(HttpResponse::new(count(&calls, name)))
}

fn with(name: &'static str, value: &'static str) -> impl Fn(HttpResponse) -> HttpResponse {
    move |r| r.with_header(name, value)
}

/// The generator's urlpatterns.
fn urls(calls: &Calls) -> Vec<UrlEntry> {
    let id: fn(HttpResponse) -> HttpResponse = |r| r;
    let streaming = {
        let calls = Arc::clone(calls);
        move |_: HttpRequest| {
            HttpResponse::streaming_iter(vec![nuages::Bytes::from(count(&calls, "stream"))])
        }
    };
    let cp_prefix = {
        let calls = Arc::clone(calls);
        CachePage::new(30)
            .key_prefix("pfx")
            .cache("other")
            .decorate(move |_: HttpRequest| HttpResponse::new(count(&calls, "cp_prefix")))
    };
    vec![
        path("plain/", counted(calls, "plain", id)),
        path(
            "vary_lang/",
            counted(calls, "vary_lang", |r| with("Vary", "Accept-Language")(r)),
        ),
        path(
            "cookie_vary/",
            counted(calls, "cookie_vary", |r| {
                let mut r = r.with_header("Vary", "Cookie");
                r.set_cookie(nuages::http::cookie::SetCookie::new("c", "1"))
                    .expect("cookie");
                r
            }),
        ),
        path(
            "cookie_novary/",
            counted(calls, "cookie_novary", |mut r| {
                r.set_cookie(nuages::http::cookie::SetCookie::new("c", "1"))
                    .expect("cookie");
                r
            }),
        ),
        path(
            "vary_cookie_only/",
            counted(calls, "vary_cookie_only", |r| with("Vary", "Cookie")(r)),
        ),
        path(
            "private/",
            counted(calls, "private", |r| with("Cache-Control", "private")(r)),
        ),
        path(
            "no_store/",
            counted(calls, "no_store", |r| {
                with("Cache-Control", "max-age=60, no-store")(r)
            }),
        ),
        path(
            "max_age_0/",
            counted(calls, "max_age_0", |r| {
                with("Cache-Control", "max-age=0")(r)
            }),
        ),
        path(
            "max_age_30/",
            counted(calls, "max_age_30", |r| {
                with("Cache-Control", "public, max-age=30")(r)
            }),
        ),
        path(
            "expires_set/",
            counted(calls, "expires_set", |r| {
                with("Expires", "Sun, 06 Nov 1994 08:49:37 GMT")(r)
            }),
        ),
        path(
            "not_found/",
            counted(calls, "not_found", |r| r.with_status(StatusCode::NOT_FOUND)),
        ),
        path(
            "redirect/",
            counted(calls, "redirect", |r| {
                r.with_status(StatusCode::FOUND)
                    .with_header("Location", "/elsewhere/")
            }),
        ),
        path("star/", counted(calls, "star", |r| with("Vary", "*")(r))),
        path("post/", counted(calls, "post", id)),
        path("stream/", streaming),
        path("not_modified/", |_: HttpRequest| {
            HttpResponse::not_modified()
        }),
        path("cp_plain/", cache_page(45, counted(calls, "cp_plain", id))),
        path(
            "cp_max_age/",
            cache_page(
                20,
                counted(calls, "cp_max_age", |r| {
                    with("Cache-Control", "max-age=3600")(r)
                }),
            ),
        ),
        path("cp_prefix/", cp_prefix),
    ]
}

/// An application for one scenario, on caches of its own (fresh LOCATIONs).
fn scenario_app(scenario: &Json, run: usize, calls: &Calls) -> App {
    let mut settings = Settings {
        secret_key: "x".into(),
        allowed_hosts: vec!["*".into()],
        caches: Caches::new(CacheConfig::locmem(format!("golden-{run}-default")))
            .with("other", CacheConfig::locmem(format!("golden-{run}-other"))),
        ..Settings::default()
    };
    if let Some(s) = scenario["settings"].as_object() {
        for (k, v) in s {
            match k.as_str() {
                "CACHE_MIDDLEWARE_SECONDS" => {
                    settings.cache_middleware_seconds = v.as_i64().expect("seconds")
                }
                "CACHE_MIDDLEWARE_KEY_PREFIX" => {
                    settings.cache_middleware_key_prefix = v.as_str().expect("prefix").into()
                }
                "CACHE_MIDDLEWARE_ALIAS" => {
                    settings.cache_middleware_alias = v.as_str().expect("alias").into()
                }
                other => panic!("unknown setting {other}"),
            }
        }
    }
    let mut builder = App::builder().settings(settings);
    for m in strings(&scenario["middleware"]) {
        builder = match m.as_str() {
            "UpdateCacheMiddleware" => builder.middleware(UpdateCacheMiddleware::new()),
            "FetchFromCacheMiddleware" => builder.middleware(FetchFromCacheMiddleware::new()),
            "CacheMiddleware" => builder.middleware(CacheMiddleware::new()),
            other => panic!("unknown middleware {other}"),
        };
    }
    builder.urls(urls(calls)).build().expect("app")
}

/// Headers as sorted `(lower-case name, value)`, `Expires` checked and replaced.
fn header_list(r: &TestResponse) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = r
        .headers()
        .iter()
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
            if k == http::header::EXPIRES {
                assert!(parse_http_date_safe(&v).is_some(), "Expires {v}");
                (k.as_str().to_owned(), "<http date>".to_owned())
            } else {
                (k.as_str().to_owned(), v)
            }
        })
        .collect();
    out.sort();
    out
}

fn expected_headers(response: &Json) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = response["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().expect("name").to_ascii_lowercase(),
                pair[1].as_str().expect("value").to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn middleware_matches_django() {
    let v = vectors();
    let scenarios = v["middleware"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), 19);
    let mut checked = 0;
    for (run, scenario) in scenarios.iter().enumerate() {
        let calls = Calls::default();
        let app = scenario_app(scenario, run, &calls);
        let name = scenario["name"].as_str().expect("name");
        let store =
            |alias: &str| LocMemCache::new(&CacheConfig::locmem(format!("golden-{run}-{alias}")));
        for (i, step) in scenario["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .enumerate()
        {
            if let Some(alias) = opt_str(&step["clear"]) {
                store(alias).clear_sync();
                continue;
            }
            // A client per request: no cookie jar between requests, as in the generator; the
            // generator's RequestFactory keeps the body of HEAD responses.
            let client = Client::new(app.clone()).conditional_content_removal(false);
            let method =
                Method::from_bytes(step["method"].as_str().expect("m").as_bytes()).expect("method");
            let mut req = client.request(method, step["url"].as_str().expect("url"));
            if let Some(h) = step["headers"].as_object() {
                for (k, value) in h {
                    req = req.header(k, value.as_str().expect("value"));
                }
            }
            if let Some(c) = opt_str(&step["cookies"]) {
                req = req.header("Cookie", c);
            }
            let r = req.send().await;
            let expected = &step["response"];
            let what = format!("{name} #{i} {} {}", step["method"], step["url"]);
            assert_eq!(
                u64::from(r.status()),
                expected["status"].as_u64().expect("s"),
                "{what}"
            );
            assert_eq!(
                r.text(),
                expected["content"].as_str().expect("content"),
                "{what}"
            );
            let mut got = header_list(&r);
            // Set-Cookie lines come from the jar in Django's record.
            got.retain(|(k, _)| k != "set-cookie");
            for c in r.set_cookies() {
                got.push(("set-cookie".into(), c.clone()));
            }
            got.sort();
            let mut expected_headers = expected_headers(expected);
            if r.status() == 304 {
                // nuages sends no Content-Type on a 304 whatever the view set (not the cache
                // middleware's doing: it only adds Expires and Cache-Control here).
                expected_headers.retain(|(k, _)| k != "content-type");
            }
            // Age depends on the clock: a fresh hit is 0 (1 when a second boundary falls in
            // between), and one computed from a fixed past Expires grows: ours is later.
            let age = |h: &mut Vec<(String, String)>| {
                let i = h.iter().position(|(k, _)| k == "age")?;
                h.remove(i).1.parse::<i64>().ok()
            };
            let (ours, theirs) = (age(&mut got), age(&mut expected_headers));
            match theirs {
                None => assert_eq!(ours, None, "{what}: Age"),
                Some(0 | 1) => assert!(ours.is_some_and(|o| (0..=2).contains(&o)), "{what}: Age"),
                Some(t) => assert!(ours.is_some_and(|o| o >= t), "{what}: Age {ours:?} < {t}"),
            }
            assert_eq!(got, expected_headers, "{what}");
            for alias in ["default", "other"] {
                assert_eq!(
                    store(alias).len() as u64,
                    step["cache_sizes"][alias].as_u64().expect("size"),
                    "{what}: entries in {alias}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 133);
}

#[tokio::test]
async fn an_unknown_alias_stops_the_build() {
    let err = App::builder()
        .settings(Settings {
            debug: true,
            cache_middleware_alias: "nope".into(),
            ..Settings::default()
        })
        .middleware(CacheMiddleware::new())
        .urls([path("", |_: HttpRequest| HttpResponse::new("x"))])
        .build();
    let Err(err) = err else {
        panic!("the build should fail");
    };
    assert!(
        err.to_string()
            .contains("The connection 'nope' doesn't exist."),
        "{err}"
    );
}

#[tokio::test]
async fn cached_responses_keep_cookies_status_reason_and_bytes() {
    let cache: Arc<dyn Cache> = Arc::new(LocMemCache::private());
    let app = App::builder()
        .settings(Settings {
            debug: true,
            allowed_hosts: vec!["testserver".into()],
            ..Settings::default()
        })
        .middleware(CacheMiddleware::new().cache(Arc::clone(&cache)))
        .urls([path("", |_: HttpRequest| {
            let mut r = HttpResponse::new(&b"\x00\xffbin"[..])
                .with_reason_phrase("Fine")
                .with_header("X-Bytes", "caf\u{e9}");
            r.set_cookie(
                nuages::http::cookie::SetCookie::new("k", "a b")
                    .httponly(true)
                    .max_age(60),
            )
            .expect("cookie");
            r
        })])
        .build()
        .expect("app");
    let first = Client::new(app.clone()).get("/").send().await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.header("age"), None);
    let second = Client::new(app).get("/").send().await;
    assert!(matches!(second.header("age"), Some("0" | "1"))); // 1 across a second boundary
    assert_eq!(second.content(), b"\x00\xffbin");
    assert_eq!(second.set_cookies(), first.set_cookies());
    assert_eq!(
        second.headers()["x-bytes"].as_bytes(),
        first.headers()["x-bytes"].as_bytes()
    );
    // A value that is not a cached response is a miss.
    cache.clear().await.expect("clear");
    assert!(!cache.has_key("x", None).await.expect("has_key"));
    cache
        .set("x", &Json::from(1), Timeout::Forever, None)
        .await
        .expect("set");
    assert!(nuages::middleware::cache::response_from_cache(&Json::from(1)).is_none());
}

#[tokio::test]
async fn middleware_on_redis() {
    let Some(url) = support_redis_url("middleware_on_redis") else {
        return;
    };
    let config = CacheConfig {
        key_prefix: format!("cache-golden-{}", std::process::id()),
        ..CacheConfig::redis(url)
    };
    let settings = Settings {
        debug: true,
        allowed_hosts: vec!["testserver".into()],
        caches: Caches::new(config.clone()),
        ..Settings::default()
    };
    let calls = Calls::default();
    let app = App::builder()
        .settings(settings.clone())
        .middleware(UpdateCacheMiddleware::new())
        .middleware(FetchFromCacheMiddleware::new())
        .urls(urls(&calls))
        .build()
        .expect("app");
    let first = Client::new(app.clone())
        .get("/vary_lang/")
        .header("Accept-Language", "fr")
        .send()
        .await;
    let second = Client::new(app.clone())
        .get("/vary_lang/")
        .header("Accept-Language", "fr")
        .send()
        .await;
    let other = Client::new(app)
        .get("/vary_lang/")
        .header("Accept-Language", "de")
        .send()
        .await;
    assert_eq!(first.text(), "vary_lang:1");
    assert_eq!(second.text(), "vary_lang:1");
    assert!(matches!(second.header("age"), Some("0" | "1"))); // 1 across a second boundary
    assert_eq!(other.text(), "vary_lang:2");
    // The header list is stored as Django stores it: a pickled list of strings.
    let redis = RedisCache::from_config(&settings, &config).expect("redis");
    let request = RequestFactory::new().get("/vary_lang/").build();
    let header_key = generate_cache_header_key("", &request).expect("key");
    assert_eq!(
        Cache::get(&redis, &header_key, None).await.expect("get"),
        Some(serde_json::json!(["HTTP_ACCEPT_LANGUAGE"]))
    );
    // Clean up: the page keys (found through the header list), then the header list.
    for k in ["fr", "de"] {
        let r = RequestFactory::new()
            .get("/vary_lang/")
            .header("Accept-Language", k)
            .build();
        let key = get_cache_key(&r, Some(""), &Method::GET, Some(&redis))
            .await
            .expect("page key")
            .expect("a key");
        assert!(Cache::delete(&redis, &key, None).await.expect("delete"));
    }
    assert!(Cache::delete(&redis, &header_key, None)
        .await
        .expect("delete"));
}

/// `NUAGES_TEST_REDIS_URL`, or a printed skip notice.
fn support_redis_url(test: &str) -> Option<String> {
    let url = std::env::var("NUAGES_TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        println!("SKIPPED {test}: NUAGES_TEST_REDIS_URL is not set (Redis tests skipped)");
    }
    url
}

#[tokio::test]
async fn cache_page_renders_and_stores_a_lazy_template_response() {
    use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
    use nuages::template::{response::TemplateResponse, Context, Engines};
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("t.html"), "n={{ n }}").expect("template");
    let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).expect("e");
    let calls = Calls::default();
    let counter = Arc::clone(&calls);
    let view = cache_page(90, move |_: HttpRequest| {
        let n = count(&counter, "t");
        TemplateResponse::simple(&engines, "t.html", Context::new().with("n", n))
            .into_lazy_response()
    });
    let get = || RequestFactory::new().get("/lazy-template-page/").build();
    let first = view.call(get()).await.expect("first");
    assert_eq!(first.content().unwrap(), b"n=t:1");
    assert_eq!(first.header("cache-control").as_deref(), Some("max-age=90"));
    let second = view.call(get()).await.expect("second");
    assert_eq!(second.content().unwrap(), b"n=t:1");
    assert!(matches!(second.header("age").as_deref(), Some("0" | "1"))); // 1 across a second boundary
}
