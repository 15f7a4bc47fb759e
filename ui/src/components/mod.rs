//! Reusable pieces of the pages. Each takes props and reports what happened through `on...`
//! callbacks; none talks to the backend.

pub mod about;
pub mod ai_panel;
pub mod candidate;
pub mod dialog;
pub mod error_note;
pub mod filters;
pub mod header;
pub mod notice;
pub mod pick_card;
pub mod poster;
pub mod profiles;
pub mod thinking;
pub mod wheel;
