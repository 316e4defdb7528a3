//! Recognising the field types the mixin columns may have.

use syn::{GenericArgument, PathArguments, Type, TypePath};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TimeKind {
    Utc,
    FixedOffset,
    Naive,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Width {
    I32,
    I64,
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(TypePath { qself: None, path }) => path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

fn single_type_arg(segment: &syn::PathSegment) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(ty)] => Some(ty),
        _ => None,
    }
}

/// `Option<T>` -> `T`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "Option" {
        return None;
    }
    single_type_arg(segment)
}

/// The kind of a supported timestamp type (without `Option`).
pub fn time_kind(ty: &Type) -> Option<TimeKind> {
    let segment = last_segment(ty)?;
    let name = segment.ident.to_string();
    match (name.as_str(), &segment.arguments) {
        ("DateTimeUtc", PathArguments::None) => Some(TimeKind::Utc),
        ("DateTimeWithTimeZone", PathArguments::None) => Some(TimeKind::FixedOffset),
        ("NaiveDateTime" | "DateTime", PathArguments::None) => Some(TimeKind::Naive),
        ("DateTime", _) => {
            let tz = last_segment(single_type_arg(segment)?)?;
            match tz.ident.to_string().as_str() {
                "Utc" => Some(TimeKind::Utc),
                "FixedOffset" => Some(TimeKind::FixedOffset),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The width of a supported token type (without `Option`).
pub fn token_width(ty: &Type) -> Option<Width> {
    let segment = last_segment(ty)?;
    if !matches!(segment.arguments, PathArguments::None) {
        return None;
    }
    match segment.ident.to_string().as_str() {
        "i32" => Some(Width::I32),
        "i64" => Some(Width::I64),
        _ => None,
    }
}
