//! The one clock read every write uses.

use chrono::{DateTime, SubsecRound, Utc};

/// The current UTC time, truncated to whole microseconds.
///
/// Microseconds are what PostgreSQL and MySQL `DATETIME(6)` keep, so a model the helpers
/// return equals the row a later `SELECT` reads.
pub fn now() -> DateTime<Utc> {
    truncate(Utc::now())
}

/// Truncates `at` to whole microseconds.
///
/// ```
/// use chrono::{TimeZone, Timelike, Utc};
/// let at = Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5).unwrap().with_nanosecond(123_456_789).unwrap();
/// assert_eq!(soft_delete_core::truncate(at).nanosecond(), 123_456_000);
/// ```
pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}
