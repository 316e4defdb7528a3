//! The `SoftDelete` trait: column metadata plus every helper as an associated function.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Select, sea_query::IntoCondition};

use crate::{DeleteOutcome, PrimaryKeyOf, PurgeProgress, RestoreOutcome, SoftDeleteColumns};

/// An entity with soft deletes. Implemented by `#[derive(SoftDelete)]` on the entity's `Model`.
///
/// Each provided method is the same as the free function of the same name in this crate, so
/// `user::Entity::soft_delete_by_id(&db, 7)` and
/// `soft_delete_core::soft_delete_by_id::<user::Entity, _>(&db, 7)` do the same thing.
/// Every helper is generic over [`ConnectionTrait`], so it also runs inside a transaction.
pub trait SoftDelete: EntityTrait {
    /// The mixin columns and options of this entity.
    fn soft_delete_columns() -> SoftDeleteColumns<Self::Column>;

    /// `true` when `model`'s `deleted_at` is set.
    fn is_deleted(model: &Self::Model) -> bool;

    /// See [`crate::soft_delete_by_id`].
    fn soft_delete_by_id<C: ConnectionTrait>(
        db: &C,
        id: impl Into<PrimaryKeyOf<Self>>,
    ) -> impl Future<Output = Result<DeleteOutcome, DbErr>> + Send {
        crate::soft_delete_by_id::<Self, C>(db, id)
    }

    /// See [`crate::soft_delete_by_id_at`].
    fn soft_delete_by_id_at<C: ConnectionTrait>(
        db: &C,
        id: impl Into<PrimaryKeyOf<Self>>,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<DeleteOutcome, DbErr>> + Send {
        crate::soft_delete_by_id_at::<Self, C>(db, id, at)
    }

    /// See [`crate::restore_by_id`].
    fn restore_by_id<C: ConnectionTrait>(
        db: &C,
        id: impl Into<PrimaryKeyOf<Self>>,
    ) -> impl Future<Output = Result<RestoreOutcome, DbErr>> + Send {
        crate::restore_by_id::<Self, C>(db, id)
    }

    /// See [`crate::restore_by_id_at`].
    fn restore_by_id_at<C: ConnectionTrait>(
        db: &C,
        id: impl Into<PrimaryKeyOf<Self>>,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<RestoreOutcome, DbErr>> + Send {
        crate::restore_by_id_at::<Self, C>(db, id, at)
    }

    /// See [`crate::force_delete_by_id`].
    fn force_delete_by_id<C: ConnectionTrait>(
        db: &C,
        id: impl Into<PrimaryKeyOf<Self>>,
    ) -> impl Future<Output = Result<bool, DbErr>> + Send {
        crate::force_delete_by_id::<Self, C>(db, id)
    }

    /// See [`crate::soft_delete_many`].
    fn soft_delete_many<C: ConnectionTrait>(
        db: &C,
        condition: impl IntoCondition,
    ) -> impl Future<Output = Result<u64, DbErr>> + Send {
        crate::soft_delete_many::<Self, C>(db, condition)
    }

    /// See [`crate::soft_delete_many_at`].
    fn soft_delete_many_at<C: ConnectionTrait>(
        db: &C,
        condition: impl IntoCondition,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, DbErr>> + Send {
        crate::soft_delete_many_at::<Self, C>(db, condition, at)
    }

    /// See [`crate::restore_many`].
    fn restore_many<C: ConnectionTrait>(
        db: &C,
        condition: impl IntoCondition,
    ) -> impl Future<Output = Result<u64, DbErr>> + Send {
        crate::restore_many::<Self, C>(db, condition)
    }

    /// See [`crate::restore_many_at`].
    fn restore_many_at<C: ConnectionTrait>(
        db: &C,
        condition: impl IntoCondition,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, DbErr>> + Send {
        crate::restore_many_at::<Self, C>(db, condition, at)
    }

    /// See [`crate::purge_deleted_before`].
    fn purge_deleted_before<C: ConnectionTrait>(
        db: &C,
        cutoff: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, DbErr>> + Send {
        crate::purge_deleted_before::<Self, C>(db, cutoff)
    }

    /// See [`crate::purge_deleted_before_in_batches`].
    fn purge_deleted_before_in_batches<C: ConnectionTrait, F: FnMut(PurgeProgress) + Send>(
        db: &C,
        cutoff: DateTime<Utc>,
        batch_size: u64,
        progress: F,
    ) -> impl Future<Output = Result<u64, DbErr>> + Send {
        crate::purge_deleted_before_in_batches::<Self, C, F>(db, cutoff, batch_size, progress)
    }

    /// See [`crate::find_live`].
    fn find_live() -> Select<Self> {
        crate::find_live::<Self>()
    }

    /// See [`crate::find_deleted`].
    fn find_deleted() -> Select<Self> {
        crate::find_deleted::<Self>()
    }

    /// See [`crate::find_live_by_id`].
    fn find_live_by_id(id: impl Into<PrimaryKeyOf<Self>>) -> Select<Self> {
        crate::find_live_by_id::<Self>(id)
    }
}
