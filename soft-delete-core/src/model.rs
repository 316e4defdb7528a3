//! Soft delete and restore through a loaded `Model`.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, ModelTrait, QueryFilter, UpdateMany,
};

use crate::{SoftDelete, clock, key, statement};

/// Methods on the `Model` of every soft-delete entity.
pub trait SoftDeleteModel: ModelTrait + Sized {
    /// `true` when `deleted_at` is set.
    fn is_deleted(&self) -> bool;

    /// Soft-deletes this row and returns it as stored.
    ///
    /// A row that is already deleted comes back as stored, unchanged. A row that no longer
    /// exists is [`DbErr::RecordNotFound`].
    ///
    /// Statements: one `UPDATE … RETURNING` where the backend supports `RETURNING`
    /// (PostgreSQL, SQLite ≥ 3.35 with SeaORM's `sqlite-use-returning-for-3_35`), an `UPDATE`
    /// and a `SELECT` otherwise (MySQL, MariaDB). With `RETURNING`, one more `SELECT` when the
    /// row was already deleted; without it, always the two.
    fn soft_delete<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send;

    /// [`soft_delete`](Self::soft_delete) at a given time instead of the clock's.
    fn soft_delete_at<C: ConnectionTrait>(
        &self,
        db: &C,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send;

    /// Restores this row and returns it as stored.
    ///
    /// A live row comes back as stored, unchanged. A row that no longer exists is
    /// [`DbErr::RecordNotFound`]. A restore that a unique index rejects is the database's
    /// error; [`is_unique_violation`](crate::is_unique_violation) recognises it. Statements as
    /// for [`soft_delete`](Self::soft_delete).
    fn restore<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send;

    /// [`restore`](Self::restore) at a given time instead of the clock's.
    fn restore_at<C: ConnectionTrait>(
        &self,
        db: &C,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send;
}

impl<M, E> SoftDeleteModel for M
where
    M: ModelTrait<Entity = E> + FromQueryResult + Sync,
    E: SoftDelete + EntityTrait<Model = M>,
{
    fn is_deleted(&self) -> bool {
        E::is_deleted(self)
    }

    fn soft_delete<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send {
        self.soft_delete_at(db, clock::now())
    }

    fn soft_delete_at<C: ConnectionTrait>(
        &self,
        db: &C,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send {
        let cond = key::model_condition::<E>(self);
        async move {
            let update =
                statement::delete_update::<E>(db.get_database_backend(), clock::truncate(at))?;
            apply::<E, C>(db, update, cond).await
        }
    }

    fn restore<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send {
        self.restore_at(db, clock::now())
    }

    fn restore_at<C: ConnectionTrait>(
        &self,
        db: &C,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send {
        let cond = key::model_condition::<E>(self);
        async move {
            let update =
                statement::restore_update::<E>(db.get_database_backend(), clock::truncate(at));
            apply::<E, C>(db, update, cond).await
        }
    }
}

/// Runs `update` on the row `cond` selects and returns the row as stored afterwards.
async fn apply<E: SoftDelete, C: ConnectionTrait>(
    db: &C,
    update: UpdateMany<E>,
    cond: sea_orm::Condition,
) -> Result<E::Model, DbErr> {
    let update = update.filter(cond.clone());
    if db.support_returning() {
        if let Some(model) = update.exec_with_returning(db).await?.pop() {
            return Ok(model);
        }
    } else {
        update.exec(db).await?;
    }
    E::find()
        .filter(cond)
        .one(db)
        .await?
        .ok_or_else(|| crate::error::not_found(key::entity_name::<E>()))
}
