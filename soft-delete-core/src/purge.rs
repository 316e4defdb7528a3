//! Removing rows that have been deleted for long enough.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, QueryFilter};

use crate::SoftDelete;

/// Removes for good every deleted row whose `deleted_at` is before `cutoff`. Live rows are
/// never touched, whatever the cutoff. Returns how many rows it removed.
///
/// Statements: one `DELETE`.
pub fn purge_deleted_before<E, C>(
    db: &C,
    cutoff: DateTime<Utc>,
) -> impl Future<Output = Result<u64, DbErr>> + Send
where
    E: SoftDelete,
    C: ConnectionTrait,
{
    async move {
        let deleted_at = E::soft_delete_columns().deleted_at;
        let purge = E::delete_many()
            .filter(deleted_at.column.is_not_null())
            .filter(
                deleted_at
                    .column
                    .lt(deleted_at.kind.value_for(db.get_database_backend(), cutoff)),
            );
        Ok(purge.exec(db).await?.rows_affected)
    }
}
