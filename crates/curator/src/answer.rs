//! Reading the model's answer: strip `<think>` blocks and Markdown fences, parse the JSON,
//! validate every pick against the offered candidates.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::clean;
use crate::prompt::MAX_ALTERNATIVES;

/// A reason is cut to this many characters.
pub const REASON_CHARS: usize = 300;

/// One pick the model made, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CuratedPick {
    /// One of the offered candidates' ids.
    pub id: String,
    /// One or two sentences, one line.
    pub reason: String,
    /// 0-100.
    pub score: u8,
}

/// A validated answer: a top pick and up to six alternatives, all distinct offered ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Curation {
    pub top: CuratedPick,
    pub alternatives: Vec<CuratedPick>,
}

impl Curation {
    /// Every picked id, top first.
    pub fn ids(&self) -> Vec<&str> {
        std::iter::once(&self.top)
            .chain(&self.alternatives)
            .map(|p| p.id.as_str())
            .collect()
    }
}

/// Why an answer could not be used. Shown to the user inside the fallback note and sent back
/// to the model once so it can correct itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum BadAnswer {
    /// Nothing but whitespace (or only a `<think>` block).
    Empty,
    /// The answer was cut off (`finish_reason: "length"`).
    CutOff,
    /// No JSON object could be read.
    NotJson,
    /// JSON, but not `{"top":{…},"alternatives":[…]}` with `id`, `reason`, `score`.
    WrongShape(String),
    /// No pick at all.
    NoPick,
    /// An id that was not offered.
    UnknownId(String),
    /// The same id twice.
    Duplicate(String),
}

impl std::fmt::Display for BadAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadAnswer::Empty => f.write_str("the answer was empty"),
            BadAnswer::CutOff => f.write_str("the answer was cut off before it ended"),
            BadAnswer::NotJson => f.write_str("the answer was not the JSON object asked for"),
            BadAnswer::WrongShape(why) => {
                write!(f, "the answer did not have the asked-for shape ({why})")
            }
            BadAnswer::NoPick => f.write_str("the answer picked nothing"),
            BadAnswer::UnknownId(id) => write!(
                f,
                "the answer named {:?}, which is not one of the candidates",
                clean(id, 40)
            ),
            BadAnswer::Duplicate(id) => write!(f, "the answer named {:?} twice", clean(id, 40)),
        }
    }
}

/// Removes `<think>…</think>` (and `<thinking>…</thinking>`) blocks; an unclosed block
/// swallows the rest.
pub fn strip_think(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let open = ["<think>", "<thinking>"]
            .iter()
            .filter_map(|tag| lower.find(tag).map(|at| (at, *tag)))
            .min_by_key(|(at, _)| *at);
        let Some((at, tag)) = open else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let close = if tag == "<think>" {
            "</think>"
        } else {
            "</thinking>"
        };
        let after_open = at + tag.len();
        match lower[after_open..].find(close) {
            Some(end) => rest = &rest[after_open + end + close.len()..],
            None => return out,
        }
    }
}

/// The inside of the first Markdown code fence, when there is one.
pub fn strip_fences(text: &str) -> &str {
    let Some(start) = text.find("```") else {
        return text;
    };
    let after = &text[start + 3..];
    // Skip the info string (```json).
    let body_start = after.find('\n').map(|n| n + 1).unwrap_or(after.len());
    let body = &after[body_start..];
    match body.find("```") {
        Some(end) => &body[..end],
        None => body,
    }
}

/// The JSON value of an answer: as a whole, or the outermost `{…}` inside chatter.
fn parse_json(text: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Some(v);
    }
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    (end > start)
        .then(|| serde_json::from_str::<Value>(&text[start..=end]).ok())
        .flatten()
}

/// Cuts a reason to its first two sentences and [`REASON_CHARS`].
fn two_sentences(reason: &str) -> String {
    let one_line = clean(reason, REASON_CHARS);
    let mut ends = 0;
    let chars: Vec<(usize, char)> = one_line.char_indices().collect();
    for (i, (at, c)) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?') {
            let next = chars.get(i + 1).map(|(_, n)| *n);
            if next.is_none() || next == Some(' ') {
                ends += 1;
                if ends == 2 {
                    return one_line[..at + c.len_utf8()].to_string();
                }
            }
        }
    }
    one_line
}

fn read_pick(v: &Value, which: &str) -> Result<CuratedPick, BadAnswer> {
    let shape = |why: String| BadAnswer::WrongShape(why);
    let obj = v
        .as_object()
        .ok_or_else(|| shape(format!("{which} is not an object")))?;
    let id = match obj.get("id") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(shape(format!("{which} has no id"))),
    };
    let reason = match obj.get("reason") {
        Some(Value::String(s)) => two_sentences(s),
        _ => String::new(),
    };
    if reason.is_empty() {
        return Err(shape(format!("{which} has no reason")));
    }
    let score = match obj.get("score") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().trim_end_matches('%').parse::<f64>().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite())
    .ok_or_else(|| shape(format!("{which} has no numeric score")))?;
    Ok(CuratedPick {
        id,
        reason,
        score: score.round().clamp(0.0, 100.0) as u8,
    })
}

/// Validates an answer's content against the offered ids.
///
/// Accepts `{"top":{…},"alternatives":[…]}` (alternatives may be missing) or a bare array of
/// picks (the first is the top). More than six alternatives are cut to six; a score is
/// clamped to 0-100; a reason is cut to two sentences.
pub fn validate(content: &str, offered_ids: &[&str]) -> Result<Curation, BadAnswer> {
    let thought_out = strip_think(content);
    let text = strip_fences(&thought_out).trim();
    if text.is_empty() {
        return Err(BadAnswer::Empty);
    }
    let value = parse_json(text).ok_or(BadAnswer::NotJson)?;
    let (top, alternatives): (Option<&Value>, Vec<&Value>) = match &value {
        Value::Object(o) => {
            let top = o.get("top").filter(|t| !t.is_null());
            let alts = match o.get("alternatives") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) => a.iter().collect(),
                Some(_) => {
                    return Err(BadAnswer::WrongShape(
                        "alternatives is not a list".to_string(),
                    ))
                }
            };
            if top.is_none() && !o.contains_key("top") && alts.is_empty() {
                return Err(BadAnswer::WrongShape("it has no top pick".to_string()));
            }
            (top, alts)
        }
        Value::Array(a) => (a.first(), a.iter().skip(1).collect()),
        _ => return Err(BadAnswer::WrongShape("it is not an object".to_string())),
    };
    let Some(top) = top else {
        return Err(BadAnswer::NoPick);
    };
    let top = read_pick(top, "the top pick")?;
    let mut picks = vec![top];
    for alt in alternatives.into_iter().take(MAX_ALTERNATIVES) {
        picks.push(read_pick(alt, "an alternative")?);
    }
    let mut seen = std::collections::HashSet::new();
    for p in &picks {
        if !offered_ids.contains(&p.id.as_str()) {
            return Err(BadAnswer::UnknownId(p.id.clone()));
        }
        if !seen.insert(p.id.clone()) {
            return Err(BadAnswer::Duplicate(p.id.clone()));
        }
    }
    let mut picks = picks.into_iter();
    let top = picks.next().ok_or(BadAnswer::NoPick)?;
    Ok(Curation {
        top,
        alternatives: picks.collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 4] = ["10", "11", "12", "13"];

    fn pick(id: &str) -> String {
        format!(r#"{{"id":"{id}","reason":"Fits the mood. Short and warm.","score":88}}"#)
    }

    fn answer(top: &str, alts: &[&str]) -> String {
        let alts: Vec<String> = alts.iter().map(|a| pick(a)).collect();
        format!(
            r#"{{"top":{},"alternatives":[{}]}}"#,
            pick(top),
            alts.join(",")
        )
    }

    #[test]
    fn a_good_answer_is_read() {
        let c = validate(&answer("10", &["11", "12"]), &IDS).unwrap();
        assert_eq!(c.ids(), ["10", "11", "12"]);
        assert_eq!(c.top.score, 88);
        assert_eq!(c.top.reason, "Fits the mood. Short and warm.");
    }

    #[test]
    fn fences_think_blocks_and_chatter_are_stripped() {
        let a = answer("12", &[]);
        for wrapped in [
            format!("```json\n{a}\n```"),
            format!("```\n{a}\n```\nEnjoy!"),
            format!("<think>The user wants {{\"top\": 13}}... </think>\n{a}"),
            format!("<THINK>hmm</THINK><think>more</think>```json\n{a}```"),
            format!("Sure! Here is my pick: {a} Have fun."),
        ] {
            assert_eq!(validate(&wrapped, &IDS).unwrap().ids(), ["12"], "{wrapped}");
        }
        assert_eq!(
            validate("<think>never closed {\"top\":1", &IDS),
            Err(BadAnswer::Empty)
        );
    }

    #[test]
    fn numeric_ids_and_string_scores_are_accepted_and_scores_clamped() {
        let c = validate(r#"{"top":{"id":11,"reason":"Yes.","score":"140"},"alternatives":[{"id":"13","reason":"Also.","score":-3.5}]}"#, &IDS).unwrap();
        assert_eq!(c.ids(), ["11", "13"]);
        assert_eq!((c.top.score, c.alternatives[0].score), (100, 0));
    }

    #[test]
    fn bad_answers_say_what_is_wrong() {
        assert_eq!(validate("", &IDS), Err(BadAnswer::Empty));
        assert_eq!(validate("I recommend Heat.", &IDS), Err(BadAnswer::NotJson));
        assert_eq!(
            validate(&answer("99", &[]), &IDS),
            Err(BadAnswer::UnknownId("99".into()))
        );
        assert_eq!(
            validate(&answer("10", &["11", "10"]), &IDS),
            Err(BadAnswer::Duplicate("10".into()))
        );
        assert_eq!(
            validate(r#"{"top":null,"alternatives":[]}"#, &IDS),
            Err(BadAnswer::NoPick)
        );
        assert_eq!(validate("[]", &IDS), Err(BadAnswer::NoPick));
        assert!(matches!(
            validate(r#"{"top":{"id":"10","score":5}}"#, &IDS),
            Err(BadAnswer::WrongShape(_))
        ));
        assert!(matches!(
            validate(r#"{"top":{"id":"10","reason":"ok","score":"high"}}"#, &IDS),
            Err(BadAnswer::WrongShape(_))
        ));
        assert!(matches!(
            validate(r#"{"picks":[]}"#, &IDS),
            Err(BadAnswer::WrongShape(_))
        ));
        assert!(matches!(
            validate("42", &IDS),
            Err(BadAnswer::WrongShape(_))
        ));
        let msg = BadAnswer::UnknownId("99".into()).to_string();
        assert_eq!(
            msg,
            "the answer named \"99\", which is not one of the candidates"
        );
    }

    #[test]
    fn long_reasons_are_cut_to_two_sentences_and_extra_alternatives_dropped() {
        let ids: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let alts: Vec<String> = (1..10).map(|i| pick(&i.to_string())).collect();
        let text = format!(
            r#"{{"top":{{"id":"0","reason":"One. Two! Three? Four.\nFive.","score":50}},"alternatives":[{}]}}"#,
            alts.join(",")
        );
        let c = validate(&text, &ids).unwrap();
        assert_eq!(c.top.reason, "One. Two!");
        assert_eq!(c.alternatives.len(), MAX_ALTERNATIVES);
        assert_eq!(two_sentences("No end"), "No end");
        assert_eq!(
            two_sentences("Version 2.5 is good. Yes. No."),
            "Version 2.5 is good. Yes."
        );
    }
}
