//! Shared by the bench binaries: which backends to run, fast server-side table fills, and
//! the median / quartile summaries every table prints.

#![allow(dead_code)]

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    Statement, Value,
    sea_query::{Expr, IntoCondition},
};
use support::{Backend, TestDb, entities::user, harness};

/// `SOFT_DELETE_BENCH_BACKENDS` (comma separated: `sqlite-file`, `sqlite-memory`,
/// `postgres`, `mysql`); by default SQLite in a WAL file, PostgreSQL and MariaDB.
pub fn backends() -> Vec<Backend> {
    let list = std::env::var("SOFT_DELETE_BENCH_BACKENDS")
        .unwrap_or_else(|_| "sqlite-file,postgres,mysql".to_owned());
    list.split(',')
        .filter_map(|name| match name.trim() {
            "sqlite-file" | "sqlite" => Some(Backend::SqliteFile),
            "sqlite-memory" => Some(Backend::SqliteMemory),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            "mysql" | "mariadb" => Some(Backend::MySql),
            "" => None,
            other => {
                eprintln!("SOFT_DELETE_BENCH_BACKENDS: unknown backend `{other}`, ignored");
                None
            }
        })
        .collect()
}

/// A numeric setting from the environment.
pub fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().replace('_', "").parse().unwrap_or_else(|_| {
            eprintln!("{name}={v} is not a number; using {default}");
            default
        }),
        Err(_) => default,
    }
}

/// A fresh database on `backend`, or `None` with a message saying why it is skipped. The
/// server settings are the tests' (`SOFT_DELETE_TEST_POSTGRES`, `SOFT_DELETE_TEST_MYSQL`).
pub async fn open(backend: Backend, bench: &str) -> Option<TestDb> {
    if let Err(reason) = backend.available().await {
        eprintln!("bench {bench}: skipping {}: {reason}", backend.name());
        if backend.required() {
            panic!(
                "{} is required (SOFT_DELETE_REQUIRE_BACKENDS)",
                backend.name()
            );
        }
        return None;
    }
    harness::open(backend, bench, 2).await
}

/// Drops the database [`open`] made.
pub async fn close(t: TestDb) {
    harness::close(t).await;
}

/// Creates the `user_data` table and fills it with `rows` users, ids `1..=rows`; the first
/// `deleted` of them are deleted at `deleted_at`. One server-side `INSERT … SELECT`.
pub async fn fill_users(
    t: &TestDb,
    db: &DatabaseConnection,
    rows: u64,
    deleted: u64,
    deleted_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    t.create(user::Entity).await?;
    let now = soft_delete_core::now();
    let token = deleted_at.timestamp();
    let (sql, values): (String, Vec<Value>) = match t.backend {
        Backend::Postgres => (
            format!(
                "INSERT INTO user_data (name, created_at, updated_at, deleted_at, delete_token) \
                 SELECT 'user ' || g, $1, $1, CASE WHEN g <= {deleted} THEN $2 END, \
                 CASE WHEN g <= {deleted} THEN {token} ELSE 0 END \
                 FROM generate_series(1, {rows}) AS g ORDER BY g"
            ),
            vec![now.into(), deleted_at.into()],
        ),
        Backend::MySql => (
            format!(
                "INSERT INTO user_data (name, created_at, updated_at, deleted_at, delete_token) \
                 SELECT CONCAT('user ', seq), ?, ?, CASE WHEN seq <= {deleted} THEN ? END, \
                 CASE WHEN seq <= {deleted} THEN {token} ELSE 0 END \
                 FROM seq_1_to_{rows} ORDER BY seq"
            ),
            vec![now.into(), now.into(), deleted_at.into()],
        ),
        Backend::SqliteFile | Backend::SqliteMemory => (
            format!(
                "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows}) \
                 INSERT INTO user_data (name, created_at, updated_at, deleted_at, delete_token) \
                 SELECT 'user ' || n, ?, ?, CASE WHEN n <= {deleted} THEN ? END, \
                 CASE WHEN n <= {deleted} THEN {token} ELSE 0 END FROM s"
            ),
            vec![now.into(), now.into(), deleted_at.into()],
        ),
    };
    if rows > 0 {
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await?;
    }
    analyze(db).await
}

/// Fresh planner statistics, so plans match a table that has lived with this data.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => "VACUUM ANALYZE user_data",
        DbBackend::MySql => "ANALYZE TABLE user_data",
        _ => "ANALYZE",
    };
    db.execute_unprepared(sql).await.map(|_| ())
}

/// Drops `user_data`.
pub async fn drop_users(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("DROP TABLE IF EXISTS user_data")
        .await
        .map(|_| ())
}

/// Counts the statements one connection sends, through its metric callback (the tests' statement
/// log, [`TestDb::counted`], works the same way). Attached to the timed connection itself, so
/// the counts come from the very calls that are timed; the callback only bumps a counter.
#[derive(Clone, Default)]
pub struct StatementCount(Arc<AtomicUsize>);

impl StatementCount {
    /// Installs the counting callback on `db`, replacing any other.
    pub fn attach(db: &mut DatabaseConnection) -> StatementCount {
        let count = StatementCount::default();
        let sink = Arc::clone(&count.0);
        db.set_metric_callback(move |_| {
            sink.fetch_add(1, Ordering::Relaxed);
        });
        count
    }

    /// The statements sent since the last `take`, and starts counting again from zero.
    pub fn take(&self) -> usize {
        self.0.swap(0, Ordering::Relaxed)
    }
}

/// `1`, or `200–201` when the runs did not all send the same number of statements.
pub fn counts(values: &[usize]) -> String {
    match (values.iter().min(), values.iter().max()) {
        (Some(lo), Some(hi)) if lo == hi => lo.to_string(),
        (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
        _ => "–".to_owned(),
    }
}

/// Median and quartiles of a sample.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub n: usize,
}

impl Summary {
    pub fn of(values: &[f64]) -> Summary {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| -> f64 {
            if v.is_empty() {
                return f64::NAN;
            }
            let pos = p * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Summary {
            p25: q(0.25),
            median: q(0.5),
            p75: q(0.75),
            n: v.len(),
        }
    }

    /// `1.01 (0.97–1.05)`.
    pub fn ratio(&self) -> String {
        format!("{:.3} ({:.3}–{:.3})", self.median, self.p25, self.p75)
    }

    /// `412 µs (398–430)` for a sample in seconds.
    pub fn time(&self) -> String {
        let unit = if self.median < 1e-3 {
            (1e6, "µs")
        } else if self.median < 1.0 {
            (1e3, "ms")
        } else {
            (1.0, "s")
        };
        let f = |x: f64| {
            let x = x * unit.0;
            if x < 10.0 {
                format!("{x:.2}")
            } else if x < 100.0 {
                format!("{x:.1}")
            } else {
                format!("{x:.0}")
            }
        };
        format!(
            "{} {} ({}–{})",
            f(self.median),
            unit.1,
            f(self.p25),
            f(self.p75)
        )
    }
}

/// Seconds in a duration.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The line every bench output starts with.
pub fn header(bench: &str) {
    println!(
        "# {bench}: {} build, {} logical CPUs",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
}

/// The server's version string, for the tables.
pub async fn server_version(db: &DatabaseConnection) -> String {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => "SELECT 'SQLite ' || sqlite_version()",
        _ => "SELECT version()",
    };
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await;
    match row {
        Ok(Some(row)) => row.try_get_by_index::<String>(0).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The hand-written soft delete a user would otherwise write: the same `UPDATE` as the
/// helpers, clock read included, on the live rows `filter` selects.
pub async fn hand_soft_delete(
    db: &DatabaseConnection,
    filter: impl IntoCondition,
) -> Result<u64, DbErr> {
    let now = Utc::now();
    let res = user::Entity::update_many()
        .col_expr(user::Column::DeletedAt, Expr::val(now))
        .col_expr(user::Column::UpdatedAt, Expr::val(now))
        .col_expr(user::Column::DeleteToken, Expr::val(now.timestamp()))
        .filter(filter)
        .filter(user::Column::DeletedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// The hand-written restore of the deleted rows `filter` selects.
pub async fn hand_restore(
    db: &DatabaseConnection,
    filter: impl IntoCondition,
) -> Result<u64, DbErr> {
    let now = Utc::now();
    let res = user::Entity::update_many()
        .col_expr(
            user::Column::DeletedAt,
            Expr::val(Option::<DateTime<Utc>>::None),
        )
        .col_expr(user::Column::UpdatedAt, Expr::val(now))
        .col_expr(user::Column::DeleteToken, Expr::val(0i64))
        .filter(filter)
        .filter(user::Column::DeletedAt.is_not_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
