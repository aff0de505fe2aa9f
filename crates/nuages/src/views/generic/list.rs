//! The equivalent of `django/views/generic/list.py`: [`MultipleObjectMixin`] (the object list,
//! pagination and the context), [`get`] (`BaseListView.get`) and [`ListView`].
//!
//! nuages has no ORM: the "queryset" is any slice of values a template can show (`T:
//! Into<template::Value>`, e.g. [`Value::from_serialize`]'s output or your own conversion), and
//! [`MultipleObjectMixin::get_queryset`] may compute it per request. Only the objects of the
//! page shown are converted.
//!
//! The context is Django's: `object_list` (the page's objects when paginated), `paginator` and
//! `page_obj` (objects with Django's attributes and methods, `None` without pagination),
//! `is_paginated`, and the list again under [`MultipleObjectMixin::context_object_name`] when
//! it is set. Django's default name, `<model>_list`, needs a model; a plain list has none, so
//! by default there is no second name, exactly as Django does for a list.
//!
//! Not offered: `ordering` (it calls `QuerySet.order_by`; sort in `get_queryset`),
//! `paginator_class`/`get_paginator` (the paginator is [`Paginator`]), and `paginator.page()`
//! in templates (the page shown is `page_obj`).
//!
//! ```
//! use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
//! use nuages::urls::path;
//! use nuages::views::generic::ListView;
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(
//!     dir.path().join("numbers.html"),
//!     "{% for n in numbers %}{{ n }} {% endfor %}| {{ page_obj.number }}/{{ paginator.num_pages }} next={{ page_obj.has_next() }}",
//! ).unwrap();
//! let view = ListView {
//!     queryset: Some((1..=25).collect::<Vec<i64>>()),
//!     paginate_by: Some(10),
//!     context_object_name: Some("numbers".into()),
//!     template_name: Some("numbers.html".into()),
//!     ..Default::default()
//! };
//! let app = nuages::App::builder()
//!     .settings(nuages::Settings { debug: true, ..Default::default() })
//!     .templates([EngineConfig::new(Jinja2Backend).dirs([dir.path()])])
//!     .urls([path("numbers/", view.as_view())])
//!     .build()
//!     .unwrap();
//! let client = nuages::test::Client::new(app);
//! let r = client.get("/numbers/?page=last").send().await;
//! assert_eq!(r.text(), "21 22 23 24 25 | 3/3 next=False");
//! let r = client.get("/numbers/?page=9").send().await;
//! assert_eq!(r.status(), 404); // "Invalid page (9): That page contains no results"
//! # });
//! ```

use std::borrow::Cow;
use std::future::Future;

use http::Method;

use super::base::{url_kwargs, ResponseClass, TemplateResponseMixin, View, HTTP_METHOD_NAMES};
use crate::core::exceptions::ImproperlyConfigured;
use crate::core::paginator::{InvalidPage, ObjectList, Page, PageRangeItem, Paginator};
use crate::template::response::TemplateResponse;
use crate::template::{Context, TemplateObject, Value};
use crate::urls::Value as UrlValue;
use crate::{Error, Http404, HttpRequest, HttpResponse};

/// Django's `MultipleObjectMixin`: the object list of a view and its pagination.
///
/// The attributes are methods with Django's defaults; each `get_*` method is Django's and
/// reads them.
///
/// # Examples
/// A view with its own `get_queryset` and a custom `head` (the seed app's book list):
/// ```
/// use nuages::template::Value;
/// use nuages::views::generic::{list, MultipleObjectMixin, TemplateResponseMixin, View};
/// use nuages::{HttpRequest, HttpResponse, Result};
/// use std::borrow::Cow;
///
/// struct Books;
///
/// impl MultipleObjectMixin for Books {
///     type Object = Value;
///     fn get_queryset(&self, _request: &HttpRequest) -> Result<Cow<'_, [Value]>> {
///         Ok(Cow::Owned(vec![Value::from("Dune"), Value::from("Emma")]))
///     }
/// }
///
/// impl TemplateResponseMixin for Books {
///     fn template_name(&self) -> Option<&str> {
///         Some("books.html")
///     }
/// }
///
/// #[nuages::views::view]
/// impl View for Books {
///     async fn get(&self, request: HttpRequest) -> Result<HttpResponse> {
///         list::get(self, &request) // BaseListView.get
///     }
///     async fn head(&self, _request: HttpRequest) -> HttpResponse {
///         HttpResponse::empty().with_header("X-Count", "2")
///     }
/// }
/// let _ = nuages::urls::path("books/", Books.as_view());
/// ```
pub trait MultipleObjectMixin: Send + Sync {
    /// The objects listed.
    type Object: Clone + Into<Value> + Send + Sync;

    /// `queryset`: the objects, when they are fixed.
    fn queryset(&self) -> Option<&[Self::Object]> {
        None
    }

    /// `allow_empty` (default `true`): when `false`, an empty list is a 404.
    fn allow_empty(&self) -> bool {
        true
    }

    /// `paginate_by`: the page size (`None` or 0: no pagination).
    fn paginate_by(&self) -> Option<usize> {
        None
    }

    /// `paginate_orphans`: how many objects the last page may take over from a page of its own.
    fn paginate_orphans(&self) -> usize {
        0
    }

    /// `context_object_name`: a second context name for the list.
    fn context_object_name(&self) -> Option<&str> {
        None
    }

    /// `page_kwarg` (default `page`): the URL kwarg or `GET` parameter holding the page number.
    fn page_kwarg(&self) -> &str {
        "page"
    }

    /// `extra_context` (from `ContextMixin`).
    fn extra_context(&self) -> Option<&Context> {
        None
    }

    /// `get_queryset()`: [`MultipleObjectMixin::queryset`].
    ///
    /// # Errors
    /// `ImproperlyConfigured` when there is no queryset (Django's message, with the view's
    /// type name).
    fn get_queryset(&self, request: &HttpRequest) -> Result<Cow<'_, [Self::Object]>, Error> {
        let _ = request;
        match self.queryset() {
            Some(objects) => Ok(Cow::Borrowed(objects)),
            None => {
                let cls = short_type_name::<Self>();
                Err(ImproperlyConfigured::new(format!(
                    "{cls} is missing a QuerySet. Define {cls}.model, {cls}.queryset, or override {cls}.get_queryset()."
                ))
                .into())
            }
        }
    }

    /// `get_allow_empty()`.
    fn get_allow_empty(&self) -> bool {
        self.allow_empty()
    }

    /// `get_paginate_by(queryset)`.
    fn get_paginate_by(&self, object_list: &[Self::Object]) -> Option<usize> {
        let _ = object_list;
        self.paginate_by()
    }

    /// `get_paginate_orphans()`.
    fn get_paginate_orphans(&self) -> usize {
        self.paginate_orphans()
    }

    /// `get_context_object_name(object_list)`.
    fn get_context_object_name(&self, object_list: &[Self::Object]) -> Option<String> {
        let _ = object_list;
        self.context_object_name().map(str::to_owned)
    }

    /// `get_context_data(object_list=…, **kwargs)` ([`get_context_data`]).
    ///
    /// # Errors
    /// 404 for a page that is not a number or does not exist.
    fn get_context_data(
        &self,
        request: &HttpRequest,
        object_list: &[Self::Object],
        kwargs: Context,
    ) -> Result<Context, Error> {
        get_context_data(self, request, object_list, kwargs)
    }
}

/// The type's name without its path or generic arguments (Python's `cls.__name__`).
fn short_type_name<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

/// A paginator's view of a list: its length only (the page's objects are taken from the list).
#[derive(Debug, Clone, Copy)]
struct Counted(usize);

impl ObjectList for Counted {
    type Page = ();
    fn count(&self) -> usize {
        self.0
    }
    fn slice(&self, _range: std::ops::Range<usize>) {}
}

/// Python's `int(page)` for a page number given as text: `Ok(text of the int)` when it is
/// one (the text keeps integers beyond `i64` exact), `Err` when `int()` raises.
fn page_int(text: &str) -> Option<(i64, String)> {
    let n = nuages_py::builtins::int_from_str(text)?;
    if n != i64::MAX && n != -i64::MAX {
        return Some((n, n.to_string()));
    }
    // Saturated: write the exact decimal (ASCII digits; others keep the saturated value).
    let t = text.trim();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = digits.trim_start_matches('0');
        Some((
            n,
            format!("{sign}{}", if trimmed.is_empty() { "0" } else { trimmed }),
        ))
    } else {
        Some((n, n.to_string()))
    }
}

/// A paginator over a list and the page shown.
type Paginated<'l, T> = (Paginator<&'l [T]>, Page<&'l [T]>);

/// Django's `MultipleObjectMixin.paginate_queryset`: the page number from the URL kwarg
/// [`MultipleObjectMixin::page_kwarg`], else the `GET` parameter, else 1 (`last` for the last
/// page), and the page.
fn paginate<'l, V: MultipleObjectMixin + ?Sized>(
    view: &V,
    request: &HttpRequest,
    object_list: &'l [V::Object],
    page_size: usize,
) -> Result<Paginated<'l, V::Object>, Error> {
    let paginator = Paginator::new(object_list, page_size)
        .map_err(Error::internal)?
        .orphans(view.get_paginate_orphans())
        .allow_empty_first_page(view.get_allow_empty());
    let page_kwarg = view.page_kwarg();
    // `self.kwargs.get(page_kwarg) or self.request.GET.get(page_kwarg) or 1`
    let from_kwargs = url_kwargs(request).get(page_kwarg).and_then(|v| match v {
        UrlValue::Int(0) => None,
        UrlValue::Str(s) if s.is_empty() => None,
        other => Some(other.clone()),
    });
    let from_query = || -> Result<Option<UrlValue>, Error> {
        Ok(request
            .query()?
            .get(page_kwarg)
            .filter(|s| !s.is_empty())
            .map(|s| UrlValue::Str(s.to_owned())))
    };
    let page = match from_kwargs {
        Some(v) => v,
        None => from_query()?.unwrap_or(UrlValue::Int(1)),
    };
    let (number, shown) = match &page {
        UrlValue::Int(n) => (*n, n.to_string()),
        UrlValue::Str(s) => match page_int(s) {
            Some(n) => n,
            None if s == "last" => {
                let n = paginator.num_pages();
                (i64::try_from(n).unwrap_or(i64::MAX), n.to_string())
            }
            None => {
                return Err(
                    Http404::new("Page is not “last”, nor can it be converted to an int.").into(),
                )
            }
        },
        _ => {
            return Err(
                Http404::new("Page is not “last”, nor can it be converted to an int.").into(),
            )
        }
    };
    match paginator.page(number) {
        Ok(p) => Ok((paginator, p)),
        Err(e) => Err(Http404::new(format!("Invalid page ({shown}): {e}")).into()),
    }
}

/// Django's `MultipleObjectMixin.get_context_data`: `paginator`, `page_obj`, `is_paginated`,
/// `object_list` (the page's objects when paginated), the list under the context object name,
/// then `kwargs` and the view's `extra_context`.
///
/// # Errors
/// 404 for a page number that is not an integer nor `last` ("Page is not “last”, nor can it
/// be converted to an int.") or an invalid page ("Invalid page (9): That page contains no
/// results").
///
/// # Examples
/// ```
/// use nuages::template::{Context, Value};
/// use nuages::views::generic::{list::get_context_data, ListView};
/// let view = ListView { queryset: Some(vec![1i64, 2, 3]), paginate_by: Some(2), ..Default::default() };
/// let req = nuages::test::RequestFactory::new().get("/?page=2").build();
/// let ctx = get_context_data(&view, &req, &[1, 2, 3], Context::new()).unwrap();
/// assert_eq!(ctx.get("object_list"), Some(&Value::from(vec![3])));
/// assert_eq!(ctx.get("is_paginated"), Some(&Value::Bool(true)));
/// ```
pub fn get_context_data<V: MultipleObjectMixin + ?Sized>(
    view: &V,
    request: &HttpRequest,
    object_list: &[V::Object],
    kwargs: Context,
) -> Result<Context, Error> {
    let values = |objects: &[V::Object]| -> Value {
        Value::List(objects.iter().cloned().map(Into::into).collect())
    };
    let context_object_name = view.get_context_object_name(object_list);
    let page_size = view.get_paginate_by(object_list).filter(|n| *n > 0);
    let mut context = Context::new();
    let shown = match page_size {
        Some(size) => {
            let (paginator, page) = paginate(view, request, object_list, size)?;
            let objects = values(page.object_list());
            let paginator_value = Value::object(PaginatorObject(
                Paginator::new(Counted(paginator.count()), paginator.per_page())
                    .map_err(Error::internal)?
                    .orphans(view.get_paginate_orphans())
                    .allow_empty_first_page(view.get_allow_empty()),
            ));
            context.insert("paginator", paginator_value.clone());
            context.insert(
                "page_obj",
                Value::object(PageObject {
                    number: page.number(),
                    num_pages: page.num_pages(),
                    has_next: page.has_next(),
                    has_previous: page.has_previous(),
                    next: page.next_page_number().map_err(|e| e.to_string()),
                    previous: page.previous_page_number().map_err(|e| e.to_string()),
                    start_index: page.start_index(),
                    end_index: page.end_index(),
                    object_list: objects.clone(),
                    paginator: paginator_value,
                }),
            );
            context.insert("is_paginated", page.has_other_pages());
            objects
        }
        None => {
            context.insert("paginator", Value::None);
            context.insert("page_obj", Value::None);
            context.insert("is_paginated", false);
            values(object_list)
        }
    };
    context.insert("object_list", shown.clone());
    if let Some(name) = context_object_name {
        context.insert(name, shown);
    }
    context.update(kwargs);
    if let Some(extra) = view.extra_context() {
        context.update(extra.clone());
    }
    Ok(context)
}

/// Django's `BaseListView.get`: the object list ([`MultipleObjectMixin::get_queryset`]), a 404
/// when it is empty and [`MultipleObjectMixin::get_allow_empty`] is `false`, then the context
/// and the template response.
///
/// # Errors
/// The queryset's, the 404s of pagination, and the template response's.
///
/// # Examples
/// See [`MultipleObjectMixin`].
pub fn get<V: MultipleObjectMixin + TemplateResponseMixin + ?Sized>(
    view: &V,
    request: &HttpRequest,
) -> Result<HttpResponse, Error> {
    let object_list = view.get_queryset(request)?;
    if !view.get_allow_empty() && object_list.is_empty() {
        return Err(Http404::new(format!(
            "Empty list and “{}.allow_empty” is False.",
            short_type_name::<V>()
        ))
        .into());
    }
    let context = view.get_context_data(request, &object_list, Context::new())?;
    view.render_to_response(request, context)
}

/// Django's `MultipleObjectTemplateResponseMixin.get_template_names` for a list without a
/// model: `[template_name]`.
///
/// # Errors
/// `ImproperlyConfigured("<View> requires either a 'template_name' attribute or a
/// get_queryset() method that returns a QuerySet.")`.
///
/// # Examples
/// ```
/// use nuages::views::generic::{list, ListView};
/// let err = list::get_template_names(&ListView::<i64>::default()).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "ListView requires either a 'template_name' attribute or a get_queryset() method that returns a QuerySet."
/// );
/// ```
pub fn get_template_names<V: TemplateResponseMixin + ?Sized>(
    view: &V,
) -> Result<Vec<String>, Error> {
    match view.template_name() {
        Some(name) => Ok(vec![name.to_owned()]),
        None => Err(ImproperlyConfigured::new(format!(
            "{} requires either a 'template_name' attribute or a get_queryset() method that returns a QuerySet.",
            short_type_name::<V>()
        ))
        .into()),
    }
}

/// `page_obj` in a template: Django's `Page` (`number`, `object_list`, `paginator`,
/// `has_next()`, `has_previous()`, `has_other_pages()`, `next_page_number()`,
/// `previous_page_number()`, `start_index()`, `end_index()`, iteration, `<Page 1 of 3>`).
#[derive(Debug)]
struct PageObject {
    number: usize,
    num_pages: usize,
    has_next: bool,
    has_previous: bool,
    next: Result<usize, String>,
    previous: Result<usize, String>,
    start_index: usize,
    end_index: usize,
    object_list: Value,
    paginator: Value,
}

impl TemplateObject for PageObject {
    fn attr(&self, name: &str) -> Option<Value> {
        Some(match name {
            "number" => Value::from(self.number),
            "object_list" => self.object_list.clone(),
            "paginator" => self.paginator.clone(),
            _ => return None,
        })
    }

    fn call_method(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        Some(match name {
            "has_next" => Ok(Value::Bool(self.has_next)),
            "has_previous" => Ok(Value::Bool(self.has_previous)),
            "has_other_pages" => Ok(Value::Bool(self.has_next || self.has_previous)),
            "next_page_number" => self.next.clone().map(Value::from),
            "previous_page_number" => self.previous.clone().map(Value::from),
            "start_index" => Ok(Value::from(self.start_index)),
            "end_index" => Ok(Value::from(self.end_index)),
            _ => return None,
        })
    }

    fn items(&self) -> Option<Vec<Value>> {
        match &self.object_list {
            Value::List(items) => Some(items.clone()),
            _ => None,
        }
    }

    fn to_str(&self) -> String {
        format!("<Page {} of {}>", self.number, self.num_pages)
    }
}

/// `paginator` in a template: Django's `Paginator` (`count`, `num_pages`, `per_page`,
/// `orphans`, `allow_empty_first_page`, `page_range`, `get_elided_page_range(number,
/// on_each_side=3, on_ends=2)`). Its `page()`/`get_page()` are not offered: the page shown
/// is `page_obj`.
#[derive(Debug)]
struct PaginatorObject(Paginator<Counted>);

impl TemplateObject for PaginatorObject {
    fn attr(&self, name: &str) -> Option<Value> {
        let p = &self.0;
        Some(match name {
            "count" => Value::from(p.count()),
            "num_pages" => Value::from(p.num_pages()),
            "per_page" => Value::from(p.per_page()),
            "page_range" => Value::List(p.page_range().map(Value::from).collect()),
            _ => return None,
        })
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name != "get_elided_page_range" {
            return None;
        }
        let (mut positional, mut on_each_side, mut on_ends) = (Vec::new(), 3usize, 2usize);
        for arg in args {
            match arg {
                Value::Map(kwargs) => {
                    for (k, v) in kwargs {
                        let n = match v {
                            Value::Int(n) => usize::try_from(*n).unwrap_or(0),
                            _ => return Some(Err(format!("{k} must be an integer"))),
                        };
                        match k.as_str() {
                            "on_each_side" => on_each_side = n,
                            "on_ends" => on_ends = n,
                            other => {
                                return Some(Err(format!(
                                    "get_elided_page_range() got an unexpected keyword argument '{other}'"
                                )))
                            }
                        }
                    }
                }
                other => positional.push(other.clone()),
            }
        }
        let number = match positional.first() {
            None => crate::core::paginator::PageNumber::Int(1),
            Some(Value::Int(n)) => crate::core::paginator::PageNumber::Int(i128::from(*n)),
            Some(Value::Str(s)) => crate::core::paginator::PageNumber::Str(s.clone()),
            Some(Value::Float(f)) => crate::core::paginator::PageNumber::Float(*f),
            Some(_) => crate::core::paginator::PageNumber::None,
        };
        Some(
            self.0
                .get_elided_page_range(number, on_each_side, on_ends)
                .map(|items| {
                    Value::List(
                        items
                            .into_iter()
                            .map(|i| match i {
                                PageRangeItem::Page(n) => Value::from(n),
                                PageRangeItem::Ellipsis => Value::from("…"),
                            })
                            .collect(),
                    )
                })
                .map_err(|e: InvalidPage| e.to_string()),
        )
    }

    fn to_str(&self) -> String {
        "<django.core.paginator.Paginator object>".into()
    }
}

/// Django's `ListView`: the objects of [`ListView::queryset`] (paginated with
/// [`ListView::paginate_by`]) rendered with [`ListView::template_name`]; see the [module
/// documentation](self) for the context.
///
/// A view computing its list per request implements [`MultipleObjectMixin`] itself (see its
/// example).
///
/// # Examples
/// ```
/// use nuages::views::generic::{ListView, MultipleObjectMixin};
/// // ListView.as_view(queryset=[...], paginate_by=2, allow_empty=False)
/// let view = ListView {
///     queryset: Some(vec!["a", "b", "c"]),
///     paginate_by: Some(2),
///     allow_empty: false,
///     template_name: Some("letters.html".into()),
///     ..Default::default()
/// };
/// assert_eq!(view.get_paginate_by(&[]), Some(2));
/// let _ = nuages::urls::path("letters/", view.as_view());
/// ```
#[derive(Debug, Clone)]
pub struct ListView<T = Value> {
    /// `queryset`: the objects.
    pub queryset: Option<Vec<T>>,
    /// `allow_empty` (default `true`).
    pub allow_empty: bool,
    /// `paginate_by`.
    pub paginate_by: Option<usize>,
    /// `paginate_orphans`.
    pub paginate_orphans: usize,
    /// `context_object_name`.
    pub context_object_name: Option<String>,
    /// `page_kwarg` (default `page`).
    pub page_kwarg: String,
    /// `extra_context`.
    pub extra_context: Option<Context>,
    /// `template_name`.
    pub template_name: Option<String>,
    /// `template_engine`.
    pub template_engine: Option<String>,
    /// `content_type`.
    pub content_type: Option<String>,
    /// `response_class`.
    pub response_class: ResponseClass,
    /// `http_method_names`.
    pub http_method_names: Cow<'static, [Method]>,
}

impl<T> Default for ListView<T> {
    fn default() -> Self {
        ListView {
            queryset: None,
            allow_empty: true,
            paginate_by: None,
            paginate_orphans: 0,
            context_object_name: None,
            page_kwarg: "page".into(),
            extra_context: None,
            template_name: None,
            template_engine: None,
            content_type: None,
            response_class: TemplateResponse::into_lazy_response,
            http_method_names: Cow::Borrowed(HTTP_METHOD_NAMES),
        }
    }
}

impl<T: Clone + Into<Value> + Send + Sync + 'static> ListView<T> {
    /// [`View::as_view`] (no import of [`View`] needed).
    ///
    /// # Examples
    /// ```
    /// let _ = nuages::urls::path("x/", nuages::views::generic::ListView::<i64>::default().as_view());
    /// ```
    #[allow(clippy::wrong_self_convention)] // Django's name
    pub fn as_view(self) -> crate::views::ViewFn {
        View::as_view(self)
    }
}

impl<T: Clone + Into<Value> + Send + Sync> MultipleObjectMixin for ListView<T> {
    type Object = T;

    fn queryset(&self) -> Option<&[T]> {
        self.queryset.as_deref()
    }

    fn allow_empty(&self) -> bool {
        self.allow_empty
    }

    fn paginate_by(&self) -> Option<usize> {
        self.paginate_by
    }

    fn paginate_orphans(&self) -> usize {
        self.paginate_orphans
    }

    fn context_object_name(&self) -> Option<&str> {
        self.context_object_name.as_deref()
    }

    fn page_kwarg(&self) -> &str {
        &self.page_kwarg
    }

    fn extra_context(&self) -> Option<&Context> {
        self.extra_context.as_ref()
    }
}

impl<T> TemplateResponseMixin for ListView<T> {
    fn template_name(&self) -> Option<&str> {
        self.template_name.as_deref()
    }

    fn template_engine(&self) -> Option<&str> {
        self.template_engine.as_deref()
    }

    fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    fn response_class(&self) -> ResponseClass {
        self.response_class
    }

    fn get_template_names(&self, _request: &HttpRequest) -> Result<Vec<String>, Error> {
        get_template_names(self)
    }
}

impl<T: Clone + Into<Value> + Send + Sync + 'static> View for ListView<T> {
    const HANDLERS: &'static [Method] = &[Method::GET];

    fn http_method_names(&self) -> &[Method] {
        &self.http_method_names
    }

    fn get(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        std::future::ready(get(self, &request))
    }
}
