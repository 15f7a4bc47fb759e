//! A Plex simulator on its own tokio runtime, for tests that drive the app from a plain test
//! thread: the command tests, the end-to-end tests and the measurements.

use std::path::Path;

pub struct Simulator {
    pub sim: plex_sim::Sim,
    runtime: tokio::runtime::Runtime,
}

/// A loopback relay in front of the simulated plex.tv that can hold back requests for one
/// path: how the command tests make work finish after the user moved on (a Cancel, a
/// sign-out) without any timing inside the app.
pub struct SlowPlexTv {
    pub url: String,
    hold: std::sync::Arc<std::sync::Mutex<Option<(String, u64)>>>,
    held: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl SlowPlexTv {
    /// From now on, requests whose path starts with `path` wait `ms` before going on.
    pub fn hold(&self, path: &str, ms: u64) {
        *self.hold.lock().unwrap() = Some((path.to_string(), ms));
    }

    /// How many requests were held so far.
    pub fn held(&self) -> usize {
        self.held.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until at least `n` requests were held (up to 10 s).
    pub fn wait_held(&self, n: usize) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.held() < n {
            assert!(std::time::Instant::now() < deadline, "no request was held");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

impl Simulator {
    pub fn start(scenario: plex_sim::Scenario) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the simulator");
        let sim = runtime
            .block_on(plex_sim::Sim::start(scenario))
            .expect("the simulator starts");
        Self { sim, runtime }
    }

    /// A [`SlowPlexTv`] relay in front of this simulator's plex.tv.
    pub fn slow_plex_tv(&self) -> SlowPlexTv {
        use std::sync::atomic::Ordering;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = self
            .runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let target = self.sim.plex_tv_addr();
        let hold: std::sync::Arc<std::sync::Mutex<Option<(String, u64)>>> = Default::default();
        let held: std::sync::Arc<std::sync::atomic::AtomicUsize> = Default::default();
        let (hold2, held2) = (hold.clone(), held.clone());
        self.runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = tokio::net::TcpStream::connect(target).await else {
                    continue;
                };
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                });
                let (hold, held) = (hold2.clone(), held2.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match client_read.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let head = String::from_utf8_lossy(&buf[..n.min(512)]).into_owned();
                        let path = head.split(' ').nth(1).unwrap_or_default().to_string();
                        let rule = hold.lock().unwrap().clone();
                        if let Some((prefix, ms)) = rule {
                            if path.starts_with(&prefix) {
                                held.fetch_add(1, Ordering::SeqCst);
                                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                            }
                        }
                        if server_write.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        SlowPlexTv { url, hold, held }
    }

    /// The built-in `home` scenario, approving sign-in PINs after `approve_after_ms`.
    pub fn home(approve_after_ms: u64) -> Self {
        Self::start(
            plex_sim::Scenario::builtin("home")
                .expect("the home scenario")
                .pin_approve_after_ms(approve_after_ms),
        )
    }

    /// The app's options pointing at this simulator and `data_dir` (command tests).
    pub fn options(&self, data_dir: &Path) -> plexpicker_lib::Options {
        plexpicker_lib::Options {
            data_dir: Some(data_dir.to_path_buf()),
            plex_tv_url: Some(self.sim.plex_tv_url()),
            extra_root_pem: Some(self.sim.ca_pem().to_string()),
            no_dns: true,
            // Tokens go to the secret store's file in `data_dir`, never to the keychain of the
            // machine running the tests.
            secrets: plexpicker_core::secrets::Choice::File,
        }
    }

    /// The same as environment variables, for the app started in its window.
    pub fn env(&self, data_dir: &Path) -> Vec<(String, String)> {
        vec![
            ("PLEXPICKER_PLEX_TV_URL".into(), self.sim.plex_tv_url()),
            (
                "SSL_CERT_FILE".into(),
                self.sim.ca_path().display().to_string(),
            ),
            ("PLEXPICKER_NO_DNS".into(), "1".into()),
            ("PLEXPICKER_DATA_DIR".into(), data_dir.display().to_string()),
            ("PLEXPICKER_SECRETS".into(), "file".into()),
        ]
    }

    /// Sets `fault` on every connection of `server`. Listeners closed by `refuse` reopen on
    /// the simulator's own tasks, so for any other fault this waits until each port takes
    /// connections again (a busy machine may take a moment).
    pub fn set_all_faults(&self, server: &str, fault: plex_sim::Fault) {
        let connections = self.sim.server(server).expect("the server").connections;
        for connection in &connections {
            self.sim.set_fault(&connection.id, fault);
        }
        if fault == plex_sim::Fault::Refuse {
            return;
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        for connection in &connections {
            while std::net::TcpStream::connect_timeout(
                &connection.addr,
                std::time::Duration::from_millis(200),
            )
            .is_err()
            {
                assert!(
                    std::time::Instant::now() < deadline,
                    "{} did not reopen",
                    connection.id
                );
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}
