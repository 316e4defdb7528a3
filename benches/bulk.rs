//! Bulk helpers against the hand-written statements: `soft_delete_many` and `restore_many`
//! over a whole table, and purging a million deleted rows in one statement or in batches,
//! with how long a concurrent single-row write has to wait meanwhile.
//!
//! Every ratio is the median of per-pair ratios: helper against hand-written statement in the
//! same pair (bulk) or the same round (purge). Statement counts come from a metric callback on
//! the timed connection ([`common::StatementCount`]), read around each timed call.
//!
//! `cargo bench --bench bulk`. Settings: `SOFT_DELETE_BENCH_BULK_ROWS` (100 000),
//! `SOFT_DELETE_BENCH_BULK_REPS` (8), `SOFT_DELETE_BENCH_PURGE_ROWS` (1 000 000),
//! `SOFT_DELETE_BENCH_PURGE_REPS` (6), `SOFT_DELETE_BENCH_PURGE_BATCH` (10 000),
//! `SOFT_DELETE_BENCH_CASES` (`many,purge`), `SOFT_DELETE_BENCH_BACKENDS`.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use common::{StatementCount, Summary, env_u64};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use soft_delete_core::prelude::*;
use support::{Backend, TestDb, entities::user};

async fn hand_purge(db: &DatabaseConnection, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    let res = user::Entity::delete_many()
        .filter(user::Column::DeletedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// PostgreSQL leaves every updated row behind as a dead tuple; vacuuming before each timed
/// statement gives helper and hand-written statement the same table to work on.
async fn settle(db: &DatabaseConnection) {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("VACUUM user_data")
            .await
            .expect("vacuum");
    }
}

async fn timed<T: std::fmt::Debug>(
    fut: impl std::future::Future<Output = Result<T, DbErr>>,
    expect: impl Fn(&T) -> bool,
) -> f64 {
    let start = Instant::now();
    let out = fut.await;
    let took = start.elapsed().as_secs_f64();
    let out = out.expect("benchmarked call failed");
    assert!(expect(&out), "unexpected result {out:?}");
    took
}

async fn many(t: &TestDb, rows: u64, reps: u64) {
    let mut db = t.connect_again(1).await.expect("connect");
    common::fill_users(t, &db, rows, 0, Utc::now())
        .await
        .expect("fill");
    // Counts every statement the timed connection sends; taken right before and after each
    // timed call, so each count is that call's.
    let sent = StatementCount::attach(&mut db);
    let upto = rows as i32;
    let cond = || user::Column::Id.lte(upto);
    let all = |n: &u64| *n == rows;
    // One untimed round each first: the first UPDATE after the fill rewrites every page
    // (PostgreSQL has no free space in them yet), which would load whichever side runs first.
    for helper in [true, false] {
        settle(&db).await;
        if helper {
            timed(user::Entity::soft_delete_many(&db, cond()), all).await;
            timed(user::Entity::restore_many(&db, cond()), all).await;
        } else {
            timed(
                common::hand_soft_delete(&db, user::Column::Id.lte(upto)),
                all,
            )
            .await;
            timed(common::hand_restore(&db, user::Column::Id.lte(upto)), all).await;
        }
    }
    // Times and statement counts: helper delete, hand-written delete, helper restore,
    // hand-written restore.
    let (mut hd, mut bd, mut hr, mut br) = (vec![], vec![], vec![], vec![]);
    let (mut nhd, mut nbd, mut nhr, mut nbr) = (vec![], vec![], vec![], vec![]);
    for rep in 0..reps {
        let helper_first = rep % 2 == 0;
        for helper in [helper_first, !helper_first] {
            settle(&db).await;
            sent.take();
            let d = if helper {
                timed(user::Entity::soft_delete_many(&db, cond()), all).await
            } else {
                timed(
                    common::hand_soft_delete(&db, user::Column::Id.lte(upto)),
                    all,
                )
                .await
            };
            let nd = sent.take();
            settle(&db).await;
            sent.take();
            let r = if helper {
                timed(user::Entity::restore_many(&db, cond()), all).await
            } else {
                timed(common::hand_restore(&db, user::Column::Id.lte(upto)), all).await
            };
            let nr = sent.take();
            if helper {
                hd.push(d);
                hr.push(r);
                nhd.push(nd);
                nhr.push(nr);
            } else {
                bd.push(d);
                br.push(r);
                nbd.push(nd);
                nbr.push(nr);
            }
        }
    }
    // The statements' text, from the statement log (on a range that matches no row).
    let none = || user::Column::Id.lte(0);
    let sql = |v: Vec<String>| v.join("; ");
    let helper_sql = sql(t
        .counted(user::Entity::soft_delete_many(&t.db, none()))
        .await
        .1);
    let hand_sql = sql(t
        .counted(common::hand_soft_delete(&t.db, user::Column::Id.lte(0)))
        .await
        .1);
    let helper_restore_sql = sql(t.counted(user::Entity::restore_many(&t.db, none())).await.1);
    let hand_restore_sql = sql(t
        .counted(common::hand_restore(&t.db, user::Column::Id.lte(0)))
        .await
        .1);
    let ratio =
        |h: &[f64], b: &[f64]| -> Vec<f64> { h.iter().zip(b).map(|(h, b)| h / b).collect() };
    println!("\n### soft_delete_many / restore_many over {rows} rows, {reps} pairs\n");
    println!(
        "| helper | helper median (p25–p75) | hand-written median (p25–p75) | ratio, median of pairs (p25–p75) | statements per call, counted: helper / hand-written |"
    );
    println!("|---|---|---|---|---|");
    for (name, h, b, nh, nb) in [
        ("soft_delete_many", &hd, &bd, &nhd, &nbd),
        ("restore_many", &hr, &br, &nhr, &nbr),
    ] {
        println!(
            "| `{name}` | {} | {} | **{}** | {} / {} |",
            Summary::of(h).time(),
            Summary::of(b).time(),
            Summary::of(&ratio(h, b)).ratio(),
            common::counts(nh),
            common::counts(nb),
        );
    }
    println!("\nStatements sent:\n");
    println!("- `soft_delete_many`: `{helper_sql}`");
    println!("- hand-written: `{hand_sql}`");
    println!("- `restore_many`: `{helper_restore_sql}`");
    println!("- hand-written: `{hand_restore_sql}`");
    drop_pool(db).await;
}

async fn drop_pool(db: DatabaseConnection) {
    let _ = db.close().await;
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Purge {
    Helper,
    Hand,
    Batched,
}

impl Purge {
    /// `batch` is the size asked for, `used` the largest batch the purge actually removed, out
    /// of `rows`: below both, the library capped the batch size.
    fn name(self, batch: u64, used: u64, rows: u64) -> String {
        match self {
            Purge::Helper => "`purge_deleted_before` (one DELETE)".to_owned(),
            Purge::Hand => "hand-written `delete_many()` (one DELETE)".to_owned(),
            Purge::Batched if used < batch.min(rows) => format!(
                "`purge_deleted_before_in_batches` ({batch} asked, {used} rows a batch after the cap)"
            ),
            Purge::Batched => format!("`purge_deleted_before_in_batches` ({batch} rows a batch)"),
        }
    }
}

/// What one kind of purge measured, one entry per run (run `i` of every kind in round `i`).
#[derive(Default)]
struct PurgeRun {
    total: Vec<f64>,
    longest_step: Vec<f64>,
    probe_max: Vec<f64>,
    probe_failed: u64,
    probe_writes: Vec<f64>,
    /// Statements the purging connection sent, counted by its metric callback.
    statements: Vec<usize>,
    /// The most rows one batch removed.
    largest_batch: u64,
}

/// Updates one live row over and over on its own connection until `stop`, returning each
/// write's latency and how many failed (lock wait timeout, SQLite busy).
async fn probe(db: DatabaseConnection, id: i32, stop: Arc<AtomicBool>) -> (Vec<f64>, u64) {
    let (mut lat, mut failed) = (Vec::new(), 0);
    while !stop.load(Ordering::Relaxed) {
        let start = Instant::now();
        let res = user::Entity::update_many()
            .col_expr(
                user::Column::Name,
                Expr::val(format!("probe {}", lat.len())),
            )
            .filter(user::Column::Id.eq(id))
            .exec(&db)
            .await;
        lat.push(start.elapsed().as_secs_f64());
        if res.is_err() {
            failed += 1;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    (lat, failed)
}

async fn purge(t: &TestDb, rows: u64, reps: u64, batch: u64) {
    let mut db = t.connect_again(1).await.expect("connect");
    let sent = StatementCount::attach(&mut db);
    let probe_db = t.connect_again(1).await.expect("probe connection");
    let live = 1_000u64;
    let kinds = [Purge::Helper, Purge::Hand, Purge::Batched];
    let mut runs: Vec<PurgeRun> = kinds.iter().map(|_| PurgeRun::default()).collect();
    for rep in 0..reps as usize {
        // Each round of three goes through another of the six orders, so no kind always
        // follows the same one (a batched purge leaves the most for the server to write back).
        const ORDERS: [[usize; 3]; 6] = [
            [0, 1, 2],
            [1, 2, 0],
            [2, 0, 1],
            [0, 2, 1],
            [2, 1, 0],
            [1, 0, 2],
        ];
        for idx in ORDERS[rep % ORDERS.len()] {
            let kind = kinds[idx];
            common::drop_users(&db).await.expect("drop");
            let now = Utc::now();
            // Ids `1..=rows + 1` deleted 60 days ago, then `live` live rows; row 1 is made live
            // below, which leaves exactly `rows` rows to purge.
            common::fill_users(
                t,
                &db,
                rows + 1 + live,
                rows + 1,
                now - chrono::Duration::days(60),
            )
            .await
            .expect("fill");
            // Start every purge with the previous run's writes on disk, not still being flushed.
            if db.get_database_backend() == DbBackend::Postgres {
                db.execute_unprepared("CHECKPOINT")
                    .await
                    .expect("checkpoint");
            }
            // Row 1, first in key order, is made live: the probe writes to it, which is where a
            // DELETE that locks the rows it scans holds a lock the longest.
            user::Entity::restore_by_id(&db, 1)
                .await
                .expect("make row 1 live");
            let cutoff = now - chrono::Duration::days(30);
            let stop = Arc::new(AtomicBool::new(false));
            let prober = tokio::spawn(probe(probe_db.clone(), 1, stop.clone()));
            tokio::time::sleep(Duration::from_millis(50)).await;
            let mut largest = 0u64;
            sent.take();
            let start = Instant::now();
            let mut last = start;
            let mut longest = 0f64;
            let removed = match kind {
                Purge::Helper => user::Entity::purge_deleted_before(&db, cutoff).await,
                Purge::Hand => hand_purge(&db, cutoff).await,
                Purge::Batched => {
                    user::Entity::purge_deleted_before_in_batches(&db, cutoff, batch, |p| {
                        let now = Instant::now();
                        longest = longest.max((now - last).as_secs_f64());
                        last = now;
                        largest = largest.max(p.removed_in_batch);
                    })
                    .await
                }
            };
            let total = start.elapsed().as_secs_f64();
            let statements = sent.take();
            stop.store(true, Ordering::Relaxed);
            let (lat, failed) = prober.await.expect("probe task");
            assert_eq!(removed.expect("purge"), rows, "{kind:?}");
            let run = &mut runs[idx];
            run.total.push(total);
            run.longest_step.push(if kind == Purge::Batched {
                longest
            } else {
                total
            });
            run.probe_max.push(lat.iter().copied().fold(0.0, f64::max));
            run.probe_writes.push(lat.len() as f64);
            run.probe_failed += failed;
            run.statements.push(statements);
            run.largest_batch = run.largest_batch.max(largest);
        }
    }
    // Each kind against the hand-written DELETE of the same round.
    let hand = &runs[1].total;
    let ratio =
        |run: &PurgeRun| -> Vec<f64> { run.total.iter().zip(hand).map(|(h, b)| h / b).collect() };
    println!(
        "\n### purge over {rows} deleted rows (+{} live), {reps} rounds of the three kinds, order varied\n",
        live + 1
    );
    println!(
        "| purge | total median (p25–p75) | ratio to hand-written, median of rounds (p25–p75) | longest single statement / batch, median (p25–p75) | concurrent single-row UPDATE: worst wait, median of runs (p25–p75) | probe writes failed (lock timeout / busy) | statements, counted |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (kind, run) in kinds.iter().zip(&runs) {
        let ratio = if *kind == Purge::Hand {
            "1 (reference)".to_owned()
        } else {
            format!("**{}**", Summary::of(&ratio(run)).ratio())
        };
        println!(
            "| {} | {} | {ratio} | {} | {} | {} of {:.0} | {} |",
            kind.name(batch, run.largest_batch, rows),
            Summary::of(&run.total).time(),
            Summary::of(&run.longest_step).time(),
            Summary::of(&run.probe_max).time(),
            run.probe_failed,
            run.probe_writes.iter().sum::<f64>(),
            common::counts(&run.statements),
        );
    }
    drop_pool(db).await;
    drop_pool(probe_db).await;
}

async fn bench(backend: Backend) {
    let Some(t) = common::open(backend, "bulk").await else {
        return;
    };
    let version = common::server_version(&t.db).await;
    println!("\n## {} ({version})", backend.name());
    let cases = std::env::var("SOFT_DELETE_BENCH_CASES").unwrap_or_else(|_| "many,purge".into());
    if cases.contains("many") {
        let rows = env_u64("SOFT_DELETE_BENCH_BULK_ROWS", 100_000);
        many(&t, rows, env_u64("SOFT_DELETE_BENCH_BULK_REPS", 8)).await;
    }
    if cases.contains("purge") {
        let rows = env_u64("SOFT_DELETE_BENCH_PURGE_ROWS", 1_000_000);
        let reps = env_u64("SOFT_DELETE_BENCH_PURGE_REPS", 6);
        let batch = env_u64("SOFT_DELETE_BENCH_PURGE_BATCH", 10_000);
        common::drop_users(&t.db).await.expect("drop");
        purge(&t, rows, reps, batch).await;
    }
    common::close(t).await;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    common::header("bulk");
    for backend in common::backends() {
        runtime.block_on(bench(backend));
    }
}
