//! The top pick, large, with everything worth knowing about it.

use plexpicker_ipc::PickCard;
use yew::prelude::*;

use crate::components::poster::Poster;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct PickCardProps {
    pub card: PickCard,
    /// See [`crate::state::State::poster_retry`].
    #[prop_or_default]
    pub poster_retry: u32,
    /// A model chose it: the score is the model's.
    #[prop_or_default]
    pub by_model: bool,
    /// "Chosen by llama3.2 on Ollama".
    #[prop_or_default]
    pub credit: Option<AttrValue>,
    /// The buttons under the facts.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(TopPick)]
pub fn top_pick(props: &PickCardProps) -> Html {
    let c = &props.card;
    html! {
        <article id="top-pick" class="top-pick reveal" data-id={c.id.clone()} aria-labelledby="top-pick-title">
            <Poster url={c.poster_url.clone().map(AttrValue::from)} title={c.title.clone()} class="large reveal-poster" retry={props.poster_retry} />
            <div class="pick-info">
                <p class="pick-kind reveal-step">
                    { &c.kind_label }
                    if props.by_model {
                        <span id="pick-score" class="pick-score model" title="How well the model thinks it fits, out of 100">
                            { text::model_score(c.score) }
                        </span>
                    } else {
                        <span id="pick-score" class="pick-score" title="How well it matches your choices, out of 100">
                            { text::match_score(c.score) }
                        </span>
                    }
                </p>
                <h2 id="top-pick-title" class="pick-title reveal-title" tabindex="-1">{ &c.title }</h2>
                <ul class="pick-facts reveal-step">
                    if let Some(year) = c.year {
                        <li class="pick-year">{ year }</li>
                    }
                    if let Some(minutes) = c.minutes {
                        <li class="pick-runtime">{ text::runtime(minutes) }</li>
                    }
                    if let Some(rating) = &c.critic_rating {
                        <li class="pick-rating critic-rating">{ text::rating_label("Critics", rating) }</li>
                    }
                    if let Some(rating) = &c.audience_rating {
                        <li class="pick-rating audience-rating">{ text::rating_label("Audience", rating) }</li>
                    }
                    if let Some(content) = &c.content_rating {
                        <li class="pick-content-rating">{ content }</li>
                    }
                </ul>
                if let Some(episode) = &c.episode {
                    <p id="pick-episode" class="pick-episode reveal-step">{ format!("Start with {episode}") }</p>
                }
                if !c.genres.is_empty() {
                    <p class="pick-genres reveal-step">{ c.genres.join(" · ") }</p>
                }
                <p class="pick-reason reveal-reason">{ &c.reason }</p>
                if let Some(credit) = &props.credit {
                    <p id="pick-credit" class="pick-credit reveal-reason">{ credit }</p>
                }
                if !c.summary.trim().is_empty() {
                    <p class="pick-summary">{ &c.summary }</p>
                }
                { props.children.clone() }
            </div>
        </article>
    }
}
