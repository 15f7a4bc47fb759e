//! One module per screen. Each page reads the state and dispatches actions or runs
//! [`crate::effects`]; the rules live in [`crate::state`].

pub mod connecting;
pub mod libraries;
pub mod picker;
pub mod results;
pub mod servers;
pub mod waiting;
pub mod welcome;

use yew::prelude::*;

use crate::effects::Dispatch;
use crate::state::State;

/// What every page gets: the state, to read and to change.
#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub state: UseReducerHandle<State>,
}

impl PageProps {
    pub fn dispatch(&self) -> Dispatch {
        self.state.dispatcher()
    }
}
