//! One module per screen. Each page reads the state and dispatches actions; the rules, and
//! which backend calls follow, live in [`crate::state`].

pub mod connecting;
pub mod libraries;
pub mod picker;
pub mod results;
pub mod servers;
pub mod waiting;
pub mod welcome;

use std::rc::Rc;

use yew::prelude::*;

use crate::effects::Dispatch;
use crate::state::State;

/// What every page gets: the state to read, and the dispatcher to change it.
#[derive(Properties)]
pub struct PageProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

impl PartialEq for PageProps {
    fn eq(&self, other: &Self) -> bool {
        // The reducer hands out a new `Rc` exactly when the state changed.
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch
    }
}
