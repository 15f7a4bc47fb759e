//! A Plex simulator on its own tokio runtime, for tests that drive the app from a plain test
//! thread: the command tests, the end-to-end tests and the measurements.

use std::path::Path;

pub struct Simulator {
    pub sim: plex_sim::Sim,
    _runtime: tokio::runtime::Runtime,
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
        Self {
            sim,
            _runtime: runtime,
        }
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

    /// Sets `fault` on every connection of `server`.
    pub fn set_all_faults(&self, server: &str, fault: plex_sim::Fault) {
        for connection in self.sim.server(server).expect("the server").connections {
            self.sim.set_fault(&connection.id, fault);
        }
    }
}
