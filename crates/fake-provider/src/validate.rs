//! Request validation the way OpenAI-compatible servers do it.

use serde_json::Value;

use crate::reply::error_body;
use crate::Config;

/// A rejection: the status and the error body.
pub(crate) type Rejection = (u16, Value);

fn invalid(message: impl AsRef<str>, param: Option<&str>, code: Option<&str>) -> Rejection {
    (
        400,
        error_body(message.as_ref(), "invalid_request_error", param, code),
    )
}

/// Checks the bearer key when one is configured.
pub(crate) fn auth(config: &Config, authorization: Option<&str>) -> Result<(), Rejection> {
    let Some(key) = &config.api_key else {
        return Ok(());
    };
    match authorization.and_then(|v| v.strip_prefix("Bearer ")) {
        Some(given) if given == key => Ok(()),
        Some(_) => Err((
            401,
            error_body(
                "Incorrect API key provided. You can find your API key in your provider's settings.",
                "invalid_request_error",
                None,
                Some("invalid_api_key"),
            ),
        )),
        None => Err((
            401,
            error_body(
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                "invalid_request_error",
                None,
                None,
            ),
        )),
    }
}

const ROLES: [&str; 5] = ["system", "developer", "user", "assistant", "tool"];

/// Validates a chat completion body; answers the parsed body and the model.
pub(crate) fn chat(config: &Config, raw: &[u8]) -> Result<(Value, String), Rejection> {
    let body: Value = serde_json::from_slice(raw).map_err(|e| {
        invalid(
            format!("We could not parse the JSON body of your request. ({e})"),
            None,
            None,
        )
    })?;
    if !body.is_object() {
        return Err(invalid(
            "The request body must be a JSON object.",
            None,
            None,
        ));
    }
    let model = match body.get("model") {
        Some(Value::String(m)) if !m.is_empty() => m.clone(),
        None | Some(Value::Null) => {
            return Err(invalid(
                "you must provide a model parameter",
                Some("model"),
                None,
            ))
        }
        Some(_) => {
            return Err(invalid(
                "Invalid type for 'model': expected a string.",
                Some("model"),
                Some("invalid_type"),
            ))
        }
    };
    let messages = match body.get("messages") {
        Some(Value::Array(m)) => m,
        None => {
            return Err(invalid(
                "Missing required parameter: 'messages'.",
                Some("messages"),
                Some("missing_required_parameter"),
            ))
        }
        Some(_) => {
            return Err(invalid(
                "Invalid type for 'messages': expected an array.",
                Some("messages"),
                Some("invalid_type"),
            ))
        }
    };
    if messages.is_empty() {
        return Err(invalid(
            "Invalid 'messages': empty array. Expected an array with minimum length 1.",
            Some("messages"),
            Some("empty_array"),
        ));
    }
    let mut all_text = String::new();
    for (i, m) in messages.iter().enumerate() {
        let role = m.get("role").and_then(Value::as_str).unwrap_or("");
        if !ROLES.contains(&role) {
            return Err(invalid(
                format!("Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', 'tool', and 'developer'."),
                Some(&format!("messages[{i}].role")),
                Some("invalid_value"),
            ));
        }
        match m.get("content") {
            Some(Value::String(s)) => all_text.push_str(s),
            Some(Value::Array(parts)) => {
                for p in parts {
                    match (p.get("type").and_then(Value::as_str), p.get("text")) {
                        (Some("text"), Some(Value::String(s))) => all_text.push_str(s),
                        _ => {
                            return Err(invalid(
                                format!("Invalid content part in messages[{i}]: expected {{\"type\":\"text\",\"text\":…}}."),
                                Some(&format!("messages[{i}].content")),
                                Some("invalid_value"),
                            ))
                        }
                    }
                }
            }
            Some(Value::Null) | None if role == "assistant" => {}
            _ => {
                return Err(invalid(
                    format!("Invalid type for 'messages[{i}].content': expected a string or an array of content parts."),
                    Some(&format!("messages[{i}].content")),
                    Some("invalid_type"),
                ))
            }
        }
    }
    if let Some(t) = body.get("temperature") {
        match t.as_f64() {
            Some(v) if (0.0..=2.0).contains(&v) => {}
            _ if t.is_null() => {}
            _ => {
                return Err(invalid(
                    "Invalid 'temperature': expected a number between 0 and 2.",
                    Some("temperature"),
                    Some("invalid_value"),
                ))
            }
        }
    }
    if let Some(rf) = body.get("response_format") {
        response_format(config, rf, &all_text)?;
    }
    if !config.models.iter().any(|m| m == &model) {
        return Err((
            404,
            error_body(
                &format!("The model `{model}` does not exist or you do not have access to it."),
                "invalid_request_error",
                None,
                Some("model_not_found"),
            ),
        ));
    }
    Ok((body, model))
}

fn response_format(config: &Config, rf: &Value, all_text: &str) -> Result<(), Rejection> {
    let param = Some("response_format");
    match rf.get("type").and_then(Value::as_str) {
        Some("text") => Ok(()),
        Some("json_object") => {
            if !config.json_object {
                return Err(invalid(
                    "'response_format' of type 'json_object' is not supported with this model.",
                    param,
                    None,
                ));
            }
            if !all_text.to_ascii_lowercase().contains("json") {
                return Err(invalid(
                    "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
                    Some("messages"),
                    None,
                ));
            }
            Ok(())
        }
        Some("json_schema") => {
            if !config.json_schema {
                return Err(invalid(
                    "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
                    param,
                    None,
                ));
            }
            let Some(js) = rf.get("json_schema").filter(|v| v.is_object()) else {
                return Err(invalid(
                    "Missing required parameter: 'response_format.json_schema'.",
                    Some("response_format.json_schema"),
                    Some("missing_required_parameter"),
                ));
            };
            let name_ok = js.get("name").and_then(Value::as_str).is_some_and(|n| {
                !n.is_empty()
                    && n.len() <= 64
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
            if !name_ok {
                return Err(invalid(
                    "Invalid 'response_format.json_schema.name': must be 1-64 characters of a-z, A-Z, 0-9, underscores and dashes.",
                    Some("response_format.json_schema.name"),
                    Some("invalid_value"),
                ));
            }
            match js.get("schema") {
                Some(s) if s.is_object() => {}
                _ => {
                    return Err(invalid(
                        "Invalid 'response_format.json_schema.schema': expected an object.",
                        Some("response_format.json_schema.schema"),
                        Some("invalid_type"),
                    ))
                }
            }
            if let Some(strict) = js.get("strict") {
                if !strict.is_boolean() && !strict.is_null() {
                    return Err(invalid(
                        "Invalid type for 'response_format.json_schema.strict': expected a boolean.",
                        Some("response_format.json_schema.strict"),
                        Some("invalid_type"),
                    ));
                }
            }
            Ok(())
        }
        other => Err(invalid(
            format!(
                "Invalid value: '{}'. Supported values are: 'text', 'json_object', and 'json_schema'.",
                other.unwrap_or("")
            ),
            Some("response_format.type"),
            Some("invalid_value"),
        )),
    }
}
