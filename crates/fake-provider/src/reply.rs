//! Scripted replies and the JSON bodies real servers answer with.

use serde_json::{json, Value};

/// What the server answers to the next valid chat completion request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Pick up to seven of the offered ids: those of the `json_schema`'s `enum` when the
    /// request has one, else the `[id]` at the start of prompt lines. A good answer.
    Auto,
    /// 200 with this `content` and `finish_reason: "stop"`.
    Content(String),
    /// 200 with this `content` and `finish_reason: "length"` (the answer was cut off).
    Cut(String),
    /// An error in the real shape: `{"error":{"message","type","param":null,"code"}}`.
    Error {
        status: u16,
        message: String,
        kind: String,
        code: Option<String>,
    },
    /// 429 with `retry-after: <secs>` and a rate-limit error body.
    RateLimited { retry_after_secs: u64 },
    /// Read the request, never answer (until the server shuts down).
    Hang,
    /// 200 with this content, the body sent a few bytes at a time.
    Trickle { content: String, bytes_per_sec: u32 },
    /// `302 Found` with this `Location`.
    Redirect { location: String },
}

impl Reply {
    /// [`Reply::Content`].
    pub fn content(s: impl Into<String>) -> Reply {
        Reply::Content(s.into())
    }

    /// A 500 in the real shape.
    pub fn server_error() -> Reply {
        Reply::Error {
            status: 500,
            message: "The server had an error while processing your request. Sorry about that!"
                .into(),
            kind: "server_error".into(),
            code: None,
        }
    }
}

/// `{"error":{…}}` as OpenAI sends it.
pub(crate) fn error_body(
    message: &str,
    kind: &str,
    param: Option<&str>,
    code: Option<&str>,
) -> Value {
    json!({"error": {"message": message, "type": kind, "param": param, "code": code}})
}

/// A `chat.completion` object.
pub(crate) fn completion(
    model: &str,
    content: &str,
    finish_reason: &str,
    prompt_chars: usize,
) -> Value {
    let prompt_tokens = prompt_chars.div_ceil(4);
    let completion_tokens = content.len().div_ceil(4);
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    json!({
        "id": format!("chatcmpl-fake{created}"),
        "object": "chat.completion",
        "created": created,
        "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null},
            "logprobs": null,
            "finish_reason": finish_reason
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens
        }
    })
}

/// The offered ids of a request: the json_schema's `top.id` enum, else `[id]` line starts.
pub(crate) fn offered_ids(body: &Value, prompt: &str) -> Vec<String> {
    let from_schema = body
        .pointer("/response_format/json_schema/schema/properties/top/properties/id/enum")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if !from_schema.is_empty() {
        return from_schema;
    }
    prompt
        .lines()
        .filter_map(|l| {
            let rest = l.trim_start().strip_prefix('[')?;
            let (id, _) = rest.split_once(']')?;
            (!id.is_empty()).then(|| id.to_string())
        })
        .collect()
}

/// A good answer naming up to seven of `ids`.
pub(crate) fn auto_answer(ids: &[String]) -> String {
    let pick = |i: usize, id: &String| {
        json!({
            "id": id,
            "reason": format!("A strong match for the mood, choice {} of the fake model.", i + 1),
            "score": 95u64.saturating_sub(5 * i as u64)
        })
    };
    let mut picks = ids.iter().take(7).enumerate().map(|(i, id)| pick(i, id));
    match picks.next() {
        Some(top) => json!({"top": top, "alternatives": picks.collect::<Vec<_>>()}).to_string(),
        None => "I could not find any titles in your message.".to_string(),
    }
}
