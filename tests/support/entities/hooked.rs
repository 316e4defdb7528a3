//! `no_behavior`: the user's own `ActiveModelBehavior` calls `stamp`.

use sea_orm::entity::prelude::*;
use soft_delete_core::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
#[sea_orm(table_name = "hooked")]
#[soft_delete(no_behavior, token)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub delete_token: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        // The user's own rule, next to the mixin stamping.
        if let sea_orm::ActiveValue::Set(title) = &self.title {
            self.title = sea_orm::ActiveValue::Set(title.trim().to_owned());
        }
        self.stamp(insert);
        Ok(self)
    }
}
