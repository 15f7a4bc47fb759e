//! The AI provider as the CLI sets it up through the session (`ai set`, `off`, `show`):
//! what was not given is kept from the same preset, else the preset's example; the key goes
//! to the secret store only (the settings never hold it) and is kept, replaced or removed as
//! asked; turning the model off keeps the provider and its key; "let the model choose" stays
//! as it was. A request that fails its checks changes nothing.

mod common;

use std::sync::Arc;

use common::Saved;
use curator::Preset;
use plexpicker_core::client::ClientSetup;
use plexpicker_core::secrets::{MemorySecrets, SecretKey, Secrets};
use plexpicker_core::session::{ProviderChange, Session};
use plexpicker_core::settings::Settings;
use plexpicker_core::Error;
use plexpicker_ipc::AiKeyChange;

const KEY: &str = "sk-provider-test-0123456789";

fn change(preset: Preset, key: AiKeyChange) -> ProviderChange {
    ProviderChange {
        preset,
        base_url: None,
        model: None,
        key,
        max_candidates: None,
        timeout_secs: None,
    }
}

#[test]
fn the_provider_is_set_up_from_what_was_given_and_its_key_lives_in_the_secret_store_only() {
    let secrets = Arc::new(MemorySecrets::default());
    let saved = Saved::default();
    let mut settings = Settings::default();
    settings.ai.use_model = true;
    let setup = ClientSetup::new(
        "0b5d2c6e-8f61-4c8e-9a57-3c2d1e0f9a8b",
        "1.0",
        "Test",
        "Test",
    );
    let s = Session::new(
        setup,
        settings,
        Box::new(saved.clone()),
        secrets.clone(),
        None,
    );

    // Nothing set up yet.
    let none = s.ai_report().unwrap();
    assert!(none.provider.is_none() && !none.enabled);

    // OpenAI needs a key: refused without one, and nothing changes.
    let refused = s.set_ai_provider(change(Preset::OpenAi, AiKeyChange::Keep));
    assert!(matches!(refused, Err(Error::Ai(_))), "{refused:?}");
    assert!(s.settings().ai.provider.is_none());

    // With the key: the preset's example model, the model on, the key stored.
    let set = s
        .set_ai_provider(change(Preset::OpenAi, AiKeyChange::Set(KEY.into())))
        .unwrap();
    let provider = set.provider.clone().unwrap();
    assert!(set.enabled);
    assert!(provider.has_key);
    assert_eq!(provider.model, Preset::OpenAi.info().example_model);
    assert_eq!(provider.label, "OpenAI");
    let name = SecretKey::AiKey("open_ai".into());
    assert_eq!(secrets.get(&name).unwrap().as_deref(), Some(KEY));
    assert!(s.settings().ai.use_model, "let the model choose stays");

    // The same preset again with only a model: the key and the address are kept.
    let model = s
        .set_ai_provider(ProviderChange {
            model: Some("gpt-4.1-mini".into()),
            max_candidates: Some(12),
            ..change(Preset::OpenAi, AiKeyChange::Keep)
        })
        .unwrap();
    let kept = model.provider.unwrap();
    assert_eq!(kept.model, "gpt-4.1-mini");
    assert_eq!(kept.base_url, provider.base_url);
    assert!(kept.has_key);
    assert_eq!(model.max_candidates, 12);

    // Off: the provider and its key stay.
    let off = s.ai_off().unwrap();
    assert!(!off.enabled);
    assert!(off.provider.unwrap().has_key);

    // Another preset: its own example model; the first one's key is still there.
    let local = s
        .set_ai_provider(change(Preset::Ollama, AiKeyChange::Keep))
        .unwrap();
    assert_eq!(
        local.provider.unwrap().model,
        Preset::Ollama.info().example_model
    );
    assert_eq!(secrets.get(&name).unwrap().as_deref(), Some(KEY));

    // Removing OpenAI's key, while switching back to it with it turned on, is refused (it
    // needs one) and the key is kept.
    assert!(s
        .set_ai_provider(change(Preset::OpenAi, AiKeyChange::Remove))
        .is_err());
    assert_eq!(secrets.get(&name).unwrap().as_deref(), Some(KEY));

    // A custom server: its address and model are what the next change without them keeps.
    s.set_ai_provider(ProviderChange {
        base_url: Some("http://127.0.0.1:8000/v1".into()),
        model: Some("local-model".into()),
        ..change(Preset::Custom, AiKeyChange::Keep)
    })
    .unwrap();
    let again = s
        .set_ai_provider(ProviderChange {
            timeout_secs: Some(30),
            ..change(Preset::Custom, AiKeyChange::Keep)
        })
        .unwrap();
    let custom = again.provider.unwrap();
    assert_eq!(custom.base_url, "http://127.0.0.1:8000/v1");
    assert_eq!(custom.model, "local-model");
    assert_eq!(again.timeout_secs, 30);
    assert_eq!(again.max_candidates, 12, "kept from before");

    // No saved settings value ever held the key.
    let all = saved.all();
    assert!(!all.is_empty());
    assert!(all.iter().all(|json| !json.contains(KEY)));
}
