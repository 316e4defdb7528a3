//! The validation pass: which field plays which role, and whether its type fits.

use proc_macro2::{Span, TokenStream};
use syn::Type;

use crate::ast::{Field, Input, Options, Precision, Role};
use crate::types::{TimeKind, Width, option_inner, time_kind, token_width};

/// Every error found, reported together, one per mistake.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, err: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(err),
            None => self.0 = Some(err),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn to_compile_error(&self) -> TokenStream {
        self.0
            .as_ref()
            .map(syn::Error::to_compile_error)
            .unwrap_or_default()
    }
}

/// A timestamp mixin column.
pub struct Timestamp<'a> {
    pub field: &'a Field<'a>,
    pub kind: TimeKind,
}

/// The delete token column.
pub struct TokenField<'a> {
    pub field: &'a Field<'a>,
    pub width: Width,
    pub nullable: bool,
    pub precision: Precision,
}

/// A struct that passed validation.
pub struct Valid<'a> {
    pub options: &'a Options,
    pub created_at: Timestamp<'a>,
    pub updated_at: Timestamp<'a>,
    pub deleted_at: Timestamp<'a>,
    pub token: Option<TokenField<'a>>,
}

pub fn validate<'a>(input: &'a Input<'a>, errors: &mut Errors) -> Option<Valid<'a>> {
    let created_at = find(input, Role::CreatedAt, errors).and_then(|f| timestamp(f, false, errors));
    let updated_at = find(input, Role::UpdatedAt, errors).and_then(|f| timestamp(f, false, errors));
    let deleted_at = find(input, Role::DeletedAt, errors).and_then(|f| timestamp(f, true, errors));
    let token = token(input, errors);
    Some(Valid {
        options: &input.options,
        created_at: created_at?,
        updated_at: updated_at?,
        deleted_at: deleted_at?,
        token: token?,
    })
}

/// The field playing `role`: the one marked `#[soft_delete(role)]`, else the one named for it.
fn lookup<'a>(input: &'a Input<'a>, role: Role, errors: &mut Errors) -> Option<&'a Field<'a>> {
    let mut marked = input
        .fields
        .iter()
        .filter(|f| f.role.is_some_and(|(r, _)| r == role));
    if let Some(first) = marked.next() {
        for again in marked {
            let span = again.role.map_or_else(Span::call_site, |(_, s)| s);
            errors.push(syn::Error::new(
                span,
                format!(
                    "`{}` is already given to field `{}`",
                    role.name(),
                    first.ident
                ),
            ));
        }
        return Some(first);
    }
    role.default_names().iter().find_map(|name| {
        input
            .fields
            .iter()
            .find(|f| f.role.is_none() && strip_raw(&f.ident.to_string()) == *name)
    })
}

fn find<'a>(input: &'a Input<'a>, role: Role, errors: &mut Errors) -> Option<&'a Field<'a>> {
    let found = lookup(input, role, errors);
    if found.is_none() {
        let ty = if role == Role::DeletedAt {
            "Option<DateTimeUtc>"
        } else {
            "DateTimeUtc"
        };
        errors.push(syn::Error::new(
            input.ident.span(),
            format!(
                "missing `{name}` field: add `pub {name}: {ty}`, or mark the field that holds it \
                 with `#[soft_delete({name})]`",
                name = role.name()
            ),
        ));
    }
    found
}

fn strip_raw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

const TIME_TYPES: &str = "`DateTimeUtc`, `DateTimeWithTimeZone`, `DateTime` (naive, taken as UTC), \
    `chrono::DateTime<Utc>`, `chrono::DateTime<FixedOffset>` or `chrono::NaiveDateTime`";

fn timestamp<'a>(
    field: &'a Field<'a>,
    must_be_option: bool,
    errors: &mut Errors,
) -> Option<Timestamp<'a>> {
    let inner = option_inner(field.ty);
    if must_be_option && inner.is_none() {
        errors.push(syn::Error::new_spanned(
            field.ty,
            "`deleted_at` must be an `Option`, e.g. `Option<DateTimeUtc>`: `None` is what marks a row as live",
        ));
        return None;
    }
    let ty: &Type = inner.unwrap_or(field.ty);
    match time_kind(ty) {
        Some(kind) => Some(Timestamp { field, kind }),
        None => {
            errors.push(syn::Error::new_spanned(
                ty,
                format!(
                    "unsupported timestamp type for `{}`: expected {TIME_TYPES}",
                    field.ident
                ),
            ));
            None
        }
    }
}

/// `Some(None)`: no token, which is valid. `None`: an error was reported.
fn token<'a>(input: &'a Input<'a>, errors: &mut Errors) -> Option<Option<TokenField<'a>>> {
    let Some((precision, option_span)) = input.options.token else {
        if let Some((_, span)) = input
            .fields
            .iter()
            .find_map(|f| f.role.filter(|(r, _)| *r == Role::DeleteToken))
        {
            errors.push(syn::Error::new(
                span,
                "a `delete_token` field needs `#[soft_delete(token)]` on the struct",
            ));
            return None;
        }
        return Some(None);
    };
    let Some(field) = lookup(input, Role::DeleteToken, errors) else {
        errors.push(syn::Error::new(
            option_span,
            "`token` needs a `delete_token` field: add `pub delete_token: i64`, or mark the field \
             that holds it with `#[soft_delete(delete_token)]`",
        ));
        return None;
    };
    let inner = option_inner(field.ty);
    let ty: &Type = inner.unwrap_or(field.ty);
    let Some(width) = token_width(ty) else {
        errors.push(syn::Error::new_spanned(
            ty,
            format!(
                "unsupported delete token type for `{}`: expected `i64`, `i32`, `Option<i64>` or `Option<i32>`",
                field.ident
            ),
        ));
        return None;
    };
    if precision == Precision::PrimaryKey && !key_fits_token(input, option_span, errors) {
        return None;
    }
    Some(Some(TokenField {
        field,
        width,
        nullable: inner.is_some(),
        precision,
    }))
}

/// `token = "id"` copies the primary key into the token, so the key must be one integer
/// column. Keys the derive cannot see (no `#[sea_orm(primary_key)]` field) are left to the
/// runtime check.
fn key_fits_token(input: &Input<'_>, option_span: Span, errors: &mut Errors) -> bool {
    let keys: Vec<&Field<'_>> = input.fields.iter().filter(|f| f.primary_key).collect();
    let problem = match keys.as_slice() {
        [key] if is_not_integer(key.ty) => format!("`{}` is not an integer", key.ident),
        [_] | [] => return true,
        many => format!("the primary key has {} columns", many.len()),
    };
    errors.push(syn::Error::new(
        option_span,
        format!(
            "`token = \"id\"` copies the primary key into the token and needs a single integer \
             key, but {problem}; use `token = \"micros\"` instead"
        ),
    ));
    false
}

/// A key type that is surely not an integer. Anything else (an alias, say) is given the benefit
/// of the doubt and left to the runtime check.
fn is_not_integer(ty: &Type) -> bool {
    let Type::Path(path) = ty else {
        return true;
    };
    path.path.segments.last().is_some_and(|s| {
        ["Uuid", "String", "Decimal", "f32", "f64", "bool", "Vec"]
            .iter()
            .any(|name| s.ident == name)
    })
}
