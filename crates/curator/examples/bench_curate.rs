//! Measures AI curation's own costs against the fake provider on loopback:
//! - the prompt's size for 60 candidates (characters; tokens with tiktoken-rs's compiled-in
//!   o200k_base and cl100k_base, OpenAI's encodings: local models' tokenizers differ, so
//!   those counts are estimates for them; characters/4 shown too);
//! - the time our side adds around the model call: building the prompt and schema, and
//!   validating an answer (CPU only), and a whole `curate()` against a fake that answers at
//!   once (so the model's latency is zero and what remains is ours plus loopback HTTP);
//! - the time to the fallback when the provider is down (connect refused) and when it hangs
//!   (with a 500 ms answer timeout).
//!
//! Run: `cargo run --release -p curator --example bench_curate`

use std::time::{Duration, Instant};

use curator::answer::validate;
use curator::prompt::{json_schema_format, offered, system_prompt, user_prompt};
use curator::{curate, Ask, Candidate, Client, Outcome, Preset, ProviderConfig};
use fake_provider::{Config, FakeProvider, Reply};

const N: usize = 60;
const MOOD: &str = "Date night";
const SENTENCE: &str = "A movie, unwatched, under two hours, rated PG-13 or lower";

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn show(label: &str, v: Vec<Duration>) {
    let n = v.len();
    println!(
        "{label}: median {:?}, p95 {:?}, max {:?} ({n} runs)",
        percentile(v.clone(), 0.5),
        percentile(v.clone(), 0.95),
        percentile(v, 1.0)
    );
}

fn ask<'a>(c: &'a [Candidate]) -> Ask<'a> {
    Ask {
        candidates: c,
        mood: MOOD,
        sentence: SENTENCE,
        exclude: &[],
        max_candidates: N,
        temperature: None,
    }
}

fn main() {
    let catalog = picker::testing::synthetic_catalog(500, 7);
    let candidates: Vec<Candidate> = catalog.titles.iter().map(Candidate::from).collect();
    let offered_list = offered(&candidates, &[], N);

    // 1. Prompt size.
    let system = system_prompt();
    let user = user_prompt(MOOD, SENTENCE, &offered_list);
    let schema = json_schema_format(&offered_list).to_string();
    let messages_chars = system.chars().count() + user.chars().count();
    let o200k = tiktoken_rs::o200k_base().expect("compiled-in encoding");
    let cl100k = tiktoken_rs::cl100k_base().expect("compiled-in encoding");
    let tokens = |bpe: &tiktoken_rs::CoreBPE, s: &str| bpe.encode_with_special_tokens(s).len();
    println!("prompt for {N} candidates (synthetic catalog, seed 7):");
    println!(
        "  messages: {messages_chars} characters, {} tokens o200k_base, {} tokens cl100k_base, {} by characters/4",
        tokens(&o200k, &system) + tokens(&o200k, &user),
        tokens(&cl100k, &system) + tokens(&cl100k, &user),
        messages_chars / 4
    );
    println!(
        "  json_schema response_format: {} characters, {} tokens o200k_base",
        schema.chars().count(),
        tokens(&o200k, &schema)
    );
    println!(
        "  per candidate line: {:.0} characters on average",
        offered_list
            .iter()
            .map(|c| curator::prompt::candidate_line(c).chars().count())
            .sum::<usize>() as f64
            / offered_list.len() as f64
    );

    // 2a. CPU: building the prompt + schema, validating a 7-pick answer.
    let ids: Vec<&str> = offered_list.iter().map(|c| c.id.as_str()).collect();
    let answer = {
        let pick = |id: &str| {
            format!(
                r#"{{"id":"{id}","reason":"Warm, funny and short. A safe bet for two.","score":90}}"#
            )
        };
        let alts: Vec<String> = ids[1..7].iter().map(|id| pick(id)).collect();
        format!(
            "<think>ok</think>```json\n{{\"top\":{},\"alternatives\":[{}]}}\n```",
            pick(ids[0]),
            alts.join(",")
        )
    };
    let mut build = Vec::new();
    let mut check = Vec::new();
    for _ in 0..2_000 {
        let t = Instant::now();
        let o = offered(&candidates, &[], N);
        let s = system_prompt();
        let u = user_prompt(MOOD, SENTENCE, &o);
        let f = json_schema_format(&o);
        std::hint::black_box((s, u, f));
        build.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(validate(&answer, &ids).expect("valid"));
        check.push(t.elapsed());
    }
    show("build prompt + schema (CPU)", build);
    show("validate a 7-pick answer (CPU)", check);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        // 2b. Whole curate() against a fake that answers at once.
        let fake = FakeProvider::start(Config::default()).await.expect("fake");
        let cfg = ProviderConfig {
            preset: Preset::Custom,
            base_url: fake.base_url(),
            model: "llama3.2".into(),
            ..ProviderConfig::default()
        };
        let client = Client::new(&cfg, None).expect("client");
        let mut whole = Vec::new();
        for _ in 0..300 {
            fake.clear_requests();
            let t = Instant::now();
            let out = curate(&client, &ask(&candidates)).await;
            whole.push(t.elapsed());
            assert!(matches!(out, Outcome::Model(_)), "{out:?}");
        }
        show(
            "curate() with an instant model (ours + loopback HTTP + fake)",
            whole,
        );
        let sent = fake.chat_requests()[0].body.len();
        println!("  request body: {sent} bytes");

        // 3. Provider down: connect refused.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let down = Client::new(
            &ProviderConfig {
                base_url: format!("http://127.0.0.1:{port}/v1"),
                ..ProviderConfig::from_preset(Preset::Ollama)
            },
            None,
        )
        .expect("client");
        let mut refused = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            let out = curate(&down, &ask(&candidates)).await;
            refused.push(t.elapsed());
            assert!(matches!(out, Outcome::Engine(_)));
        }
        show("fallback when connect is refused", refused);

        // 4. Provider hangs, 500 ms answer timeout.
        let hanging = Client::new(&cfg, None)
            .expect("client")
            .answer_timeout(Duration::from_millis(500));
        let mut hung = Vec::new();
        for _ in 0..10 {
            fake.set_replies([Reply::Hang]);
            let t = Instant::now();
            let out = curate(&hanging, &ask(&candidates)).await;
            hung.push(t.elapsed());
            assert!(matches!(out, Outcome::Engine(_)));
        }
        show(
            "fallback when the provider hangs (answer timeout 500 ms)",
            hung,
        );
        fake.shutdown().await;
    });
}
