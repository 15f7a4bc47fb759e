//! The top pick, large, with everything worth knowing about it.

use plexpicker_ipc::PickCard;
use yew::prelude::*;

use crate::components::poster::Poster;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct PickCardProps {
    pub card: PickCard,
    /// The buttons under the facts.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(TopPick)]
pub fn top_pick(props: &PickCardProps) -> Html {
    let c = &props.card;
    html! {
        <article id="top-pick" class="top-pick" data-id={c.id.clone()} aria-labelledby="top-pick-title">
            <Poster url={c.poster_url.clone().map(AttrValue::from)} title={c.title.clone()} class="large" />
            <div class="pick-info">
                <p class="pick-kind">{ &c.kind_label }</p>
                <h2 id="top-pick-title" class="pick-title" tabindex="-1">{ &c.title }</h2>
                <ul class="pick-facts">
                    if let Some(year) = c.year {
                        <li class="pick-year">{ year }</li>
                    }
                    if let Some(minutes) = c.minutes {
                        <li class="pick-runtime">{ text::runtime(minutes) }</li>
                    }
                    if let Some(rating) = &c.rating {
                        <li class="pick-rating" aria-label={format!("Rated {rating}")}>{ format!("★ {rating}") }</li>
                    }
                    if let Some(content) = &c.content_rating {
                        <li class="pick-content-rating">{ content }</li>
                    }
                </ul>
                if let Some(episode) = &c.episode {
                    <p class="pick-episode">{ format!("Start with {episode}") }</p>
                }
                if !c.genres.is_empty() {
                    <p class="pick-genres">{ c.genres.join(" · ") }</p>
                }
                <p class="pick-reason">{ &c.reason }</p>
                if !c.summary.trim().is_empty() {
                    <p class="pick-summary">{ &c.summary }</p>
                }
                { props.children.clone() }
            </div>
        </article>
    }
}
