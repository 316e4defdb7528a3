//! `find_live()` on a table where most rows are deleted reads the `live_index`, not the
//! deleted rows: the planner's own `EXPLAIN` says so on every backend.

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryTrait, Statement};
use soft_delete_core::{prelude::*, schema::create_live_index};
use support::{Backend, TestDb, backend_tests};

mod ledger {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "ledger")]
    #[soft_delete(token = "id")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub memo: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

const ROWS: i64 = 20_000;
const LIVE: i64 = 20;

/// The planner's output for `sql`, one line per row of the `EXPLAIN`.
async fn explain(t: &TestDb, sql: &str) -> Vec<String> {
    let prefix = match t.backend {
        Backend::SqliteMemory | Backend::SqliteFile => "EXPLAIN QUERY PLAN",
        _ => "EXPLAIN",
    };
    let stmt = Statement::from_string(t.db_backend(), format!("{prefix} {sql}"));
    let rows = t.db.query_all_raw(stmt).await.unwrap();
    rows.iter()
        .map(|row| {
            let cells = row.column_names().into_iter().enumerate().map(|(i, name)| {
                let value = row
                    .try_get_by_index::<Option<String>>(i)
                    .ok()
                    .flatten()
                    .or_else(|| {
                        row.try_get_by_index::<Option<i64>>(i)
                            .ok()
                            .flatten()
                            .map(|v| v.to_string())
                    })
                    .or_else(|| {
                        row.try_get_by_index::<Option<u64>>(i)
                            .ok()
                            .flatten()
                            .map(|v| v.to_string())
                    })
                    .unwrap_or_else(|| "NULL".into());
                format!("{name}={value}")
            });
            cells.collect::<Vec<_>>().join(" | ")
        })
        .collect()
}

async fn find_live_uses_live_index(t: TestDb) {
    t.create(ledger::Entity).await.unwrap();
    let now = soft_delete_core::now();
    let mut batch = Vec::new();
    for id in 1..=ROWS {
        batch.push(ledger::ActiveModel {
            memo: Set(format!("entry {id}")),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            delete_token: Set(0),
            ..Default::default()
        });
        if batch.len() == 1_000 {
            ledger::Entity::insert_many(std::mem::take(&mut batch))
                .exec(&t.db)
                .await
                .unwrap();
        }
    }
    if !batch.is_empty() {
        ledger::Entity::insert_many(batch)
            .exec(&t.db)
            .await
            .unwrap();
    }
    let deleted = ledger::Entity::soft_delete_many(&t.db, ledger::Column::Id.gt(LIVE))
        .await
        .unwrap();
    assert_eq!(deleted as i64, ROWS - LIVE);

    let sql = ledger::Entity::find_live()
        .build(t.db_backend())
        .to_string();
    analyze(&t).await;
    let before = explain(&t, &sql).await.join("\n");
    println!("{:?} without the index:\n    {before}", t.backend);
    let full_scan = match t.backend {
        Backend::Postgres => before.contains("Seq Scan on ledger"),
        Backend::MySql => before.contains("type=ALL"),
        _ => before.ends_with("detail=SCAN ledger"),
    };
    assert!(full_scan, "without the index every row is read:\n{before}");

    let (created, ddl) = t
        .counted(create_live_index::<ledger::Entity, _>(
            &t.db,
            "ledger_live",
            &[],
        ))
        .await;
    created.unwrap();
    assert_eq!(ddl.len(), 1, "{ddl:?}");
    analyze(&t).await;
    let plan = explain(&t, &sql).await;
    println!(
        "{:?}\n  DDL: {}\n  SQL: {sql}\n  PLAN:\n    {}",
        t.backend,
        ddl[0],
        plan.join("\n    ")
    );
    let text = plan.join("\n");
    assert!(
        text.contains("ledger_live"),
        "find_live() does not use the index:\n{text}"
    );
    if t.backend == Backend::MySql {
        assert!(
            text.contains("type=ref"),
            "not a ref lookup on deleted_at IS NULL:\n{text}"
        );
    }
    assert_eq!(
        ledger::Entity::find_live().all(&t.db).await.unwrap().len() as i64,
        LIVE
    );
}

async fn analyze(t: &TestDb) {
    let sql = match t.backend {
        Backend::Postgres => "ANALYZE ledger",
        Backend::MySql => "ANALYZE TABLE ledger",
        _ => "ANALYZE",
    };
    t.exec(sql).await.unwrap();
}

// One connection, so ANALYZE's statistics are those the EXPLAIN sees.
backend_tests!(pool = 1; find_live_uses_live_index);
