//! What `model.soft_delete(db)` / `model.restore(db)` return is exactly what a fresh `SELECT`
//! reads back, on every backend, for UTC, fixed-offset and naive timestamp columns: same
//! instant, same offset, same microseconds. And how many statements each takes per backend.

use std::fmt::Debug;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, PrimaryKeyTrait};
use soft_delete_core::prelude::*;
use support::{
    Backend, TestDb, backend_tests,
    entities::{event, note, user},
};

/// The mixin values of a row, as UTC instants and an optional token.
#[derive(Debug, PartialEq)]
struct Stamps {
    deleted_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    token: Option<i64>,
}

/// How to read one entity's mixin values, and what its token holds.
struct Shape<M> {
    stamps: fn(&M) -> Stamps,
    deleted_token: fn(DateTime<Utc>) -> Option<i64>,
    live_token: Option<i64>,
}

/// Instants that probe precision and range: nanoseconds (truncated to microseconds), the
/// last microsecond of a second, a leap day after 2038, a date before 2000.
fn instants() -> Vec<DateTime<Utc>> {
    let at = |y, mo, d, h, mi, s| Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap();
    vec![
        at(2030, 7, 8, 9, 10, 11) + Duration::nanoseconds(123_456_789),
        at(2029, 12, 31, 23, 59, 59) + Duration::nanoseconds(999_999_999),
        at(2040, 2, 29, 0, 0, 0) + Duration::microseconds(1),
        at(1999, 1, 1, 0, 0, 0),
    ]
}

/// Whether model calls use `UPDATE … RETURNING`, pinned per backend so that losing
/// `RETURNING` fails the tests.
fn returns_rows(t: &TestDb) -> bool {
    match t.backend {
        Backend::SqliteMemory | Backend::SqliteFile | Backend::Postgres => true,
        Backend::MySql => false,
    }
}

/// Statements a model call takes: one `UPDATE … RETURNING` where the backend returns rows
/// (one more `SELECT` when the row was already in the target state), an `UPDATE` and a
/// `SELECT` otherwise.
fn expected_statements(t: &TestDb, changed: bool) -> usize {
    match (returns_rows(t), changed) {
        (true, true) => 1,
        (true, false) => 2,
        (false, _) => 2,
    }
}

fn assert_statements(t: &TestDb, sql: &[String], changed: bool) {
    assert_eq!(sql.len(), expected_statements(t, changed), "{sql:?}");
    assert!(sql[0].starts_with("UPDATE"), "{sql:?}");
    assert_eq!(sql[0].contains("RETURNING"), returns_rows(t), "{sql:?}");
    if sql.len() == 2 {
        assert!(sql[1].starts_with("SELECT"), "{sql:?}");
    }
}

async fn stored<E>(t: &TestDb, id: i32) -> E::Model
where
    E: SoftDelete,
    E::PrimaryKey: PrimaryKeyTrait<ValueType = i32>,
{
    E::find_by_id(id)
        .one(&t.db)
        .await
        .unwrap()
        .expect("row exists")
}

/// Exact equality, offsets included (`DateTime<FixedOffset>`'s `==` compares instants only).
fn assert_same<M: Debug + PartialEq>(returned: &M, stored: &M) {
    assert_eq!(returned, stored);
    assert_eq!(format!("{returned:?}"), format!("{stored:?}"));
}

async fn returned_equals_stored<E>(t: &TestDb, inserted: E::Model, id: i32, shape: Shape<E::Model>)
where
    E: SoftDelete,
    E::PrimaryKey: PrimaryKeyTrait<ValueType = i32>,
    E::Model: SoftDeleteModel + Debug + PartialEq + Clone,
{
    assert_same(&inserted, &stored::<E>(t, id).await);
    let mut row = inserted;
    for at in instants() {
        let want = soft_delete_core::truncate(at);

        let (deleted, sql) = t.counted(row.soft_delete_at(&t.db, at)).await;
        let deleted = deleted.unwrap();
        assert_statements(t, &sql, true);
        assert_same(&deleted, &stored::<E>(t, id).await);
        let stamps = Stamps {
            deleted_at: Some(want),
            updated_at: want,
            token: (shape.deleted_token)(want),
        };
        assert_eq!((shape.stamps)(&deleted), stamps, "deleted at {at}");

        // Already deleted: returned as stored, unchanged.
        let (again, sql) = t
            .counted(deleted.soft_delete_at(&t.db, at + Duration::days(1)))
            .await;
        assert_statements(t, &sql, false);
        assert_same(&again.unwrap(), &deleted);

        let back = want + Duration::microseconds(7);
        let (restored, sql) = t.counted(deleted.restore_at(&t.db, back)).await;
        let restored = restored.unwrap();
        assert_statements(t, &sql, true);
        assert_same(&restored, &stored::<E>(t, id).await);
        let stamps = Stamps {
            deleted_at: None,
            updated_at: back,
            token: shape.live_token,
        };
        assert_eq!((shape.stamps)(&restored), stamps, "restored at {back}");

        let (again, sql) = t.counted(restored.restore_at(&t.db, at)).await;
        assert_statements(t, &sql, false);
        assert_same(&again.unwrap(), &restored);
        row = restored;
    }

    // From the clock: what comes back is what is stored, within the call's time.
    let before = soft_delete_core::now();
    let deleted = row.soft_delete(&t.db).await.unwrap();
    let after = soft_delete_core::now();
    assert_same(&deleted, &stored::<E>(t, id).await);
    let stamped = (shape.stamps)(&deleted);
    assert!(
        stamped
            .deleted_at
            .is_some_and(|d| before <= d && d <= after),
        "{stamped:?}"
    );
    assert_eq!(stamped.token, (shape.deleted_token)(stamped.updated_at));
    let restored = deleted.restore(&t.db).await.unwrap();
    assert_same(&restored, &stored::<E>(t, id).await);
    assert!((shape.stamps)(&restored).updated_at >= stamped.updated_at);
}

async fn utc_columns(t: TestDb) {
    t.create(user::Entity).await.unwrap();
    let row = user::ActiveModel {
        name: Set("ada".into()),
        ..Default::default()
    };
    let row = row.insert(&t.db).await.unwrap();
    let id = row.id;
    let shape = Shape {
        stamps: |m: &user::Model| Stamps {
            deleted_at: m.deleted_at,
            updated_at: m.updated_at,
            token: Some(m.delete_token),
        },
        deleted_token: |at| Some(at.timestamp()),
        live_token: Some(0),
    };
    returned_equals_stored::<user::Entity>(&t, row, id, shape).await;
}

async fn fixed_offset_columns(t: TestDb) {
    t.create(event::Entity).await.unwrap();
    let row = event::ActiveModel {
        kind: Set("launch".into()),
        ..Default::default()
    };
    let row = row.insert(&t.db).await.unwrap();
    let id = row.id;
    let shape = Shape {
        stamps: |m: &event::Model| Stamps {
            deleted_at: m.deleted_at.map(|d| d.to_utc()),
            updated_at: m.updated_at.expect("updated_at stamped").to_utc(),
            token: m.delete_token,
        },
        deleted_token: |at| Some(at.timestamp_millis()),
        live_token: None,
    };
    returned_equals_stored::<event::Entity>(&t, row.clone(), id, shape).await;
    // Every kind is written as UTC, so the offset read back is +00:00 on every backend.
    let row = stored::<event::Entity>(&t, id).await;
    let deleted = row.soft_delete(&t.db).await.unwrap();
    assert_eq!(
        deleted.deleted_at.map(|d| d.offset().local_minus_utc()),
        Some(0)
    );
}

async fn naive_columns(t: TestDb) {
    t.create(note::Entity).await.unwrap();
    let row = note::ActiveModel {
        body: Set("remember".into()),
        ..Default::default()
    };
    let row = row.insert(&t.db).await.unwrap();
    let id = row.id;
    let shape = Shape {
        stamps: |m: &note::Model| Stamps {
            deleted_at: m.deleted_at.map(|d| d.and_utc()),
            updated_at: m.updated_at.and_utc(),
            token: None,
        },
        deleted_token: |_| None,
        live_token: None,
    };
    returned_equals_stored::<note::Entity>(&t, row, id, shape).await;
    // The naive column holds the UTC wall clock.
    let row = stored::<note::Entity>(&t, id).await;
    let at = Utc.with_ymd_and_hms(2031, 1, 2, 3, 4, 5).unwrap();
    let deleted = row.soft_delete_at(&t.db, at).await.unwrap();
    let wall = NaiveDate::from_ymd_opt(2031, 1, 2)
        .unwrap()
        .and_hms_opt(3, 4, 5)
        .unwrap();
    assert_eq!(deleted.deleted_at, Some(wall));
}

backend_tests!(utc_columns, fixed_offset_columns, naive_columns);
