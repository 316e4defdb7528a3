//! Names that need quoting: an SQL keyword in mixed case as the table, keywords as columns,
//! every mixin column renamed, a millisecond token.

use sea_orm::entity::prelude::*;
use soft_delete_core::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
#[sea_orm(table_name = "Order")]
#[soft_delete(token = "millis")]
pub struct Model {
    #[sea_orm(primary_key, column_name = "Key")]
    pub id: i32,
    #[sea_orm(column_name = "Select")]
    pub select: String,
    #[soft_delete(created_at)]
    #[sea_orm(column_name = "CreatedAt")]
    pub made: DateTimeUtc,
    #[soft_delete(updated_at)]
    #[sea_orm(column_name = "Update")]
    pub touched: DateTimeUtc,
    #[soft_delete(deleted_at)]
    #[sea_orm(column_name = "DeletedAt")]
    pub removed: Option<DateTimeUtc>,
    #[soft_delete(delete_token)]
    #[sea_orm(column_name = "Group")]
    pub ticket: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
