//! PIN sign-in, token validation and the X-Plex headers against the simulator's plex.tv.

mod common;

use std::time::{Duration, Instant};

use common::*;
use plex_client::{endpoints, Error, ErrorKind, PinOutcome, PinPoll, PinState, Token};
use plex_sim::{ExpiredPin, Scenario, Sim};

fn fast_poll() -> PinPoll {
    PinPoll {
        interval: Duration::from_millis(50),
        max_backoff: Duration::from_millis(400),
        ..PinPoll::default()
    }
}

#[tokio::test]
async fn pin_flow_links_after_approval_with_progress() {
    let sim = start("home").await;
    let c = client(&sim);
    let pin = c.create_pin().await.unwrap();
    assert!(pin.code.len() >= 20, "strong code: {}", pin.code);
    assert!(pin.seconds_left() > 800);
    let url = c.auth_url(&pin, Some("http://localhost/done"));
    assert!(url.starts_with(&format!("{}/auth#?clientID=", sim.plex_tv_url())));
    assert!(url.contains(&format!("&code={}", pin.code)));
    assert!(url.contains("&context%5Bdevice%5D%5Bproduct%5D=PlexPicker"));
    assert!(url.ends_with("&forwardUrl=http%3A%2F%2Flocalhost%2Fdone"));

    assert!(matches!(
        c.check_pin(pin.id).await.unwrap(),
        PinState::Waiting { .. }
    ));
    let seen = Events::<u64>::default();
    let s2 = seen.clone();
    let mut poll = fast_poll();
    poll.on_progress = Some(std::sync::Arc::new(move |left| s2.push(left)));
    let id = pin.id;
    let approve = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(sim.approve_pin(id));
    };
    let (out, ()) = tokio::join!(c.wait_for_pin(&pin, &poll), approve);
    let token = match out.unwrap() {
        PinOutcome::Linked(t) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!(token, Token::new(sim.account_token()));
    assert!(seen.all().len() >= 2);
    assert!(seen.all().iter().all(|&s| s > 800));
    let user = c.user(&token).await.unwrap();
    assert_eq!(user.username.as_deref(), Some("simuser"));

    // Every plex.tv request carried the full set of X-Plex headers; the PIN polls no token.
    let log = sim.request_log();
    assert!(log.iter().any(|r| r.method == "POST"
        && r.path == endpoints::PINS
        && r.query.as_deref() == Some("strong=true")));
    for r in &log {
        assert_eq!(r.header("accept"), Some("application/json"));
        assert_eq!(r.header("x-plex-client-identifier"), Some(CLIENT_ID));
        for h in [
            "x-plex-product",
            "x-plex-version",
            "x-plex-platform",
            "x-plex-platform-version",
            "x-plex-device",
            "x-plex-device-name",
        ] {
            assert!(r.header(h).is_some(), "{h} missing on {}", r.path);
        }
        if r.path.starts_with(endpoints::PINS) {
            assert!(!r.carries_token());
        }
    }
    assert_no_token_in_urls(&sim, &log);
    sim.shutdown().await;
}

async fn expiry(behaviour: ExpiredPin) {
    let sim = Sim::start(
        Scenario::single_server(1, 0)
            .pin_expires_in_secs(1)
            .expired_pin(behaviour),
    )
    .await
    .unwrap();
    let c = client(&sim);
    let pin = c.create_pin().await.unwrap();
    let t0 = Instant::now();
    let out = c.wait_for_pin(&pin, &fast_poll()).await.unwrap();
    assert_eq!(out, PinOutcome::Expired);
    assert!(t0.elapsed() < Duration::from_secs(3));
    // Asking again after expiry: 404 or 200-with-null, both mean expired.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(c.check_pin(pin.id).await.unwrap(), PinState::Expired);
    sim.shutdown().await;
}

#[tokio::test]
async fn pin_expiry_404() {
    expiry(ExpiredPin::NotFound).await;
}

#[tokio::test]
async fn pin_expiry_200_with_null_token() {
    expiry(ExpiredPin::NullToken).await;
}

#[tokio::test]
async fn pin_wait_rides_out_network_errors_until_the_deadline() {
    let sim = Sim::start(Scenario::single_server(1, 0).pin_expires_in_secs(1))
        .await
        .unwrap();
    let pin = client(&sim).create_pin().await.unwrap();
    // plex.tv becomes unreachable: a loopback port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cfg = config(&sim);
    cfg.plex_tv_url = format!("http://127.0.0.1:{port}");
    let dead = plex_client::PlexClient::new(cfg).unwrap();
    let t0 = Instant::now();
    let out = dead.wait_for_pin(&pin, &fast_poll()).await.unwrap();
    assert_eq!(out, PinOutcome::Expired);
    assert!(t0.elapsed() < Duration::from_secs(3));
    sim.shutdown().await;
}

#[tokio::test]
async fn pin_wait_can_be_cancelled() {
    let sim = start("home").await;
    let c = client(&sim);
    let pin = c.create_pin().await.unwrap();
    let poll = fast_poll();
    let cancel = poll.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        cancel.cancel();
    });
    let t0 = Instant::now();
    assert_eq!(
        c.wait_for_pin(&pin, &poll).await.unwrap(),
        PinOutcome::Cancelled
    );
    assert!(t0.elapsed() < Duration::from_secs(2));
    sim.shutdown().await;
}

#[tokio::test]
async fn pin_poll_backs_off_on_429() {
    let sim = Sim::start(Scenario::single_server(1, 0).pin_approve_after_ms(200))
        .await
        .unwrap();
    let c = client(&sim);
    let pin = c.create_pin().await.unwrap();
    sim.set_rate_limit(4);
    sim.clear_log();
    let t0 = Instant::now();
    let out = c.wait_for_pin(&pin, &fast_poll()).await.unwrap();
    assert!(matches!(out, PinOutcome::Linked(_)), "{out:?}");
    let polls = sim
        .request_log()
        .iter()
        .filter(|r| r.path.starts_with(endpoints::PINS))
        .count();
    // 4 rate-limited polls then success; backoff 100+200+400+400 ms at least.
    assert!(polls >= 5, "{polls}");
    assert!(
        t0.elapsed() >= Duration::from_millis(1000),
        "{:?}",
        t0.elapsed()
    );
    assert!(t0.elapsed() < Duration::from_secs(5));
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_is_typed() {
    let sim = start("home").await;
    let c = client(&sim);
    sim.set_rate_limit(1);
    let e = c.servers(&account(&sim)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert!(c.servers(&account(&sim)).await.is_ok());
    sim.shutdown().await;
}

#[tokio::test]
async fn invalid_token_means_sign_in_again() {
    let sim = start("home").await;
    let c = client(&sim);
    let bad = Token::new("not-a-real-token");
    let e = c.user(&bad).await.unwrap_err();
    assert!(matches!(e, Error::Unauthorized), "{e:?}");
    assert!(e.is_sign_in_again());
    assert_eq!(e.to_string(), "not authorized: sign in again");
    assert!(c.servers(&bad).await.unwrap_err().is_sign_in_again());
    // The token never shows in errors or debug output.
    assert!(!format!("{e:?} {bad:?} {bad}").contains("not-a-real-token"));
    let ok = c.user(&account(&sim)).await.unwrap();
    assert!(ok.username.is_some());
    // It travelled only as a header.
    let log = sim.request_log();
    assert!(log
        .iter()
        .filter(|r| r.path == endpoints::USER)
        .all(|r| r.header("x-plex-token").is_some()));
    assert_no_token_in_urls(&sim, &log);
    sim.shutdown().await;
}
