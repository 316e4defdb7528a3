//! Column metadata that `#[derive(SoftDelete)]` records for an entity.

use chrono::{DateTime, Utc};
use sea_orm::{DbBackend, DbErr, Value};

/// How a timestamp column stores time.
///
/// Every kind is written from the same UTC instant: a naive column receives the UTC wall
/// clock and a column with an offset receives `+00:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampKind {
    /// `DateTimeUtc` / `chrono::DateTime<Utc>`.
    Utc,
    /// `DateTimeWithTimeZone` / `chrono::DateTime<FixedOffset>`.
    FixedOffset,
    /// `DateTime` / `chrono::NaiveDateTime`, taken as UTC.
    Naive,
}

impl TimestampKind {
    /// The value to bind for the instant `at` on `backend`: the one way every helper binds a
    /// time, writes and comparisons alike.
    ///
    /// MySQL receives every kind as a naive UTC `DATETIME`: a zoned value travels as a
    /// `TIMESTAMP` parameter, which MySQL turns into `NULL` after 2038-01-19.
    pub fn value_for(self, backend: DbBackend, at: DateTime<Utc>) -> Value {
        match (backend, self) {
            (DbBackend::MySql, _) | (_, Self::Naive) => Value::ChronoDateTime(Some(at.naive_utc())),
            (_, Self::Utc) => Value::ChronoDateTimeUtc(Some(at)),
            (_, Self::FixedOffset) => Value::ChronoDateTimeWithTimeZone(Some(at.fixed_offset())),
        }
    }

    /// A typed SQL `NULL` for this kind of column.
    pub fn null(self) -> Value {
        match self {
            Self::Utc => Value::ChronoDateTimeUtc(None),
            Self::FixedOffset => Value::ChronoDateTimeWithTimeZone(None),
            Self::Naive => Value::ChronoDateTime(None),
        }
    }
}

/// A timestamp column of a soft-delete entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimestampColumn<C> {
    /// The entity's column.
    pub column: C,
    /// How the column stores time.
    pub kind: TimestampKind,
}

/// The unit a delete token counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPrecision {
    /// Whole Unix seconds: `#[soft_delete(token)]`.
    Seconds,
    /// Unix milliseconds: `#[soft_delete(token = "millis")]`.
    Millis,
    /// Unix microseconds: `#[soft_delete(token = "micros")]`.
    Micros,
    /// The row's own primary key: `#[soft_delete(token = "id")]`.
    ///
    /// Unique by construction, so two deletions of the same unique key never collide in a
    /// `(key, delete_token)` unique index, however close together. Needs a single integer
    /// primary key that is never `0` (`0` is the live value).
    PrimaryKey,
}

/// The integer type of a delete token column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenWidth {
    /// `i32`: seconds fit until 2038-01-19, millis and micros never do.
    I32,
    /// `i64`.
    I64,
}

/// The integer delete token column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenColumn<C> {
    /// The entity's column.
    pub column: C,
    /// The unit of the stored value.
    pub precision: TokenPrecision,
    /// The integer type of the field.
    pub width: TokenWidth,
    /// `Option<_>` field: `NULL` while live. Otherwise the live value is `0`.
    pub nullable: bool,
}

impl<C> TokenColumn<C> {
    /// The value of a live row: `NULL` for an `Option` field, `0` otherwise.
    pub fn live_value(&self) -> Value {
        match (self.width, self.nullable) {
            (TokenWidth::I32, true) => Value::Int(None),
            (TokenWidth::I32, false) => Value::Int(Some(0)),
            (TokenWidth::I64, true) => Value::BigInt(None),
            (TokenWidth::I64, false) => Value::BigInt(Some(0)),
        }
    }

    /// The integer a row deleted at `at` stores, in this column's unit; `None` for
    /// [`TokenPrecision::PrimaryKey`], whose value comes from the row.
    pub fn ticks(&self, at: DateTime<Utc>) -> Option<i64> {
        match self.precision {
            TokenPrecision::Seconds => Some(at.timestamp()),
            TokenPrecision::Millis => Some(at.timestamp_millis()),
            TokenPrecision::Micros => Some(at.timestamp_micros()),
            TokenPrecision::PrimaryKey => None,
        }
    }

    /// The value of a row deleted at `at`, or an error when it does not fit the column or
    /// the token is the row's primary key (which has no value of its own).
    pub fn deleted_value(&self, at: DateTime<Utc>, entity: &str) -> Result<Value, DbErr> {
        let ticks = self
            .ticks(at)
            .ok_or_else(|| crate::error::token_from_key(entity))?;
        match self.width {
            TokenWidth::I64 => Ok(Value::BigInt(Some(ticks))),
            TokenWidth::I32 => i32::try_from(ticks)
                .map(|v| Value::Int(Some(v)))
                .map_err(|_| crate::error::token_overflow(entity, ticks, self.precision)),
        }
    }
}

/// Everything the helpers need to know about a soft-delete entity's columns.
///
/// Written by `#[derive(SoftDelete)]`; read it through [`SoftDelete::soft_delete_columns`].
///
/// [`SoftDelete::soft_delete_columns`]: crate::SoftDelete::soft_delete_columns
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SoftDeleteColumns<C> {
    /// Set on insert.
    pub created_at: TimestampColumn<C>,
    /// Set on every save and by every helper that changes a row.
    pub updated_at: TimestampColumn<C>,
    /// `NULL` while live; the deletion time otherwise.
    pub deleted_at: TimestampColumn<C>,
    /// The optional integer delete token.
    pub token: Option<TokenColumn<C>>,
    /// `#[soft_delete(allow_hard_delete)]`: `model.delete(db)` is allowed.
    pub allow_hard_delete: bool,
}
