//! [`Text`]: a shared, immutable string for the catalog's values that repeat (genres, people,
//! content ratings, library names), and the [`Interner`] that hands out one copy of each.
//!
//! Fifty thousand titles name a few dozen genres, a few thousand people and one or two
//! libraries: held as `String`s, each title would carry its own copy of every one of them.
//! A [`Text`] is a reference-counted `str` (16 bytes, cloning it allocates nothing), so the
//! titles share one allocation per distinct value. It reads like a `str` (`Deref`), compares
//! with `str`, `&str` and `String`, and serialises as a plain string (JSON shapes are
//! unchanged).

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A shared, immutable string (see the module's documentation).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<str>);

impl Text {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Text {
    fn default() -> Self {
        Text(Arc::from(""))
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(Arc::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text(Arc::from(s.as_str()))
    }
}

impl From<&Text> for Text {
    fn from(s: &Text) -> Self {
        s.clone()
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0.to_string()
    }
}

impl From<&Text> for String {
    fn from(t: &Text) -> Self {
        t.0.to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

/// Hands out one shared [`Text`] per distinct string: build the catalog's repeated values
/// through one interner and each is allocated once.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    known: HashSet<Text>,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Interner::default()
    }

    /// The shared copy of `s` (made on first sight).
    pub fn text(&mut self, s: &str) -> Text {
        if let Some(t) = self.known.get(s) {
            return t.clone();
        }
        let t = Text::from(s);
        self.known.insert(t.clone());
        t
    }

    /// The shared copy of `s`, reusing `s`'s allocation on first sight.
    pub fn owned(&mut self, s: String) -> Text {
        if let Some(t) = self.known.get(s.as_str()) {
            return t.clone();
        }
        let t = Text::from(s);
        self.known.insert(t.clone());
        t
    }

    /// How many distinct strings it holds.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_allocation_per_distinct_value() {
        let mut interner = Interner::new();
        let a = interner.text("Drama");
        let b = interner.owned("Drama".to_string());
        let c = interner.text("Comedy");
        assert!(Arc::ptr_eq(&a.0, &b.0), "the same value is shared");
        assert!(!Arc::ptr_eq(&a.0, &c.0));
        assert_eq!(interner.len(), 2);
        // A Text made elsewhere is equal, not shared.
        let d = Text::from("Drama");
        assert_eq!(a, d);
        assert!(!Arc::ptr_eq(&a.0, &d.0));
    }

    #[test]
    fn reads_compares_and_serialises_like_a_string() {
        let t = Text::from("Sci-Fi");
        assert_eq!(t, "Sci-Fi");
        assert_eq!("Sci-Fi", t);
        assert_eq!(t, "Sci-Fi".to_string());
        assert_eq!(t.len(), 6);
        assert_eq!(t.to_lowercase(), "sci-fi");
        assert_eq!(format!("{t} {t:?}"), "Sci-Fi \"Sci-Fi\"");
        assert_eq!(String::from(&t), "Sci-Fi");
        assert_eq!(Text::default(), "");
        let json = serde_json::to_string(&vec![t.clone()]).unwrap();
        assert_eq!(json, r#"["Sci-Fi"]"#);
        let back: Vec<Text> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec![t]);
    }
}
