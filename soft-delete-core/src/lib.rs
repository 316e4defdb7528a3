//! Soft deletes for SeaORM 2 entities.
//!
//! "Deleting" a row stamps `deleted_at` (and, if the entity has one, an integer
//! `delete_token`). Queries choose live rows, deleted rows or both; a deleted row can be
//! restored; a row only leaves the database through [`force_delete_by_id`] or
//! [`purge_deleted_before`].
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sea_orm::DbErr> {
//! use sea_orm::{ActiveValue::Set, Database, Schema, entity::prelude::*};
//! use soft_delete_core::prelude::*;
//!
//! mod user {
//!     use sea_orm::entity::prelude::*;
//!     use soft_delete_core::prelude::*;
//!
//!     #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
//!     #[sea_orm(table_name = "user_data")]
//!     #[soft_delete(token)]
//!     pub struct Model {
//!         #[sea_orm(primary_key)]
//!         pub id: i32,
//!         pub name: String,
//!         pub created_at: DateTimeUtc,
//!         pub updated_at: DateTimeUtc,
//!         pub deleted_at: Option<DateTimeUtc>,
//!         pub delete_token: i64,
//!     }
//!
//!     #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
//!     pub enum Relation {}
//! }
//!
//! let db = Database::connect("sqlite::memory:").await?;
//! let schema = Schema::new(db.get_database_backend());
//! db.execute(&schema.create_table_from_entity(user::Entity)).await?;
//!
//! let ada = user::ActiveModel { name: Set("Ada".into()), ..Default::default() };
//! let ada = ada.insert(&db).await?;
//! assert_eq!(ada.delete_token, 0);
//!
//! assert_eq!(user::Entity::soft_delete_by_id(&db, ada.id).await?, DeleteOutcome::Deleted);
//! assert_eq!(user::Entity::soft_delete_by_id(&db, ada.id).await?, DeleteOutcome::AlreadyDeleted);
//! assert!(user::Entity::find_live().all(&db).await?.is_empty());
//! assert_eq!(user::Entity::restore_by_id(&db, ada.id).await?, RestoreOutcome::Restored);
//! assert!(user::Entity::force_delete_by_id(&db, ada.id).await?);
//! # Ok(())
//! # }
//! ```

mod clock;
mod columns;
mod condition;
mod delete;
mod entity;
mod error;
mod key;
mod model;
mod outcome;
mod purge;
mod query;
mod restore;
mod statement;

pub mod schema;

#[cfg(feature = "migration")]
pub mod migration;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use clock::{now, truncate};
pub use columns::{
    SoftDeleteColumns, TimestampColumn, TimestampKind, TokenColumn, TokenPrecision, TokenWidth,
};
pub use condition::is_empty_condition;
pub use delete::{
    force_delete_by_id, soft_delete_by_id, soft_delete_by_id_at, soft_delete_many,
    soft_delete_many_at,
};
pub use entity::SoftDelete;
pub use key::PrimaryKeyOf;
pub use model::SoftDeleteModel;
pub use outcome::{DeleteOutcome, RestoreOutcome};
pub use purge::{PurgeProgress, purge_deleted_before, purge_deleted_before_in_batches};
pub use query::{SoftDeleteQuery, find_deleted, find_live, find_live_by_id};
pub use restore::{
    is_unique_violation, restore_by_id, restore_by_id_at, restore_many, restore_many_at,
};

/// `#[derive(SoftDelete)]` on an entity's `Model`. See the crate README for its attributes.
#[cfg(feature = "derive")]
pub use soft_delete_derive::SoftDelete;

/// Everything an entity module or a service needs: `use soft_delete_core::prelude::*;`.
pub mod prelude {
    pub use crate::{DeleteOutcome, RestoreOutcome, SoftDelete, SoftDeleteModel, SoftDeleteQuery};
}
