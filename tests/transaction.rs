//! Every helper works inside a transaction, and a rollback undoes it.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, TransactionTrait};
use soft_delete_core::prelude::*;
use support::{TestDb, backend_tests, entities::user};

async fn seed(t: &TestDb) -> Vec<user::Model> {
    t.create(user::Entity).await.unwrap();
    let mut out = Vec::new();
    for name in ["a", "b", "c"] {
        let m = user::ActiveModel {
            name: Set(name.into()),
            ..Default::default()
        };
        out.push(m.insert(&t.db).await.unwrap());
    }
    out
}

async fn rollback_undoes_every_helper(t: TestDb) {
    let users = seed(&t).await;
    let before = user::Entity::find().all(&t.db).await.unwrap();
    user::Entity::soft_delete_by_id(&t.db, users[2].id)
        .await
        .unwrap();
    let before_txn = user::Entity::find().all(&t.db).await.unwrap();
    assert_ne!(before, before_txn);

    let txn = t.db.begin().await.unwrap();
    assert_eq!(
        user::Entity::soft_delete_by_id(&txn, users[0].id)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        user::Entity::restore_by_id(&txn, users[2].id)
            .await
            .unwrap(),
        RestoreOutcome::Restored
    );
    assert_eq!(
        user::Entity::soft_delete_many(&txn, user::Column::Name.eq("b"))
            .await
            .unwrap(),
        1
    );
    assert!(
        user::Entity::force_delete_by_id(&txn, users[1].id)
            .await
            .unwrap()
    );
    let m = users[0].clone();
    assert!(m.restore(&txn).await.unwrap().deleted_at.is_none());
    assert!(user::Entity::find_live().all(&txn).await.unwrap().len() == 2);
    txn.rollback().await.unwrap();

    assert_eq!(
        user::Entity::find().all(&t.db).await.unwrap(),
        before_txn,
        "nothing changed"
    );
}

async fn commit_keeps_the_changes(t: TestDb) {
    let users = seed(&t).await;
    let txn = t.db.begin().await.unwrap();
    soft_delete_core::soft_delete_by_id::<user::Entity, _>(&txn, users[0].id)
        .await
        .unwrap();
    soft_delete_core::soft_delete_many::<user::Entity, _>(&txn, user::Column::Name.eq("b"))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let live: Vec<String> = user::Entity::find_live()
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(live, ["c"]);
}

backend_tests!(rollback_undoes_every_helper, commit_keeps_the_changes);
