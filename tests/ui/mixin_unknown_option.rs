use sea_orm::entity::prelude::*;
use soft_delete_core::prelude::*;

#[soft_delete_core::mixin(token, hard_delete)]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_data")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Code using the entity and its mixin fields still type-checks.
pub async fn service(db: &DatabaseConnection) -> Result<(), DbErr> {
    let ada = ActiveModel { name: sea_orm::ActiveValue::Set("Ada".to_owned()), ..Default::default() };
    let ada = ada.insert(db).await?;
    for user in Entity::find_live().all(db).await? {
        let deleted = user.soft_delete(db).await?;
        assert!(deleted.deleted_at.is_some());
    }
    Entity::restore_by_id(db, ada.id).await?;
    Ok(())
}

fn main() {}
