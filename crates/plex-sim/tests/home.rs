//! Plex Home: profiles, switching with a PIN, resources per profile, each profile's own
//! watch state and content limit on the server, PMS filter operators, and the request log's
//! record of whose token reached which listener.

mod common;

use std::collections::BTreeSet;

use common::{get_json, plain_client};
use plex_sim::catalog::{Catalog, Entity, WatchState};
use plex_sim::node::Val;
use plex_sim::{rating_age, LibraryKind, LibrarySpec, ProfileInfo, Scenario, Sim};
use serde_json::Value;

async fn family() -> Sim {
    Sim::start(Scenario::builtin("family").expect("family"))
        .await
        .expect("sim")
}

fn profile(sim: &Sim, title: &str) -> ProfileInfo {
    sim.profile(title)
        .unwrap_or_else(|| panic!("no profile {title}"))
}

fn int(v: Option<&Val>) -> Option<i64> {
    match v {
        Some(Val::Int(i)) => Some(*i),
        _ => None,
    }
}

#[test]
fn the_accounts_watch_state_and_ratings_are_what_the_nodes_say() {
    let cat = Catalog::new(
        99,
        &[
            LibrarySpec::new(LibraryKind::Movie, 300),
            LibrarySpec::new(LibraryKind::Show, 20),
        ],
    );
    let mut entities = Vec::new();
    let mut key = 1000;
    while entities.len() < 2_000 && key < 20_000 {
        if let Some(e) = cat.entity(key) {
            entities.push(e);
        }
        key += 1;
    }
    let mut watched = 0;
    for e in entities {
        let node = cat.node(e);
        let w: WatchState = cat.watch_state(e, None);
        assert_eq!(
            int(node.get("viewCount")).unwrap_or(0),
            i64::from(w.view_count),
            "{e:?}"
        );
        assert_eq!(int(node.get("lastViewedAt")), w.last_viewed_at, "{e:?}");
        assert_eq!(int(node.get("viewOffset")), w.view_offset, "{e:?}");
        assert_eq!(
            int(node.get("viewedLeafCount")),
            w.viewed_leaf_count.map(i64::from),
            "{e:?}"
        );
        if !matches!(e, Entity::Season { .. }) {
            let rating = match node.get("contentRating") {
                Some(Val::Str(s)) => Some(s.as_str()),
                _ => None,
            };
            assert_eq!(rating, cat.content_rating(e), "{e:?}");
        }
        watched += usize::from(w.is_watched());
        // A profile's own state is applied to the same node without touching the rest.
        let mut as_profile = node.clone();
        cat.apply_view(e, &mut as_profile, Some(5));
        let p = cat.watch_state(e, Some(5));
        assert_eq!(
            int(as_profile.get("viewCount")).unwrap_or(0),
            i64::from(p.view_count)
        );
        assert_eq!(as_profile.get("title"), node.get("title"));
    }
    assert!(watched > 0);
}

#[test]
fn family_validates_and_bad_homes_are_refused() {
    let s = Scenario::builtin("family").unwrap();
    let home = s.home.as_ref().unwrap();
    assert_eq!(home.profiles.len(), 3);
    assert!(Scenario::builtin("home").unwrap().home.is_none());
    let bad_pin = "name = \"x\"\n[home]\n[[home.profiles]]\ntitle = \"A\"\npin = \"12a4\"\n";
    assert!(Scenario::from_toml(bad_pin).is_err());
    let bad_limit =
        "name = \"x\"\n[home]\n[[home.profiles]]\ntitle = \"A\"\ncontent_limit = \"XX\"\n";
    assert!(Scenario::from_toml(bad_limit).is_err());
    let bad_server =
        "name = \"x\"\n[home]\n[[home.profiles]]\ntitle = \"A\"\nservers = [\"nope\"]\n";
    assert!(Scenario::from_toml(bad_server).is_err());
    assert_eq!(rating_age("PG"), Some(10));
    assert_eq!(rating_age("TV-MA"), Some(17));
    assert_eq!(rating_age("NR"), None);
}

#[tokio::test]
async fn home_users_lists_the_admin_and_every_profile() {
    let sim = family().await;
    let url = format!("{}/api/v2/home/users", sim.plex_tv_url());
    let (status, v) = get_json(&plain_client(), &url, sim.account_token()).await;
    assert_eq!(status, 200);
    assert_eq!(v["name"], "The Sim Family");
    let users = v["users"].as_array().unwrap();
    assert_eq!(users.len(), 4);
    assert_eq!(users[0]["admin"], true);
    assert_eq!(users[0]["protected"], false);
    let by = |t: &str| users.iter().find(|u| u["title"] == t).unwrap().clone();
    assert_eq!(by("Sam")["protected"], true);
    assert_eq!(by("Sam")["uuid"], profile(&sim, "Sam").uuid.as_str());
    assert_eq!(by("Kid")["restricted"], true);
    assert_eq!(by("Kid")["restrictionProfile"], "older_kid");
    assert_eq!(by("Guest")["guest"], true);
    assert_eq!(v["guestUserUUID"], profile(&sim, "Guest").uuid.as_str());
    for u in users {
        for f in [
            "id",
            "uuid",
            "title",
            "thumb",
            "hasPassword",
            "protected",
            "restricted",
            "admin",
            "guest",
            "home",
        ] {
            assert!(u.get(f).is_some(), "{f} missing in {u}");
        }
        assert!(
            u.get("authToken").is_none(),
            "the list never carries tokens"
        );
    }
    // XML by default, like the rest of plex.tv.
    let r = plain_client()
        .get(&url)
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    let xml = r.text().await.unwrap();
    assert!(
        xml.contains("<home ") && xml.contains("<users size=\"4\">"),
        "{xml}"
    );
    assert!(xml.contains("title=\"Sam\"") && xml.contains("protected=\"1\""));
    // No token: 401.
    let (status, _) = get_json(&plain_client(), &url, "").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn an_account_without_a_home_gets_404() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let url = format!("{}/api/v2/home/users", sim.plex_tv_url());
    let (status, v) = get_json(&plain_client(), &url, sim.account_token()).await;
    assert_eq!(status, 404, "{v}");
    assert!(sim.profiles().is_empty());
}

async fn switch(sim: &Sim, uuid: &str, query: &str, form: Option<&str>) -> (u16, Value) {
    let mut req = plain_client()
        .post(format!(
            "{}/api/v2/home/users/{uuid}/switch{query}",
            sim.plex_tv_url()
        ))
        .header("Accept", "application/json")
        .header("X-Plex-Token", sim.account_token());
    if let Some(f) = form {
        req = req
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(f.to_string());
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn switching_needs_the_right_pin_for_a_protected_profile() {
    let sim = family().await;
    let sam = profile(&sim, "Sam");
    let (s, v) = switch(&sim, &sam.uuid, "", None).await;
    assert_eq!(s, 401, "missing pin: {v}");
    let (s, v) = switch(&sim, &sam.uuid, "?pin=9999", None).await;
    assert_eq!(s, 401);
    assert_eq!(v["errors"][0]["code"], 1041);
    let (s, v) = switch(&sim, &sam.uuid, "?pin=1234", None).await;
    assert_eq!(s, 201);
    assert_eq!(v["authToken"], sam.token.as_str());
    assert_eq!(v["title"], "Sam");
    let (s, v) = switch(&sim, &sam.uuid, "", Some("pin=1234")).await;
    assert_eq!(s, 201, "pin as a form parameter");
    assert_eq!(v["authToken"], sam.token.as_str());
    let kid = profile(&sim, "Kid");
    let (s, v) = switch(&sim, &kid.uuid, "", None).await;
    assert_eq!(s, 201);
    assert_eq!(v["authToken"], kid.token.as_str());
    assert_eq!(v["restricted"], true);
    let (s, _) = switch(&sim, "0123456789abcdef", "", None).await;
    assert_eq!(s, 404);
    // The user endpoint knows a profile's token.
    let (s, v) = get_json(
        &plain_client(),
        &format!("{}/api/v2/user", sim.plex_tv_url()),
        &kid.token,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["uuid"], kid.uuid.as_str());
}

#[tokio::test]
async fn resources_asked_with_a_profile_token_carry_its_own_access_tokens() {
    let sim = family().await;
    let url = format!(
        "{}/api/v2/resources?includeHttps=1&includeRelay=1",
        sim.plex_tv_url()
    );
    let (_, admin) = get_json(&plain_client(), &url, sim.account_token()).await;
    let admin_servers: Vec<&str> = admin
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["provides"] == "server")
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(admin_servers, ["Family Server", "Friend Server"]);
    let mut seen = BTreeSet::new();
    for p in sim.profiles() {
        let (status, v) = get_json(&plain_client(), &url, &p.token).await;
        assert_eq!(status, 200);
        let list = v.as_array().unwrap();
        assert_eq!(list.len(), 1, "{}: only the Home's server", p.title);
        assert_eq!(list[0]["name"], "Family Server");
        assert_eq!(list[0]["home"], true);
        let token = list[0]["accessToken"].as_str().unwrap();
        assert_eq!(Some(token), p.server_token("Family Server"));
        assert_ne!(token, sim.server("Family Server").unwrap().access_token);
        assert_ne!(token, p.token);
        assert!(seen.insert(token.to_string()), "every profile has its own");
        assert!(!list[0]["connections"].as_array().unwrap().is_empty());
    }
}

async fn all(sim: &Sim, conn: &str, path_query: &str, token: &str) -> (u16, Value) {
    let c = sim.connection(conn).unwrap();
    let (s, v) = get_json(&plain_client(), &format!("{}{path_query}", c.uri), token).await;
    (s.as_u16(), v)
}

fn keys(v: &Value) -> Vec<String> {
    v["MediaContainer"]["Metadata"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| m["ratingKey"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn num(m: &Value, f: &str) -> i64 {
    m[f].as_i64().unwrap_or(0)
}

#[tokio::test]
async fn a_server_answers_each_profile_with_its_own_watch_state() {
    let sim = family().await;
    let sam = profile(&sim, "Sam");
    let sam_token = sam.server_token("Family Server").unwrap().to_string();
    // A profile's plex.tv token alone is refused by the server; its access token works
    // only on the server it was issued for.
    let (s, _) = all(&sim, "family-http", "/library/sections", &sam.token).await;
    assert_eq!(s, 401);
    let (s, _) = all(&sim, "friend-http", "/library/sections", &sam_token).await;
    assert_eq!(s, 401);
    let (s, admin) = all(
        &sim,
        "family-http",
        "/library/sections/1/all",
        sim.account_token(),
    )
    .await;
    assert_eq!(s, 200);
    let (s, mine) = all(&sim, "family-http", "/library/sections/1/all", &sam_token).await;
    assert_eq!(s, 200);
    let a = admin["MediaContainer"]["Metadata"].as_array().unwrap();
    let m = mine["MediaContainer"]["Metadata"].as_array().unwrap();
    assert_eq!(a.len(), 400);
    assert_eq!(keys(&admin), keys(&mine), "the same catalog");
    let differ = a
        .iter()
        .zip(m)
        .filter(|(x, y)| num(x, "viewCount") != num(y, "viewCount"))
        .count();
    assert!(
        differ > 40,
        "Sam's watch state is Sam's own ({differ} differ)"
    );
    for (x, y) in a.iter().zip(m) {
        assert_eq!(x["title"], y["title"]);
    }

    // viewCount>>=1 is exactly what Sam's full listing shows as watched, paged as usual.
    let watched: Vec<String> = m
        .iter()
        .filter(|i| num(i, "viewCount") >= 1)
        .map(|i| i["ratingKey"].as_str().unwrap().to_string())
        .collect();
    let mut paged = Vec::new();
    let mut start = 0;
    loop {
        let (s, v) = all(
            &sim,
            "family-http",
            &format!("/library/sections/1/all?type=1&viewCount%3E%3E=1&X-Plex-Container-Start={start}&X-Plex-Container-Size=25"),
            &sam_token,
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(
            num(&v["MediaContainer"], "totalSize") as usize,
            watched.len()
        );
        let k = keys(&v);
        if k.is_empty() {
            break;
        }
        start += k.len();
        paged.extend(k);
    }
    assert_eq!(paged, watched);
    // The same filter as the account gives the account's watched titles.
    let (_, v) = all(
        &sim,
        "family-http",
        "/library/sections/1/all?viewCount>>=1",
        sim.account_token(),
    )
    .await;
    let admin_watched: Vec<String> = a
        .iter()
        .filter(|i| num(i, "viewCount") >= 1)
        .map(|i| i["ratingKey"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys(&v), admin_watched);
    assert_ne!(admin_watched, watched);

    // unwatched=1, =, != and <<= agree with the full listing.
    let check = |q: &str, f: &dyn Fn(&Value) -> bool| {
        let expected: Vec<String> = m
            .iter()
            .filter(|i| f(i))
            .map(|i| i["ratingKey"].as_str().unwrap().to_string())
            .collect();
        (q.to_string(), expected)
    };
    for (q, expected) in [
        check("unwatched=1", &|i| num(i, "viewCount") == 0),
        check("viewCount=0", &|i| num(i, "viewCount") == 0),
        check("viewCount!=0", &|i| num(i, "viewCount") != 0),
        check("viewCount<<=1", &|i| num(i, "viewCount") <= 1),
        check("viewCount>>=2", &|i| num(i, "viewCount") >= 2),
        check("viewOffset>>=1", &|i| num(i, "viewOffset") >= 1),
    ] {
        let (s, v) = all(
            &sim,
            "family-http",
            &format!("/library/sections/1/all?{q}"),
            &sam_token,
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(keys(&v), expected, "{q}");
    }
    let (s, _) = all(
        &sim,
        "family-http",
        "/library/sections/1/all?viewCount>>=x",
        &sam_token,
    )
    .await;
    assert_eq!(s, 400);

    // Shows: viewedLeafCount as Sam sees it, and the episodes agree with it.
    let (_, shows) = all(&sim, "family-http", "/library/sections/2/all", &sam_token).await;
    let shows = shows["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .clone();
    let started: Vec<String> = shows
        .iter()
        .filter(|s| num(s, "viewedLeafCount") >= 1)
        .map(|s| s["ratingKey"].as_str().unwrap().to_string())
        .collect();
    let (_, v) = all(
        &sim,
        "family-http",
        "/library/sections/2/all?viewedLeafCount>>=1",
        &sam_token,
    )
    .await;
    assert_eq!(keys(&v), started);
    assert!(!started.is_empty() && started.len() < shows.len());
    let show = shows
        .iter()
        .find(|s| num(s, "viewedLeafCount") >= 1)
        .unwrap();
    let (_, eps) = all(
        &sim,
        "family-http",
        &format!(
            "/library/metadata/{}/allLeaves",
            show["ratingKey"].as_str().unwrap()
        ),
        &sam_token,
    )
    .await;
    let seen = eps["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| num(e, "viewCount") >= 1)
        .count() as i64;
    assert_eq!(seen, num(show, "viewedLeafCount"));
}

#[tokio::test]
async fn a_restricted_profile_sees_only_titles_within_its_limit() {
    let sim = family().await;
    let kid = profile(&sim, "Kid");
    let token = kid.server_token("Family Server").unwrap().to_string();
    for section in ["1", "2"] {
        let path = format!("/library/sections/{section}/all");
        let (_, admin) = all(&sim, "family-http", &path, sim.account_token()).await;
        let (s, mine) = all(&sim, "family-http", &path, &token).await;
        assert_eq!(s, 200);
        let ok = ["G", "PG", "TV-Y", "TV-G", "TV-Y7", "TV-PG"];
        let mine_items = mine["MediaContainer"]["Metadata"].as_array().unwrap();
        assert!(!mine_items.is_empty());
        for i in mine_items {
            let r = i["contentRating"].as_str().unwrap();
            assert!(ok.contains(&r), "{r} shown to Kid");
        }
        let admin_items = admin["MediaContainer"]["Metadata"].as_array().unwrap();
        let hidden: Vec<&Value> = admin_items
            .iter()
            .filter(|i| !ok.contains(&i["contentRating"].as_str().unwrap()))
            .collect();
        assert!(!hidden.is_empty());
        assert_eq!(mine_items.len() + hidden.len(), admin_items.len());
        assert_eq!(
            num(&mine["MediaContainer"], "totalSize") as usize,
            mine_items.len()
        );
        // A hidden title does not exist for Kid.
        let id = hidden[0]["ratingKey"].as_str().unwrap();
        let (s, _) = all(
            &sim,
            "family-http",
            &format!("/library/metadata/{id}"),
            &token,
        )
        .await;
        assert_eq!(s, 404);
        let (s, _) = all(
            &sim,
            "family-http",
            &format!("/library/metadata/{id}"),
            sim.account_token(),
        )
        .await;
        assert_eq!(s, 200);
    }
}

#[tokio::test]
async fn the_request_log_says_whose_token_reached_which_listener() {
    let sim = family().await;
    let sam = profile(&sim, "Sam");
    let sam_family = sam.server_token("Family Server").unwrap().to_string();
    get_json(
        &plain_client(),
        &format!("{}/api/v2/resources", sim.plex_tv_url()),
        &sam.token,
    )
    .await;
    all(&sim, "family-http", "/library/sections", &sam_family).await;
    all(&sim, "friend-http", "/library/sections", &sam_family).await;
    all(&sim, "family-http", "/identity", "").await;
    all(
        &sim,
        "family-http",
        "/library/sections",
        sim.account_token(),
    )
    .await;
    let log = sim.request_log();
    let owners: Vec<(String, Option<String>, Option<String>)> = log
        .iter()
        .map(|r| (r.listener.clone(), r.server.clone(), r.token_owner.clone()))
        .collect();
    assert_eq!(
        owners,
        vec![
            ("plex.tv".to_string(), None, Some("profile:Sam".to_string())),
            (
                "pms".into(),
                Some("Family Server".into()),
                Some("profile:Sam@Family Server".into())
            ),
            (
                "pms".into(),
                Some("Friend Server".into()),
                Some("profile:Sam@Family Server".into())
            ),
            ("pms".into(), Some("Family Server".into()), None),
            (
                "pms".into(),
                Some("Family Server".into()),
                Some("account".into())
            ),
        ]
    );
    // The field survives the JSON the control API serves.
    let json = serde_json::to_string(&log[0]).unwrap();
    let back: plex_sim::LoggedRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log[0]);
}

#[tokio::test]
async fn home_faults_change_what_plex_tv_answers() {
    use plex_sim::HomeFault;
    let sim = family().await;
    let sam = profile(&sim, "Sam");
    let kid = profile(&sim, "Kid");
    sim.set_home_fault(HomeFault::WrongPinForbidden);
    assert_eq!(switch(&sim, &sam.uuid, "?pin=0000", None).await.0, 403);
    sim.set_home_fault(HomeFault::SwitchAnswersOtherProfile);
    let (s, v) = switch(&sim, &kid.uuid, "", None).await;
    assert_eq!(s, 201);
    assert_ne!(v["uuid"], kid.uuid.as_str());
    assert_ne!(v["authToken"], kid.token.as_str());
    let url = format!("{}/api/v2/home/users", sim.plex_tv_url());
    sim.set_home_fault(HomeFault::HugeUsers);
    let (_, v) = get_json(&plain_client(), &url, sim.account_token()).await;
    assert_eq!(v["users"].as_array().unwrap().len(), 5_000);
    sim.set_home_fault(HomeFault::TruncatedUsers);
    let r = plain_client()
        .get(&url)
        .header("Accept", "application/json")
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_slice::<Value>(&r.bytes().await.unwrap()).is_err());
    sim.set_home_fault(HomeFault::ResourcesWithoutTokens);
    let (_, v) = get_json(
        &plain_client(),
        &format!("{}/api/v2/resources", sim.plex_tv_url()),
        &sam.token,
    )
    .await;
    assert!(v[0]["accessToken"].is_null());
    sim.set_home_fault(HomeFault::None);
    assert_eq!(switch(&sim, &sam.uuid, "?pin=0000", None).await.0, 401);
}

#[tokio::test]
async fn profiles_and_home_faults_over_the_control_api_and_legacy_xml() {
    let sim = family().await;
    let (s, v) = get_json(
        &plain_client(),
        &format!("{}/__sim/profiles", sim.plex_tv_url()),
        "",
    )
    .await;
    assert_eq!(s, 200);
    let list: Vec<ProfileInfo> = serde_json::from_value(v).unwrap();
    assert_eq!(list, sim.profiles());
    let r = plain_client()
        .post(format!("{}/__sim/home/fault", sim.plex_tv_url()))
        .body("\"wrong_pin_forbidden\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let sam = profile(&sim, "Sam");
    assert_eq!(switch(&sim, &sam.uuid, "?pin=0000", None).await.0, 403);
    let r = plain_client()
        .post(format!("{}/__sim/home/fault", sim.plex_tv_url()))
        .body("\"nonsense\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(sim
        .request_log()
        .iter()
        .all(|r| !r.path.starts_with("/__sim")));

    let r = plain_client()
        .get(format!("{}/api/home/users", sim.plex_tv_url()))
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let xml = r.text().await.unwrap();
    assert!(
        xml.contains("<MediaContainer") && xml.contains("size=\"4\""),
        "{xml}"
    );
    assert!(xml.contains("<User ") && xml.contains("title=\"Kid\""));
    assert!(!xml.contains(&sam.token));
}
