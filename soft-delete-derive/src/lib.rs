//! `#[derive(SoftDelete)]` for SeaORM 2 entities. Use it through `soft_delete_core`, which
//! re-exports it and holds the runtime it expands to.
//!
//! The derive parses the `Model` struct into a small AST (`ast.rs`), validates it in its own
//! pass (`valid.rs`) and expands it (`expand.rs`). When validation fails it still emits a
//! fallback impl (`fallback.rs`), so the user sees the one real error and no follow-on ones.
//!
//! `#[derive(SoftDelete)]` takes struct options `#[soft_delete(token)]` (also
//! `token = "seconds" | "millis" | "micros" | "id"`), `allow_hard_delete`, `no_behavior` and
//! `crate = "path"`, and field roles `#[soft_delete(created_at | updated_at | deleted_at |
//! delete_token)]`. The `#[mixin]` attribute (`mixin.rs`) adds the mixin fields a struct
//! lacks and applies the derive; besides the derive's options it takes
//! `timestamp = "DateTimeUtc" | "DateTimeWithTimeZone" | "DateTime" | "NaiveDateTime"` and
//! `token_type = "i64" | "i32" | "Option<i64>" | "Option<i32>"`. The user documentation is
//! on the re-exports in `soft_delete_core`.

extern crate proc_macro;

mod ast;
mod attr;
mod case;
mod expand;
mod fallback;
mod mixin;
mod types;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives soft deletes for a SeaORM entity's `Model`. See `soft_delete_core::SoftDelete`.
#[proc_macro_derive(SoftDelete, attributes(soft_delete))]
pub fn derive_soft_delete(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}

/// Adds the mixin fields a `Model` lacks and derives `SoftDelete`. See `soft_delete_core::mixin`.
#[proc_macro_attribute]
pub fn mixin(args: TokenStream, item: TokenStream) -> TokenStream {
    mixin::mixin(args.into(), item.into()).into()
}
