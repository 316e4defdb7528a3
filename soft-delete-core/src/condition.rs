//! Refusing bulk conditions that would match every row.

use sea_orm::{
    Condition, DbErr,
    sea_query::{BinOper, Expr, UnOper},
};

/// `true` when `cond` holds no expression at all, however deeply its empty
/// `Condition::all()` / `Condition::any()` groups nest.
///
/// ```
/// use sea_orm::Condition;
/// use soft_delete_core::is_empty_condition;
/// assert!(is_empty_condition(&Condition::all().add(Condition::any().not())));
/// ```
pub fn is_empty_condition(cond: &Condition) -> bool {
    is_constant(&Expr::from(cond.clone()))
}

fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Constant(_) => true,
        Expr::Binary(left, BinOper::And | BinOper::Or, right) => {
            is_constant(left) && is_constant(right)
        }
        Expr::Unary(UnOper::Not, inner) => is_constant(inner),
        _ => false,
    }
}

pub(crate) fn non_empty(cond: Condition, entity: &str, helper: &str) -> Result<Condition, DbErr> {
    if is_empty_condition(&cond) {
        Err(crate::error::empty_condition(entity, helper))
    } else {
        Ok(cond)
    }
}
