//! `MixinColumns`: tables created or altered by the migration helpers round-trip through
//! entities that derive `SoftDelete`, with the column types each backend should have.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ConnectionTrait, DbBackend, EntityTrait, QueryOrder, Statement,
    sea_query::{ColumnDef, Table, TableCreateStatement},
};
use sea_orm_migration::SchemaManager;
use soft_delete_core::{
    TimestampKind,
    migration::{MixinColumns, TokenColumnKind},
    prelude::*,
};
use support::{Backend, TestDb, backend_tests};

/// core-lib's shape: UTC timestamps and a `NOT NULL DEFAULT 0` token.
mod utc {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "mixin_utc")]
    #[soft_delete(token = "id")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// Naive timestamps, renamed columns and a nullable token under core-lib's older name.
mod naive {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "mixin_naive")]
    #[soft_delete(token = "micros")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        #[soft_delete(created_at)]
        pub inserted_at: DateTime,
        #[soft_delete(updated_at)]
        pub modified_at: DateTime,
        #[soft_delete(deleted_at)]
        pub removed_at: Option<DateTime>,
        pub deleted_at_token: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// `DateTimeWithTimeZone`, no token; its columns come from `MixinColumns::of`.
mod fixed {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "mixin_fixed")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub created_at: DateTimeWithTimeZone,
        pub updated_at: DateTimeWithTimeZone,
        pub deleted_at: Option<DateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

fn utc_mixin() -> MixinColumns {
    MixinColumns::new().token(TokenColumnKind::NotNullZero)
}

fn naive_mixin() -> MixinColumns {
    MixinColumns::new()
        .timestamps(TimestampKind::Naive)
        .names("inserted_at", "modified_at", "removed_at")
        .token(TokenColumnKind::Nullable)
        .token_name("deleted_at_token")
}

/// `id` and `name`, the part of each table that is not the mixin.
fn bare(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(
            ColumnDef::new("id")
                .big_integer()
                .not_null()
                .auto_increment()
                .primary_key(),
        )
        .col(ColumnDef::new("name").string().not_null())
        .to_owned()
}

/// The declared type of each column, lower-cased, as the database reports it.
async fn column_types(t: &TestDb, table: &str) -> Vec<(String, String)> {
    let sql = match t.backend {
        Backend::Postgres => format!(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"
        ),
        Backend::MySql => format!(
            "SELECT CAST(column_name AS CHAR), CAST(column_type AS CHAR) FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = '{table}' ORDER BY ordinal_position"
        ),
        _ => format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid"),
    };
    let rows =
        t.db.query_all_raw(Statement::from_string(t.db_backend(), sql))
            .await
            .unwrap();
    rows.iter()
        .map(|r| {
            let name: String = r.try_get_by_index(0).unwrap();
            let ty: String = r.try_get_by_index(1).unwrap();
            (name, ty.to_lowercase())
        })
        .collect()
}

fn type_of<'a>(types: &'a [(String, String)], column: &str) -> &'a str {
    types
        .iter()
        .find(|(n, _)| n == column)
        .map(|(_, t)| t.as_str())
        .unwrap_or("<missing>")
}

/// The timestamp type a `kind` column must have on this backend.
fn expected_timestamp(backend: Backend, naive: bool) -> &'static str {
    match (backend, naive) {
        (Backend::MySql, _) => "datetime(6)",
        (Backend::Postgres, false) => "timestamp with time zone",
        (Backend::Postgres, true) => "timestamp without time zone",
        (_, false) => "timestamp_with_timezone_text",
        (_, true) => "datetime_text",
    }
}

/// A row inserted without the hooks still gets UTC timestamps close to the clock's.
fn assert_recent(at: chrono::DateTime<Utc>, what: &str) {
    let skew = (Utc::now() - at).abs();
    assert!(
        skew < Duration::minutes(10),
        "{what} = {at} is not the current UTC time"
    );
}

/// Creating tables with `add_to`: types per backend, then the entities round-trip.
async fn created_tables_round_trip(t: TestDb) {
    let manager = SchemaManager::new(&t.db);
    let backend = t.db_backend();
    let mut tables = Vec::new();
    for (name, mixin) in [
        ("mixin_utc", utc_mixin()),
        ("mixin_naive", naive_mixin()),
        ("mixin_fixed", MixinColumns::of::<fixed::Entity>()),
    ] {
        let mut table = bare(name);
        mixin.add_to(&mut table, backend);
        println!("{:?}: {}", t.backend, backend.build(&table));
        let (created, sql) = t.counted(manager.create_table(table)).await;
        created.unwrap();
        assert_eq!(sql.len(), 1, "{sql:?}");
        tables.push(name);
    }
    let (ts, tsn) = (
        expected_timestamp(t.backend, false),
        expected_timestamp(t.backend, true),
    );
    let utc_types = column_types(&t, "mixin_utc").await;
    for column in ["created_at", "updated_at", "deleted_at"] {
        assert_eq!(type_of(&utc_types, column), ts, "{column}: {utc_types:?}");
    }
    // SQLite spells SeaORM's 64-bit integer `integer` (same affinity).
    let bigint = if backend == DbBackend::Sqlite {
        "integer"
    } else {
        "bigint"
    };
    // MariaDB reports `bigint(20)`.
    assert!(
        type_of(&utc_types, "delete_token").starts_with(bigint),
        "{utc_types:?}"
    );
    let naive_types = column_types(&t, "mixin_naive").await;
    for column in ["inserted_at", "modified_at", "removed_at"] {
        assert_eq!(
            type_of(&naive_types, column),
            tsn,
            "{column}: {naive_types:?}"
        );
    }
    let fixed_types = column_types(&t, "mixin_fixed").await;
    assert_eq!(type_of(&fixed_types, "deleted_at"), ts, "{fixed_types:?}");
    assert_eq!(type_of(&fixed_types, "delete_token"), "<missing>");

    // Through the hooks.
    let ada = utc::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(
        utc::Entity::find_by_id(ada.id).one(&t.db).await.unwrap(),
        Some(ada.clone())
    );
    let gone = ada.soft_delete(&t.db).await.unwrap();
    assert_eq!(gone.delete_token, ada.id);
    assert_eq!(
        utc::Entity::find_by_id(ada.id).one(&t.db).await.unwrap(),
        Some(gone.clone())
    );
    let back = gone.restore(&t.db).await.unwrap();
    assert_eq!((back.deleted_at, back.delete_token), (None, 0));

    let bob = naive::ActiveModel {
        name: Set("bob".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(bob.deleted_at_token, None);
    assert_eq!(
        naive::Entity::soft_delete_by_id(&t.db, bob.id)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let stored = naive::Entity::find_by_id(bob.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let removed_at = stored.removed_at.expect("removed_at stamped");
    assert_eq!(
        stored.deleted_at_token,
        Some(removed_at.and_utc().timestamp_micros())
    );

    let cy = fixed::ActiveModel {
        name: Set("cy".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(
        fixed::Entity::find_by_id(cy.id).one(&t.db).await.unwrap(),
        Some(cy.clone())
    );
    assert_eq!(
        fixed::Entity::soft_delete_by_id(&t.db, cy.id)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        fixed::Entity::find_deleted()
            .all(&t.db)
            .await
            .unwrap()
            .len(),
        1
    );

    // Past the hooks: the defaults fill every NOT NULL column with the current UTC time.
    for table in tables {
        t.exec(&format!("INSERT INTO {table} (name) VALUES ('raw')"))
            .await
            .unwrap();
    }
    let raw = utc::Entity::find_live()
        .all(&t.db)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (raw.name.as_str(), raw.delete_token, raw.deleted_at),
        ("raw", 0, None)
    );
    assert_recent(raw.created_at, "created_at");
    assert_recent(raw.updated_at, "updated_at");
    let raw = naive::Entity::find_live()
        .all(&t.db)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!((raw.name.as_str(), raw.deleted_at_token), ("raw", None));
    assert_recent(raw.inserted_at.and_utc(), "inserted_at");
    let raw = fixed::Entity::find_live()
        .all(&t.db)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_recent(raw.created_at.to_utc(), "created_at");
    // The defaulted row sorts with the stamped ones: the same text format on SQLite.
    let newest = utc::Entity::find()
        .order_by_asc(utc::Column::Id)
        .all(&t.db)
        .await
        .unwrap();
    assert!(
        newest
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at),
        "{newest:?}"
    );
    assert!(raw.deleted_at.is_none());
}

/// Adding the columns to an existing table with rows: `alter_table` / `add_to_table`.
async fn altered_tables_round_trip(t: TestDb) {
    let manager = SchemaManager::new(&t.db);
    let backend = t.db_backend();
    for (name, mixin) in [("mixin_utc", utc_mixin()), ("mixin_naive", naive_mixin())] {
        manager.create_table(bare(name)).await.unwrap();
        t.exec(&format!("INSERT INTO {name} (name) VALUES ('old')"))
            .await
            .unwrap();
        for alter in mixin.alter_table(name, backend) {
            println!("{:?}: {}", t.backend, backend.build(&alter));
        }
        let (altered, sql) = t.counted(mixin.add_to_table(&manager, name)).await;
        altered.unwrap();
        let expected = if backend == DbBackend::Sqlite { 4 } else { 1 };
        assert_eq!(sql.len(), expected, "{sql:?}");
    }
    let (ts, tsn) = (
        expected_timestamp(t.backend, false),
        expected_timestamp(t.backend, true),
    );
    let types = column_types(&t, "mixin_utc").await;
    assert_eq!(type_of(&types, "created_at"), ts, "{types:?}");
    assert_eq!(type_of(&types, "deleted_at"), ts, "{types:?}");
    let types = column_types(&t, "mixin_naive").await;
    assert_eq!(type_of(&types, "modified_at"), tsn, "{types:?}");

    // The row from before the migration reads back through the entity, live, stamped now.
    let old = utc::Entity::find_live()
        .one(&t.db)
        .await
        .unwrap()
        .expect("old row is live");
    assert_eq!((old.name.as_str(), old.delete_token), ("old", 0));
    assert_recent(old.created_at, "created_at of an existing row");
    let gone = old.soft_delete(&t.db).await.unwrap();
    assert_eq!(gone.delete_token, old.id);
    assert_eq!(
        utc::Entity::restore_by_id(&t.db, old.id).await.unwrap(),
        RestoreOutcome::Restored
    );

    let old = naive::Entity::find_live()
        .one(&t.db)
        .await
        .unwrap()
        .expect("old row is live");
    assert_eq!(old.deleted_at_token, None);
    assert_recent(old.inserted_at.and_utc(), "inserted_at of an existing row");
    let new = naive::ActiveModel {
        name: Set("new".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(
        naive::Entity::find_by_id(new.id).one(&t.db).await.unwrap(),
        Some(new)
    );
}

/// The defaults are UTC whatever the session's time zone: a local-time default would be off
/// by the offset, the seed's token bug again. One connection, so the `SET` applies to the
/// inserts.
async fn defaults_ignore_session_time_zone(t: TestDb) {
    let manager = SchemaManager::new(&t.db);
    let backend = t.db_backend();
    for (name, mixin) in [("mixin_utc", utc_mixin()), ("mixin_naive", naive_mixin())] {
        let mut table = bare(name);
        mixin.add_to(&mut table, backend);
        manager.create_table(table).await.unwrap();
    }
    match t.backend {
        Backend::Postgres => {
            t.exec("SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE")
                .await
        }
        Backend::MySql => t.exec("SET time_zone = '+05:30'").await,
        _ => Ok(()),
    }
    .unwrap();
    for table in ["mixin_utc", "mixin_naive"] {
        t.exec(&format!("INSERT INTO {table} (name) VALUES ('raw')"))
            .await
            .unwrap();
    }
    let raw = utc::Entity::find().one(&t.db).await.unwrap().unwrap();
    assert_recent(raw.created_at, "created_at");
    assert_recent(raw.updated_at, "updated_at");
    let raw = naive::Entity::find().one(&t.db).await.unwrap().unwrap();
    assert_recent(raw.inserted_at.and_utc(), "inserted_at");
    assert_recent(raw.modified_at.and_utc(), "modified_at");
}

backend_tests!(created_tables_round_trip, altered_tables_round_trip);
backend_tests!(pool = 1; defaults_ignore_session_time_zone);
