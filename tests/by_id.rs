//! `soft_delete_by_id`, `restore_by_id`, `force_delete_by_id`: outcomes, values and statement counts.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use soft_delete_core::prelude::*;
use support::{TestDb, backend_tests, entities::user};

async fn insert_user(t: &TestDb, name: &str) -> user::Model {
    user::ActiveModel { name: Set(name.to_owned()), ..Default::default() }
        .insert(&t.db)
        .await
        .expect("insert user")
}

async fn soft_delete_outcomes(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let ada = insert_user(&t, "ada").await;
    assert_eq!(ada.delete_token, 0);
    assert!(ada.deleted_at.is_none());

    let (outcome, sql) = t.counted(user::Entity::soft_delete_by_id(&t.db, ada.id)).await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::Deleted);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(sql[0].starts_with("UPDATE"), "{sql:?}");

    let stored = user::Entity::find_by_id(ada.id).one(&t.db).await.unwrap().unwrap();
    let deleted_at = stored.deleted_at.expect("deleted_at stamped");
    assert_eq!(stored.updated_at, deleted_at);
    assert_eq!(stored.delete_token, deleted_at.timestamp());

    let (outcome, sql) = t.counted(user::Entity::soft_delete_by_id(&t.db, ada.id)).await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::AlreadyDeleted);
    assert_eq!(sql.len(), 2, "{sql:?}");
    let again = user::Entity::find_by_id(ada.id).one(&t.db).await.unwrap().unwrap();
    assert_eq!(again, stored, "a second delete changes nothing");

    let (outcome, sql) = t.counted(user::Entity::soft_delete_by_id(&t.db, 999)).await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::NotFound);
    assert_eq!(sql.len(), 2, "{sql:?}");
}

backend_tests!(soft_delete_outcomes);
