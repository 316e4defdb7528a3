//! Every role on a field with another name, and a micros token.

use sea_orm::entity::prelude::*;
use soft_delete_core::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
#[sea_orm(table_name = "renamed")]
#[soft_delete(token = "micros")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[soft_delete(created_at)]
    pub inserted_on: DateTimeUtc,
    #[soft_delete(updated_at)]
    pub touched_on: DateTimeUtc,
    #[soft_delete(deleted_at)]
    pub removed_at: Option<DateTimeUtc>,
    #[soft_delete(delete_token)]
    pub removal_stamp: i64,
    /// Named like a mixin column but not one: the attributes above win.
    pub deleted_at: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
