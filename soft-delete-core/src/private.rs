//! Paths the generated code names, so users need no direct `chrono`, `sea-orm` or
//! `async-trait` dependency of their own. Not public API.

pub use async_trait::async_trait;
pub use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
pub use sea_orm;
pub use sea_orm::{ActiveValue, ConnectionTrait, DbErr};

pub use crate::error::hard_delete_refused;
pub use crate::{
    SoftDelete, SoftDeleteColumns, TimestampColumn, TimestampKind, TokenColumn, TokenPrecision,
    TokenWidth, clock::now, clock::truncate,
};

/// Builds a timestamp field's value from a UTC instant.
pub trait FromUtc {
    /// The field's value at `at`.
    fn from_utc(at: DateTime<Utc>) -> Self;
}

impl FromUtc for DateTime<Utc> {
    fn from_utc(at: DateTime<Utc>) -> Self {
        at
    }
}

impl FromUtc for DateTime<FixedOffset> {
    fn from_utc(at: DateTime<Utc>) -> Self {
        at.fixed_offset()
    }
}

impl FromUtc for NaiveDateTime {
    fn from_utc(at: DateTime<Utc>) -> Self {
        at.naive_utc()
    }
}

impl<T: FromUtc> FromUtc for Option<T> {
    fn from_utc(at: DateTime<Utc>) -> Self {
        Some(T::from_utc(at))
    }
}

/// The table name of `E`, for error messages.
pub fn entity_name<E: sea_orm::EntityTrait>() -> &'static str {
    crate::key::entity_name::<E>()
}
