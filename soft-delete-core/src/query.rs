//! Selecting live or deleted rows.

use sea_orm::{ColumnTrait, QueryFilter, Select};

use crate::{PrimaryKeyOf, SoftDelete};

/// `.live()` and `.deleted()` on any `Select` of a soft-delete entity, including the ones
/// `find_related` and `find_by_id` build.
pub trait SoftDeleteQuery: Sized {
    /// Only rows that are not deleted (`deleted_at IS NULL`).
    fn live(self) -> Self;
    /// Only rows that are deleted (`deleted_at IS NOT NULL`).
    fn deleted(self) -> Self;
}

impl<E: SoftDelete> SoftDeleteQuery for Select<E> {
    fn live(self) -> Self {
        self.filter(E::soft_delete_columns().deleted_at.column.is_null())
    }

    fn deleted(self) -> Self {
        self.filter(E::soft_delete_columns().deleted_at.column.is_not_null())
    }
}

/// `SELECT` of the live rows of `E`.
pub fn find_live<E: SoftDelete>() -> Select<E> {
    E::find().live()
}

/// `SELECT` of the deleted rows of `E`.
pub fn find_deleted<E: SoftDelete>() -> Select<E> {
    E::find().deleted()
}

/// `SELECT` of the row with primary key `id`, if it is live.
pub fn find_live_by_id<E: SoftDelete>(id: impl Into<PrimaryKeyOf<E>>) -> Select<E> {
    E::find_by_id(id).live()
}
