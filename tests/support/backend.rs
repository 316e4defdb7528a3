//! Where each backend's server is, and whether it is reachable.

use std::{io::Write, sync::OnceLock, time::Duration};

use sea_orm::{ConnectOptions, Database};
use tokio::sync::OnceCell;

/// A database the tests run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// SQLite in memory, one connection.
    SqliteMemory,
    /// SQLite in a temporary file, WAL mode, a pool of connections.
    SqliteFile,
    /// PostgreSQL: `SOFT_DELETE_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/test`.
    Postgres,
    /// MySQL or MariaDB: `SOFT_DELETE_TEST_MYSQL`, default `mysql://root@127.0.0.1:3306/test`.
    MySql,
}

impl Backend {
    /// The name used in `SOFT_DELETE_REQUIRE_BACKENDS` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::SqliteMemory => "sqlite-memory",
            Backend::SqliteFile => "sqlite-file",
            Backend::Postgres => "postgres",
            Backend::MySql => "mysql",
        }
    }

    /// The server URL of a backend that needs one.
    pub fn server_url(self) -> Option<String> {
        let (var, default) = match self {
            Backend::Postgres => (
                "SOFT_DELETE_TEST_POSTGRES",
                "postgres://postgres@127.0.0.1:5432/test",
            ),
            Backend::MySql => ("SOFT_DELETE_TEST_MYSQL", "mysql://root@127.0.0.1:3306/test"),
            _ => return None,
        };
        Some(std::env::var(var).unwrap_or_else(|_| default.to_owned()))
    }

    /// Whether `SOFT_DELETE_REQUIRE_BACKENDS` lists this backend. A name it does not know
    /// fails the test, so a typo cannot quietly turn the requirement off.
    pub fn required(self) -> bool {
        let Ok(list) = std::env::var("SOFT_DELETE_REQUIRE_BACKENDS") else {
            return false;
        };
        let mut listed = false;
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let backend = match name {
                "postgres" | "postgresql" => Backend::Postgres,
                "mysql" | "mariadb" => Backend::MySql,
                "sqlite-memory" => Backend::SqliteMemory,
                "sqlite-file" => Backend::SqliteFile,
                _ => panic!(
                    "SOFT_DELETE_REQUIRE_BACKENDS names `{name}`, which is not a backend; \
                     use postgres, mysql (or mariadb), sqlite-memory, sqlite-file"
                ),
            };
            listed |= backend == self;
        }
        listed
    }

    /// `Ok(())` when the backend can be used; the reason otherwise. Checked once per process.
    pub async fn available(self) -> Result<(), String> {
        static POSTGRES: OnceCell<Result<(), String>> = OnceCell::const_new();
        static MYSQL: OnceCell<Result<(), String>> = OnceCell::const_new();
        let cell = match self {
            Backend::Postgres => &POSTGRES,
            Backend::MySql => &MYSQL,
            _ => return Ok(()),
        };
        cell.get_or_init(|| async move {
            let url = self.server_url().unwrap_or_default();
            let mut opts = ConnectOptions::new(url.clone());
            opts.connect_timeout(Duration::from_secs(3))
                .acquire_timeout(Duration::from_secs(3))
                .max_connections(1)
                .sqlx_logging(false);
            match tokio::time::timeout(Duration::from_secs(5), Database::connect(opts)).await {
                Ok(Ok(db)) => {
                    let _ = db.close().await;
                    Ok(())
                }
                Ok(Err(err)) => Err(format!("cannot connect to {url}: {err}")),
                Err(_) => Err(format!("cannot connect to {url}: timed out")),
            }
        })
        .await
        .clone()
    }

    /// Says once per `cargo test` run, past the test harness's output capture, that a backend
    /// was skipped and why. Each test binary is its own process; a marker file named after
    /// their common parent (cargo) keeps the line from repeating in every binary.
    pub fn report_skip(self, reason: &str) {
        static POSTGRES: OnceLock<()> = OnceLock::new();
        static MYSQL: OnceLock<()> = OnceLock::new();
        let once = if self == Backend::Postgres {
            &POSTGRES
        } else {
            &MYSQL
        };
        once.get_or_init(|| {
            let marker = std::env::temp_dir().join(format!(
                "soft-delete-skip-{}-{}",
                std::os::unix::process::parent_id(),
                self.name()
            ));
            if std::fs::File::create_new(marker).is_err() {
                return;
            }
            let _ = writeln!(
                std::io::stderr(),
                "soft-delete tests: skipping the {} backend: {reason} (set SOFT_DELETE_REQUIRE_BACKENDS to make this fail)",
                self.name()
            );
        });
    }
}
