//! Every helper works inside a transaction, and a rollback undoes it.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryOrder, TransactionTrait,
};
use soft_delete_core::{PurgeProgress, prelude::*};
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

fn at(y: i32, mo: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, 12, 0, 0).unwrap() + Duration::microseconds(123_456)
}

/// The time every `_at` call in [`every_helper`] passes.
fn when() -> DateTime<Utc> {
    at(2033, 3, 3)
}

async fn all_users<C: ConnectionTrait>(db: &C) -> Vec<user::Model> {
    user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// Users 1..=15: 2 deleted in 2010 and 3 in 2015 (to purge), 4, 5, 6, 13, 14 and 15 deleted
/// in 2020 (to restore), the rest live.
async fn seed_for_every_helper(t: &TestDb) -> Vec<user::Model> {
    t.create(user::Entity).await.unwrap();
    for i in 1..=15 {
        user::ActiveModel {
            name: Set(format!("u{i}")),
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
    }
    for (id, year) in [(2, 2010), (3, 2015), (4, 2020), (5, 2020), (6, 2020)] {
        user::Entity::soft_delete_by_id_at(&t.db, id, at(year, 1, 1))
            .await
            .unwrap();
    }
    user::Entity::soft_delete_many_at(&t.db, user::Column::Id.is_in([13, 14, 15]), at(2020, 1, 1))
        .await
        .unwrap();
    all_users(&t.db).await
}

/// Runs every writing helper once inside `txn`, each on its own row, and checks what the
/// transaction itself sees afterwards.
async fn every_helper(txn: &DatabaseTransaction, before: &[user::Model]) {
    let row = |id: i32| before[id as usize - 1].clone();
    assert_eq!(
        user::Entity::soft_delete_by_id(txn, 1).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        user::Entity::soft_delete_by_id_at(txn, 7, when())
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        user::Entity::restore_by_id(txn, 4).await.unwrap(),
        RestoreOutcome::Restored
    );
    assert_eq!(
        user::Entity::restore_by_id_at(txn, 5, when())
            .await
            .unwrap(),
        RestoreOutcome::Restored
    );
    assert!(user::Entity::force_delete_by_id(txn, 12).await.unwrap());
    assert_eq!(
        user::Entity::soft_delete_many(txn, user::Column::Id.eq(8))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        user::Entity::soft_delete_many_at(txn, user::Column::Id.eq(9), when())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        user::Entity::restore_many(txn, user::Column::Id.eq(6))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        user::Entity::restore_many_at(txn, user::Column::Id.eq(13), when())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        user::Entity::purge_deleted_before(txn, at(2012, 1, 1))
            .await
            .unwrap(),
        1
    );
    let mut batches = Vec::new();
    let purged =
        user::Entity::purge_deleted_before_in_batches(txn, at(2016, 1, 1), 1, |p| batches.push(p))
            .await
            .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(
        batches,
        [PurgeProgress {
            batch: 1,
            removed_in_batch: 1,
            removed: 1
        }]
    );
    assert!(row(10).soft_delete(txn).await.unwrap().is_deleted());
    assert!(
        row(11)
            .soft_delete_at(txn, when())
            .await
            .unwrap()
            .is_deleted()
    );
    assert!(!row(14).restore(txn).await.unwrap().is_deleted());
    assert!(!row(15).restore_at(txn, when()).await.unwrap().is_deleted());

    let seen = all_users(txn).await;
    let ids = |deleted: bool| -> Vec<i32> {
        seen.iter()
            .filter(|m| m.is_deleted() == deleted)
            .map(|m| m.id)
            .collect()
    };
    assert_eq!(
        ids(false),
        [4, 5, 6, 13, 14, 15],
        "live inside the transaction"
    );
    assert_eq!(
        ids(true),
        [1, 7, 8, 9, 10, 11],
        "deleted inside the transaction"
    );
}

async fn rollback_undoes_every_helper(t: TestDb) {
    let before = seed_for_every_helper(&t).await;
    let txn = t.db.begin().await.unwrap();
    every_helper(&txn, &before).await;
    txn.rollback().await.unwrap();
    assert_eq!(all_users(&t.db).await, before, "every row as before");
}

async fn commit_keeps_every_helper(t: TestDb) {
    let before = seed_for_every_helper(&t).await;
    let txn = t.db.begin().await.unwrap();
    every_helper(&txn, &before).await;
    let seen = all_users(&txn).await;
    txn.commit().await.unwrap();
    let after = all_users(&t.db).await;
    assert_eq!(after, seen, "what the transaction saw is what is stored");

    let stamp = soft_delete_core::truncate(when());
    for m in &after {
        let old = &before[m.id as usize - 1];
        assert_eq!((&m.name, m.created_at), (&old.name, old.created_at));
        if [7, 9, 11].contains(&m.id) {
            let stamps = (m.deleted_at, m.updated_at, m.delete_token);
            assert_eq!(stamps, (Some(stamp), stamp, stamp.timestamp()), "{m:?}");
        } else if [5, 13, 15].contains(&m.id) {
            let stamps = (m.deleted_at, m.updated_at, m.delete_token);
            assert_eq!(stamps, (None, stamp, 0), "{m:?}");
        } else if [1, 8, 10].contains(&m.id) {
            assert!(m.deleted_at.is_some_and(|d| d > old.updated_at), "{m:?}");
            assert_eq!(m.delete_token, m.deleted_at.unwrap().timestamp());
        } else {
            // 4, 6 and 14, restored from the clock.
            assert_eq!((m.deleted_at, m.delete_token), (None, 0), "{m:?}");
            assert!(m.updated_at > old.updated_at, "{m:?}");
        }
    }
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

backend_tests!(
    rollback_undoes_every_helper,
    commit_keeps_every_helper,
    commit_keeps_the_changes
);
