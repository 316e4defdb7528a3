use sea_orm::entity::prelude::*;
use soft_delete_core::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
#[sea_orm(table_name = "device")]
#[soft_delete(token = "id")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub delete_token: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

fn main() {}
