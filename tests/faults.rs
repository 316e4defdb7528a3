//! A bulk soft delete cut off before commit leaves every row as it was, and a database that
//! is gone or silent gives an error, not a hang or a panic.

use std::time::{Duration, Instant};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectOptions, ConnectionTrait, Database,
    DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryOrder, Statement,
    TransactionTrait,
};
use soft_delete_core::prelude::*;
use support::{Backend, TestDb, backend_tests, entities::user, run};

const ROWS: i32 = 40;
/// Long enough for any call here on a loaded machine, short enough to show a hang.
const NO_HANG: Duration = Duration::from_secs(30);

async fn seed(t: &TestDb) -> Vec<user::Model> {
    t.create(user::Entity).await.unwrap();
    for i in 0..ROWS {
        let name = Set(format!("user {i}"));
        user::ActiveModel {
            name,
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
    }
    // Half of them deleted already, so restore_many has work too.
    assert_eq!(
        user::Entity::soft_delete_many(&t.db, user::Column::Id.gt(ROWS / 2))
            .await
            .unwrap(),
        20
    );
    rows(&t.db).await
}

async fn rows<C: ConnectionTrait>(db: &C) -> Vec<user::Model> {
    user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn rolled_back_bulk_changes_nothing(t: TestDb) {
    let before = seed(&t).await;

    let txn = t.db.begin().await.unwrap();
    assert_eq!(
        user::Entity::soft_delete_many(&txn, user::Column::Id.gt(0))
            .await
            .unwrap(),
        20
    );
    assert_eq!(
        user::Entity::find_live().count(&txn).await.unwrap(),
        0,
        "the transaction sees its own deletes"
    );
    txn.rollback().await.unwrap();
    assert_eq!(rows(&t.db).await, before, "explicit rollback");

    let txn = t.db.begin().await.unwrap();
    assert_eq!(
        user::Entity::restore_many(&txn, user::Column::Id.gt(0))
            .await
            .unwrap(),
        20
    );
    txn.rollback().await.unwrap();
    assert_eq!(
        rows(&t.db).await,
        before,
        "explicit rollback of restore_many"
    );

    {
        let txn = t.db.begin().await.unwrap();
        assert_eq!(
            user::Entity::soft_delete_many(&txn, user::Column::Id.gt(0))
                .await
                .unwrap(),
            20
        );
        assert_eq!(
            user::Entity::soft_delete_by_id(&txn, 1).await.unwrap(),
            DeleteOutcome::AlreadyDeleted
        );
        // Dropped without commit.
    }
    assert_eq!(rows(&t.db).await, before, "dropped transaction");

    // A nested transaction (a savepoint) rolled back inside a committed outer one.
    let outer = t.db.begin().await.unwrap();
    assert_eq!(
        user::Entity::soft_delete_by_id(&outer, 1).await.unwrap(),
        DeleteOutcome::Deleted
    );
    let inner = outer.begin().await.unwrap();
    assert_eq!(
        user::Entity::soft_delete_many(&inner, user::Column::Id.gt(1))
            .await
            .unwrap(),
        19
    );
    inner.rollback().await.unwrap();
    outer.commit().await.unwrap();
    let after = rows(&t.db).await;
    assert!(after[0].deleted_at.is_some());
    assert_eq!(
        after[1..],
        before[1..],
        "only the outer transaction's delete stayed"
    );
}

backend_tests!(rolled_back_bulk_changes_nothing);

/// The server-side id of the connection `db` runs on.
async fn connection_id<C: ConnectionTrait>(db: &C) -> i64 {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "SELECT pg_backend_pid() AS id",
        _ => "SELECT CONNECTION_ID() AS id",
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap();
    match backend {
        sea_orm::DbBackend::Postgres => i64::from(row.try_get::<i32>("", "id").unwrap()),
        _ => i64::try_from(row.try_get::<u64>("", "id").unwrap()).unwrap(),
    }
}

/// Ends connection `id` from another session and waits until it is gone.
async fn kill(t: &TestDb, id: i64) {
    let killer = t.connect_again(1).await.unwrap();
    let backend = killer.get_database_backend();
    if t.backend == Backend::Postgres {
        // The two-argument form waits up to 5 s for the backend to exit.
        let sql = format!("SELECT pg_terminate_backend({id}, 5000) AS done");
        let row = killer
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .unwrap();
        assert!(
            row.try_get::<bool>("", "done").unwrap(),
            "connection {id} was terminated"
        );
    } else {
        killer
            .execute_unprepared(&format!("KILL {id}"))
            .await
            .unwrap();
    }
    killer.close().await.unwrap();
}

async fn killed_connection_changes_nothing(t: TestDb) {
    let before = seed(&t).await;
    let txn = t.db.begin().await.unwrap();
    let id = connection_id(&txn).await;
    assert_eq!(
        user::Entity::soft_delete_many(&txn, user::Column::Id.lte(10))
            .await
            .unwrap(),
        10
    );
    kill(&t, id).await;

    let next = tokio::time::timeout(
        NO_HANG,
        user::Entity::soft_delete_many(&txn, user::Column::Id.gt(10)),
    )
    .await
    .expect("the call on a killed connection returns");
    let err = next.expect_err("a helper on a killed connection fails");
    println!("{}: helper on a killed connection: {err}", t.backend.name());
    let by_id = tokio::time::timeout(NO_HANG, user::Entity::restore_by_id(&txn, 30))
        .await
        .unwrap();
    assert!(by_id.is_err(), "{by_id:?}");
    let commit = tokio::time::timeout(NO_HANG, txn.commit()).await.unwrap();
    assert!(commit.is_err(), "commit on a killed connection: {commit:?}");

    assert_eq!(rows(&t.db).await, before, "no row changed");
    // The pool replaces the dead connection.
    assert_eq!(
        user::Entity::soft_delete_by_id(&t.db, 1).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        user::Entity::restore_by_id(&t.db, 30).await.unwrap(),
        RestoreOutcome::Restored
    );
    let txn = t.db.begin().await.unwrap();
    assert_ne!(connection_id(&txn).await, id);
    assert_eq!(
        user::Entity::soft_delete_many(&txn, user::Column::Id.lte(10))
            .await
            .unwrap(),
        9
    );
    txn.commit().await.unwrap();
    // 1..=20 live, then 1..=10 deleted and 30 restored.
    assert_eq!(user::Entity::find_live().count(&t.db).await.unwrap(), 11);
}

mod killed_connection_changes_nothing {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(
            Backend::Postgres,
            "killed_connection",
            super::killed_connection_changes_nothing,
        )
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mysql() {
        run(
            Backend::MySql,
            "killed_connection",
            super::killed_connection_changes_nothing,
        )
        .await
    }
}

/// A pool that connects on first use, with short timeouts.
async fn lazy_pool(url: &str) -> DatabaseConnection {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.connect_lazy(true)
        .max_connections(1)
        .connect_timeout(Duration::from_secs(1))
        .acquire_timeout(Duration::from_secs(1))
        .sqlx_logging(false);
    Database::connect(opts)
        .await
        .expect("a lazy pool does not reach the server yet")
}

/// Every kind of helper call on an unreachable database returns a `DbErr` within the
/// pool's timeout.
async fn every_helper_fails(db: &DatabaseConnection) -> Vec<DbErr> {
    let now = chrono::Utc::now();
    let model = user::Model {
        id: 1,
        name: "ada".into(),
        created_at: now,
        updated_at: now,
        deleted_at: None,
        delete_token: 0,
    };
    let mut errors = Vec::new();
    macro_rules! fails {
        ($call:expr) => {{
            let started = Instant::now();
            let out = tokio::time::timeout(NO_HANG, $call)
                .await
                .expect(concat!(stringify!($call), " hung"));
            let err = out.map(|_| ()).expect_err(stringify!($call));
            assert!(started.elapsed() < Duration::from_secs(20));
            errors.push(err);
        }};
    }
    fails!(user::Entity::soft_delete_by_id(db, 1));
    fails!(user::Entity::restore_by_id(db, 1));
    fails!(user::Entity::force_delete_by_id(db, 1));
    fails!(user::Entity::soft_delete_many(db, user::Column::Id.gt(0)));
    fails!(user::Entity::restore_many(db, user::Column::Id.gt(0)));
    fails!(user::Entity::purge_deleted_before(db, now));
    fails!(model.soft_delete(db));
    fails!(model.restore(db));
    fails!(user::Entity::find_live().all(db));
    errors
}

/// A port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

async fn server_down(scheme_user: &str) {
    let url = format!("{scheme_user}@127.0.0.1:{}/test", closed_port());
    let db = lazy_pool(&url).await;
    let errors = every_helper_fails(&db).await;
    println!("{url}: {}", errors[0]);
    assert!(
        errors
            .iter()
            .all(|e| matches!(e, DbErr::ConnectionAcquire(_) | DbErr::Conn(_))),
        "{errors:?}"
    );
}

/// A server that accepts connections and never answers.
async fn server_silent(scheme_user: &str) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("{scheme_user}@{}/test", listener.local_addr().unwrap());
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let db = lazy_pool(&url).await;
    let errors = every_helper_fails(&db).await;
    println!("{url}: {}", errors[0]);
    assert!(
        errors
            .iter()
            .all(|e| matches!(e, DbErr::ConnectionAcquire(_) | DbErr::Conn(_))),
        "{errors:?}"
    );
    silent.abort();
}

/// A TCP relay to the real server that can be cut, as when the server goes away under a pool
/// that is already connected.
struct Relay {
    addr: std::net::SocketAddr,
    cut: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(listen: &str, server: String) -> Relay {
        let listener = tokio::net::TcpListener::bind(listen).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (cut, watch) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            loop {
                let mut stop = watch.clone();
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                let server = server.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&server).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = stop.wait_for(|cut| *cut) => {}
                    }
                });
            }
        });
        Relay { addr, cut, task }
    }

    /// Drops every relayed connection and stops listening: the "server" is gone.
    fn cut(self) -> std::net::SocketAddr {
        let _ = self.cut.send(true);
        self.task.abort();
        self.addr
    }
}

/// The server goes away under a connected pool: the next calls are errors within the pool's
/// timeout, nothing changes, and the same pool works again once the server is back.
async fn server_lost(t: TestDb) {
    let before = seed(&t).await;
    let relay = Relay::start("127.0.0.1:0", t.server_addr()).await;
    let db = t.connect_through(&relay.addr.to_string(), 1).await.unwrap();
    assert_eq!(
        user::Entity::soft_delete_by_id(&db, 1).await.unwrap(),
        DeleteOutcome::Deleted
    );
    let after_delete = rows(&t.db).await;
    assert_ne!(after_delete, before);

    let addr = relay.cut();
    for _ in 0..2 {
        let call = tokio::time::timeout(NO_HANG, user::Entity::restore_by_id(&db, 1)).await;
        let err = call
            .expect("restore_by_id hung")
            .expect_err("the server is gone");
        println!("{:?} server gone: {err}", t.backend);
        let call = tokio::time::timeout(
            NO_HANG,
            user::Entity::soft_delete_many(&db, user::Column::Id.lte(ROWS / 2)),
        )
        .await;
        call.expect("soft_delete_many hung")
            .expect_err("the server is gone");
    }
    assert_eq!(rows(&t.db).await, after_delete, "a call changed rows");

    let back = Relay::start(&addr.to_string(), t.server_addr()).await;
    assert_eq!(
        user::Entity::restore_by_id(&db, 1).await.unwrap(),
        RestoreOutcome::Restored
    );
    assert_eq!(rows(&t.db).await, rows(&db).await);
    let _ = db.close().await;
    back.cut();
}

mod server_lost {
    use support::{Backend, run};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres, "server_lost", super::server_lost).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mysql() {
        run(Backend::MySql, "server_lost", super::server_lost).await
    }
}

mod server_down {
    #[tokio::test]
    async fn postgres() {
        super::server_down("postgres://postgres").await
    }

    #[tokio::test]
    async fn mysql() {
        super::server_down("mysql://root").await
    }
}

mod server_silent {
    #[tokio::test]
    async fn postgres() {
        super::server_silent("postgres://postgres").await
    }

    #[tokio::test]
    async fn mysql() {
        super::server_silent("mysql://root").await
    }
}
