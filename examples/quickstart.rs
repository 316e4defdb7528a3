//! The seed's `user_data` example, step by step, on an in-memory SQLite database.
//!
//! ```text
//! cargo run --example quickstart
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --example quickstart
//! ```

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, Database, DbErr, EntityTrait, QueryOrder,
    Schema, sea_query::Table,
};
use soft_delete_core::prelude::*;

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

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), DbErr> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite::memory:".to_owned());
    let db = Database::connect(&url).await?;
    let backend = db.get_database_backend();
    println!("soft-delete quickstart on {url}\n");

    println!("1. create table user_data");
    db.execute(Table::drop().table(UserData).if_exists())
        .await?;
    db.execute(&Schema::new(backend).create_table_from_entity(UserData))
        .await?;

    println!("2. insert users");
    for name in ["alice", "bob", "carol"] {
        let row = user_data::ActiveModel {
            name: Set(name.to_owned()),
            ..Default::default()
        };
        println!("   {}", show(&row.insert(&db).await?));
    }

    println!("3. soft-delete user 1");
    let outcome = UserData::soft_delete_by_id(&db, 1).await?;
    println!("   soft_delete_by_id(1) -> {outcome:?}");

    println!("4. list live users");
    list_live(&db).await?;

    println!("5. the deleted row is still there, with its token");
    for row in UserData::find_deleted().all(&db).await? {
        println!("   {}", show(&row));
    }

    println!("6. delete user 1 again");
    let outcome = UserData::soft_delete_by_id(&db, 1).await?;
    let row = UserData::find_by_id(1).one(&db).await?;
    println!("   soft_delete_by_id(1) -> {outcome:?}; the row keeps its first stamp:");
    if let Some(row) = row {
        println!("   {}", show(&row));
    }

    println!("7. a plain hard delete is refused");
    if let Some(bob) = UserData::find_by_id(2).one(&db).await? {
        use sea_orm::ModelTrait;
        match bob.delete(&db).await {
            Ok(_) => println!("   bob was removed"),
            Err(err) => println!("   bob.delete(db) -> error: {err}"),
        }
    }

    println!("8. restore user 1");
    let outcome = UserData::restore_by_id(&db, 1).await?;
    println!("   restore_by_id(1) -> {outcome:?}");
    list_live(&db).await?;

    println!("9. force-delete user 2 (gone for good)");
    let removed = UserData::force_delete_by_id(&db, 2).await?;
    println!("   force_delete_by_id(2) -> {removed}");
    list_live(&db).await?;

    println!("10. purge rows deleted more than 30 days ago");
    let long_ago = Utc::now() - Duration::days(45);
    UserData::soft_delete_by_id_at(&db, 3, long_ago).await?;
    let purged = UserData::purge_deleted_before(&db, Utc::now() - Duration::days(30)).await?;
    println!(
        "   carol was deleted 45 days ago; purge_deleted_before(now - 30 days) -> {purged} row(s)"
    );
    let left: Vec<String> = UserData::find().all(&db).await?.iter().map(show).collect();
    println!("   rows left: {}", left.join("; "));

    db.execute(Table::drop().table(UserData)).await?;
    Ok(())
}
