//! The entities the tests use, one per shape of soft-delete entity.

pub mod compact_format;
pub mod composite;
pub mod event;
pub mod hooked;
pub mod item;
pub mod legacy;
pub mod model_format;
pub mod note;
pub mod post;
pub mod quoted;
pub mod removable;
pub mod renamed;
pub mod user;
