//! Entities as a user writes them, in each format, with no `chrono` or `async-trait`
//! dependency: the generated code must name everything through `soft_delete_core`.

/// The derive on a classic entity with every timestamp type and a token.
pub mod account {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "account")]
    #[soft_delete(token = "millis")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email: String,
        pub created_at: DateTimeWithTimeZone,
        pub updated_at: Option<DateTime>,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// The mixin attribute under `#[sea_orm::model]`.
pub mod ledger {
    use sea_orm::entity::prelude::*;

    #[soft_delete_core::mixin(token = "id")]
    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub memo: String,
    }
}

/// The derive under `#[sea_orm::compact_model]`, with the user's own hooks.
pub mod note {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[sea_orm::compact_model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "note")]
    #[soft_delete(no_behavior)]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub body: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    // SeaORM's prelude brings `async_trait` into scope; the user needs no dependency on it.
    #[async_trait::async_trait]
    impl ActiveModelBehavior for ActiveModel {
        async fn before_save<C: ConnectionTrait>(
            mut self,
            _db: &C,
            insert: bool,
        ) -> Result<Self, DbErr> {
            self.stamp(insert);
            Ok(self)
        }
    }
}
