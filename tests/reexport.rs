//! `crate = ".."`: the derive and the mixin work through a crate path that re-exports
//! `soft_delete_core`, with no `soft_delete_core` path in the entity modules.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use support::{TestDb, backend_tests};

mod reexport {
    pub use soft_delete_core as sd;
}

use reexport::sd::prelude::*;

mod account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, crate::reexport::sd::SoftDelete)]
    #[sea_orm(table_name = "account")]
    #[soft_delete(token, crate = "crate::reexport::sd")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

mod ledger {
    use sea_orm::entity::prelude::*;

    #[crate::reexport::sd::mixin(token, crate = "crate::reexport::sd")]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

async fn through_reexport(t: TestDb) {
    t.create(account::Entity).await.unwrap();
    t.create(ledger::Entity).await.unwrap();

    let ada = account::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    };
    let ada = ada.insert(&t.db).await.unwrap();
    assert_eq!(ada.delete_token, 0);
    assert_eq!(
        ada.created_at, ada.updated_at,
        "stamped by the generated before_save"
    );
    assert_eq!(
        account::Entity::soft_delete_by_id(&t.db, ada.id)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let stored = account::Entity::find_by_id(ada.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let deleted_at = stored.deleted_at.expect("deleted_at stamped");
    assert_eq!(stored.delete_token, deleted_at.timestamp());
    assert!(
        account::Entity::find_live()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
    let refused = account::ActiveModel::from(stored).delete(&t.db).await;
    assert!(
        refused.is_err(),
        "the generated before_delete refuses a plain hard delete"
    );

    let book = ledger::ActiveModel {
        name: Set("book".into()),
        ..Default::default()
    };
    let book = book.insert(&t.db).await.unwrap();
    assert_eq!(book.delete_token, 0);
    let book = book.soft_delete(&t.db).await.unwrap();
    assert!(book.deleted_at.is_some());
    assert_eq!(
        ledger::Entity::restore_by_id(&t.db, book.id).await.unwrap(),
        RestoreOutcome::Restored
    );
    assert_eq!(
        ledger::Entity::find_live().all(&t.db).await.unwrap().len(),
        1
    );
}

backend_tests!(through_reexport);
