//! `#[derive(SoftDelete)]` for SeaORM 2 entities. Use it through `soft_delete_core`, which
//! re-exports it and holds the runtime it expands to.
//!
//! The derive parses the `Model` struct into a small AST ([`ast`]), validates it in its own
//! pass ([`valid`]) and expands it ([`expand`]). When validation fails it still emits a
//! fallback impl ([`fallback`]), so the user sees the one real error and no follow-on ones.

extern crate proc_macro;

mod ast;
mod attr;
mod case;
mod expand;
mod fallback;
mod types;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives soft deletes for a SeaORM entity's `Model`. See `soft_delete_core`.
#[proc_macro_derive(SoftDelete, attributes(soft_delete))]
pub fn derive_soft_delete(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
