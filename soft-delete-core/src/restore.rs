//! Bringing deleted rows back.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, QueryFilter, SelectExt, SqlErr, sea_query::IntoCondition};

use crate::{
    PrimaryKeyOf, RestoreOutcome, SoftDelete, clock, condition::non_empty, key, statement,
};

/// `true` when `err` is a unique-index violation, which is how a restore into a key now held
/// by a live row fails.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Restores the deleted row with primary key `id`: `deleted_at` back to `NULL`, the token
/// back to its live value, `updated_at` stamped.
///
/// A live row is left as it is ([`RestoreOutcome::NotDeleted`]). When a unique index rejects
/// the restore because a live row now holds the same key, nothing changes and the result is
/// [`RestoreOutcome::Conflict`]. On PostgreSQL, a failed statement inside a transaction aborts
/// that transaction: restore inside a savepoint (a nested `begin()`) if the transaction must
/// go on after a conflict.
///
/// Statements: one `UPDATE`; one more `SELECT` only when it touched no row.
pub fn restore_by_id<E, C>(
    db: &C,
    id: impl Into<PrimaryKeyOf<E>>,
) -> impl Future<Output = Result<RestoreOutcome, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let id = id.into();
    async move { restore_by_id_at::<E, C>(db, id, clock::now()).await }
}

/// [`restore_by_id`] at a given time instead of the clock's.
pub fn restore_by_id_at<E, C>(
    db: &C,
    id: impl Into<PrimaryKeyOf<E>>,
    at: DateTime<Utc>,
) -> impl Future<Output = Result<RestoreOutcome, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let id = id.into();
    async move {
        let cond = key::id_condition::<E>(id)?;
        let update = statement::restore_update::<E>(db.get_database_backend(), clock::truncate(at))
            .filter(cond.clone());
        match update.exec(db).await {
            Ok(res) if res.rows_affected > 0 => return Ok(RestoreOutcome::Restored),
            Ok(_) => {}
            Err(err) if is_unique_violation(&err) => return Ok(RestoreOutcome::Conflict),
            Err(err) => return Err(err),
        }
        Ok(if E::find().filter(cond).exists(db).await? {
            RestoreOutcome::NotDeleted
        } else {
            RestoreOutcome::NotFound
        })
    }
}

/// Restores every deleted row matching `condition` and returns how many it restored.
///
/// An empty condition is an error, not "every row". A unique-index conflict fails the whole
/// statement, so no row changes. Statements: one `UPDATE`.
pub fn restore_many<E, C>(
    db: &C,
    condition: impl IntoCondition,
) -> impl Future<Output = Result<u64, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let condition = condition.into_condition();
    async move { restore_many_at::<E, C>(db, condition, clock::now()).await }
}

/// [`restore_many`] at a given time instead of the clock's.
pub fn restore_many_at<E, C>(
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
        let cond = non_empty(condition, key::entity_name::<E>(), "restore_many")?;
        let update = statement::restore_update::<E>(db.get_database_backend(), clock::truncate(at));
        Ok(update.filter(cond).exec(db).await?.rows_affected)
    }
}
