//! Random sequences of inserts, soft deletes, restores, hard deletes and purges, run against
//! each backend and checked after every step against a plain in-memory model.
//!
//! A fixed clock moves on by a little over a second each step and every write uses the `_at`
//! helpers, so the model predicts every timestamp and token exactly. Each case starts from
//! an empty table; proptest shrinks a failing sequence to a short one. `PROPTEST_CASES` sets
//! the number of cases (default [`DEFAULT_CASES`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryOrder};
use soft_delete_core::prelude::*;
use support::{
    Backend, TestDb,
    entities::user,
    harness::{close, open},
};

/// Cases per backend when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 256;
/// An id no row ever has.
const MISSING: i32 = i32::MAX;

#[derive(Debug, Clone)]
enum Op {
    Insert,
    /// Each `usize` picks a row among those inserted so far in the case, or [`MISSING`].
    SoftDelete(usize),
    Restore(usize),
    ModelSoftDelete(usize),
    ModelRestore(usize),
    /// Every row with `id <=` the picked one.
    SoftDeleteMany(usize),
    RestoreMany(usize),
    ForceDelete(usize),
    /// Rows deleted more than this many steps ago.
    Purge(u32),
}

fn op() -> impl Strategy<Value = Op> {
    let pick = 0..16usize;
    prop_oneof![
        4 => Just(Op::Insert),
        3 => pick.clone().prop_map(Op::SoftDelete),
        3 => pick.clone().prop_map(Op::Restore),
        1 => pick.clone().prop_map(Op::ModelSoftDelete),
        1 => pick.clone().prop_map(Op::ModelRestore),
        1 => pick.clone().prop_map(Op::SoftDeleteMany),
        1 => pick.clone().prop_map(Op::RestoreMany),
        1 => pick.prop_map(Op::ForceDelete),
        1 => (0..4u32).prop_map(Op::Purge),
    ]
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Step `n`'s time: one second and a few microseconds apart, so each write is distinct and
/// sub-second precision is exercised.
fn clock(n: usize) -> DateTime<Utc> {
    let base =
        Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap() + Duration::microseconds(250_001);
    base + Duration::microseconds(1_000_137 * n as i64)
}

/// What the table should hold, and every row the case has seen (for stale models).
#[derive(Default)]
struct Model {
    rows: BTreeMap<i32, user::Model>,
    seen: Vec<user::Model>,
}

impl Model {
    fn pick(&self, n: usize) -> i32 {
        self.seen
            .get(n % (self.seen.len() + 1))
            .map_or(MISSING, |m| m.id)
    }

    fn held(&self, id: i32) -> user::Model {
        let template = self.seen.first().cloned().unwrap_or(user::Model {
            id,
            name: String::new(),
            created_at: clock(0),
            updated_at: clock(0),
            deleted_at: None,
            delete_token: 0,
        });
        self.seen
            .iter()
            .rev()
            .find(|m| m.id == id)
            .cloned()
            .unwrap_or(user::Model { id, ..template })
    }

    fn delete(&mut self, id: i32, at: DateTime<Utc>) -> DeleteOutcome {
        match self.rows.get_mut(&id) {
            None => DeleteOutcome::NotFound,
            Some(row) if row.deleted_at.is_some() => DeleteOutcome::AlreadyDeleted,
            Some(row) => {
                row.deleted_at = Some(at);
                row.updated_at = at;
                row.delete_token = at.timestamp();
                DeleteOutcome::Deleted
            }
        }
    }

    fn restore(&mut self, id: i32, at: DateTime<Utc>) -> RestoreOutcome {
        match self.rows.get_mut(&id) {
            None => RestoreOutcome::NotFound,
            Some(row) if row.deleted_at.is_none() => RestoreOutcome::NotDeleted,
            Some(row) => {
                row.deleted_at = None;
                row.updated_at = at;
                row.delete_token = 0;
                RestoreOutcome::Restored
            }
        }
    }
}

fn check<T: PartialEq + std::fmt::Debug>(
    step: usize,
    op: &Op,
    got: T,
    want: T,
) -> Result<(), TestCaseError> {
    if got == want {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "step {step} {op:?}: got {got:?}, model says {want:?}"
        )))
    }
}

fn db<T>(result: Result<T, DbErr>) -> Result<T, TestCaseError> {
    result.map_err(|e| TestCaseError::fail(format!("database error: {e}")))
}

async fn run_case(t: &TestDb, ops: Vec<Op>) -> Result<(), TestCaseError> {
    db(t.exec("DELETE FROM user_data").await)?;
    let mut model = Model::default();
    for (step, op) in ops.iter().enumerate() {
        let at = clock(step + 1);
        match *op {
            Op::Insert => {
                let mut row = user::ActiveModel {
                    name: Set(format!("row {step}")),
                    ..Default::default()
                };
                row.stamp_at(true, at);
                let got = db(row.insert(&t.db).await)?;
                let want = user::Model {
                    id: got.id,
                    name: format!("row {step}"),
                    created_at: at,
                    updated_at: at,
                    deleted_at: None,
                    delete_token: 0,
                };
                check(step, op, &got, &want)?;
                if model.rows.insert(got.id, got.clone()).is_some() {
                    return Err(TestCaseError::fail(format!(
                        "step {step}: id {} handed out twice",
                        got.id
                    )));
                }
                model.seen.push(got);
            }
            Op::SoftDelete(n) => {
                let id = model.pick(n);
                let got = db(user::Entity::soft_delete_by_id_at(&t.db, id, at).await)?;
                check(step, op, got, model.delete(id, at))?;
            }
            Op::Restore(n) => {
                let id = model.pick(n);
                let got = db(user::Entity::restore_by_id_at(&t.db, id, at).await)?;
                check(step, op, got, model.restore(id, at))?;
            }
            Op::ModelSoftDelete(n) | Op::ModelRestore(n) => {
                let id = model.pick(n);
                let held = model.held(id);
                let got = if matches!(op, Op::ModelSoftDelete(_)) {
                    model.delete(id, at);
                    held.soft_delete_at(&t.db, at).await
                } else {
                    model.restore(id, at);
                    held.restore_at(&t.db, at).await
                };
                match (got, model.rows.get(&id)) {
                    (Ok(got), Some(want)) => check(step, op, &got, want)?,
                    (Err(DbErr::RecordNotFound(_)), None) => {}
                    (got, want) => check(step, op, format!("{got:?}"), format!("{want:?}"))?,
                }
            }
            Op::SoftDeleteMany(n) | Op::RestoreMany(n) => {
                let id = model.pick(n);
                let cond = user::Column::Id.lte(id);
                let ids: Vec<i32> = model.rows.range(..=id).map(|(id, _)| *id).collect();
                let (got, want) = if matches!(op, Op::SoftDeleteMany(_)) {
                    let want = ids
                        .iter()
                        .filter(|&&i| model.delete(i, at) == DeleteOutcome::Deleted)
                        .count();
                    (
                        db(user::Entity::soft_delete_many_at(&t.db, cond, at).await)?,
                        want,
                    )
                } else {
                    let want = ids
                        .iter()
                        .filter(|&&i| model.restore(i, at) == RestoreOutcome::Restored)
                        .count();
                    (
                        db(user::Entity::restore_many_at(&t.db, cond, at).await)?,
                        want,
                    )
                };
                check(step, op, got, want as u64)?;
            }
            Op::ForceDelete(n) => {
                let id = model.pick(n);
                let got = db(user::Entity::force_delete_by_id(&t.db, id).await)?;
                check(step, op, got, model.rows.remove(&id).is_some())?;
            }
            Op::Purge(back) => {
                // A cutoff equal to a deletion time keeps that row: the cutoff is exclusive.
                let cutoff = clock((step + 1).saturating_sub(back as usize));
                let gone: Vec<i32> = model
                    .rows
                    .values()
                    .filter(|r| r.deleted_at.is_some_and(|d| d < cutoff))
                    .map(|r| r.id)
                    .collect();
                for id in &gone {
                    model.rows.remove(id);
                }
                let got = db(user::Entity::purge_deleted_before(&t.db, cutoff).await)?;
                check(step, op, got, gone.len() as u64)?;
            }
        }
        let stored = db(user::Entity::find()
            .order_by_asc(user::Column::Id)
            .all(&t.db)
            .await)?;
        let want: Vec<user::Model> = model.rows.values().cloned().collect();
        check(step, op, stored, want)?;
    }
    Ok(())
}

fn model_check(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let Some(t) = rt.block_on(open(backend, "model_check", 2)) else {
        return;
    };
    rt.block_on(t.create(user::Entity)).unwrap();
    let config = config();
    let cases = config.cases;
    let started = std::time::Instant::now();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&proptest::collection::vec(op(), 1..30), |ops| {
        rt.block_on(run_case(&t, ops))
    });
    rt.block_on(close(t));
    if let Err(err) = result {
        panic!("{}: {err}", backend.name());
    }
    println!(
        "model check on {}: {cases} cases in {:.2?}",
        backend.name(),
        started.elapsed()
    );
}

mod model_check {
    use support::Backend;

    #[test]
    fn sqlite_memory() {
        super::model_check(Backend::SqliteMemory)
    }

    #[test]
    fn sqlite_file() {
        super::model_check(Backend::SqliteFile)
    }

    #[test]
    fn postgres() {
        super::model_check(Backend::Postgres)
    }

    #[test]
    fn mysql() {
        super::model_check(Backend::MySql)
    }
}
