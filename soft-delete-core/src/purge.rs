//! Removing rows that have been deleted for long enough.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, Iterable, PrimaryKeyToColumn, QueryFilter,
    QueryOrder, QuerySelect, Value, sea_query::IntoValueTuple,
};

use crate::{PrimaryKeyOf, SoftDelete, key};

/// Removes for good every deleted row whose `deleted_at` is before `cutoff`. Live rows are
/// never touched, whatever the cutoff. Returns how many rows it removed.
///
/// Statements: one `DELETE`, which holds its locks until it ends; for many rows,
/// [`purge_deleted_before_in_batches`] keeps each statement short.
pub fn purge_deleted_before<E, C>(
    db: &C,
    cutoff: DateTime<Utc>,
) -> impl Future<Output = Result<u64, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    let deleted_at = E::soft_delete_columns().deleted_at;
    let cutoff = deleted_at.kind.value_for(db.get_database_backend(), cutoff);
    // `deleted_at < cutoff` is never true for a live row's NULL, so it needs no IS NOT NULL.
    let purge = E::delete_many().filter(deleted_at.column.lt(cutoff));
    async move { Ok(purge.exec(db).await?.rows_affected) }
}

/// Most key values one batch binds. SQLite allows 32 766 bound parameters per statement,
/// PostgreSQL and MySQL 65 535; the two cutoff parameters and some headroom stay free.
const MAX_KEY_VALUES: u64 = 30_000;

/// What [`purge_deleted_before_in_batches`] has done so far, reported after each batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PurgeProgress {
    /// The batch just finished: 1 for the first.
    pub batch: u64,
    /// Rows that batch removed.
    pub removed_in_batch: u64,
    /// Rows removed so far, that batch included.
    pub removed: u64,
}

/// [`purge_deleted_before`] in batches of at most `batch_size` rows, calling `progress` after
/// each batch. Returns how many rows it removed.
///
/// One `DELETE` of a million rows holds its locks (and, on SQLite, the single writer slot)
/// until it ends; batches keep every statement short, so other writers get in between. Each
/// batch selects the keys of up to `batch_size` purgeable rows in key order, then deletes
/// those rows, re-checking `deleted_at` so that a row restored in between is left alone.
/// MySQL does not allow `LIMIT` inside an `IN` subquery, hence two statements instead of one.
/// For a single-column key each batch starts after the last key of the one before, so no
/// batch re-reads what earlier ones removed.
///
/// Statements: two per batch (`SELECT` keys, `DELETE`), plus a final `SELECT` that finds
/// nothing when the last batch was full: `2 * ceil(n / batch_size)` for `n` rows, one more when
/// `n` is a multiple of `batch_size` (including `n = 0`). Run on a connection, not inside a
/// transaction, or the locks are held until the transaction ends after all. `batch_size` is
/// capped so one statement binds at most 30 000 key values; `0` is an error.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), sea_orm::DbErr> {
/// # use sea_orm::{Database, Schema, ConnectionTrait, entity::prelude::*};
/// # use soft_delete_core::prelude::*;
/// # mod note {
/// #     use sea_orm::entity::prelude::*;
/// #     use soft_delete_core::prelude::*;
/// #     #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
/// #     #[sea_orm(table_name = "note")]
/// #     pub struct Model {
/// #         #[sea_orm(primary_key)]
/// #         pub id: i32,
/// #         pub created_at: DateTimeUtc,
/// #         pub updated_at: DateTimeUtc,
/// #         pub deleted_at: Option<DateTimeUtc>,
/// #     }
/// #     #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
/// #     pub enum Relation {}
/// # }
/// # let db = Database::connect("sqlite::memory:").await?;
/// # let schema = Schema::new(db.get_database_backend());
/// # db.execute(&schema.create_table_from_entity(note::Entity)).await?;
/// let cutoff = chrono::Utc::now() - chrono::Duration::days(30);
/// let removed = note::Entity::purge_deleted_before_in_batches(&db, cutoff, 10_000, |p| {
///     eprintln!("batch {}: {} rows, {} so far", p.batch, p.removed_in_batch, p.removed);
/// })
/// .await?;
/// assert_eq!(removed, 0);
/// # Ok(())
/// # }
/// ```
pub fn purge_deleted_before_in_batches<E, C, F>(
    db: &C,
    cutoff: DateTime<Utc>,
    batch_size: u64,
    mut progress: F,
) -> impl Future<Output = Result<u64, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
    F: FnMut(PurgeProgress) + Send,
{
    // Checked before the first await, so a bad batch size fails without a statement.
    let keys: Vec<E::Column> = E::PrimaryKey::iter().map(|k| k.into_column()).collect();
    let limit = batch_limit::<E>(batch_size, keys.len());
    async move {
        let limit = limit?;
        let deleted_at = E::soft_delete_columns().deleted_at;
        let cutoff = deleted_at.kind.value_for(db.get_database_backend(), cutoff);
        let purgeable = Condition::all().add(deleted_at.column.lt(cutoff));
        let mut after: Option<Value> = None;
        let mut done = PurgeProgress {
            batch: 0,
            removed_in_batch: 0,
            removed: 0,
        };
        loop {
            let mut select = E::find().select_only().filter(purgeable.clone());
            for key in &keys {
                select = select.column(*key).order_by_asc(*key);
            }
            if let (Some(last), [key]) = (&after, keys.as_slice()) {
                select = select.filter(key.gt(last.clone()));
            }
            let ids: Vec<PrimaryKeyOf<E>> = select.limit(limit).into_tuple().all(db).await?;
            let fetched = ids.len() as u64;
            if fetched == 0 {
                break;
            }
            let batch = match keys.as_slice() {
                [key] => {
                    let values: Vec<Value> = ids
                        .into_iter()
                        .flat_map(|id| id.into_value_tuple())
                        .collect();
                    after = values.last().cloned();
                    Condition::all().add(key.is_in(values))
                }
                _ => ids.into_iter().try_fold(Condition::any(), |any, id| {
                    key::id_condition::<E>(id).map(|cond| any.add(cond))
                })?,
            };
            let removed = E::delete_many()
                .filter(batch)
                .filter(purgeable.clone())
                .exec(db)
                .await?;
            done.batch += 1;
            done.removed_in_batch = removed.rows_affected;
            done.removed += removed.rows_affected;
            progress(done);
            if fetched < limit {
                break;
            }
        }
        Ok(done.removed)
    }
}

/// The number of rows one batch takes: `batch_size`, capped by [`MAX_KEY_VALUES`].
fn batch_limit<E: SoftDelete>(batch_size: u64, key_columns: usize) -> Result<u64, DbErr> {
    if batch_size == 0 {
        return Err(DbErr::Custom(format!(
            "`purge_deleted_before_in_batches` on `{}` got a batch size of 0; pass at least 1",
            key::entity_name::<E>()
        )));
    }
    let per_row = u64::try_from(key_columns.max(1)).unwrap_or(u64::MAX);
    Ok(batch_size.min((MAX_KEY_VALUES / per_row).max(1)))
}
