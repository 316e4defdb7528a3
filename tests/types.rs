//! Each timestamp type, each token kind and renamed fields.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait,
};
use soft_delete_core::prelude::*;
use support::{
    TestDb, backend_tests,
    entities::{event, legacy, note, renamed},
};

/// An `Option<i32>` seconds token: `NULL` while live.
mod nullable_i32 {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "nullable_i32")]
    #[soft_delete(token)]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// An `i32` millisecond token, which no time since early 1970 fits.
mod i32_millis {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "i32_millis")]
    #[soft_delete(token = "millis")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2031, 7, 14, 9, 30, 15).unwrap() + Duration::microseconds(250_123)
}

async fn naive_timestamps_are_utc(t: TestDb) {
    t.create(note::Entity).await.unwrap();
    let n = note::ActiveModel {
        body: Set("hi".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert!(
        n.created_at.is_some(),
        "an optional created_at is filled on insert"
    );
    note::Entity::soft_delete_by_id_at(&t.db, n.id, at())
        .await
        .unwrap();
    let stored = note::Entity::find_by_id(n.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.deleted_at,
        Some(at().naive_utc()),
        "UTC wall clock, not local time"
    );
    assert_eq!(stored.updated_at, at().naive_utc());
    let cutoff = at() + Duration::seconds(1);
    assert_eq!(
        note::Entity::purge_deleted_before(&t.db, cutoff)
            .await
            .unwrap(),
        1
    );
}

async fn fixed_offset_with_nullable_millis_token(t: TestDb) {
    t.create(event::Entity).await.unwrap();
    let e = event::ActiveModel {
        kind: Set("signup".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(e.delete_token, None, "an Option token is NULL while live");
    assert!(e.updated_at.is_some());

    event::Entity::soft_delete_by_id_at(&t.db, e.id, at())
        .await
        .unwrap();
    let stored = event::Entity::find_by_id(e.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.deleted_at.map(|d| d.to_utc()), Some(at()));
    assert_eq!(stored.delete_token, Some(at().timestamp_millis()));

    event::Entity::restore_by_id(&t.db, e.id).await.unwrap();
    let stored = event::Entity::find_by_id(e.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.deleted_at, stored.delete_token), (None, None));
}

async fn i32_seconds_token_refuses_2038(t: TestDb) {
    t.create(legacy::Entity).await.unwrap();
    let a = legacy::ActiveModel::new().insert(&t.db).await.unwrap();
    assert_eq!(a.deleted_at_token, 0);

    let last = Utc.timestamp_opt(i32::MAX as i64, 0).unwrap();
    assert_eq!(
        legacy::Entity::soft_delete_by_id_at(&t.db, a.id, last)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let stored = legacy::Entity::find_by_id(a.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.deleted_at_token, i32::MAX);

    let b = legacy::ActiveModel::new().insert(&t.db).await.unwrap();
    let (res, sql) = t
        .counted(legacy::Entity::soft_delete_by_id_at(
            &t.db,
            b.id,
            last + Duration::seconds(1),
        ))
        .await;
    let err = res.expect_err("seconds after 2038-01-19 do not fit i32");
    assert!(
        err.to_string().contains("does not fit its i32 column"),
        "{err}"
    );
    assert!(
        sql.is_empty(),
        "refused before reaching the database: {sql:?}"
    );
    assert_eq!(
        legacy::Entity::find_by_id(b.id).one(&t.db).await.unwrap(),
        Some(b.clone())
    );
    let err = legacy::Entity::soft_delete_many_at(
        &t.db,
        legacy::Column::Id.eq(b.id),
        last + Duration::days(1),
    )
    .await
    .expect_err("bulk too");
    assert!(err.to_string().contains("i32"), "{err}");
}

async fn renamed_fields_with_micros_token(t: TestDb) {
    t.create(renamed::Entity).await.unwrap();
    let r = renamed::ActiveModel {
        deleted_at: Set(Some("not a mixin column".into())),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(r.inserted_on, r.touched_on);
    assert_eq!(r.removal_stamp, 0);
    assert!(
        !r.is_deleted(),
        "the role attribute wins over the field name"
    );

    renamed::Entity::soft_delete_by_id_at(&t.db, r.id, at())
        .await
        .unwrap();
    let stored = renamed::Entity::find_by_id(r.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.removed_at, Some(at()));
    assert_eq!(stored.touched_on, at());
    assert_eq!(stored.removal_stamp, at().timestamp_micros());
    assert_eq!(stored.deleted_at.as_deref(), Some("not a mixin column"));
    assert!(
        renamed::Entity::find_live()
            .all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn nullable_i32_seconds_token(t: TestDb) {
    t.create(nullable_i32::Entity).await.unwrap();
    let db = &t.db;
    let load = move |id| async move {
        nullable_i32::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
    };
    let row = nullable_i32::ActiveModel::new()
        .insert(&t.db)
        .await
        .unwrap();
    assert_eq!(row.delete_token, None, "NULL while live");

    let seconds = i32::try_from(at().timestamp()).unwrap();
    assert_eq!(
        nullable_i32::Entity::soft_delete_by_id_at(&t.db, row.id, at())
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let stored = load(row.id).await;
    assert_eq!(
        (stored.deleted_at, stored.delete_token),
        (Some(at()), Some(seconds))
    );

    assert_eq!(
        nullable_i32::Entity::restore_by_id(&t.db, row.id)
            .await
            .unwrap(),
        RestoreOutcome::Restored
    );
    let stored = load(row.id).await;
    assert_eq!((stored.deleted_at, stored.delete_token), (None, None));

    // Through the model too.
    let deleted = stored.soft_delete_at(&t.db, at()).await.unwrap();
    assert_eq!(deleted.delete_token, Some(seconds));
    assert_eq!(deleted, load(row.id).await);
    let restored = deleted.restore(&t.db).await.unwrap();
    assert_eq!((restored.deleted_at, restored.delete_token), (None, None));
    assert_eq!(restored, load(row.id).await);

    // Past 2038 the seconds do not fit, NULL or not.
    let late = Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap();
    let err = nullable_i32::Entity::soft_delete_by_id_at(&t.db, row.id, late)
        .await
        .expect_err("seconds past 2038 do not fit i32");
    assert!(
        err.to_string().contains("does not fit its i32 column"),
        "{err}"
    );
    assert_eq!(load(row.id).await, restored, "row unchanged");
}

async fn i32_millis_token_refused(t: TestDb) {
    t.create(i32_millis::Entity).await.unwrap();
    let row = i32_millis::ActiveModel::new().insert(&t.db).await.unwrap();
    assert_eq!(row.delete_token, 0);
    let refused = |err: DbErr| {
        let msg = err.to_string();
        assert!(
            matches!(err, DbErr::Custom(_))
                && msg.contains("does not fit its i32 column")
                && msg.contains("milliseconds"),
            "{msg}"
        );
    };

    let (res, sql) = t
        .counted(i32_millis::Entity::soft_delete_by_id(&t.db, row.id))
        .await;
    refused(res.expect_err("milliseconds now do not fit i32"));
    assert!(sql.is_empty(), "refused before any statement: {sql:?}");
    let (res, sql) = t.counted(row.soft_delete(&t.db)).await;
    refused(res.expect_err("through the model too"));
    assert!(sql.is_empty(), "{sql:?}");
    refused(
        i32_millis::Entity::soft_delete_many(&t.db, i32_millis::Column::Id.eq(row.id))
            .await
            .expect_err("bulk too"),
    );
    assert_eq!(
        i32_millis::Entity::find().all(&t.db).await.unwrap(),
        vec![row],
        "row unchanged"
    );
}

backend_tests!(
    naive_timestamps_are_utc,
    fixed_offset_with_nullable_millis_token,
    i32_seconds_token_refuses_2038,
    renamed_fields_with_micros_token,
    nullable_i32_seconds_token,
    i32_millis_token_refused,
);
