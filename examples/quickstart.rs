//! The seed's `user_data` example, step by step, on an in-memory SQLite database.
//!
//! ```text
//! cargo run --example quickstart
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --example quickstart
//! ```
//!
//! On another database it creates `user_data`, refuses to start if a table of that name is
//! already there (it never drops what it did not create), and drops it again at the end.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ConnectionTrait, Database, DbBackend, DbErr, EntityTrait, QueryOrder, Schema,
    sea_query::{ColumnDef, Table, TableCreateStatement},
};
use soft_delete_core::{migration::MixinColumns, prelude::*};

mod user_data {
    use sea_orm::entity::prelude::*;
    use soft_delete_core::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]
    #[sea_orm(table_name = "user_data")]
    #[soft_delete(token)]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
        pub delete_token: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
}

use user_data::Entity as UserData;

fn show(row: &user_data::Model) -> String {
    match row.deleted_at {
        None => format!("#{} {:<6} live", row.id, row.name),
        Some(at) => format!(
            "#{} {:<6} deleted at {} (delete_token {})",
            row.id,
            row.name,
            at.format("%Y-%m-%d %H:%M:%S%.6f UTC"),
            row.delete_token
        ),
    }
}

async fn list_live(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let live = UserData::find_live()
        .order_by_asc(user_data::Column::Id)
        .all(db)
        .await?;
    let names: Vec<&str> = live.iter().map(|u| u.name.as_str()).collect();
    println!("   live users: {}", names.join(", "));
    Ok(())
}

/// The table, from the entity. On MySQL/MariaDB SeaORM would make the timestamps `TIMESTAMP`,
/// which ends in 2038: there the mixin columns come from `MixinColumns` as `DATETIME(6)`.
fn create_table(backend: DbBackend) -> TableCreateStatement {
    if backend != DbBackend::MySql {
        return Schema::new(backend).create_table_from_entity(UserData);
    }
    let mut table = Table::create()
        .table(UserData)
        .col(
            ColumnDef::new(user_data::Column::Id)
                .integer()
                .not_null()
                .auto_increment()
                .primary_key(),
        )
        .col(ColumnDef::new(user_data::Column::Name).string().not_null())
        .to_owned();
    MixinColumns::of::<UserData>().add_to(&mut table, backend);
    table
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), DbErr> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite::memory:".to_owned());
    let db = Database::connect(&url).await?;
    let backend = db.get_database_backend();
    println!("soft-delete quickstart on {url}\n");

    println!("1. create table user_data");
    if let Err(err) = db.execute(&create_table(backend)).await {
        return Err(DbErr::Custom(format!(
            "cannot create table user_data ({err}); the quickstart needs a database without one"
        )));
    }
    let result = story(&db).await;
    db.execute(Table::drop().table(UserData)).await?;
    result
}

async fn story(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    println!("2. insert users");
    let mut ids = Vec::new();
    for name in ["alice", "bob", "carol"] {
        let row = user_data::ActiveModel {
            name: Set(name.to_owned()),
            ..Default::default()
        };
        let row = row.insert(db).await?;
        println!("   {}", show(&row));
        ids.push(row.id);
    }
    let [alice, bob, carol] = ids[..] else {
        return Err(DbErr::Custom("expected three users".into()));
    };

    println!("3. soft-delete alice (#{alice})");
    let outcome = UserData::soft_delete_by_id(db, alice).await?;
    println!("   soft_delete_by_id({alice}) -> {outcome:?}");

    println!("4. list live users");
    list_live(db).await?;

    println!("5. the deleted row is still there, with its token");
    for row in UserData::find_deleted().all(db).await? {
        println!("   {}", show(&row));
    }

    println!("6. delete alice again");
    let outcome = UserData::soft_delete_by_id(db, alice).await?;
    let row = UserData::find_by_id(alice).one(db).await?;
    println!("   soft_delete_by_id({alice}) -> {outcome:?}; the row keeps its first stamp:");
    if let Some(row) = row {
        println!("   {}", show(&row));
    }

    println!("7. a plain hard delete is refused");
    if let Some(bob) = UserData::find_by_id(bob).one(db).await? {
        use sea_orm::ModelTrait;
        match bob.delete(db).await {
            Ok(_) => println!("   bob was removed"),
            Err(err) => println!("   bob.delete(db) -> error: {err}"),
        }
    }

    println!("8. restore alice");
    let outcome = UserData::restore_by_id(db, alice).await?;
    println!("   restore_by_id({alice}) -> {outcome:?}");
    list_live(db).await?;

    println!("9. force-delete bob (gone for good)");
    let removed = UserData::force_delete_by_id(db, bob).await?;
    println!("   force_delete_by_id({bob}) -> {removed}");
    list_live(db).await?;

    println!("10. purge rows deleted more than 30 days ago");
    let long_ago = Utc::now() - Duration::days(45);
    UserData::soft_delete_by_id_at(db, carol, long_ago).await?;
    let purged = UserData::purge_deleted_before(db, Utc::now() - Duration::days(30)).await?;
    println!(
        "   carol was deleted 45 days ago; purge_deleted_before(now - 30 days) -> {purged} row(s)"
    );
    let left: Vec<String> = UserData::find().all(db).await?.iter().map(show).collect();
    println!("   rows left: {}", left.join("; "));
    Ok(())
}
