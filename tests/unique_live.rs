//! Unique-while-live indexes: live rows collide, deleted rows do not, and a restore into a key
//! a live row now holds is `RestoreOutcome::Conflict` with nothing changed.

use chrono::SubsecRound;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, SqlErr,
};
use soft_delete_core::{
    is_unique_violation,
    prelude::*,
    schema::{create_unique_live_index, unique_live_index},
};
use support::{Backend, TestDb, backend_tests};

/// The primary key as the token: `#[soft_delete(token = "id")]`.
mod by_id {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "account_by_id")]
    #[soft_delete(token = "id")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub email: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// Microsecond token.
mod by_micros {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "account_by_micros")]
    #[soft_delete(token = "micros")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// The seed's seconds token.
mod by_seconds {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "account_by_seconds")]
    #[soft_delete(token)]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// A millisecond token.
mod by_millis {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "account_by_millis")]
    #[soft_delete(token = "millis")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// No token at all.
mod tokenless {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "account_tokenless")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// A nullable token (`NULL` while live).
mod nullable {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "account_nullable")]
    #[soft_delete(token = "id")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

/// `token = "id"` on a UUID key, which it cannot copy. A composite or plainly written
/// non-integer key is a compile error; an alias hides the type from the derive, so the check
/// happens at run time.
mod aliased_key {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    pub type DeviceId = Uuid;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "device_aliased")]
    #[soft_delete(token = "id")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: DeviceId,
        pub email: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

fn assert_unique_violation<T: std::fmt::Debug>(result: Result<T, DbErr>) {
    let err = result.expect_err("the unique index must reject a second live row");
    assert!(
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "not a unique violation: {err:?}"
    );
    assert!(is_unique_violation(&err));
}

/// The whole unique-while-live story for one entity module: its table, index, live collision,
/// delete and re-create in a loop, and restores into a taken key.
macro_rules! unique_while_live {
    ($t:expr, $m:ident) => {{
        let t: &TestDb = $t;
        t.create($m::Entity).await.unwrap();
        let (created, sql) = t
            .counted(create_unique_live_index::<$m::Entity, _>(
                &t.db,
                "email_live",
                &[$m::Column::Email],
            ))
            .await;
        created.unwrap();
        assert_eq!(sql.len(), 1, "{sql:?}");
        if t.backend == Backend::MySql {
            assert!(
                sql[0].contains("`delete_token`") && !sql[0].contains("WHERE"),
                "{}",
                sql[0]
            );
        } else {
            assert!(
                sql[0].ends_with(r#"WHERE "deleted_at" IS NULL"#),
                "{}",
                sql[0]
            );
        }

        let insert = |email: &str| {
            $m::ActiveModel {
                email: Set(email.to_owned()),
                ..Default::default()
            }
            .insert(&t.db)
        };
        let first = insert("a@x").await.unwrap();
        assert_unique_violation(insert("a@x").await);
        insert("b@x").await.unwrap();

        // Delete and re-create the same key several times back to back.
        let mut live = first.clone();
        for _ in 0..6 {
            assert_eq!(
                $m::Entity::soft_delete_by_id(&t.db, live.id).await.unwrap(),
                DeleteOutcome::Deleted
            );
            live = insert("a@x").await.unwrap();
        }
        let rows = $m::Entity::find()
            .filter($m::Column::Email.eq("a@x"))
            .order_by_asc($m::Column::Id)
            .all(&t.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 7);
        assert_eq!(rows.iter().filter(|r| r.deleted_at.is_none()).count(), 1);
        let tokens: std::collections::HashSet<i64> = rows.iter().map(|r| r.delete_token).collect();
        assert_eq!(
            tokens.len(),
            7,
            "every deleted row has its own token, live has 0: {tokens:?}"
        );

        // Restoring an old `a@x` while `live` holds the key: Conflict, nothing changes.
        let before = $m::Entity::find()
            .order_by_asc($m::Column::Id)
            .all(&t.db)
            .await
            .unwrap();
        let (outcome, sql) = t.counted($m::Entity::restore_by_id(&t.db, first.id)).await;
        assert_eq!(outcome.unwrap(), RestoreOutcome::Conflict);
        assert_eq!(sql.len(), 1, "{sql:?}");
        let stored = $m::Entity::find_by_id(first.id)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert!(stored.is_deleted());
        let err = stored
            .restore(&t.db)
            .await
            .expect_err("model.restore into a taken key");
        assert!(is_unique_violation(&err), "{err:?}");
        assert_eq!(
            $m::Entity::find()
                .order_by_asc($m::Column::Id)
                .all(&t.db)
                .await
                .unwrap(),
            before
        );

        // Once the live holder is gone, the old row comes back.
        $m::Entity::soft_delete_by_id(&t.db, live.id).await.unwrap();
        assert_eq!(
            $m::Entity::restore_by_id(&t.db, first.id).await.unwrap(),
            RestoreOutcome::Restored
        );
        let back = $m::Entity::find_live()
            .filter($m::Column::Email.eq("a@x"))
            .all(&t.db)
            .await
            .unwrap();
        assert_eq!(
            back.iter()
                .map(|r| (r.id, r.delete_token))
                .collect::<Vec<_>>(),
            vec![(first.id, 0)]
        );
        rows
    }};
}

async fn primary_key_token(t: TestDb) {
    let rows = unique_while_live!(&t, by_id);
    for row in rows.iter().filter(|r| r.deleted_at.is_some()) {
        assert_eq!(
            row.delete_token, row.id,
            "token = \"id\" copies the primary key"
        );
    }
}

async fn micros_token(t: TestDb) {
    let rows = unique_while_live!(&t, by_micros);
    for row in rows.iter().filter(|r| r.deleted_at.is_some()) {
        assert_eq!(
            Some(row.delete_token),
            row.deleted_at.map(|at| at.timestamp_micros())
        );
    }
}

/// Seconds tokens collide within one second on MySQL, so the builder refuses them there; the
/// partial index on PostgreSQL and SQLite does not look at the token.
async fn seconds_token(t: TestDb) {
    t.create(by_seconds::Entity).await.unwrap();
    let built = unique_live_index::<by_seconds::Entity>(
        t.db_backend(),
        "email_live",
        &[by_seconds::Column::Email],
    );
    if t.backend == Backend::MySql {
        let msg = built.unwrap_err().to_string();
        assert!(
            msg.contains("seconds") && msg.contains(r#"token = "id""#),
            "{msg}"
        );
        // What the refusal prevents: by hand, (email, seconds token) rejects the second of two
        // deletions of one key within the same second.
        t.exec("CREATE UNIQUE INDEX email_token ON account_by_seconds (email, delete_token)")
            .await
            .unwrap();
        let at = soft_delete_core::now().trunc_subsecs(0);
        let insert = || {
            by_seconds::ActiveModel {
                email: Set("a@x".into()),
                ..Default::default()
            }
            .insert(&t.db)
        };
        let first = insert().await.unwrap();
        by_seconds::Entity::soft_delete_by_id_at(&t.db, first.id, at)
            .await
            .unwrap();
        let second = insert().await.unwrap();
        let at = at + chrono::Duration::microseconds(1);
        assert_unique_violation(
            by_seconds::Entity::soft_delete_by_id_at(&t.db, second.id, at).await,
        );
        return;
    }
    t.db.execute(&built.unwrap()).await.unwrap();
    let insert = |email: &str| {
        by_seconds::ActiveModel {
            email: Set(email.to_owned()),
            ..Default::default()
        }
        .insert(&t.db)
    };
    for _ in 0..3 {
        let row = insert("a@x").await.unwrap();
        assert_unique_violation(insert("a@x").await);
        by_seconds::Entity::soft_delete_by_id(&t.db, row.id)
            .await
            .unwrap();
    }
    assert_eq!(
        by_seconds::Entity::find_deleted()
            .all(&t.db)
            .await
            .unwrap()
            .len(),
        3
    );
}

/// Without a `NOT NULL` token MySQL cannot build the index; the error says what to add.
async fn tokenless_and_nullable(t: TestDb) {
    t.create(tokenless::Entity).await.unwrap();
    t.create(nullable::Entity).await.unwrap();
    let a = unique_live_index::<tokenless::Entity>(
        t.db_backend(),
        "t_email_live",
        &[tokenless::Column::Email],
    );
    let b = unique_live_index::<nullable::Entity>(
        t.db_backend(),
        "n_email_live",
        &[nullable::Column::Email],
    );
    if t.backend == Backend::MySql {
        let (a, b) = (a.unwrap_err().to_string(), b.unwrap_err().to_string());
        assert!(
            a.contains("no partial indexes") && a.contains("delete_token: i64"),
            "{a}"
        );
        assert!(
            b.contains("nullable") && b.contains("NOT NULL DEFAULT 0"),
            "{b}"
        );
        return;
    }
    t.db.execute(&a.unwrap()).await.unwrap();
    t.db.execute(&b.unwrap()).await.unwrap();
    let first = tokenless::ActiveModel {
        email: Set("a@x".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_unique_violation(
        tokenless::ActiveModel {
            email: Set("a@x".into()),
            ..Default::default()
        }
        .insert(&t.db)
        .await,
    );
    tokenless::Entity::soft_delete_by_id(&t.db, first.id)
        .await
        .unwrap();
    tokenless::ActiveModel {
        email: Set("a@x".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(
        tokenless::Entity::restore_by_id(&t.db, first.id)
            .await
            .unwrap(),
        RestoreOutcome::Conflict
    );

    let first = nullable::ActiveModel {
        email: Set("a@x".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert_eq!(first.delete_token, None);
    nullable::Entity::soft_delete_by_id(&t.db, first.id)
        .await
        .unwrap();
    let stored = nullable::Entity::find_by_id(first.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.delete_token, Some(i64::from(first.id)));
}

/// `token = "id"` needs one integer key column: a UUID key is a clear error, not SQL.
async fn primary_key_token_needs_one_column(t: TestDb) {
    t.create(aliased_key::Entity).await.unwrap();
    let id = uuid::Uuid::new_v4();
    aliased_key::ActiveModel {
        id: Set(id),
        email: Set("a@x".into()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    let (res, sql) = t
        .counted(aliased_key::Entity::soft_delete_by_id(&t.db, id))
        .await;
    let msg = res.unwrap_err().to_string();
    assert!(msg.contains("single integer primary key"), "{msg}");
    assert!(sql.is_empty(), "{sql:?}");
    let row = aliased_key::Entity::find_by_id(id)
        .one(&t.db)
        .await
        .unwrap();
    assert_eq!(row.map(|r| r.deleted_at), Some(None));
    let built = unique_live_index::<aliased_key::Entity>(
        DbBackend::MySql,
        "x",
        &[aliased_key::Column::Email],
    );
    assert!(
        built
            .unwrap_err()
            .to_string()
            .contains("single integer primary key")
    );
}

/// Bad arguments are errors, never SQL that half works.
#[test]
fn bad_arguments() {
    for backend in [DbBackend::Postgres, DbBackend::MySql, DbBackend::Sqlite] {
        assert!(unique_live_index::<by_id::Entity>(backend, "x", &[]).is_err());
        assert!(unique_live_index::<by_id::Entity>(backend, "", &[by_id::Column::Email]).is_err());
        assert!(
            unique_live_index::<by_id::Entity>(backend, "a\"b", &[by_id::Column::Email]).is_err()
        );
        assert!(
            unique_live_index::<by_id::Entity>(backend, "a`b", &[by_id::Column::Email]).is_err()
        );
    }
}

/// The MySQL refusals, built without a server: each names the index and the entity, says why
/// MySQL needs a token, and what to change.
#[test]
fn mysql_refuses_tokens_that_cannot_constrain() {
    let lead = "MySQL and MariaDB have no partial indexes";
    let msg = |built: Result<_, DbErr>| built.expect_err("refused on MySQL").to_string();

    let m = msg(unique_live_index::<tokenless::Entity>(
        DbBackend::MySql,
        "t_email_live",
        &[tokenless::Column::Email],
    ));
    for part in [
        lead,
        "unique index `t_email_live` on `account_tokenless`",
        "has none",
        "delete_token: i64",
        "BIGINT NOT NULL DEFAULT 0",
        r#"token = "id""#,
    ] {
        assert!(m.contains(part), "{part:?} missing from {m}");
    }

    let m = msg(unique_live_index::<nullable::Entity>(
        DbBackend::MySql,
        "n_email_live",
        &[nullable::Column::Email],
    ));
    for part in [
        lead,
        "`account_nullable`'s token is nullable",
        "NULLs never collide",
        "NOT NULL DEFAULT 0",
    ] {
        assert!(m.contains(part), "{part:?} missing from {m}");
    }

    let seconds = msg(unique_live_index::<by_seconds::Entity>(
        DbBackend::MySql,
        "s_email_live",
        &[by_seconds::Column::Email],
    ));
    let millis = msg(unique_live_index::<by_millis::Entity>(
        DbBackend::MySql,
        "m_email_live",
        &[by_millis::Column::Email],
    ));
    for (m, entity, unit) in [
        (&seconds, "account_by_seconds", "seconds"),
        (&millis, "account_by_millis", "milliseconds"),
    ] {
        for part in [
            lead,
            &format!("`{entity}`'s token counts in {unit},"),
            "would collide",
            r#"token = "id""#,
            r#"token = "micros""#,
        ] {
            assert!(m.contains(part), "{part:?} missing from {m}");
        }
    }

    // Elsewhere the index is partial and the token plays no part.
    for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
        unique_live_index::<tokenless::Entity>(backend, "x", &[tokenless::Column::Email]).unwrap();
        unique_live_index::<nullable::Entity>(backend, "x", &[nullable::Column::Email]).unwrap();
        unique_live_index::<by_seconds::Entity>(backend, "x", &[by_seconds::Column::Email])
            .unwrap();
        unique_live_index::<by_millis::Entity>(backend, "x", &[by_millis::Column::Email]).unwrap();
    }
}

backend_tests!(
    primary_key_token,
    micros_token,
    seconds_token,
    tokenless_and_nullable,
    primary_key_token_needs_one_column
);
