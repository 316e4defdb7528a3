//! `#[soft_delete_core::mixin]`: the fields it adds, their types and column order, and soft
//! delete / restore through mixin entities in the classic and `#[sea_orm::model]` formats, with
//! tables made from the entities (`create_table_from_entity` and SeaORM 2's schema sync).

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Schema, Statement,
};
use soft_delete_core::prelude::*;
use support::{TestDb, backend_tests};

/// Classic format, defaults plus a token.
mod member {
    use sea_orm::entity::prelude::*;

    #[soft_delete_core::mixin(token)]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "member")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// Type overrides, a field the user wrote (it keeps its place and type), millis token.
mod shipment {
    use sea_orm::entity::prelude::*;

    #[soft_delete_core::mixin(
        token = "millis",
        timestamp = "DateTimeWithTimeZone",
        token_type = "Option<i64>",
        allow_hard_delete
    )]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "shipment")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub created_at: DateTimeUtc,
        pub label: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// Naive timestamps; the deleted-at column under another name, marked with its role.
mod memo {
    use sea_orm::entity::prelude::*;

    #[soft_delete_core::mixin(timestamp = "DateTime")]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "memo")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub body: String,
        #[soft_delete(deleted_at)]
        pub removed_at: Option<DateTime>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// `#[sea_orm::model]`, with `mixin` above it.
mod draft {
    use sea_orm::entity::prelude::*;

    #[soft_delete_core::mixin(token)]
    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "draft")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub title: String,
    }
}

/// `#[sea_orm::model]`, with `mixin` below it.
mod sketch {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[soft_delete_core::mixin(token)]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sketch")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub title: String,
    }
}

/// `#[sea_orm::compact_model]`, with `mixin` above it and `SoftDelete` already derived by hand.
mod outline {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::SoftDelete;

    #[soft_delete_core::mixin(token = "micros", token_type = "i64")]
    #[sea_orm::compact_model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "outline")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub title: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// The table's column names in table order.
async fn columns(t: &TestDb, table: &str) -> Vec<String> {
    let backend = t.db_backend();
    let sql = match backend {
        DbBackend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        DbBackend::Postgres => format!(
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}' \
             ORDER BY ordinal_position"
        ),
        _ => format!(
            "SELECT column_name AS name FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = '{table}' ORDER BY ordinal_position"
        ),
    };
    let rows =
        t.db.query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect()
}

async fn classic_round_trip(t: TestDb) {
    t.create(member::Entity).await.unwrap();
    assert_eq!(
        columns(&t, "member").await,
        [
            "id",
            "name",
            "created_at",
            "updated_at",
            "deleted_at",
            "delete_token"
        ]
    );

    let ada = member::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    };
    let ada = ada.insert(&t.db).await.unwrap();
    let _: sea_orm::prelude::DateTimeUtc = ada.created_at;
    assert_eq!(ada.created_at, ada.updated_at);
    assert_eq!((ada.deleted_at, ada.delete_token), (None, 0));

    let (outcome, sql) = t
        .counted(member::Entity::soft_delete_by_id(&t.db, ada.id))
        .await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::Deleted);
    assert_eq!(sql.len(), 1, "{sql:?}");
    let stored = member::Entity::find_by_id(ada.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let deleted_at = stored.deleted_at.expect("deleted_at stamped");
    assert_eq!(stored.delete_token, deleted_at.timestamp());
    assert!(
        member::Entity::find_live()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );

    let (outcome, _) = t
        .counted(member::Entity::restore_by_id(&t.db, ada.id))
        .await;
    assert_eq!(outcome.unwrap(), RestoreOutcome::Restored);
    let live = member::Entity::find_live().all(&t.db).await.unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!((live[0].deleted_at, live[0].delete_token), (None, 0));
}

async fn overrides_round_trip(t: TestDb) {
    t.create(shipment::Entity).await.unwrap();
    assert_eq!(
        columns(&t, "shipment").await,
        [
            "id",
            "created_at",
            "label",
            "updated_at",
            "deleted_at",
            "delete_token"
        ],
        "the written created_at keeps its place; added fields go last"
    );
    let box_ = shipment::ActiveModel {
        label: Set("box".into()),
        ..Default::default()
    };
    let box_ = box_.insert(&t.db).await.unwrap();
    // The written field keeps its type; the added ones take the overrides.
    let _: sea_orm::prelude::DateTimeUtc = box_.created_at;
    let _: sea_orm::prelude::DateTimeWithTimeZone = box_.updated_at;
    let _: Option<sea_orm::prelude::DateTimeWithTimeZone> = box_.deleted_at;
    assert_eq!(
        box_.delete_token, None,
        "an Option token stays NULL while live"
    );

    let deleted = box_.clone().soft_delete(&t.db).await.unwrap();
    let deleted_at = deleted.deleted_at.expect("deleted_at stamped");
    assert_eq!(deleted.delete_token, Some(deleted_at.timestamp_millis()));
    let restored = deleted.restore(&t.db).await.unwrap();
    assert_eq!((restored.deleted_at, restored.delete_token), (None, None));

    // `allow_hard_delete` passed through: the plain delete goes ahead.
    let gone = shipment::ActiveModel::from(restored)
        .delete(&t.db)
        .await
        .unwrap();
    assert_eq!(gone.rows_affected, 1);

    t.create(memo::Entity).await.unwrap();
    assert_eq!(
        columns(&t, "memo").await,
        ["id", "body", "removed_at", "created_at", "updated_at"]
    );
    let memo = memo::ActiveModel {
        body: Set("hi".into()),
        ..Default::default()
    };
    let memo = memo.insert(&t.db).await.unwrap();
    let _: sea_orm::prelude::DateTime = memo.created_at;
    let memo = memo.soft_delete(&t.db).await.unwrap();
    assert!(memo.removed_at.is_some());
    assert!(
        memo::Entity::find_live()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
}

/// `#[sea_orm::model]` / `compact_model` entities, tables made by SeaORM 2's schema sync.
async fn model_format_round_trip(t: TestDb) {
    Schema::new(t.db_backend())
        .builder()
        .register(draft::Entity)
        .register(sketch::Entity)
        .sync(&t.db)
        .await
        .unwrap();
    let expected = [
        "id",
        "title",
        "created_at",
        "updated_at",
        "deleted_at",
        "delete_token",
    ];
    assert_eq!(columns(&t, "draft").await, expected);
    assert_eq!(columns(&t, "sketch").await, expected);

    let a = draft::ActiveModel {
        title: Set("a".into()),
        ..Default::default()
    };
    let a = a.insert(&t.db).await.unwrap();
    assert_eq!((a.deleted_at, a.delete_token), (None, 0));
    assert_eq!(
        draft::Entity::soft_delete_by_id(&t.db, a.id).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert!(
        draft::Entity::find_live()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        draft::Entity::restore_by_id(&t.db, a.id).await.unwrap(),
        RestoreOutcome::Restored
    );
    assert_eq!(
        draft::Entity::find_live().all(&t.db).await.unwrap().len(),
        1
    );

    let b = sketch::ActiveModel {
        title: Set("b".into()),
        ..Default::default()
    };
    let b = b.insert(&t.db).await.unwrap();
    let b = b.soft_delete(&t.db).await.unwrap();
    assert!(b.deleted_at.is_some());
    assert_ne!(b.delete_token, 0);
    assert!(
        sketch::Entity::find_live()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
    let b = b.restore(&t.db).await.unwrap();
    assert_eq!((b.deleted_at, b.delete_token), (None, 0));

    Schema::new(t.db_backend())
        .builder()
        .register(outline::Entity)
        .sync(&t.db)
        .await
        .unwrap();
    assert_eq!(columns(&t, "outline").await, expected);
    let c = outline::ActiveModel {
        title: Set("c".into()),
        ..Default::default()
    };
    let c = c.insert(&t.db).await.unwrap();
    let c = c.soft_delete(&t.db).await.unwrap();
    let deleted_at = c.deleted_at.expect("deleted_at stamped");
    // Schema sync makes MySQL's `TIMESTAMP` whole seconds, so compare at that grain.
    assert_eq!(
        c.delete_token / 1_000_000,
        deleted_at.timestamp(),
        "micros passed through"
    );
}

backend_tests!(
    classic_round_trip,
    overrides_round_trip,
    model_format_round_trip
);
