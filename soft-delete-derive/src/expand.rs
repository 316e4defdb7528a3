//! The expansion: `SoftDelete for Entity`, `ActiveModel::stamp` and the `ActiveModelBehavior`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::{Options, Precision};
use crate::types::{TimeKind, Width};
use crate::valid::{Errors, Timestamp, TokenField, Valid};
use crate::{attr, fallback, valid};

pub fn derive(input: &DeriveInput) -> TokenStream {
    // `#[sea_orm::model]` copies the derives onto its generated `ModelEx`; the entity is
    // handled once, on `Model`.
    if input.ident == "ModelEx" {
        return TokenStream::new();
    }
    let mut errors = Errors::default();
    let Some(parsed) = attr::parse(input, &mut errors) else {
        return errors.to_compile_error();
    };
    match valid::validate(&parsed, &mut errors) {
        Some(valid) if errors.is_empty() => expand(&valid),
        _ => {
            let mut out = errors.to_compile_error();
            out.extend(fallback::expand(&parsed.options));
            out
        }
    }
}

/// The runtime crate's path: `#[soft_delete(crate = "..")]` or `::soft_delete_core`.
pub fn krate(options: &Options) -> TokenStream {
    match &options.krate {
        Some(path) => quote!(#path),
        None => quote!(::soft_delete_core),
    }
}

fn expand(valid: &Valid<'_>) -> TokenStream {
    let krate = krate(valid.options);
    let columns = columns(valid);
    let deleted_at = &valid.deleted_at.field.ident;
    let stamp = stamp(valid);
    let behavior = if valid.options.no_behavior {
        quote!()
    } else {
        behavior(valid)
    };
    quote! {
        const _: () = {
            use #krate::__private as __sd;

            #[automatically_derived]
            impl __sd::SoftDelete for Entity {
                fn soft_delete_columns() -> __sd::SoftDeleteColumns<Column> {
                    #columns
                }

                fn is_deleted(model: &Model) -> bool {
                    ::core::option::Option::is_some(&model.#deleted_at)
                }
            }

            #stamp
            #behavior
        };
    }
}

fn kind(kind: TimeKind) -> TokenStream {
    match kind {
        TimeKind::Utc => quote!(__sd::TimestampKind::Utc),
        TimeKind::FixedOffset => quote!(__sd::TimestampKind::FixedOffset),
        TimeKind::Naive => quote!(__sd::TimestampKind::Naive),
    }
}

fn timestamp_column(ts: &Timestamp<'_>) -> TokenStream {
    let variant = &ts.field.variant;
    let kind = kind(ts.kind);
    quote!(__sd::TimestampColumn { column: Column::#variant, kind: #kind })
}

fn token_column(token: &Option<TokenField<'_>>) -> TokenStream {
    let Some(token) = token else {
        return quote!(::core::option::Option::None);
    };
    let variant = &token.field.variant;
    let precision = match token.precision {
        Precision::Seconds => quote!(__sd::TokenPrecision::Seconds),
        Precision::Millis => quote!(__sd::TokenPrecision::Millis),
        Precision::Micros => quote!(__sd::TokenPrecision::Micros),
        Precision::PrimaryKey => quote!(__sd::TokenPrecision::PrimaryKey),
    };
    let width = match token.width {
        Width::I32 => quote!(__sd::TokenWidth::I32),
        Width::I64 => quote!(__sd::TokenWidth::I64),
    };
    let nullable = token.nullable;
    quote! {
        ::core::option::Option::Some(__sd::TokenColumn {
            column: Column::#variant,
            precision: #precision,
            width: #width,
            nullable: #nullable,
        })
    }
}

fn columns(valid: &Valid<'_>) -> TokenStream {
    let created_at = timestamp_column(&valid.created_at);
    let updated_at = timestamp_column(&valid.updated_at);
    let deleted_at = timestamp_column(&valid.deleted_at);
    let token = token_column(&valid.token);
    let allow_hard_delete = valid.options.allow_hard_delete;
    quote! {
        __sd::SoftDeleteColumns {
            created_at: #created_at,
            updated_at: #updated_at,
            deleted_at: #deleted_at,
            token: #token,
            allow_hard_delete: #allow_hard_delete,
        }
    }
}

fn stamp(valid: &Valid<'_>) -> TokenStream {
    let created = valid.created_at.field.ident;
    let created_ty = valid.created_at.field.ty;
    let updated = valid.updated_at.field.ident;
    let updated_ty = valid.updated_at.field.ty;
    // A plain token is `0` while live; an `Option` token is left `NULL`.
    let token = match &valid.token {
        Some(token) if !token.nullable => {
            let ident = token.field.ident;
            quote! {
                if insert && self.#ident.is_not_set() {
                    self.#ident = __sd::ActiveValue::Set(0);
                }
            }
        }
        _ => quote!(),
    };
    quote! {
        #[automatically_derived]
        impl ActiveModel {
            /// Fills the soft-delete mixin columns for a save from one clock read: `created_at`
            /// on insert when it is not set, `updated_at` unless this save sets it, and a
            /// plain delete token's live value `0` on insert.
            ///
            /// The generated `before_save` calls it. Call it yourself before
            /// `Entity::insert(..)` / `insert_many(..)`, which run no hooks, and from your own
            /// `before_save` under `#[soft_delete(no_behavior)]`.
            pub fn stamp(&mut self, insert: bool) {
                self.stamp_at(insert, __sd::now());
            }

            /// [`stamp`](Self::stamp) at a given time instead of the clock's.
            pub fn stamp_at(&mut self, insert: bool, at: __sd::DateTime<__sd::Utc>) {
                let at = __sd::truncate(at);
                if insert && self.#created.is_not_set() {
                    self.#created = __sd::ActiveValue::Set(
                        <#created_ty as __sd::FromUtc>::from_utc(at),
                    );
                }
                if !self.#updated.is_set() {
                    self.#updated = __sd::ActiveValue::Set(
                        <#updated_ty as __sd::FromUtc>::from_utc(at),
                    );
                }
                #token
            }
        }
    }
}

fn behavior(valid: &Valid<'_>) -> TokenStream {
    let before_delete = if valid.options.allow_hard_delete {
        quote!()
    } else {
        quote! {
            async fn before_delete<C>(self, _db: &C) -> ::core::result::Result<Self, __sd::DbErr>
            where
                C: __sd::ConnectionTrait,
            {
                ::core::result::Result::Err(__sd::hard_delete_refused(
                    &__sd::entity_name::<Entity>(),
                ))
            }
        }
    };
    quote! {
        // The trait is named the way `DeriveEntityModel` names SeaORM, not through `__sd`: if a
        // `crate = ".."` path does not resolve, the impl still exists and that path's error is
        // the only one, instead of "`ActiveModelBehavior` is not implemented" as well.
        #[automatically_derived]
        #[__sd::async_trait]
        impl sea_orm::ActiveModelBehavior for ActiveModel {
            async fn before_save<C>(
                mut self,
                _db: &C,
                insert: bool,
            ) -> ::core::result::Result<Self, __sd::DbErr>
            where
                C: __sd::ConnectionTrait,
            {
                self.stamp(insert);
                ::core::result::Result::Ok(self)
            }

            #before_delete
        }
    }
}
