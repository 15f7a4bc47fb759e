//! plex.tv: PIN sign-in, the user, resources; `/__sim/` goes to the control API.

use std::time::Instant;

use serde_json::{json, Value};

use crate::catalog::NOW;
use crate::fault::ConnectionKind;
use crate::http::{Request, Response};
use crate::log::LoggedRequest;
use crate::scenario::ExpiredPin;
use crate::state::{Pin, ServerRt, Shared};

pub(crate) fn error(status: u16, code: u32, message: &str) -> Response {
    Response::json_value(
        status,
        &json!({"errors":[{"code":code,"message":message,"status":status}]}),
    )
}

pub(crate) fn unauthorized() -> Response {
    error(401, 1001, "User could not be authenticated")
}

pub(crate) fn rfc3339(epoch: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(epoch)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

fn now_epoch() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Answers one plex.tv request.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    if req.path.starts_with("/__sim/") || req.path == "/__sim" {
        return crate::control::handle(shared, req);
    }
    shared.log.push(LoggedRequest {
        listener: "plex.tv".into(),
        server: None,
        connection_id: None,
        connection_kind: None,
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req.headers.clone(),
        token_owner: shared.token_owner(req.param_or_header("X-Plex-Token").as_deref()),
    });
    if shared
        .plex_tv_redirect
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        let query = req
            .query
            .as_deref()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        return Response::html(302, "").header(
            "Location",
            format!("{}{}{query}", shared.elsewhere_url(), req.path),
        );
    }
    if shared.take_rate_limit() {
        return negotiate(req, error(429, 1003, "Rate limit exceeded"), "errors");
    }
    let path = req.path.trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (resp, root) = match (req.method.as_str(), parts.as_slice()) {
        ("POST", ["api", "v2", "pins"]) => (create_pin(shared, req), "pin"),
        ("GET", ["api", "v2", "pins", id]) => (poll_pin(shared, req, id), "pin"),
        ("GET", ["api", "v2", "user"]) => (user(shared, req), "user"),
        ("GET", ["api", "v2", "resources"]) => (resources(shared, req), "resources"),
        ("GET", ["api", "resources"]) => return legacy_resources(shared, req),
        ("GET", ["api", "home", "users"]) => return crate::home::legacy_users(shared, req),
        ("GET", ["api", "v2", "home", "users"]) => (crate::home::users(shared, req), "home"),
        ("POST", ["api", "v2", "home", "users", uuid, "switch"]) => {
            (crate::home::switch(shared, req, uuid), "user")
        }
        _ => (error(404, 1002, "Not found"), "errors"),
    };
    negotiate(req, resp, root)
}

/// Real plex.tv answers XML unless the request asks for JSON (`Accept: application/json`),
/// like PMS; the handlers build JSON, turned into plex.tv's XML here: objects are elements,
/// scalars attributes (booleans `1`/`0`, nulls left out), lists of objects wrapper elements
/// (`<connections><connection .../></connections>`), lists of strings `<feature id="..."/>`.
/// `root` names the element of a top-level object (`user`, `pin`) or list (`resources`).
pub(crate) fn negotiate(req: &Request, resp: Response, root: &str) -> Response {
    let is_json = resp
        .headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("content-type") && v.contains("application/json"));
    if req.wants_json() || !is_json {
        return resp;
    }
    let Ok(value) = serde_json::from_slice::<Value>(&resp.body) else {
        return resp;
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match &value {
        // `{"errors":[...]}` is `<errors><error .../></errors>`.
        Value::Object(map) if map.len() == 1 && map.contains_key("errors") => {
            xml_list(&mut out, "errors", &map["errors"]);
        }
        Value::Object(map) => xml_object(&mut out, root, map),
        list @ Value::Array(_) => xml_list(&mut out, root, list),
        _ => return resp,
    }
    out.push('\n');
    let mut xml = Response::xml(resp.status, out);
    xml.headers.extend(
        resp.headers
            .into_iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type")),
    );
    xml
}

fn singular(list: &str) -> &str {
    list.strip_suffix('s').unwrap_or(list)
}

fn xml_attr_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        _ => None,
    }
}

fn xml_escape(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

fn xml_object(out: &mut String, tag: &str, map: &serde_json::Map<String, Value>) {
    out.push('<');
    out.push_str(tag);
    for (k, v) in map {
        if let Some(text) = xml_attr_value(v) {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            xml_escape(out, &text);
            out.push('"');
        }
    }
    let children: Vec<(&String, &Value)> = map
        .iter()
        .filter(|(_, v)| matches!(v, Value::Object(_) | Value::Array(_)))
        .collect();
    if children.is_empty() {
        out.push_str(" />");
        return;
    }
    out.push('>');
    for (k, v) in children {
        match v {
            Value::Object(m) => xml_object(out, k, m),
            list => xml_list(out, k, list),
        }
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn xml_list(out: &mut String, tag: &str, list: &Value) {
    let Value::Array(items) = list else {
        return;
    };
    out.push('<');
    out.push_str(tag);
    out.push_str(&format!(" size=\"{}\">", items.len()));
    let one = singular(tag);
    for item in items {
        match item {
            Value::Object(m) => xml_object(out, one, m),
            other => {
                if let Some(text) = xml_attr_value(other) {
                    out.push('<');
                    out.push_str(one);
                    out.push_str(" id=\"");
                    xml_escape(out, &text);
                    out.push_str("\" />");
                }
            }
        }
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn account_token_ok(shared: &Shared, req: &Request) -> bool {
    req.param_or_header("X-Plex-Token")
        .is_some_and(|t| t == shared.account.token)
}

pub(crate) fn body_param(req: &Request, name: &str) -> Option<String> {
    let body = String::from_utf8_lossy(&req.body);
    crate::http::query_pairs(&body)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn create_pin(shared: &Shared, req: &Request) -> Response {
    let Some(client_id) = req.param_or_header("X-Plex-Client-Identifier") else {
        return error(400, 1000, "X-Plex-Client-Identifier is missing");
    };
    let strong = req
        .param("strong")
        .or_else(|| body_param(req, "strong"))
        .is_some_and(|v| v == "true" || v == "1");
    let product = req
        .param_or_header("X-Plex-Product")
        .unwrap_or_else(|| "0".into());
    let code = {
        let mut rng = match shared.rng.lock() {
            Ok(r) => r,
            Err(p) => p.into_inner(),
        };
        if strong {
            rng.code(25, b"abcdefghijklmnopqrstuvwxyz0123456789")
        } else {
            rng.code(4, b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        }
    };
    let pin = Pin {
        id: shared
            .next_pin
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        code,
        client_identifier: client_id,
        product,
        strong,
        created: Instant::now(),
        created_at: now_epoch(),
        expires_in_secs: shared.pin_spec.expires_in_secs,
        approved: false,
    };
    let body = pin_json(shared, &pin, false);
    if let Ok(mut pins) = shared.pins.lock() {
        pins.push(pin);
    }
    Response::json_value(201, &body)
}

fn pin_json(shared: &Shared, pin: &Pin, linked: bool) -> Value {
    let elapsed = pin.created.elapsed().as_secs();
    let expires_in = pin.expires_in_secs.saturating_sub(elapsed);
    json!({
        "id": pin.id,
        "code": pin.code,
        "product": pin.product,
        "trusted": false,
        "qr": format!("https://plex.tv/api/v2/pins/qr/{}", pin.code),
        "clientIdentifier": pin.client_identifier,
        "location": {
            "code": "US",
            "european_union_member": false,
            "continent_code": "NA",
            "country": "United States",
            "city": "Springfield",
            "time_zone": "America/Chicago",
            "postal_code": "62701",
            "in_privacy_restricted_country": false,
            "in_privacy_restricted_region": false,
            "subdivisions": "Illinois",
            "coordinates": "39.7990, -89.6440"
        },
        "expiresIn": expires_in,
        "createdAt": rfc3339(pin.created_at),
        "expiresAt": rfc3339(pin.created_at + pin.expires_in_secs as i64),
        "authToken": if linked { Value::String(shared.account.token.clone()) } else { Value::Null },
        "newRegistration": if linked { Value::Bool(false) } else { Value::Null },
    })
}

fn poll_pin(shared: &Shared, req: &Request, id: &str) -> Response {
    let not_found = || {
        Response::json_value(
            404,
            &json!({"errors":[{"code":1020,"message":"Code not found or expired"}]}),
        )
    };
    let Ok(id) = id.parse::<u64>() else {
        return not_found();
    };
    let _ = req;
    let pin = match shared.pins.lock() {
        Ok(pins) => pins.iter().find(|p| p.id == id).cloned(),
        Err(_) => None,
    };
    let Some(pin) = pin else {
        return not_found();
    };
    let elapsed = pin.created.elapsed();
    if elapsed.as_secs() >= pin.expires_in_secs {
        return match shared.pin_spec.expired {
            ExpiredPin::NotFound => not_found(),
            ExpiredPin::NullToken => Response::json_value(200, &pin_json(shared, &pin, false)),
        };
    }
    let auto = shared
        .pin_spec
        .approve_after_ms
        .is_some_and(|ms| elapsed.as_millis() >= u128::from(ms));
    Response::json_value(200, &pin_json(shared, &pin, pin.approved || auto))
}

fn user(shared: &Shared, req: &Request) -> Response {
    let token = req.param_or_header("X-Plex-Token").unwrap_or_default();
    if let Some(p) = shared.profile_by_token(&token) {
        return Response::json_value(200, &crate::home::profile_user(shared, p));
    }
    if !account_token_ok(shared, req) {
        return unauthorized();
    }
    let a = &shared.account;
    Response::json_value(
        200,
        &json!({
            "id": a.id,
            "uuid": a.uuid,
            "username": a.username,
            "title": a.username,
            "email": a.email,
            "friendlyName": "",
            "locale": null,
            "confirmed": true,
            "joinedAt": NOW - 5 * 365 * 86_400,
            "emailOnlyAuth": false,
            "hasPassword": true,
            "protected": false,
            "thumb": format!("https://plex.tv/users/{}/avatar?c={}", a.uuid, NOW),
            "authToken": a.token,
            "mailingListStatus": "unsubscribed",
            "mailingListActive": false,
            "scrobbleTypes": "",
            "country": "US",
            "subscription": {
                "active": true,
                "subscribedAt": rfc3339(NOW - 800 * 86_400),
                "status": "Active",
                "paymentService": "braintree",
                "plan": "lifetime",
                "features": ["hardware_transcoding", "sync", "download_certificates"]
            },
            "subscriptionDescription": "Lifetime Plex Pass",
            "restricted": false,
            "anonymous": null,
            "home": true,
            "guest": false,
            "homeSize": 1,
            "homeAdmin": true,
            "maxHomeSize": 15,
            "rememberExpiresAt": NOW + 30 * 86_400,
            "profile": {
                "autoSelectAudio": true,
                "defaultAudioLanguage": "en",
                "defaultSubtitleLanguage": "en",
                "autoSelectSubtitle": 0,
                "defaultSubtitleAccessibility": 0,
                "defaultSubtitleForced": 0
            },
            "entitlements": ["all"],
            "roles": ["plexpass"],
            "services": [],
            "adsConsent": null,
            "adsConsentSetAt": null,
            "adsConsentReminderAt": null,
            "experimentalFeatures": false,
            "twoFactorEnabled": false,
            "backupCodesCreated": false
        }),
    )
}

fn resources(shared: &Shared, req: &Request) -> Response {
    let token = req.param_or_header("X-Plex-Token").unwrap_or_default();
    if let Some(p) = shared.profile_by_token(&token) {
        return crate::home::profile_resources(shared, req, p);
    }
    if !account_token_ok(shared, req) {
        return unauthorized();
    }
    let include_relay = req.param("includeRelay").is_some_and(|v| v == "1");
    let mut devices = Vec::new();
    for server in &shared.servers {
        devices.push(server_json(server, include_relay));
    }
    for (i, c) in shared.clients.iter().enumerate() {
        let mut r = crate::rng::Rng::for_item(i as u64, 77, 0xC1);
        devices.push(json!({
            "name": c.name,
            "product": c.product,
            "productVersion": "4.145.1",
            "platform": c.platform,
            "platformVersion": "131.0",
            "device": if c.product == "Plex Web" { Value::from("Linux") } else { Value::Null },
            "clientIdentifier": r.token(24).to_lowercase(),
            "createdAt": rfc3339(NOW - 100 * 86_400),
            "lastSeenAt": rfc3339(NOW - 3_600),
            "provides": c.provides,
            "ownerId": null,
            "sourceTitle": null,
            "publicAddress": "127.0.0.3",
            "accessToken": r.token(20),
            "owned": true,
            "home": false,
            "synced": false,
            "relay": false,
            "presence": c.product != "Plex Web",
            "httpsRequired": false,
            "publicAddressMatches": true,
            "dnsRebindingProtection": false,
            "natLoopbackSupported": false,
            "connections": if c.product == "Plex Web" { json!([]) } else { json!([{
                "protocol": "http",
                "address": "127.0.0.5",
                "port": 32500,
                "uri": "http://127.0.0.5:32500",
                "local": true,
                "relay": false,
                "IPv6": false
            }]) }
        }));
    }
    Response::json_value(200, &Value::Array(devices))
}

/// One server as `/api/v2/resources` lists it for the account.
pub(crate) fn server_json(server: &ServerRt, include_relay: bool) -> Value {
    let s = &server.spec;
    let connections: Vec<Value> = server
        .connections
        .iter()
        .filter(|c| include_relay || c.kind != ConnectionKind::Relay)
        .map(|c| {
            json!({
                "protocol": c.kind.protocol(),
                "address": c.addr.ip().to_string(),
                "port": c.addr.port(),
                "uri": c.uri,
                "local": c.local,
                "relay": c.kind == ConnectionKind::Relay,
                "IPv6": false
            })
        })
        .collect();
    let public_address = server
        .connections
        .iter()
        .find(|c| !c.local && c.kind != ConnectionKind::Relay)
        .map(|c| c.addr.ip().to_string())
        .unwrap_or_else(|| "127.0.0.3".into());
    json!({
        "name": s.name,
        "product": "Plex Media Server",
        "productVersion": s.version,
        "platform": s.platform,
        "platformVersion": s.platform_version,
        "device": s.device,
        "clientIdentifier": server.machine_identifier,
        "createdAt": rfc3339(server.created_at),
        "lastSeenAt": rfc3339(NOW - 120),
        "provides": "server",
        "ownerId": s.owner_id,
        "sourceTitle": s.owner_name,
        "publicAddress": public_address,
        "accessToken": server.access_token,
        "owned": s.owned,
        "home": false,
        "synced": false,
        "relay": server.connections.iter().any(|c| c.kind == ConnectionKind::Relay),
        "presence": s.presence,
        "httpsRequired": s.https_required,
        "publicAddressMatches": s.public_address_matches.unwrap_or(s.owned),
        "dnsRebindingProtection": false,
        "natLoopbackSupported": true,
        "connections": connections
    })
}

/// Legacy XML `GET /api/resources` (booleans `"1"`/`"0"`, epoch times).
fn legacy_resources(shared: &Shared, req: &Request) -> Response {
    use crate::node::Node;
    if !account_token_ok(shared, req) {
        return Response::html(401, crate::pms::UNAUTHORIZED_BODY);
    }
    let mut c = Node::new("MediaContainer").attr("size", shared.servers.len() as u64);
    for server in &shared.servers {
        let s = &server.spec;
        let mut d = Node::new("Device")
            .attr("name", s.name.clone())
            .attr("product", "Plex Media Server")
            .attr("productVersion", s.version.clone())
            .attr("platform", s.platform.clone())
            .attr("platformVersion", s.platform_version.clone())
            .attr("device", s.device.clone())
            .attr("clientIdentifier", server.machine_identifier.clone())
            .attr("createdAt", server.created_at)
            .attr("lastSeenAt", NOW - 120)
            .attr("provides", "server")
            .attr("owned", s.owned)
            .attr("accessToken", server.access_token.clone())
            .attr("presence", s.presence);
        if let (Some(id), Some(name)) = (s.owner_id, &s.owner_name) {
            d.set("ownerId", id);
            d.set("sourceTitle", name.clone());
        }
        for conn in &server.connections {
            d.push(
                Node::new("Connection")
                    .attr("protocol", conn.kind.protocol())
                    .attr("address", conn.addr.ip().to_string())
                    .attr("port", u32::from(conn.addr.port()))
                    .attr("uri", conn.uri.clone())
                    .attr("local", conn.local)
                    .attr("relay", conn.kind == ConnectionKind::Relay),
            );
        }
        c.push(d);
    }
    Response::xml(200, c.to_xml_document())
}
