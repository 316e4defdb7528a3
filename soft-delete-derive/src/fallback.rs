//! What the derive still emits after an error, so that the one real error is all the user
//! sees: code that uses the entity keeps compiling against these stand-ins.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Options;
use crate::expand::krate;

pub fn expand(options: &Options) -> TokenStream {
    let krate = krate(options);
    let behavior = if options.no_behavior {
        quote!()
    } else {
        quote! {
            impl sea_orm::ActiveModelBehavior for ActiveModel {}
        }
    };
    quote! {
        const _: () = {
            use #krate::__private as __sd;

            impl __sd::SoftDelete for Entity {
                fn soft_delete_columns() -> __sd::SoftDeleteColumns<Column> {
                    ::core::unreachable!()
                }

                fn is_deleted(_: &Model) -> bool {
                    ::core::unreachable!()
                }
            }

            impl ActiveModel {
                #[allow(dead_code)]
                pub fn stamp(&mut self, _: bool) {}

                #[allow(dead_code)]
                pub fn stamp_at(&mut self, _: bool, _: __sd::DateTime<__sd::Utc>) {}
            }

            #behavior
        };
    }
}
