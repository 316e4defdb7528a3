//! The soft-delete columns for `sea-orm-migration` migrations (feature `migration`).
//!
//! [`MixinColumns`] adds `created_at`, `updated_at`, `deleted_at` and optionally
//! `delete_token` to a table being created ([`MixinColumns::add_to`]) or to an existing table
//! ([`MixinColumns::alter_table`], [`MixinColumns::add_to_table`]), typed per backend:
//!
//! | Column | PostgreSQL | MySQL, MariaDB | SQLite |
//! |---|---|---|---|
//! | `created_at`, `updated_at` (UTC kinds) | `timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP` | `DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6))` | `timestamp_with_timezone_text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))` |
//! | the same, naive kind | `timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')` | as above | `datetime_text NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))` |
//! | `deleted_at` | the same type, `NULL` | `DATETIME(6) NULL` | the same type, `NULL` |
//! | `delete_token` | `bigint NOT NULL DEFAULT 0` ([`TokenColumnKind::NotNullZero`]) or `bigint NULL` ([`TokenColumnKind::Nullable`]) | the same | the same |
//!
//! The defaults are the current UTC time, the same value the hooks write, so an insert that
//! bypasses them still gets valid timestamps. MySQL's `TIMESTAMP` ends in 2038, hence
//! `DATETIME(6)` (expression defaults need MySQL 8.0.13 or MariaDB 10.2). On SQLite the
//! defaults write the text format SeaORM writes and reads, so defaulted and stamped rows sort
//! together.
//!
//! SQLite's `ALTER TABLE … ADD COLUMN` takes only a constant default, so
//! [`alter_table`](MixinColumns::alter_table) gives SQLite's `created_at` and `updated_at` the
//! time of the migration as their default: existing rows get that time, as they do on the
//! other backends, but a later insert that bypasses the hooks gets it too. Rebuild the table
//! (create the new one with [`add_to`](MixinColumns::add_to), copy, rename) where that matters.
//!
//! In a migration:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sea_orm::DbErr> {
//! use sea_orm::{ConnectionTrait, Database, Statement, sea_query::{ColumnDef, Table}};
//! use sea_orm_migration::SchemaManager;
//! use soft_delete_core::migration::{MixinColumns, TokenColumnKind};
//!
//! # let db = Database::connect("sqlite::memory:").await?;
//! let manager = SchemaManager::new(&db); // what `MigrationTrait::up` receives
//! let backend = manager.get_database_backend();
//! let mixin = MixinColumns::new().token(TokenColumnKind::NotNullZero);
//!
//! let mut account = Table::create()
//!     .table("account")
//!     .col(ColumnDef::new("id").big_integer().not_null().auto_increment().primary_key())
//!     .col(ColumnDef::new("email").string().not_null())
//!     .to_owned();
//! mixin.add_to(&mut account, backend);
//! manager.create_table(account).await?;
//!
//! manager.create_table(Table::create().table("legacy").col(ColumnDef::new("id").integer().primary_key()).to_owned()).await?;
//! mixin.add_to_table(&manager, "legacy").await?;
//! db.execute_unprepared("INSERT INTO legacy (id) VALUES (1)").await?;
//! let row = db.query_one_raw(Statement::from_string(backend, "SELECT delete_token FROM legacy")).await?;
//! assert_eq!(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?, Some(0));
//! # Ok(())
//! # }
//! ```

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    DbBackend, DbErr, IdenStatic,
    sea_query::{
        Alias, ColumnDef, Expr, IntoTableRef, Table, TableAlterStatement, TableCreateStatement,
        TableRef,
    },
};
use sea_orm_migration::SchemaManager;

use crate::{SoftDelete, TimestampKind, TokenWidth};

/// How the `delete_token` column stores a live row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenColumnKind {
    /// `BIGINT NOT NULL DEFAULT 0`: live rows hold `0`, so a unique index over
    /// `(key, delete_token)` constrains them (MySQL's unique-while-live index). Entity field
    /// `delete_token: i64`.
    NotNullZero,
    /// `BIGINT NULL`: live rows hold `NULL`. Entity field `delete_token: Option<i64>`.
    Nullable,
}

/// The soft-delete columns of one table, with their names and kinds.
///
/// [`new`](Self::new) gives core-lib's columns: `created_at`, `updated_at`, `deleted_at` for
/// `DateTimeUtc` fields, no token. [`of`](Self::of) reads names and kinds from an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixinColumns {
    created_at: (String, TimestampKind),
    updated_at: (String, TimestampKind),
    deleted_at: (String, TimestampKind),
    token: Option<(String, TokenColumnKind, TokenWidth)>,
}

impl Default for MixinColumns {
    fn default() -> Self {
        Self::new()
    }
}

impl MixinColumns {
    /// `created_at`, `updated_at`, `deleted_at` for `DateTimeUtc` fields; no token.
    pub fn new() -> Self {
        Self {
            created_at: ("created_at".into(), TimestampKind::Utc),
            updated_at: ("updated_at".into(), TimestampKind::Utc),
            deleted_at: ("deleted_at".into(), TimestampKind::Utc),
            token: None,
        }
    }

    /// The columns `E` declares: its column names, timestamp kinds and token.
    pub fn of<E: SoftDelete>() -> Self {
        let cols = E::soft_delete_columns();
        let name = |c: E::Column| c.as_str().to_owned();
        Self {
            created_at: (name(cols.created_at.column), cols.created_at.kind),
            updated_at: (name(cols.updated_at.column), cols.updated_at.kind),
            deleted_at: (name(cols.deleted_at.column), cols.deleted_at.kind),
            token: cols.token.map(|t| {
                let kind = if t.nullable {
                    TokenColumnKind::Nullable
                } else {
                    TokenColumnKind::NotNullZero
                };
                (name(t.column), kind, t.width)
            }),
        }
    }

    /// All three timestamps of this kind: [`TimestampKind::Naive`] for `DateTime` fields.
    pub fn timestamps(mut self, kind: TimestampKind) -> Self {
        self.created_at.1 = kind;
        self.updated_at.1 = kind;
        self.deleted_at.1 = kind;
        self
    }

    /// Adds a `delete_token` column of this kind (`BIGINT`).
    pub fn token(mut self, kind: TokenColumnKind) -> Self {
        let name = self
            .token
            .take()
            .map_or_else(|| "delete_token".to_owned(), |t| t.0);
        self.token = Some((name, kind, TokenWidth::I64));
        self
    }

    /// Renames the three timestamp columns.
    pub fn names(mut self, created_at: &str, updated_at: &str, deleted_at: &str) -> Self {
        self.created_at.0 = created_at.to_owned();
        self.updated_at.0 = updated_at.to_owned();
        self.deleted_at.0 = deleted_at.to_owned();
        self
    }

    /// Renames the token column (core-lib's older tables call it `deleted_at_token`). Adds a
    /// [`TokenColumnKind::NotNullZero`] token if none was set.
    pub fn token_name(mut self, name: &str) -> Self {
        let (kind, width) = self
            .token
            .take()
            .map_or((TokenColumnKind::NotNullZero, TokenWidth::I64), |t| {
                (t.1, t.2)
            });
        self.token = Some((name.to_owned(), kind, width));
        self
    }

    /// The column definitions, in the order `created_at`, `updated_at`, `deleted_at`, token.
    pub fn column_defs(&self, backend: DbBackend) -> Vec<ColumnDef> {
        self.defs(backend, None)
    }

    /// Adds the columns to a table being created.
    pub fn add_to<'t>(
        &self,
        table: &'t mut TableCreateStatement,
        backend: DbBackend,
    ) -> &'t mut TableCreateStatement {
        for def in self.defs(backend, None) {
            table.col(def);
        }
        table
    }

    /// `ALTER TABLE` statements that add the columns to an existing table: one statement on
    /// PostgreSQL and MySQL, one per column on SQLite (which adds one column per `ALTER`),
    /// where `created_at` and `updated_at` default to the current time as a constant (see the
    /// [module docs](self)).
    pub fn alter_table(
        &self,
        table: impl IntoTableRef,
        backend: DbBackend,
    ) -> Vec<TableAlterStatement> {
        let table: TableRef = table.into_table_ref();
        let defs = self.defs(backend, Some(crate::clock::now()));
        if backend == DbBackend::Sqlite {
            defs.into_iter()
                .map(|mut def| {
                    Table::alter()
                        .table(table.clone())
                        .add_column(&mut def)
                        .take()
                })
                .collect()
        } else {
            let mut alter = Table::alter();
            alter.table(table);
            for mut def in defs {
                alter.add_column(&mut def);
            }
            vec![alter.take()]
        }
    }

    /// Runs [`alter_table`](Self::alter_table) through a migration's `SchemaManager`.
    ///
    /// Statements: one on PostgreSQL and MySQL; one per column (3 or 4) on SQLite.
    pub async fn add_to_table(
        &self,
        manager: &SchemaManager<'_>,
        table: impl IntoTableRef,
    ) -> Result<(), DbErr> {
        for alter in self.alter_table(table, manager.get_database_backend()) {
            manager.alter_table(alter).await?;
        }
        Ok(())
    }

    /// `constant_now`: SQLite `ALTER` needs constant defaults; this is the time they hold.
    fn defs(&self, backend: DbBackend, constant_now: Option<DateTime<Utc>>) -> Vec<ColumnDef> {
        let sqlite_now = constant_now.filter(|_| backend == DbBackend::Sqlite);
        let mut defs = Vec::with_capacity(4);
        for (name, kind) in [&self.created_at, &self.updated_at] {
            let mut def = timestamp(name, *kind, backend);
            def.not_null()
                .default(now_default(*kind, backend, sqlite_now));
            defs.push(def);
        }
        let (name, kind) = &self.deleted_at;
        defs.push(timestamp(name, *kind, backend).null().take());
        if let Some((name, kind, width)) = &self.token {
            let mut def = ColumnDef::new(Alias::new(name));
            match width {
                TokenWidth::I32 => def.integer(),
                TokenWidth::I64 => def.big_integer(),
            };
            match kind {
                TokenColumnKind::NotNullZero => def.not_null().default(0),
                TokenColumnKind::Nullable => def.null(),
            };
            defs.push(def);
        }
        defs
    }
}

/// A timestamp column typed the way SeaORM reads `kind` on `backend`.
fn timestamp(name: &str, kind: TimestampKind, backend: DbBackend) -> ColumnDef {
    let mut def = ColumnDef::new(Alias::new(name));
    match (backend, kind) {
        // `TIMESTAMP` ends in 2038; the helpers bind naive UTC wall-clock values here.
        (DbBackend::MySql, _) => def.custom(Alias::new("DATETIME(6)")),
        (_, TimestampKind::Utc | TimestampKind::FixedOffset) => def.timestamp_with_time_zone(),
        (_, TimestampKind::Naive) => def.date_time(),
    };
    def
}

/// The current UTC time as each backend's default for a `kind` column.
fn now_default(
    kind: TimestampKind,
    backend: DbBackend,
    sqlite_const: Option<DateTime<Utc>>,
) -> Expr {
    let naive = kind == TimestampKind::Naive;
    match backend {
        // `CURRENT_TIMESTAMP` would be the session's local time in a naive column.
        DbBackend::Postgres if naive => Expr::cust("now() AT TIME ZONE 'UTC'"),
        DbBackend::Postgres => Expr::cust("CURRENT_TIMESTAMP"),
        DbBackend::MySql => Expr::cust("UTC_TIMESTAMP(6)"),
        // SQLite: the text SeaORM writes, RFC 3339 for `DateTimeUtc`, `%F %T%.f` for `DateTime`.
        _ => match (naive, sqlite_const) {
            (false, None) => Expr::cust("strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"),
            (true, None) => Expr::cust("strftime('%Y-%m-%d %H:%M:%f', 'now')"),
            (false, Some(at)) => Expr::val(at.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
            (true, Some(at)) => Expr::val(at.naive_utc().format("%F %T%.f").to_string()),
        },
    }
}
