//! The typed view of a `Model` struct that validation and expansion work on.

use proc_macro2::Span;
use syn::{Ident, Path, Type};

/// The struct as the derive sees it.
pub struct Input<'a> {
    pub ident: &'a Ident,
    pub options: Options,
    pub fields: Vec<Field<'a>>,
}

/// Struct-level `#[soft_delete(...)]` options.
#[derive(Default)]
pub struct Options {
    /// `token`, `token = "seconds" | "millis" | "micros" | "id"`, with the option's span.
    pub token: Option<(Precision, Span)>,
    pub allow_hard_delete: bool,
    pub no_behavior: bool,
    /// `crate = "path"`.
    pub krate: Option<Path>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Seconds,
    Millis,
    Micros,
    /// The row's primary key.
    PrimaryKey,
}

/// A field of the struct.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// The `Column` variant SeaORM generates for this field.
    pub variant: Ident,
    /// A role given by `#[soft_delete(role)]`, with the attribute's span.
    pub role: Option<(Role, Span)>,
    /// Marked `#[sea_orm(primary_key)]`.
    pub primary_key: bool,
}

/// The four mixin columns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    DeleteToken,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::CreatedAt,
        Role::UpdatedAt,
        Role::DeletedAt,
        Role::DeleteToken,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::CreatedAt => "created_at",
            Role::UpdatedAt => "updated_at",
            Role::DeletedAt => "deleted_at",
            Role::DeleteToken => "delete_token",
        }
    }

    /// Field names that take this role without an attribute.
    pub fn default_names(self) -> &'static [&'static str] {
        match self {
            Role::CreatedAt => &["created_at"],
            Role::UpdatedAt => &["updated_at"],
            Role::DeletedAt => &["deleted_at"],
            Role::DeleteToken => &["delete_token", "deleted_at_token"],
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}
