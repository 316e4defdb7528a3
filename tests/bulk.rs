//! `soft_delete_many`, `restore_many` and `purge_deleted_before`.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait};
use soft_delete_core::prelude::*;
use support::{TestDb, backend_tests, entities::user};

async fn seed(t: &TestDb, names: &[&str]) -> Vec<user::Model> {
    t.create(user::Entity).await.unwrap();
    let mut out = Vec::new();
    for name in names {
        let m = user::ActiveModel {
            name: Set((*name).to_owned()),
            ..Default::default()
        };
        out.push(m.insert(&t.db).await.unwrap());
    }
    out
}

async fn names(t: &TestDb, select: sea_orm::Select<user::Entity>) -> Vec<String> {
    let mut names: Vec<String> = select
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    names.sort();
    names
}

async fn soft_delete_many_counts_new_deletions(t: TestDb) {
    let users = seed(&t, &["ann", "amy", "bob", "ben"]).await;
    let amy_id = users[1].id;
    let first = Utc::now() - Duration::days(1);
    user::Entity::soft_delete_by_id_at(&t.db, amy_id, first)
        .await
        .unwrap();

    let (n, sql) = t
        .counted(user::Entity::soft_delete_many(
            &t.db,
            user::Column::Name.starts_with("a"),
        ))
        .await;
    assert_eq!(n.unwrap(), 1, "only ann was live");
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(sql[0].starts_with("UPDATE"), "{sql:?}");

    let amy = user::Entity::find_by_id(amy_id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        amy.deleted_at,
        Some(soft_delete_core::truncate(first)),
        "amy keeps her first deletion"
    );
    assert_eq!(names(&t, user::Entity::find_live()).await, ["ben", "bob"]);
    assert_eq!(
        names(&t, user::Entity::find_deleted()).await,
        ["amy", "ann"]
    );
}

async fn restore_many_counts_restorations(t: TestDb) {
    seed(&t, &["ann", "amy", "bob"]).await;
    user::Entity::soft_delete_many(&t.db, user::Column::Name.ne("bob"))
        .await
        .unwrap();

    let (n, sql) = t
        .counted(user::Entity::restore_many(
            &t.db,
            user::Column::Name.is_in(["ann", "bob"]),
        ))
        .await;
    assert_eq!(n.unwrap(), 1, "bob was live, so only ann is restored");
    assert_eq!(sql.len(), 1, "{sql:?}");
    let ann = user::Entity::find_live().all(&t.db).await.unwrap();
    assert!(
        ann.iter()
            .all(|m| m.delete_token == 0 && m.deleted_at.is_none())
    );
    assert_eq!(names(&t, user::Entity::find_live()).await, ["ann", "bob"]);
    let free =
        soft_delete_core::restore_many::<user::Entity, _>(&t.db, user::Column::Name.eq("amy"));
    assert_eq!(free.await.unwrap(), 1);
}

async fn empty_conditions_are_refused(t: TestDb) {
    seed(&t, &["ann", "bob"]).await;
    let empties = [
        Condition::all(),
        Condition::any(),
        Condition::all().add(Condition::any()),
        Condition::any()
            .add(Condition::all().add(Condition::all()))
            .not(),
    ];
    for cond in empties {
        let (res, sql) = t
            .counted(user::Entity::soft_delete_many(&t.db, cond.clone()))
            .await;
        let err = res.expect_err("an empty condition must not delete every row");
        assert!(err.to_string().contains("empty condition"), "{err}");
        assert!(sql.is_empty(), "nothing reaches the database: {sql:?}");
        let err = user::Entity::restore_many(&t.db, cond)
            .await
            .expect_err("empty restore");
        assert!(err.to_string().contains("restore_many"), "{err}");
    }
    assert_eq!(names(&t, user::Entity::find_live()).await, ["ann", "bob"]);
}

async fn purge_removes_only_old_deleted_rows(t: TestDb) {
    let users = seed(&t, &["old", "recent", "live"]).await;
    let now = Utc::now();
    user::Entity::soft_delete_by_id_at(&t.db, users[0].id, now - Duration::days(40))
        .await
        .unwrap();
    user::Entity::soft_delete_by_id_at(&t.db, users[1].id, now - Duration::days(2))
        .await
        .unwrap();

    let (n, sql) = t
        .counted(user::Entity::purge_deleted_before(
            &t.db,
            now - Duration::days(30),
        ))
        .await;
    assert_eq!(n.unwrap(), 1);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(sql[0].starts_with("DELETE"), "{sql:?}");
    assert_eq!(names(&t, user::Entity::find()).await, ["live", "recent"]);

    // A cutoff in the future removes every deleted row and never a live one.
    let n = user::Entity::purge_deleted_before(&t.db, now + Duration::days(365))
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(names(&t, user::Entity::find()).await, ["live"]);
}

backend_tests!(
    soft_delete_many_counts_new_deletions,
    restore_many_counts_restorations,
    empty_conditions_are_refused,
    purge_removes_only_old_deleted_rows,
);
