//! CommonMiddleware's DISALLOWED_USER_AGENTS and PREPEND_WWW against vectors from Django 5.2
//! (`tests/data/common_vectors.json`, made by `common_vectors.py`: RequestFactory requests through Django's
//! CommonMiddleware with `path("home/")`, PREPEND_WWW and DEBUG overridden per case).

mod support;

use http::Method;
use nuages::middleware::common::CommonMiddleware;
use nuages::test::Client;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Settings};

async fn home(_: HttpRequest) -> HttpResponse {
    HttpResponse::new("home")
}

fn app(prepend_www: bool, debug: bool, agents: &[String]) -> App {
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["*".into()],
            secret_key: "x".into(),
            prepend_www,
            debug,
            disallowed_user_agents: agents.to_vec(),
            ..Settings::default()
        })
        .middleware(CommonMiddleware::new())
        .urls([path("home/", home)])
        .build()
        .expect("app")
}

#[tokio::test]
async fn common_middleware_matches_django() {
    let golden = support::data("common_vectors.json");
    let agents: Vec<String> = serde_json::from_value(golden["disallowed_user_agents"].clone())
        .expect("disallowed_user_agents");
    let cases = golden["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 15);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let method: Method = case["method"]
            .as_str()
            .expect("method")
            .parse()
            .expect("method");
        let app = app(
            case["prepend_www"].as_bool().expect("prepend_www"),
            case["debug"].as_bool().expect("debug"),
            &agents,
        );
        let client = Client::new(app);
        let mut request = client
            .request(method, case["url"].as_str().expect("url"))
            .header("host", case["host"].as_str().expect("host"))
            .secure(case["secure"].as_bool().expect("secure"));
        if let Some(agent) = case["user_agent"].as_str() {
            request = request.header("user-agent", agent);
        }
        let r = request.send().await;
        match case["error"].as_str() {
            Some("PermissionDenied") => assert_eq!(r.status(), 403, "{name}"),
            // Django raises RuntimeError (DEBUG only): the DEBUG 500 page here.
            Some("RuntimeError") => {
                assert_eq!(r.status(), 500, "{name}");
                assert!(r.text().contains("APPEND_SLASH"), "{name}: {}", r.text());
            }
            Some(other) => panic!("{name}: unexpected error kind {other}"),
            None => {
                assert_eq!(
                    u64::from(r.status()),
                    case["status"].as_u64().expect("status"),
                    "{name}"
                );
                assert_eq!(r.header("location"), case["location"].as_str(), "{name}");
                assert_eq!(
                    r.header("content-length"),
                    case["content_length"].as_str(),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn an_invalid_user_agent_pattern_is_a_build_error() {
    let err = App::builder()
        .settings(Settings {
            allowed_hosts: vec!["*".into()],
            secret_key: "x".into(),
            disallowed_user_agents: vec!["(".into()],
            ..Settings::default()
        })
        .middleware(CommonMiddleware::new())
        .urls([path("home/", home)])
        .build()
        .expect_err("invalid regex");
    assert!(err.to_string().contains("DISALLOWED_USER_AGENTS"), "{err}");
}
