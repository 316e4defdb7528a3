//! The entities of a crate with no `chrono` or `async-trait` dependency work end to end.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, Database, EntityTrait, Schema};
use soft_delete_core::prelude::*;
use soft_delete_downstream::{account, ledger, note};

#[tokio::test]
async fn entities_without_extra_dependencies() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    let schema = Schema::new(db.get_database_backend());
    for table in [
        schema.create_table_from_entity(account::Entity),
        schema.create_table_from_entity(ledger::Entity),
        schema.create_table_from_entity(note::Entity),
    ] {
        db.execute(&table).await.unwrap();
    }

    let ada = account::ActiveModel {
        email: Set("ada@example.com".into()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    assert_eq!(ada.delete_token, None);
    let gone = ada.soft_delete(&db).await.unwrap();
    let at = gone.deleted_at.unwrap();
    assert_eq!(gone.delete_token, Some(at.timestamp_millis()));

    let entry = ledger::ActiveModel {
        memo: Set("rent".into()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    assert_eq!(entry.delete_token, 0);
    assert_eq!(
        ledger::Entity::soft_delete_by_id(&db, entry.id)
            .await
            .unwrap(),
        DeleteOutcome::Deleted
    );
    let stored = ledger::Entity::find_by_id(entry.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.delete_token, entry.id);

    let memo = note::ActiveModel {
        body: Set("hi".into()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    assert_eq!(memo.created_at, memo.updated_at);
    assert_eq!(
        note::Entity::soft_delete_by_id(&db, memo.id).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert!(note::Entity::find_live().all(&db).await.unwrap().is_empty());
}
