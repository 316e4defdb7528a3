//! Many tasks soft-deleting and restoring the same few rows at once, some inside transactions,
//! some of those rolled back.
//!
//! Every call uses its own timestamp, and a trigger logs every change to a row, so each change
//! is traced back to the one committed call that reported making it. Runs on the backends with
//! more than one connection (SQLite in memory has one, so it cannot race). The figures print
//! with `cargo test --test race -- --nocapture`.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Instant,
};

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait,
    QueryOrder, TransactionTrait,
};
use soft_delete_core::prelude::*;
use support::{Backend, TestDb, entities::renamed};

const TASKS: usize = 16;
/// Committed calls per task; calls in rolled-back transactions come on top.
const OPS_PER_TASK: usize = 300;
const ROWS: i32 = 6;
/// How often one unit of work may meet SQLite's "database is locked" before the test fails.
const MAX_TRIES: u32 = 50;

/// What the trigger on `renamed` appends for every updated row.
mod audit {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "race_audit")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub row_id: i32,
        pub old_removed_at: Option<DateTimeUtc>,
        pub new_removed_at: Option<DateTimeUtc>,
        pub new_touched_on: DateTimeUtc,
        pub new_removal_stamp: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

const AUDIT_COLUMNS: &str =
    "race_audit (row_id, old_removed_at, new_removed_at, new_touched_on, new_removal_stamp)";
const AUDIT_VALUES: &str =
    "(NEW.id, OLD.removed_at, NEW.removed_at, NEW.touched_on, NEW.removal_stamp)";

/// Creates the audit table and the `AFTER UPDATE` trigger that fills it.
async fn install_audit(t: &TestDb) {
    t.create(audit::Entity).await.unwrap();
    let insert = format!("INSERT INTO {AUDIT_COLUMNS} VALUES {AUDIT_VALUES}");
    let sql = match t.backend {
        Backend::SqliteMemory | Backend::SqliteFile => format!(
            "CREATE TRIGGER race_audit_trigger AFTER UPDATE ON renamed FOR EACH ROW \
             BEGIN {insert}; END"
        ),
        Backend::Postgres => format!(
            "CREATE FUNCTION race_audit_log() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN {insert}; RETURN NULL; END $$; \
             CREATE TRIGGER race_audit_trigger AFTER UPDATE ON renamed FOR EACH ROW \
             EXECUTE FUNCTION race_audit_log()"
        ),
        Backend::MySql => {
            format!(
                "CREATE TRIGGER race_audit_trigger AFTER UPDATE ON renamed FOR EACH ROW {insert}"
            )
        }
    };
    t.exec(&sql).await.unwrap();
}

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
    task: usize,
    start: Instant,
    end: Instant,
}

#[derive(Clone, Copy)]
struct Call {
    row: i32,
    delete: bool,
}

#[derive(Default)]
struct TaskLog {
    /// Calls that committed: alone or in a committed transaction.
    events: Vec<Event>,
    /// Calls in transactions the task rolled back on purpose.
    rolled_back: Vec<Event>,
    transactions: usize,
    rollbacks: usize,
    busy_retries: u32,
}

async fn call<C: ConnectionTrait>(
    db: &C,
    task: usize,
    call: Call,
    clock: &Clock,
) -> Result<Event, DbErr> {
    let at = clock.next();
    let start = Instant::now();
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
        task,
        start,
        end: Instant::now(),
    })
}

/// Runs `calls` (sorted by row, so row locks are taken in one order) in one transaction, then
/// commits it or rolls it back. Committed writes are checked through the audit log; a rollback
/// leaves none, so there each row is read back after each call, which also shows the writes
/// the rollback must undo did happen.
async fn in_transaction(
    db: &TestDb,
    task: usize,
    calls: &[Call],
    clock: &Clock,
    rollback: bool,
) -> Result<Vec<Event>, DbErr> {
    let txn = db.db.begin().await?;
    // Whether this transaction left the row deleted. A row it wrote stays locked until the
    // end, so the next call on that row has a known outcome.
    let mut mine: HashMap<i32, bool> = HashMap::new();
    let mut events = Vec::with_capacity(calls.len());
    for &c in calls {
        let ev = call(&txn, task, c, clock).await?;
        if let Some(&deleted) = mine.get(&c.row) {
            let expected = match (deleted, c.delete) {
                (true, true) => Kind::AlreadyDeleted,
                (true, false) => Kind::Restored,
                (false, true) => Kind::Deleted,
                (false, false) => Kind::NotDeleted,
            };
            assert_eq!(
                ev.kind, expected,
                "after this transaction's own write: {ev:?}"
            );
        }
        match ev.kind {
            Kind::Deleted => {
                mine.insert(c.row, true);
            }
            Kind::Restored => {
                mine.insert(c.row, false);
            }
            Kind::AlreadyDeleted | Kind::NotDeleted => {}
        }
        if rollback {
            read_back(&txn, &ev).await?;
        }
        events.push(ev);
    }
    if rollback {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
    }
    Ok(events)
}

/// Checks that `ev`'s row reads back, inside the transaction, as `ev` left it.
async fn read_back(txn: &DatabaseTransaction, ev: &Event) -> Result<(), DbErr> {
    let row = renamed::Entity::find_by_id(ev.row)
        .one(txn)
        .await?
        .expect("row exists");
    let written = (row.removed_at, row.removal_stamp, row.touched_on);
    match ev.kind {
        Kind::Deleted => assert_eq!(
            written,
            (Some(ev.at), ev.at.timestamp_micros(), ev.at),
            "{ev:?}"
        ),
        Kind::Restored => assert_eq!(written, (None, 0, ev.at), "{ev:?}"),
        Kind::AlreadyDeleted | Kind::NotDeleted => {
            assert_ne!(
                row.removed_at,
                Some(ev.at),
                "a no-op wrote its time: {ev:?}"
            );
            assert_ne!(row.touched_on, ev.at, "a no-op wrote its time: {ev:?}");
        }
    }
    Ok(())
}

/// SQLite's answer when another connection holds the write lock past the busy timeout.
fn is_locked(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("database is locked")
        || text.contains("(code: 5)")
        || text.contains("(code: 517)")
}

async fn worker(t: TestDb, clock: Arc<Clock>, task: usize) -> TaskLog {
    let mut rng = Rng::new(task as u64 + 1);
    let mut log = TaskLog::default();
    let mut done = 0;
    while done < OPS_PER_TASK {
        let in_txn = rng.below(10) < 4;
        let rollback = in_txn && rng.below(5) == 0;
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
                in_transaction(&t, task, &calls, &clock, rollback).await
            } else {
                call(&t.db, task, calls[0], &clock).await.map(|ev| vec![ev])
            };
            match result {
                Ok(events) => break events,
                // Retried with fresh timestamps: a write the failed attempt left would show in
                // the audit log as a change no call reported.
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
        if rollback {
            log.rollbacks += 1;
            log.rolled_back.extend(events);
        } else {
            log.transactions += usize::from(in_txn);
            log.events.extend(events);
            done += n;
        }
    }
    log
}

/// How many calls were in flight while a call of another task on the same row was.
fn overlapping(events: &[Event]) -> usize {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by_key(|e| (e.row, e.start));
    let mut hit = vec![false; sorted.len()];
    for (i, a) in sorted.iter().enumerate() {
        for (j, b) in sorted.iter().enumerate().skip(i + 1) {
            if b.row != a.row || b.start >= a.end {
                break;
            }
            if b.task != a.task {
                hit[i] = true;
                hit[j] = true;
            }
        }
    }
    hit.into_iter().filter(|&h| h).count()
}

async fn live_and_deleted(t: &TestDb) -> (i64, i64) {
    let live = renamed::Entity::find_live().count(&t.db).await.unwrap();
    let deleted = renamed::Entity::find_deleted().count(&t.db).await.unwrap();
    (live as i64, deleted as i64)
}

async fn race(t: TestDb) {
    t.create(renamed::Entity).await.unwrap();
    let clock = Arc::new(Clock {
        base: Utc.with_ymd_and_hms(2031, 5, 6, 7, 8, 9).unwrap(),
        ticks: AtomicI64::new(0),
    });
    for id in 1..=ROWS {
        let row = <renamed::ActiveModel as Default>::default()
            .insert(&t.db)
            .await
            .expect("insert");
        assert_eq!(row.id, id);
        // Half the rows start deleted, so the counts below have a start state to account for.
        if id % 2 == 0 {
            let outcome = renamed::Entity::soft_delete_by_id_at(&t.db, id, clock.next()).await;
            assert_eq!(outcome.unwrap(), DeleteOutcome::Deleted);
        }
    }
    let start_rows = renamed::Entity::find()
        .order_by_asc(renamed::Column::Id)
        .all(&t.db)
        .await
        .unwrap();
    let (live_start, deleted_start) = live_and_deleted(&t).await;
    assert_eq!(deleted_start, i64::from(ROWS / 2));
    assert_eq!(live_start, i64::from(ROWS - ROWS / 2));
    // Installed after the setup: the log holds the race's changes only.
    install_audit(&t).await;

    let started = Instant::now();
    let handles: Vec<_> = (0..TASKS)
        .map(|task| tokio::spawn(worker(t.clone(), Arc::clone(&clock), task)))
        .collect();
    let (mut events, mut rolled_back) = (Vec::new(), Vec::new());
    let (mut transactions, mut rollbacks, mut busy) = (0, 0, 0);
    for handle in handles {
        let log = handle.await.expect("worker panicked");
        events.extend(log.events);
        rolled_back.extend(log.rolled_back);
        transactions += log.transactions;
        rollbacks += log.rollbacks;
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

    let log = audit::Entity::find()
        .order_by_asc(audit::Column::Id)
        .all(&t.db)
        .await
        .unwrap();
    // Each change flips the row between live and deleted, with the token to match.
    for entry in &log {
        assert_ne!(
            entry.old_removed_at.is_some(),
            entry.new_removed_at.is_some(),
            "an update that did not flip the row: {entry:?}"
        );
        let token = entry.new_removed_at.map_or(0, |at| at.timestamp_micros());
        assert_eq!(entry.new_removal_stamp, token, "{entry:?}");
    }

    // One to one: each change is the write of exactly one committed Deleted or Restored,
    // found by its unique updated_at.
    let mut changes: HashMap<DateTime<Utc>, &audit::Model> = HashMap::new();
    for entry in &log {
        let earlier = changes.insert(entry.new_touched_on, entry);
        assert!(earlier.is_none(), "two changes at one time: {entry:?}");
    }
    let written: HashSet<DateTime<Utc>> = log
        .iter()
        .flat_map(|e| [e.old_removed_at, e.new_removed_at, Some(e.new_touched_on)])
        .flatten()
        .collect();
    for ev in &events {
        match ev.kind {
            Kind::Deleted | Kind::Restored => {
                let entry = changes.remove(&ev.at);
                let entry = entry.unwrap_or_else(|| panic!("no change for {ev:?}"));
                let new = (ev.kind == Kind::Deleted).then_some(ev.at);
                assert_eq!(
                    (entry.row_id, entry.new_removed_at),
                    (ev.row, new),
                    "{ev:?}"
                );
            }
            Kind::AlreadyDeleted | Kind::NotDeleted => {
                assert!(!written.contains(&ev.at), "a no-op wrote its time: {ev:?}");
            }
        }
    }
    assert!(changes.is_empty(), "changes no call reported: {changes:?}");
    // The rolled-back transactions did write (read back inside them), and none of it stayed.
    assert!(
        rolled_back
            .iter()
            .any(|e| matches!(e.kind, Kind::Deleted | Kind::Restored))
    );
    for ev in &rolled_back {
        assert!(!written.contains(&ev.at), "a rollback left a write: {ev:?}");
    }

    let count = |row: i32, kind: Kind| {
        events
            .iter()
            .filter(|e| e.row == row && e.kind == kind)
            .count() as i64
    };
    for (row, start) in rows.iter().zip(&start_rows) {
        // The token holds its live value exactly when deleted_at is NULL.
        match row.removed_at {
            None => assert_eq!(row.removal_stamp, 0, "{row:?}"),
            Some(at) => assert_eq!(row.removal_stamp, at.timestamp_micros(), "{row:?}"),
        }
        // The row's changes chain from its start state to its end state.
        let mut state = (start.removed_at, start.touched_on);
        for entry in log.iter().filter(|e| e.row_id == row.id) {
            assert_eq!(entry.old_removed_at, state.0, "broken chain at {entry:?}");
            state = (entry.new_removed_at, entry.new_touched_on);
        }
        assert_eq!((row.removed_at, row.touched_on), state, "{row:?}");
        // Each Deleted flips the row to deleted and each Restored back, so per row the
        // difference is the change of state: -1, 0 or 1.
        let (d, r) = (count(row.id, Kind::Deleted), count(row.id, Kind::Restored));
        let was = i64::from(start.removed_at.is_some());
        let is = i64::from(row.removed_at.is_some());
        assert_eq!(d - r, is - was, "row {}: {d} deleted, {r} restored", row.id);
    }

    let total = |kind: Kind| events.iter().filter(|e| e.kind == kind).count() as i64;
    let (live_end, deleted_end) = live_and_deleted(&t).await;
    assert_eq!(live_end + deleted_end, i64::from(ROWS));
    assert_eq!(
        total(Kind::Deleted) - total(Kind::Restored),
        deleted_end - deleted_start
    );
    assert_eq!(
        total(Kind::Restored) - total(Kind::Deleted),
        live_end - live_start
    );
    for kind in [
        Kind::Deleted,
        Kind::AlreadyDeleted,
        Kind::Restored,
        Kind::NotDeleted,
    ] {
        assert!(total(kind) > 0, "no {kind:?} outcome");
    }
    // The calls raced: most were in flight with another task's call on the same row.
    let overlapped = overlapping(&events);
    assert!(
        overlapped * 2 > events.len(),
        "only {overlapped} calls overlapped"
    );

    println!(
        "race on {}: {TASKS} tasks, {} calls ({transactions} transactions) + {} in {rollbacks} \
         rolled back, on {ROWS} rows ({deleted_start} deleted at the start) in {:.2?}: {} \
         deleted, {} already deleted, {} restored, {} not deleted, {deleted_end} deleted at the \
         end, {} logged changes, {overlapped} calls overlapping another task's, {busy} busy \
         retries",
        t.backend.name(),
        events.len(),
        rolled_back.len(),
        elapsed,
        total(Kind::Deleted),
        total(Kind::AlreadyDeleted),
        total(Kind::Restored),
        total(Kind::NotDeleted),
        log.len(),
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
