//! Primary-key conditions for any key type, the way `Entity::find_by_id` builds them.

use sea_orm::{
    ColumnTrait, Condition, DbErr, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn,
    PrimaryKeyTrait,
    sea_query::{IntoValueTuple, ValueTuple},
};

/// The primary key value type of `E`: `i32`, `Uuid`, `(A, B)`, ...
pub type PrimaryKeyOf<E> = <<E as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType;

pub(crate) fn entity_name<E: EntityTrait>() -> &'static str {
    E::default().table_name()
}

/// `pk = id`, or an error when the value does not match the key's columns.
pub(crate) fn id_condition<E: EntityTrait>(id: PrimaryKeyOf<E>) -> Result<Condition, DbErr> {
    let values: ValueTuple = id.into_value_tuple();
    let mut keys = E::PrimaryKey::iter();
    let mut cond = Condition::all();
    for value in values {
        let key = keys
            .next()
            .ok_or_else(|| crate::error::key_arity(entity_name::<E>()))?;
        cond = cond.add(key.into_column().eq(value));
    }
    if keys.next().is_some() {
        return Err(crate::error::key_arity(entity_name::<E>()));
    }
    Ok(cond)
}

/// `pk = model's key`.
pub(crate) fn model_condition<E: EntityTrait>(model: &E::Model) -> Condition {
    E::PrimaryKey::iter().fold(Condition::all(), |cond, key| {
        let column = key.into_column();
        cond.add(column.eq(model.get(column)))
    })
}
