//! A certificate's SHA-256 fingerprint: what a pin stores and a diagnosis shows.
//!
//! Its own module so that `tls`, `diagnosis` and `error` depend on it without depending on
//! each other in a circle.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A certificate's SHA-256 fingerprint: 64 lowercase hex digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CertFingerprint(String);

impl CertFingerprint {
    /// Parses hex, with or without colons, any case.
    pub fn parse(s: &str) -> Option<Self> {
        let hex: String = s
            .chars()
            .filter(|c| *c != ':' && !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        Some(CertFingerprint(hex))
    }

    /// The fingerprint of a DER certificate.
    pub fn of_der(der: &[u8]) -> Self {
        let digest = Sha256::digest(der);
        let mut s = String::with_capacity(64);
        for b in digest {
            s.push_str(&format!("{b:02x}"));
        }
        CertFingerprint(s)
    }

    /// The 64 hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for CertFingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CertFingerprint::parse(&s).ok_or_else(|| serde::de::Error::custom("not a hex fingerprint"))
    }
}

impl fmt::Debug for CertFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CertFingerprint({})", self.0)
    }
}

impl fmt::Display for CertFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_normalize() {
        let a = CertFingerprint::parse("AB:CD:0f").unwrap();
        assert_eq!(a.as_str(), "abcd0f");
        assert!(CertFingerprint::parse("xyz").is_none());
        assert_eq!(CertFingerprint::of_der(b"x").as_str().len(), 64);
    }

    /// What a diagnosis, a log line and a saved pin show: the lowercase hex, nothing else.
    #[test]
    fn fingerprints_show_as_their_hex() {
        let fp = CertFingerprint::of_der(b"x");
        // SHA-256 of the single byte "x".
        let hex = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
        assert_eq!(fp.as_str(), hex);
        assert_eq!(fp.to_string(), hex);
        assert_eq!(format!("{fp:?}"), format!("CertFingerprint({hex})"));
        assert_eq!(serde_json::to_string(&fp).unwrap(), format!("\"{hex}\""));
        let back: CertFingerprint =
            serde_json::from_str(&format!("\"{}\"", hex.to_uppercase())).unwrap();
        assert_eq!(back, fp);
        assert!(serde_json::from_str::<CertFingerprint>("\"not hex\"").is_err());
    }
}
