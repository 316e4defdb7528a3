//! `soft_delete_by_id`, `restore_by_id`, `force_delete_by_id`: outcomes, stored values and
//! statement counts, for integer, composite and UUID keys.

use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use soft_delete_core::prelude::*;
use support::{
    TestDb, backend_tests,
    entities::{composite, item, user},
};

async fn insert_user(t: &TestDb, name: &str) -> user::Model {
    user::ActiveModel {
        name: Set(name.to_owned()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .expect("insert user")
}

async fn load_user(t: &TestDb, id: i32) -> Option<user::Model> {
    user::Entity::find_by_id(id)
        .one(&t.db)
        .await
        .expect("select user")
}

async fn soft_delete_outcomes(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let ada = insert_user(&t, "ada").await;
    assert_eq!(ada.delete_token, 0);
    assert!(ada.deleted_at.is_none());

    let (outcome, sql) = t
        .counted(user::Entity::soft_delete_by_id(&t.db, ada.id))
        .await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::Deleted);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(sql[0].starts_with("UPDATE"), "{sql:?}");

    let stored = load_user(&t, ada.id).await.unwrap();
    let deleted_at = stored.deleted_at.expect("deleted_at stamped");
    assert_eq!(
        stored.updated_at, deleted_at,
        "one clock read for both columns"
    );
    assert_eq!(stored.delete_token, deleted_at.timestamp());
    assert_eq!(stored.created_at, ada.created_at);

    let (outcome, sql) = t
        .counted(user::Entity::soft_delete_by_id(&t.db, ada.id))
        .await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::AlreadyDeleted);
    assert_eq!(sql.len(), 2, "{sql:?}");
    assert_eq!(
        load_user(&t, ada.id).await.unwrap(),
        stored,
        "a second delete changes nothing"
    );

    let (outcome, sql) = t.counted(user::Entity::soft_delete_by_id(&t.db, 999)).await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::NotFound);
    assert_eq!(sql.len(), 2, "{sql:?}");
}

async fn explicit_time_and_utc_token(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let bob = insert_user(&t, "bob").await;
    // Sub-microsecond digits are dropped, so the stored value equals the returned one.
    let at =
        Utc.with_ymd_and_hms(2040, 2, 29, 12, 0, 0).unwrap() + Duration::nanoseconds(1_234_567);
    let outcome = user::Entity::soft_delete_by_id_at(&t.db, bob.id, at)
        .await
        .unwrap();
    assert_eq!(outcome, DeleteOutcome::Deleted);
    let stored = load_user(&t, bob.id).await.unwrap();
    let expected = soft_delete_core::truncate(at);
    assert_eq!(stored.deleted_at, Some(expected));
    assert_eq!(stored.updated_at, expected);
    // Seconds since the Unix epoch in UTC, past 2038 in an i64 column.
    assert_eq!(stored.delete_token, 2_214_129_600);
}

async fn restore_outcomes(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let ada = insert_user(&t, "ada").await;

    let (outcome, sql) = t.counted(user::Entity::restore_by_id(&t.db, ada.id)).await;
    assert_eq!(outcome.unwrap(), RestoreOutcome::NotDeleted);
    assert_eq!(sql.len(), 2, "{sql:?}");
    assert_eq!(
        load_user(&t, ada.id).await.unwrap(),
        ada,
        "restoring a live row changes nothing"
    );

    user::Entity::soft_delete_by_id(&t.db, ada.id)
        .await
        .unwrap();
    let later = Utc::now() + Duration::hours(1);
    let (outcome, sql) = t
        .counted(user::Entity::restore_by_id_at(&t.db, ada.id, later))
        .await;
    assert_eq!(outcome.unwrap(), RestoreOutcome::Restored);
    assert_eq!(sql.len(), 1, "{sql:?}");
    let stored = load_user(&t, ada.id).await.unwrap();
    assert_eq!(stored.deleted_at, None);
    assert_eq!(
        stored.delete_token, 0,
        "the token is back to its live value"
    );
    assert_eq!(stored.updated_at, soft_delete_core::truncate(later));

    let (outcome, sql) = t.counted(user::Entity::restore_by_id(&t.db, 404)).await;
    assert_eq!(outcome.unwrap(), RestoreOutcome::NotFound);
    assert_eq!(sql.len(), 2, "{sql:?}");
}

async fn force_delete(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let live = insert_user(&t, "live").await;
    let gone = insert_user(&t, "gone").await;
    user::Entity::soft_delete_by_id(&t.db, gone.id)
        .await
        .unwrap();

    let (removed, sql) = t
        .counted(user::Entity::force_delete_by_id(&t.db, live.id))
        .await;
    assert!(removed.unwrap(), "a live row is removed");
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(sql[0].starts_with("DELETE"), "{sql:?}");
    assert!(
        user::Entity::force_delete_by_id(&t.db, gone.id)
            .await
            .unwrap(),
        "a deleted row too"
    );
    assert!(
        !user::Entity::force_delete_by_id(&t.db, gone.id)
            .await
            .unwrap()
    );
    assert_eq!(user::Entity::find().all(&t.db).await.unwrap(), vec![]);
}

async fn free_functions(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let ada = insert_user(&t, "ada").await;
    let outcome = soft_delete_core::soft_delete_by_id::<user::Entity, _>(&t.db, ada.id).await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::Deleted);
    let outcome = soft_delete_core::restore_by_id::<user::Entity, _>(&t.db, ada.id).await;
    assert_eq!(outcome.unwrap(), RestoreOutcome::Restored);
    let removed = soft_delete_core::force_delete_by_id::<user::Entity, _>(&t.db, ada.id).await;
    assert!(removed.unwrap());
}

async fn composite_key(t: TestDb) {
    t.create(composite::Entity).await.unwrap();
    for (tenant_id, id) in [(1, 1), (1, 2), (2, 1)] {
        composite::ActiveModel {
            tenant_id: Set(tenant_id),
            id: Set(id),
            role: Set("member".into()),
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
    }
    let (outcome, sql) = t
        .counted(composite::Entity::soft_delete_by_id(&t.db, (1, 2)))
        .await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::Deleted);
    assert_eq!(sql.len(), 1);
    let live: Vec<(i32, i32)> = composite::Entity::find_live()
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.tenant_id, m.id))
        .collect();
    assert_eq!(
        live,
        vec![(1, 1), (2, 1)],
        "only the row with both key parts is deleted"
    );
    assert_eq!(
        composite::Entity::soft_delete_by_id(&t.db, (2, 2))
            .await
            .unwrap(),
        DeleteOutcome::NotFound
    );
    assert_eq!(
        composite::Entity::restore_by_id(&t.db, (1, 2))
            .await
            .unwrap(),
        RestoreOutcome::Restored
    );
    assert!(
        composite::Entity::force_delete_by_id(&t.db, (2, 1))
            .await
            .unwrap()
    );
    assert!(
        composite::Entity::find_live_by_id((1, 2))
            .one(&t.db)
            .await
            .unwrap()
            .is_some()
    );
}

async fn uuid_key(t: TestDb) {
    t.create(item::Entity).await.unwrap();
    let id = uuid::Uuid::new_v4();
    item::ActiveModel {
        id: Set(id),
        sku: Set("A-1".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(
        item::Entity::soft_delete_by_id(&t.db, id).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert!(
        item::Entity::find_live_by_id(id)
            .one(&t.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        item::Entity::soft_delete_by_id(&t.db, uuid::Uuid::new_v4())
            .await
            .unwrap(),
        DeleteOutcome::NotFound
    );
    assert_eq!(
        item::Entity::restore_by_id(&t.db, id).await.unwrap(),
        RestoreOutcome::Restored
    );
    assert!(
        item::Entity::find_live_by_id(id)
            .one(&t.db)
            .await
            .unwrap()
            .is_some()
    );
}

async fn composite_key_through_the_model(t: TestDb) {
    t.create(composite::Entity).await.unwrap();
    // Every row shares one key part with (1, 2), so a condition on one part would show.
    for (tenant_id, id) in [(1, 1), (1, 2), (2, 1), (2, 2)] {
        composite::ActiveModel {
            tenant_id: Set(tenant_id),
            id: Set(id),
            role: Set("member".into()),
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
    }
    let all = || composite::Entity::find().all(&t.db);
    let load = || async {
        composite::Entity::find_by_id((1, 2))
            .one(&t.db)
            .await
            .unwrap()
            .expect("row exists")
    };
    let before = all().await.unwrap();
    let others = |rows: Vec<composite::Model>| -> Vec<composite::Model> {
        rows.into_iter()
            .filter(|m| (m.tenant_id, m.id) != (1, 2))
            .collect()
    };

    let deleted = load().await.soft_delete(&t.db).await.unwrap();
    assert!(deleted.is_deleted());
    assert_eq!(
        deleted.delete_token,
        deleted.deleted_at.unwrap().timestamp()
    );
    assert_eq!(deleted, load().await, "returned as stored");
    assert_eq!(others(all().await.unwrap()), others(before.clone()));

    let restored = deleted.restore(&t.db).await.unwrap();
    assert!(!restored.is_deleted());
    assert_eq!(restored.delete_token, 0);
    assert_eq!(restored, load().await, "returned as stored");
    assert_eq!(others(all().await.unwrap()), others(before));
}

async fn uuid_key_through_the_model(t: TestDb) {
    t.create(item::Entity).await.unwrap();
    let mut rows = Vec::new();
    for sku in ["A-1", "B-2"] {
        let row = item::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            sku: Set(sku.into()),
            ..Default::default()
        };
        rows.push(row.insert(&t.db).await.unwrap());
    }
    let (row, other) = (rows[0].clone(), rows[1].clone());
    let db = &t.db;
    let load = move |id| async move { item::Entity::find_by_id(id).one(db).await.unwrap() };

    let deleted = row.soft_delete(&t.db).await.unwrap();
    assert!(deleted.is_deleted());
    assert_eq!(
        Some(&deleted),
        load(row.id).await.as_ref(),
        "returned as stored"
    );
    let restored = deleted.restore(&t.db).await.unwrap();
    assert!(!restored.is_deleted());
    assert_eq!(
        Some(&restored),
        load(row.id).await.as_ref(),
        "returned as stored"
    );
    assert_eq!(
        load(other.id).await,
        Some(other.clone()),
        "the other row untouched"
    );

    let (removed, sql) = t
        .counted(item::Entity::force_delete_by_id(&t.db, row.id))
        .await;
    assert!(removed.unwrap(), "removed once");
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(
        !item::Entity::force_delete_by_id(&t.db, row.id)
            .await
            .unwrap()
    );
    assert_eq!(load(row.id).await, None);
    assert_eq!(item::Entity::find().all(&t.db).await.unwrap(), vec![other]);
}

backend_tests!(
    soft_delete_outcomes,
    explicit_time_and_utc_token,
    restore_outcomes,
    force_delete,
    free_functions,
    composite_key,
    uuid_key,
    composite_key_through_the_model,
    uuid_key_through_the_model,
);
