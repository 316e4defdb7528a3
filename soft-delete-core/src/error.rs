//! The errors the helpers return, all as `DbErr` so they travel with SeaORM's own.

use sea_orm::DbErr;

use crate::TokenPrecision;

pub(crate) fn token_overflow(entity: &str, ticks: i64, precision: TokenPrecision) -> DbErr {
    let unit = match precision {
        TokenPrecision::Seconds => "seconds",
        TokenPrecision::Millis => "milliseconds",
        TokenPrecision::Micros => "microseconds",
        TokenPrecision::PrimaryKey => "primary key",
    };
    DbErr::Custom(format!(
        "soft delete on `{entity}`: delete token {ticks} ({unit}) does not fit its i32 column; \
         make the token field i64"
    ))
}

pub(crate) fn token_from_key(entity: &str) -> DbErr {
    DbErr::Custom(format!(
        "`{entity}`: its delete token is the primary key, set in SQL from the row, not a value"
    ))
}

pub(crate) fn token_key_unsupported(entity: &str) -> DbErr {
    DbErr::Custom(format!(
        "`{entity}`: `#[soft_delete(token = \"id\")]` needs a single integer primary key; \
         use `token = \"micros\"` for other keys"
    ))
}

/// The error `model.delete(db)` gets from the generated `before_delete`.
#[doc(hidden)]
pub fn hard_delete_refused(entity: &str) -> DbErr {
    DbErr::Custom(format!(
        "`{entity}` uses soft deletes: a plain hard delete is refused. Use `soft_delete_by_id` or \
         `model.soft_delete(db)` to delete, or `force_delete_by_id` / `purge_deleted_before` to \
         remove rows for good (or add `#[soft_delete(allow_hard_delete)]`)"
    ))
}

pub(crate) fn empty_condition(entity: &str, helper: &str) -> DbErr {
    DbErr::Custom(format!(
        "`{helper}` on `{entity}` got an empty condition, which would match every row; \
         pass a condition that selects rows"
    ))
}

pub(crate) fn key_arity(entity: &str) -> DbErr {
    DbErr::Custom(format!(
        "`{entity}`: the primary key value does not match the primary key's columns"
    ))
}

pub(crate) fn not_found(entity: &str) -> DbErr {
    DbErr::RecordNotFound(format!("`{entity}` row no longer exists"))
}
