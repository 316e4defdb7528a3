//! `purge_deleted_before_in_batches`: rows removed, progress reports, statements per batch,
//! and that live or recently deleted rows stay.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use soft_delete_core::{PurgeProgress, prelude::*};
use support::{
    TestDb, backend_tests,
    entities::{composite, user},
};

/// Inserts `live + old + recent` users; deletes `old` of them two days before `now` and
/// `recent` of them one hour before. Returns the cutoff (one day before `now`) that separates
/// the two groups.
async fn seed_users(t: &TestDb, live: usize, old: usize, recent: usize) -> DateTime<Utc> {
    t.create(user::Entity).await.unwrap();
    let now = soft_delete_core::now();
    for n in 0..live + old + recent {
        let user = user::ActiveModel {
            name: Set(format!("user {n}")),
            ..Default::default()
        };
        let user = user.insert(&t.db).await.unwrap();
        let at = if n < old {
            now - Duration::days(2)
        } else if n < old + recent {
            now - Duration::hours(1)
        } else {
            continue;
        };
        user::Entity::soft_delete_by_id_at(&t.db, user.id, at)
            .await
            .unwrap();
    }
    now - Duration::days(1)
}

async fn counts(t: &TestDb) -> (u64, u64) {
    let live = user::Entity::find_live().count(&t.db).await.unwrap();
    let deleted = user::Entity::find_deleted().count(&t.db).await.unwrap();
    (live, deleted)
}

async fn removes_in_batches_and_reports_each(t: TestDb) {
    let cutoff = seed_users(&t, 5, 12, 3).await;
    let mut seen = Vec::new();
    let (removed, sql) = t
        .counted(user::Entity::purge_deleted_before_in_batches(
            &t.db,
            cutoff,
            5,
            |p| seen.push(p),
        ))
        .await;
    assert_eq!(removed.unwrap(), 12);
    let expected = [(1, 5, 5), (2, 5, 10), (3, 2, 12)].map(|(batch, removed_in_batch, removed)| {
        PurgeProgress {
            batch,
            removed_in_batch,
            removed,
        }
    });
    assert_eq!(seen, expected);
    // Two statements per batch; the last batch was not full, so no closing SELECT.
    assert_eq!(sql.len(), 6, "{sql:?}");
    for pair in sql.chunks(2) {
        assert!(pair[0].starts_with("SELECT"), "{sql:?}");
        assert!(pair[1].starts_with("DELETE"), "{sql:?}");
    }
    assert_eq!(
        counts(&t).await,
        (5, 3),
        "live and recently deleted rows stay"
    );
}

async fn full_last_batch_needs_one_more_select(t: TestDb) {
    let cutoff = seed_users(&t, 2, 10, 0).await;
    let mut calls = 0;
    let (removed, sql) = t
        .counted(user::Entity::purge_deleted_before_in_batches(
            &t.db,
            cutoff,
            5,
            |_| calls += 1,
        ))
        .await;
    assert_eq!(removed.unwrap(), 10);
    assert_eq!(calls, 2);
    assert_eq!(sql.len(), 5, "{sql:?}");
    assert!(sql[4].starts_with("SELECT"), "{sql:?}");
    assert_eq!(counts(&t).await, (2, 0));
}

async fn nothing_to_purge_is_one_select(t: TestDb) {
    let cutoff = seed_users(&t, 4, 0, 2).await;
    let mut calls = 0;
    let (removed, sql) = t
        .counted(user::Entity::purge_deleted_before_in_batches(
            &t.db,
            cutoff,
            100,
            |_| calls += 1,
        ))
        .await;
    assert_eq!(removed.unwrap(), 0);
    assert_eq!(calls, 0);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert_eq!(counts(&t).await, (4, 2));
}

async fn never_removes_live_rows(t: TestDb) {
    seed_users(&t, 7, 3, 3).await;
    let future = Utc::now() + Duration::days(365);
    let removed = user::Entity::purge_deleted_before_in_batches(&t.db, future, 2, |_| {})
        .await
        .unwrap();
    assert_eq!(removed, 6);
    assert_eq!(counts(&t).await, (7, 0));
    let names: Vec<String> = user::Entity::find()
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names.len(), 7);
    assert!(names.iter().all(|n| n.starts_with("user ")), "{names:?}");
}

async fn batch_size_zero_is_an_error(t: TestDb) {
    let cutoff = seed_users(&t, 1, 2, 0).await;
    let (result, sql) = t
        .counted(user::Entity::purge_deleted_before_in_batches(
            &t.db,
            cutoff,
            0,
            |_| {},
        ))
        .await;
    let err = result.unwrap_err().to_string();
    assert!(err.contains("batch size of 0"), "{err}");
    assert!(sql.is_empty(), "{sql:?}");
    assert_eq!(counts(&t).await, (1, 2));
}

async fn same_rows_as_the_single_statement(t: TestDb) {
    let cutoff = seed_users(&t, 3, 9, 4).await;
    let batched = soft_delete_core::purge_deleted_before_in_batches::<user::Entity, _, _>(
        &t.db,
        cutoff,
        4,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(batched, 9);
    // Nothing older than the cutoff is left for the one-statement purge to find.
    assert_eq!(
        user::Entity::purge_deleted_before(&t.db, cutoff)
            .await
            .unwrap(),
        0
    );
    let stale = user::Entity::find_deleted()
        .filter(user::Column::DeletedAt.lt(cutoff))
        .count(&t.db)
        .await
        .unwrap();
    assert_eq!(stale, 0);
    assert_eq!(counts(&t).await, (3, 4));
}

async fn composite_keys_in_batches(t: TestDb) {
    t.create(composite::Entity).await.unwrap();
    let now = soft_delete_core::now();
    for tenant in 1..=3 {
        for id in 1..=4 {
            composite::ActiveModel {
                tenant_id: Set(tenant),
                id: Set(id),
                role: Set("member".to_owned()),
                ..Default::default()
            }
            .insert(&t.db)
            .await
            .unwrap();
        }
    }
    // Tenant 1 and 2 rows with an even id are old deletions; tenant 3 row 1 a recent one.
    let old = Condition::all()
        .add(composite::Column::Id.is_in([2, 4]))
        .add(composite::Column::TenantId.lte(2));
    let n = composite::Entity::soft_delete_many_at(&t.db, old, now - Duration::days(2)).await;
    assert_eq!(n.unwrap(), 4);
    composite::Entity::soft_delete_by_id_at(&t.db, (3, 1), now)
        .await
        .unwrap();

    let mut seen = Vec::new();
    let (removed, sql) = t
        .counted(composite::Entity::purge_deleted_before_in_batches(
            &t.db,
            now - Duration::days(1),
            3,
            |p| seen.push(p.removed_in_batch),
        ))
        .await;
    assert_eq!(removed.unwrap(), 4);
    assert_eq!(seen, [3, 1]);
    assert_eq!(sql.len(), 4, "{sql:?}");
    let mut left: Vec<(i32, i32)> = composite::Entity::find()
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.tenant_id, m.id))
        .collect();
    left.sort_unstable();
    assert_eq!(
        left,
        [
            (1, 1),
            (1, 3),
            (2, 1),
            (2, 3),
            (3, 1),
            (3, 2),
            (3, 3),
            (3, 4)
        ]
    );
}

/// Deletions and cutoffs after 2038: MySQL turns a zoned parameter past 2038-01-19 into
/// `NULL`, which would make both purges find nothing.
async fn cutoffs_after_2038(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let at = |year| Utc.with_ymd_and_hms(year, 6, 1, 12, 0, 0).unwrap();
    let mut ids = Vec::new();
    for n in 0..6 {
        let user = user::ActiveModel {
            name: Set(format!("user {n}")),
            ..Default::default()
        };
        ids.push(user.insert(&t.db).await.unwrap().id);
    }
    for (id, year) in ids.iter().zip([2040, 2040, 2040, 2040, 2050, 2050]) {
        user::Entity::soft_delete_by_id_at(&t.db, *id, at(year))
            .await
            .unwrap();
    }
    let batched = user::Entity::purge_deleted_before_in_batches(&t.db, at(2041), 3, |_| {}).await;
    assert_eq!(batched.unwrap(), 4);
    assert_eq!(counts(&t).await, (0, 2));
    let single = user::Entity::purge_deleted_before(&t.db, at(2051)).await;
    assert_eq!(single.unwrap(), 2);
    assert_eq!(counts(&t).await, (0, 0));
}

backend_tests!(
    removes_in_batches_and_reports_each,
    full_last_batch_needs_one_more_select,
    nothing_to_purge_is_one_select,
    never_removes_live_rows,
    batch_size_zero_is_an_error,
    same_rows_as_the_single_statement,
    composite_keys_in_batches,
    cutoffs_after_2038,
);
