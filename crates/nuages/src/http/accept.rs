//! `Accept` header negotiation: Django's `MediaType`, `HttpRequest.accepted_types`,
//! `accepts()` and `get_preferred_type()` (django/http/request.py, Django 5.2).

use std::borrow::Cow;
use std::fmt;

use indexmap::IndexMap;

use crate::utils::http::{parse_header_parameters, InvalidHeaderParameters};
use nuages_py::builtins::{float_from_str, lower, strip};

/// One media range of an `Accept` header, or a media type offered by the server.
///
/// Parsed with [`parse_header_parameters`]: the type is lower-cased, parameter names are
/// lower-cased and values unquoted. [`Display`](fmt::Display) renders it like Django's
/// `str()`: `type/sub; k=v` (the `q` parameter included, as written).
///
/// # Examples
///
/// ```
/// use nuages::http::accept::MediaType;
///
/// let mt = MediaType::parse("Text/HTML; Level=1; q=0.50").unwrap();
/// assert_eq!((mt.main_type(), mt.sub_type()), ("text", "html"));
/// assert_eq!(mt.quality(), 0.5);
/// assert_eq!(mt.specificity(), 3);
/// assert_eq!(mt.to_string(), "text/html; level=1; q=0.50");
/// assert!(MediaType::parse("text/html;level=1").unwrap().matches(&MediaType::parse("text/*").unwrap()));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MediaType<'a> {
    /// `main/sub`, lower-cased.
    full_type: Cow<'a, str>,
    params: IndexMap<String, String>,
    quality: f64,
    specificity: u8,
}

impl<'a> MediaType<'a> {
    /// Parses a media type or media range (Django's `MediaType(raw)`); borrows `raw` when it
    /// has no parameters and is already lower-case.
    ///
    /// # Errors
    ///
    /// [`InvalidHeaderParameters`] where Django raises (unknown RFC 2231 charset, …).
    pub fn parse(raw: &'a str) -> Result<Self, InvalidHeaderParameters> {
        let (full_type, params) = if raw.contains(';') {
            let (key, params) = parse_header_parameters(raw)?;
            (Cow::Owned(key), params)
        } else {
            (lower(strip(raw)), IndexMap::new())
        };
        let quality = params.get("q").map_or(1.0, |q| quality_from_param(q));
        let mut media_type = MediaType {
            full_type,
            params,
            quality,
            specificity: 0,
        };
        media_type.specificity = if media_type.main_type() == "*" {
            0
        } else if media_type.sub_type() == "*" {
            1
        } else if !media_type.has_range_params() {
            2
        } else {
            3
        };
        Ok(media_type)
    }

    /// The main type (`text` in `text/html`); the whole type when it has no `/`.
    pub fn main_type(&self) -> &str {
        self.full_type
            .split_once('/')
            .map_or(&*self.full_type, |(main, _)| main)
    }

    /// The subtype (`html` in `text/html`); empty when the type has no `/`.
    pub fn sub_type(&self) -> &str {
        self.full_type.split_once('/').map_or("", |(_, sub)| sub)
    }

    /// All parameters, `q` included (Django's `params`).
    pub fn params(&self) -> &IndexMap<String, String> {
        &self.params
    }

    /// The parameters other than `q` (Django's `range_params`).
    pub fn range_params(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.params
            .iter()
            .filter(|(k, _)| *k != "q")
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn has_range_params(&self) -> bool {
        self.params.keys().any(|k| k != "q")
    }

    fn range_params_eq(&self, other: &MediaType<'_>) -> bool {
        self.range_params().count() == other.range_params().count()
            && self
                .range_params()
                .all(|(k, v)| other.params.get(k).is_some_and(|o| o == v))
    }

    /// The `q` value: 1 when absent, invalid (not a float), negative or above 1; otherwise
    /// rounded to 3 decimals like Python's `round(q, 3)`. `q=nan` gives NaN, as in Python
    /// (such ranges sort before all others; Python's order for them is an accident of its sort).
    pub fn quality(&self) -> f64 {
        self.quality
    }

    /// 0 for `*/*`, 1 for `type/*`, 2 for `type/sub`, 3 for `type/sub` with parameters
    /// other than `q`.
    pub fn specificity(&self) -> u8 {
        self.specificity
    }

    /// Django's `MediaType.match(other)`, with `self` the offered type and `other` an
    /// accepted range: both must have a main and a subtype, each equal or `*` on either side;
    /// parameters (ignoring `q`) must be identical when both or neither have some, and if
    /// only one side has them the match holds only when it is `self`.
    #[doc(alias = "match")]
    pub fn matches(&self, other: &MediaType<'_>) -> bool {
        let (main, sub) = (self.main_type(), self.sub_type());
        let (other_main, other_sub) = (other.main_type(), other.sub_type());
        if main.is_empty() || sub.is_empty() || other_main.is_empty() || other_sub.is_empty() {
            return false;
        }
        let compatible = |a: &str, b: &str| a == b || a == "*" || b == "*";
        if !compatible(main, other_main) || !compatible(sub, other_sub) {
            return false;
        }
        match (self.has_range_params(), other.has_range_params()) {
            (mine, theirs) if mine == theirs => self.range_params_eq(other),
            (mine, _) => mine,
        }
    }

    /// An owned copy, independent of the parsed string.
    pub fn into_owned(self) -> MediaType<'static> {
        MediaType {
            full_type: Cow::Owned(self.full_type.into_owned()),
            params: self.params,
            quality: self.quality,
            specificity: self.specificity,
        }
    }
}

impl fmt::Display for MediaType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.main_type())?;
        if !self.sub_type().is_empty() {
            write!(f, "/{}", self.sub_type())?;
        }
        for (k, v) in &self.params {
            write!(f, "; {k}={v}")?;
        }
        Ok(())
    }
}

/// Django's `MediaType.quality` from the raw `q` parameter.
// Python's `quality < 0 or quality > 1` lets NaN through (kept as NaN); a range check would not.
#[allow(clippy::manual_range_contains)]
fn quality_from_param(q: &str) -> f64 {
    match float_from_str(q) {
        Some(q) if q < 0.0 || q > 1.0 => 1.0,
        // Python's round(q, 3) is correctly rounded, as is Rust's fixed-precision formatting.
        Some(q) => format!("{q:.3}").parse().unwrap_or(q),
        None => 1.0,
    }
}

/// The media ranges a client accepts, in Django's `accepted_types` order (quality, then
/// specificity, descending; stable), with the queries built on it.
///
/// # Examples
///
/// ```
/// use nuages::http::accept::AcceptedTypes;
///
/// let accepted = AcceptedTypes::parse(Some("*/*;q=0.8, application/json;q=0.9, text/html")).unwrap();
/// let rendered: Vec<String> = accepted.iter().map(ToString::to_string).collect();
/// assert_eq!(rendered, ["text/html", "application/json; q=0.9", "*/*; q=0.8"]);
/// assert!(accepted.accepts("image/png"));
/// assert_eq!(accepted.preferred_type(&["application/json", "text/html"]), Some("text/html"));
///
/// let none = AcceptedTypes::parse(Some("")).unwrap();
/// assert!(!none.accepts("text/html"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AcceptedTypes<'a> {
    types: Vec<MediaType<'a>>,
    /// Indices into `types`, by specificity then quality, descending (Django's
    /// `accepted_types_by_precedence`).
    precedence: Vec<usize>,
}

impl<'a> AcceptedTypes<'a> {
    /// Parses an `Accept` header value; `None` (no header) means `*/*`, an empty value
    /// accepts nothing. Empty items are skipped and ranges with `q` = 0 dropped.
    ///
    /// # Errors
    ///
    /// [`InvalidHeaderParameters`] where Django raises while parsing an item.
    pub fn parse(header: Option<&'a str>) -> Result<Self, InvalidHeaderParameters> {
        let header = header.unwrap_or("*/*");
        let mut types = Vec::with_capacity(header.bytes().filter(|&b| b == b',').count() + 1);
        for token in header.split(',') {
            if strip(token).is_empty() {
                continue;
            }
            let media_type = MediaType::parse(token)?;
            if media_type.quality != 0.0 {
                types.push(media_type);
            }
        }
        let key = |m: &MediaType<'_>| (m.quality, m.specificity);
        types.sort_by(|a, b| {
            let ((qa, sa), (qb, sb)) = (key(a), key(b));
            qb.total_cmp(&qa).then(sb.cmp(&sa))
        });
        let mut precedence: Vec<usize> = (0..types.len()).collect();
        precedence.sort_by(|&a, &b| {
            let (a, b) = (&types[a], &types[b]);
            b.specificity
                .cmp(&a.specificity)
                .then(b.quality.total_cmp(&a.quality))
        });
        Ok(AcceptedTypes { types, precedence })
    }

    /// The accepted ranges in preference order (Django's `accepted_types`).
    pub fn iter(&self) -> std::slice::Iter<'_, MediaType<'a>> {
        self.types.iter()
    }

    /// The accepted ranges in preference order, as a slice.
    pub fn as_slice(&self) -> &[MediaType<'a>] {
        &self.types
    }

    /// Number of accepted ranges.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Whether nothing is accepted (e.g. an empty `Accept` header).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The ranges by specificity, then quality (Django's `accepted_types_by_precedence`).
    pub fn by_precedence(&self) -> impl Iterator<Item = &MediaType<'a>> + '_ {
        self.precedence.iter().map(|&i| &self.types[i])
    }

    fn accepted_index(&self, offered: &MediaType<'_>) -> Option<usize> {
        self.precedence
            .iter()
            .copied()
            .find(|&i| offered.matches(&self.types[i]))
    }

    /// The most specific accepted range matching `media_type` (Django's `accepted_type`).
    /// A media type that cannot be parsed matches nothing (Django raises `ValueError`).
    pub fn accepted_type(&self, media_type: &str) -> Option<&MediaType<'a>> {
        let offered = MediaType::parse(media_type).ok()?;
        self.accepted_index(&offered).map(|i| &self.types[i])
    }

    /// Whether the client accepts `media_type` (Django's `HttpRequest.accepts`).
    pub fn accepts(&self, media_type: &str) -> bool {
        self.accepted_type(media_type).is_some()
    }

    /// The offer the client prefers (Django's `get_preferred_type`): each offer is ranked by
    /// the position, in preference order, of its most specific matching range; ties go to
    /// the earlier offer. `None` when no offer is acceptable.
    #[doc(alias = "get_preferred_type")]
    pub fn preferred_type<'o>(&self, offers: &[&'o str]) -> Option<&'o str> {
        if self.types.is_empty() {
            return None;
        }
        offers
            .iter()
            .filter_map(|&offer| {
                let offered = MediaType::parse(offer).ok()?;
                Some((self.accepted_index(&offered)?, offer))
            })
            .min_by_key(|&(index, _)| index)
            .map(|(_, offer)| offer)
    }

    /// An owned copy, independent of the header string.
    pub fn into_owned(self) -> AcceptedTypes<'static> {
        AcceptedTypes {
            types: self.types.into_iter().map(MediaType::into_owned).collect(),
            precedence: self.precedence,
        }
    }
}

impl<'s, 'a> IntoIterator for &'s AcceptedTypes<'a> {
    type Item = &'s MediaType<'a>;
    type IntoIter = std::slice::Iter<'s, MediaType<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.types.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_rules() {
        let q = |s: &str| MediaType::parse(s).unwrap().quality();
        assert_eq!(q("text/html;q=2"), 1.0);
        assert_eq!(q("text/html;q=abc"), 1.0);
        assert_eq!(q("text/html;q=-1"), 1.0);
        assert_eq!(q("text/html;q=0.0005"), 0.001);
        assert_eq!(q("text/html;q=0.0004"), 0.0);
        assert_eq!(q("text/html;q=0.0625"), 0.062);
        assert_eq!(q("text/html;q= 0.5 "), 0.5);
        assert_eq!(q("text/html;q=\"0.5\""), 0.5);
        assert_eq!(q("text/html;q=0_5"), 1.0);
        assert_eq!(q("text/html;q=0.2_5"), 0.25);
        assert_eq!(q("text/html;q=0._5"), 1.0);
        assert_eq!(q("text/html;q=1e-1"), 0.1);
        assert_eq!(q("text/html;q=inf"), 1.0);
    }

    #[test]
    fn min_by_keeps_first_of_equal() {
        let accepted = AcceptedTypes::parse(Some("*/*")).unwrap();
        assert_eq!(
            accepted.preferred_type(&["application/json", "text/html"]),
            Some("application/json")
        );
        assert_eq!(accepted.preferred_type(&[]), None);
        assert_eq!(
            accepted.preferred_type(&["text", "text/html"]),
            Some("text/html")
        );
    }

    #[test]
    fn borrowing() {
        let mt = MediaType::parse("text/html").unwrap();
        assert!(matches!(mt.full_type, Cow::Borrowed(_)));
        let owned: AcceptedTypes<'static> = AcceptedTypes::parse(Some(&String::from("a/b")))
            .unwrap()
            .into_owned();
        assert_eq!(owned.len(), 1);
    }
}
