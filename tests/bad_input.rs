//! Input the helpers must refuse or survive: missing and already-deleted ids, empty
//! conditions, tokens that do not fit their column, far-future purge cutoffs, a very large
//! bulk operation, and table and column names that need quoting.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DbErr, EntityTrait, ModelTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use soft_delete_core::prelude::*;
use support::{
    Backend, TestDb, backend_tests,
    entities::{legacy, quoted, user},
};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

async fn users(t: &TestDb, n: usize) -> Vec<user::Model> {
    t.create(user::Entity).await.unwrap();
    let mut out = Vec::new();
    for i in 0..n {
        let name = Set(format!("user {i}"));
        out.push(
            user::ActiveModel {
                name,
                ..Default::default()
            }
            .insert(&t.db)
            .await
            .unwrap(),
        );
    }
    out
}

async fn all_users(t: &TestDb) -> Vec<user::Model> {
    user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(&t.db)
        .await
        .unwrap()
}

async fn missing_and_deleted_ids(t: TestDb) {
    let inserted = users(&t, 3).await;
    let deleted_at = at(2030, 1, 2, 3, 4, 5);
    assert_eq!(
        user::Entity::soft_delete_by_id_at(&t.db, 2, deleted_at)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let before = all_users(&t).await;
    let later = at(2031, 1, 1, 0, 0, 0);

    for id in [999, 0, -1, i32::MAX, i32::MIN] {
        assert_eq!(
            user::Entity::soft_delete_by_id(&t.db, id).await.unwrap(),
            DeleteOutcome::NotFound
        );
        assert_eq!(
            user::Entity::soft_delete_by_id_at(&t.db, id, later)
                .await
                .unwrap(),
            DeleteOutcome::NotFound
        );
        assert_eq!(
            user::Entity::restore_by_id(&t.db, id).await.unwrap(),
            RestoreOutcome::NotFound
        );
        assert_eq!(
            user::Entity::restore_by_id_at(&t.db, id, later)
                .await
                .unwrap(),
            RestoreOutcome::NotFound
        );
        assert!(!user::Entity::force_delete_by_id(&t.db, id).await.unwrap());
    }
    assert_eq!(
        user::Entity::soft_delete_by_id(&t.db, 2).await.unwrap(),
        DeleteOutcome::AlreadyDeleted
    );
    assert_eq!(
        user::Entity::soft_delete_by_id_at(&t.db, 2, later)
            .await
            .unwrap(),
        DeleteOutcome::AlreadyDeleted
    );
    assert_eq!(
        user::Entity::restore_by_id(&t.db, 1).await.unwrap(),
        RestoreOutcome::NotDeleted
    );
    assert_eq!(
        user::Entity::restore_by_id_at(&t.db, 3, later)
            .await
            .unwrap(),
        RestoreOutcome::NotDeleted
    );
    // Bulk calls that match nothing they could change.
    assert_eq!(
        user::Entity::soft_delete_many(&t.db, user::Column::Id.gt(100))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        user::Entity::soft_delete_many(&t.db, user::Column::Id.eq(2))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        user::Entity::restore_many(&t.db, user::Column::Id.is_in([1, 3]))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        user::Entity::purge_deleted_before(&t.db, deleted_at)
            .await
            .unwrap(),
        0,
        "cutoff is exclusive"
    );
    // A model held from before does not resurrect anything.
    assert_eq!(inserted[1].soft_delete(&t.db).await.unwrap(), before[1]);
    assert_eq!(inserted[0].restore(&t.db).await.unwrap(), before[0]);
    assert_eq!(all_users(&t).await, before, "nothing changed");

    // A model whose row is gone.
    assert!(user::Entity::force_delete_by_id(&t.db, 3).await.unwrap());
    let gone = &inserted[2];
    assert!(matches!(
        gone.soft_delete(&t.db).await,
        Err(DbErr::RecordNotFound(_))
    ));
    assert!(matches!(
        gone.restore(&t.db).await,
        Err(DbErr::RecordNotFound(_))
    ));
    assert!(matches!(
        gone.soft_delete_at(&t.db, later).await,
        Err(DbErr::RecordNotFound(_))
    ));
    assert_eq!(all_users(&t).await, before[..2], "nothing came back");
}

async fn empty_conditions_refused(t: TestDb) {
    users(&t, 4).await;
    user::Entity::soft_delete_by_id(&t.db, 4).await.unwrap();
    let before = all_users(&t).await;
    let now = Utc::now();
    let empties = [
        Condition::all(),
        Condition::any(),
        Condition::all().add(Condition::any()),
        Condition::any().add(Condition::all()).add(Condition::any()),
        Condition::all().add(Condition::any().add(Condition::all().add(Condition::any()))),
        Condition::all().not(),
        Condition::any().add(Condition::all().not()),
    ];
    for cond in empties {
        let calls = [
            t.counted(user::Entity::soft_delete_many(&t.db, cond.clone()))
                .await,
            t.counted(user::Entity::soft_delete_many_at(&t.db, cond.clone(), now))
                .await,
            t.counted(user::Entity::restore_many(&t.db, cond.clone()))
                .await,
            t.counted(user::Entity::restore_many_at(&t.db, cond.clone(), now))
                .await,
        ];
        for (result, sql) in calls {
            match result {
                Err(DbErr::Custom(msg)) => assert!(msg.contains("empty condition"), "{msg}"),
                other => panic!("{cond:?} gave {other:?}"),
            }
            assert!(sql.is_empty(), "no statement for a refused call: {sql:?}");
        }
    }
    assert_eq!(all_users(&t).await, before, "nothing changed");

    // A real expression inside empty groups is a condition like any other.
    let nested =
        Condition::all().add(Condition::any().add(Condition::all().add(user::Column::Id.eq(1))));
    assert_eq!(
        user::Entity::soft_delete_many(&t.db, nested.clone())
            .await
            .unwrap(),
        1
    );
    assert_eq!(user::Entity::restore_many(&t.db, nested).await.unwrap(), 1);
    assert_eq!(user::Entity::find_live().count(&t.db).await.unwrap(), 3);
}

async fn token_past_2038_refused(t: TestDb) {
    t.create(legacy::Entity).await.unwrap();
    for _ in 0..2 {
        <legacy::ActiveModel as Default>::default()
            .insert(&t.db)
            .await
            .unwrap();
    }
    let all = || {
        legacy::Entity::find()
            .order_by_asc(legacy::Column::Id)
            .all(&t.db)
    };
    let before = all().await.unwrap();
    let last = at(2038, 1, 19, 3, 14, 7);
    let past = last + Duration::seconds(1);

    let (result, sql) = t
        .counted(legacy::Entity::soft_delete_by_id_at(&t.db, 1, past))
        .await;
    let err = result.expect_err("a token past i32::MAX seconds");
    assert!(
        matches!(&err, DbErr::Custom(m) if m.contains("does not fit")),
        "{err}"
    );
    assert!(sql.is_empty(), "refused before any statement: {sql:?}");
    assert!(
        legacy::Entity::soft_delete_many_at(&t.db, legacy::Column::Id.gt(0), past)
            .await
            .is_err()
    );
    assert!(before[0].soft_delete_at(&t.db, past).await.is_err());
    let far = at(2100, 1, 1, 0, 0, 0);
    assert!(
        legacy::Entity::soft_delete_by_id_at(&t.db, 2, far)
            .await
            .is_err()
    );
    assert_eq!(all().await.unwrap(), before, "rows unchanged");

    // The last second that fits, with a fraction, still works.
    let edge = last + Duration::microseconds(999_999);
    assert_eq!(
        legacy::Entity::soft_delete_by_id_at(&t.db, 1, edge)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        legacy::Entity::soft_delete_many_at(&t.db, legacy::Column::Id.eq(2), last)
            .await
            .unwrap(),
        1
    );
    let rows = all().await.unwrap();
    assert_eq!(rows[0].deleted_at, Some(edge));
    assert_eq!(rows[0].deleted_at_token, i32::MAX);
    assert_eq!(rows[1].deleted_at, Some(last));
    assert_eq!(rows[1].deleted_at_token, i32::MAX);

    // Restoring writes no token value from the clock, so it works after 2038 too.
    assert_eq!(
        legacy::Entity::restore_by_id_at(&t.db, 1, far)
            .await
            .unwrap(),
        RestoreOutcome::Restored
    );
    let row = legacy::Entity::find_by_id(1)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.deleted_at, row.deleted_at_token, row.updated_at),
        (None, 0, far)
    );
}

async fn purge_with_future_cutoff(t: TestDb) {
    users(&t, 10).await;
    let deleted = user::Column::Id.is_in([2, 4, 6]);
    assert_eq!(
        user::Entity::soft_delete_many(&t.db, deleted)
            .await
            .unwrap(),
        3
    );
    let live_before = user::Entity::find_live()
        .order_by_asc(user::Column::Id)
        .all(&t.db)
        .await
        .unwrap();

    let tomorrow = Utc::now() + Duration::days(1);
    let (purged, sql) = t
        .counted(user::Entity::purge_deleted_before(&t.db, tomorrow))
        .await;
    assert_eq!(purged.unwrap(), 3);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert_eq!(all_users(&t).await, live_before, "only deleted rows left");

    // Deleted far in the future, purged with the largest cutoff every backend stores.
    let future = at(9000, 6, 1, 0, 0, 0);
    assert_eq!(
        user::Entity::soft_delete_by_id_at(&t.db, 5, future)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let end = at(9999, 12, 31, 23, 59, 59);
    assert_eq!(
        user::Entity::purge_deleted_before(&t.db, end)
            .await
            .unwrap(),
        1
    );
    let left = all_users(&t).await;
    assert_eq!(left.len(), 6);
    assert!(left.iter().all(|u| u.deleted_at.is_none() && u.id != 5));
    assert_eq!(
        left,
        live_before
            .into_iter()
            .filter(|u| u.id != 5)
            .collect::<Vec<_>>()
    );
}

const BULK: u64 = 100_000;

async fn very_large_bulk(t: TestDb) {
    users(&t, 1).await;
    // Doubles the table until it holds BULK rows: every row a copy of one the ORM wrote.
    let mut count = 1;
    while count < BULK {
        let n = count.min(BULK - count);
        t.exec(&format!(
            "INSERT INTO user_data (name, created_at, updated_at, deleted_at, delete_token) \
             SELECT name, created_at, updated_at, deleted_at, delete_token FROM user_data LIMIT {n}"
        ))
        .await
        .unwrap();
        count += n;
    }
    assert_eq!(user::Entity::find().count(&t.db).await.unwrap(), BULK);

    let when = at(2032, 2, 29, 12, 0, 0) + Duration::microseconds(123_456);
    let (deleted, sql) = t
        .counted(user::Entity::soft_delete_many_at(
            &t.db,
            user::Column::Id.gt(0),
            when,
        ))
        .await;
    assert_eq!(deleted.unwrap(), BULK);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert_eq!(user::Entity::find_live().count(&t.db).await.unwrap(), 0);
    let stamped = user::Entity::find().filter(user::Column::DeleteToken.eq(when.timestamp()));
    assert_eq!(stamped.count(&t.db).await.unwrap(), BULK);
    let sample = user::Entity::find_deleted()
        .order_by_desc(user::Column::Id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((sample.deleted_at, sample.updated_at), (Some(when), when));

    let (restored, sql) = t
        .counted(user::Entity::restore_many(&t.db, user::Column::Id.gt(0)))
        .await;
    assert_eq!(restored.unwrap(), BULK);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert_eq!(user::Entity::find_deleted().count(&t.db).await.unwrap(), 0);
    let live_tokens = user::Entity::find().filter(user::Column::DeleteToken.eq(0_i64));
    assert_eq!(live_tokens.count(&t.db).await.unwrap(), BULK);
}

async fn get(t: &TestDb, id: i32) -> quoted::Model {
    quoted::Entity::find_by_id(id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap()
}

async fn quoted_names(t: TestDb) {
    t.create(quoted::Entity).await.unwrap();
    let mut made = Vec::new();
    for name in ["a", "b", "c", "d", "e"] {
        let select = Set(name.to_owned());
        made.push(
            quoted::ActiveModel {
                select,
                ..Default::default()
            }
            .insert(&t.db)
            .await
            .unwrap(),
        );
    }
    assert!(
        made.iter()
            .all(|m| m.removed.is_none() && m.ticket == 0 && m.made == m.touched)
    );
    let when = at(2031, 3, 4, 5, 6, 7) + Duration::milliseconds(890);

    // By id.
    let (outcome, sql) = t.counted(quoted::Entity::soft_delete_by_id(&t.db, 1)).await;
    assert_eq!(outcome.unwrap(), DeleteOutcome::Deleted);
    let quote = if t.backend == support::Backend::MySql {
        "`Order`"
    } else {
        "\"Order\""
    };
    assert!(
        sql[0].contains(quote) && sql[0].contains("DeletedAt"),
        "{sql:?}"
    );
    assert_eq!(
        quoted::Entity::soft_delete_by_id(&t.db, 1).await.unwrap(),
        DeleteOutcome::AlreadyDeleted
    );
    assert_eq!(
        quoted::Entity::soft_delete_by_id_at(&t.db, 2, when)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let two = get(&t, 2).await;
    assert_eq!(
        (two.removed, two.touched, two.ticket),
        (Some(when), when, when.timestamp_millis())
    );
    assert_eq!(
        quoted::Entity::restore_by_id(&t.db, 1).await.unwrap(),
        RestoreOutcome::Restored
    );
    assert_eq!(
        quoted::Entity::restore_by_id_at(&t.db, 1, when)
            .await
            .unwrap(),
        RestoreOutcome::NotDeleted
    );
    assert_eq!(
        quoted::Entity::restore_by_id(&t.db, 99).await.unwrap(),
        RestoreOutcome::NotFound
    );
    let one = get(&t, 1).await;
    assert_eq!((one.removed, one.ticket), (None, 0));

    // Queries.
    assert_eq!(quoted::Entity::find_live().count(&t.db).await.unwrap(), 4);
    assert_eq!(
        quoted::Entity::find_deleted().all(&t.db).await.unwrap(),
        vec![two.clone()]
    );
    assert!(
        quoted::Entity::find_live_by_id(2)
            .one(&t.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        quoted::Entity::find_live_by_id(3).one(&t.db).await.unwrap(),
        Some(made[2].clone())
    );
    let by_select = quoted::Entity::find().filter(quoted::Column::Select.eq("b"));
    assert_eq!(by_select.clone().live().count(&t.db).await.unwrap(), 0);
    assert_eq!(by_select.deleted().count(&t.db).await.unwrap(), 1);

    // Bulk.
    let c_or_d = quoted::Column::Select.is_in(["c", "d"]);
    assert_eq!(
        quoted::Entity::soft_delete_many(&t.db, c_or_d.clone())
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        quoted::Entity::soft_delete_many_at(&t.db, quoted::Column::Id.gt(0), when)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        quoted::Entity::restore_many(&t.db, c_or_d).await.unwrap(),
        2
    );
    assert_eq!(
        quoted::Entity::restore_many_at(&t.db, quoted::Column::Id.lte(2), when)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        quoted::Entity::find_deleted().count(&t.db).await.unwrap(),
        1,
        "only e"
    );

    // Through the model.
    let three = get(&t, 3).await;
    let deleted = three.soft_delete_at(&t.db, when).await.unwrap();
    assert_eq!(deleted, get(&t, 3).await);
    assert_eq!(
        (deleted.removed, deleted.ticket),
        (Some(when), when.timestamp_millis())
    );
    assert_eq!(
        deleted.soft_delete(&t.db).await.unwrap(),
        deleted,
        "already deleted"
    );
    let restored = deleted.restore(&t.db).await.unwrap();
    assert_eq!(restored, get(&t, 3).await);
    assert_eq!((restored.removed, restored.ticket), (None, 0));
    let redeleted = restored.soft_delete(&t.db).await.unwrap();
    assert!(redeleted.removed.is_some());
    assert_eq!(
        redeleted.restore_at(&t.db, when).await.unwrap().touched,
        when
    );

    // Leaving for good.
    let err = get(&t, 4)
        .await
        .delete(&t.db)
        .await
        .expect_err("plain hard delete refused");
    assert!(matches!(err, DbErr::Custom(_)), "{err}");
    assert!(quoted::Entity::force_delete_by_id(&t.db, 4).await.unwrap());
    assert_eq!(
        quoted::Entity::purge_deleted_before(&t.db, when + Duration::milliseconds(1))
            .await
            .unwrap(),
        1
    );
    let left: Vec<String> = quoted::Entity::find()
        .order_by_asc(quoted::Column::Id)
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.select)
        .collect();
    assert_eq!(left, ["a", "b", "c"]);
}

/// A micros token whose Rust type fits but whose column is narrower: a table that a
/// migration made `INTEGER` although the field is `i64`.
mod narrow {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "narrow_token")]
    #[soft_delete(token = "micros")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// MySQL refuses a token too wide for its column: an error, and the row stays live. SQLite
/// integers are 64-bit whatever the declared type, so there the value fits; PostgreSQL will
/// not decode an `integer` column into `i64` at all, so the mismatch never gets as far as a
/// delete there, and its column stays `bigint`.
async fn token_wider_than_its_column(t: TestDb) {
    t.create(narrow::Entity).await.unwrap();
    if t.backend == Backend::MySql {
        t.exec("ALTER TABLE narrow_token MODIFY delete_token INT NOT NULL")
            .await
            .unwrap();
    }
    let row = <narrow::ActiveModel as Default>::default()
        .insert(&t.db)
        .await
        .unwrap();
    let result = narrow::Entity::soft_delete_by_id(&t.db, row.id).await;
    let stored = narrow::Entity::find_by_id(row.id).one(&t.db).await.unwrap();
    match t.backend {
        Backend::MySql => {
            let err = result.expect_err("a micros token does not fit an INT column");
            println!("{:?}: {err}", t.backend);
            assert_eq!(stored, Some(row));
        }
        _ => {
            assert_eq!(result.unwrap(), DeleteOutcome::Deleted);
            let stored = stored.unwrap();
            let deleted_at = stored.deleted_at.unwrap();
            assert_eq!(stored.delete_token, deleted_at.timestamp_micros());
        }
    }
}

backend_tests!(
    missing_and_deleted_ids,
    empty_conditions_refused,
    token_past_2038_refused,
    purge_with_future_cutoff,
    very_large_bulk,
    quoted_names,
    token_wider_than_its_column,
);
