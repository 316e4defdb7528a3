//! A fresh, isolated database per test on each backend, with a log of the statements it ran.

use std::{
    future::Future,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    Schema,
};

use crate::Backend;

/// One test's database on one backend.
#[derive(Clone)]
pub struct TestDb {
    /// The connection pool, with the statement log attached.
    pub db: DatabaseConnection,
    /// Which backend this is.
    pub backend: Backend,
    /// A URL that opens another connection to the same database.
    pub url: String,
    log: Arc<Mutex<Vec<String>>>,
    namespace: String,
    file: Option<PathBuf>,
}

impl TestDb {
    /// The statements run since the last [`clear_log`](Self::clear_log).
    pub fn statements(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Forgets the statements run so far.
    pub fn clear_log(&self) {
        if let Ok(mut log) = self.log.lock() {
            log.clear();
        }
    }

    /// Awaits `fut` and returns its output with the statements it ran.
    pub async fn counted<T>(&self, fut: impl Future<Output = T>) -> (T, Vec<String>) {
        self.clear_log();
        let out = fut.await;
        (out, self.statements())
    }

    /// The SeaORM backend of the connection.
    pub fn db_backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Whether this backend has `RETURNING` in this build.
    pub fn returning(&self) -> bool {
        self.db.support_returning()
    }

    /// Creates `entity`'s table from the entity, with MySQL timestamps as `DATETIME(6)`.
    pub async fn create<E: EntityTrait>(&self, entity: E) -> Result<(), DbErr> {
        let schema = Schema::new(self.db_backend());
        let stmt = self
            .db_backend()
            .build(&schema.create_table_from_entity(entity));
        let sql = if self.backend == Backend::MySql {
            mysql_datetime6(&stmt.sql)
        } else {
            stmt.sql
        };
        self.db.execute_unprepared(&sql).await.map(|_| ())
    }

    /// Runs raw SQL.
    pub async fn exec(&self, sql: &str) -> Result<(), DbErr> {
        self.db.execute_unprepared(sql).await.map(|_| ())
    }

    /// The `host:port` of the server, for a server backend.
    pub fn server_addr(&self) -> String {
        url_parts(&self.url).2.to_owned()
    }

    /// Opens a pool on the same database through another server address, e.g. a relay:
    /// `addr` replaces the `host:port` of [`url`](Self::url).
    pub async fn connect_through(
        &self,
        addr: &str,
        max_connections: u32,
    ) -> Result<DatabaseConnection, DbErr> {
        let (scheme, credentials, _, path) = url_parts(&self.url);
        let url = join_url(scheme, credentials, addr, path);
        let mut opts = options(self.backend, &url, &self.namespace, max_connections);
        opts.acquire_timeout(Duration::from_secs(5));
        Database::connect(opts).await
    }

    /// Opens a second, separate pool on the same database (no statement log).
    pub async fn connect_again(&self, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
        Database::connect(options(
            self.backend,
            &self.url,
            &self.namespace,
            max_connections,
        ))
        .await
    }
}

/// MySQL's `TIMESTAMP` ends in 2038 and drops fractions: use `DATETIME(6)` for every timestamp.
pub fn mysql_datetime6(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 32);
    let mut rest = sql;
    while let Some(pos) = rest.find(['t', 'd']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let boundary = out
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '`');
        let word = ["timestamp", "datetime"]
            .into_iter()
            .find(|w| rest.starts_with(w));
        match word {
            Some(w)
                if boundary
                    && !rest[w.len()..].starts_with(|c: char| {
                        c.is_alphanumeric() || c == '_' || c == '(' || c == '`'
                    }) =>
            {
                out.push_str("datetime(6)");
                rest = &rest[w.len()..];
            }
            _ => {
                out.push_str(&rest[..1]);
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn unique_namespace(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut name: String = test
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    name.truncate(40);
    format!(
        "sd_{}_{}_{:x}",
        name.to_ascii_lowercase(),
        std::process::id(),
        nanos
    )
}

fn options(backend: Backend, url: &str, namespace: &str, max_connections: u32) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(max_connections)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if backend == Backend::Postgres {
        opts.set_schema_search_path(namespace.to_owned());
    }
    opts
}

/// `scheme`, `user:password`, `host:port` and `/path?query` of a server URL.
fn url_parts(url: &str) -> (&str, &str, &str, &str) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let (credentials, addr) = authority.rsplit_once('@').unwrap_or(("", authority));
    (scheme, credentials, addr, path)
}

/// The URL `url_parts` took apart.
fn join_url(scheme: &str, credentials: &str, addr: &str, path: &str) -> String {
    let at = if credentials.is_empty() { "" } else { "@" };
    format!("{scheme}://{credentials}{at}{addr}{path}")
}

/// Replaces the database name in a MySQL URL.
fn with_database(url: &str, database: &str) -> String {
    let (scheme, credentials, addr, path) = url_parts(url);
    let query = path.find('?').map_or("", |i| &path[i..]);
    join_url(scheme, credentials, addr, &format!("/{database}{query}"))
}

async fn admin(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    Database::connect(opts).await
}

/// Opens a fresh database for `test` on `backend`, or `None` when the backend is not
/// available and not required.
pub async fn open(backend: Backend, test: &str, max_connections: u32) -> Option<TestDb> {
    // Read first, so that a misspelt backend name fails even when every server is up.
    let required = backend.required();
    if let Err(reason) = backend.available().await {
        if required {
            panic!(
                "the {} backend is required (SOFT_DELETE_REQUIRE_BACKENDS) but {reason}",
                backend.name()
            );
        }
        backend.report_skip(&reason);
        return None;
    }
    let namespace = unique_namespace(test);
    let (url, file, max_connections) = match backend {
        Backend::SqliteMemory => ("sqlite::memory:".to_owned(), None, 1),
        Backend::SqliteFile => {
            let path = std::env::temp_dir().join(format!("{namespace}.db"));
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                Some(path),
                max_connections,
            )
        }
        Backend::Postgres => {
            let url = backend.server_url().unwrap_or_default();
            let admin = admin(&url).await.expect("postgres admin connection");
            admin
                .execute_unprepared(&format!("CREATE SCHEMA \"{namespace}\""))
                .await
                .expect("create test schema");
            let _ = admin.close().await;
            (url, None, max_connections)
        }
        Backend::MySql => {
            let url = backend.server_url().unwrap_or_default();
            let admin = admin(&url).await.expect("mysql admin connection");
            admin
                .execute_unprepared(&format!("CREATE DATABASE `{namespace}`"))
                .await
                .expect("create test database");
            let _ = admin.close().await;
            (with_database(&url, &namespace), None, max_connections)
        }
    };
    let mut db = Database::connect(options(backend, &url, &namespace, max_connections))
        .await
        .expect("connect to the test database");
    if backend == Backend::SqliteFile {
        db.execute_unprepared("PRAGMA journal_mode=WAL")
            .await
            .expect("WAL mode");
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    db.set_metric_callback(move |info| {
        if let Ok(mut log) = sink.lock() {
            log.push(info.statement.sql.clone());
        }
    });
    Some(TestDb {
        db,
        backend,
        url,
        log,
        namespace,
        file,
    })
}

/// Drops what [`open`] created.
pub async fn close(test: TestDb) {
    let _ = test.db.close().await;
    match test.backend {
        Backend::Postgres => {
            if let Ok(admin) = admin(&test.url).await {
                let _ = admin
                    .execute_unprepared(&format!(
                        "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
                        test.namespace
                    ))
                    .await;
                let _ = admin.close().await;
            }
        }
        Backend::MySql => {
            if let Ok(admin) = admin(&test.url).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS `{}`", test.namespace))
                    .await;
                let _ = admin.close().await;
            }
        }
        Backend::SqliteFile => {
            if let Some(path) = &test.file {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
        }
        Backend::SqliteMemory => {}
    }
}

/// Runs `body` on a fresh database on `backend` with a pool of 4, then drops the database,
/// also when `body` panics.
pub async fn run<F, Fut>(backend: Backend, test: &str, body: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_with(backend, test, 4, body).await
}

/// [`run`] with a pool of `max_connections` (SQLite in memory always has one).
pub async fn run_with<F, Fut>(backend: Backend, test: &str, max_connections: u32, body: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = open(backend, test, max_connections).await else {
        return;
    };
    let outcome = tokio::spawn(body(db.clone())).await;
    close(db).await;
    if let Err(err) = outcome {
        match err.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(err) => panic!("test task failed: {err}"),
        }
    }
}
