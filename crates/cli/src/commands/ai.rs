//! `ai`: set up the AI provider `pick --ai` asks (`set`, `off`, `show`, `test`, `models`).
//!
//! The API key is read from stdin only (`--key -`), never from an argument (arguments are
//! visible to every user of the machine and land in shell histories), and is kept in the
//! secret store, never in the settings file.

use std::io::Read as _;

use clap::{Args, Subcommand};
use plexpicker_core::ai;
use plexpicker_core::report::AiReport;
use plexpicker_core::session::{ModelList, ProviderChange};
use plexpicker_ipc::{AiKeyChange, AiTestView};

use crate::context::Ctx;
use crate::error::{CliError, Result};
use crate::output::json_line;

/// The longest key read from stdin.
const MAX_KEY_BYTES: u64 = 16 * 1024;

/// `ai` subcommands.
#[derive(Debug, Subcommand)]
pub enum AiCommand {
    /// Set up the provider (and turn the model on): a preset, or any OpenAI-compatible server
    /// with `--preset custom --url URL`
    Set(SetArgs),
    /// Turn the model off (the provider and its key are kept)
    Off,
    /// Show the provider, whether a key is stored, the limits and what is sent to whom
    Show,
    /// Send one tiny request to the provider and report how long it took
    Test,
    /// List the provider's models
    Models,
}

/// `ai set` options.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// ollama, lm-studio, llama-cpp, openai, gemini, openrouter or custom
    #[arg(long, value_name = "NAME")]
    pub preset: String,
    /// The API root, ending in /v1 or similar [default: the preset's]
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The model name [default: the one set before, else the preset's example]
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Read the API key from stdin: pass `-` (the key is never taken from the command line)
    #[arg(long, value_name = "-", conflicts_with = "remove_key")]
    pub key: Option<String>,
    /// Forget the stored API key of this provider
    #[arg(long)]
    pub remove_key: bool,
    /// How many of the picker's candidates the model sees at most (1-200) [default: 60]
    #[arg(long, value_name = "N")]
    pub max_candidates: Option<u32>,
    /// How long the whole answer may take, in seconds (5-600) [default: 60]
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u32>,
}

/// Runs `ai ...`.
pub async fn run(ctx: &mut Ctx, command: AiCommand) -> Result<()> {
    match command {
        AiCommand::Set(args) => {
            let change = provider_change(args)?;
            show(ctx, ctx.session.set_ai_provider(change)?)
        }
        AiCommand::Off => show(ctx, ctx.session.ai_off()?),
        AiCommand::Show => show(ctx, ctx.session.ai_report()?),
        AiCommand::Test => test(ctx, ctx.session.test_ai().await?),
        AiCommand::Models => models(ctx, ctx.session.ai_models().await?),
    }
}

/// The key from stdin, for `--key -`.
fn key_from_stdin(arg: &str) -> Result<String> {
    if arg != "-" {
        return Err(CliError::Usage(
            "the API key is read from stdin only, never from the command line: pass `--key -` and type or pipe the key".into(),
        ));
    }
    let mut key = String::new();
    std::io::stdin()
        .take(MAX_KEY_BYTES)
        .read_to_string(&mut key)
        .map_err(|e| {
            CliError::Usage(format!(
                "could not read the API key from stdin ({e}): pipe it in as text"
            ))
        })?;
    if key.trim().is_empty() {
        return Err(CliError::Usage(
            "no API key arrived on stdin: pipe it in, for example `plexpicker-cli ai set ... --key - < keyfile`".into(),
        ));
    }
    Ok(key)
}

/// What `ai set` asks for: the preset (by name), the rest as given, the key from stdin.
fn provider_change(args: SetArgs) -> Result<ProviderChange> {
    let preset = ai::preset_of(&args.preset).ok_or_else(|| {
        CliError::Usage(format!(
            "there is no provider preset called {:?}: use ollama, lm-studio, llama-cpp, openai, gemini, openrouter or custom",
            args.preset
        ))
    })?;
    if preset == curator::Preset::Custom && args.url.is_none() {
        return Err(CliError::Usage(
            "a custom provider needs its address: add --url, for example --url http://127.0.0.1:8000/v1".into(),
        ));
    }
    let key = match (&args.key, args.remove_key) {
        (Some(arg), _) => AiKeyChange::Set(key_from_stdin(arg)?),
        (None, true) => AiKeyChange::Remove,
        (None, false) => AiKeyChange::Keep,
    };
    Ok(ProviderChange {
        preset,
        base_url: args.url,
        model: args.model,
        key,
        max_candidates: args.max_candidates,
        timeout_secs: args.timeout,
    })
}

fn show(ctx: &Ctx, out: AiReport) -> Result<()> {
    if ctx.json {
        json_line(&out);
        return Ok(());
    }
    match &out.provider {
        Some(p) => {
            crate::outln!(
                "AI provider: {} at {}, model {} ({}).",
                p.label,
                p.base_url,
                p.model,
                if p.has_key {
                    "an API key is stored in the secret store"
                } else {
                    "no API key stored"
                }
            );
            crate::outln!(
                "The model is {}: it sees at most {} candidates and has {} s to answer.",
                if out.enabled {
                    "on (`plexpicker-cli pick --ai`)"
                } else {
                    "off (`plexpicker-cli ai set ...` turns it on)"
                },
                out.max_candidates,
                out.timeout_secs
            );
        }
        None => crate::outln!(
            "No AI provider is set up: `plexpicker-cli ai set --preset ollama --model llama3.2` sets one up."
        ),
    }
    crate::outln!("{}", out.privacy);
    Ok(())
}

fn test(ctx: &Ctx, report: AiTestView) -> Result<()> {
    if ctx.json {
        json_line(&serde_json::json!({
            "provider": report.provider,
            "model": report.model,
            "latency_ms": report.latency_ms,
        }));
    } else {
        crate::outln!(
            "{} answered in {} ms (model {}).",
            report.provider,
            report.latency_ms,
            report.model
        );
    }
    Ok(())
}

fn models(ctx: &Ctx, list: ModelList) -> Result<()> {
    if ctx.json {
        json_line(&serde_json::json!({ "provider": list.provider, "models": list.models }));
    } else if list.models.is_empty() {
        crate::outln!("{} lists no models.", list.provider);
    } else {
        for m in &list.models {
            crate::outln!("{m}");
        }
    }
    Ok(())
}
