//! `fake-provider`: serve the fake OpenAI-compatible provider for local development and demos.
//!
//! `fake-provider [--port N] [--model NAME]...`; a bearer key is required when the
//! `FAKE_PROVIDER_KEY` environment variable is set (never an argument, so it stays out of `ps`).
//! Every chat request is answered with [`fake_provider::Reply::Auto`].

use fake_provider::{Config, FakeProvider};

#[tokio::main]
async fn main() {
    let mut port = 0u16;
    let mut models = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--port", Some(p)) => match p.parse() {
                Ok(p) => port = p,
                Err(_) => exit(&format!(
                    "--port {p:?} is not a port number: give one like 11434"
                )),
            },
            ("--model", Some(m)) => models.push(m),
            _ => exit(
                "usage: fake-provider [--port N] [--model NAME]... (key from FAKE_PROVIDER_KEY)",
            ),
        }
    }
    let mut config = Config::default();
    if !models.is_empty() {
        config.models = models;
    }
    config.api_key = std::env::var("FAKE_PROVIDER_KEY")
        .ok()
        .filter(|k| !k.is_empty());
    let fake = match FakeProvider::start_on(&format!("127.0.0.1:{port}"), config).await {
        Ok(f) => f,
        Err(e) => exit(&format!("{e}: pick another --port")),
    };
    println!("fake provider listening on {}", fake.base_url());
    let _ = tokio::signal::ctrl_c().await;
    fake.shutdown().await;
}

fn exit(message: &str) -> ! {
    eprintln!("fake-provider: {message}");
    std::process::exit(2)
}
