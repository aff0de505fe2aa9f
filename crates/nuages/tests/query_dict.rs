//! QueryDict: golden vectors produced by Django 5.2 (tests/data/golden/querydict.json) and
//! unit tests of every method.

mod support;

use base64::Engine as _;
use indexmap::IndexMap;
use nuages::core::exceptions::TooManyFieldsSent;
use nuages::http::query_dict::{ImmutableQueryDict, MultiValueDictKeyError, QueryDict};
use nuages::utils::charset::Charset;
use serde_json::Value;

/// Django's default `DATA_UPLOAD_MAX_NUMBER_FIELDS`, in force for the `parse` cases.
const DJANGO_DEFAULT_MAX_FIELDS: usize = 1000;

fn str_of<'a>(value: &'a Value, what: &str, case: &str) -> &'a str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{case}: {what} is not a string: {value}"))
}

/// Python's `str()` of a JSON scalar (the `build` case appends 1, None and True).
fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        other => panic!("no Python str() for {other}"),
    }
}

fn lists_of(q: &QueryDict) -> Vec<(String, Vec<String>)> {
    q.lists()
        .map(|(key, values)| (key.to_owned(), values.to_vec()))
        .collect()
}

fn expected_lists(value: &Value, case: &str) -> Vec<(String, Vec<String>)> {
    let pairs = value
        .as_array()
        .unwrap_or_else(|| panic!("{case}: lists is not an array"));
    pairs
        .iter()
        .map(|pair| {
            let key = str_of(&pair[0], "key", case).to_owned();
            let values = pair[1]
                .as_array()
                .unwrap_or_else(|| panic!("{case}: bad values"));
            (
                key,
                values
                    .iter()
                    .map(|v| str_of(v, "value", case).to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn check_error(error: &Value, exception: &str, message: &str, case: &str) {
    assert_eq!(error["exception"], exception, "{case}: exception type");
    assert_eq!(error["message"], message, "{case}: exception message");
}

fn check_parse(c: &Value, case: &str) {
    let (q, input_str) = if let Some(encoded) = c.get("input_b64") {
        assert_eq!(c["input_type"], "bytes", "{case}");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(str_of(encoded, "input_b64", case))
            .unwrap_or_else(|e| panic!("{case}: bad base64: {e}"));
        let q = QueryDict::parse_bytes(&raw, None, Some(DJANGO_DEFAULT_MAX_FIELDS))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        (q, None)
    } else if let Some(label) = c.get("encoding") {
        let label = str_of(label, "encoding", case);
        let charset = Charset::from_label(label).unwrap_or_else(|| panic!("{case}: {label}"));
        let input = str_of(&c["input"], "input", case);
        let q = QueryDict::parse_with(input, Some(&charset), Some(DJANGO_DEFAULT_MAX_FIELDS))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            q.encoding().name(),
            label,
            "{case}: encoding name kept as given"
        );
        (q, None)
    } else {
        assert_eq!(c["input_type"], "str", "{case}");
        let input = str_of(&c["input"], "input", case);
        let q = QueryDict::parse_with(input, None, Some(DJANGO_DEFAULT_MAX_FIELDS))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        (q, Some(input))
    };
    assert!(!q.is_mutable(), "{case}: parsed dicts are immutable");
    assert_eq!(
        lists_of(&q),
        expected_lists(&c["lists"], case),
        "{case}: lists"
    );
    assert_eq!(
        q.urlencode(None),
        str_of(&c["urlencode"], "urlencode", case),
        "{case}: urlencode"
    );
    if let Some(input) = input_str {
        assert_eq!(
            QueryDict::parse(input),
            q,
            "{case}: parse() == parse_with()"
        );
        let expected = c["urlencode_safe_slash"].as_str();
        assert_eq!(
            Some(q.urlencode(Some("/")).as_str()),
            expected,
            "{case}: urlencode(safe='/')"
        );
        let dict = c["dict_last_value"]
            .as_object()
            .unwrap_or_else(|| panic!("{case}: dict"));
        assert_eq!(dict.len(), q.len(), "{case}: dict_last_value size");
        for (key, value) in dict {
            let value = str_of(value, "dict_last_value", case);
            assert_eq!(q.getitem(key), Ok(value), "{case}: q[{key:?}]");
            assert_eq!(q.get(key), Some(value), "{case}: q.get({key:?})");
        }
    }
}

fn check_build(c: &Value, case: &str) {
    let mut q = QueryDict::new_mutable();
    for pair in c["appendlist"]
        .as_array()
        .unwrap_or_else(|| panic!("{case}: appendlist"))
    {
        let key = str_of(&pair[0], "key", case);
        q.append_list(key, python_str(&pair[1]))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
    }
    assert_eq!(q.urlencode(None), c["urlencode"], "{case}: urlencode()");
    assert_eq!(
        q.urlencode(Some("/")),
        c["urlencode_safe_slash"],
        "{case}: urlencode('/')"
    );
    assert_eq!(
        q.urlencode(Some("/?:@&=+$,")),
        c["urlencode_safe_all"],
        "{case}: urlencode(safe='/?:@&=+$,')"
    );
}

fn check_fromkeys(c: &Value, case: &str) {
    let keys: Vec<&str> = c["keys"]
        .as_array()
        .unwrap_or_else(|| panic!("{case}: keys"))
        .iter()
        .map(|k| str_of(k, "key", case))
        .collect();
    let q = QueryDict::from_keys(keys, str_of(&c["value"], "value", case));
    assert!(!q.is_mutable(), "{case}");
    assert_eq!(
        lists_of(&q),
        expected_lists(&c["lists"], case),
        "{case}: lists"
    );
    assert_eq!(q.urlencode(None), c["urlencode"], "{case}: urlencode");
}

fn check_immutable(c: &Value, case: &str) {
    let mut q = QueryDict::parse(str_of(&c["input"], "input", case));
    assert_eq!(c["operation"], "q['a']='2'", "{case}: unknown operation");
    let err = q.set("a", "2").expect_err(case);
    check_error(&c["error"], "AttributeError", &err.to_string(), case);
    assert_eq!(q.get("a"), Some("1"), "{case}: unchanged");
}

fn check_access(c: &Value, case: &str) {
    let q = QueryDict::parse(str_of(&c["input"], "input", case));
    if let Some(operation) = c.get("operation") {
        assert_eq!(operation, "q['z']", "{case}: unknown operation");
        let err = q.getitem("z").expect_err(case);
        check_error(
            &c["error"],
            "MultiValueDictKeyError",
            &err.to_string(),
            case,
        );
        return;
    }
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap_or_else(|| panic!("{case}: {v}"))
            .iter()
            .map(python_str)
            .collect()
    };
    assert_eq!(q.get("a"), c["get_a"].as_str(), "{case}: get('a')");
    assert_eq!(
        q.getitem("a").ok(),
        c["getitem_a"].as_str(),
        "{case}: q['a']"
    );
    assert_eq!(
        q.get_list("a"),
        strings(&c["getlist_a"]),
        "{case}: getlist('a')"
    );
    assert_eq!(q.get("b"), c["get_b"].as_str(), "{case}: get('b')");
    assert!(c["get_missing"].is_null(), "{case}");
    assert_eq!(q.get("z"), None, "{case}: get('z')");
    assert_eq!(
        q.get_list("z"),
        strings(&c["getlist_missing"]),
        "{case}: getlist('z')"
    );
    let items: Vec<(String, String)> = q
        .items()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let expected: Vec<(String, String)> = c["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{case}: items"))
        .iter()
        .map(|pair| (python_str(&pair[0]), python_str(&pair[1])))
        .collect();
    assert_eq!(items, expected, "{case}: items()");
    let dict: Vec<(String, String)> = q.dict().to_map().into_iter().collect();
    let expected: Vec<(String, String)> = c["dict"]
        .as_object()
        .unwrap_or_else(|| panic!("{case}: dict"))
        .iter()
        .map(|(k, v)| (k.clone(), python_str(v)))
        .collect();
    assert_eq!(dict, expected, "{case}: dict()");
}

fn check_max_number_fields(c: &Value, case: &str) {
    let limit = c["DATA_UPLOAD_MAX_NUMBER_FIELDS"]
        .as_u64()
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let input = str_of(&c["input"], "input", case);
    // The generator abbreviates its 2000-field input; rebuild it exactly.
    let input = if input.ends_with("(2000 fields k0..k1999)") {
        (0..2000)
            .map(|i| format!("k{i}=1"))
            .collect::<Vec<_>>()
            .join("&")
    } else {
        input.to_owned()
    };
    let result = QueryDict::parse_with(&input, None, limit);
    match (result, c.get("num_keys"), c.get("error")) {
        (Ok(q), Some(n), None) => assert_eq!(Some(q.len() as u64), n.as_u64(), "{case}"),
        (Err(err), None, Some(error)) => {
            check_error(error, "TooManyFieldsSent", &err.to_string(), case);
            // The raw-bytes path applies the same limit.
            assert_eq!(
                QueryDict::parse_bytes(input.as_bytes(), None, limit),
                Err(err),
                "{case}"
            );
        }
        (result, _, _) => panic!("{case}: got {result:?}"),
    }
}

#[test]
fn golden_querydict() {
    let golden: Value = support::golden("querydict.json");
    let cases = golden["cases"].as_array().expect("cases");
    let mut checked: IndexMap<&str, usize> = IndexMap::new();
    for (index, c) in cases.iter().enumerate() {
        let kind = c["kind"].as_str().expect("kind");
        let label = c
            .get("input")
            .or(c.get("input_repr"))
            .or(c.get("appendlist"));
        let case = format!("case #{index} ({kind}, {})", label.unwrap_or(&Value::Null));
        match kind {
            "parse" => check_parse(c, &case),
            "build" => check_build(c, &case),
            "fromkeys" => check_fromkeys(c, &case),
            "immutable" => check_immutable(c, &case),
            "access" => check_access(c, &case),
            "max_number_fields" => check_max_number_fields(c, &case),
            other => panic!("{case}: unknown kind {other:?}"),
        }
        *checked.entry(kind).or_default() += 1;
    }
    assert_eq!(checked.values().sum::<usize>(), cases.len());
    let expected = [
        ("parse", 51),
        ("build", 8),
        ("fromkeys", 1),
        ("immutable", 1),
        ("access", 2),
        ("max_number_fields", 6),
    ];
    for (kind, count) in expected {
        assert_eq!(
            checked.get(kind),
            Some(&count),
            "number of {kind} cases checked"
        );
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

#[test]
fn constructors() {
    let q = QueryDict::new();
    assert!(q.is_empty() && !q.is_mutable());
    assert_eq!(q.encoding(), &Charset::UTF_8);
    assert_eq!(q, QueryDict::default());
    let m = QueryDict::new_mutable();
    assert!(m.is_empty() && m.is_mutable());
    assert_eq!(QueryDict::parse(""), q);
    let q = QueryDict::builder()
        .append("a", "1")
        .append("a", "2")
        .list("b", ["x", "y"])
        .encoding(Charset::from_label("latin-1").unwrap())
        .mutable(true)
        .build();
    assert!(q.is_mutable());
    assert_eq!(q.encoding().name(), "latin-1");
    assert_eq!(q.get_list("a"), ["1", "2"]);
    assert_eq!(q.get_list("b"), ["x", "y"]);
    let collected: QueryDict = [("a", "1"), ("b", "2"), ("a", "3")].into_iter().collect();
    assert!(!collected.is_mutable());
    assert_eq!(collected.get_list("a"), ["1", "3"]);
    assert_eq!(collected.keys().collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn parse_rules() {
    let q = QueryDict::parse("a=1;b=2&a&&=x&a=b=c&A=%2b+%zz");
    let lists: Vec<_> = q.lists().collect();
    assert_eq!(
        lists,
        [
            ("a", &strings(&["1;b=2", "", "b=c"])[..]),
            ("", &strings(&["x"])[..]),
            ("A", &strings(&["+ %zz"])[..]),
        ]
    );
    let latin1 = Charset::from_label("latin-1").unwrap();
    let q = QueryDict::parse_bytes(b"\xff=%E9", Some(&latin1), None).unwrap();
    assert_eq!(q.get("\u{ff}"), Some("é"));
    // Not valid UTF-8: the whole string falls back to ISO-8859-1, escapes still use UTF-8.
    let q = QueryDict::parse_bytes(b"\xe9=%C3%A9", None, None).unwrap();
    assert_eq!(q.get("é"), Some("é"));
    assert_eq!(q.encoding(), &Charset::UTF_8);
    assert_eq!(
        QueryDict::parse_with("", None, Some(0)).map(|q| q.len()),
        Ok(0)
    );
    assert_eq!(
        QueryDict::parse_with("a", None, Some(0)),
        Err(TooManyFieldsSent)
    );
    assert_eq!(
        QueryDict::parse_bytes(b"a&b", None, Some(1)),
        Err(TooManyFieldsSent)
    );
}

#[test]
fn read_methods() {
    let q = QueryDict::parse("a=1&a=2&b=&c=3");
    assert_eq!(q.get("a"), Some("2"));
    assert_eq!(q.get_or("a", "d"), "2");
    assert_eq!(q.get_or("z", "d"), "d");
    assert_eq!(q.getitem("b"), Ok(""));
    assert_eq!(q.getitem("z"), Err(MultiValueDictKeyError::new("z")));
    assert_eq!(q.getitem("it's").unwrap_err().to_string(), "\"it's\"");
    assert_eq!(q.get_list("a"), ["1", "2"]);
    assert!(q.get_list("z").is_empty());
    let default = strings(&["d"]);
    assert_eq!(q.get_list_or("a", &default), ["1", "2"]);
    assert_eq!(q.get_list_or("z", &default), ["d"]);
    assert!(q.contains_key("b") && !q.contains_key("z"));
    assert_eq!(q.len(), 3);
    assert!(!q.is_empty());
    assert_eq!(q.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
    assert_eq!(q.keys().len(), 3);
    assert_eq!(q.values().collect::<Vec<_>>(), ["2", "", "3"]);
    assert_eq!(
        q.items().collect::<Vec<_>>(),
        [("a", "2"), ("b", ""), ("c", "3")]
    );
    assert_eq!(q.lists().len(), 3);
    assert_eq!(q.lists().next_back(), Some(("c", &strings(&["3"])[..])));
    assert_eq!(
        (&q).into_iter()
            .map(|(k, v)| (k, v.len()))
            .collect::<Vec<_>>(),
        [("a", 2), ("b", 1), ("c", 1)]
    );
    let dict = q.dict();
    assert_eq!(dict.get("a").map(String::as_str), Some("2"));
    assert_eq!(dict.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
}

#[test]
fn empty_lists() {
    let mut q = QueryDict::new_mutable();
    q.set_list("e", Vec::<String>::new()).unwrap();
    q.set("x", "1").unwrap();
    assert!(q.contains_key("e"));
    assert_eq!(q.get("e"), None);
    assert_eq!(q.get_or("e", "d"), "d");
    assert!(q.getitem("e").is_err());
    let default = strings(&["d"]);
    assert!(q.get_list_or("e", &default).is_empty());
    assert_eq!(q.items().collect::<Vec<_>>(), [("x", "1")]);
    assert_eq!(q.values().collect::<Vec<_>>(), ["1"]);
    assert_eq!(q.dict().len(), 1);
    assert_eq!(q.urlencode(None), "x=1");
    assert_eq!(q.to_string(), "<QueryDict: {'e': [], 'x': ['1']}>");
    assert_eq!(q.set_default("e", "v"), Ok("v"));
}

#[test]
fn write_methods() {
    let mut q = QueryDict::parse("a=1&b=2&a=3").copy();
    assert!(q.is_mutable());
    q.set("a", "x").unwrap();
    assert_eq!(q.get_list("a"), ["x"]);
    assert_eq!(
        q.keys().collect::<Vec<_>>(),
        ["a", "b"],
        "set keeps the position"
    );
    q.set(String::from("c"), String::from("y")).unwrap();
    q.set_list("b", ["p", "q"]).unwrap();
    assert_eq!(q.get_list("b"), ["p", "q"]);
    q.append_list("b", "r").unwrap();
    q.append_list("d", "s").unwrap();
    assert_eq!(q.get_list("b"), ["p", "q", "r"]);
    assert_eq!(q.set_default("b", "z"), Ok("r"));
    assert_eq!(q.set_default("e", "z"), Ok("z"));
    q.set_list_default("b", ["ignored"])
        .unwrap()
        .push("t".to_owned());
    assert_eq!(q.get_list("b"), ["p", "q", "r", "t"]);
    assert_eq!(q.set_list_default("f", ["1"]).unwrap(), &strings(&["1"]));
    q.set_list_default("f", Vec::<String>::new())
        .unwrap()
        .push("2".to_owned());
    assert_eq!(q.get_list("f"), ["1", "2"]);
    assert_eq!(q.keys().collect::<Vec<_>>(), ["a", "b", "c", "d", "e", "f"]);

    assert_eq!(q.pop("b"), Ok(Some(strings(&["p", "q", "r", "t"]))));
    assert_eq!(q.pop("b"), Ok(None));
    assert_eq!(
        q.keys().collect::<Vec<_>>(),
        ["a", "c", "d", "e", "f"],
        "pop keeps order"
    );
    assert_eq!(
        q.pop_item(),
        Ok(Some(("f".to_owned(), strings(&["1", "2"]))))
    );
    assert_eq!(q.remove("a"), Ok(true));
    assert_eq!(q.remove("a"), Ok(false));
    assert_eq!(q.keys().collect::<Vec<_>>(), ["c", "d", "e"]);
    q.clear().unwrap();
    assert!(q.is_empty());
    assert_eq!(q.pop_item(), Ok(None));
}

#[test]
fn update_appends() {
    let mut q = QueryDict::parse("a=1&b=2").copy();
    let other = QueryDict::parse("b=3&c=4&a=5");
    q.update(&other).unwrap();
    assert_eq!(q.urlencode(None), "a=1&a=5&b=2&b=3&c=4");
    q.update_pairs([("c", "6"), ("d", "7")]).unwrap();
    assert_eq!(q.urlencode(None), "a=1&a=5&b=2&b=3&c=4&c=6&d=7");
    assert_eq!(other.get_list("a"), ["5"], "the source is untouched");
}

#[test]
fn every_mutation_is_refused_on_an_immutable_dict() {
    let original = QueryDict::parse("a=1&b=2");
    let mut q = original.clone();
    let other = QueryDict::parse("c=3");
    assert_eq!(q.set("a", "2"), Err(ImmutableQueryDict));
    assert_eq!(q.set_list("a", ["2"]), Err(ImmutableQueryDict));
    assert_eq!(q.append_list("a", "2"), Err(ImmutableQueryDict));
    assert_eq!(q.set_default("z", "2"), Err(ImmutableQueryDict));
    assert_eq!(q.set_default("a", "2"), Err(ImmutableQueryDict));
    assert_eq!(
        q.set_list_default("z", ["2"]).map(|v| v.len()),
        Err(ImmutableQueryDict)
    );
    assert_eq!(q.update(&other), Err(ImmutableQueryDict));
    assert_eq!(q.update(&QueryDict::new()), Err(ImmutableQueryDict));
    assert_eq!(q.update_pairs([("c", "3")]), Err(ImmutableQueryDict));
    assert_eq!(q.pop("a"), Err(ImmutableQueryDict));
    assert_eq!(q.pop("z"), Err(ImmutableQueryDict));
    assert_eq!(q.pop_item(), Err(ImmutableQueryDict));
    assert_eq!(q.remove("a"), Err(ImmutableQueryDict));
    assert_eq!(q.clear(), Err(ImmutableQueryDict));
    assert_eq!(
        q.lists().collect::<Vec<_>>(),
        original.lists().collect::<Vec<_>>()
    );
    assert!(!q.is_mutable(), "no silent copy");
    assert_eq!(
        ImmutableQueryDict.to_string(),
        "This QueryDict instance is immutable"
    );
    let err: Box<dyn std::error::Error> = Box::new(ImmutableQueryDict);
    assert_eq!(err.to_string(), "This QueryDict instance is immutable");
    // Other constructors are immutable too, and the mutability can be switched explicitly.
    assert_eq!(QueryDict::new().set("a", "1"), Err(ImmutableQueryDict));
    assert_eq!(
        QueryDict::from_keys(["a"], "").clear(),
        Err(ImmutableQueryDict)
    );
    let mut m = q.into_mutable();
    assert_eq!(m.set("a", "9"), Ok(()));
    let mut frozen = m.into_immutable();
    assert_eq!(frozen.set("a", "1"), Err(ImmutableQueryDict));
}

#[test]
fn copy_is_deep_and_mutable() {
    let q =
        QueryDict::parse_with("a=1", Some(&Charset::from_label("latin1").unwrap()), None).unwrap();
    let mut copy = q.copy();
    copy.append_list("a", "2").unwrap();
    assert_eq!(q.get_list("a"), ["1"]);
    assert_eq!(copy.get_list("a"), ["1", "2"]);
    assert_eq!(copy.encoding().name(), "latin1");
    let again = copy.copy();
    assert_eq!(again, copy);
}

#[test]
fn encoding_is_only_recorded() {
    let mut q = QueryDict::parse("a=%E9");
    assert_eq!(q.get("a"), Some("\u{fffd}"));
    q.set_encoding(Charset::from_label("latin-1").unwrap());
    assert_eq!(q.get("a"), Some("\u{fffd}"), "values are not re-decoded");
    assert_eq!(q.encoding().name(), "latin-1");
    let q = QueryDict::builder()
        .append("é", "☃")
        .encoding(Charset::from_label("latin-1").unwrap())
        .build();
    // 'é' encodes in latin-1; '☃' does not (Django raises), and falls back to UTF-8.
    assert_eq!(q.urlencode(None), "%E9=%E2%98%83");
}

#[test]
fn urlencode_rules() {
    let q = QueryDict::builder()
        .append("next", "/a&b/")
        .append("a", "~-._*")
        .append("café", "thé")
        .append("k y", "x+y")
        .build();
    assert_eq!(
        q.urlencode(None),
        "next=%2Fa%26b%2F&a=~-._%2A&caf%C3%A9=th%C3%A9&k+y=x%2By"
    );
    assert_eq!(
        q.urlencode(Some("")),
        q.urlencode(None),
        "empty safe is no safe"
    );
    assert_eq!(
        q.urlencode(Some("/")),
        "next=/a%26b/&a=~-._%2A&caf%C3%A9=th%C3%A9&k%20y=x%2By"
    );
    assert_eq!(QueryDict::parse("a%20b=c%20d").urlencode(None), "a+b=c+d");
    assert_eq!(QueryDict::parse("a=1;b=2").urlencode(None), "a=1%3Bb%3D2");
    assert_eq!(QueryDict::new().urlencode(None), "");
    assert_eq!(QueryDict::parse("=").urlencode(None), "=");
}

#[test]
fn equality_ignores_order_encoding_and_mutability() {
    let a = QueryDict::parse("a=1&b=2");
    let b = QueryDict::parse_with(
        "b=2&a=1",
        Some(&Charset::from_label("latin-1").unwrap()),
        None,
    )
    .unwrap()
    .into_mutable();
    assert_eq!(a, b);
    assert_ne!(a, QueryDict::parse("a=1&a=1&b=2"));
    assert_ne!(a, QueryDict::parse("a=1"));
}

#[test]
fn display_debug_and_serialize() {
    let q = QueryDict::parse("a=1&a=2&b=it%27s");
    assert_eq!(
        q.to_string(),
        "<QueryDict: {'a': ['1', '2'], 'b': [\"it's\"]}>"
    );
    assert_eq!(QueryDict::new().to_string(), "<QueryDict: {}>");
    let debug = format!("{q:?}");
    assert!(debug.contains(r#""a": ["1", "2"]"#), "{debug}");
    assert!(debug.contains("mutable: false"), "{debug}");
    assert_eq!(
        serde_json::to_string(&q).unwrap(),
        r#"{"a":["1","2"],"b":["it's"]}"#
    );
}

#[test]
fn errors_are_std_errors() {
    fn assert_error<E: std::error::Error + Clone + PartialEq + Send + Sync + 'static>() {}
    assert_error::<ImmutableQueryDict>();
    assert_error::<MultiValueDictKeyError>();
    assert_error::<TooManyFieldsSent>();
    assert_eq!(
        TooManyFieldsSent.to_string(),
        "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
    );
    let err = MultiValueDictKeyError::new("a\nb");
    assert_eq!(err.key(), "a\nb");
    assert_eq!(err.to_string(), r"'a\nb'");
}
