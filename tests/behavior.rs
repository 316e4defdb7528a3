//! The generated `ActiveModelBehavior`: stamping on save, the hard-delete guard, and
//! `no_behavior` with the user's own hooks.

use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, ModelTrait};
use support::{
    TestDb, backend_tests,
    entities::{hooked, removable, user},
};

async fn insert_stamps_created_updated_and_token(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let before = soft_delete_core::now();
    let m = user::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert!(m.created_at >= before);
    assert_eq!(m.created_at, m.updated_at, "one clock read on insert");
    assert_eq!(m.delete_token, 0, "a plain token is 0 while live");
    assert_eq!(
        user::Entity::find_by_id(m.id).one(&t.db).await.unwrap(),
        Some(m)
    );
}

async fn explicit_values_win(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let created = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
    let m = user::ActiveModel {
        name: Set("ada".into()),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!((m.created_at, m.updated_at), (created, created));

    // A plain update moves updated_at on and leaves created_at alone.
    let mut am = m.clone().into_active_model();
    am.name = Set("ada lovelace".into());
    let updated = am.update(&t.db).await.unwrap();
    assert_eq!(updated.created_at, created);
    assert!(updated.updated_at > created);

    // An updated_at set in this save wins over the stamp.
    let pinned = Utc.with_ymd_and_hms(2021, 6, 1, 12, 0, 0).unwrap();
    let mut am = updated.into_active_model();
    am.name = Set("countess".into());
    am.updated_at = Set(pinned);
    assert_eq!(am.update(&t.db).await.unwrap().updated_at, pinned);
}

async fn stamp_before_insert_many(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let at = Utc::now() - Duration::minutes(5);
    let rows = ["a", "b", "c"].map(|name| {
        let mut am = user::ActiveModel {
            name: Set(name.into()),
            ..Default::default()
        };
        am.stamp_at(true, at);
        am
    });
    // insert_many runs no hooks: stamp is what fills the NOT NULL mixin columns.
    user::Entity::insert_many(rows).exec(&t.db).await.unwrap();
    let all = user::Entity::find().all(&t.db).await.unwrap();
    assert_eq!(all.len(), 3);
    let at = soft_delete_core::truncate(at);
    assert!(
        all.iter()
            .all(|m| m.created_at == at && m.updated_at == at && m.delete_token == 0)
    );
}

async fn hard_delete_is_refused(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let m = user::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    let (res, sql) = t.counted(m.clone().delete(&t.db)).await;
    let err = res.expect_err("model.delete is refused");
    let msg = err.to_string();
    assert!(
        msg.contains("user_data")
            && msg.contains("soft_delete_by_id")
            && msg.contains("force_delete_by_id"),
        "{msg}"
    );
    assert!(sql.is_empty(), "nothing reaches the database: {sql:?}");
    let err = m
        .clone()
        .into_active_model()
        .delete(&t.db)
        .await
        .expect_err("active model delete");
    assert!(err.to_string().contains("allow_hard_delete"));
    assert_eq!(
        user::Entity::find_by_id(m.id).one(&t.db).await.unwrap(),
        Some(m)
    );
}

async fn allow_hard_delete_lets_it_through(t: TestDb) {
    t.create(removable::Entity).await.unwrap();
    let m = <removable::ActiveModel as Default>::default()
        .insert(&t.db)
        .await
        .unwrap();
    let res = m.clone().delete(&t.db).await.unwrap();
    assert_eq!(res.rows_affected, 1);
    assert!(
        removable::Entity::find()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn no_behavior_keeps_user_hooks(t: TestDb) {
    t.create(hooked::Entity).await.unwrap();
    let m = hooked::ActiveModel {
        title: Set("  padded  ".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(m.title, "padded", "the user's own rule ran");
    assert_eq!(m.created_at, m.updated_at, "and so did stamp");
    assert_eq!(m.delete_token, 0);
    // Without the generated behavior there is no guard either: the user's hooks decide.
    assert_eq!(m.clone().delete(&t.db).await.unwrap().rows_affected, 1);
}

backend_tests!(
    insert_stamps_created_updated_and_token,
    explicit_values_win,
    stamp_before_insert_many,
    hard_delete_is_refused,
    allow_hard_delete_lets_it_through,
    no_behavior_keeps_user_hooks,
);
