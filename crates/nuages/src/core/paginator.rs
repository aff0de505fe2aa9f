//! The equivalent of `django.core.paginator`: [`Paginator`], [`Page`] and the
//! [`InvalidPage`] errors, with Django's messages and its lenient/strict page lookups.
//!
//! nuages has no ORM: a paginator works over any [`ObjectList`] — slices and `Vec`s, or your
//! own type that can count and slice (a database query, a lazily read file).
//!
//! ```
//! use nuages::core::paginator::Paginator;
//! let books: Vec<u32> = (1..=25).collect();
//! let paginator = Paginator::new(&books, 10).unwrap().orphans(5);
//! assert_eq!(paginator.num_pages(), 2);
//! let page = paginator.get_page("abc").unwrap(); // not a number: the first page
//! assert_eq!(page.number(), 1);
//! let last = paginator.page(2).unwrap();
//! assert_eq!(*last.object_list(), &books[10..]);
//! assert_eq!((last.start_index(), last.end_index()), (11, 25));
//! ```

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// What a [`Paginator`] paginates: something that can count its objects and hand out a
/// contiguous part of them (Django calls `len()`/`count()` and slices the list).
///
/// # Examples
/// ```
/// use nuages::core::paginator::ObjectList;
/// let v = vec!['a', 'b', 'c'];
/// assert_eq!((&v).count(), 3);
/// assert_eq!((&v).slice(1..3), &['b', 'c']);
/// ```
pub trait ObjectList {
    /// The objects of one page.
    type Page;
    /// The total number of objects.
    fn count(&self) -> usize;
    /// The objects in `range` (a range within `0..count()`).
    fn slice(&self, range: Range<usize>) -> Self::Page;
}

impl<'a, T> ObjectList for &'a [T] {
    type Page = &'a [T];
    fn count(&self) -> usize {
        self.len()
    }
    fn slice(&self, range: Range<usize>) -> &'a [T] {
        let end = range.end.min(self.len());
        self.get(range.start.min(end)..end).unwrap_or_default()
    }
}

impl<'a, T> ObjectList for &'a Vec<T> {
    type Page = &'a [T];
    fn count(&self) -> usize {
        self.len()
    }
    fn slice(&self, range: Range<usize>) -> &'a [T] {
        self.as_slice().slice(range)
    }
}

/// Django's `PageNotAnInteger`: the page number is not an integer.
///
/// # Examples
/// ```
/// use nuages::core::paginator::{InvalidPage, Paginator};
/// let p = Paginator::new(&[1][..], 1).unwrap();
/// assert!(matches!(p.page("x"), Err(InvalidPage::PageNotAnInteger(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageNotAnInteger(pub String);

/// Django's `EmptyPage`: the page number is below 1 or past the last page.
///
/// # Examples
/// ```
/// use nuages::core::paginator::{InvalidPage, Paginator};
/// let p = Paginator::new(&[1][..], 1).unwrap();
/// assert!(matches!(p.page(2), Err(InvalidPage::EmptyPage(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyPage(pub String);

/// Django's `InvalidPage`, the parent of [`PageNotAnInteger`] and [`EmptyPage`].
///
/// # Examples
/// ```
/// use nuages::core::paginator::{InvalidPage, Paginator};
/// let p = Paginator::new(&[1, 2, 3][..], 2).unwrap();
/// let e = p.page("2.5").unwrap_err();
/// assert!(matches!(e, InvalidPage::PageNotAnInteger(_)));
/// assert_eq!(e.to_string(), "That page number is not an integer");
/// assert_eq!(p.page(0).unwrap_err().to_string(), "That page number is less than 1");
/// assert_eq!(p.page(3).unwrap_err().to_string(), "That page contains no results");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidPage {
    /// Not an integer.
    PageNotAnInteger(PageNotAnInteger),
    /// Out of range.
    EmptyPage(EmptyPage),
}

impl fmt::Display for InvalidPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidPage::PageNotAnInteger(e) => f.write_str(&e.0),
            InvalidPage::EmptyPage(e) => f.write_str(&e.0),
        }
    }
}

impl std::error::Error for InvalidPage {}

/// A `per_page` of 0: Django's `ZeroDivisionError` when it counts the pages.
///
/// # Examples
/// ```
/// assert!(nuages::core::paginator::Paginator::new(&[1][..], 0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZeroPerPage;

impl fmt::Display for ZeroPerPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("per_page must be at least 1")
    }
}

impl std::error::Error for ZeroPerPage {}

/// A page number as a view receives it: an integer, a float, a string from the query string
/// (Python's `int()` rules: surrounding whitespace, a sign, `_` between digits and non-ASCII
/// decimal digits are accepted; `"1.0"` is not), or nothing.
///
/// # Examples
/// ```
/// use nuages::core::paginator::PageNumber;
/// assert_eq!(PageNumber::from(" +2 ").to_int(), Some(2));
/// assert_eq!(PageNumber::from("1.0").to_int(), None);
/// assert_eq!(PageNumber::from(2.0).to_int(), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum PageNumber {
    /// An integer.
    Int(i128),
    /// A float (accepted when integral).
    Float(f64),
    /// Text, parsed like Python's `int(text)`.
    Str(String),
    /// No number (`None`).
    None,
}

impl PageNumber {
    /// The integer Django's `int(number)` gives, or `None` for its `ValueError`/`TypeError`.
    ///
    /// # Examples
    /// ```
    /// use nuages::core::paginator::PageNumber;
    /// assert_eq!(PageNumber::from("1_000").to_int(), Some(1000));
    /// assert_eq!(PageNumber::from("last").to_int(), None);
    /// assert_eq!(PageNumber::None.to_int(), None);
    /// ```
    pub fn to_int(&self) -> Option<i128> {
        match self {
            PageNumber::Int(n) => Some(*n),
            PageNumber::Float(f) => (f.is_finite() && f.fract() == 0.0).then_some(*f as i128),
            PageNumber::Str(s) => nuages_py::builtins::int_from_str(s).map(i128::from),
            PageNumber::None => None,
        }
    }
}

macro_rules! page_number_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for PageNumber {
            fn from(n: $t) -> Self {
                PageNumber::Int(n as i128)
            }
        }
    )*};
}
page_number_from_int!(i32, i64, u32, u64, usize, isize);

impl From<bool> for PageNumber {
    fn from(b: bool) -> Self {
        PageNumber::Int(i128::from(b))
    }
}

impl From<f64> for PageNumber {
    fn from(f: f64) -> Self {
        PageNumber::Float(f)
    }
}

impl From<&str> for PageNumber {
    fn from(s: &str) -> Self {
        PageNumber::Str(s.to_owned())
    }
}

impl From<String> for PageNumber {
    fn from(s: String) -> Self {
        PageNumber::Str(s)
    }
}

impl From<&String> for PageNumber {
    fn from(s: &String) -> Self {
        PageNumber::Str(s.clone())
    }
}

impl<T: Into<PageNumber>> From<Option<T>> for PageNumber {
    fn from(o: Option<T>) -> Self {
        o.map_or(PageNumber::None, Into::into)
    }
}

/// The messages of the three errors (Django's `default_error_messages`, overridable with
/// `error_messages=`).
///
/// # Examples
/// ```
/// use nuages::core::paginator::{ErrorMessages, Paginator};
/// let p = Paginator::new(&[1][..], 1).unwrap().error_messages(ErrorMessages {
///     no_results: "Nothing here".into(),
///     ..ErrorMessages::default()
/// });
/// assert_eq!(p.page(9).unwrap_err().to_string(), "Nothing here");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMessages {
    /// `invalid_page`: not an integer.
    pub invalid_page: String,
    /// `min_page`: below 1.
    pub min_page: String,
    /// `no_results`: past the last page.
    pub no_results: String,
}

impl Default for ErrorMessages {
    fn default() -> Self {
        ErrorMessages {
            invalid_page: "That page number is not an integer".into(),
            min_page: "That page number is less than 1".into(),
            no_results: "That page contains no results".into(),
        }
    }
}

/// Django's `Paginator(object_list, per_page, orphans=0, allow_empty_first_page=True)`.
///
/// # Examples
/// ```
/// use nuages::core::paginator::Paginator;
/// let p = Paginator::new(&[0; 0][..], 10).unwrap();
/// assert_eq!((p.count(), p.num_pages()), (0, 1));
/// let p = Paginator::new(&[0; 0][..], 10).unwrap().allow_empty_first_page(false);
/// assert_eq!(p.num_pages(), 0);
/// ```
#[derive(Debug, Clone)]
pub struct Paginator<L> {
    object_list: L,
    count: usize,
    per_page: usize,
    orphans: usize,
    allow_empty_first_page: bool,
    error_messages: Arc<ErrorMessages>,
}

impl<L: ObjectList> Paginator<L> {
    /// A paginator of `per_page` objects a page (no orphans, an empty first page allowed).
    ///
    /// # Errors
    /// [`ZeroPerPage`] when `per_page` is 0 (Django fails with `ZeroDivisionError`).
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.num_pages(), 2);
    /// ```
    pub fn new(object_list: L, per_page: usize) -> Result<Self, ZeroPerPage> {
        if per_page == 0 {
            return Err(ZeroPerPage);
        }
        let count = object_list.count();
        Ok(Paginator {
            object_list,
            count,
            per_page,
            orphans: 0,
            allow_empty_first_page: true,
            error_messages: Arc::new(ErrorMessages::default()),
        })
    }

    /// `orphans=`: a last page with at most this many objects is merged into the previous one.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap().orphans(1);
    /// assert_eq!(p.num_pages(), 1);
    /// ```
    pub fn orphans(mut self, orphans: usize) -> Self {
        self.orphans = orphans;
        self
    }

    /// `allow_empty_first_page=`: with `false`, an empty list has no page at all.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[0u8; 0][..], 2).unwrap().allow_empty_first_page(false);
    /// assert!(p.get_page(1).is_err());
    /// ```
    pub fn allow_empty_first_page(mut self, allow: bool) -> Self {
        self.allow_empty_first_page = allow;
        self
    }

    /// `error_messages=`: replaces the messages of the errors.
    ///
    /// # Examples
    /// ```
    /// use nuages::core::paginator::{ErrorMessages, Paginator};
    /// let m = ErrorMessages { invalid_page: "Bad page".into(), ..ErrorMessages::default() };
    /// let p = Paginator::new(&[1][..], 1).unwrap().error_messages(m);
    /// assert_eq!(p.page("?").unwrap_err().to_string(), "Bad page");
    /// ```
    pub fn error_messages(mut self, messages: ErrorMessages) -> Self {
        self.error_messages = Arc::new(messages);
        self
    }

    /// The number of objects a page.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::core::paginator::Paginator::new(&[1][..], 5).unwrap().per_page(), 5);
    /// ```
    pub fn per_page(&self) -> usize {
        self.per_page
    }

    /// The total number of objects.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::core::paginator::Paginator::new(&[1, 2][..], 5).unwrap().count(), 2);
    /// ```
    pub fn count(&self) -> usize {
        self.count
    }

    /// The number of pages.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.num_pages(), 2);
    /// ```
    pub fn num_pages(&self) -> usize {
        if self.count == 0 && !self.allow_empty_first_page {
            return 0;
        }
        let hits = self.count.saturating_sub(self.orphans).max(1);
        hits.div_ceil(self.per_page)
    }

    /// The page numbers, `1..=num_pages`.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 1).unwrap();
    /// assert_eq!(p.page_range().collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    pub fn page_range(&self) -> std::ops::RangeInclusive<usize> {
        1..=self.num_pages()
    }

    /// `validate_number`: the page number as an index from 1, checked against the range.
    ///
    /// # Errors
    /// [`InvalidPage::PageNotAnInteger`] or [`InvalidPage::EmptyPage`].
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 1).unwrap();
    /// assert_eq!(p.validate_number(" 2 ").unwrap(), 2);
    /// assert!(p.validate_number(4).is_err());
    /// ```
    pub fn validate_number(&self, number: impl Into<PageNumber>) -> Result<usize, InvalidPage> {
        let n = number.into().to_int().ok_or_else(|| {
            InvalidPage::PageNotAnInteger(PageNotAnInteger(
                self.error_messages.invalid_page.clone(),
            ))
        })?;
        if n < 1 {
            return Err(InvalidPage::EmptyPage(EmptyPage(
                self.error_messages.min_page.clone(),
            )));
        }
        if n > self.num_pages() as i128 {
            return Err(InvalidPage::EmptyPage(EmptyPage(
                self.error_messages.no_results.clone(),
            )));
        }
        usize::try_from(n)
            .map_err(|_| InvalidPage::EmptyPage(EmptyPage(self.error_messages.no_results.clone())))
    }

    /// The page `number` (strict).
    ///
    /// # Errors
    /// As [`Paginator::validate_number`].
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(*p.page(2).unwrap().object_list(), &[3]);
    /// ```
    pub fn page(&self, number: impl Into<PageNumber>) -> Result<Page<L::Page>, InvalidPage> {
        let number = self.validate_number(number)?;
        let bottom = (number - 1) * self.per_page;
        let mut top = bottom + self.per_page;
        if top.saturating_add(self.orphans) >= self.count {
            top = self.count;
        }
        Ok(Page {
            object_list: self.object_list.slice(bottom..top),
            number,
            num_pages: self.num_pages(),
            count: self.count,
            per_page: self.per_page,
            error_messages: Arc::clone(&self.error_messages),
        })
    }

    /// `get_page`: the page `number`, the first page when it is not an integer, the last one
    /// when it is out of range.
    ///
    /// # Errors
    /// Only when there is no page at all (an empty list with `allow_empty_first_page(false)`),
    /// as in Django.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.get_page("abc").unwrap().number(), 1);
    /// assert_eq!(p.get_page(99).unwrap().number(), 2);
    /// ```
    pub fn get_page(&self, number: impl Into<PageNumber>) -> Result<Page<L::Page>, InvalidPage> {
        let number = match self.validate_number(number) {
            Ok(n) => n,
            Err(InvalidPage::PageNotAnInteger(_)) => 1,
            Err(InvalidPage::EmptyPage(_)) => self.num_pages(),
        };
        self.page(number)
    }

    /// Every page in order (`for page in paginator`).
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.pages().map(|pg| pg.object_list().len()).collect::<Vec<_>>(), [2, 1]);
    /// ```
    pub fn pages(&self) -> impl Iterator<Item = Page<L::Page>> + '_ {
        self.page_range().filter_map(|n| self.page(n).ok())
    }

    /// `get_elided_page_range(number, on_each_side=3, on_ends=2)`: the page numbers around
    /// `number` and at both ends, with [`PageRangeItem::Ellipsis`] for the gaps.
    ///
    /// # Errors
    /// As [`Paginator::validate_number`].
    ///
    /// # Examples
    /// ```
    /// use nuages::core::paginator::Paginator;
    /// let items: Vec<u8> = vec![0; 50];
    /// let p = Paginator::new(&items, 1).unwrap();
    /// let r: Vec<String> = p.get_elided_page_range(43, 3, 2).unwrap().iter().map(|i| i.to_string()).collect();
    /// assert_eq!(r.join(", "), "1, 2, …, 40, 41, 42, 43, 44, 45, 46, …, 49, 50");
    /// ```
    pub fn get_elided_page_range(
        &self,
        number: impl Into<PageNumber>,
        on_each_side: usize,
        on_ends: usize,
    ) -> Result<Vec<PageRangeItem>, InvalidPage> {
        let number = self.validate_number(number)?;
        let num_pages = self.num_pages();
        let pages = |r: Range<usize>| r.map(PageRangeItem::Page);
        // Saturating arithmetic: huge arguments behave like Python's unbounded integers.
        let ends = on_each_side.saturating_add(on_ends);
        if num_pages <= ends.saturating_mul(2) {
            return Ok(pages(1..num_pages + 1).collect());
        }
        // Past the shortcut, both arguments are smaller than `num_pages`.
        let mut out = Vec::new();
        if number > ends + 2 {
            out.extend(pages(1..on_ends + 1));
            out.push(PageRangeItem::Ellipsis);
            out.extend(pages(number - on_each_side..number + 1));
        } else {
            out.extend(pages(1..number + 1));
        }
        if number + ends + 1 < num_pages {
            out.extend(pages(number + 1..number + on_each_side + 1));
            out.push(PageRangeItem::Ellipsis);
            out.extend(pages(num_pages + 1 - on_ends..num_pages + 1));
        } else {
            out.extend(pages(number + 1..num_pages + 1));
        }
        Ok(out)
    }
}

/// One item of an elided page range: a page number or Django's `Paginator.ELLIPSIS` (`…`).
///
/// # Examples
/// ```
/// use nuages::core::paginator::PageRangeItem;
/// assert_eq!(PageRangeItem::Ellipsis.to_string(), "…");
/// assert_eq!(PageRangeItem::Page(3).to_string(), "3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageRangeItem {
    /// A page number.
    Page(usize),
    /// The gap marker, displayed as `…`.
    Ellipsis,
}

impl fmt::Display for PageRangeItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageRangeItem::Page(n) => write!(f, "{n}"),
            PageRangeItem::Ellipsis => f.write_str("…"),
        }
    }
}

/// Django's `Page`: the objects of one page and where it stands.
///
/// # Examples
/// ```
/// use nuages::core::paginator::Paginator;
/// let items = [1, 2, 3, 4, 5];
/// let p = Paginator::new(&items[..], 2).unwrap();
/// let page = p.page(2).unwrap();
/// assert_eq!(page.to_string(), "<Page 2 of 3>");
/// assert!(page.has_next() && page.has_previous() && page.has_other_pages());
/// assert_eq!(page.next_page_number().unwrap(), 3);
/// assert!(p.page(3).unwrap().next_page_number().is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Page<P> {
    object_list: P,
    number: usize,
    num_pages: usize,
    count: usize,
    per_page: usize,
    error_messages: Arc<ErrorMessages>,
}

impl<P> Page<P> {
    /// The objects of this page.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(*p.page(1).unwrap().object_list(), &[1, 2]);
    /// ```
    pub fn object_list(&self) -> &P {
        &self.object_list
    }

    /// Consumes the page, returning its objects.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.page(1).unwrap().into_object_list(), &[1, 2]);
    /// ```
    pub fn into_object_list(self) -> P {
        self.object_list
    }

    /// The page number (from 1).
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.page("2").unwrap().number(), 2);
    /// ```
    pub fn number(&self) -> usize {
        self.number
    }

    /// The paginator's page count.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.page(1).unwrap().num_pages(), 2);
    /// ```
    pub fn num_pages(&self) -> usize {
        self.num_pages
    }

    /// Whether a next page exists.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert!(p.page(1).unwrap().has_next());
    /// assert!(!p.page(2).unwrap().has_next());
    /// ```
    pub fn has_next(&self) -> bool {
        self.number < self.num_pages
    }

    /// Whether a previous page exists.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert!(!p.page(1).unwrap().has_previous());
    /// ```
    pub fn has_previous(&self) -> bool {
        self.number > 1
    }

    /// Whether there is a previous or a next page.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1][..], 2).unwrap();
    /// assert!(!p.page(1).unwrap().has_other_pages());
    /// ```
    pub fn has_other_pages(&self) -> bool {
        self.has_previous() || self.has_next()
    }

    /// The next page's number.
    ///
    /// # Errors
    /// [`InvalidPage::EmptyPage`] ("That page contains no results") on the last page.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.page(1).unwrap().next_page_number().unwrap(), 2);
    /// ```
    pub fn next_page_number(&self) -> Result<usize, InvalidPage> {
        if self.number + 1 > self.num_pages {
            return Err(InvalidPage::EmptyPage(EmptyPage(
                self.error_messages.no_results.clone(),
            )));
        }
        Ok(self.number + 1)
    }

    /// The previous page's number.
    ///
    /// # Errors
    /// [`InvalidPage::EmptyPage`] ("That page number is less than 1") on the first page.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.page(1).unwrap().previous_page_number().unwrap_err().to_string(), "That page number is less than 1");
    /// ```
    pub fn previous_page_number(&self) -> Result<usize, InvalidPage> {
        if self.number <= 1 {
            return Err(InvalidPage::EmptyPage(EmptyPage(
                self.error_messages.min_page.clone(),
            )));
        }
        Ok(self.number - 1)
    }

    /// The 1-based index of this page's first object among all objects (0 when there are none).
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.page(2).unwrap().start_index(), 3);
    /// ```
    pub fn start_index(&self) -> usize {
        if self.count == 0 {
            return 0;
        }
        self.per_page * (self.number - 1) + 1
    }

    /// The 1-based index of this page's last object among all objects.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::core::paginator::Paginator::new(&[1, 2, 3][..], 2).unwrap();
    /// assert_eq!(p.page(1).unwrap().end_index(), 2);
    /// ```
    pub fn end_index(&self) -> usize {
        if self.number == self.num_pages {
            return self.count;
        }
        self.number * self.per_page
    }
}

impl<P> fmt::Display for Page<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Page {} of {}>", self.number, self.num_pages)
    }
}
