//! Soft delete and hard delete.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, QueryFilter, SelectExt, sea_query::IntoCondition};

use crate::{DeleteOutcome, PrimaryKeyOf, SoftDelete, clock, condition::non_empty, key, statement};

/// Soft-deletes the row with primary key `id`, stamping `deleted_at`, `updated_at` and the
/// token from one clock read.
///
/// A row that is already deleted keeps its original `deleted_at` and token.
///
/// Statements: one `UPDATE`; one more `SELECT` only when it touched no row, to tell
/// [`DeleteOutcome::AlreadyDeleted`] from [`DeleteOutcome::NotFound`].
pub fn soft_delete_by_id<E, C>(
    db: &C,
    id: impl Into<PrimaryKeyOf<E>>,
) -> impl Future<Output = Result<DeleteOutcome, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let id = id.into();
    async move { soft_delete_by_id_at::<E, C>(db, id, clock::now()).await }
}

/// [`soft_delete_by_id`] at a given time instead of the clock's.
pub fn soft_delete_by_id_at<E, C>(
    db: &C,
    id: impl Into<PrimaryKeyOf<E>>,
    at: DateTime<Utc>,
) -> impl Future<Output = Result<DeleteOutcome, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let id = id.into();
    async move {
        let cond = key::id_condition::<E>(id)?;
        let update = statement::delete_update::<E>(db.get_database_backend(), clock::truncate(at))?;
        if update.filter(cond.clone()).exec(db).await?.rows_affected > 0 {
            return Ok(DeleteOutcome::Deleted);
        }
        Ok(if E::find().filter(cond).exists(db).await? {
            DeleteOutcome::AlreadyDeleted
        } else {
            DeleteOutcome::NotFound
        })
    }
}

/// Soft-deletes every live row matching `condition` and returns how many it deleted.
///
/// Rows already deleted are left as they are. An empty condition is an error, not
/// "every row". Statements: one `UPDATE`.
pub fn soft_delete_many<E, C>(
    db: &C,
    condition: impl IntoCondition,
) -> impl Future<Output = Result<u64, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let condition = condition.into_condition();
    async move { soft_delete_many_at::<E, C>(db, condition, clock::now()).await }
}

/// [`soft_delete_many`] at a given time instead of the clock's.
pub fn soft_delete_many_at<E, C>(
    db: &C,
    condition: impl IntoCondition,
    at: DateTime<Utc>,
) -> impl Future<Output = Result<u64, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let condition = condition.into_condition();
    async move {
        let cond = non_empty(condition, key::entity_name::<E>(), "soft_delete_many")?;
        let update = statement::delete_update::<E>(db.get_database_backend(), clock::truncate(at))?;
        Ok(update.filter(cond).exec(db).await?.rows_affected)
    }
}

/// Removes the row with primary key `id` for good, live or deleted. Returns whether a row
/// was removed.
///
/// Statements: one `DELETE`. It runs no `before_delete` hook, so the hard-delete guard does
/// not apply.
pub fn force_delete_by_id<E, C>(
    db: &C,
    id: impl Into<PrimaryKeyOf<E>>,
) -> impl Future<Output = Result<bool, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let id = id.into();
    async move {
        let cond = key::id_condition::<E>(id)?;
        Ok(E::delete_many().filter(cond).exec(db).await?.rows_affected > 0)
    }
}
