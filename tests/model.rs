//! `model.soft_delete(db)`, `model.restore(db)` and `model.is_deleted()`.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr, EntityTrait};
use soft_delete_core::prelude::*;
use support::{Backend, TestDb, backend_tests, entities::user};

async fn insert(t: &TestDb) -> user::Model {
    t.create(user::Entity).await.unwrap();
    user::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap()
}

/// Whether a changing model call is one `UPDATE … RETURNING`, pinned per backend so that
/// losing `RETURNING` fails the tests; MySQL and MariaDB take an `UPDATE` and a `SELECT`.
fn returns_rows(t: &TestDb) -> bool {
    match t.backend {
        Backend::SqliteMemory | Backend::SqliteFile | Backend::Postgres => true,
        Backend::MySql => false,
    }
}

/// The statements of a model call that changed the row.
fn assert_changed_in(t: &TestDb, sql: &[String]) {
    let expected = if returns_rows(t) { 1 } else { 2 };
    assert_eq!(sql.len(), expected, "{sql:?}");
    assert!(sql[0].starts_with("UPDATE"), "{sql:?}");
    assert_eq!(sql[0].contains("RETURNING"), returns_rows(t), "{sql:?}");
    if sql.len() == 2 {
        assert!(sql[1].starts_with("SELECT"), "{sql:?}");
    }
}

async fn soft_delete_returns_the_stored_row(t: TestDb) {
    let ada = insert(&t).await;
    assert!(!ada.is_deleted());
    let (deleted, sql) = t.counted(ada.soft_delete(&t.db)).await;
    let deleted = deleted.unwrap();
    assert!(deleted.is_deleted());
    assert_eq!(
        deleted.delete_token,
        deleted.deleted_at.unwrap().timestamp()
    );
    assert_changed_in(&t, &sql);
    let stored = user::Entity::find_by_id(ada.id).one(&t.db).await.unwrap();
    assert_eq!(stored.as_ref(), Some(&deleted));

    // Deleting again, even from the stale live copy, returns the row unchanged.
    let (again, sql) = t.counted(ada.soft_delete(&t.db)).await;
    assert_eq!(again.unwrap(), deleted);
    assert_eq!(sql.len(), 2, "{sql:?}");
}

async fn restore_returns_the_stored_row(t: TestDb) {
    let ada = insert(&t).await;
    let deleted = ada.soft_delete(&t.db).await.unwrap();
    let (restored, sql) = t.counted(deleted.restore(&t.db)).await;
    let restored = restored.unwrap();
    assert!(!restored.is_deleted());
    assert_eq!(restored.delete_token, 0);
    assert!(restored.updated_at >= deleted.updated_at);
    assert_changed_in(&t, &sql);
    assert_eq!(
        user::Entity::find_by_id(ada.id).one(&t.db).await.unwrap(),
        Some(restored.clone())
    );
    assert_eq!(
        restored.restore(&t.db).await.unwrap(),
        restored,
        "a live row comes back unchanged"
    );
}

async fn a_vanished_row_is_record_not_found(t: TestDb) {
    let ada = insert(&t).await;
    user::Entity::force_delete_by_id(&t.db, ada.id)
        .await
        .unwrap();
    let err = ada.soft_delete(&t.db).await.expect_err("the row is gone");
    assert!(matches!(err, DbErr::RecordNotFound(_)), "{err:?}");
    let err = ada.restore(&t.db).await.expect_err("the row is gone");
    assert!(matches!(err, DbErr::RecordNotFound(_)), "{err:?}");
}

backend_tests!(
    soft_delete_returns_the_stored_row,
    restore_returns_the_stored_row,
    a_vanished_row_is_record_not_found,
);
