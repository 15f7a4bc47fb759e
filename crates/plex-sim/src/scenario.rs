//! Scenarios: what the simulator serves. A small serde format (TOML or JSON),
//! built-ins (`home`, `friends`, `hostile`) and a builder for tests.

use serde::{Deserialize, Serialize};

use crate::error::{Result, SimError};
use crate::fault::{ConnectionKind, Fault};

/// A whole simulated world: one plex.tv account and its servers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// A label, shown by the binary.
    pub name: String,
    /// Seed for every generated value (catalogs, tokens, identifiers).
    pub seed: u64,
    /// Port of the plex.tv listener on 127.0.0.1 (0: a random free port).
    pub plex_tv_port: u16,
    pub account: AccountSpec,
    pub pins: PinSpec,
    pub servers: Vec<ServerSpec>,
    /// Non-server devices listed by `/api/v2/resources` (clients must filter them out).
    pub clients: Vec<ClientSpec>,
    /// The account's Plex Home (`None`: no Home, `/api/v2/home/users` answers 404).
    pub home: Option<HomeSpec>,
}

/// A Plex Home: the account is its admin; these are the other profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HomeSpec {
    /// The Home's name (`name` of `/api/v2/home/users`).
    pub name: String,
    pub profiles: Vec<ProfileSpec>,
}

/// One profile of a Home (besides the admin): its own watch state over the same catalogs,
/// its own plex.tv token and its own access token for each server it may use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileSpec {
    /// Display name (`title`).
    pub title: String,
    /// A 4-digit PIN needed to switch to it (`protected`).
    pub pin: Option<String>,
    /// The highest content rating it may see (`"PG"`, `"TV-PG"`...): a managed, restricted
    /// profile. Titles rated above it, or not rated, are hidden from it by the servers.
    pub content_limit: Option<String>,
    /// The Home's guest profile.
    pub guest: bool,
    /// Its plex.tv token; generated from the seed when missing.
    pub token: Option<String>,
    /// Names of the servers it may use (default: every owned server).
    pub servers: Option<Vec<String>>,
    /// Seed of its watch state (default: derived from its position).
    pub watch_seed: Option<u64>,
}

impl Default for HomeSpec {
    fn default() -> Self {
        HomeSpec {
            name: "Home".into(),
            profiles: Vec::new(),
        }
    }
}

impl Default for ProfileSpec {
    fn default() -> Self {
        ProfileSpec {
            title: "Profile".into(),
            pin: None,
            content_limit: None,
            guest: false,
            token: None,
            servers: None,
            watch_seed: None,
        }
    }
}

impl ProfileSpec {
    /// An unprotected, unrestricted profile.
    pub fn new(title: &str) -> Self {
        ProfileSpec {
            title: title.into(),
            ..ProfileSpec::default()
        }
    }

    /// Protected by a PIN.
    pub fn pin(mut self, pin: &str) -> Self {
        self.pin = Some(pin.into());
        self
    }

    /// Restricted to titles rated at most `rating`.
    pub fn content_limit(mut self, rating: &str) -> Self {
        self.content_limit = Some(rating.into());
        self
    }

    /// The Home's guest profile.
    pub fn guest(mut self) -> Self {
        self.guest = true;
        self
    }

    /// May use only these servers.
    pub fn servers(mut self, names: &[&str]) -> Self {
        self.servers = Some(names.iter().map(|s| s.to_string()).collect());
        self
    }
}

/// How old a viewer must be for a content rating; `None` for unknown ratings and `NR`
/// (a restricted profile never sees those).
pub fn rating_age(rating: &str) -> Option<u8> {
    Some(match rating.trim().to_ascii_uppercase().as_str() {
        "G" | "TV-Y" | "TV-G" => 0,
        "TV-Y7" => 7,
        "PG" | "TV-PG" => 10,
        "PG-13" | "TV-14" => 13,
        "R" | "TV-MA" => 17,
        "NC-17" => 18,
        _ => return None,
    })
}

/// The signed-in plex.tv user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSpec {
    pub id: u64,
    pub username: String,
    pub email: String,
    /// The account token; generated from the seed when missing.
    pub token: Option<String>,
}

/// What `GET /api/v2/pins/{id}` answers for a PIN past its expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiredPin {
    /// 404 `{"errors":[{"code":1020,...}]}`.
    #[default]
    NotFound,
    /// 200 with `authToken: null` and `expiresIn: 0`.
    NullToken,
}

/// How the PIN sign-in behaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PinSpec {
    /// Approve every PIN this long after it was created; `None`: only by a control call.
    pub approve_after_ms: Option<u64>,
    /// Lifetime of a PIN (real plex.tv: 900 s).
    pub expires_in_secs: u64,
    /// What an expired PIN answers.
    pub expired: ExpiredPin,
}

/// One simulated Plex Media Server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSpec {
    pub name: String,
    /// `false` for a server shared by a friend.
    pub owned: bool,
    /// The owner's name (`sourceTitle`) for a shared server.
    pub owner_name: Option<String>,
    /// The owner's plex.tv id (`ownerId`) for a shared server.
    pub owner_id: Option<u64>,
    /// Generated from the seed when missing (40 hex characters).
    pub machine_identifier: Option<String>,
    /// The server's own token; generated when missing.
    pub access_token: Option<String>,
    pub version: String,
    pub platform: String,
    pub platform_version: String,
    pub device: String,
    /// Most items one page returns, whatever the client asks for.
    pub page_cap: Option<u32>,
    /// Listed as `presence` by plex.tv.
    pub presence: bool,
    /// Listed as `httpsRequired` ("Secure connections: Required").
    pub https_required: bool,
    /// Listed as `publicAddressMatches` (the client is on the server's network); defaults to
    /// `owned`.
    pub public_address_matches: Option<bool>,
    pub libraries: Vec<LibrarySpec>,
    pub connections: Vec<ConnectionSpec>,
}

/// A library section's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LibraryKind {
    Movie,
    Show,
    Artist,
    Photo,
}

impl LibraryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LibraryKind::Movie => "movie",
            LibraryKind::Show => "show",
            LibraryKind::Artist => "artist",
            LibraryKind::Photo => "photo",
        }
    }
}

/// A library section and how many top-level items (movies, shows, artists, photos) it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibrarySpec {
    #[serde(rename = "type")]
    pub kind: LibraryKind,
    #[serde(default)]
    pub title: Option<String>,
    pub count: u32,
    #[serde(default)]
    pub hidden: bool,
}

/// One way to reach a server: a real listener on loopback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSpec {
    /// Unique in the scenario; generated as `<server>-<n>-<kind>` when missing.
    #[serde(default)]
    pub id: Option<String>,
    pub kind: ConnectionKind,
    /// A loopback address (127.0.0.0/8).
    #[serde(default = "default_address")]
    pub address: String,
    /// 0: a random free port.
    #[serde(default)]
    pub port: u16,
    /// Defaults: `false` for relays, `true` otherwise.
    #[serde(default)]
    pub local: Option<bool>,
    /// Added before every response (relays default to 150 ms).
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// Bandwidth cap for response bodies (relays default to 200,000 B/s, about 1.6 Mbit/s).
    #[serde(default)]
    pub bandwidth_bytes_per_sec: Option<u32>,
    #[serde(default)]
    pub fault: Fault,
}

/// A non-server device on the account (a Plex Web client, a phone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub name: String,
    pub product: String,
    pub platform: String,
    /// e.g. `"client,player,pubsub-player"`.
    pub provides: String,
}

fn default_address() -> String {
    "127.0.0.2".to_string()
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "custom".into(),
            seed: 1,
            plex_tv_port: 0,
            account: AccountSpec::default(),
            pins: PinSpec::default(),
            servers: Vec::new(),
            clients: default_clients(),
            home: None,
        }
    }
}

impl Default for AccountSpec {
    fn default() -> Self {
        AccountSpec {
            id: 1_000_001,
            username: "simuser".into(),
            email: "simuser@example.com".into(),
            token: None,
        }
    }
}

impl Default for PinSpec {
    fn default() -> Self {
        PinSpec {
            approve_after_ms: None,
            expires_in_secs: 900,
            expired: ExpiredPin::NotFound,
        }
    }
}

impl Default for ServerSpec {
    fn default() -> Self {
        ServerSpec {
            name: "Server".into(),
            owned: true,
            owner_name: None,
            owner_id: None,
            machine_identifier: None,
            access_token: None,
            version: "1.41.3.9314-a0bfb8370".into(),
            platform: "Linux".into(),
            platform_version: "6.8.0-49-generic".into(),
            device: "PC".into(),
            page_cap: None,
            presence: true,
            https_required: false,
            public_address_matches: None,
            libraries: Vec::new(),
            connections: Vec::new(),
        }
    }
}

fn default_clients() -> Vec<ClientSpec> {
    vec![
        ClientSpec {
            name: "Chrome".into(),
            product: "Plex Web".into(),
            platform: "Chrome".into(),
            provides: "client,player,pubsub-player".into(),
        },
        ClientSpec {
            name: "Living Room TV".into(),
            product: "Plex for Android (TV)".into(),
            platform: "Android".into(),
            provides: "player,pubsub-player,controller".into(),
        },
    ]
}

impl LibrarySpec {
    pub fn new(kind: LibraryKind, count: u32) -> Self {
        LibrarySpec {
            kind,
            title: None,
            count,
            hidden: false,
        }
    }

    pub fn titled(mut self, title: &str) -> Self {
        self.title = Some(title.into());
        self
    }
}

impl ConnectionSpec {
    /// A connection of `kind` on `address` (a loopback IP), random port, defaults for the rest.
    pub fn new(kind: ConnectionKind, address: &str) -> Self {
        ConnectionSpec {
            id: None,
            kind,
            address: address.into(),
            port: 0,
            local: None,
            latency_ms: None,
            bandwidth_bytes_per_sec: None,
            fault: Fault::None,
        }
    }

    pub fn id(mut self, id: &str) -> Self {
        self.id = Some(id.into());
        self
    }

    pub fn local(mut self, local: bool) -> Self {
        self.local = Some(local);
        self
    }

    pub fn latency_ms(mut self, ms: u64) -> Self {
        self.latency_ms = Some(ms);
        self
    }

    pub fn bandwidth(mut self, bytes_per_sec: u32) -> Self {
        self.bandwidth_bytes_per_sec = Some(bytes_per_sec);
        self
    }

    pub fn fault(mut self, fault: Fault) -> Self {
        self.fault = fault;
        self
    }

    /// `local` as listed by plex.tv.
    pub fn is_local(&self) -> bool {
        self.local.unwrap_or(self.kind != ConnectionKind::Relay)
    }

    /// Latency actually applied.
    pub fn effective_latency_ms(&self) -> u64 {
        self.latency_ms.unwrap_or(match self.kind {
            ConnectionKind::Relay => 150,
            _ => 0,
        })
    }

    /// Bandwidth cap actually applied.
    pub fn effective_bandwidth(&self) -> Option<u32> {
        self.bandwidth_bytes_per_sec.or(match self.kind {
            ConnectionKind::Relay => Some(200_000),
            _ => None,
        })
    }
}

impl ServerSpec {
    /// An owned server with no libraries and no connections.
    pub fn owned(name: &str) -> Self {
        ServerSpec {
            name: name.into(),
            ..ServerSpec::default()
        }
    }

    /// A server shared with the account by `owner_name` (`owned: false`).
    pub fn shared(name: &str, owner_name: &str, owner_id: u64) -> Self {
        ServerSpec {
            name: name.into(),
            owned: false,
            owner_name: Some(owner_name.into()),
            owner_id: Some(owner_id),
            ..ServerSpec::default()
        }
    }

    pub fn library(mut self, kind: LibraryKind, title: &str, count: u32) -> Self {
        self.libraries
            .push(LibrarySpec::new(kind, count).titled(title));
        self
    }

    pub fn connection(mut self, connection: ConnectionSpec) -> Self {
        self.connections.push(connection);
        self
    }

    pub fn page_cap(mut self, cap: u32) -> Self {
        self.page_cap = Some(cap);
        self
    }

    /// Lists the server with `httpsRequired: true`.
    pub fn https_required(mut self, required: bool) -> Self {
        self.https_required = required;
        self
    }

    /// What plex.tv says about the client being on the server's network.
    pub fn public_address_matches(mut self, matches: bool) -> Self {
        self.public_address_matches = Some(matches);
        self
    }

    pub fn access_token(mut self, token: &str) -> Self {
        self.access_token = Some(token.into());
        self
    }

    pub fn machine_identifier(mut self, id: &str) -> Self {
        self.machine_identifier = Some(id.into());
        self
    }
}

impl Scenario {
    /// Names accepted by [`Scenario::builtin`].
    pub const BUILTINS: &'static [&'static str] = &["home", "friends", "hostile", "family"];

    /// An empty scenario (no servers) with default account and PIN behaviour.
    pub fn new(name: &str) -> Self {
        Scenario {
            name: name.into(),
            ..Scenario::default()
        }
    }

    /// One owned server "Test Server" with a movie library of `movies` items and a show
    /// library of `shows` shows (skipped when 0), reachable over plain http on 127.0.0.2
    /// (id `test-http`) and plex.direct https on 127.0.0.2 (id `test-plex-direct`).
    pub fn single_server(movies: u32, shows: u32) -> Self {
        let mut server = ServerSpec::owned("Test Server")
            .library(LibraryKind::Movie, "Movies", movies)
            .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("test-http"))
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2")
                    .id("test-plex-direct"),
            );
        if shows > 0 {
            server = server.library(LibraryKind::Show, "TV Shows", shows);
        }
        Scenario::new("single").with_server(server)
    }

    pub fn with_server(mut self, server: ServerSpec) -> Self {
        self.servers.push(server);
        self
    }

    /// Gives the account a Plex Home with these profiles.
    pub fn with_home(mut self, home: HomeSpec) -> Self {
        self.home = Some(home);
        self
    }

    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    pub fn with_account_token(mut self, token: &str) -> Self {
        self.account.token = Some(token.into());
        self
    }

    /// Approve each PIN this long after its creation.
    pub fn pin_approve_after_ms(mut self, ms: u64) -> Self {
        self.pins.approve_after_ms = Some(ms);
        self
    }

    pub fn pin_expires_in_secs(mut self, secs: u64) -> Self {
        self.pins.expires_in_secs = secs;
        self
    }

    pub fn expired_pin(mut self, behaviour: ExpiredPin) -> Self {
        self.pins.expired = behaviour;
        self
    }

    /// A built-in scenario by name (see [`Scenario::BUILTINS`]).
    pub fn builtin(name: &str) -> Option<Scenario> {
        let text = match name {
            "home" => include_str!("../scenarios/home.toml"),
            "friends" => include_str!("../scenarios/friends.toml"),
            "hostile" => include_str!("../scenarios/hostile.toml"),
            "family" => include_str!("../scenarios/family.toml"),
            _ => return None,
        };
        // The built-in files are tested to parse; a failure here is a bug caught by tests.
        Scenario::from_toml(text).ok()
    }

    pub fn from_toml(text: &str) -> Result<Scenario> {
        let scenario: Scenario = toml::from_str(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    pub fn from_json(text: &str) -> Result<Scenario> {
        let scenario: Scenario = serde_json::from_str(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// A built-in name, or a path to a `.toml` or `.json` file.
    pub fn load(path_or_builtin_name: &str) -> Result<Scenario> {
        if let Some(s) = Scenario::builtin(path_or_builtin_name) {
            return Ok(s);
        }
        let path = std::path::Path::new(path_or_builtin_name);
        if !path.exists() {
            return Err(SimError::UnknownScenario(path_or_builtin_name.into()));
        }
        let text = std::fs::read_to_string(path).map_err(|source| SimError::ReadScenario {
            path: path_or_builtin_name.into(),
            source,
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        if is_json {
            Scenario::from_json(&text)
        } else {
            Scenario::from_toml(&text)
        }
    }

    /// Checks what serde cannot: loopback addresses, unique ids, shared-server owners.
    pub fn validate(&self) -> Result<()> {
        if let Some(home) = &self.home {
            for p in &home.profiles {
                if p.title.trim().is_empty() {
                    return Err(SimError::Invalid(
                        "a home profile has an empty title".into(),
                    ));
                }
                if let Some(pin) = &p.pin {
                    if pin.len() != 4 || !pin.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(SimError::Invalid(format!(
                            "profile `{}`: a pin is 4 digits",
                            p.title
                        )));
                    }
                }
                if let Some(limit) = &p.content_limit {
                    if rating_age(limit).is_none() {
                        return Err(SimError::Invalid(format!(
                            "profile `{}`: unknown content rating `{limit}`",
                            p.title
                        )));
                    }
                }
                for name in p.servers.iter().flatten() {
                    if !self.servers.iter().any(|s| &s.name == name) {
                        return Err(SimError::Invalid(format!(
                            "profile `{}`: no server `{name}`",
                            p.title
                        )));
                    }
                }
            }
        }
        let mut ids = std::collections::HashSet::new();
        for server in &self.servers {
            if server.name.trim().is_empty() {
                return Err(SimError::Invalid("a server has an empty name".into()));
            }
            if !server.owned && server.owner_name.is_none() {
                return Err(SimError::Invalid(format!(
                    "shared server `{}` needs owner_name",
                    server.name
                )));
            }
            if server.page_cap == Some(0) {
                return Err(SimError::Invalid(format!(
                    "server `{}` has page_cap 0",
                    server.name
                )));
            }
            for conn in &server.connections {
                let ip: std::net::Ipv4Addr = conn.address.parse().map_err(|_| {
                    SimError::Invalid(format!(
                        "connection address `{}` is not an ipv4 address",
                        conn.address
                    ))
                })?;
                if !ip.is_loopback() {
                    return Err(SimError::Invalid(format!(
                        "connection address `{}` is not loopback (127.0.0.0/8)",
                        conn.address
                    )));
                }
                if let Some(id) = &conn.id {
                    if !ids.insert(id.clone()) {
                        return Err(SimError::Invalid(format!("duplicate connection id `{id}`")));
                    }
                }
            }
        }
        Ok(())
    }
}
