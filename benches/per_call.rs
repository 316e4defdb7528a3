//! Per-call cost of each by-id helper against the hand-written SeaORM statement a user would
//! otherwise write, on every backend, with the statements each one runs.
//!
//! Helper and hand-written calls alternate (ABAB, the order flipping every pair) on one
//! connection, so drift in the machine or the server hits both alike; the figure that counts is
//! the median of the per-pair ratios helper / hand-written.
//!
//! `cargo bench --bench per_call`; `SOFT_DELETE_BENCH_PAIRS` (default 1000) pairs per case,
//! `SOFT_DELETE_BENCH_BACKENDS` to choose backends (see `common::backends`).

mod common;

use std::{collections::HashMap, time::Instant};

use chrono::{DateTime, Utc};
use common::{Summary, env_u64};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use soft_delete_core::prelude::*;
use support::{Backend, TestDb, entities::user};

/// Rows `1..=2 * ROTATE` take turns being deleted and restored: odd ids by the helpers, even
/// ids by the hand-written statements.
const ROTATE: u64 = 500;
const WARMUP: u64 = 50;

/// The hand-written `model.soft_delete(db)` / `model.restore(db)`: the same `UPDATE`, with
/// `RETURNING` where the backend has it, else followed by a `SELECT`.
async fn hand_model(db: &DatabaseConnection, id: i32, delete: bool) -> Result<user::Model, DbErr> {
    let now = Utc::now();
    let update = if delete {
        user::Entity::update_many()
            .col_expr(user::Column::DeletedAt, Expr::val(now))
            .col_expr(user::Column::UpdatedAt, Expr::val(now))
            .col_expr(user::Column::DeleteToken, Expr::val(now.timestamp()))
            .filter(user::Column::Id.eq(id))
            .filter(user::Column::DeletedAt.is_null())
    } else {
        user::Entity::update_many()
            .col_expr(
                user::Column::DeletedAt,
                Expr::val(Option::<DateTime<Utc>>::None),
            )
            .col_expr(user::Column::UpdatedAt, Expr::val(now))
            .col_expr(user::Column::DeleteToken, Expr::val(0i64))
            .filter(user::Column::Id.eq(id))
            .filter(user::Column::DeletedAt.is_not_null())
    };
    if db.support_returning() {
        if let Some(model) = update.exec_with_returning(db).await?.pop() {
            return Ok(model);
        }
    } else {
        update.exec(db).await?;
    }
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(id.to_string()))
}

/// The hand-written `find_live_by_id`.
async fn hand_find(db: &DatabaseConnection, id: i32) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id)
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await
}

/// The hand-written `force_delete_by_id`.
async fn hand_force(db: &DatabaseConnection, id: i32) -> Result<u64, DbErr> {
    let res = user::Entity::delete_many()
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Times one awaited call, then checks its result outside the timed span.
macro_rules! timed {
    ($call:expr, $ok:expr) => {{
        let start = Instant::now();
        let out = $call.await;
        let took = start.elapsed().as_secs_f64();
        let out = out.expect("benchmarked call failed");
        assert!($ok(&out), "unexpected result {out:?}");
        took
    }};
}

/// Runs the helper and the hand-written call, in the order `helper_first` says, and records
/// both times.
macro_rules! pair {
    ($case:expr, $helper_first:expr, $keep:expr, ($h:expr, $hok:expr), ($b:expr, $bok:expr)) => {{
        let (h, b) = if $helper_first {
            let h = timed!($h, $hok);
            (h, timed!($b, $bok))
        } else {
            let b = timed!($b, $bok);
            (timed!($h, $hok), b)
        };
        if $keep {
            $case.push(h, b);
        }
    }};
}

#[derive(Default)]
struct Case {
    helper: Vec<f64>,
    hand: Vec<f64>,
    ratio: Vec<f64>,
}

impl Case {
    fn push(&mut self, helper: f64, hand: f64) {
        self.helper.push(helper);
        self.hand.push(hand);
        self.ratio.push(helper / hand);
    }
}

const CASES: [&str; 6] = [
    "soft_delete_by_id",
    "restore_by_id",
    "model.soft_delete",
    "model.restore",
    "find_live_by_id",
    "force_delete_by_id",
];

async fn timings(t: &TestDb, pairs: u64) -> HashMap<&'static str, Case> {
    let db = t.connect_again(1).await.expect("timed connection");
    let force_from = 2 * ROTATE + 1;
    let rows = 2 * ROTATE + 2 * (WARMUP + pairs) + 4;
    common::fill_users(t, &db, rows, 0, Utc::now())
        .await
        .expect("fill user_data");
    let models: HashMap<i32, user::Model> = user::Entity::find()
        .all(&db)
        .await
        .expect("load")
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut cases: HashMap<&'static str, Case> =
        CASES.iter().map(|c| (*c, Case::default())).collect();
    let mut case = |name: &str| cases.get_mut(name).map(std::mem::take).unwrap_or_default();
    let (mut del, mut res, mut mdel, mut mres, mut find, mut force) = (
        case(CASES[0]),
        case(CASES[1]),
        case(CASES[2]),
        case(CASES[3]),
        case(CASES[4]),
        case(CASES[5]),
    );
    for i in 0..WARMUP + pairs {
        let keep = i >= WARMUP;
        let first = i % 2 == 0;
        let k = (i % ROTATE) as i32;
        let (h, b) = (2 * k + 1, 2 * k + 2);
        let (hm, bm) = (&models[&h], &models[&b]);
        let (fh, fb) = (
            force_from as i32 + 2 * i as i32,
            force_from as i32 + 2 * i as i32 + 1,
        );
        pair!(
            del,
            first,
            keep,
            (
                user::Entity::soft_delete_by_id(&db, h),
                |o: &DeleteOutcome| *o == DeleteOutcome::Deleted
            ),
            (
                common::hand_soft_delete(&db, user::Column::Id.eq(b)),
                |n: &u64| *n == 1
            )
        );
        pair!(
            res,
            !first,
            keep,
            (user::Entity::restore_by_id(&db, h), |o: &RestoreOutcome| *o
                == RestoreOutcome::Restored),
            (
                common::hand_restore(&db, user::Column::Id.eq(b)),
                |n: &u64| *n == 1
            )
        );
        pair!(
            mdel,
            first,
            keep,
            (hm.soft_delete(&db), |m: &user::Model| m
                .deleted_at
                .is_some()),
            (hand_model(&db, b, true), |m: &user::Model| m
                .deleted_at
                .is_some())
        );
        pair!(
            mres,
            !first,
            keep,
            (hm.restore(&db), |m: &user::Model| m.deleted_at.is_none()),
            (hand_model(&db, bm.id, false), |m: &user::Model| m
                .deleted_at
                .is_none())
        );
        pair!(
            find,
            first,
            keep,
            (
                user::Entity::find_live_by_id(h).one(&db),
                |m: &Option<user::Model>| m.is_some()
            ),
            (hand_find(&db, b), |m: &Option<user::Model>| m.is_some())
        );
        pair!(
            force,
            !first,
            keep,
            (user::Entity::force_delete_by_id(&db, fh), |d: &bool| *d),
            (hand_force(&db, fb), |n: &u64| *n == 1)
        );
    }
    let _ = db.close().await;
    CASES
        .iter()
        .zip([del, res, mdel, mres, find, force])
        .map(|(n, c)| (*n, c))
        .collect()
}

/// Statements each helper and its hand-written equivalent run, from the metric callback:
/// `(helper on its normal path, helper when the row is not in the expected state, hand-written)`.
async fn round_trips(t: &TestDb) -> HashMap<&'static str, (usize, usize, usize)> {
    let db = &t.db;
    let (h, b) = (1, 2);
    let model = user::Entity::find_by_id(h)
        .one(db)
        .await
        .unwrap()
        .expect("row 1");
    let force = user::Entity::find()
        .all(db)
        .await
        .unwrap()
        .last()
        .map(|m| m.id)
        .unwrap_or(0);
    let n = |v: Vec<String>| v.len();
    let mut out = HashMap::new();
    let normal = n(t.counted(user::Entity::soft_delete_by_id(db, h)).await.1);
    let miss = n(t.counted(user::Entity::soft_delete_by_id(db, h)).await.1);
    let hand = n(t
        .counted(common::hand_soft_delete(db, user::Column::Id.eq(b)))
        .await
        .1);
    out.insert(CASES[0], (normal, miss, hand));
    let normal = n(t.counted(user::Entity::restore_by_id(db, h)).await.1);
    let miss = n(t.counted(user::Entity::restore_by_id(db, h)).await.1);
    let hand = n(t
        .counted(common::hand_restore(db, user::Column::Id.eq(b)))
        .await
        .1);
    out.insert(CASES[1], (normal, miss, hand));
    let normal = n(t.counted(model.soft_delete(db)).await.1);
    let miss = n(t.counted(model.soft_delete(db)).await.1);
    let hand = n(t.counted(hand_model(db, b, true)).await.1);
    out.insert(CASES[2], (normal, miss, hand));
    let normal = n(t.counted(model.restore(db)).await.1);
    let miss = n(t.counted(model.restore(db)).await.1);
    let hand = n(t.counted(hand_model(db, b, false)).await.1);
    out.insert(CASES[3], (normal, miss, hand));
    let normal = n(t.counted(user::Entity::find_live_by_id(h).one(db)).await.1);
    // Not live: the same lookup once the row is soft-deleted.
    let deleted = user::Entity::soft_delete_by_id(db, h).await;
    assert_eq!(deleted.expect("soft delete row 1"), DeleteOutcome::Deleted);
    let (found, sent) = t.counted(user::Entity::find_live_by_id(h).one(db)).await;
    assert!(
        found.expect("find_live_by_id").is_none(),
        "deleted row found"
    );
    let miss = n(sent);
    let hand = n(t.counted(hand_find(db, b)).await.1);
    out.insert(CASES[4], (normal, miss, hand));
    let normal = n(t
        .counted(user::Entity::force_delete_by_id(db, force))
        .await
        .1);
    let miss = n(t
        .counted(user::Entity::force_delete_by_id(db, force))
        .await
        .1);
    let hand = n(t.counted(hand_force(db, force - 1)).await.1);
    out.insert(CASES[5], (normal, miss, hand));
    out
}

async fn bench(backend: Backend, pairs: u64) {
    let Some(t) = common::open(backend, "per_call").await else {
        return;
    };
    let version = common::server_version(&t.db).await;
    let cases = timings(&t, pairs).await;
    let trips = round_trips(&t).await;
    println!(
        "\n## {} ({version}), {pairs} pairs per case\n",
        backend.name()
    );
    println!(
        "| helper | helper median (p25–p75) | hand-written median (p25–p75) | ratio helper / hand-written, median of pairs (p25–p75) | statements: helper (when the row is already in that state) / hand-written |"
    );
    println!("|---|---|---|---|---|");
    for name in CASES {
        let c = &cases[name];
        let (normal, miss, hand) = trips[name];
        println!(
            "| `{name}` | {} | {} | **{}** | {normal} ({miss}) / {hand} |",
            Summary::of(&c.helper).time(),
            Summary::of(&c.hand).time(),
            Summary::of(&c.ratio).ratio(),
        );
    }
    common::close(t).await;
}

fn main() {
    let pairs = env_u64("SOFT_DELETE_BENCH_PAIRS", 1000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    common::header("per_call");
    for backend in common::backends() {
        runtime.block_on(bench(backend, pairs));
    }
}
