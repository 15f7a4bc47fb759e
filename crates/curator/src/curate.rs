//! Grounded curation: the engine's ranked candidates in, a validated model pick or a typed
//! fallback out.

use std::time::Instant;

use serde::Serialize;
use serde_json::json;

use crate::answer::{validate, BadAnswer, Curation};
use crate::client::{ChatRequest, Client, Message};
use crate::prompt::{json_schema_format, offered, system_prompt, user_prompt, Candidate};
use crate::Error;

/// The longest previous answer sent back to the model with its validation error.
const ECHO_CHARS: usize = 4_000;

/// What to ask the model.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The engine's candidates, best first.
    pub candidates: &'a [Candidate],
    /// The mood's label ("Date night").
    pub mood: &'a str,
    /// The wheels' sentence ("A comedy under two hours, not seen yet").
    pub sentence: &'a str,
    /// Ids never to offer ("Pick again" passes the previous picks).
    pub exclude: &'a [String],
    /// At most this many candidates are offered.
    pub max_candidates: usize,
    /// Sampling temperature, when wanted.
    pub temperature: Option<f32>,
}

/// How the answer's shape was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `response_format: {"type":"json_schema",…}`.
    JsonSchema,
    /// `response_format: {"type":"json_object"}`.
    JsonObject,
    /// No `response_format`: the prompt alone asks for JSON.
    Text,
}

impl Format {
    fn response_format(self, offered: &[&Candidate]) -> Option<serde_json::Value> {
        match self {
            Format::JsonSchema => Some(json_schema_format(offered)),
            Format::JsonObject => Some(json!({"type": "json_object"})),
            Format::Text => None,
        }
    }

    /// The next, plainer format after a server refused this one.
    fn plainer(self) -> Option<Format> {
        match self {
            Format::JsonSchema => Some(Format::JsonObject),
            Format::JsonObject => Some(Format::Text),
            Format::Text => None,
        }
    }
}

/// The model chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chosen {
    pub curation: Curation,
    /// The model that answered, as the server names it.
    pub model: String,
    /// The provider's label ("Ollama").
    pub provider: String,
    /// The format the server accepted.
    pub format: Format,
    /// 1, or 2 when the first answer was bad and the retry was good.
    pub answers: u8,
}

impl Chosen {
    /// "Chosen by llama3.2 on Ollama".
    pub fn credit(&self) -> String {
        format!("Chosen by {} on {}", self.model, self.provider)
    }
}

/// Why the engine's own pick is shown instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Fallback {
    /// The engine offered nothing the model could choose from.
    NoCandidates,
    /// The provider could not be reached or refused (no retry: it would only be slower).
    Provider(#[serde(serialize_with = "as_text")] Error),
    /// Both answers (the first and the one retry) were unusable; the last problem.
    BadAnswer(BadAnswer),
}

fn as_text<S: serde::Serializer>(e: &Error, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&e.to_string())
}

impl Fallback {
    /// The note shown with the engine's pick.
    pub fn note(&self) -> String {
        let why = match self {
            Fallback::NoCandidates => "no candidates were left to offer it".to_string(),
            Fallback::Provider(e) => e.to_string(),
            Fallback::BadAnswer(b) => b.to_string(),
        };
        format!("The model's answer could not be used: {why}. Showing PlexPicker's own pick.")
    }
}

/// The result of [`curate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Outcome {
    Model(Chosen),
    Engine(Fallback),
}

/// Asks the model to choose among the engine's candidates.
///
/// At most `ask.max_candidates` candidates are offered (without `ask.exclude`). The answer's
/// shape is asked for with `json_schema`, then `json_object`, then the prompt alone, stepping
/// down when the server answers 400. A bad answer (not JSON, unknown or repeated ids, no pick,
/// cut off) is sent back once with what was wrong; a second bad answer, or any provider
/// error, ends in [`Outcome::Engine`]. Everything together takes at most the client's answer
/// timeout (plus the connect timeout when it is longer). Dropping the future cancels it.
pub async fn curate(client: &Client, ask: &Ask<'_>) -> Outcome {
    let offered = offered(ask.candidates, ask.exclude, ask.max_candidates);
    if offered.is_empty() {
        return Outcome::Engine(Fallback::NoCandidates);
    }
    let ids: Vec<&str> = offered.iter().map(|c| c.id.as_str()).collect();
    let deadline = Instant::now() + client.timeout();
    let mut messages = vec![
        Message::system(system_prompt()),
        Message::user(user_prompt(ask.mood, ask.sentence, &offered)),
    ];
    let mut format = Format::JsonSchema;
    let mut answers = 0u8;
    loop {
        let request = ChatRequest {
            messages: messages.clone(),
            response_format: format.response_format(&offered),
            temperature: ask.temperature,
            max_tokens: None,
        };
        let answer = match client.chat_until(&request, deadline).await {
            Ok(a) => a,
            Err(e) if e.is_bad_request() => match format.plainer() {
                Some(next) => {
                    format = next;
                    continue;
                }
                None => return Outcome::Engine(Fallback::Provider(e)),
            },
            Err(e) => return Outcome::Engine(Fallback::Provider(e)),
        };
        answers += 1;
        let checked = if answer.finish_reason.as_deref() == Some("length") {
            Err(BadAnswer::CutOff)
        } else {
            validate(&answer.content, &ids)
        };
        match checked {
            Ok(curation) => {
                return Outcome::Model(Chosen {
                    curation,
                    model: answer.model,
                    provider: client.label().to_string(),
                    format,
                    answers,
                })
            }
            Err(bad) if answers >= 2 => return Outcome::Engine(Fallback::BadAnswer(bad)),
            Err(bad) => {
                let echoed: String = answer.content.chars().take(ECHO_CHARS).collect();
                messages.push(Message::assistant(echoed));
                messages.push(Message::user(format!(
                    "That answer could not be used: {bad}. Answer again with the JSON object only, using only ids from the list, each at most once."
                )));
            }
        }
    }
}
