//! The picker's vocabulary: what the user chooses (format, history, mood, time, genres, years,
//! ratings), the filters the engine applies and names, and the reasons for "Not this one".
//!
//! Plain serde data with no engine in it, so the window (compiled to wasm) and the wire
//! contract (`plexpicker-ipc`) share it without compiling the picker itself. The engine
//! (`picker`) re-exports all of it.

pub mod choices;
mod filter;
mod reject;

pub use choices::{
    Choices, ClockTime, ContentLevel, Format, InvalidChoice, Mood, RuntimeLimit, WatchFilter,
    YearFilter,
};
pub use filter::Filter;
pub use reject::RejectReason;
