//! Whatever the model says, the result is a valid pick from the offered candidates or the
//! fallback: never an id outside them, never a repeat, never a panic.

use curator::answer::validate;
use curator::{curate, Ask, Candidate, Client, Curation, Outcome, Preset, ProviderConfig};
use fake_provider::{Config, FakeProvider, Reply};
use proptest::prelude::*;
use serde_json::{json, Value};

fn offered_ids() -> Vec<String> {
    (0..12).map(|i| format!("{}", 500 + i)).collect()
}

fn assert_valid(c: &Curation, offered: &[String]) {
    let ids = c.ids();
    assert!(!ids.is_empty() && ids.len() <= 7, "{ids:?}");
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(offered.iter().any(|o| o == id), "{id} was never offered");
        assert!(seen.insert(*id), "{id} twice");
    }
    for p in std::iter::once(&c.top).chain(&c.alternatives) {
        assert!(p.score <= 100);
        assert!(!p.reason.trim().is_empty());
        assert!(!p.reason.contains('\n'));
    }
}

/// An id the model might say: offered ones, near misses, numbers, junk.
fn any_id() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0usize..12).prop_map(|i| json!(format!("{}", 500 + i))),
        (0u32..2000).prop_map(|n| json!(n)),
        "[a-z0-9 ]{0,8}".prop_map(Value::from),
        Just(Value::Null),
        any::<f64>().prop_map(|f| json!(f)),
    ]
}

fn any_score() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "[0-9]{0,4}%?".prop_map(Value::from),
        Just(Value::Null),
        Just(json!([1])),
    ]
}

fn any_reason() -> impl Strategy<Value = Value> {
    prop_oneof![
        ".{0,300}".prop_map(Value::from),
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
    ]
}

fn any_pick() -> impl Strategy<Value = Value> {
    (any_id(), any_reason(), any_score(), any::<bool>()).prop_map(|(id, reason, score, extra)| {
        let mut p = json!({"id": id, "reason": reason, "score": score});
        if extra {
            p["title"] = json!("Some Title");
        }
        p
    })
}

fn any_answer() -> impl Strategy<Value = Value> {
    prop_oneof![
        (any_pick(), prop::collection::vec(any_pick(), 0..10))
            .prop_map(|(top, alts)| json!({"top": top, "alternatives": alts})),
        prop::collection::vec(any_pick(), 0..10).prop_map(Value::from),
        any_pick(),
        prop::collection::vec(any_pick(), 0..3)
            .prop_map(|alts| json!({"top": null, "alternatives": alts})),
        ".{0,40}".prop_map(|s| json!({"answer": s})),
    ]
}

/// How the model wraps its JSON.
fn wrap(json: &str, how: u8, noise: &str) -> String {
    match how % 6 {
        0 => json.to_string(),
        1 => format!("```json\n{json}\n```"),
        2 => format!("<think>{noise}</think>\n{json}"),
        3 => format!("{noise} {json} {noise}"),
        4 => format!("<think>{noise}</think>\n```\n{json}\n```"),
        _ => json.chars().take(json.len() / 2).collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_a_valid_pick_or_an_error(text in ".{0,2000}") {
        let offered = offered_ids();
        let ids: Vec<&str> = offered.iter().map(String::as_str).collect();
        if let Ok(c) = validate(&text, &ids) {
            assert_valid(&c, &offered);
        }
    }

    #[test]
    fn any_json_with_any_ids_is_a_valid_pick_or_an_error(
        answer in any_answer(),
        how in any::<u8>(),
        noise in ".{0,80}",
    ) {
        let offered = offered_ids();
        let ids: Vec<&str> = offered.iter().map(String::as_str).collect();
        let text = wrap(&answer.to_string(), how, &noise);
        if let Ok(c) = validate(&text, &ids) {
            assert_valid(&c, &offered);
        }
    }

    #[test]
    fn a_well_formed_answer_of_offered_ids_is_always_accepted(
        picks in prop::sample::subsequence((0usize..12).collect::<Vec<_>>(), 1..8),
        scores in prop::collection::vec(-50i64..200, 8),
        how in 0u8..5,
    ) {
        let offered = offered_ids();
        let ids: Vec<&str> = offered.iter().map(String::as_str).collect();
        let mut list: Vec<Value> = picks
            .iter()
            .zip(&scores)
            .map(|(i, s)| json!({"id": offered[*i], "reason": "Fits well.", "score": s}))
            .collect();
        let top = list.remove(0);
        let text = wrap(&json!({"top": top, "alternatives": list}).to_string(), how, "thinking");
        let c = validate(&text, &ids).unwrap();
        assert_valid(&c, &offered);
        prop_assert_eq!(c.ids().len(), picks.len());
    }
}

/// The whole exchange over HTTP: whatever the fake says (twice), the outcome is the model's
/// valid pick or the engine's fallback.
#[test]
fn any_scripted_answer_over_http_ends_in_a_valid_pick_or_the_fallback() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = rt.block_on(FakeProvider::start(Config::default())).unwrap();
    let cfg = ProviderConfig {
        preset: Preset::Custom,
        base_url: fake.base_url(),
        model: "llama3.2".into(),
        answer_timeout_secs: 10,
        ..ProviderConfig::default()
    };
    let client = Client::new(&cfg, None).unwrap();
    let candidates: Vec<Candidate> = offered_ids()
        .into_iter()
        .map(|id| Candidate {
            title: format!("Title {id}"),
            id,
            ..Candidate::default()
        })
        .collect();
    let offered = offered_ids();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    });
    let strategy = (
        (any_answer(), any::<u8>(), ".{0,40}"),
        (any_answer(), any::<u8>(), ".{0,40}"),
        any::<bool>(),
    );
    runner
        .run(&strategy, |((a1, h1, n1), (a2, h2, n2), cut)| {
            let first = wrap(&a1.to_string(), h1, &n1);
            let second = wrap(&a2.to_string(), h2, &n2);
            fake.set_replies([
                if cut {
                    Reply::Cut(first)
                } else {
                    Reply::Content(first)
                },
                Reply::Content(second),
            ]);
            let ask = Ask {
                candidates: &candidates,
                mood: "Anything",
                sentence: "",
                exclude: &[],
                max_candidates: 60,
                temperature: None,
            };
            match rt.block_on(curate(&client, &ask)) {
                Outcome::Model(chosen) => assert_valid(&chosen.curation, &offered),
                Outcome::Engine(f) => assert!(f.note().ends_with("Showing PlexPicker's own pick.")),
            }
            Ok(())
        })
        .unwrap();
}
