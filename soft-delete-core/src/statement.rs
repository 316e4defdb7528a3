//! The `UPDATE` statements that delete and restore, shared by every helper.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ColumnType, DbBackend, DbErr, EntityTrait, Iterable, PrimaryKeyToColumn,
    QueryFilter, UpdateMany, sea_query::Expr,
};

use crate::{SoftDelete, TokenPrecision, key::entity_name};

/// `UPDATE … SET deleted_at = at, updated_at = at[, token] WHERE deleted_at IS NULL`.
pub(crate) fn delete_update<E: SoftDelete>(
    backend: DbBackend,
    at: DateTime<Utc>,
) -> Result<UpdateMany<E>, DbErr> {
    let cols = E::soft_delete_columns();
    let mut update = E::update_many()
        .col_expr(
            cols.deleted_at.column,
            Expr::val(cols.deleted_at.kind.value_for(backend, at)),
        )
        .col_expr(
            cols.updated_at.column,
            Expr::val(cols.updated_at.kind.value_for(backend, at)),
        );
    if let Some(token) = cols.token {
        let value = match token.precision {
            TokenPrecision::PrimaryKey => Expr::col(token_key_column::<E>()?),
            _ => Expr::val(token.deleted_value(at, entity_name::<E>())?),
        };
        update = update.col_expr(token.column, value);
    }
    Ok(update.filter(cols.deleted_at.column.is_null()))
}

/// The single integer primary key column a `token = "id"` token copies.
pub(crate) fn token_key_column<E: EntityTrait>() -> Result<E::Column, DbErr> {
    let mut keys = E::PrimaryKey::iter().map(|k| k.into_column());
    match (keys.next(), keys.next()) {
        (Some(column), None) if is_integer(column.def().get_column_type()) => Ok(column),
        _ => Err(crate::error::token_key_unsupported(entity_name::<E>())),
    }
}

fn is_integer(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::TinyInteger
            | ColumnType::SmallInteger
            | ColumnType::Integer
            | ColumnType::BigInteger
            | ColumnType::TinyUnsigned
            | ColumnType::SmallUnsigned
            | ColumnType::Unsigned
            | ColumnType::BigUnsigned
    )
}

/// `UPDATE … SET deleted_at = NULL, updated_at = at[, token = live] WHERE deleted_at IS NOT NULL`.
pub(crate) fn restore_update<E: SoftDelete>(
    backend: DbBackend,
    at: DateTime<Utc>,
) -> UpdateMany<E> {
    let cols = E::soft_delete_columns();
    let mut update = E::update_many()
        .col_expr(
            cols.deleted_at.column,
            Expr::val(cols.deleted_at.kind.null()),
        )
        .col_expr(
            cols.updated_at.column,
            Expr::val(cols.updated_at.kind.value_for(backend, at)),
        );
    if let Some(token) = cols.token {
        update = update.col_expr(token.column, Expr::val(token.live_value()));
    }
    update.filter(cols.deleted_at.column.is_not_null())
}
