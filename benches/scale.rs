//! How a page of live rows grows with the table: `find_live()` with 50 rows a page on tables
//! of 10^4, 10^5 and 10^6 rows, 90% of them deleted, with and without the live-row index,
//! side by side with the hand-written filtered `find()`.
//!
//! The deleted rows are the oldest 90% (ids `1..=0.9 n`) and the page is the first one in key
//! order, which is the layout where an unindexed query has the most to skip.
//!
//! `cargo bench --bench scale`. Settings: `SOFT_DELETE_BENCH_SCALE_SIZES`
//! (`10000,100000,1000000`), `SOFT_DELETE_BENCH_SCALE_SECS` (time budget per measurement, 3),
//! `SOFT_DELETE_BENCH_BACKENDS`.

mod common;

use std::time::Instant;

use chrono::Utc;
use common::{Summary, env_u64};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use soft_delete_core::prelude::*;
use support::{Backend, entities::user};

const PAGE: u64 = 50;
const INDEX: &str = "user_data_live";

async fn helper_page(db: &DatabaseConnection) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find_live()
        .order_by_asc(user::Column::Id)
        .limit(PAGE)
        .all(db)
        .await
}

async fn hand_page(db: &DatabaseConnection) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::DeletedAt.is_null())
        .order_by_asc(user::Column::Id)
        .limit(PAGE)
        .all(db)
        .await
}

/// The live-row index from `soft_delete_core::schema`: partial `(id) WHERE deleted_at IS NULL`
/// on PostgreSQL and SQLite, `(deleted_at)` (InnoDB appends the key) on MySQL and MariaDB.
async fn create_index(db: &DatabaseConnection) -> Result<(), DbErr> {
    soft_delete_core::schema::create_live_index::<user::Entity, _>(db, INDEX, &[]).await?;
    common::analyze(db).await
}

struct Row {
    rows: u64,
    indexed: bool,
    helper: Summary,
    hand: Summary,
    ratio: Summary,
}

async fn measure(db: &DatabaseConnection, first_live: i32, budget: f64) -> (Vec<f64>, Vec<f64>) {
    let check = |page: Vec<user::Model>| {
        assert_eq!(page.len() as u64, PAGE);
        assert_eq!(page[0].id, first_live);
        assert!(page.iter().all(|m| m.deleted_at.is_none()));
    };
    for _ in 0..3 {
        check(helper_page(db).await.expect("warm up"));
        check(hand_page(db).await.expect("warm up"));
    }
    let (mut h, mut b) = (Vec::new(), Vec::new());
    let start = Instant::now();
    let mut i = 0;
    while h.len() < 10 || (start.elapsed().as_secs_f64() < budget && h.len() < 500) {
        for helper in [i % 2 == 0, i % 2 != 0] {
            let t0 = Instant::now();
            let page = if helper {
                helper_page(db).await
            } else {
                hand_page(db).await
            };
            let took = t0.elapsed().as_secs_f64();
            check(page.expect("page"));
            if helper { h.push(took) } else { b.push(took) }
        }
        i += 1;
    }
    (h, b)
}

async fn bench(backend: Backend, sizes: &[u64], budget: f64) {
    let Some(t) = common::open(backend, "scale").await else {
        return;
    };
    let version = common::server_version(&t.db).await;
    let db = t.connect_again(1).await.expect("connect");
    let mut table = Vec::new();
    for &rows in sizes {
        common::drop_users(&db).await.expect("drop");
        let deleted = rows * 9 / 10;
        let old = Utc::now() - chrono::Duration::days(7);
        common::fill_users(&t, &db, rows, deleted, old)
            .await
            .expect("fill");
        for indexed in [false, true] {
            if indexed {
                create_index(&db).await.expect("index");
            }
            let (h, b) = measure(&db, deleted as i32 + 1, budget).await;
            let ratio: Vec<f64> = h.iter().zip(&b).map(|(h, b)| h / b).collect();
            table.push(Row {
                rows,
                indexed,
                helper: Summary::of(&h),
                hand: Summary::of(&b),
                ratio: Summary::of(&ratio),
            });
        }
    }
    println!(
        "\n## {} ({version}): first page of 50 live rows, 90% of rows deleted\n",
        backend.name()
    );
    println!(
        "| rows | live-row index | `find_live()` median (p25–p75) | hand-written median (p25–p75) | ratio, median of pairs (p25–p75) | growth vs smallest table | pairs |"
    );
    println!("|---|---|---|---|---|---|---|");
    for row in &table {
        let smallest = table
            .iter()
            .find(|r| r.indexed == row.indexed)
            .map_or(f64::NAN, |r| r.helper.median);
        println!(
            "| {} | {} | {} | {} | {} | ×{:.1} | {} |",
            row.rows,
            if row.indexed { "yes" } else { "no" },
            row.helper.time(),
            row.hand.time(),
            row.ratio.ratio(),
            row.helper.median / smallest,
            row.helper.n,
        );
    }
    let _ = db.close().await;
    common::close(t).await;
}

fn main() {
    let sizes: Vec<u64> = std::env::var("SOFT_DELETE_BENCH_SCALE_SIZES")
        .unwrap_or_else(|_| "10000,100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect();
    let budget = env_u64("SOFT_DELETE_BENCH_SCALE_SECS", 3) as f64;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    common::header("scale");
    for backend in common::backends() {
        runtime.block_on(bench(backend, &sizes, budget));
    }
}
