//! Reversing a regex into URL templates (↔ `django.utils.regex_helper.normalize`).
//!
//! Not a complete regex decompiler: for every repetition the minimum count is kept (zero for
//! optional parts, plus one occurrence when an optional part contains a group), character classes
//! are replaced by their first character, `.`/`\w`/`\d`… by a representative, look-arounds are
//! ignored and an alternation (`|`) makes the whole pattern reverse to the empty string.

/// A piece of a URL template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// Literal text.
    Lit(String),
    /// The text of an argument (`%(name)s` in Django).
    Param(String),
}

/// One way to write the pattern: its template and the parameters it needs, in order.
pub(crate) type Form = (Vec<Token>, Vec<String>);

/// The pattern cannot be reversed (↔ the `ValueError` raised by `normalize`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NonReversible(pub(crate) String);

#[derive(Debug, Clone)]
enum Elem {
    Char(char),
    /// A capturing group: placeholder name and the parameter it consumes (`None` for a named
    /// back-reference).
    Group(String, Option<String>),
    NonCapture(Vec<Elem>),
    /// Zero or one occurrence.
    Choice(Vec<Option<Elem>>),
}

/// `next_char`: characters with escapes replaced by a representative; `\A`, `\b`, `\B` and `\Z`
/// are skipped.
struct PatternChars<'a> {
    chars: std::str::Chars<'a>,
}

impl Iterator for PatternChars<'_> {
    type Item = (char, bool);

    fn next(&mut self) -> Option<(char, bool)> {
        loop {
            let c = self.chars.next()?;
            if c != '\\' {
                return Some((c, false));
            }
            let representative = match self.chars.next()? {
                'A' | 'b' | 'B' | 'Z' => continue,
                'd' => '0',
                'D' | 'S' | 'w' => 'x',
                's' => ' ',
                'W' => '!',
                other => other,
            };
            return Some((representative, true));
        }
    }
}

/// `walk_to_end`: skips to the end of the current group.
fn walk_to_end(ch: char, it: &mut PatternChars<'_>) {
    let mut nesting = usize::from(ch == '(');
    for (c, escaped) in it.by_ref() {
        if escaped {
            continue;
        }
        if c == '(' {
            nesting += 1;
        } else if c == ')' {
            if nesting == 0 {
                return;
            }
            nesting -= 1;
        }
    }
}

enum Quantifier {
    /// (minimum count, look-ahead character not part of the quantifier)
    Count(usize, Option<char>),
    /// The pattern ended inside the quantifier.
    End,
}

/// `get_quantifier`.
fn get_quantifier(ch: char, it: &mut PatternChars<'_>) -> Result<Quantifier, NonReversible> {
    if ch != '{' {
        let mut next = it.next().map(|(c, _)| c);
        if next == Some('?') {
            next = None;
        }
        return Ok(Quantifier::Count(usize::from(ch == '+'), next));
    }
    let mut quant = String::new();
    loop {
        let Some((c, _)) = it.next() else {
            return Ok(Quantifier::End);
        };
        if c == '}' {
            break;
        }
        quant.push(c);
    }
    let min = quant.split(',').next().unwrap_or_default();
    let count: usize = min
        .parse()
        .map_err(|_| NonReversible(format!("invalid quantifier '{{{quant}}}'")))?;
    if count > 10_000 {
        return Err(NonReversible(format!("quantifier too large: {count}")));
    }
    let mut next = it.next().map(|(c, _)| c);
    if next == Some('?') {
        next = None;
    }
    Ok(Quantifier::Count(count, next))
}

/// `contains(source, Group)`.
fn contains_group(e: &Elem) -> bool {
    match e {
        Elem::Group(..) => true,
        Elem::NonCapture(items) => items.iter().any(contains_group),
        _ => false,
    }
}

/// Reverses a (Python-syntax) regex into its possible URL templates (↔ `normalize(pattern)`).
pub(crate) fn normalize(pattern: &str) -> Result<Vec<Form>, NonReversible> {
    let mut result: Vec<Elem> = Vec::new();
    let mut non_capturing_groups: Vec<usize> = Vec::new();
    let mut it = PatternChars {
        chars: pattern.chars(),
    };
    let mut num_args = 0usize;
    let Some((mut ch, mut escaped)) = it.next() else {
        return Ok(vec![(Vec::new(), Vec::new())]);
    };
    let mut consume_next;
    'main: loop {
        consume_next = true;
        if escaped {
            result.push(Elem::Char(ch));
        } else if ch == '.' {
            result.push(Elem::Char('.'));
        } else if ch == '|' {
            return Ok(vec![(Vec::new(), Vec::new())]);
        } else if ch == '^' {
        } else if ch == '$' {
            break;
        } else if ch == ')' {
            let start = non_capturing_groups
                .pop()
                .ok_or_else(|| NonReversible("unbalanced parenthesis".into()))?;
            let inner = result.split_off(start.min(result.len()));
            result.push(Elem::NonCapture(inner));
        } else if ch == '[' {
            let Some((first, _)) = it.next() else { break };
            result.push(Elem::Char(first));
            let Some(next) = it.next() else { break };
            (ch, escaped) = next;
            while escaped || ch != ']' {
                let Some(next) = it.next() else {
                    break 'main;
                };
                (ch, escaped) = next;
            }
        } else if ch == '(' {
            let Some((c, e)) = it.next() else { break };
            if c != '?' || e {
                let name = format!("_{num_args}");
                num_args += 1;
                result.push(Elem::Group(name.clone(), Some(name)));
                walk_to_end(c, &mut it);
            } else {
                let Some((c, _)) = it.next() else { break };
                if matches!(c, '!' | '=' | '<') {
                    walk_to_end(c, &mut it);
                } else if c == ':' {
                    non_capturing_groups.push(result.len());
                } else if c != 'P' {
                    return Err(NonReversible(format!(
                        "Non-reversible reg-exp portion: '(?{c}'"
                    )));
                } else {
                    let Some((c, _)) = it.next() else { break };
                    if c != '<' && c != '=' {
                        return Err(NonReversible(format!(
                            "Non-reversible reg-exp portion: '(?P{c}'"
                        )));
                    }
                    let terminal = if c == '<' { '>' } else { ')' };
                    let mut name = String::new();
                    loop {
                        let Some((c, _)) = it.next() else {
                            break 'main;
                        };
                        if c == terminal {
                            break;
                        }
                        name.push(c);
                    }
                    if terminal == ')' {
                        result.push(Elem::Group(name, None));
                    } else {
                        result.push(Elem::Group(name.clone(), Some(name)));
                        walk_to_end(terminal, &mut it);
                    }
                }
            }
        } else if matches!(ch, '*' | '?' | '+' | '{') {
            let (count, lookahead) = match get_quantifier(ch, &mut it)? {
                Quantifier::Count(count, lookahead) => (count, lookahead),
                Quantifier::End => break,
            };
            if let Some(c) = lookahead {
                consume_next = false;
                ch = c;
                // Django keeps the (unescaped) flag of the quantifier character here.
                escaped = false;
            }
            let last = result
                .pop()
                .ok_or_else(|| NonReversible("nothing to repeat".into()))?;
            if count == 0 {
                if contains_group(&last) {
                    result.push(Elem::Choice(vec![None, Some(last)]));
                }
            } else {
                for _ in 1..count {
                    result.push(last.clone());
                }
                result.push(last);
            }
        } else {
            result.push(Elem::Char(ch));
        }
        if consume_next {
            let Some(next) = it.next() else { break };
            (ch, escaped) = next;
        }
    }
    Ok(flatten_list(&result)
        .into_iter()
        .map(|(tokens, params)| (merge_literals(tokens), params))
        .collect())
}

/// `flatten_result` for one element of a `Choice` / wrapped `NonCapture`.
fn flatten_item(item: Option<&Elem>) -> Vec<Form> {
    match item {
        None => vec![(Vec::new(), Vec::new())],
        Some(Elem::Group(name, param)) => {
            vec![(
                vec![Token::Param(name.clone())],
                param.iter().cloned().collect(),
            )]
        }
        Some(Elem::NonCapture(items)) => flatten_list(items),
        Some(Elem::Choice(items)) => items
            .iter()
            .flat_map(|i| flatten_item(i.as_ref()))
            .collect(),
        Some(Elem::Char(c)) => vec![(vec![Token::Lit(c.to_string())], Vec::new())],
    }
}

/// `flatten_result` for a list of elements.
fn flatten_list(source: &[Elem]) -> Vec<Form> {
    let mut results: Vec<Form> = vec![(Vec::new(), Vec::new())];
    let mut last = 0;
    for (pos, elt) in source.iter().enumerate() {
        if matches!(elt, Elem::Char(_)) {
            continue;
        }
        let mut piece: Vec<Token> = chars_of(&source[last..pos]);
        let mut param = None;
        if let Elem::Group(name, p) = elt {
            piece.push(Token::Param(name.clone()));
            param = p.as_ref();
        }
        last = pos + 1;
        for (tokens, args) in &mut results {
            tokens.extend(piece.iter().cloned());
            if let Some(p) = param {
                args.push(p.clone());
            }
        }
        let inner: Vec<Form> = match elt {
            Elem::Choice(items) => items
                .iter()
                .flat_map(|i| flatten_item(i.as_ref()))
                .collect(),
            Elem::NonCapture(_) => flatten_item(Some(elt)),
            _ => continue,
        };
        let mut new_results = Vec::with_capacity(results.len() * inner.len());
        for (tokens, args) in &results {
            for (i_tokens, i_args) in &inner {
                let mut t = tokens.clone();
                t.extend(i_tokens.iter().cloned());
                let mut a = args.clone();
                a.extend(i_args.iter().cloned());
                new_results.push((t, a));
            }
        }
        results = new_results;
    }
    let tail = chars_of(&source[last.min(source.len())..]);
    if !tail.is_empty() {
        for (tokens, _) in &mut results {
            tokens.extend(tail.iter().cloned());
        }
    }
    results
}

fn chars_of(elems: &[Elem]) -> Vec<Token> {
    let text: String = elems
        .iter()
        .filter_map(|e| match e {
            Elem::Char(c) => Some(*c),
            _ => None,
        })
        .collect();
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Token::Lit(text)]
    }
}

fn merge_literals(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        match (out.last_mut(), t) {
            (Some(Token::Lit(prev)), Token::Lit(s)) => prev.push_str(&s),
            (_, t) => out.push(t),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders forms like Django's `normalize()` output: `[("opt/%(page)s", ["page"])]`.
    fn render(pattern: &str) -> Vec<(String, Vec<String>)> {
        normalize(pattern)
            .unwrap()
            .into_iter()
            .map(|(tokens, params)| {
                let s = tokens
                    .iter()
                    .map(|t| match t {
                        Token::Lit(s) => s.clone(),
                        Token::Param(p) => format!("%({p})s"),
                    })
                    .collect();
                (s, params)
            })
            .collect()
    }

    fn forms(v: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        v.iter()
            .map(|(s, p)| (s.to_string(), p.iter().map(|x| x.to_string()).collect()))
            .collect()
    }

    // Expected values produced by Django's own normalize() (tests/utils_tests/test_regex_helper.py
    // and the venv).
    #[test]
    fn django_cases() {
        assert_eq!(render(""), forms(&[("", &[])]));
        assert_eq!(render("^(?:foo|bar)$"), forms(&[("", &[])]));
        assert_eq!(
            render(r"^int/(?P<n>[0-9]+)/\Z"),
            forms(&[("int/%(n)s/", &["n"])])
        );
        assert_eq!(
            render(r"^opt/(?:page-(?P<page>[0-9]+)/)?$"),
            forms(&[("opt/", &[]), ("opt/page-%(page)s/", &["page"])])
        );
        assert_eq!(
            render(r"^repos/([0-9]+)/$"),
            forms(&[("repos/%(_0)s/", &["_0"])])
        );
        assert_eq!(render(r"^a\.b\-c/$"), forms(&[("a.b-c/", &[])]));
        assert_eq!(render(r"^x{3}y?z*\d+$"), forms(&[("xxx0", &[])]));
        assert_eq!(
            render(r"^(?P<a>x)(?P=a)$"),
            forms(&[("%(a)s%(a)s", &["a"])])
        );
        assert_eq!(render(r"^[^/]+/$"), forms(&[("^/", &[])]));
        assert_eq!(render(r"^(?=a)b(?!c)$"), forms(&[("b", &[])]));
        // Django's quantifier look-ahead forgets that `\(` was escaped.
        assert_eq!(render(r"^a+\(x"), forms(&[("a%(_0)s", &["_0"])]));
        assert_eq!(
            render(r"^(?:a(?P<b>x))*c"),
            forms(&[("c", &[]), ("a%(b)sc", &["b"])])
        );
        assert_eq!(render(r"^((a))b"), forms(&[("%(_0)sb", &["_0"])]));
        assert!(normalize("^(?i)a").is_err());
        assert!(normalize("^(?Px)").is_err());
    }
}
