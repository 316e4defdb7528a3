use sea_orm::entity::prelude::*;
use soft_delete_core::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
#[sea_orm(table_name = "user_data")]
#[soft_delete(crate = "app::orm::soft_delete")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Code using the entity still type-checks against the fallback impls.
pub async fn service(db: &DatabaseConnection) -> Result<(), DbErr> {
    let ada = ActiveModel { name: sea_orm::ActiveValue::Set("Ada".to_owned()), ..Default::default() };
    let ada = ada.insert(db).await?;
    for user in Entity::find_live().all(db).await? {
        let deleted = user.soft_delete(db).await?;
        assert!(deleted.is_deleted());
    }
    Entity::restore_by_id(db, ada.id).await?;
    Ok(())
}

fn main() {}
