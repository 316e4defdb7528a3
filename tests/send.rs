//! Every helper's future is `Send`, so services can spawn it, on a pool or in a transaction.

use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction};
use soft_delete_core::prelude::*;
use support::entities::{composite, user};

fn assert_send<T: Send>(_: &T) {}

#[test]
fn helper_futures_are_send() {
    let run = |db: &DatabaseConnection, txn: &DatabaseTransaction, m: &user::Model| {
        let now = soft_delete_core::now();
        assert_send(&user::Entity::soft_delete_by_id(db, 1));
        assert_send(&user::Entity::soft_delete_by_id_at(txn, 1, now));
        assert_send(&user::Entity::restore_by_id(db, 1));
        assert_send(&user::Entity::restore_by_id_at(txn, 1, now));
        assert_send(&user::Entity::force_delete_by_id(db, 1));
        assert_send(&user::Entity::soft_delete_many(db, user::Column::Id.eq(1)));
        assert_send(&user::Entity::restore_many(txn, user::Column::Id.eq(1)));
        assert_send(&user::Entity::purge_deleted_before(db, now));
        assert_send(&composite::Entity::soft_delete_by_id(db, (1, 2)));
        assert_send(&soft_delete_core::soft_delete_by_id::<user::Entity, _>(
            db, 1,
        ));
        assert_send(&soft_delete_core::restore_many::<user::Entity, _>(
            txn,
            user::Column::Id.eq(1),
        ));
        assert_send(&m.soft_delete(db));
        assert_send(&m.restore(txn));
    };
    // Type-checking the closure is the test; it is never called.
    let _ = run;
}
