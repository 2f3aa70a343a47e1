use std::sync::Arc;

use db::Snapshot;

/// What every handler shares: the data loaded at start-up, immutable.
#[derive(Clone)]
pub struct AppState {
    pub snapshot: Arc<Snapshot>,
}
