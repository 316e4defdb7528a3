//! `find_live`, `find_deleted`, `find_live_by_id` and `.live()` / `.deleted()` on any select.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, ModelTrait, QueryOrder};
use soft_delete_core::prelude::*;
use support::{
    TestDb, backend_tests,
    entities::{post, user},
};

async fn live_and_deleted_selects(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let mut ids = Vec::new();
    for name in ["a", "b", "c"] {
        let m = user::ActiveModel {
            name: Set(name.into()),
            ..Default::default()
        };
        ids.push(m.insert(&t.db).await.unwrap().id);
    }
    user::Entity::soft_delete_by_id(&t.db, ids[1])
        .await
        .unwrap();

    let (live, sql) = t
        .counted(
            user::Entity::find_live()
                .order_by_asc(user::Column::Id)
                .all(&t.db),
        )
        .await;
    assert_eq!(
        live.unwrap()
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["a", "c"]
    );
    assert_eq!(sql.len(), 1);
    assert!(sql[0].contains("IS NULL"), "{sql:?}");

    let (deleted, sql) = t.counted(user::Entity::find_deleted().all(&t.db)).await;
    let deleted = deleted.unwrap();
    assert_eq!(deleted.iter().map(|m| m.id).collect::<Vec<_>>(), [ids[1]]);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(
        sql[0].starts_with("SELECT") && sql[0].contains("IS NOT NULL"),
        "{sql:?}"
    );
    assert!(deleted[0].is_deleted());

    let (one, sql) = t
        .counted(user::Entity::find_live_by_id(ids[1]).one(&t.db))
        .await;
    assert_eq!(one.unwrap(), None, "a deleted row is not live");
    assert_eq!(sql.len(), 1);
    assert!(
        user::Entity::find_live_by_id(ids[0])
            .one(&t.db)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        user::Entity::find().all(&t.db).await.unwrap().len(),
        3,
        "find() sees both"
    );
    assert_eq!(
        soft_delete_core::find_live::<user::Entity>()
            .all(&t.db)
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn related_rows_filter_live(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    t.create(post::Entity).await.unwrap();
    let ada = user::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    let mut post_ids = Vec::new();
    for title in ["draft", "published", "retracted"] {
        let p = post::ActiveModel {
            user_id: Set(ada.id),
            title: Set(title.into()),
            ..Default::default()
        };
        post_ids.push(p.insert(&t.db).await.unwrap().id);
    }
    post::Entity::soft_delete_by_id(&t.db, post_ids[2])
        .await
        .unwrap();

    let live = ada
        .find_related(post::Entity)
        .live()
        .order_by_asc(post::Column::Id)
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(
        live.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
        ["draft", "published"]
    );
    let gone = ada
        .find_related(post::Entity)
        .deleted()
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(
        gone.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
        ["retracted"]
    );
    // The filter is qualified by table, so it stays correct in a join.
    let joined = user::Entity::find_live()
        .find_with_related(post::Entity)
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(joined.len(), 1);
    assert_eq!(
        joined[0].1.len(),
        3,
        "find_with_related itself does not filter children"
    );
}

backend_tests!(live_and_deleted_selects, related_rows_filter_live);
