//! Misuse of `#[derive(SoftDelete)]` and `#[soft_delete_core::mixin]`: each case is one compile
//! error at the offending span, with no follow-on errors. Regenerate the `.stderr` snapshots
//! with `TRYBUILD=overwrite cargo test --test ui` after a toolchain change.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
