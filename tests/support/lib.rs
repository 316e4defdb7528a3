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
///
/// `backend_tests!(pool = 1; name)` runs them on a pool of that many connections (default 4),
/// e.g. for tests whose session state (statistics, settings) must stay on one connection.
#[macro_export]
macro_rules! backend_tests {
    (pool = $pool:expr; $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_memory() {
                $crate::run_with($crate::Backend::SqliteMemory, stringify!($name), $pool, super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_file() {
                $crate::run_with($crate::Backend::SqliteFile, stringify!($name), $pool, super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::run_with($crate::Backend::Postgres, stringify!($name), $pool, super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                $crate::run_with($crate::Backend::MySql, stringify!($name), $pool, super::$name).await
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {
        $crate::backend_tests!(pool = 4; $($name),*);
    };
}
