//! A title's poster, or a neat placeholder when there is none or it fails to load.

use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct PosterProps {
    pub url: Option<AttrValue>,
    pub title: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    /// Bumped when the server became reachable again: a poster that failed is asked for again.
    #[prop_or_default]
    pub retry: u32,
}

#[function_component(Poster)]
pub fn poster(props: &PosterProps) -> Html {
    // The `retry` number the poster failed at, if it failed.
    let failed = use_state(|| None::<u32>);
    {
        let failed = failed.clone();
        use_effect_with(props.url.clone(), move |_| failed.set(None));
    }
    let onerror = {
        let failed = failed.clone();
        let retry = props.retry;
        Callback::from(move |_: Event| failed.set(Some(retry)))
    };
    let image = props
        .url
        .as_ref()
        .filter(|_| *failed != Some(props.retry))
        .map(|url| match *failed {
            // Failed before the server came back: a new request (the backend reads the path
            // only, so the query just defeats the webview's memory of the failure).
            Some(_) => AttrValue::from(format!("{url}?retry={}", props.retry)),
            None => url.clone(),
        });
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
