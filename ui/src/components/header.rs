//! The bar at the top: the brand, and once connected the server and session controls.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Signed in, or in the demo: show the session controls.
    pub in_session: bool,
    pub demo: bool,
    /// The server in use, if any.
    pub server: Option<AttrValue>,
    /// A cached library is being refreshed: "Updating library… 40%".
    #[prop_or_default]
    pub refreshing: Option<AttrValue>,
    pub on_switch: Callback<()>,
    pub on_check: Callback<()>,
    /// "Libraries": choose again which libraries to pick from.
    pub on_libraries: Callback<()>,
    pub on_sign_out: Callback<()>,
    pub on_about: Callback<()>,
    /// "AI curation": the provider panel.
    pub on_ai: Callback<()>,
    /// Who is watching with the account, by name (empty: the account alone).
    #[prop_or_default]
    pub watching: Vec<AttrValue>,
    /// "Who's watching?": the profiles panel.
    pub on_profiles: Callback<()>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    let session = if !props.in_session {
        html! {}
    } else if props.demo {
        html! {
            <div class="session">
                <span id="current-server" class="current-server demo">{ "Demo library" }</span>
                <button type="button" id="sign-out" class="ghost" onclick={click(&props.on_sign_out)}>
                    { "Exit demo" }
                </button>
            </div>
        }
    } else {
        html! {
            <div class="session">
                if let Some(server) = &props.server {
                    <span id="current-server" class="current-server" title={server.clone()}>{ server }</span>
                    <button type="button" id="switch-server" class="ghost" onclick={click(&props.on_switch)}>
                        { "Switch" }
                    </button>
                    <button type="button" id="change-libraries" class="ghost" onclick={click(&props.on_libraries)}>
                        { "Libraries" }
                    </button>
                    <button type="button" id="check-connection" class="ghost" onclick={click(&props.on_check)}>
                        { "Check connection" }
                    </button>
                }
                <button type="button" id="who-is-watching" class="ghost" onclick={click(&props.on_profiles)}
                    aria-label={watching_label(&props.watching)}>
                    { watching_text(&props.watching) }
                </button>
                <button type="button" id="sign-out" class="ghost" onclick={click(&props.on_sign_out)}>
                    { "Sign out" }
                </button>
            </div>
        }
    };
    html! {
        <header class="topbar">
            <h1 class="brand">{ "Plex" }<span>{ "Picker" }</span></h1>
            if let Some(refreshing) = &props.refreshing {
                <span class="refreshing" role="status">{ refreshing }</span>
            }
            { session }
            <button type="button" id="ai-open" class="ghost" onclick={click(&props.on_ai)}>{ "AI curation" }</button>
            <button type="button" id="about" class="ghost" onclick={click(&props.on_about)}>{ "About" }</button>
        </header>
    }
}

/// The header button's text: who is watching, short.
fn watching_text(watching: &[AttrValue]) -> String {
    match watching {
        [] => "Who's watching?".into(),
        [one, two] => format!("{one} & {two}"),
        [first, rest @ ..] => format!("{first} + {}", rest.len()),
    }
}

/// The same for screen readers: every name.
fn watching_label(watching: &[AttrValue]) -> String {
    if watching.is_empty() {
        return "Who's watching? Choose the people picking together".into();
    }
    let names: Vec<&str> = watching.iter().map(AttrValue::as_str).collect();
    format!("Watching: {}. Change who's watching", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_room_briefly_and_fully_for_screen_readers() {
        let names = |n: &[&str]| {
            n.iter()
                .map(|s| AttrValue::from(s.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(watching_text(&[]), "Who's watching?");
        assert_eq!(watching_text(&names(&["Ann", "Sam"])), "Ann & Sam");
        assert_eq!(watching_text(&names(&["Ann", "Sam", "Kid"])), "Ann + 2");
        assert_eq!(
            watching_label(&names(&["Ann", "Sam", "Kid"])),
            "Watching: Ann, Sam, Kid. Change who's watching"
        );
    }
}
