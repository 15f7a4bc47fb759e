//! A title's poster, or a neat placeholder when there is none or it fails to load.

use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct PosterProps {
    pub url: Option<AttrValue>,
    pub title: AttrValue,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(Poster)]
pub fn poster(props: &PosterProps) -> Html {
    let failed = use_state(|| false);
    {
        let failed = failed.clone();
        use_effect_with(props.url.clone(), move |_| failed.set(false));
    }
    let onerror = {
        let failed = failed.clone();
        Callback::from(move |_: Event| failed.set(true))
    };
    let image = props.url.as_ref().filter(|_| !*failed);
    let initials = text::initials(&props.title);
    html! {
        <div class={classes!("poster", props.class.clone())}>
            // The placeholder sits under the image: it shows while the image loads, and stays
            // when there is none or it fails.
            if image.is_some() {
                <div class="poster-placeholder" aria-hidden="true"><span>{ initials }</span></div>
            } else {
                <div class="poster-placeholder" role="img" aria-label={format!("No poster for {}", props.title)}>
                    <span aria-hidden="true">{ initials }</span>
                </div>
            }
            if let Some(url) = image {
                <img src={url} alt={format!("Poster for {}", props.title)} loading="lazy" {onerror} />
            }
        </div>
    }
}
