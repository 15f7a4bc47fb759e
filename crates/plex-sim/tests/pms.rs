//! PMS endpoints: identity, tokens, sections, paging, filters, metadata, posters.

mod common;

use std::collections::HashSet;

use common::{conn, get_json, plain_client};
use plex_sim::{ConnectionKind, ConnectionSpec, LibraryKind, Scenario, ServerSpec, Sim};
use serde_json::Value;

const UNAUTHORIZED: &str =
    "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";

async fn sim_with(movies: u32, shows: u32) -> (Sim, String) {
    let sim = Sim::start(Scenario::single_server(movies, shows))
        .await
        .unwrap();
    let base = conn(&sim, "test-http").uri;
    (sim, base)
}

#[tokio::test]
async fn identity_needs_no_token_and_answers_json_or_xml() {
    let (sim, base) = sim_with(3, 0).await;
    let server = &sim.servers()[0];
    let r = plain_client()
        .get(format!("{base}/identity"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let mc = &v["MediaContainer"];
    assert_eq!(mc["size"], 0);
    assert_eq!(mc["claimed"], true);
    assert_eq!(mc["machineIdentifier"], server.machine_identifier.as_str());
    assert!(mc["version"].is_string());

    let r = plain_client()
        .get(format!("{base}/identity"))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("xml"));
    let xml = r.text().await.unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains(&format!(
        "machineIdentifier=\"{}\"",
        server.machine_identifier
    )));
    assert!(xml.contains("claimed=\"1\""));
}

#[tokio::test]
async fn wrong_or_missing_token_is_401_html_even_for_json() {
    let (_sim, base) = sim_with(3, 0).await;
    for path in [
        "/",
        "/library/sections",
        "/library/sections/1/all",
        "/library/metadata/1001",
        "/photo/:/transcode?url=/x&width=10&height=10",
    ] {
        for token in [None, Some("bogus")] {
            let mut req = plain_client()
                .get(format!("{base}{path}"))
                .header("Accept", "application/json");
            if let Some(t) = token {
                req = req.header("X-Plex-Token", t);
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 401, "{path}");
            assert_eq!(r.headers()["content-type"], "text/html");
            assert_eq!(r.text().await.unwrap(), UNAUTHORIZED);
        }
    }
}

#[tokio::test]
async fn owned_server_takes_account_and_own_token_shared_only_its_own() {
    let sim = Sim::start(Scenario::builtin("friends").unwrap())
        .await
        .unwrap();
    let home = sim.server("Home Server").unwrap();
    let alice = sim.server("Alice's Server").unwrap();
    let client = common::trusting_client(&sim);
    let home_uri = conn(&sim, "home-local-http").uri;
    let alice_uri = conn(&sim, "alice-remote-plex-direct").uri;
    let status = |u: String, t: String| {
        let client = client.clone();
        async move { get_json(&client, &u, &t).await.0.as_u16() }
    };
    let acct = sim.account_token().to_string();
    assert_eq!(
        status(format!("{home_uri}/library/sections"), acct.clone()).await,
        200
    );
    assert_eq!(
        status(
            format!("{home_uri}/library/sections"),
            home.access_token.clone()
        )
        .await,
        200
    );
    assert_eq!(
        status(
            format!("{home_uri}/library/sections"),
            alice.access_token.clone()
        )
        .await,
        401
    );
    assert_eq!(
        status(
            format!("{alice_uri}/library/sections"),
            alice.access_token.clone()
        )
        .await,
        200
    );
    assert_eq!(
        status(format!("{alice_uri}/library/sections"), acct).await,
        401
    );
}

#[tokio::test]
async fn root_describes_the_server() {
    let (sim, base) = sim_with(3, 0).await;
    let (status, v) = get_json(&plain_client(), &format!("{base}/"), sim.account_token()).await;
    assert_eq!(status, 200);
    let mc = &v["MediaContainer"];
    assert_eq!(mc["friendlyName"], "Test Server");
    assert_eq!(
        mc["machineIdentifier"],
        sim.servers()[0].machine_identifier.as_str()
    );
    assert_eq!(mc["platform"], "Linux");
    assert!(mc["version"].is_string());
}

#[tokio::test]
async fn sections_list_every_library_with_its_fields() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let base = conn(&sim, "home-local-http").uri;
    let (_, v) = get_json(
        &plain_client(),
        &format!("{base}/library/sections"),
        sim.account_token(),
    )
    .await;
    let dirs = v["MediaContainer"]["Directory"].as_array().unwrap();
    assert_eq!(v["MediaContainer"]["size"], 4);
    let types: Vec<&str> = dirs.iter().map(|d| d["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["movie", "show", "artist", "photo"]);
    for d in dirs {
        assert!(d["key"].is_string());
        for f in ["title", "agent", "scanner", "language", "uuid"] {
            assert!(d[f].is_string(), "{f}");
        }
        for f in [
            "updatedAt",
            "createdAt",
            "scannedAt",
            "contentChangedAt",
            "hidden",
        ] {
            assert!(d[f].is_i64(), "{f}");
        }
        let loc = &d["Location"][0];
        assert!(loc["id"].is_i64() && loc["path"].is_string());
    }
}

async fn page(
    base: &str,
    token: &str,
    query: &str,
    headers: &[(&str, &str)],
) -> (reqwest::header::HeaderMap, Value) {
    let mut req = plain_client()
        .get(format!("{base}/library/sections/1/all{query}"))
        .header("Accept", "application/json")
        .header("X-Plex-Token", token);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), 200);
    (r.headers().clone(), r.json().await.unwrap())
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

#[tokio::test]
async fn paging_by_headers_and_by_query_agree() {
    let (sim, base) = sim_with(57, 0).await;
    let t = sim.account_token();
    let (h, by_header) = page(
        &base,
        t,
        "",
        &[
            ("X-Plex-Container-Start", "10"),
            ("X-Plex-Container-Size", "20"),
        ],
    )
    .await;
    let mc = &by_header["MediaContainer"];
    assert_eq!(mc["size"], 20);
    assert_eq!(mc["totalSize"], 57);
    assert_eq!(mc["offset"], 10);
    assert_eq!(mc["librarySectionID"], 1);
    assert_eq!(h["x-plex-container-start"], "10");
    assert_eq!(h["x-plex-container-total-size"], "57");
    let (_, by_query) = page(
        &base,
        t,
        "?X-Plex-Container-Start=10&X-Plex-Container-Size=20",
        &[],
    )
    .await;
    assert_eq!(keys(&by_header), keys(&by_query));

    // Walking all pages yields every item once.
    let mut all = Vec::new();
    let mut start = 0;
    loop {
        let (_, v) = page(
            &base,
            t,
            &format!("?X-Plex-Container-Start={start}&X-Plex-Container-Size=25"),
            &[],
        )
        .await;
        let k = keys(&v);
        if k.is_empty() {
            break;
        }
        start += k.len();
        all.extend(k);
    }
    assert_eq!(all.len(), 57);
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 57);
    // Past the end: empty page, same total.
    let (_, v) = page(
        &base,
        t,
        "?X-Plex-Container-Start=100&X-Plex-Container-Size=5",
        &[],
    )
    .await;
    assert_eq!(v["MediaContainer"]["size"], 0);
    assert_eq!(v["MediaContainer"]["totalSize"], 57);
}

#[tokio::test]
async fn size_zero_returns_only_the_total() {
    let (sim, base) = sim_with(33, 0).await;
    let (_, v) = page(
        &base,
        sim.account_token(),
        "?X-Plex-Container-Start=0&X-Plex-Container-Size=0",
        &[],
    )
    .await;
    assert_eq!(v["MediaContainer"]["size"], 0);
    assert_eq!(v["MediaContainer"]["totalSize"], 33);
    assert!(v["MediaContainer"].get("Metadata").is_none());
}

#[tokio::test]
async fn page_cap_returns_fewer_items_than_asked() {
    let scenario = Scenario::new("cap").with_server(
        ServerSpec::owned("Capped")
            .library(LibraryKind::Movie, "Movies", 40)
            .page_cap(7)
            .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("cap-http")),
    );
    let sim = Sim::start(scenario).await.unwrap();
    let base = conn(&sim, "cap-http").uri;
    let (_, v) = page(
        &base,
        sim.account_token(),
        "?X-Plex-Container-Start=0&X-Plex-Container-Size=20",
        &[],
    )
    .await;
    assert_eq!(v["MediaContainer"]["size"], 7);
    assert_eq!(v["MediaContainer"]["totalSize"], 40);
    assert_eq!(keys(&v).len(), 7);
}

#[tokio::test]
async fn movie_items_have_realistic_fields() {
    let (sim, base) = sim_with(200, 0).await;
    let (_, v) = page(&base, sim.account_token(), "?type=1", &[]).await;
    let items = v["MediaContainer"]["Metadata"].as_array().unwrap();
    assert_eq!(items.len(), 200);
    let mut with_thumb = 0;
    let mut watched = 0;
    let mut missing_rating = 0;
    for m in items {
        assert_eq!(m["type"], "movie");
        let rk = m["ratingKey"].as_str().unwrap();
        assert_eq!(m["key"], format!("/library/metadata/{rk}"));
        let year = m["year"].as_i64().unwrap();
        assert!((1950..=2025).contains(&year), "{year}");
        let d = m["duration"].as_i64().unwrap();
        assert!((80 * 60_000..=181 * 60_000).contains(&d), "{d}");
        assert!(["G", "PG", "PG-13", "R", "NR"].contains(&m["contentRating"].as_str().unwrap()));
        match m.get("rating") {
            Some(r) => assert!((0.0..=10.0).contains(&r.as_f64().unwrap())),
            None => missing_rating += 1,
        }
        if let Some(t) = m.get("thumb") {
            assert!(t
                .as_str()
                .unwrap()
                .starts_with(&format!("/library/metadata/{rk}/thumb/")));
            with_thumb += 1;
        }
        if m.get("viewCount").is_some() {
            assert!(m["lastViewedAt"].is_i64());
            watched += 1;
        }
        assert!(m["addedAt"].is_i64());
        assert!(!m["Genre"].as_array().unwrap().is_empty());
        assert!(m["Director"][0]["tag"].is_string());
        assert!(m["Role"][0]["tag"].is_string());
        assert!(m["Country"][0]["tag"].is_string());
        assert!(m["Media"][0]["Part"][0]["file"].is_string());
    }
    assert!(with_thumb > 150 && with_thumb < 200, "{with_thumb}");
    assert!(watched > 20 && watched < 120, "{watched}");
    assert!(
        missing_rating > 0 && missing_rating < 100,
        "{missing_rating}"
    );
    // Recent years are more likely.
    let recent = items
        .iter()
        .filter(|m| m["year"].as_i64().unwrap() >= 2000)
        .count();
    assert!(recent > 100, "{recent}");
}

#[tokio::test]
async fn unwatched_filter_and_sorts() {
    let (sim, base) = sim_with(120, 0).await;
    let t = sim.account_token();
    let (_, all) = page(&base, t, "", &[]).await;
    let (_, unwatched) = page(&base, t, "?unwatched=1", &[]).await;
    let total = all["MediaContainer"]["totalSize"].as_u64().unwrap();
    let un = unwatched["MediaContainer"]["totalSize"].as_u64().unwrap();
    assert!(un < total && un > 0);
    for m in unwatched["MediaContainer"]["Metadata"].as_array().unwrap() {
        assert!(m.get("viewCount").is_none());
    }

    let sort_field = |v: &Value, f: &str| -> Vec<i64> {
        v["MediaContainer"]["Metadata"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m[f].as_i64().unwrap())
            .collect()
    };
    let (_, by_added) = page(&base, t, "?sort=addedAt:desc", &[]).await;
    let added = sort_field(&by_added, "addedAt");
    assert!(added.windows(2).all(|w| w[0] >= w[1]));

    let (_, by_title) = page(&base, t, "?sort=titleSort", &[]).await;
    let titles: Vec<String> = by_title["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            m.get("titleSort")
                .or(m.get("title"))
                .unwrap()
                .as_str()
                .unwrap()
                .to_lowercase()
        })
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    let (_, by_title_desc) = page(&base, t, "?sort=titleSort:desc", &[]).await;
    let mut rev = keys(&by_title_desc);
    rev.reverse();
    assert_eq!(rev, keys(&by_title));

    let (_, r1) = page(&base, t, "?sort=random", &[]).await;
    let (_, r2) = page(&base, t, "?sort=random", &[]).await;
    assert_ne!(keys(&r1), keys(&r2));
    let mut a = keys(&r1);
    let mut b = keys(&by_title);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[tokio::test]
async fn show_sections_list_shows_and_type_4_lists_every_episode() {
    let (sim, base) = sim_with(0, 12).await;
    let t = sim.account_token();
    let client = plain_client();
    let (_, shows) = get_json(&client, &format!("{base}/library/sections/2/all"), t).await;
    let shows = shows["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(shows.len(), 12);
    let mut leaves = 0;
    let mut partly = false;
    for s in &shows {
        assert_eq!(s["type"], "show");
        assert!(s["key"].as_str().unwrap().ends_with("/children"));
        let leaf = s["leafCount"].as_u64().unwrap();
        let viewed = s["viewedLeafCount"].as_u64().unwrap();
        assert!(viewed <= leaf);
        partly |= viewed > 0 && viewed < leaf;
        assert!(s["childCount"].as_u64().unwrap() >= 1);
        assert!(["TV-Y", "TV-PG", "TV-14", "TV-MA"].contains(&s["contentRating"].as_str().unwrap()));
        leaves += leaf;
    }
    assert!(partly, "some show is partly watched");

    let (_, eps) = get_json(&client, &format!("{base}/library/sections/2/all?type=4&X-Plex-Container-Start=0&X-Plex-Container-Size=50"), t).await;
    let mc = &eps["MediaContainer"];
    assert_eq!(mc["totalSize"].as_u64().unwrap(), leaves);
    assert_eq!(mc["size"], 50);
    for e in mc["Metadata"].as_array().unwrap() {
        assert_eq!(e["type"], "episode");
        assert!(e["grandparentRatingKey"].is_string());
        assert!(e["grandparentTitle"].is_string());
        assert!(e["parentIndex"].as_u64().unwrap() >= 1);
        assert!(e["index"].as_u64().unwrap() >= 1);
        let d = e["duration"].as_i64().unwrap();
        assert!((20 * 60_000..=61 * 60_000).contains(&d), "{d}");
        if e.get("viewCount").is_some() {
            assert!(e["lastViewedAt"].is_i64());
        }
    }

    // Children of a show are its seasons, of a season its episodes; allLeaves all episodes.
    let show = &shows[0];
    let rk = show["ratingKey"].as_str().unwrap();
    let (_, seasons) = get_json(
        &client,
        &format!("{base}/library/metadata/{rk}/children"),
        t,
    )
    .await;
    let seasons = seasons["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(seasons.len() as u64, show["childCount"].as_u64().unwrap());
    assert_eq!(seasons[0]["type"], "season");
    assert_eq!(seasons[0]["parentRatingKey"], rk);
    let srk = seasons[0]["ratingKey"].as_str().unwrap();
    let (_, s_eps) = get_json(
        &client,
        &format!("{base}/library/metadata/{srk}/children"),
        t,
    )
    .await;
    let s_eps = s_eps["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        s_eps.len() as u64,
        seasons[0]["leafCount"].as_u64().unwrap()
    );
    assert!(s_eps
        .iter()
        .all(|e| e["parentRatingKey"] == srk && e["grandparentRatingKey"] == rk));
    let (_, all_leaves) = get_json(
        &client,
        &format!("{base}/library/metadata/{rk}/allLeaves"),
        t,
    )
    .await;
    assert_eq!(
        all_leaves["MediaContainer"]["Metadata"]
            .as_array()
            .unwrap()
            .len() as u64,
        show["leafCount"].as_u64().unwrap()
    );
    let watched = all_leaves["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("viewCount").is_some())
        .count() as u64;
    assert_eq!(watched, show["viewedLeafCount"].as_u64().unwrap());
}

#[tokio::test]
async fn metadata_by_rating_key_and_404_for_unknown() {
    let (sim, base) = sim_with(10, 2).await;
    let t = sim.account_token();
    let client = plain_client();
    let (_, list) = get_json(&client, &format!("{base}/library/sections/1/all"), t).await;
    let first = &list["MediaContainer"]["Metadata"][0];
    let rk = first["ratingKey"].as_str().unwrap();
    let (status, v) = get_json(&client, &format!("{base}/library/metadata/{rk}"), t).await;
    assert_eq!(status, 200);
    assert_eq!(v["MediaContainer"]["Metadata"][0], *first);
    let (status, _) = get_json(&client, &format!("{base}/library/metadata/999999"), t).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn rating_keys_are_unique_across_the_server() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let base = conn(&sim, "home-local-http").uri;
    let t = sim.account_token();
    let client = plain_client();
    let mut seen = HashSet::new();
    let mut count = 0;
    for (section, query) in [("1", ""), ("2", ""), ("2", "?type=4"), ("3", ""), ("4", "")] {
        let (_, v) = get_json(
            &client,
            &format!("{base}/library/sections/{section}/all{query}"),
            t,
        )
        .await;
        for m in v["MediaContainer"]["Metadata"].as_array().unwrap() {
            assert!(seen.insert(m["ratingKey"].as_str().unwrap().to_string()));
            count += 1;
        }
    }
    assert!(count > 400);
}

#[tokio::test]
async fn artist_and_photo_sections_exist() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let base = conn(&sim, "home-local-http").uri;
    let t = sim.account_token();
    let (_, music) = get_json(
        &plain_client(),
        &format!("{base}/library/sections/3/all"),
        t,
    )
    .await;
    assert_eq!(music["MediaContainer"]["Metadata"][0]["type"], "artist");
    let (_, photos) = get_json(
        &plain_client(),
        &format!("{base}/library/sections/4/all"),
        t,
    )
    .await;
    assert_eq!(photos["MediaContainer"]["Metadata"][0]["type"], "photo");
    let xml = plain_client()
        .get(format!("{base}/library/sections/4/all"))
        .header("X-Plex-Token", t)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(xml.contains("<Photo "));
}

#[tokio::test]
async fn xml_listing_uses_video_directory_and_genre_elements() {
    let (sim, base) = sim_with(5, 3).await;
    let t = sim.account_token();
    let get = |path: String| {
        let t = t.to_string();
        async move {
            plain_client()
                .get(path)
                .header("X-Plex-Token", t)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let movies = get(format!("{base}/library/sections/1/all")).await;
    assert!(movies.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(
        movies.contains("<MediaContainer size=\"5\" totalSize=\"5\" offset=\"0\" allowSync=\"1\"")
    );
    assert_eq!(movies.matches("<Video ").count(), 5);
    assert!(movies.contains("<Genre "));
    let shows = get(format!("{base}/library/sections/2/all")).await;
    assert_eq!(shows.matches("<Directory ").count(), 3);
    let sections = get(format!("{base}/library/sections")).await;
    assert!(sections.contains("<Location id=\"1\""));
    assert!(sections.contains("hidden=\"0\""));
}

#[tokio::test]
async fn photo_transcode_returns_a_png_of_the_requested_size() {
    let (sim, base) = sim_with(3, 0).await;
    let t = sim.account_token();
    let r = plain_client()
        .get(format!("{base}/photo/:/transcode?url=%2Flibrary%2Fmetadata%2F1001%2Fthumb%2F123&width=120&height=180&minSize=1&upscale=1"))
        .header("X-Plex-Token", t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let png = r.bytes().await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!((w, h), (120, 180));
    // Capped at 1000 px.
    let r = plain_client()
        .get(format!(
            "{base}/photo/:/transcode?url=/library/metadata/1001/thumb/1&width=5000&height=5000"
        ))
        .header("X-Plex-Token", t)
        .send()
        .await
        .unwrap();
    let png = r.bytes().await.unwrap();
    assert_eq!(
        u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
        1000
    );
}

#[tokio::test]
async fn genre_and_year_filters() {
    let (sim, base) = sim_with(150, 0).await;
    let t = sim.account_token();
    let (_, drama) = page(&base, t, "?genre=106", &[]).await;
    let items = drama["MediaContainer"]["Metadata"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() < 150);
    for m in items {
        assert!(m["Genre"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["tag"] == "Drama" && g["id"] == 106));
    }
    let (_, by_tag) = page(&base, t, "?genre=Drama", &[]).await;
    assert_eq!(keys(&by_tag), keys(&drama));
    let year = items[0]["year"].as_i64().unwrap();
    let (_, same_year) = page(&base, t, &format!("?year={year}"), &[]).await;
    let ys = same_year["MediaContainer"]["Metadata"].as_array().unwrap();
    assert!(!ys.is_empty());
    assert!(ys.iter().all(|m| m["year"] == year));
    // Operators: >>= , <<= and != .
    let (_, recent) = page(&base, t, "?year>>=2010", &[]).await;
    let (_, older) = page(&base, t, "?year<<=2009", &[]).await;
    let total = |v: &Value| v["MediaContainer"]["totalSize"].as_u64().unwrap();
    assert_eq!(total(&recent) + total(&older), 150);
    assert!(recent["MediaContainer"]["Metadata"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["year"].as_i64().unwrap() >= 2010));
    let (_, not_year) = page(&base, t, &format!("?year!={year}"), &[]).await;
    assert_eq!(total(&not_year) + total(&same_year), 150);
}

#[tokio::test]
async fn server_info_lists_library_sizes() {
    let (sim, base) = sim_with(21, 4).await;
    let info = &sim.servers()[0];
    assert_eq!(info.libraries.len(), 2);
    assert_eq!(info.libraries[0].count, 21);
    assert_eq!(info.libraries[1].kind, LibraryKind::Show);
    let (_, eps) = get_json(
        &plain_client(),
        &format!("{base}/library/sections/2/all?type=4&X-Plex-Container-Size=0"),
        sim.account_token(),
    )
    .await;
    assert_eq!(
        eps["MediaContainer"]["totalSize"].as_u64().unwrap(),
        info.libraries[1].episodes
    );
    assert_eq!(sim.hosts().len(), 2);
}
