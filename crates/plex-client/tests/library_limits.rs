//! Library listings in the cases mutation testing found nothing checked (docs/TESTING.md):
//! a section's size is the server's `totalSize`, asked with one empty page, and a server that
//! leaves `totalSize` out gets an error, not a guess.

mod common;

use common::*;
use plex_client::{endpoints, ErrorKind, SectionKind};
use plex_sim::{ConnectionKind, ConnectionSpec, Fault, LibraryKind, Scenario, ServerSpec, Sim};

fn scenario(movies: u32, shows: u32) -> Scenario {
    Scenario::new("sizes").with_server(
        ServerSpec::owned("Sized")
            .library(LibraryKind::Movie, "Movies", movies)
            .library(LibraryKind::Show, "TV Shows", shows)
            .page_cap(50)
            .connection(ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2").id("pd")),
    )
}

#[tokio::test]
async fn a_sections_size_is_its_total_asked_with_an_empty_page() {
    let sim = Sim::start(scenario(37, 4)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Sized").await.connection;
    let sections = conn.sections().await.unwrap();
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap();
    let shows = sections
        .iter()
        .find(|s| s.kind == SectionKind::Show)
        .unwrap();
    sim.clear_log();
    assert_eq!(conn.section_size(&movies.key).await.unwrap(), 37);
    assert_eq!(conn.section_size(&shows.key).await.unwrap(), 4);
    // One request each, for no items: the size without the listing.
    let log = sim.request_log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].path, endpoints::section_all(&movies.key));
    for r in &log {
        assert_eq!(r.query_param("X-Plex-Container-Size").as_deref(), Some("0"));
    }

    // A server that leaves totalSize out: an invalid response, not a size of 0.
    assert!(sim.set_fault("pd", Fault::IgnoreOffsets));
    let err = conn.section_size(&movies.key).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    sim.shutdown().await;
}
