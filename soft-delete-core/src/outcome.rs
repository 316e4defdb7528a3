//! What the by-id helpers report.

/// The result of [`soft_delete_by_id`](crate::soft_delete_by_id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeleteOutcome {
    /// The row was live and is now deleted.
    Deleted,
    /// The row was already deleted; its `deleted_at` and token are unchanged.
    AlreadyDeleted,
    /// No row has this primary key.
    NotFound,
}

/// The result of [`restore_by_id`](crate::restore_by_id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RestoreOutcome {
    /// The row was deleted and is now live.
    Restored,
    /// The row was live already; nothing changed.
    NotDeleted,
    /// No row has this primary key.
    NotFound,
    /// Restoring would break a unique index because a live row now holds the same key.
    /// Nothing changed.
    Conflict,
}
