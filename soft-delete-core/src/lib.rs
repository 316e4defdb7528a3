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

/// `#[derive(SoftDelete)]` on an entity's `Model`: implements [`SoftDelete`](trait@SoftDelete)
/// for `Entity`, adds `ActiveModel::stamp(insert)` / `stamp_at(insert, at)`, and an
/// `ActiveModelBehavior` whose `before_save` stamps and whose `before_delete` refuses the plain
/// hard delete.
///
/// Fields are found by name: `created_at`, `updated_at`, `deleted_at` (an `Option`) and, with
/// `token`, `delete_token` or `deleted_at_token`. A timestamp is `DateTimeUtc`,
/// `DateTimeWithTimeZone` or SeaORM's naive `DateTime` (stored as UTC), or the `chrono` type
/// each stands for; a token is `i64`, `i32` or an `Option` of either. Misuse is one compile
/// error at the offending span.
///
/// | struct option `#[soft_delete(..)]` | effect |
/// | --- | --- |
/// | `token` | also stamp a delete token: `0` while live (`NULL` for an `Option`), the deletion time in whole seconds once deleted |
/// | `token = "seconds"` / `"millis"` / `"micros"` | the token's unit (default seconds) |
/// | `token = "id"` | the token is the row's integer primary key (never `0`) instead of a time: unique by construction, the choice for MySQL's unique-while-live index over (key, token), where two deletions of one key within a second would collide on a seconds token (see [`schema::unique_live_index`]) |
/// | `allow_hard_delete` | the generated `before_delete` lets `Model::delete` / `ActiveModel::delete` through |
/// | `no_behavior` | no `ActiveModelBehavior`: write your own and call `ActiveModel::stamp` from its `before_save` |
/// | `crate = "path"` | where this crate is when a crate of yours re-exports it, e.g. `crate = "my_app::soft_delete"` |
///
/// | field role `#[soft_delete(..)]` | marks the field that holds |
/// | --- | --- |
/// | `created_at`, `updated_at`, `deleted_at` | that timestamp, under another name |
/// | `delete_token` | the delete token, under another name (needs `token` on the struct) |
#[cfg(feature = "derive")]
pub use soft_delete_derive::SoftDelete;

/// `#[mixin]`, placed above a `Model`'s `#[derive(..)]`: adds the mixin fields the struct
/// lacks, last, and derives [`SoftDelete`](derive@SoftDelete), so the table made from the
/// entity has the mixin columns at its end.
///
/// Added fields: `created_at: DateTimeUtc`, `updated_at: DateTimeUtc`,
/// `deleted_at: Option<DateTimeUtc>` and, with `token`, `delete_token: i64`. A field the
/// struct already has (by name, or marked with a `#[soft_delete(..)]` role) is kept as
/// written. The added types are named through this crate: no `chrono` import is needed.
///
/// | option | effect |
/// | --- | --- |
/// | `token`, `token = ".."`, `allow_hard_delete`, `no_behavior`, `crate = ".."` | handed to the derive as `#[soft_delete(..)]`; `token` also adds `delete_token` |
/// | `timestamp = "DateTimeUtc"` (default), `"DateTimeWithTimeZone"`, `"DateTime"` / `"NaiveDateTime"` (naive, UTC) | the type of the added timestamps |
/// | `token_type = "i64"` (default), `"i32"`, `"Option<i64>"`, `"Option<i32>"` | the type of the added `delete_token` |
///
/// With `#[sea_orm::model]` or `#[sea_orm::compact_model]`, put `mixin` directly above or
/// below that attribute; both work.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), sea_orm::DbErr> {
/// use sea_orm::{ActiveValue::Set, Database, Schema, entity::prelude::*};
/// use soft_delete_core::prelude::*;
///
/// mod user {
///     use sea_orm::entity::prelude::*;
///
///     #[soft_delete_core::mixin(token)]
///     #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
///     #[sea_orm(table_name = "user_data")]
///     pub struct Model {
///         #[sea_orm(primary_key)]
///         pub id: i32,
///         pub name: String,
///     }
///
///     #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
///     pub enum Relation {}
/// }
///
/// let db = Database::connect("sqlite::memory:").await?;
/// let schema = Schema::new(db.get_database_backend());
/// db.execute(&schema.create_table_from_entity(user::Entity)).await?;
///
/// let ada = user::ActiveModel { name: Set("Ada".into()), ..Default::default() };
/// let ada = ada.insert(&db).await?;
/// assert!(ada.deleted_at.is_none());
/// assert_eq!(ada.delete_token, 0);
/// let ada = ada.soft_delete(&db).await?;
/// assert_eq!(ada.delete_token, ada.deleted_at.map(|at| at.timestamp()).unwrap_or_default());
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "derive")]
pub use soft_delete_derive::mixin;

/// Everything an entity module or a service needs: `use soft_delete_core::prelude::*;`.
pub mod prelude {
    pub use crate::{DeleteOutcome, RestoreOutcome, SoftDelete, SoftDeleteModel, SoftDeleteQuery};
}
