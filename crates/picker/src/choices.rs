//! The user's choices: the vocabulary crate's, re-exported where the engine has always had them.

pub use picker_vocab::choices::*;
