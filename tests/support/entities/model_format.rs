//! SeaORM 2's `#[sea_orm::model]` entity format.

use sea_orm::entity::prelude::*;
use soft_delete_core::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
#[sea_orm(table_name = "article")]
#[soft_delete(token)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub delete_token: i64,
}
