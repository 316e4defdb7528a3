//! Many tasks soft-deleting and restoring the same few rows at once, some inside transactions.
//!
//! Every call uses its own timestamp, so the final rows can be traced back to the outcomes
//! that wrote them. Runs on the backends with more than one connection (SQLite in memory has
//! one, so it cannot race). The figures print with `cargo test --test race -- --nocapture`.

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Instant,
};

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryOrder,
    TransactionTrait,
};
use soft_delete_core::prelude::*;
use support::{Backend, TestDb, entities::renamed};

const TASKS: usize = 16;
const OPS_PER_TASK: usize = 300;
const ROWS: i32 = 5;
/// How often one unit of work may meet SQLite's "database is locked" before the test fails.
const MAX_TRIES: u32 = 50;

/// xorshift64: deterministic per task, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Hands out a distinct timestamp for every call, one microsecond apart.
struct Clock {
    base: DateTime<Utc>,
    ticks: AtomicI64,
}

impl Clock {
    fn next(&self) -> DateTime<Utc> {
        self.base + Duration::microseconds(self.ticks.fetch_add(1, Ordering::Relaxed) + 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Deleted,
    AlreadyDeleted,
    Restored,
    NotDeleted,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    row: i32,
    kind: Kind,
    at: DateTime<Utc>,
}

#[derive(Clone, Copy)]
struct Call {
    row: i32,
    delete: bool,
}

#[derive(Default)]
struct TaskLog {
    events: Vec<Event>,
    transactions: usize,
    busy_retries: u32,
}

async fn call<C: ConnectionTrait>(db: &C, call: Call, clock: &Clock) -> Result<Event, DbErr> {
    let at = clock.next();
    let kind = if call.delete {
        match renamed::Entity::soft_delete_by_id_at(db, call.row, at).await? {
            DeleteOutcome::Deleted => Kind::Deleted,
            DeleteOutcome::AlreadyDeleted => Kind::AlreadyDeleted,
            other => panic!("row {} vanished: {other:?}", call.row),
        }
    } else {
        match renamed::Entity::restore_by_id_at(db, call.row, at).await? {
            RestoreOutcome::Restored => Kind::Restored,
            RestoreOutcome::NotDeleted => Kind::NotDeleted,
            other => panic!("row {} restore gave {other:?}", call.row),
        }
    };
    Ok(Event {
        row: call.row,
        kind,
        at,
    })
}

/// Runs `calls` (sorted by row, so row locks are taken in one order) in one transaction and
/// checks, between calls, that each row reads back as the call left it. `mine` holds what
/// this transaction itself wrote: a row it wrote stays locked until commit, so the next call
/// on that row has a known outcome.
async fn in_transaction(db: &TestDb, calls: &[Call], clock: &Clock) -> Result<Vec<Event>, DbErr> {
    let txn = db.db.begin().await?;
    let mut mine: HashMap<i32, Option<DateTime<Utc>>> = HashMap::new();
    let mut events = Vec::with_capacity(calls.len());
    for &c in calls {
        let ev = call(&txn, c, clock).await?;
        let row = renamed::Entity::find_by_id(c.row)
            .one(&txn)
            .await?
            .expect("row exists");
        match ev.kind {
            Kind::Deleted => {
                assert_eq!(row.removed_at, Some(ev.at), "{ev:?}");
                assert_eq!(row.removal_stamp, ev.at.timestamp_micros(), "{ev:?}");
                assert_eq!(row.touched_on, ev.at, "{ev:?}");
            }
            Kind::Restored => {
                assert_eq!(row.removed_at, None, "{ev:?}");
                assert_eq!(row.removal_stamp, 0, "{ev:?}");
                assert_eq!(row.touched_on, ev.at, "{ev:?}");
            }
            Kind::AlreadyDeleted | Kind::NotDeleted => {
                assert_ne!(
                    row.removed_at,
                    Some(ev.at),
                    "a no-op wrote its time: {ev:?}"
                );
                assert_ne!(row.touched_on, ev.at, "a no-op wrote its time: {ev:?}");
            }
        }
        match (mine.get(&c.row).copied(), ev.kind) {
            (None, Kind::Deleted) => {
                mine.insert(c.row, Some(ev.at));
            }
            (None, Kind::Restored) => {
                mine.insert(c.row, None);
            }
            (None, _) => {}
            (Some(Some(deleted_at)), kind) => {
                // Deleted by this transaction: a delete is a no-op that keeps our stamp.
                if c.delete {
                    assert_eq!(kind, Kind::AlreadyDeleted, "{ev:?}");
                    assert_eq!(row.removed_at, Some(deleted_at), "{ev:?}");
                } else {
                    assert_eq!(kind, Kind::Restored, "{ev:?}");
                    mine.insert(c.row, None);
                }
            }
            (Some(None), kind) => {
                if c.delete {
                    assert_eq!(kind, Kind::Deleted, "{ev:?}");
                    mine.insert(c.row, Some(ev.at));
                } else {
                    assert_eq!(kind, Kind::NotDeleted, "{ev:?}");
                    assert_eq!(row.removed_at, None, "{ev:?}");
                }
            }
        }
        events.push(ev);
    }
    txn.commit().await?;
    Ok(events)
}

/// SQLite's answer when another connection holds the write lock past the busy timeout.
fn is_locked(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("database is locked")
        || text.contains("(code: 5)")
        || text.contains("(code: 517)")
}

async fn worker(t: TestDb, clock: Arc<Clock>, seed: u64) -> TaskLog {
    let mut rng = Rng::new(seed);
    let mut log = TaskLog::default();
    let mut done = 0;
    while done < OPS_PER_TASK {
        let in_txn = rng.below(10) < 4;
        let n = if in_txn {
            (1 + rng.below(3) as usize).min(OPS_PER_TASK - done)
        } else {
            1
        };
        let mut calls: Vec<Call> = (0..n)
            .map(|_| Call {
                row: 1 + rng.below(ROWS as u64) as i32,
                delete: rng.below(2) == 0,
            })
            .collect();
        calls.sort_by_key(|c| c.row);
        let mut tries = 0;
        let events = loop {
            tries += 1;
            let result = if in_txn {
                in_transaction(&t, &calls, &clock).await
            } else {
                call(&t.db, calls[0], &clock).await.map(|ev| vec![ev])
            };
            match result {
                Ok(events) => break events,
                Err(err)
                    if t.backend == Backend::SqliteFile && is_locked(&err) && tries < MAX_TRIES =>
                {
                    log.busy_retries += 1;
                }
                Err(err) => panic!(
                    "{} call failed after {tries} tries: {err}",
                    t.backend.name()
                ),
            }
        };
        log.transactions += usize::from(in_txn);
        log.events.extend(events);
        done += n;
    }
    log
}

async fn race(t: TestDb) {
    t.create(renamed::Entity).await.unwrap();
    let mut inserted = Vec::new();
    for _ in 0..ROWS {
        inserted.push(
            <renamed::ActiveModel as Default>::default()
                .insert(&t.db)
                .await
                .expect("insert"),
        );
    }
    assert_eq!(
        inserted.iter().map(|r| r.id).collect::<Vec<_>>(),
        (1..=ROWS).collect::<Vec<_>>()
    );

    let clock = Arc::new(Clock {
        base: Utc.with_ymd_and_hms(2031, 5, 6, 7, 8, 9).unwrap(),
        ticks: AtomicI64::new(0),
    });
    let started = Instant::now();
    let handles: Vec<_> = (0..TASKS)
        .map(|i| tokio::spawn(worker(t.clone(), Arc::clone(&clock), i as u64 + 1)))
        .collect();
    let mut events = Vec::new();
    let (mut transactions, mut busy) = (0, 0);
    for handle in handles {
        let log = handle.await.expect("worker panicked");
        events.extend(log.events);
        transactions += log.transactions;
        busy += log.busy_retries;
    }
    let elapsed = started.elapsed();
    assert_eq!(events.len(), TASKS * OPS_PER_TASK);

    // No row lost or duplicated.
    let rows = renamed::Entity::find()
        .order_by_asc(renamed::Column::Id)
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        (1..=ROWS).collect::<Vec<_>>()
    );
    assert_eq!(
        renamed::Entity::find().count(&t.db).await.unwrap(),
        ROWS as u64
    );

    let count = |row: i32, kind: Kind| {
        events
            .iter()
            .filter(|e| e.row == row && e.kind == kind)
            .count()
    };
    let mut deleted_at_end = 0;
    for row in &rows {
        // The token holds its live value exactly when deleted_at is NULL.
        match row.removed_at {
            None => assert_eq!(row.removal_stamp, 0, "{row:?}"),
            Some(at) => assert_eq!(row.removal_stamp, at.timestamp_micros(), "{row:?}"),
        }
        let deleted = row.removed_at.is_some();
        deleted_at_end += usize::from(deleted);
        // Rows start live, and every Deleted is undone by exactly one Restored.
        let (d, r) = (count(row.id, Kind::Deleted), count(row.id, Kind::Restored));
        assert_eq!(
            d,
            r + usize::from(deleted),
            "row {}: {d} deleted, {r} restored, {row:?}",
            row.id
        );
        // The stored stamps come from a call that reported writing them.
        if let Some(at) = row.removed_at {
            let writer = events.iter().find(|e| e.row == row.id && e.at == at);
            assert_eq!(writer.map(|e| e.kind), Some(Kind::Deleted), "{row:?}");
        }
        let toucher = events
            .iter()
            .find(|e| e.row == row.id && e.at == row.touched_on);
        let untouched = d + r == 0 && row.touched_on == inserted[row.id as usize - 1].touched_on;
        assert!(
            untouched || toucher.is_some_and(|e| matches!(e.kind, Kind::Deleted | Kind::Restored)),
            "updated_at of {row:?} was written by {toucher:?}"
        );
    }
    let total = |kind: Kind| events.iter().filter(|e| e.kind == kind).count();
    assert_eq!(total(Kind::Deleted), total(Kind::Restored) + deleted_at_end);
    assert!(
        total(Kind::Deleted) > 0 && total(Kind::AlreadyDeleted) > 0,
        "the calls did contend"
    );
    assert!(
        total(Kind::Restored) > 0 && total(Kind::NotDeleted) > 0,
        "the calls did contend"
    );

    println!(
        "race on {}: {TASKS} tasks, {} calls ({transactions} transactions) on {ROWS} rows in {:.2?}: \
         {} deleted, {} already deleted, {} restored, {} not deleted, {deleted_at_end} deleted at \
         the end, {busy} busy retries",
        t.backend.name(),
        events.len(),
        elapsed,
        total(Kind::Deleted),
        total(Kind::AlreadyDeleted),
        total(Kind::Restored),
        total(Kind::NotDeleted),
    );
}

mod soft_delete_and_restore_race {
    use support::{Backend, run_with};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_file() {
        run_with(Backend::SqliteFile, "race", 16, super::race).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run_with(Backend::Postgres, "race", 16, super::race).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mysql() {
        run_with(Backend::MySql, "race", 16, super::race).await
    }
}
