//! The derive on SeaORM 2's three entity formats: classic, `#[sea_orm::model]` and
//! `#[sea_orm::compact_model]`.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, ModelTrait};
use soft_delete_core::prelude::*;
use support::{
    TestDb, backend_tests,
    entities::{compact_format, model_format},
};

async fn model_format_entity(t: TestDb) {
    t.create(model_format::Entity).await.unwrap();
    let a = model_format::ActiveModel {
        title: Set("hello".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(a.delete_token, 0);
    assert_eq!(
        model_format::Entity::soft_delete_by_id(&t.db, a.id)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let stored = model_format::Entity::find_by_id(a.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.is_deleted());
    assert!(stored.delete_token > 0);
    assert!(
        a.clone().delete(&t.db).await.is_err(),
        "the guard is generated once, on Model"
    );
    let restored = stored.restore(&t.db).await.unwrap();
    assert!(!restored.is_deleted());
}

async fn compact_format_entity(t: TestDb) {
    t.create(compact_format::Entity).await.unwrap();
    let c = compact_format::ActiveModel {
        body: Set("first".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    let deleted = c.soft_delete(&t.db).await.unwrap();
    assert!(deleted.is_deleted());
    assert!(
        compact_format::Entity::find_live()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        compact_format::Entity::find_deleted()
            .all(&t.db)
            .await
            .unwrap(),
        vec![deleted]
    );
}

backend_tests!(model_format_entity, compact_format_entity);
