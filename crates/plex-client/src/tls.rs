//! TLS: system roots plus extra roots, a verifier that records the certificate's SHA-256, and
//! pinning of self-signed certificates on private addresses of owned servers.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::{Deserialize, Serialize};

use crate::config::ClientConfig;
use crate::diagnosis::TlsFailure;
use crate::error::{Error, Result};
use crate::fingerprint::CertFingerprint;

/// A pinned certificate: the place (`host:port`) and the fingerprint to expect there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CertPin {
    /// `host:port` as in the connection URI.
    pub place: String,
    /// The certificate's SHA-256.
    pub sha256: CertFingerprint,
}

/// The pins the caller keeps: place (`host:port`) → fingerprint.
pub type CertPins = HashMap<String, CertFingerprint>;

/// True for addresses that never leave the local network: RFC 1918, loopback, link-local,
/// IPv6 ULA (and IPv4-mapped forms of those).
pub fn is_private_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Makes `ring` the process's default rustls provider when none is installed yet.
///
/// The workspace builds reqwest with `rustls-no-provider` (no aws-lc: it does not build for
/// Android without the NDK), so a process must install a provider before it builds a reqwest
/// client of its own. [`crate::PlexClient::new`] calls this; call it yourself before building
/// other reqwest clients first.
pub fn install_crypto_provider() {
    if CryptoProvider::get_default().is_none() {
        // Another thread may win the race to install one: either way one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Where the trusted roots come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RootSource {
    /// The operating system's store (rustls-native-certs; honours `SSL_CERT_FILE`).
    Native,
    /// Mozilla's roots compiled in (webpki-roots): phones have no `/etc/ssl/certs` to read.
    Bundled,
}

/// The root store for a target OS: the bundled one on Android and iOS unless `SSL_CERT_FILE`
/// names a file to use instead, the system's everywhere else.
pub(crate) fn root_source(target_os: &str, ssl_cert_file_set: bool) -> RootSource {
    match target_os {
        "android" | "ios" if !ssl_cert_file_set => RootSource::Bundled,
        _ => RootSource::Native,
    }
}

fn add_bundled_roots(roots: &mut RootCertStore) {
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
}

/// What the trust store is: system roots, extra roots, the crypto provider.
#[derive(Clone)]
pub(crate) struct Trust {
    provider: Arc<CryptoProvider>,
    webpki: Option<Arc<WebPkiServerVerifier>>,
}

impl fmt::Debug for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trust")
            .field("has_roots", &self.webpki.is_some())
            .finish()
    }
}

impl Trust {
    /// Loads the system roots (rustls-native-certs honours `SSL_CERT_FILE`) plus the extra ones.
    pub(crate) fn load(cfg: &ClientConfig) -> Result<Self> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        if !cfg.skip_system_roots {
            let override_file = std::env::var_os("SSL_CERT_FILE").is_some();
            match root_source(std::env::consts::OS, override_file) {
                RootSource::Native => {
                    let native = rustls_native_certs::load_native_certs();
                    roots.add_parsable_certificates(native.certs);
                }
                RootSource::Bundled => add_bundled_roots(&mut roots),
            }
        }
        for pem in &cfg.extra_roots_pem {
            let mut n = 0;
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert = cert.map_err(|e| Error::Config(format!("extra root: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::Config(format!("extra root: {e}")))?;
                n += 1;
            }
            if n == 0 {
                return Err(Error::Config("extra root: no certificate in pem".into()));
            }
        }
        let webpki = if roots.is_empty() {
            None
        } else {
            Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| Error::Config(format!("trust store: {e}")))?,
            )
        };
        Ok(Trust { provider, webpki })
    }

    /// A rustls config with our recording verifier under `policy`.
    pub(crate) fn client_config(
        &self,
        policy: CertPolicy,
    ) -> Result<(rustls::ClientConfig, Arc<TlsRecorder>)> {
        let recorder = Arc::new(TlsRecorder::default());
        let verifier = Arc::new(RecordingVerifier {
            inner: self.webpki.clone(),
            provider: self.provider.clone(),
            policy,
            recorder: recorder.clone(),
        });
        let config = rustls::ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(format!("tls: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok((config, recorder))
    }
}

/// How a candidate's certificate is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CertPolicy {
    /// Must verify against the trusted roots for the name.
    Verify,
    /// A verified certificate is fine; otherwise a self-signed one is accepted and pinned
    /// (or must equal `pinned` when one is given).
    AllowSelfSigned { pinned: Option<CertFingerprint> },
}

/// What the verifier saw, shared with whoever sent the request.
#[derive(Debug, Default)]
pub(crate) struct TlsRecorder {
    state: Mutex<TlsState>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct TlsState {
    /// The last end-entity certificate seen.
    pub last: Option<CertFingerprint>,
    /// The last failure.
    pub failure: Option<TlsFailure>,
    /// A self-signed certificate accepted (and from then on required).
    pub accepted_unverified: Option<CertFingerprint>,
}

impl TlsRecorder {
    pub(crate) fn snapshot(&self) -> TlsState {
        match self.state.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut TlsState) -> R) -> R {
        match self.state.lock() {
            Ok(mut g) => f(&mut g),
            Err(p) => f(&mut p.into_inner()),
        }
    }
}

#[derive(Debug)]
struct RecordingVerifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
    policy: CertPolicy,
    recorder: Arc<TlsRecorder>,
}

fn classify(e: &rustls::Error, fp: &CertFingerprint) -> TlsFailure {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer
            | CertificateError::BadSignature
            | CertificateError::UnknownRevocationStatus => TlsFailure::Untrusted {
                sha256: Some(fp.clone()),
            },
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsFailure::NameMismatch {
                    sha256: Some(fp.clone()),
                }
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => TlsFailure::Expired,
            other => TlsFailure::Other {
                detail: format!("{other:?}").to_lowercase(),
            },
        },
        other => TlsFailure::Other {
            detail: other.to_string(),
        },
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let fp = CertFingerprint::of_der(end_entity.as_ref());
        self.recorder.with(|s| s.last = Some(fp.clone()));
        let verified = match &self.inner {
            Some(v) => {
                v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        };
        let err = match verified {
            Ok(ok) => return Ok(ok),
            Err(e) => e,
        };
        match &self.policy {
            CertPolicy::Verify => {
                let failure = classify(&err, &fp);
                self.recorder.with(|s| s.failure = Some(failure));
                Err(err)
            }
            CertPolicy::AllowSelfSigned { pinned } => self.recorder.with(|s| {
                let expected = s.accepted_unverified.clone().or_else(|| pinned.clone());
                match expected {
                    Some(expected) if expected == fp => Ok(ServerCertVerified::assertion()),
                    Some(expected) => {
                        s.failure = Some(TlsFailure::CertificateChanged {
                            expected,
                            got: fp.clone(),
                        });
                        Err(rustls::Error::General("certificate changed".into()))
                    }
                    None => {
                        s.accepted_unverified = Some(fp.clone());
                        Ok(ServerCertVerified::assertion())
                    }
                }
            }),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_use_the_bundled_roots() {
        assert_eq!(root_source("android", false), RootSource::Bundled);
        assert_eq!(root_source("ios", false), RootSource::Bundled);
        // SSL_CERT_FILE still wins, on phones too.
        assert_eq!(root_source("android", true), RootSource::Native);
        for os in ["linux", "macos", "windows", "freebsd"] {
            assert_eq!(root_source(os, false), RootSource::Native, "{os}");
        }
        let mut roots = RootCertStore::empty();
        add_bundled_roots(&mut roots);
        assert!(roots.len() > 100, "only {} bundled roots", roots.len());
    }

    /// Only the extra roots are trusted when the system's are skipped: with none given there
    /// is no root at all (every certificate is untrusted); without skipping, the system's
    /// roots are loaded (this machine has some: `/etc/ssl/certs`).
    #[test]
    fn system_roots_are_loaded_unless_skipped() {
        let mut cfg = ClientConfig::new("test-client", crate::ProductInfo::default());
        cfg.skip_system_roots = true;
        let trust = Trust::load(&cfg).unwrap();
        assert!(trust.webpki.is_none());
        assert_eq!(format!("{trust:?}"), "Trust { has_roots: false }");
        cfg.skip_system_roots = false;
        let trust = Trust::load(&cfg).unwrap();
        assert!(trust.webpki.is_some());
        assert_eq!(format!("{trust:?}"), "Trust { has_roots: true }");
    }

    #[test]
    fn private_addresses() {
        for ip in [
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.5",
            "127.0.0.2",
            "169.254.1.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:192.168.1.1",
        ] {
            assert!(is_private_address(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "172.32.0.1", "2001:db8::1", "100.64.0.1"] {
            assert!(!is_private_address(ip.parse().unwrap()), "{ip}");
        }
    }
}
