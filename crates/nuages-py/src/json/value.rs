//! `json.dumps` of a `serde_json::Value`: the same output as the serde serializer, without a
//! fallible path — a `Value` holds no non-finite float, no non-string key and nothing
//! unserializable, so nothing can fail.

use std::fmt::Write as _;

use serde_json::Value;

use super::config::Config;
use super::write;

struct ValueWriter<'a> {
    out: &'a mut String,
    cfg: &'a Config<'a>,
    level: usize,
}

impl ValueWriter<'_> {
    fn item(&mut self, first: bool) {
        self.cfg.item(self.out, self.level, first);
    }

    fn close(&mut self, bracket: char, empty: bool) {
        self.level -= 1;
        self.cfg.close(self.out, self.level, bracket, empty);
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(true) => self.out.push_str("true"),
            Value::Bool(false) => self.out.push_str("false"),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => write::write_int(self.out, i),
                (None, Some(u), _) => write::write_int(self.out, u),
                (None, None, Some(f)) => write::write_f64(self.out, f),
                (None, None, None) => {
                    let _ = write!(self.out, "{n}");
                }
            },
            Value::String(s) => write::write_str(self.out, s, self.cfg.ensure_ascii),
            Value::Array(items) => {
                self.out.push('[');
                self.level += 1;
                for (i, item) in items.iter().enumerate() {
                    self.item(i == 0);
                    self.value(item);
                }
                self.close(']', items.is_empty());
            }
            Value::Object(map) => {
                self.out.push('{');
                self.level += 1;
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                if self.cfg.sort_keys {
                    // Python sorts str keys by code point, which is UTF-8 byte order.
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                }
                for (i, (key, item)) in entries.iter().enumerate() {
                    self.item(i == 0);
                    write::write_str(self.out, key, self.cfg.ensure_ascii);
                    self.cfg.key_separator(self.out);
                    self.value(item);
                }
                self.close('}', entries.is_empty());
            }
        }
    }
}

/// Appends the document to `out`.
pub(super) fn write_value(value: &Value, cfg: &Config<'_>, out: &mut String) {
    ValueWriter { out, cfg, level: 0 }.value(value);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::json::{dumps, dumps_value, JsonDumpsParams};

    #[test]
    fn same_output_as_the_serializer() {
        let values = [
            json!(null),
            json!([]),
            json!({}),
            json!({"z": 1, "a": [true, false, null], "é": {"nested": [1.5, -0.0, 1e300, 1e-7]}}),
            json!([[], {}, [[]], {"k": {}}]),
            json!({"big": u64::MAX, "neg": i64::MIN, "s": "tab\t\"quote\" ☃ \u{1f600}"}),
        ];
        let params = [
            JsonDumpsParams::default(),
            JsonDumpsParams::default().sort_keys(true),
            JsonDumpsParams::default().indent(2),
            JsonDumpsParams::default().indent("\t").sort_keys(true),
            JsonDumpsParams::default()
                .separators(",", ":")
                .ensure_ascii(false),
            JsonDumpsParams::default().indent(0),
        ];
        for value in &values {
            for p in &params {
                assert_eq!(
                    dumps_value(value, p),
                    dumps(value, p).unwrap(),
                    "{value} {p:?}"
                );
            }
        }
    }
}
