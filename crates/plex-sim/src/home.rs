//! plex.tv's Plex Home: the profiles of the account's Home, switching to one (with its PIN
//! when protected), and the resources a profile's token sees (its own access tokens).

use serde_json::{json, Value};

use crate::catalog::NOW;
use crate::fault::HomeFault;
use crate::http::{Request, Response};
use crate::plextv::{body_param, error, rfc3339, server_json, unauthorized};
use crate::state::{HomeRt, ProfileRt, Shared};

/// The token of the request, when it belongs to the account or to one of its Home's profiles.
fn home_member(shared: &Shared, req: &Request) -> bool {
    let token = req.param_or_header("X-Plex-Token").unwrap_or_default();
    !token.is_empty()
        && (token == shared.account.token || shared.profile_by_token(&token).is_some())
}

fn restriction_profile(p: &ProfileRt) -> Value {
    match p.limit_age {
        None => Value::Null,
        Some(a) if a < 10 => Value::from("little_kid"),
        Some(a) if a < 13 => Value::from("older_kid"),
        Some(_) => Value::from("teen"),
    }
}

fn admin_json(shared: &Shared) -> Value {
    let a = &shared.account;
    json!({
        "id": a.id,
        "uuid": a.uuid,
        "title": a.username,
        "username": a.username,
        "email": a.email,
        "friendlyName": "",
        "thumb": format!("https://plex.tv/users/{}/avatar?c={}", a.uuid, NOW),
        "hasPassword": true,
        "restricted": false,
        "updatedAt": NOW - 86_400,
        "restrictionProfile": null,
        "admin": true,
        "guest": false,
        "protected": false,
        "home": true
    })
}

fn profile_json(p: &ProfileRt) -> Value {
    json!({
        "id": p.id,
        "uuid": p.uuid,
        "title": p.title,
        "username": null,
        "email": null,
        "friendlyName": "",
        "thumb": format!("https://plex.tv/users/{}/avatar?c={}", p.uuid, NOW),
        "hasPassword": false,
        "restricted": p.limit_age.is_some(),
        "updatedAt": NOW - 3 * 86_400,
        "restrictionProfile": restriction_profile(p),
        "admin": false,
        "guest": p.guest,
        "protected": p.pin.is_some(),
        "home": true
    })
}

/// `GET /api/v2/home/users`: 404 for an account without a Home.
pub(crate) fn users(shared: &Shared, req: &Request) -> Response {
    if !home_member(shared, req) {
        return unauthorized();
    }
    let Some(home) = &shared.home else {
        return error(404, 1002, "Not Found");
    };
    let guest = home.profiles.iter().find(|p| p.guest);
    let mut users = vec![admin_json(shared)];
    users.extend(home.profiles.iter().map(profile_json));
    match shared.home_fault() {
        HomeFault::HugeUsers => {
            let one = home
                .profiles
                .first()
                .map(profile_json)
                .unwrap_or(Value::Null);
            users = vec![one; 5_000];
        }
        HomeFault::TruncatedUsers => {
            let full = json!({"id": home.id, "name": home.name, "users": users}).to_string();
            return Response::json(200, full[..full.len() / 2].to_string());
        }
        _ => {}
    }
    Response::json_value(
        200,
        &json!({
            "id": home.id,
            "name": home.name,
            "guestUserID": guest.map(|g| g.id),
            "guestUserUUID": guest.map(|g| g.uuid.clone()),
            "guestEnabled": guest.is_some(),
            "subscription": true,
            "users": users
        }),
    )
}

/// The user object switching answers (and `/api/v2/user` with a profile's token).
pub(crate) fn profile_user(shared: &Shared, p: &ProfileRt) -> Value {
    let mut v = profile_json(p);
    if let Value::Object(m) = &mut v {
        m.insert("authToken".into(), Value::from(p.token.clone()));
        m.insert("homeAdmin".into(), Value::Bool(false));
        m.insert(
            "homeSize".into(),
            Value::from(shared.home.as_ref().map_or(1, |h| h.profiles.len() + 1)),
        );
        m.insert("joinedAt".into(), Value::from(NOW - 400 * 86_400));
        m.insert(
            "subscription".into(),
            json!({"active": false, "status": "Inactive", "features": []}),
        );
    }
    v
}

fn find<'a>(home: &'a HomeRt, uuid: &str) -> Option<&'a ProfileRt> {
    home.profiles
        .iter()
        .find(|p| p.uuid == uuid || p.id.to_string() == uuid)
}

/// `POST /api/v2/home/users/{uuid}/switch` (`pin` as a query or form parameter): 201 with
/// the profile's user object and its `authToken`; a wrong or missing PIN is 401.
pub(crate) fn switch(shared: &Shared, req: &Request, uuid: &str) -> Response {
    if !home_member(shared, req) {
        return unauthorized();
    }
    let Some(home) = &shared.home else {
        return error(404, 1002, "Not Found");
    };
    if uuid == shared.account.uuid || uuid == shared.account.id.to_string() {
        let mut admin = admin_json(shared);
        if let Value::Object(m) = &mut admin {
            m.insert(
                "authToken".into(),
                Value::from(shared.account.token.clone()),
            );
        }
        return Response::json_value(201, &admin);
    }
    let Some(p) = find(home, uuid) else {
        return error(404, 1002, "Not Found");
    };
    if let Some(pin) = &p.pin {
        let given = req.param("pin").or_else(|| body_param(req, "pin"));
        if given.as_deref() != Some(pin.as_str()) {
            let status = match shared.home_fault() {
                HomeFault::WrongPinForbidden => 403,
                _ => 401,
            };
            return error(status, 1041, "Invalid PIN");
        }
    }
    if shared.home_fault() == HomeFault::SwitchAnswersOtherProfile {
        if let Some(other) = home.profiles.iter().find(|o| o.uuid != p.uuid) {
            return Response::json_value(201, &profile_user(shared, other));
        }
    }
    Response::json_value(201, &profile_user(shared, p))
}

/// `GET /api/v2/resources` with a profile's token: only the servers it may use, each with
/// the profile's own access token for it (shared with it by the Home's admin).
pub(crate) fn profile_resources(shared: &Shared, req: &Request, p: &ProfileRt) -> Response {
    let include_relay = req.param("includeRelay").is_some_and(|v| v == "1");
    let mut devices = Vec::new();
    for server in &shared.servers {
        let Some((_, token)) = p
            .server_tokens
            .iter()
            .find(|(m, _)| *m == server.machine_identifier)
        else {
            continue;
        };
        let mut d = server_json(server, include_relay);
        if let Value::Object(m) = &mut d {
            let token = match shared.home_fault() {
                HomeFault::ResourcesWithoutTokens => Value::Null,
                _ => Value::from(token.clone()),
            };
            m.insert("accessToken".into(), token);
            m.insert("owned".into(), Value::Bool(false));
            m.insert("home".into(), Value::Bool(true));
            m.insert(
                "sourceTitle".into(),
                Value::from(shared.account.username.clone()),
            );
            m.insert("ownerId".into(), Value::from(shared.account.id));
            m.insert("lastSeenAt".into(), Value::from(rfc3339(NOW - 120)));
        }
        devices.push(d);
    }
    Response::json_value(200, &Value::Array(devices))
}

/// Legacy XML `GET /api/home/users` (older clients): `<MediaContainer><User .../>...`.
pub(crate) fn legacy_users(shared: &Shared, req: &Request) -> Response {
    use crate::node::Node;
    if !home_member(shared, req) {
        return Response::html(401, crate::pms::UNAUTHORIZED_BODY);
    }
    let Some(home) = &shared.home else {
        return Response::html(
            404,
            "<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>",
        );
    };
    let n = home.profiles.len() as u64 + 1;
    let mut c = Node::new("MediaContainer")
        .attr("friendlyName", "myPlex")
        .attr("identifier", "com.plexapp.plugins.myplex")
        .attr("machineIdentifier", home.id.to_string())
        .attr("totalSize", n)
        .attr("size", n);
    let a = &shared.account;
    c.push(
        Node::new("User")
            .attr("id", a.id)
            .attr("uuid", a.uuid.clone())
            .attr("admin", true)
            .attr("guest", false)
            .attr("restricted", false)
            .attr("protected", false)
            .attr("title", a.username.clone())
            .attr("username", a.username.clone())
            .attr("email", a.email.clone())
            .attr(
                "thumb",
                format!("https://plex.tv/users/{}/avatar?c={}", a.uuid, NOW),
            ),
    );
    for p in &home.profiles {
        c.push(
            Node::new("User")
                .attr("id", p.id)
                .attr("uuid", p.uuid.clone())
                .attr("admin", false)
                .attr("guest", p.guest)
                .attr("restricted", p.limit_age.is_some())
                .attr("protected", p.pin.is_some())
                .attr("title", p.title.clone())
                .attr("username", "")
                .attr("email", "")
                .attr(
                    "thumb",
                    format!("https://plex.tv/users/{}/avatar?c={}", p.uuid, NOW),
                ),
        );
    }
    Response::xml(200, c.to_xml_document())
}
