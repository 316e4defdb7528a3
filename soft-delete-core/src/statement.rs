//! The `UPDATE` statements that delete and restore, shared by every helper.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DbBackend, DbErr, QueryFilter, UpdateMany, sea_query::Expr};

use crate::{SoftDelete, key::entity_name};

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
        let value = token.deleted_value(at, &entity_name::<E>())?;
        update = update.col_expr(token.column, Expr::val(value));
    }
    Ok(update.filter(cols.deleted_at.column.is_null()))
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
