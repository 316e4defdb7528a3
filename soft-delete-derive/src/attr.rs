//! Parsing `#[soft_delete(...)]` and the parts of `#[sea_orm(...)]` the derive needs.

use proc_macro2::{TokenStream, TokenTree};
use syn::{
    Attribute, Data, DeriveInput, Fields, Ident, LitStr, Meta, Path, Token, spanned::Spanned,
};

use crate::ast::{Field, Input, Options, Precision, Role};
use crate::case::upper_camel;
use crate::valid::Errors;

const OPTIONS: &str = "`token`, `token = \"millis\" | \"micros\" | \"id\"`, `allow_hard_delete`, `no_behavior` or `crate = \"path\"`";

/// Parses the struct. Returns `None` when it is not a struct the derive can work on at all;
/// every problem found goes into `errors`, and parsing goes on past fixable ones.
pub fn parse<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<Input<'a>> {
    let data = match &input.data {
        Data::Struct(data) => data,
        Data::Enum(data) => {
            errors.push(syn::Error::new(
                data.enum_token.span,
                "`SoftDelete` goes on an entity's `Model` struct, not on an enum",
            ));
            return None;
        }
        Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span,
                "`SoftDelete` goes on an entity's `Model` struct, not on a union",
            ));
            return None;
        }
    };
    if input.ident != "Model" {
        errors.push(syn::Error::new(
            input.ident.span(),
            format!(
                "`SoftDelete` goes on the entity's `Model` struct (the one with \
                 `DeriveEntityModel`), not on `{}`",
                input.ident
            ),
        ));
        return None;
    }
    let Fields::Named(named) = &data.fields else {
        errors.push(syn::Error::new(
            data.fields.span(),
            "`SoftDelete` needs a `Model` struct with named fields",
        ));
        return None;
    };
    let options = parse_options(&input.attrs, errors);
    let fields = named
        .named
        .iter()
        .filter_map(|field| {
            let ident = field.ident.as_ref()?;
            Some(Field {
                ident,
                ty: &field.ty,
                variant: column_variant(ident, &field.attrs),
                role: parse_role(&field.attrs, errors),
                primary_key: is_primary_key(&field.attrs),
            })
        })
        .collect();
    Some(Input {
        ident: &input.ident,
        options,
        fields,
    })
}

/// Struct-level options, all of them parsed even when this fails, so the fallback knows
/// whether to emit an `ActiveModelBehavior`.
pub fn parse_options(attrs: &[Attribute], errors: &mut Errors) -> Options {
    let mut options = Options::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("soft_delete")) {
        let result = attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            if path.is_ident("token") {
                let precision = if meta.input.peek(Token![=]) {
                    let lit: LitStr = meta.value()?.parse()?;
                    match lit.value().as_str() {
                        "seconds" => Precision::Seconds,
                        "millis" => Precision::Millis,
                        "micros" => Precision::Micros,
                        "id" => Precision::PrimaryKey,
                        other => {
                            return Err(syn::Error::new(
                                lit.span(),
                                format!(
                                    "unknown token precision \"{other}\": expected \"seconds\", \
                                     \"millis\", \"micros\" or \"id\""
                                ),
                            ));
                        }
                    }
                } else {
                    Precision::Seconds
                };
                if options.token.is_some() {
                    return Err(meta.error("duplicate `token` option"));
                }
                options.token = Some((precision, path.span()));
            } else if path.is_ident("allow_hard_delete") {
                flag(&mut options.allow_hard_delete, &meta)?;
            } else if path.is_ident("no_behavior") {
                flag(&mut options.no_behavior, &meta)?;
            } else if path.is_ident("crate") {
                let lit: LitStr = meta.value()?.parse()?;
                if options.krate.is_some() {
                    return Err(meta.error("duplicate `crate` option"));
                }
                options.krate = Some(lit.parse::<Path>()?);
            } else if let Some(role) = path
                .get_ident()
                .and_then(|i| Role::from_name(&i.to_string()))
            {
                return Err(meta.error(format!(
                    "`{}` is a field attribute: put `#[soft_delete({})]` on the field",
                    role.name(),
                    role.name()
                )));
            } else {
                return Err(meta.error(format!(
                    "unknown `soft_delete` option `{}`: expected {OPTIONS}",
                    path_name(path)
                )));
            }
            Ok(())
        });
        if let Err(err) = result {
            errors.push(err);
        }
    }
    options
}

fn flag(slot: &mut bool, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if *slot {
        return Err(meta.error(format!("duplicate `{}` option", path_name(&meta.path))));
    }
    *slot = true;
    Ok(())
}

fn path_name(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// A field's `#[soft_delete(created_at | updated_at | deleted_at | delete_token)]`.
pub fn parse_role(attrs: &[Attribute], errors: &mut Errors) -> Option<(Role, proc_macro2::Span)> {
    let mut role = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("soft_delete")) {
        let result = attr.parse_nested_meta(|meta| {
            let found = meta
                .path
                .get_ident()
                .and_then(|i| Role::from_name(&i.to_string()));
            let Some(found) = found else {
                return Err(meta.error(format!(
                    "unknown `soft_delete` field role `{}`: expected `created_at`, \
                     `updated_at`, `deleted_at` or `delete_token`",
                    path_name(&meta.path)
                )));
            };
            if role.is_some() {
                return Err(meta.error("a field takes one `soft_delete` role"));
            }
            role = Some((found, meta.path.span()));
            Ok(())
        });
        if let Err(err) = result {
            errors.push(err);
        }
    }
    role
}

/// The `Column` variant of a field: `#[sea_orm(enum_name = "..")]`, or its UpperCamelCase name.
fn column_variant(ident: &Ident, attrs: &[Attribute]) -> Ident {
    let renamed = attrs
        .iter()
        .filter(|a| a.path().is_ident("sea_orm"))
        .filter_map(|a| match &a.meta {
            Meta::List(list) => enum_name(list.tokens.clone()),
            _ => None,
        })
        .next_back();
    let name = renamed.unwrap_or_else(|| upper_camel(&ident.to_string()));
    Ident::new(&name, ident.span())
}

/// Whether a field has `#[sea_orm(primary_key ..)]`, looking only at the top-level words of
/// SeaORM's attribute.
fn is_primary_key(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("sea_orm"))
        .any(|a| match &a.meta {
            Meta::List(list) => list
                .tokens
                .clone()
                .into_iter()
                .any(|t| matches!(t, TokenTree::Ident(word) if word == "primary_key")),
            _ => false,
        })
}

/// Finds `enum_name = "X"` among `sea_orm` tokens without parsing the rest, whose grammar
/// belongs to SeaORM.
fn enum_name(tokens: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    tokens.windows(3).find_map(|w| match w {
        [
            TokenTree::Ident(key),
            TokenTree::Punct(eq),
            TokenTree::Literal(lit),
        ] if key == "enum_name" && eq.as_char() == '=' => {
            syn::parse2::<LitStr>(lit.clone().into_token_stream())
                .ok()
                .map(|s| s.value())
        }
        _ => None,
    })
}

use quote::ToTokens;
