//! `#[mixin]`: adds the mixin fields a `Model` struct lacks, then derives `SoftDelete` on it.
//!
//! The derive cannot add fields, so this attribute does: it runs before `DeriveEntityModel`
//! sees the struct, which therefore makes columns of the added fields. Added fields go last,
//! as the seed's mixin columns do.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{
    Attribute, Data, DeriveInput, Field, Fields, LitStr, Meta, Path, Token, parse::Parser,
    punctuated::Punctuated, spanned::Spanned,
};

use crate::ast::Role;
use crate::attr;
use crate::valid::Errors;

const OPTIONS: &str = "`token`, `token = \"millis\" | \"micros\" | \"id\"`, `allow_hard_delete`, \
    `no_behavior`, `crate = \"path\"`, `timestamp = \"..\"` or `token_type = \"..\"`";

/// The timestamp type of the added `created_at`, `updated_at` and `deleted_at` fields.
#[derive(Clone, Copy)]
enum Timestamp {
    Utc,
    FixedOffset,
    Naive,
}

impl Timestamp {
    const NAMES: &'static str =
        "\"DateTimeUtc\", \"DateTimeWithTimeZone\", \"DateTime\" or \"NaiveDateTime\"";

    fn parse(name: &str) -> Option<Self> {
        match name {
            "DateTimeUtc" => Some(Timestamp::Utc),
            "DateTimeWithTimeZone" => Some(Timestamp::FixedOffset),
            "DateTime" | "NaiveDateTime" => Some(Timestamp::Naive),
            _ => None,
        }
    }

    /// The type, named through the runtime crate so the user needs no `chrono` import.
    fn ty(self, krate: &TokenStream) -> TokenStream {
        let p = quote!(#krate::__private);
        match self {
            Timestamp::Utc => quote!(#p::DateTime<#p::Utc>),
            Timestamp::FixedOffset => quote!(#p::DateTime<#p::FixedOffset>),
            Timestamp::Naive => quote!(#p::NaiveDateTime),
        }
    }
}

/// The type of the added `delete_token` field.
#[derive(Clone, Copy)]
enum TokenType {
    I64,
    I32,
    OptionI64,
    OptionI32,
}

impl TokenType {
    const NAMES: &'static str = "\"i64\", \"i32\", \"Option<i64>\" or \"Option<i32>\"";

    fn parse(name: &str) -> Option<Self> {
        let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        match name.as_str() {
            "i64" => Some(TokenType::I64),
            "i32" => Some(TokenType::I32),
            "Option<i64>" => Some(TokenType::OptionI64),
            "Option<i32>" => Some(TokenType::OptionI32),
            _ => None,
        }
    }

    fn ty(self) -> TokenStream {
        // `Option` is spelled plainly: `DeriveEntityModel` spots nullable columns by that name.
        match self {
            TokenType::I64 => quote!(i64),
            TokenType::I32 => quote!(i32),
            TokenType::OptionI64 => quote!(Option<i64>),
            TokenType::OptionI32 => quote!(Option<i32>),
        }
    }
}

/// The attribute's own arguments.
struct Args {
    /// Options handed on to the derive as `#[soft_delete(..)]`, with their spans.
    derive_options: Vec<Meta>,
    timestamp: Timestamp,
    token_type: Option<(TokenType, Span)>,
}

pub fn mixin(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = parse_args(args, &mut errors);
    let item = match syn::parse2::<DeriveInput>(item.clone()) {
        Ok(input) => match &input.data {
            Data::Struct(_) => input,
            Data::Enum(data) => return refuse(data.enum_token.span, item, errors),
            Data::Union(data) => return refuse(data.union_token.span, item, errors),
        },
        Err(_) => return refuse(Span::call_site(), item, errors),
    };
    let mut out = TokenStream::new();
    let expanded = expand(item, &args, &mut errors);
    out.extend(errors.to_compile_error());
    out.extend(expanded.into_token_stream());
    out
}

/// Reports `mixin` on something other than a struct and hands the item back untouched.
fn refuse(span: Span, item: TokenStream, mut errors: Errors) -> TokenStream {
    errors.push(syn::Error::new(
        span,
        "`mixin` goes on an entity's `Model` struct",
    ));
    let mut out = errors.to_compile_error();
    out.extend(item);
    out
}

/// Parses the arguments; a bad one is reported and left out, so the struct still expands.
fn parse_args(args: TokenStream, errors: &mut Errors) -> Args {
    let mut out = Args {
        derive_options: Vec::new(),
        timestamp: Timestamp::Utc,
        token_type: None,
    };
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
        Ok(metas) => metas,
        Err(err) => {
            errors.push(err);
            return out;
        }
    };
    for meta in metas {
        let name = meta
            .path()
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match name.as_str() {
            "token" | "allow_hard_delete" | "no_behavior" | "crate" => {
                out.derive_options.push(meta)
            }
            "timestamp" => {
                if let Some(lit) = string_value(&meta, errors) {
                    match Timestamp::parse(&lit.value()) {
                        Some(ts) => out.timestamp = ts,
                        None => {
                            errors.push(unknown_value(&lit, "`timestamp` type", Timestamp::NAMES))
                        }
                    }
                }
            }
            "token_type" => {
                if let Some(lit) = string_value(&meta, errors) {
                    match TokenType::parse(&lit.value()) {
                        Some(ty) => out.token_type = Some((ty, meta.path().span())),
                        None => errors.push(unknown_value(&lit, "`token_type`", TokenType::NAMES)),
                    }
                }
            }
            _ => errors.push(syn::Error::new_spanned(
                meta.path(),
                format!(
                    "unknown `mixin` option `{}`: expected {OPTIONS}",
                    meta.path().to_token_stream().to_string().replace(' ', "")
                ),
            )),
        }
    }
    out
}

fn unknown_value(lit: &LitStr, what: &str, expected: &str) -> syn::Error {
    syn::Error::new(
        lit.span(),
        format!("unknown {what} \"{}\": expected {expected}", lit.value()),
    )
}

/// The string of `name = "value"`.
fn string_value(meta: &Meta, errors: &mut Errors) -> Option<LitStr> {
    let value = match meta {
        Meta::NameValue(nv) => &nv.value,
        other => {
            let name = other.path().to_token_stream();
            errors.push(syn::Error::new_spanned(
                other,
                format!("expected `{name} = \"..\"`"),
            ));
            return None;
        }
    };
    match value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Some(lit.clone()),
        other => {
            errors.push(syn::Error::new_spanned(other, "expected a string literal"));
            None
        }
    }
}

fn expand(mut input: DeriveInput, args: &Args, errors: &mut Errors) -> DeriveInput {
    let options_attr: Option<Attribute> = if args.derive_options.is_empty() {
        None
    } else {
        let options = &args.derive_options;
        Some(syn::parse_quote!(#[soft_delete(#(#options),*)]))
    };
    // The options in force, from the struct's own `#[soft_delete]` and these arguments; their
    // errors are the derive's to report.
    let all_attrs: Vec<Attribute> = input
        .attrs
        .iter()
        .cloned()
        .chain(options_attr.clone())
        .collect();
    let options = attr::parse_options(&all_attrs, &mut Errors::default());
    let token = options.token.is_some();
    if let (Some((_, span)), false) = (args.token_type, token) {
        errors.push(syn::Error::new(
            span,
            "`token_type` is the type of the `delete_token` field that `token` adds: add `token`",
        ));
    }
    let krate = match &options.krate {
        Some(path) => quote!(#path),
        None => quote!(::soft_delete_core),
    };

    let Data::Struct(data) = &mut input.data else {
        return input;
    };
    let Fields::Named(named) = &mut data.fields else {
        errors.push(syn::Error::new(
            data.fields.span(),
            "`mixin` needs a `Model` struct with named fields",
        ));
        return input;
    };
    let present: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|role| has_role(&named.named, *role))
        .collect();
    let ts = args.timestamp.ty(&krate);
    let mut wanted = vec![
        (Role::CreatedAt, ts.clone(), "When the row was inserted."),
        (Role::UpdatedAt, ts.clone(), "When the row was last saved."),
        (
            Role::DeletedAt,
            quote!(Option<#ts>),
            "When the row was soft deleted; `None` while it is live.",
        ),
    ];
    if token {
        let ty = args.token_type.map_or(TokenType::I64, |(ty, _)| ty).ty();
        wanted.push((
            Role::DeleteToken,
            ty,
            "`0` (or `NULL`) while live; set when the row is soft deleted (the deletion time, or the primary key with `token = \"id\"`).",
        ));
    }
    for (role, ty, doc) in wanted {
        if present.contains(&role) {
            continue;
        }
        let name = syn::Ident::new(role.name(), Span::call_site());
        let field = Field::parse_named.parse2(quote!(#[doc = #doc] pub #name: #ty));
        match field {
            Ok(field) => named.named.push(field),
            Err(err) => errors.push(err),
        }
    }
    insert_derive(&mut input.attrs, &krate, options_attr);
    input
}

/// Whether a field already plays `role`, by attribute or by name, as the derive decides it.
fn has_role(fields: &Punctuated<Field, Token![,]>, role: Role) -> bool {
    let mut ignored = Errors::default();
    fields
        .iter()
        .any(|field| match attr::parse_role(&field.attrs, &mut ignored) {
            Some((found, _)) => found == role,
            None => field.ident.as_ref().is_some_and(|ident| {
                let name = ident.to_string();
                let name = name.strip_prefix("r#").unwrap_or(&name);
                role.default_names().contains(&name)
            }),
        })
}

/// Adds `#[derive(SoftDelete)]` unless the struct has it, and the options after it: a derive
/// helper attribute must follow the derive that brings it in. Both go before the struct's
/// first `derive`, so an attribute macro above them (`#[sea_orm::model]`) still sees them.
fn insert_derive(attrs: &mut Vec<Attribute>, krate: &TokenStream, options: Option<Attribute>) {
    let existing = attrs.iter().position(derives_soft_delete);
    let at = match existing {
        Some(pos) => pos + 1,
        None => attrs
            .iter()
            .position(|a| a.path().is_ident("derive") || a.path().is_ident("soft_delete"))
            .unwrap_or(attrs.len()),
    };
    let mut added: Vec<Attribute> = Vec::new();
    if existing.is_none() {
        added.push(syn::parse_quote!(#[derive(#krate::SoftDelete)]));
    }
    added.extend(options);
    attrs.splice(at..at, added);
}

fn derives_soft_delete(attr: &Attribute) -> bool {
    if !attr.path().is_ident("derive") {
        return false;
    }
    attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
        .is_ok_and(|paths| {
            paths
                .iter()
                .any(|p| p.segments.last().is_some_and(|s| s.ident == "SoftDelete"))
        })
}
