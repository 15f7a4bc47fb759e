//! Certificates: a test CA that signs `*.<hash>.plex.direct` certificates, and
//! self-signed certificates for bare-IP https connections.

use std::net::IpAddr;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::ServerConfig;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// The simulator's certificate authority (generated at start, never stored).
pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    der: CertificateDer<'static>,
    pem: String,
}

impl std::fmt::Debug for Ca {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ca").finish_non_exhaustive()
    }
}

/// A certificate chain and its key.
pub struct Certified {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl Ca {
    pub fn new() -> Result<Ca> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "plex-sim test CA");
        params
            .distinguished_name
            .push(DnType::OrganizationName, "PlexPicker plex-sim");
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Ca {
            pem: cert.pem(),
            der: cert.der().clone(),
            issuer: Issuer::new(params, key),
        })
    }

    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// A certificate for `*.<hash>.plex.direct`, signed by this CA.
    pub fn plex_direct(&self, hash: &str) -> Result<Certified> {
        let mut params = CertificateParams::new(vec![format!("*.{hash}.plex.direct")])?;
        params
            .distinguished_name
            .push(DnType::CommonName, format!("*.{hash}.plex.direct"));
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Certified {
            chain: vec![cert.der().clone(), self.der.clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        })
    }
}

/// A self-signed certificate for a bare IP, and its SHA-256 fingerprint (lowercase hex of the DER).
pub fn self_signed(ip: IpAddr, server_name: &str) -> Result<(Certified, String)> {
    let mut params = CertificateParams::new(vec![ip.to_string()])?;
    params
        .distinguished_name
        .push(DnType::CommonName, server_name);
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    let sha = sha256_hex(cert.der());
    Ok((
        Certified {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        },
        sha,
    ))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes `ring` the process's default rustls provider (when none is installed yet), so that
/// any reqwest client built in the same process (tests, tools) finds one: the workspace builds
/// reqwest without a provider of its own (`rustls-no-provider`).
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine: one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A rustls server configuration (ring, HTTP/1.1 only via ALPN).
pub fn server_config(c: Certified) -> Result<Arc<ServerConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(c.chain, c.key)?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}
