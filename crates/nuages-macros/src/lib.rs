//! The procedural macros of nuages. Use them through `nuages` (`nuages::views::view`), which
//! re-exports them; the expansions name `::nuages` paths.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote, quote_spanned};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{
    Attribute, Error, Expr, FnArg, Ident, ImplItem, ImplItemFn, ItemImpl, LitStr, Result, Token,
};

/// Django's `http_method_names`, in Django's order, with the `http::Method` constant of each.
const VERBS: [(&str, &str); 8] = [
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("trace", "TRACE"),
];

/// The other methods of `View` shaped like a handler (`&self, request` → response).
const OTHER_HANDLERS: [&str; 2] = ["dispatch", "http_method_not_allowed"];

/// Methods `View` defines itself, so that `method_decorator(…, name = …)` may name them
/// without the impl writing them (Django: they are attributes of the class).
const INHERITED: [&str; 3] = ["dispatch", "http_method_not_allowed", "options"];

/// `#[nuages::views::view]` on an `impl View for YourView` block: see `nuages::views::View`.
///
/// It records which handlers the block writes (`View::HANDLERS`, Django's `hasattr`),
/// refuses a mix of `fn` and `async fn` handlers, lets handlers be written as plain
/// `fn`/`async fn` returning `HttpResponse` or `Result<HttpResponse, E>`, and applies
/// `#[method_decorator(…)]` attributes (on a handler, or on the block with `name = "…"`).
#[proc_macro_attribute]
pub fn view(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand(attr.into(), item.into()) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// One `method_decorator(expr)` / `method_decorator(expr, name = "get")`.
struct Decorator {
    expr: Expr,
    name: Option<LitStr>,
}

fn is_method_decorator(attr: &Attribute) -> bool {
    attr.path().is_ident("method_decorator")
}

fn parse_decorator(attr: &Attribute) -> Result<Decorator> {
    attr.parse_args_with(|input: ParseStream<'_>| {
        let expr: Expr = input.parse()?;
        let mut name = None;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            if !input.is_empty() {
                let key: Ident = input.parse()?;
                if key != "name" {
                    return Err(Error::new(
                        key.span(),
                        "method_decorator takes a decorator and optionally `name = \"method\"`",
                    ));
                }
                input.parse::<Token![=]>()?;
                name = Some(input.parse::<LitStr>()?);
                if input.peek(Token![,]) {
                    input.parse::<Token![,]>()?;
                }
            }
        }
        Ok(Decorator { expr, name })
    })
}

/// `|view| d1(d2(view))`: the decorators in the order written, the first outermost (Python's
/// stacking order, and `method_decorator([d1, d2])`'s).
fn decorator_chain(decorators: &[&Expr]) -> TokenStream2 {
    let names: Vec<_> = (0..decorators.len())
        .map(|i| format_ident!("__nuages_decorator_{}", i))
        .collect();
    let mut call = quote!(view);
    for name in names.iter().rev() {
        call = quote!(#name(#call));
    }
    let bindings = decorators
        .iter()
        .zip(&names)
        .map(|(d, name)| quote_spanned!(d.span()=> let #name = #d;));
    quote!(|view: ::nuages::views::ViewFn| -> ::nuages::views::ViewFn {
        #(#bindings)*
        #call
    })
}

/// A handler written in the block.
struct Handler {
    name: String,
    is_async: bool,
    span: proc_macro2::Span,
}

fn check_signature(f: &ImplItemFn) -> Result<()> {
    let name = &f.sig.ident;
    let shape = format!(
        "`{name}` must take `(&self, request: HttpRequest)` and return `HttpResponse` or `Result<HttpResponse, E>`"
    );
    if !f.sig.generics.params.is_empty() {
        return Err(Error::new(f.sig.generics.span(), shape));
    }
    let mut inputs = f.sig.inputs.iter();
    match inputs.next() {
        Some(FnArg::Receiver(r)) if r.reference.is_some() && r.mutability.is_none() => {}
        _ => return Err(Error::new(f.sig.span(), shape)),
    }
    match (inputs.next(), inputs.next()) {
        (Some(FnArg::Typed(_)), None) => Ok(()),
        _ => Err(Error::new(f.sig.inputs.span(), shape)),
    }
}

fn expand(attr: TokenStream2, item: TokenStream2) -> Result<TokenStream2> {
    if !attr.is_empty() {
        return Err(Error::new(attr.span(), "#[view] takes no arguments"));
    }
    let mut imp: ItemImpl = syn::parse2(item).map_err(|e| {
        Error::new(
            e.span(),
            "#[view] goes on an `impl View for YourView { … }` block",
        )
    })?;
    if imp.trait_.is_none() {
        return Err(Error::new(
            imp.self_ty.span(),
            "#[view] goes on an `impl View for YourView { … }` block, not an inherent impl",
        ));
    }

    // Block-level `#[method_decorator(d, name = "…")]`.
    let mut class_decorators: Vec<(String, Decorator)> = Vec::new();
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut imp.attrs) {
        if is_method_decorator(&attr) {
            let d = parse_decorator(&attr)?;
            let name = d.name.as_ref().map(LitStr::value).ok_or_else(|| {
                Error::new(
                    attr.span(),
                    "on the impl block, method_decorator needs `name = \"method\"` (the method to decorate, e.g. \"dispatch\")",
                )
            })?;
            class_decorators.push((name, d));
        } else {
            kept.push(attr);
        }
    }
    imp.attrs = kept;

    let self_name = match &*imp.self_ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::from("view"),
    };

    let mut handlers: Vec<Handler> = Vec::new();
    let mut inherent: Vec<ImplItemFn> = Vec::new();
    let mut items: Vec<ImplItem> = Vec::new();
    // Decorators per method name, outermost first: block-level ones wrap the method's own.
    let mut decorated: Vec<(String, Vec<Expr>)> = Vec::new();

    for item in std::mem::take(&mut imp.items) {
        match item {
            ImplItem::Const(c) if c.ident == "HANDLERS" || c.ident == "VIEW_IS_ASYNC" => {
                return Err(Error::new(
                    c.ident.span(),
                    format!("`{}` is written by #[view]; remove it", c.ident),
                ));
            }
            ImplItem::Fn(mut f) => {
                let name = f.sig.ident.to_string();
                let is_verb = VERBS.iter().any(|(v, _)| *v == name);
                if !is_verb && !OTHER_HANDLERS.contains(&name.as_str()) {
                    if f.attrs.iter().any(is_method_decorator) {
                        return Err(Error::new(
                            f.sig.ident.span(),
                            format!("method_decorator applies to handlers (get, post, …, dispatch), not to `{name}`"),
                        ));
                    }
                    items.push(ImplItem::Fn(f));
                    continue;
                }
                check_signature(&f)?;
                let mut own = Vec::new();
                let mut attrs = Vec::new();
                for attr in std::mem::take(&mut f.attrs) {
                    if is_method_decorator(&attr) {
                        let d = parse_decorator(&attr)?;
                        if let Some(n) = d.name {
                            return Err(Error::new(
                                n.span(),
                                "on a method, method_decorator takes no `name`",
                            ));
                        }
                        own.push(d.expr);
                    } else {
                        attrs.push(attr);
                    }
                }
                f.attrs = attrs;
                handlers.push(Handler {
                    name: name.clone(),
                    is_async: f.sig.asyncness.is_some(),
                    span: f.sig.ident.span(),
                });
                if !own.is_empty() {
                    decorated.push((name.clone(), own));
                }
                f.sig.ident = format_ident!("__nuages_view_{}", name);
                f.vis = syn::Visibility::Inherited;
                f.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                inherent.push(f);
            }
            other => items.push(other),
        }
    }

    // Block-level decorators name an existing method (Django's ValueError otherwise).
    for (name, d) in class_decorators.into_iter().rev() {
        let written = handlers.iter().any(|h| h.name == name);
        if !written && !INHERITED.contains(&name.as_str()) {
            let span = d.name.as_ref().map_or(d.expr.span(), LitStr::span);
            return Err(Error::new(
                span,
                format!(
                    "The keyword argument `name` must be the name of a method of the decorated class: {self_name}. Got '{name}' instead."
                ),
            ));
        }
        match decorated.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.insert(0, d.expr),
            None => decorated.push((name, vec![d.expr])),
        }
    }

    // Django's rule: all handlers sync or all async.
    if let Some(first) = handlers.first() {
        if let Some(other) = handlers.iter().find(|h| h.is_async != first.is_async) {
            let (a, s) = if first.is_async {
                (first, other)
            } else {
                (other, first)
            };
            return Err(Error::new(
                other.span,
                format!(
                    "{self_name} HTTP handlers must either be all sync or all async: `{}` is `async fn`, `{}` is `fn`",
                    a.name, s.name
                ),
            ));
        }
    }
    let view_is_async = handlers.first().is_none_or(|h| h.is_async);

    let mut generated: Vec<TokenStream2> = Vec::new();
    let mut generate = |name: &str, user_written: Option<bool>, decorators: Option<&Vec<Expr>>| {
        let ident = format_ident!("{}", name);
        let inner = format_ident!("__nuages_view_{}", name);
        // The undecorated handler as a future of `Result<HttpResponse>`.
        let call = |request: TokenStream2| match user_written {
            Some(true) => quote!(async move {
                ::nuages::views::IntoViewResult::into_view_result(Self::#inner(self, #request).await)
            }),
            Some(false) => quote!(::core::future::ready(
                ::nuages::views::IntoViewResult::into_view_result(Self::#inner(self, #request))
            )),
            None => {
                let base = format_ident!("{}", name);
                quote!(::nuages::views::generic::base::#base(self, #request))
            }
        };
        let body = match decorators {
            Some(list) => {
                let chain = decorator_chain(&list.iter().collect::<Vec<_>>());
                let handler = call(quote!(request));
                quote!(::nuages::utils::decorators::method_decorator(
                    #chain,
                    request,
                    move |request: ::nuages::HttpRequest| #handler,
                ))
            }
            None => call(quote!(request)),
        };
        generated.push(quote! {
            fn #ident(
                &self,
                request: ::nuages::HttpRequest,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<::nuages::HttpResponse, ::nuages::Error>,
            > + ::core::marker::Send {
                #body
            }
        });
    };
    for h in &handlers {
        let decorators = decorated.iter().find(|(n, _)| *n == h.name).map(|(_, l)| l);
        generate(&h.name, Some(h.is_async), decorators);
    }
    for (name, list) in &decorated {
        if !handlers.iter().any(|h| h.name == *name) {
            generate(name, None, Some(list));
        }
    }
    let view_attrs = decorated
        .iter()
        .find(|(n, _)| n == "dispatch")
        .map(|(_, list)| {
            let chain = decorator_chain(&list.iter().collect::<Vec<_>>());
            quote! {
                fn view_attrs() -> ::nuages::views::ViewAttrs {
                    ::nuages::utils::decorators::decorated_attrs(#chain)
                }
            }
        });

    let methods = handlers.iter().filter_map(|h| {
        VERBS.iter().find(|(v, _)| *v == h.name).map(|(_, m)| {
            let m = format_ident!("{}", m);
            quote!(::nuages::http_types::Method::#m)
        })
    });

    let (impl_generics, _, where_clause) = imp.generics.split_for_impl();
    let self_ty = &imp.self_ty;
    let attrs = &imp.attrs;
    let trait_path = imp
        .trait_
        .as_ref()
        .map(|(bang, path, _)| quote!(#bang #path));
    let unsafety = &imp.unsafety;
    Ok(quote! {
        impl #impl_generics #self_ty #where_clause {
            #(#inherent)*
        }

        #(#attrs)*
        #unsafety impl #impl_generics #trait_path for #self_ty #where_clause {
            const HANDLERS: &'static [::nuages::http_types::Method] = &[#(#methods),*];
            const VIEW_IS_ASYNC: bool = #view_is_async;
            #(#generated)*
            #view_attrs
            #(#items)*
        }
    })
}
