//! The app's own hooks.

mod use_event;
mod use_focus_heading;
mod use_interval;

pub use use_event::use_event;
pub use use_focus_heading::use_focus_heading;
pub use use_interval::use_interval;
