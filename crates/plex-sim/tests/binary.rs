//! The `plex-sim` binary prints machine-friendly lines and serves until stopped.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn binary_prints_urls_and_serves_until_killed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plex-sim"))
        .args(["friends", "--seed", "3", "--approve-after-ms", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while lines.len() < 4 {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(l) => lines.push(l),
            Err(_) => break,
        }
    }
    assert!(
        lines[0].starts_with("PLEX_TV_URL=http://127.0.0.1:"),
        "{lines:?}"
    );
    let ca = lines[1].strip_prefix("SSL_CERT_FILE=").unwrap();
    assert!(std::fs::read_to_string(ca)
        .unwrap()
        .contains("BEGIN CERTIFICATE"));
    assert!(lines[2].starts_with("ACCOUNT_TOKEN=") && lines[2].len() > 20);
    // The rest is a table naming servers and connections.
    let mut rest = String::new();
    while let Ok(l) = rx.recv_timeout(Duration::from_millis(500)) {
        rest.push_str(&l);
        rest.push('\n');
    }
    assert!(
        rest.contains("Home Server")
            && rest.contains("Alice's Server")
            && rest.contains("home-relay"),
        "{rest}"
    );

    // It serves plex.tv on the printed port.
    let url = lines[0].strip_prefix("PLEX_TV_URL=").unwrap();
    let host_port = url.strip_prefix("http://").unwrap();
    let mut s = std::net::TcpStream::connect(host_port).unwrap();
    use std::io::{Read, Write};
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"GET /__sim/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("\"scenario\":\"friends\""));

    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn binary_takes_a_fixed_plex_tv_port_and_a_scenario_file() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let file = format!("{}/scenarios/hostile.toml", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_plex-sim"))
        .args([file.as_str(), "--plex-tv-port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(first.trim(), format!("PLEX_TV_URL=http://127.0.0.1:{port}"));
}

#[test]
fn binary_rejects_unknown_scenarios() {
    let out = Command::new(env!("CARGO_BIN_EXE_plex-sim"))
        .arg("no-such-scenario")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown scenario"));
}

#[test]
fn binary_lists_a_homes_profiles_and_their_tokens() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plex-sim"))
        .args(["family"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut out = String::new();
    while let Ok(l) = rx.recv_timeout(Duration::from_secs(20)) {
        let done = l.starts_with("control:");
        out.push_str(&l);
        out.push('\n');
        if done {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(out.contains("home profile \"Sam\""), "{out}");
    assert!(out.contains("pin 1234"), "{out}");
    assert!(out.contains("limited to PG"), "{out}");
    assert!(out.contains("on \"Family Server\" accessToken="), "{out}");
    assert!(!out.contains("on \"Friend Server\""), "{out}");
}
