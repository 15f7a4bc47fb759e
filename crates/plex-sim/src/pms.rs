//! Plex Media Server endpoints.

use crate::catalog::{Entity, ListQuery, NumericFilter, SortKey, View, NOW};
use crate::fault::{Fault, LYING_TOTAL_SIZE};
use crate::http::{Request, Response};
use crate::node::Node;
use crate::png;
use crate::scenario::LibraryKind;
use crate::state::{ServerRt, Shared};

/// PMS's body for a missing or wrong token (always HTML, whatever was asked for).
pub const UNAUTHORIZED_BODY: &str =
    "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";
const NOT_FOUND_BODY: &str =
    "<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>";
const BAD_REQUEST_BODY: &str =
    "<html><head><title>Bad Request</title></head><body><h1>400 Bad Request</h1></body></html>";

const MEDIA_TAG_PREFIX: &str = "/system/bundle/media/flags/";
const MEDIA_TAG_VERSION: i64 = 1_758_000_000;

fn not_found() -> Response {
    Response::html(404, NOT_FOUND_BODY)
}

fn render(req: &Request, container: &Node) -> Response {
    if req.wants_json() {
        Response::json(200, container.to_json_document())
    } else {
        Response::xml(200, container.to_xml_document())
    }
}

/// Answers one request for `server` under `fault` (only the faults that change what is
/// answered matter here: a wrong identity, lying library listings).
pub(crate) fn handle(shared: &Shared, server: &ServerRt, req: &Request, fault: Fault) -> Response {
    let wrong_identity = fault == Fault::WrongIdentity;
    let path = req.decoded_path();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path.as_str()
    };
    let machine_id = if wrong_identity {
        &server.wrong_identifier
    } else {
        &server.machine_identifier
    };
    if req.method != "GET" && req.method != "HEAD" {
        return Response::html(405, "<html><head><title>Method Not Allowed</title></head><body><h1>405 Method Not Allowed</h1></body></html>");
    }
    if path == "/identity" {
        let c = Node::new("MediaContainer")
            .attr("size", 0u32)
            .attr("claimed", true)
            .attr("machineIdentifier", machine_id.clone())
            .attr("version", server.spec.version.clone());
        return render(req, &c);
    }
    let token = req.param_or_header("X-Plex-Token").unwrap_or_default();
    // The account, the server's own token, or a Home profile's access token issued for this
    // very server; a profile's plex.tv token alone is refused, as on real servers.
    let Some(viewer) = shared.viewer(server, &token) else {
        return Response::html(401, UNAUTHORIZED_BODY);
    };
    let view = viewer.view();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => render(req, &root(shared, server, machine_id)),
        ["library"] => render(req, &library_root()),
        ["library", "sections"] => render(req, &sections(server)),
        ["library", "sections", key] => section_details(server, req, key),
        ["library", "sections", key, "all"] => match fault {
            Fault::OversizedPage { bytes } => oversized_page(bytes),
            _ => section_all(shared, server, req, key, fault, view),
        },
        ["library", "metadata", id] => metadata(server, req, id, view),
        ["library", "metadata", id, "children"] => children(server, req, id, false, view),
        ["library", "metadata", id, "allLeaves"] => children(server, req, id, true, view),
        ["library", "metadata", id, "thumb" | "art", _] => image_of(server, id, view),
        ["photo", ":", "transcode"] => transcode(req),
        _ => not_found(),
    }
}

fn root(shared: &Shared, server: &ServerRt, machine_id: &str) -> Node {
    let s = &server.spec;
    let mut c = Node::new("MediaContainer")
        .attr("size", 3u32)
        .attr("allowCameraUpload", true)
        .attr("allowChannelAccess", true)
        .attr("allowMediaDeletion", true)
        .attr("allowSharing", s.owned)
        .attr("allowSync", true)
        .attr("allowTuners", false)
        .attr("backgroundProcessing", true)
        .attr("certificate", true)
        .attr("companionProxy", true)
        .attr("countryCode", "usa")
        .attr("diagnostics", "logs,databases,streaminglogs")
        .attr("eventStream", true)
        .attr("friendlyName", s.name.clone())
        .attr("hubSearch", true)
        .attr("itemClusters", true)
        .attr("livetv", 7u32)
        .attr("machineIdentifier", machine_id.to_string())
        .attr("mediaProviders", true)
        .attr("multiuser", true)
        .attr("musicAnalysis", 2u32)
        .attr("myPlex", true)
        .attr("myPlexMappingState", "mapped")
        .attr("myPlexSigninState", "ok")
        .attr("myPlexSubscription", true)
        .attr(
            "myPlexUsername",
            if s.owned {
                shared.account.email.clone()
            } else {
                format!("{}@example.com", s.owner_name.clone().unwrap_or_default())
            },
        )
        .attr("offlineTranscode", 1u32)
        .attr("ownerFeatures", "002c9f1a-2fc0-4812-b85b-0e6140f21a0f,camera_upload,download_certificates,hardware_transcoding")
        .attr("platform", s.platform.clone())
        .attr("platformVersion", s.platform_version.clone())
        .attr("pluginHost", true)
        .attr("pushNotifications", false)
        .attr("readOnlyLibraries", false)
        .attr("streamingBrainABRVersion", 3u32)
        .attr("streamingBrainVersion", 2u32)
        .attr("sync", true)
        .attr("transcoderActiveVideoSessions", 0u32)
        .attr("transcoderAudio", true)
        .attr("transcoderLyrics", true)
        .attr("transcoderPhoto", true)
        .attr("transcoderSubtitles", true)
        .attr("transcoderVideo", true)
        .attr("transcoderVideoBitrates", "64,96,208,320,720,1500,2000,3000,4000,8000,10000,12000,20000")
        .attr("transcoderVideoQualities", "0,1,2,3,4,5,6,7,8,9,10,11,12")
        .attr("transcoderVideoResolutions", "128,128,160,240,320,480,768,720,720,1080,1080,1080,1080")
        .attr("updatedAt", NOW)
        .attr("updater", true)
        .attr("version", s.version.clone())
        .attr("voiceSearch", true);
    for (key, title) in [
        ("activities", "activities"),
        ("library", "library"),
        ("search", "search"),
    ] {
        c.push(
            Node::new("Directory")
                .attr("count", 1u32)
                .attr("key", key)
                .attr("title", title),
        );
    }
    c
}

fn library_root() -> Node {
    let mut c = Node::new("MediaContainer")
        .attr("size", 3u32)
        .attr("allowSync", false)
        .attr("art", "/:/resources/library-art.png")
        .attr("content", "")
        .attr("identifier", "com.plexapp.plugins.library")
        .attr("mediaTagPrefix", MEDIA_TAG_PREFIX)
        .attr("mediaTagVersion", MEDIA_TAG_VERSION)
        .attr("title1", "Plex Library")
        .attr("title2", "");
    for (key, title) in [
        ("sections", "Library Sections"),
        ("recentlyAdded", "Recently Added Content"),
        ("onDeck", "On Deck Content"),
    ] {
        c.push(Node::new("Directory").attr("key", key).attr("title", title));
    }
    c
}

fn agent_scanner(kind: LibraryKind) -> (&'static str, &'static str) {
    match kind {
        LibraryKind::Movie => ("tv.plex.agents.movie", "Plex Movie"),
        LibraryKind::Show => ("tv.plex.agents.series", "Plex TV Series"),
        LibraryKind::Artist => ("tv.plex.agents.music", "Plex Music"),
        LibraryKind::Photo => ("com.plexapp.agents.none", "Plex Photo Scanner"),
    }
}

fn section_dir(server: &ServerRt, i: usize) -> Node {
    let sec = &server.catalog.sections[i];
    let kind = sec.kind.as_str();
    let (agent, scanner) = agent_scanner(sec.kind);
    Node::new("Directory")
        .attr("allowSync", true)
        .attr("art", format!("/:/resources/{kind}-fanart.jpg"))
        .attr(
            "composite",
            format!("/library/sections/{}/composite/{}", sec.key, sec.updated_at),
        )
        .attr("filters", true)
        .attr("refreshing", false)
        .attr("thumb", format!("/:/resources/{kind}.png"))
        .attr("key", sec.key.to_string())
        .attr("type", kind)
        .attr("title", sec.title.clone())
        .attr("agent", agent)
        .attr("scanner", scanner)
        .attr("language", "en-US")
        .attr("uuid", sec.uuid.clone())
        .attr("updatedAt", sec.updated_at)
        .attr("createdAt", sec.created_at)
        .attr("scannedAt", sec.scanned_at)
        .attr("content", true)
        .attr("directory", true)
        .attr("contentChangedAt", sec.content_changed_at)
        .attr("hidden", i64::from(sec.hidden))
        .child(
            Node::new("Location")
                .attr("id", sec.key)
                .attr("path", format!("/data/{}", crate::state::slug(&sec.title))),
        )
}

fn sections(server: &ServerRt) -> Node {
    let n = server.catalog.sections.len();
    let mut c = Node::new("MediaContainer")
        .attr("size", n as u64)
        .attr("allowSync", false)
        .attr("title1", "Plex Library");
    for i in 0..n {
        c.push(section_dir(server, i));
    }
    c
}

fn section_details(server: &ServerRt, req: &Request, key: &str) -> Response {
    let Some((_, sec)) = server.catalog.section(key) else {
        return not_found();
    };
    let mut c = Node::new("MediaContainer")
        .attr("size", 4u32)
        .attr("allowSync", false)
        .attr("content", "secondary")
        .attr("identifier", "com.plexapp.plugins.library")
        .attr("librarySectionID", sec.key)
        .attr("mediaTagPrefix", MEDIA_TAG_PREFIX)
        .attr("mediaTagVersion", MEDIA_TAG_VERSION)
        .attr("title1", sec.title.clone())
        .attr("viewGroup", "secondary");
    for (k, title) in [
        ("all", "All"),
        ("unwatched", "Unwatched"),
        ("newest", "Recently Released"),
        ("genre", "By Genre"),
    ] {
        c.push(Node::new("Directory").attr("key", k).attr("title", title));
    }
    render(req, &c)
}

/// `(start, size)` from query parameters, else headers.
fn paging(req: &Request) -> (u64, Option<u64>) {
    let get = |name: &str| {
        req.param(name)
            .or_else(|| req.header(name).map(str::to_string))
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    (
        get("X-Plex-Container-Start").unwrap_or(0),
        get("X-Plex-Container-Size"),
    )
}

fn capped(server: &ServerRt, size: Option<u64>) -> Option<u64> {
    match (size, server.spec.page_cap) {
        (Some(s), Some(cap)) => Some(s.min(u64::from(cap))),
        (None, Some(cap)) => Some(u64::from(cap)),
        (s, None) => s,
    }
}

/// `{"MediaContainer":{"size":N,"Metadata":[{},{},...]}}` of about `bytes` bytes.
fn oversized_page(bytes: u32) -> Response {
    let n = (bytes as usize / 3).max(1);
    let mut body = String::with_capacity(n * 3 + 64);
    body.push_str(&format!(
        "{{\"MediaContainer\":{{\"size\":{n},\"Metadata\":["
    ));
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str("{}");
    }
    body.push_str("]}}");
    Response::json(200, body)
}

fn section_all(
    shared: &Shared,
    server: &ServerRt,
    req: &Request,
    key: &str,
    fault: Fault,
    view: View,
) -> Response {
    let Some((si, sec)) = server.catalog.section(key) else {
        return not_found();
    };
    // PMS filter operators on numeric fields (`viewCount>>=1`...); a bad number is a 400.
    let mut numeric = Vec::new();
    for (name, value) in crate::http::query_pairs(req.query.as_deref().unwrap_or("")) {
        match NumericFilter::from_pair(&name, &value) {
            Some(Ok(f)) => numeric.push(f),
            Some(Err(())) => return Response::html(400, BAD_REQUEST_BODY),
            None => {}
        }
    }
    let mut q = ListQuery {
        item_type: req.param("type").and_then(|t| t.parse().ok()),
        unwatched: req
            .param("unwatched")
            .is_some_and(|v| v == "1" || v == "true"),
        genre: req.param("genre"),
        year: req.param("year").and_then(|y| y.parse().ok()),
        // `year>>=N` arrives as the pair ("year>>", "N"), and so on.
        year_min: req.param("year>>").and_then(|y| y.parse().ok()),
        year_max: req.param("year<<").and_then(|y| y.parse().ok()),
        year_not: req.param("year!").and_then(|y| y.parse().ok()),
        sort: None,
        random_seed: shared.next_random(),
        numeric,
    };
    if let Some(sort) = req.param("sort") {
        // Only the first key of a comma-separated sort counts here.
        let first = sort.split(',').next().unwrap_or("");
        match SortKey::parse(first) {
            Some(s) => q.sort = Some(s),
            None => return Response::html(400, BAD_REQUEST_BODY),
        }
    }
    let (start, size) = paging(req);
    let start = if fault == Fault::IgnoreOffsets {
        0
    } else {
        start
    };
    let size = capped(server, size);
    let size = if fault == Fault::ShortPages && start > 0 {
        size.map(|s| s.div_ceil(2))
    } else {
        size
    };
    let page = server.catalog.list_section_for(si, &q, start, size, view);
    let episodes = q.item_type == Some(4) && sec.kind == LibraryKind::Show;
    let kind = sec.kind.as_str();
    let (title2, view_group) = if episodes {
        ("All Episodes", "episode")
    } else {
        match sec.kind {
            LibraryKind::Movie => ("All Movies", "movie"),
            LibraryKind::Show => ("All Shows", "show"),
            LibraryKind::Artist => ("All Artists", "artist"),
            LibraryKind::Photo => ("All Photos", "photo"),
        }
    };
    let mut c = Node::new("MediaContainer")
        .attr("size", page.keys.len() as u64)
        .attr("totalSize", page.total)
        .attr("offset", start)
        .attr("allowSync", true)
        .attr("art", format!("/:/resources/{kind}-fanart.jpg"))
        .attr("content", "secondary")
        .attr("identifier", "com.plexapp.plugins.library")
        .attr("librarySectionID", sec.key)
        .attr("librarySectionTitle", sec.title.clone())
        .attr("librarySectionUUID", sec.uuid.clone())
        .attr("mediaTagPrefix", MEDIA_TAG_PREFIX)
        .attr("mediaTagVersion", MEDIA_TAG_VERSION)
        .attr("thumb", format!("/:/resources/{kind}.png"))
        .attr("title1", sec.title.clone())
        .attr("title2", title2)
        .attr("viewGroup", view_group)
        .attr("viewMode", 131_122u32);
    for k in &page.keys {
        if let Some(e) = server.catalog.entity(*k) {
            c.push(viewed_node(server, e, view));
        }
    }
    match fault {
        Fault::LyingTotalSize => {
            c.set("totalSize", LYING_TOTAL_SIZE);
            render(req, &c)
                .header("X-Plex-Container-Start", start)
                .header("X-Plex-Container-Total-Size", LYING_TOTAL_SIZE)
        }
        Fault::IgnoreOffsets => {
            c.attrs.retain(|(n, _)| *n != "totalSize");
            render(req, &c).header("X-Plex-Container-Start", 0)
        }
        _ => render(req, &c)
            .header("X-Plex-Container-Start", start)
            .header("X-Plex-Container-Total-Size", page.total),
    }
}

/// The entity an id names, if this viewer may see it (a restricted profile gets 404 for a
/// title above its limit, as if it did not exist).
fn entity(server: &ServerRt, id: &str, view: View) -> Option<Entity> {
    let e = server.catalog.entity(id.parse().ok()?)?;
    server.catalog.visible(e, view.limit_age).then_some(e)
}

/// An entity's node with the viewer's own watch state.
fn viewed_node(server: &ServerRt, e: Entity, view: View) -> Node {
    let mut n = server.catalog.node(e);
    server.catalog.apply_view(e, &mut n, view.profile);
    n
}

fn item_container(server: &ServerRt, e: Entity) -> Node {
    let si = match e {
        Entity::Movie { section, .. }
        | Entity::Show { section, .. }
        | Entity::Season { section, .. }
        | Entity::Episode { section, .. }
        | Entity::Artist { section, .. }
        | Entity::Photo { section, .. } => section,
    };
    let sec = &server.catalog.sections[si];
    Node::new("MediaContainer")
        .attr("size", 1u32)
        .attr("allowSync", true)
        .attr("identifier", "com.plexapp.plugins.library")
        .attr("librarySectionID", sec.key)
        .attr("librarySectionTitle", sec.title.clone())
        .attr("librarySectionUUID", sec.uuid.clone())
        .attr("mediaTagPrefix", MEDIA_TAG_PREFIX)
        .attr("mediaTagVersion", MEDIA_TAG_VERSION)
}

fn metadata(server: &ServerRt, req: &Request, id: &str, view: View) -> Response {
    let Some(e) = entity(server, id, view) else {
        return not_found();
    };
    let c = item_container(server, e).child(viewed_node(server, e, view));
    render(req, &c)
}

fn children(server: &ServerRt, req: &Request, id: &str, leaves: bool, view: View) -> Response {
    let Some(e) = entity(server, id, view) else {
        return not_found();
    };
    let Some(keys) = server.catalog.children(e, leaves) else {
        return not_found();
    };
    let parent = server.catalog.node(e);
    let total = keys.len() as u64;
    let (start, size) = paging(req);
    let size = capped(server, size);
    let page: Vec<u64> = keys
        .into_iter()
        .skip(start as usize)
        .take(size.unwrap_or(u64::MAX) as usize)
        .collect();
    let view_group = match e {
        Entity::Show { .. } if !leaves => "season",
        Entity::Artist { .. } => "album",
        _ => "episode",
    };
    let mut c = item_container(server, e);
    c.set("size", page.len() as u64);
    c.set("totalSize", total);
    c.set("offset", start);
    c.set("key", id.to_string());
    if let Some(v) = parent.get("title") {
        c.set("title2", v.clone());
        c.set("parentTitle", v.clone());
    }
    if let Some(v) = parent.get("index") {
        c.set("parentIndex", v.clone());
    }
    c.set("viewGroup", view_group);
    for k in page {
        if let Some(child) = server.catalog.entity(k) {
            c.push(viewed_node(server, child, view));
        }
    }
    render(req, &c)
        .header("X-Plex-Container-Start", start)
        .header("X-Plex-Container-Total-Size", total)
}

fn image_of(server: &ServerRt, id: &str, view: View) -> Response {
    let Some(_) = entity(server, id, view) else {
        return not_found();
    };
    let seed = id.parse::<u64>().map(crate::rng::mix).unwrap_or(0);
    Response::new(200, "image/png", png::poster(200, 300, seed))
}

fn transcode(req: &Request) -> Response {
    let Some(url) = req.param("url").filter(|u| !u.is_empty()) else {
        return Response::html(400, BAD_REQUEST_BODY);
    };
    let dim = |name: &str, default: u32| {
        req.param(name)
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(default)
    };
    let width = dim("width", 240);
    let height = dim("height", 360);
    let seed = url.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    Response::new(200, "image/png", png::poster(width, height, seed))
}
