//! Tolerant field parsers: real servers send numbers as strings, booleans as `1` or `"1"`,
//! nulls anywhere, and leave out any field. A field of an unexpected shape becomes "absent"
//! instead of failing the whole response.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Any JSON value, reduced to what the fields here need.
pub(crate) enum Loose {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    S(String),
    Other,
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::U(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::I(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::F(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::S(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::S(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

impl Loose {
    pub(crate) fn into_string(self) -> Option<String> {
        match self {
            Loose::S(s) => Some(s),
            Loose::U(v) => Some(v.to_string()),
            Loose::I(v) => Some(v.to_string()),
            Loose::F(v) => Some(v.to_string()),
            Loose::Bool(b) => Some(b.to_string()),
            Loose::Null | Loose::Other => None,
        }
    }
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Loose::U(v) => Some(*v as f64),
            Loose::I(v) => Some(*v as f64),
            Loose::F(v) if v.is_finite() => Some(*v),
            Loose::S(s) => s.trim().parse::<f64>().ok().filter(|v| v.is_finite()),
            _ => None,
        }
    }
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self {
            Loose::U(v) => i64::try_from(*v).ok(),
            Loose::I(v) => Some(*v),
            Loose::F(v) if v.is_finite() => Some(v.trunc() as i64),
            Loose::S(s) => {
                let s = s.trim();
                s.parse::<i64>().ok().or_else(|| {
                    s.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .map(|v| v as i64)
                })
            }
            _ => None,
        }
    }
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Loose::Bool(b) => Some(*b),
            Loose::U(v) => Some(*v != 0),
            Loose::I(v) => Some(*v != 0),
            Loose::F(v) => Some(*v != 0.0),
            Loose::S(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => Some(true),
                "0" | "false" | "no" | "" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A string (numbers become their text); anything else is `None`.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Loose::deserialize(d)?.into_string())
}

/// A string, empty when absent or odd.
pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// `true`, `1`, `"1"`, `"true"`; anything else is false.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Loose::deserialize(d)?.as_bool().unwrap_or(false))
}

/// A number (or numeric string) as f64.
pub(crate) fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Loose::deserialize(d)?.as_f64())
}

/// A number (or numeric string) as i64.
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Loose::deserialize(d)?.as_i64())
}

/// A non-negative number as u64.
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Loose::deserialize(d)?
        .as_i64()
        .and_then(|v| u64::try_from(v).ok()))
}

/// A non-negative number as u32.
pub(crate) fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(Loose::deserialize(d)?
        .as_i64()
        .and_then(|v| u32::try_from(v).ok()))
}

/// A count: absent or odd is 0.
pub(crate) fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(opt_u32(d)?.unwrap_or(0))
}

/// A u16 port.
pub(crate) fn opt_u16<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    Ok(Loose::deserialize(d)?
        .as_i64()
        .and_then(|v| u16::try_from(v).ok()))
}

#[derive(Deserialize)]
struct TagObj {
    #[serde(default, deserialize_with = "opt_string")]
    tag: Option<String>,
}

/// A tag element: an object with `tag`, or anything else (ignored).
enum TagEl {
    Tag(Option<String>),
    Skip,
}

impl<'de> Deserialize<'de> for TagEl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagEl;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TagEl, A::Error> {
                let t = TagObj::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(TagEl::Tag(t.tag))
            }
            fn visit_str<E>(self, v: &str) -> Result<TagEl, E> {
                Ok(TagEl::Tag(Some(v.to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TagEl, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TagEl::Skip)
            }
            fn visit_unit<E>(self) -> Result<TagEl, E> {
                Ok(TagEl::Skip)
            }
            fn visit_bool<E>(self, _: bool) -> Result<TagEl, E> {
                Ok(TagEl::Skip)
            }
            fn visit_u64<E>(self, _: u64) -> Result<TagEl, E> {
                Ok(TagEl::Skip)
            }
            fn visit_i64<E>(self, _: i64) -> Result<TagEl, E> {
                Ok(TagEl::Skip)
            }
            fn visit_f64<E>(self, _: f64) -> Result<TagEl, E> {
                Ok(TagEl::Skip)
            }
        }
        d.deserialize_any(V)
    }
}

fn tags_limited<'de, D: Deserializer<'de>>(d: D, limit: usize) -> Result<Vec<String>, D::Error> {
    struct V(usize);
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of tags")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(el) = seq.next_element::<TagEl>()? {
                if let TagEl::Tag(Some(t)) = el {
                    if out.len() < self.0 {
                        out.push(t);
                    }
                }
            }
            Ok(out)
        }
        // A single tag object instead of a list (XML-to-JSON converters do this).
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<String>, A::Error> {
            let t = TagObj::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(t.tag.into_iter().take(self.0).collect())
        }
        fn visit_unit<E>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V(limit))
}

/// `[{tag}]` → the tag strings.
pub(crate) fn tags<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    tags_limited(d, usize::MAX)
}

/// How many cast members are kept.
pub const CAST_KEPT: usize = 8;

/// `[{tag}]` → the first [`CAST_KEPT`] tag strings.
pub(crate) fn cast<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    tags_limited(d, CAST_KEPT)
}

/// A list whose elements may be odd: odd elements are skipped, a non-list is empty.
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(el) = seq.next_element::<MaybeT<T>>()? {
                if let MaybeT(Some(v)) = el {
                    out.push(v);
                }
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            // One object where a list was expected.
            let v = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(vec![v])
        }
        fn visit_unit<E>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

thread_local! {
    /// Most elements [`bounded_list`] keeps (set around one synchronous parse).
    static LIST_LIMIT: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Runs `parse` (synchronous) with [`bounded_list`] keeping at most `limit` elements.
pub(crate) fn with_list_limit<R>(limit: usize, parse: impl FnOnce() -> R) -> R {
    struct Reset(usize);
    impl Drop for Reset {
        fn drop(&mut self) {
            LIST_LIMIT.with(|l| l.set(self.0));
        }
    }
    let _reset = Reset(LIST_LIMIT.with(|l| l.replace(limit)));
    parse()
}

/// Like [`list`], but keeps at most the limit set by [`with_list_limit`] (everything by
/// default); elements past it are skipped without being built, so a huge list of `{}` costs
/// no memory beyond the body that holds it.
pub(crate) fn bounded_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(usize, std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let limit = self.0;
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(limit).min(4096));
            while out.len() < limit {
                match seq.next_element::<MaybeT<T>>()? {
                    Some(MaybeT(Some(v))) => out.push(v),
                    Some(MaybeT(None)) => {}
                    None => return Ok(out),
                }
            }
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            let v = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(if self.0 == 0 { Vec::new() } else { vec![v] })
        }
        fn visit_unit<E>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }
    let limit = LIST_LIMIT.with(|l| l.get());
    d.deserialize_any(V(limit, std::marker::PhantomData))
}

/// An element that is an object is parsed as `T`; anything else is skipped.
struct MaybeT<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for MaybeT<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = MaybeT<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MaybeT<T>, A::Error> {
                Ok(MaybeT(Some(T::deserialize(
                    de::value::MapAccessDeserializer::new(map),
                )?)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeT<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeT(None))
            }
            fn visit_unit<E>(self) -> Result<MaybeT<T>, E> {
                Ok(MaybeT(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<MaybeT<T>, E> {
                Ok(MaybeT(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<MaybeT<T>, E> {
                Ok(MaybeT(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybeT<T>, E> {
                Ok(MaybeT(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybeT<T>, E> {
                Ok(MaybeT(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybeT<T>, E> {
                Ok(MaybeT(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Page {
        #[serde(default, deserialize_with = "bounded_list")]
        items: Vec<serde_json::Map<String, serde_json::Value>>,
        #[serde(default, deserialize_with = "list")]
        other: Vec<serde_json::Map<String, serde_json::Value>>,
    }

    #[test]
    fn bounded_lists_stop_at_the_limit_and_only_while_it_is_set() {
        let body = r#"{"items":[{"a":1},5,{"b":2},{"c":3},{}],"other":[{},{},{}]}"#;
        let p: Page = with_list_limit(2, || serde_json::from_str(body)).unwrap();
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[1].get("b"), Some(&serde_json::json!(2)));
        // Other lists are not bounded.
        assert_eq!(p.other.len(), 3);
        // The limit is gone afterwards, also after a failed parse.
        let bad: Result<Page, _> = with_list_limit(1, || serde_json::from_str("{\"items\":["));
        assert!(bad.is_err());
        let p: Page = serde_json::from_str(body).unwrap();
        assert_eq!(p.items.len(), 4);
        let p: Page = with_list_limit(0, || serde_json::from_str(r#"{"items":{"a":1}}"#)).unwrap();
        assert!(p.items.is_empty());
        // What is skipped must still be valid JSON.
        let bad: Result<Page, _> =
            with_list_limit(1, || serde_json::from_str(r#"{"items":[{},{"x":}]}"#));
        assert!(bad.is_err());
    }

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "flag")]
        a: bool,
        #[serde(default, deserialize_with = "flag")]
        b: bool,
        #[serde(default, deserialize_with = "flag")]
        c: bool,
        #[serde(default, deserialize_with = "flag")]
        d: bool,
        #[serde(default, deserialize_with = "opt_u32")]
        n: Option<u32>,
        #[serde(default, deserialize_with = "opt_u32")]
        s: Option<u32>,
        #[serde(default, deserialize_with = "opt_string")]
        key: Option<String>,
        #[serde(default, deserialize_with = "tags")]
        g: Vec<String>,
        #[serde(default, deserialize_with = "opt_f64")]
        f: Option<f64>,
    }

    #[test]
    fn tolerant() {
        let t: T = serde_json::from_str(
            r#"{"a":true,"b":1,"c":"1","d":null,"n":"12","s":{"x":1},"key":7,
                "g":[{"tag":"Drama"},{"x":1},3,{"tag":null},{"tag":"Action"}],"f":"8.5","zzz":[1,2]}"#,
        )
        .unwrap();
        assert!(t.a && t.b && t.c && !t.d);
        assert_eq!(t.n, Some(12));
        assert_eq!(t.s, None);
        assert_eq!(t.key.as_deref(), Some("7"));
        assert_eq!(t.g, vec!["Drama", "Action"]);
        assert_eq!(t.f, Some(8.5));
        let t: T = serde_json::from_str("{}").unwrap();
        assert!(!t.a && t.n.is_none() && t.g.is_empty());
    }
}
