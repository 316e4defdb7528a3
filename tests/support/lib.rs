//! Test support shared by the integration tests, examples and benches: one harness that hands
//! a test a fresh, isolated database on every available backend, counts the statements it
//! runs, and the entities the tests use.

pub mod backend;
pub mod entities;
pub mod harness;

pub use backend::Backend;
pub use harness::{TestDb, run, run_with};

/// Generates, for each named `async fn(TestDb)`, one test per backend:
/// `name::sqlite_memory`, `name::sqlite_file`, `name::postgres` and `name::mysql`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_memory() {
                $crate::run($crate::Backend::SqliteMemory, stringify!($name), super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_file() {
                $crate::run($crate::Backend::SqliteFile, stringify!($name), super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::run($crate::Backend::Postgres, stringify!($name), super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                $crate::run($crate::Backend::MySql, stringify!($name), super::$name).await
            }
        }
    )*};
}
