//! The core's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in the core. Messages are lowercase, without a trailing
/// period, and say what happened; the front ends add what to do next.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read, written, locked or renamed.
    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A value could not be encoded for writing.
    #[error("could not encode {what}: {why}")]
    Encode { what: &'static str, why: String },
    /// The OS keychain refused or failed a request.
    #[error("the system keychain could not {action} a secret: {why}")]
    Keychain { action: &'static str, why: String },
    /// The settings cannot be used as they are.
    #[error("the settings cannot be used: {0}")]
    Settings(String),
    /// A Secret Service was expected (the test harness said so) but none was reachable.
    #[error("no system keychain is reachable: {0}")]
    NoKeychain(String),
    /// The AI provider failed or refused (its message names the provider and what to do).
    #[error(transparent)]
    Ai(#[from] curator::Error),
    /// An AI setting cannot be used as given.
    #[error("{0}")]
    AiSetting(String),
    /// A model was asked for but no AI provider is set up.
    #[error("no AI provider is set up")]
    NoAiProvider,
    /// plex.tv or the server failed or refused (its error says which route, and why).
    #[error(transparent)]
    Plex(#[from] plex_client::Error),
    /// The secret store failed (wraps the store's own error).
    #[error("{0}")]
    SecretStore(Box<Error>),
    /// The settings could not be saved.
    #[error("could not save the settings: {0}")]
    Persist(String),
    /// Asked for something that needs a signed-in account.
    #[error("not signed in")]
    NotSignedIn,
    /// Asked for something that needs a connected server.
    #[error("not connected to a server")]
    NotConnected,
    /// The server asked for is no longer in the account's list.
    #[error("that server is not in the list any more")]
    ServerGone,
    /// The account has no servers at all.
    #[error("this plex account has no servers")]
    NoServers,
    /// No server of the account has this name or machine identifier.
    #[error("no server named or identified as {0:?}")]
    ServerNotFound(String),
    /// Several servers of the account have this name (ignoring case).
    #[error("{0:?} names several servers")]
    ServerAmbiguous(String),
    /// The server has no movie or show library.
    #[error("{server} has no movie or show libraries")]
    NoLibraries { server: String },
    /// No movie or show library of the server has this title or key.
    #[error("no movie or show library called {name:?} on {server}")]
    LibraryNotFound { name: String, server: String },
    /// The server did not say how many items a library holds.
    #[error("the server did not say how many items {library} has")]
    CountMissing { library: String },
    /// No profile of the Home has this name or id; `profiles` names them all.
    #[error("no profile called {name:?} in this plex home: the profiles are {profiles}")]
    NoSuchProfile { name: String, profiles: String },
    /// A PIN was offered for a profile the Home does not have.
    #[error("a pin for {name:?}: no such profile in this plex home: the profiles are {profiles}")]
    PinForNoProfile { name: String, profiles: String },
    /// A PIN was offered for a profile that is not among the people.
    #[error("a pin for {name:?}: {profile} is not among the people picked for")]
    PinForAbsent { name: String, profile: String },
    /// The same profile's PIN was offered twice.
    #[error("a pin for {name:?} is given twice")]
    PinTwice { name: String },
    /// A protected profile among the people has neither a PIN given nor a kept sign-in.
    #[error("{profile} is protected with a pin")]
    PinNeeded { profile: String },
    /// The sign-in code ran out before anyone approved it.
    #[error("the sign-in code expired before it was approved")]
    SignInExpired,
    /// A newer connect (or a sign-out) took over while this one ran.
    #[error("replaced by a newer connection attempt")]
    Superseded,
    /// The request cannot be used as given; the message is the whole sentence for the user.
    #[error("{0}")]
    Invalid(String),
    /// What the request names is gone; the message is the whole sentence for the user.
    #[error("{0}")]
    NotFound(String),
    /// No catalog is loaded yet.
    #[error("there is nothing to pick from yet")]
    NothingToPick,
    /// The picker found nothing (its error says which filter emptied the list).
    #[error(transparent)]
    Pick(#[from] picker::PickError),
    /// The Plex client cannot be built as set up (an unreadable root certificate, a plex.tv
    /// address that is not one).
    #[error("the connection to Plex cannot be set up: {0}")]
    ClientSetup(String),
    /// Something that cannot happen did; the message is the whole sentence for the user.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// A failure of the secret store, kept apart from other disk failures.
    pub fn secret_store(err: Error) -> Self {
        match err {
            already @ Error::SecretStore(_) => already,
            other => Error::SecretStore(Box::new(other)),
        }
    }

    /// What the user can do about it, in one sentence.
    pub fn advice(&self) -> &'static str {
        match self {
            Error::Io { .. } => {
                "Check that the disk is not full and that the folder is yours, then try again."
            }
            Error::Settings(_) => "Run PlexPicker again; it will bring the settings up to date.",
            Error::Encode { .. } => "This is a bug in PlexPicker; please report it.",
            Error::Keychain { .. } | Error::NoKeychain(_) => {
                "Unlock your system keychain (or log in to your desktop session), then try again."
            }
            Error::Ai(_) => "Check the AI provider settings, then try again.",
            Error::AiSetting(_) => "Correct it in the AI settings and save again.",
            Error::NoAiProvider => {
                "Set one up in the AI settings (in the CLI: plexpicker-cli ai set), or let PlexPicker choose."
            }
            Error::Plex(_) => "Check the connection to the server, then try again.",
            Error::SecretStore(inner) => inner.advice(),
            Error::Persist(_) => "Check that the disk is not full, then try again.",
            Error::NotSignedIn => "Sign in with Plex first.",
            Error::NotConnected => "Choose a server first.",
            Error::ServerGone => "Refresh the list and choose again.",
            Error::NoServers => "Add a server to the account at plex.tv, then list them again.",
            Error::ServerNotFound(_) => "List the servers and choose one of them.",
            Error::ServerAmbiguous(_) => "Choose the server by its machine identifier instead.",
            Error::NoLibraries { .. } => "Add a library in Plex, or choose another server.",
            Error::LibraryNotFound { .. } => "List the libraries and choose one of them.",
            Error::CountMissing { .. } => "Try again.",
            Error::SignInExpired => "Sign in again.",
            Error::NoSuchProfile { .. } | Error::PinForNoProfile { .. } => {
                "Choose among the Home's profiles."
            }
            Error::PinForAbsent { .. } => "Add that profile to the people, or give no PIN for it.",
            Error::PinTwice { .. } => "Give each PIN once.",
            Error::PinNeeded { .. } => "Give its PIN.",
            Error::Superseded => "Nothing to do: the newer one goes on.",
            Error::Invalid(_) => "Correct it and try again.",
            Error::NotFound(_) => "Refresh and try again.",
            Error::NothingToPick => "Load your libraries first.",
            Error::Pick(_) => "Loosen a filter and pick again.",
            Error::ClientSetup(_) => "Check the plex.tv address and the extra certificates given.",
            Error::Internal(_) => "Try again; if it keeps happening, please report it.",
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
