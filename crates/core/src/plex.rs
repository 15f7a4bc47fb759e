//! The Plex vocabulary the core's answers are made of (servers, routes and what happened on
//! each, errors, tokens, the insecure-connections setting, sections), named here so a front
//! end reads them through the core. Every request to plex.tv or a server goes through the
//! core's use cases ([`crate::session::Session`], [`crate::library`]); a front end never
//! holds a client of its own.

pub use plex_client::{
    web_link, AllowInsecure, CancellationToken, CandidateReport, Diagnosis, Error, ErrorKind,
    Locality, Outcome, Ownership, ProfileProgress, RaceReport, Section, SectionKind, Security,
    Server, TlsFailure, Token,
};
