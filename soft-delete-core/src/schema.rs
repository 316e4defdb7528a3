//! Indexes for soft-delete tables: unique among live rows, and an index that serves
//! [`find_live`](crate::find_live).
//!
//! A plain unique index on `email` still sees soft-deleted rows, so a deleted `a@x` blocks a
//! new `a@x`; a unique `(email, deleted_at)` does not help either, because `NULL`s never
//! collide. [`unique_live_index`] builds the index that constrains only live rows:
//!
//! | Backend | `unique_live_index(.., &[Email])` |
//! |---|---|
//! | PostgreSQL, SQLite | `CREATE UNIQUE INDEX … ("email") WHERE "deleted_at" IS NULL` |
//! | MySQL, MariaDB | `CREATE UNIQUE INDEX … (email, delete_token)` |
//!
//! MySQL and MariaDB have no partial indexes, so there the index adds the entity's `NOT NULL`
//! delete token: `0` on every live row (so live rows collide), a distinct value on each deleted
//! row. Distinct means distinct per key: a seconds token gives two deletions of the same key
//! within one second the same value, and the second deletion then fails. The builder therefore
//! takes only tokens that cannot collide that way:
//!
//! * `#[soft_delete(token = "id")]`: the token is the row's own primary key. Unique by
//!   construction, whatever the clock does. The recommended choice.
//! * `#[soft_delete(token = "micros")]`: the deletion time in microseconds. Two deletions of
//!   the same key would have to land in the same microsecond (or the clock step back onto the
//!   earlier value); each re-create and delete is at least one round trip apart.
//!
//! Seconds and millisecond tokens are refused on MySQL with an error that says what to change.
//! They remain fine wherever the index is partial (PostgreSQL, SQLite), where the token plays
//! no part.
//!
//! The builders return sea-query statements, so they run from plain code or from a
//! `sea-orm-migration` migration alike:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sea_orm::DbErr> {
//! use sea_orm::{ConnectionTrait, Database, DbBackend, Schema};
//! use soft_delete_core::schema::{live_index, unique_live_index};
//!
//! mod account {
//!     use sea_orm::entity::prelude::*;
//!     use soft_delete_core::prelude::*;
//!
//!     #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
//!     #[sea_orm(table_name = "account")]
//!     #[soft_delete(token = "id")]
//!     pub struct Model {
//!         #[sea_orm(primary_key)]
//!         pub id: i64,
//!         pub email: String,
//!         pub created_at: DateTimeUtc,
//!         pub updated_at: DateTimeUtc,
//!         pub deleted_at: Option<DateTimeUtc>,
//!         pub delete_token: i64,
//!     }
//!
//!     #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
//!     pub enum Relation {}
//! }
//! use account::Column;
//!
//! let index = unique_live_index::<account::Entity>(DbBackend::Postgres, "account_email_live", &[Column::Email])?;
//! assert_eq!(
//!     DbBackend::Postgres.build(&index).to_string(),
//!     r#"CREATE UNIQUE INDEX "account_email_live" ON "account" ("email") WHERE "deleted_at" IS NULL"#
//! );
//! let index = unique_live_index::<account::Entity>(DbBackend::MySql, "account_email_live", &[Column::Email])?;
//! assert_eq!(
//!     DbBackend::MySql.build(&index).to_string(),
//!     "CREATE UNIQUE INDEX `account_email_live` ON `account` (`email`, `delete_token`)"
//! );
//!
//! // Run it directly ...
//! let db = Database::connect("sqlite::memory:").await?;
//! db.execute(&Schema::new(db.get_database_backend()).create_table_from_entity(account::Entity)).await?;
//! db.execute(&unique_live_index::<account::Entity>(db.get_database_backend(), "account_email_live", &[Column::Email])?).await?;
//! // ... or inside a migration's `up`:
//! //     manager.create_index(live_index::<account::Entity>(manager.get_database_backend(), "account_live", &[])?).await?;
//! db.execute(&live_index::<account::Entity>(db.get_database_backend(), "account_live", &[])?).await?;
//! # Ok(())
//! # }
//! ```

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, Iterable, PrimaryKeyToColumn,
    sea_query::{
        ConditionalStatement, Expr, ExprTrait, Index, IndexCreateStatement, TableName, TableRef,
    },
};

use crate::{SoftDelete, TokenPrecision, key::entity_name, statement::token_key_column};

/// A unique index over `columns` that only constrains live rows.
///
/// PostgreSQL and SQLite: a partial unique index `WHERE deleted_at IS NULL`. MySQL and
/// MariaDB: a unique index over `columns` plus the delete token, which needs a `NOT NULL`
/// token whose deleted values cannot collide (`token = "id"` or `token = "micros"`); any other
/// entity is an error that says what to add. See the [module docs](self).
///
/// Builds the statement only; run it with `db.execute(&stmt)` or a migration's
/// `manager.create_index(stmt)`.
pub fn unique_live_index<E: SoftDelete>(
    backend: DbBackend,
    name: &str,
    columns: &[E::Column],
) -> Result<IndexCreateStatement, DbErr> {
    check_name::<E>(name)?;
    if columns.is_empty() {
        return Err(DbErr::Custom(format!(
            "unique index `{name}` on `{}` needs at least one column",
            entity_name::<E>()
        )));
    }
    let cols = E::soft_delete_columns();
    let mut index = base::<E>(backend, name);
    index.unique();
    for column in columns {
        index.col(*column);
    }
    match backend {
        DbBackend::MySql => {
            index.col(mysql_token::<E>(name)?);
        }
        _ => {
            index.and_where(Expr::col(cols.deleted_at.column).is_null());
        }
    }
    Ok(index)
}

/// A plain index that lets [`find_live`](crate::find_live) read only live rows.
///
/// PostgreSQL and SQLite: a partial index over `columns` (the primary key when `columns` is
/// empty) `WHERE deleted_at IS NULL`, so its size follows the live rows only. MySQL and
/// MariaDB: an index over `(deleted_at, columns…)`, which `deleted_at IS NULL` reads as one
/// range; InnoDB keeps the primary key in every secondary index, so no token is needed for
/// this.
pub fn live_index<E: SoftDelete>(
    backend: DbBackend,
    name: &str,
    columns: &[E::Column],
) -> Result<IndexCreateStatement, DbErr> {
    check_name::<E>(name)?;
    let deleted_at = E::soft_delete_columns().deleted_at.column;
    let mut index = base::<E>(backend, name);
    match backend {
        DbBackend::MySql => {
            index.col(deleted_at);
            for column in columns {
                index.col(*column);
            }
        }
        _ => {
            if columns.is_empty() {
                for key in E::PrimaryKey::iter() {
                    index.col(key.into_column());
                }
            }
            for column in columns {
                index.col(*column);
            }
            index.and_where(Expr::col(deleted_at).is_null());
        }
    }
    Ok(index)
}

/// Builds [`unique_live_index`] for `db`'s backend and runs it. Statements: one.
pub async fn create_unique_live_index<E: SoftDelete, C: ConnectionTrait>(
    db: &C,
    name: &str,
    columns: &[E::Column],
) -> Result<(), DbErr> {
    let index = unique_live_index::<E>(db.get_database_backend(), name, columns)?;
    db.execute(&index).await.map(|_| ())
}

/// Builds [`live_index`] for `db`'s backend and runs it. Statements: one.
pub async fn create_live_index<E: SoftDelete, C: ConnectionTrait>(
    db: &C,
    name: &str,
    columns: &[E::Column],
) -> Result<(), DbErr> {
    let index = live_index::<E>(db.get_database_backend(), name, columns)?;
    db.execute(&index).await.map(|_| ())
}

/// `CREATE INDEX name ON table`, the table named the way each backend accepts in an index.
fn base<E: EntityTrait>(backend: DbBackend, name: &str) -> IndexCreateStatement {
    let table = match E::default().table_ref() {
        // Only PostgreSQL takes `schema.table` here; the others take the bare table.
        TableRef::Table(TableName(Some(_), table), alias) if backend != DbBackend::Postgres => {
            TableRef::Table(TableName(None, table), alias)
        }
        other => other,
    };
    Index::create().name(name).table(table).take()
}

/// sea-query writes index names between quotes without escaping them.
fn check_name<E: EntityTrait>(name: &str) -> Result<(), DbErr> {
    if name.is_empty() || name.contains(['"', '`', '\0']) {
        return Err(DbErr::Custom(format!(
            "index name {name:?} on `{}`: give a non-empty name without quotes",
            entity_name::<E>()
        )));
    }
    Ok(())
}

/// The token column a MySQL unique-while-live index can use, or why there is none.
fn mysql_token<E: SoftDelete>(name: &str) -> Result<E::Column, DbErr> {
    let entity = entity_name::<E>();
    let lead = format!(
        "unique index `{name}` on `{entity}`: MySQL and MariaDB have no partial indexes, so a \
         unique-while-live index is a unique index over the columns plus a NOT NULL delete token"
    );
    let Some(token) = E::soft_delete_columns().token else {
        return Err(DbErr::Custom(format!(
            "{lead}, and `{entity}` has none. Add a `delete_token: i64` field (column BIGINT NOT \
             NULL DEFAULT 0) and `#[soft_delete(token = \"id\")]` to the entity"
        )));
    };
    if token.nullable {
        return Err(DbErr::Custom(format!(
            "{lead}; `{entity}`'s token is nullable, and NULLs never collide, so live rows would \
             not be constrained. Make the field `i64` (column BIGINT NOT NULL DEFAULT 0)"
        )));
    }
    match token.precision {
        TokenPrecision::PrimaryKey => {
            token_key_column::<E>()?;
        }
        TokenPrecision::Micros => {}
        TokenPrecision::Seconds | TokenPrecision::Millis => {
            return Err(DbErr::Custom(format!(
                "{lead}; `{entity}`'s token counts in {}, so two deletions of the same key within \
                 one tick would collide. Use `#[soft_delete(token = \"id\")]` (the primary key, \
                 never collides) or `#[soft_delete(token = \"micros\")]` with an i64 field",
                if token.precision == TokenPrecision::Seconds {
                    "seconds"
                } else {
                    "milliseconds"
                }
            )));
        }
    }
    Ok(token.column)
}
