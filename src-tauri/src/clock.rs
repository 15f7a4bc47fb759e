//! The app's clock for picks: now, the local time of day (for "must finish by") and a fresh
//! seed, so asking twice does not always give the same film.

use picker::PickContext;

use crate::state::now;

/// The context of a pick made now.
pub fn pick_context() -> PickContext {
    PickContext::new(now(), local_minutes(), random_seed())
}

/// Minutes since local midnight.
fn local_minutes() -> u32 {
    use chrono::Timelike;
    let now = chrono::Local::now();
    now.hour() * 60 + now.minute()
}

fn random_seed() -> u64 {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut seed = [0u8; 8];
    seed.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(seed)
}
