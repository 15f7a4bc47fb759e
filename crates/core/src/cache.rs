//! The catalog cache, one format for both front ends, so the next start (the app) or the
//! next `pick` (the CLI) need not load the libraries again.
//!
//! A compact binary file: a header (a magic, the format's version, the body's length and its
//! CRC-32) and the body in [postcard](https://docs.rs/postcard). It is only a cache: anything
//! wrong with it (missing, damaged, of another version, too big, for another server) means
//! "load again", never "trust it". It is written like every file of the core: atomically,
//! 0600 in a 0700 folder.
//!
//! The body is laid out for a fast start (a cached pick reads it whole): the strings that
//! repeat across titles (genres, directors, cast, content ratings, library names) are stored
//! once in a table and referred to by number, so reading allocates one shared
//! [`picker::Text`] per distinct value rather than one string per mention; and the picker's
//! index is stored after the titles ([`picker::CatalogIndex`], tagged with
//! [`picker::INDEX_VERSION`]), so it need not be built again. An index of another version,
//! or one that does not fit the titles, is simply built again.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::Path;

use picker::{Catalog, CatalogIndex, Episode, IndexedCatalog, Kind, Text, Title};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// The first bytes of every cache file.
pub const MAGIC: &[u8; 8] = b"PPCATLG\0";
/// Bumped whenever the body's shape (this module's types or the picker's `Title`) changes:
/// postcard is positional, so a file of another shape must not be read. 2: the string table
/// and the stored index.
pub const FORMAT_VERSION: u32 = 2;
/// A cache file larger than this is not read (a 200,000-title catalog takes about 60 MB).
pub const MAX_CACHE_BYTES: u64 = 512 << 20;

const HEADER_LEN: usize = 8 + 4 + 8 + 4;

/// One loaded library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryRef {
    /// The section key.
    pub key: String,
    pub title: String,
    pub kind: plex_client::SectionKind,
}

/// What is cached.
#[derive(Debug, Clone)]
pub struct CachedCatalog {
    /// The server's machine identifier (`"demo"` for the demo library).
    pub server_id: String,
    /// The server's name when it was loaded.
    pub server_name: String,
    /// What was asked for: the library keys (the app) or the `--library` words (the CLI),
    /// normalised by the front end.
    pub selection: Vec<String>,
    /// The libraries loaded.
    pub libraries: Vec<LibraryRef>,
    /// When it was loaded (Unix seconds).
    pub loaded_at: i64,
    /// The titles, with the picker's index of them.
    pub catalog: IndexedCatalog,
}

impl PartialEq for CachedCatalog {
    /// The same server, selection, libraries, time and titles (the index follows from them).
    fn eq(&self, other: &Self) -> bool {
        self.server_id == other.server_id
            && self.server_name == other.server_name
            && self.selection == other.selection
            && self.libraries == other.libraries
            && self.loaded_at == other.loaded_at
            && self.catalog.catalog() == other.catalog.catalog()
    }
}

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    Missing,
    TooBig(u64),
    NotACache,
    OtherVersion(u32),
    Damaged(String),
}

/// The body's first part: everything but the titles and the index.
#[derive(Serialize)]
struct HeadOut<'a> {
    server_id: &'a str,
    server_name: &'a str,
    selection: &'a [String],
    libraries: &'a [LibraryRef],
    loaded_at: i64,
    strings: Vec<&'a str>,
}

#[derive(Deserialize)]
struct HeadIn {
    server_id: String,
    server_name: String,
    selection: Vec<String>,
    libraries: Vec<LibraryRef>,
    loaded_at: i64,
    strings: Vec<String>,
}

/// The repeated strings of a catalog, numbered in order of first mention.
#[derive(Default)]
struct Table<'a> {
    numbers: HashMap<&'a str, u32>,
    strings: Vec<&'a str>,
}

impl<'a> Table<'a> {
    fn of(catalog: &'a Catalog) -> Result<Self> {
        let mut table = Table::default();
        for t in &catalog.titles {
            let repeated = t.genres.iter().chain(&t.directors).chain(&t.cast);
            for s in repeated.chain(&t.content_rating).chain([&t.library]) {
                if !table.numbers.contains_key(s.as_str()) {
                    let n = u32::try_from(table.strings.len()).map_err(|_| Error::Encode {
                        what: "the catalog cache",
                        why: "more than 2^32 distinct names".into(),
                    })?;
                    table.numbers.insert(s.as_str(), n);
                    table.strings.push(s.as_str());
                }
            }
        }
        Ok(table)
    }

    fn number(&self, s: &str) -> u32 {
        // Every string was numbered by `of` from the same catalog.
        self.numbers.get(s).copied().unwrap_or(0)
    }
}

/// Numbers of the table, serialised in place of strings.
struct Numbers<'a, 't>(&'a [Text], &'a Table<'t>);

impl Serialize for Numbers<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for t in self.0 {
            seq.serialize_element(&self.1.number(t))?;
        }
        seq.end()
    }
}

/// One title as stored: [`Title`]'s fields in order, the repeated ones as numbers.
struct TitleOut<'a, 't>(&'a Title, &'a Table<'t>);

impl Serialize for TitleOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (t, table) = (self.0, self.1);
        let mut st = s.serialize_struct("Title", 21)?;
        st.serialize_field("id", &t.id)?;
        st.serialize_field("kind", &t.kind)?;
        st.serialize_field("title", &t.title)?;
        st.serialize_field("year", &t.year)?;
        st.serialize_field("summary", &t.summary)?;
        st.serialize_field("duration_ms", &t.duration_ms)?;
        st.serialize_field("genres", &Numbers(&t.genres, table))?;
        st.serialize_field("directors", &Numbers(&t.directors, table))?;
        st.serialize_field("cast", &Numbers(&t.cast, table))?;
        st.serialize_field(
            "content_rating",
            &t.content_rating.as_deref().map(|r| table.number(r)),
        )?;
        st.serialize_field("critic_rating", &t.critic_rating)?;
        st.serialize_field("audience_rating", &t.audience_rating)?;
        st.serialize_field("view_count", &t.view_count)?;
        st.serialize_field("last_viewed_at", &t.last_viewed_at)?;
        st.serialize_field("added_at", &t.added_at)?;
        st.serialize_field("thumb", &t.thumb)?;
        st.serialize_field("library", &table.number(&t.library))?;
        st.serialize_field("leaf_count", &t.leaf_count)?;
        st.serialize_field("viewed_leaf_count", &t.viewed_leaf_count)?;
        st.serialize_field("episodes", &t.episodes)?;
        st.end()
    }
}

struct TitlesOut<'a, 't>(&'a [Title], &'a Table<'t>);

impl Serialize for TitlesOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for t in self.0 {
            seq.serialize_element(&TitleOut(t, self.1))?;
        }
        seq.end()
    }
}

thread_local! {
    /// The string table of the body being decoded on this thread (see [`decode`]).
    static TABLE: RefCell<Vec<Text>> = const { RefCell::new(Vec::new()) };
}

/// Sets the decoding table for as long as it lives.
struct TableGuard;

impl TableGuard {
    fn set(strings: &[Text]) -> Self {
        TABLE.with(|t| *t.borrow_mut() = strings.to_vec());
        TableGuard
    }
}

impl Drop for TableGuard {
    fn drop(&mut self) {
        TABLE.with(|t| t.borrow_mut().clear());
    }
}

fn lookup<E: serde::de::Error>(n: u32) -> std::result::Result<Text, E> {
    TABLE.with(|t| {
        t.borrow()
            .get(n as usize)
            .cloned()
            .ok_or_else(|| E::custom(format!("name {n} is not in the table")))
    })
}

fn text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Text, D::Error> {
    lookup(u32::deserialize(d)?)
}

fn maybe_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Text>, D::Error> {
    Option::<u32>::deserialize(d)?.map(lookup).transpose()
}

fn texts<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<Text>, D::Error> {
    struct Visit;
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = Vec<Text>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of names")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<Text>, A::Error> {
            // A claimed length is only a hint: at most a few are made room for up front.
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(n) = seq.next_element::<u32>()? {
                out.push(lookup(n)?);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Visit)
}

/// One title as stored (see [`TitleOut`]).
#[derive(Deserialize)]
struct TitleIn {
    id: String,
    kind: Kind,
    title: String,
    year: Option<u16>,
    summary: String,
    duration_ms: Option<u64>,
    #[serde(deserialize_with = "texts")]
    genres: Vec<Text>,
    #[serde(deserialize_with = "texts")]
    directors: Vec<Text>,
    #[serde(deserialize_with = "texts")]
    cast: Vec<Text>,
    #[serde(deserialize_with = "maybe_text")]
    content_rating: Option<Text>,
    critic_rating: Option<f32>,
    audience_rating: Option<f32>,
    view_count: u32,
    last_viewed_at: Option<i64>,
    added_at: Option<i64>,
    thumb: Option<String>,
    #[serde(deserialize_with = "text")]
    library: Text,
    leaf_count: u32,
    viewed_leaf_count: u32,
    episodes: Vec<Episode>,
}

impl From<TitleIn> for Title {
    fn from(t: TitleIn) -> Self {
        Title {
            id: t.id,
            kind: t.kind,
            title: t.title,
            year: t.year,
            summary: t.summary,
            duration_ms: t.duration_ms,
            genres: t.genres,
            directors: t.directors,
            cast: t.cast,
            content_rating: t.content_rating,
            critic_rating: t.critic_rating,
            audience_rating: t.audience_rating,
            view_count: t.view_count,
            last_viewed_at: t.last_viewed_at,
            added_at: t.added_at,
            thumb: t.thumb,
            library: t.library,
            leaf_count: t.leaf_count,
            viewed_leaf_count: t.viewed_leaf_count,
            episodes: t.episodes,
        }
    }
}

/// A chunk's titles, appended straight to a list of `Title`s.
struct AppendTitles<'v>(&'v mut Vec<Title>);

impl<'de> serde::de::DeserializeSeed<'de> for AppendTitles<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        struct Visit<'v>(&'v mut Vec<Title>);
        impl<'de> serde::de::Visitor<'de> for Visit<'_> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of titles")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<(), A::Error> {
                // A claimed length is only a hint: no more than a chunk's worth up front.
                self.0.reserve(seq.size_hint().unwrap_or(0).min(CHUNK));
                while let Some(t) = seq.next_element::<TitleIn>()? {
                    self.0.push(Title::from(t));
                }
                Ok(())
            }
        }
        d.deserialize_seq(Visit(self.0))
    }
}

/// Appends the titles of one chunk to `out` (the table set for this thread).
fn decode_chunk(chunk: &[u8], out: &mut Vec<Title>) -> std::result::Result<(), postcard::Error> {
    use serde::de::DeserializeSeed;
    let mut de = postcard::Deserializer::from_bytes(chunk);
    AppendTitles(out).deserialize(&mut de)?;
    if !de.finalize()?.is_empty() {
        return Err(postcard::Error::DeserializeBadEncoding);
    }
    Ok(())
}

/// Reads a body part by part, counting what is left and folding every byte into a CRC-32.
struct Reading<R> {
    inner: R,
    crc: crc32fast::Hasher,
    left: u64,
}

impl<R: Read> Reading<R> {
    fn exact(&mut self, buf: &mut [u8]) -> std::result::Result<(), Unusable> {
        if buf.len() as u64 > self.left {
            return Err(Unusable::Damaged("a part runs past its end".into()));
        }
        self.inner
            .read_exact(buf)
            .map_err(|e| Unusable::Damaged(e.to_string()))?;
        self.crc.update(buf);
        self.left -= buf.len() as u64;
        Ok(())
    }

    /// A LEB128 number (postcard's varint).
    fn number(&mut self) -> std::result::Result<u64, Unusable> {
        let mut n = 0u64;
        for i in 0..10 {
            let mut b = [0u8];
            self.exact(&mut b)?;
            n |= u64::from(b[0] & 0x7f) << (7 * i);
            if b[0] & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(Unusable::Damaged("a number is too long".into()))
    }

    /// A length-prefixed part into `buf` (its room reused from part to part).
    fn blob(&mut self, buf: &mut Vec<u8>) -> std::result::Result<(), Unusable> {
        let n = self.number()?;
        if n > self.left {
            return Err(Unusable::Damaged("a part runs past its end".into()));
        }
        // Read straight into the buffer's room (no zero-filling first: a chunk is a few
        // hundred KiB, read about once per 4,096 titles).
        buf.clear();
        let got = (&mut self.inner)
            .take(n)
            .read_to_end(buf)
            .map_err(|e| Unusable::Damaged(e.to_string()))?;
        if got as u64 != n {
            return Err(Unusable::Damaged("it ends early".into()));
        }
        self.crc.update(buf);
        self.left -= n;
        Ok(())
    }
}

/// The fewest bytes a stored title takes (one per field).
const MIN_TITLE_BYTES: u64 = 20;

/// Reads a cache of `size` bytes from `r`, checking everything [`encode`] wrote. The body is
/// read part by part (a chunk of titles at a time into one reused buffer), never held whole;
/// its checksum is checked at the end, before anything read is used.
fn decode_from(mut r: impl Read, size: u64) -> std::result::Result<CachedCatalog, Unusable> {
    let mut header = [0u8; HEADER_LEN];
    if size < HEADER_LEN as u64 || r.read_exact(&mut header).is_err() {
        return Err(Unusable::NotACache);
    }
    if &header[..8] != MAGIC {
        return Err(Unusable::NotACache);
    }
    let word = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let version = word(8);
    if version != FORMAT_VERSION {
        return Err(Unusable::OtherVersion(version));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&header[12..20]);
    let len = u64::from_le_bytes(len);
    if len != size - HEADER_LEN as u64 {
        return Err(Unusable::Damaged("its length does not match".into()));
    }
    let damaged = |e: postcard::Error| Unusable::Damaged(e.to_string());
    let mut body = Reading {
        inner: r,
        crc: crc32fast::Hasher::new(),
        left: len,
    };
    let mut buf = Vec::new();
    body.blob(&mut buf)?;
    let head: HeadIn = postcard::from_bytes(&buf).map_err(damaged)?;
    let strings: Vec<Text> = head.strings.into_iter().map(Text::from).collect();
    let chunks = body.number()?;
    // Room for what the chunks claim, within what the body can hold.
    let room = chunks
        .saturating_mul(CHUNK as u64)
        .min(body.left / MIN_TITLE_BYTES);
    let mut titles = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    {
        let _table = TableGuard::set(&strings);
        for _ in 0..chunks {
            body.blob(&mut buf)?;
            decode_chunk(&buf, &mut titles).map_err(damaged)?;
        }
    }
    drop(buf);
    let index_version = body.number()?;
    let mut index = Vec::new();
    body.blob(&mut index)?;
    if body.left != 0 {
        return Err(Unusable::Damaged("it has bytes after its end".into()));
    }
    if body.crc.finalize() != word(20) {
        return Err(Unusable::Damaged("its checksum does not match".into()));
    }
    // An index of another picker, or one that does not fit the titles, is built again.
    let index = (index_version == u64::from(picker::INDEX_VERSION))
        .then(|| postcard::from_bytes::<CatalogIndex>(&index).ok())
        .flatten();
    Ok(CachedCatalog {
        server_id: head.server_id,
        server_name: head.server_name,
        selection: head.selection,
        libraries: head.libraries,
        loaded_at: head.loaded_at,
        catalog: IndexedCatalog::from_parts(Catalog::new(titles), index),
    })
}

fn encode_error(e: postcard::Error) -> Error {
    Error::Encode {
        what: "the catalog cache",
        why: e.to_string(),
    }
}

/// Titles per chunk of the body: the reader holds one chunk's bytes at a time.
const CHUNK: usize = 4096;

/// Passes bytes on, counting them and folding them into a CRC-32.
struct Summed<W> {
    inner: W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.crc.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A number as postcard writes one (LEB128), read back by `Reading::number`.
fn write_len(w: &mut impl Write, mut n: usize) -> std::io::Result<()> {
    let mut buf = [0u8; 10];
    let mut i = 0;
    while n >= 0x80 {
        buf[i] = (n as u8) | 0x80;
        n >>= 7;
        i += 1;
    }
    buf[i] = n as u8;
    w.write_all(&buf[..=i])
}

fn write_blob(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    write_len(w, bytes.len())?;
    w.write_all(bytes)
}

fn io_error(e: std::io::Error) -> Error {
    Error::Encode {
        what: "the catalog cache",
        why: e.to_string(),
    }
}

/// Writes the header and the body to `out` as they are made (the body is never held
/// whole): a placeholder header first, the real one (length, checksum) once the body is
/// written.
fn write_to<W: Write + Seek>(
    cached: &CachedCatalog,
    table: &Table<'_>,
    index_version: u32,
    index: &[u8],
    mut out: W,
) -> Result<W> {
    let catalog = cached.catalog.catalog();
    let start = out.stream_position().map_err(io_error)?;
    out.write_all(&[0; HEADER_LEN]).map_err(io_error)?;
    let mut body = Summed {
        inner: std::io::BufWriter::with_capacity(1 << 16, out),
        crc: crc32fast::Hasher::new(),
        len: 0,
    };
    let head = HeadOut {
        server_id: &cached.server_id,
        server_name: &cached.server_name,
        selection: &cached.selection,
        libraries: &cached.libraries,
        loaded_at: cached.loaded_at,
        strings: table.strings.clone(),
    };
    let mut chunk = postcard::to_allocvec(&head).map_err(encode_error)?;
    write_blob(&mut body, &chunk).map_err(io_error)?;
    write_len(&mut body, catalog.titles.len().div_ceil(CHUNK)).map_err(io_error)?;
    for titles in catalog.titles.chunks(CHUNK) {
        chunk.clear();
        chunk = postcard::to_extend(&TitlesOut(titles, table), chunk).map_err(encode_error)?;
        write_blob(&mut body, &chunk).map_err(io_error)?;
    }
    drop(chunk);
    write_len(&mut body, index_version as usize).map_err(io_error)?;
    write_blob(&mut body, index).map_err(io_error)?;
    let (len, crc) = (body.len, body.crc.finalize());
    let mut out = body
        .inner
        .into_inner()
        .map_err(|e| io_error(e.into_error()))?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&len.to_le_bytes());
    header.extend_from_slice(&crc.to_le_bytes());
    out.seek(SeekFrom::Start(start)).map_err(io_error)?;
    out.write_all(&header).map_err(io_error)?;
    out.seek(SeekFrom::End(0)).map_err(io_error)?;
    Ok(out)
}

/// The file's bytes: header and body.
pub fn encode(cached: &CachedCatalog) -> Result<Vec<u8>> {
    let index = postcard::to_allocvec(cached.catalog.index()).map_err(encode_error)?;
    let table = Table::of(cached.catalog.catalog())?;
    encode_parts(cached, &table, picker::INDEX_VERSION, &index)
}

fn encode_parts(
    cached: &CachedCatalog,
    table: &Table<'_>,
    index_version: u32,
    index: &[u8],
) -> Result<Vec<u8>> {
    let out = write_to(cached, table, index_version, index, Cursor::new(Vec::new()))?;
    Ok(out.into_inner())
}

/// Reads a file's bytes back, checking everything [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> std::result::Result<CachedCatalog, Unusable> {
    decode_from(bytes, bytes.len() as u64)
}

/// The cache file of a server in the folder `dir` (the app keeps one per server). The id is
/// reduced to letters, digits, `-` and `_`, so it cannot name a file elsewhere.
pub fn file_for(dir: &Path, server_id: &str) -> std::path::PathBuf {
    let safe: String = server_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    dir.join(format!("catalog-{safe}.bin"))
}

/// The CLI's one cache file, beside its settings (its selection of libraries is inside).
pub const CLI_FILE: &str = "cli-catalog.bin";
/// The CLI's cache file before the binary format.
pub const CLI_OLD_FILE: &str = "cli-catalog.json";

/// Removes every cached catalog in `dir` (on sign-out), the app's and the CLI's, of this
/// format or an older one, and nothing else.
pub fn clear(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("catalog-") || name == CLI_FILE || name == CLI_OLD_FILE {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Reads the cache at `path`.
pub fn read(path: &Path) -> std::result::Result<CachedCatalog, Unusable> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Damaged(e.to_string())),
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_CACHE_BYTES {
        return Err(Unusable::TooBig(size));
    }
    // Read as it is decoded (never more than the size it had when opened).
    decode_from(
        std::io::BufReader::with_capacity(1 << 16, file.take(size)),
        size,
    )
}

/// The cache at `path`, if it is usable and for `server_id`.
pub fn load(path: &Path, server_id: &str) -> Option<CachedCatalog> {
    read(path).ok().filter(|c| c.server_id == server_id)
}

/// Writes the cache atomically (temp file, fsync, rename), 0600 in a 0700 folder, as it is
/// encoded (a big catalog's body is never held in memory whole).
pub fn save(path: &Path, cached: &CachedCatalog) -> Result<()> {
    let index = postcard::to_allocvec(cached.catalog.index()).map_err(encode_error)?;
    let table = Table::of(cached.catalog.catalog())?;
    crate::fs::write_atomic_with(path, |file| {
        write_to(cached, &table, picker::INDEX_VERSION, &index, file).map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached() -> CachedCatalog {
        let mut show = picker::Title::show("2", "A Show");
        show.genres = vec!["Drama".into()];
        show.episodes = vec![picker::Episode {
            id: "21".into(),
            season: 1,
            index: 1,
            ..picker::Episode::default()
        }];
        CachedCatalog {
            server_id: "m1".into(),
            server_name: "Home Server".into(),
            selection: vec!["1".into(), "2".into()],
            libraries: vec![LibraryRef {
                key: "1".into(),
                title: "Movies".into(),
                kind: plex_client::SectionKind::Movie,
            }],
            loaded_at: 42,
            catalog: picker::Catalog::new(vec![picker::Title::movie("1", "A Film"), show]).into(),
        }
    }

    /// Two titles with every field set, sharing names.
    fn full() -> CachedCatalog {
        let mut names = picker::Interner::new();
        let mut film = picker::Title {
            year: Some(1999),
            summary: "A heist in space.".into(),
            duration_ms: Some(6_000_000),
            genres: vec![names.text("Sci-Fi"), names.text("Thriller")],
            directors: vec![names.text("Ann Lee")],
            cast: vec![names.text("Bo Li"), names.text("Cy Dee")],
            content_rating: Some(names.text("PG-13")),
            critic_rating: Some(7.5),
            audience_rating: Some(f32::NAN),
            view_count: 2,
            last_viewed_at: Some(1_700_000_000),
            added_at: Some(1_600_000_000),
            thumb: Some("/library/metadata/1/thumb/1".into()),
            library: names.text("Films"),
            ..picker::Title::movie("1", "Heist")
        };
        let mut show = picker::Title {
            genres: vec![names.text("Thriller")],
            cast: vec![names.text("Bo Li")],
            content_rating: Some(names.text("TV-14")),
            library: names.text("TV"),
            leaf_count: 2,
            viewed_leaf_count: 1,
            ..picker::Title::show("2", "A Show")
        };
        show.episodes = vec![
            picker::Episode {
                id: "21".into(),
                season: 1,
                index: 1,
                title: "Pilot".into(),
                duration_ms: Some(1_800_000),
                view_count: 1,
            },
            picker::Episode {
                id: "22".into(),
                season: 1,
                index: 2,
                ..picker::Episode::default()
            },
        ];
        film.critic_rating = Some(7.5);
        CachedCatalog {
            catalog: picker::Catalog::new(vec![film, show]).into(),
            ..cached()
        }
    }

    #[test]
    fn every_field_round_trips_with_the_index_and_shared_names() {
        let c = full();
        let back = decode(&encode(&c).unwrap()).unwrap();
        let (a, b) = (
            &back.catalog.catalog().titles[0],
            &back.catalog.catalog().titles[1],
        );
        // Field by field (NaN is not equal to itself, so not through PartialEq).
        let want = &c.catalog.catalog().titles[0];
        assert_eq!(a.audience_rating.map(f32::is_nan), Some(true));
        assert_eq!(
            (&a.id, &a.title, a.year, &a.summary, a.duration_ms),
            (
                &want.id,
                &want.title,
                want.year,
                &want.summary,
                want.duration_ms
            )
        );
        assert_eq!(
            (&a.genres, &a.directors, &a.cast, &a.content_rating),
            (
                &want.genres,
                &want.directors,
                &want.cast,
                &want.content_rating
            )
        );
        assert_eq!(
            (
                a.critic_rating,
                a.view_count,
                a.last_viewed_at,
                a.added_at,
                &a.thumb,
                &a.library
            ),
            (
                want.critic_rating,
                want.view_count,
                want.last_viewed_at,
                want.added_at,
                &want.thumb,
                &want.library
            )
        );
        assert_eq!(b, &c.catalog.catalog().titles[1]);
        // The stored index is the one the titles give.
        assert_eq!(
            back.catalog.index(),
            picker::IndexedCatalog::new(back.catalog.catalog().clone()).index()
        );
        // Names that repeat are one string in memory.
        assert!(std::ptr::eq(a.genres[1].as_ptr(), b.genres[0].as_ptr()));
        assert!(std::ptr::eq(a.cast[0].as_ptr(), b.cast[0].as_ptr()));
        // Same picks from the decoded catalog as from the original.
        let ctx = picker::PickContext::new(1_750_000_000, 20 * 60, 3);
        let history = picker::History::default();
        let choices = picker::Choices::default();
        assert_eq!(
            back.catalog.pick(&choices, &history, &ctx),
            c.catalog.pick(&choices, &history, &ctx)
        );
    }

    #[test]
    fn an_index_of_another_version_or_that_does_not_fit_is_built_again() {
        let c = full();
        let built = c.catalog.index().clone();
        let table = Table::of(c.catalog.catalog()).unwrap();
        let decoded = |version: u32, index: &[u8]| {
            decode(&encode_parts(&c, &table, version, index).unwrap())
                .expect("the titles are still usable")
        };
        let good = postcard::to_allocvec(&built).unwrap();
        assert_eq!(
            decoded(picker::INDEX_VERSION, &good).catalog.index(),
            &built
        );
        // Another picker's index: not even parsed.
        let other = decoded(picker::INDEX_VERSION + 1, b"not an index");
        assert_eq!(other.catalog.index(), &built);
        // This version's tag on bytes that are not an index.
        assert_eq!(
            decoded(picker::INDEX_VERSION, b"\xff\xff\xff")
                .catalog
                .index(),
            &built
        );
        // A well-formed index of another catalog (one title only).
        let one =
            picker::IndexedCatalog::new(picker::Catalog::new(vec![
                c.catalog.catalog().titles[0].clone()
            ]));
        let stale = postcard::to_allocvec(one.index()).unwrap();
        assert_eq!(
            decoded(picker::INDEX_VERSION, &stale).catalog.index(),
            &built
        );
    }

    #[test]
    fn a_catalog_of_many_chunks_reads_back_in_order_and_is_saved_as_it_is_written() {
        let catalog = picker::testing::synthetic_catalog(3 * CHUNK + 5, 11);
        let c = CachedCatalog {
            catalog: catalog.into(),
            ..cached()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.bin");
        save(&path, &c).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes, encode(&c).unwrap(), "saved as encoded");
        let back = decode(&bytes).unwrap();
        let ids = |c: &CachedCatalog| -> Vec<String> {
            c.catalog
                .catalog()
                .titles
                .iter()
                .map(|t| t.id.clone())
                .collect()
        };
        assert_eq!(ids(&back), ids(&c));
        assert_eq!(back.catalog.index(), c.catalog.index());
        // A damaged chunk (checksum made to match) is damage, or reads as titles still.
        let mut bad = bytes.clone();
        let at = bad.len() / 2;
        bad[at] = 0xff;
        bad[at + 1] = 0xff;
        let crc = crc32fast::hash(&bad[HEADER_LEN..]);
        bad[20..24].copy_from_slice(&crc.to_le_bytes());
        match decode(&bad) {
            Err(Unusable::Damaged(_)) => {}
            // Bytes inside a string can change without breaking the shape: then the
            // titles still read, in the same number.
            Ok(other) => assert_eq!(other.catalog.catalog().len(), 3 * CHUNK + 5),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_name_missing_from_the_table_is_damage_not_a_panic() {
        let c = full();
        let mut table = Table::of(c.catalog.catalog()).unwrap();
        table.strings.truncate(2);
        let index = postcard::to_allocvec(c.catalog.index()).unwrap();
        let bytes = encode_parts(&c, &table, picker::INDEX_VERSION, &index).unwrap();
        assert!(matches!(decode(&bytes), Err(Unusable::Damaged(_))));
    }

    #[test]
    fn a_saved_cache_reads_back_the_same_with_its_server_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("catalog.bin");
        save(&path, &cached()).unwrap();
        assert_eq!(load(&path, "m1"), Some(cached()));
        assert_eq!(load(&path, "other"), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn anything_wrong_with_the_file_means_load_again() {
        let good = encode(&cached()).unwrap();
        assert_eq!(decode(&good), Ok(cached()));
        assert_eq!(decode(b""), Err(Unusable::NotACache));
        assert_eq!(decode(b"{\"server_id\":\"m1\"}"), Err(Unusable::NotACache));
        let mut other = good.clone();
        other[8] = 9;
        assert_eq!(decode(&other), Err(Unusable::OtherVersion(9)));
        // Every single flipped bit of the body is caught by the checksum.
        for i in (HEADER_LEN..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[i] ^= 0x10;
            assert!(
                matches!(decode(&bad), Err(Unusable::Damaged(_))),
                "byte {i}"
            );
        }
        // Cut short, or with bytes added.
        assert!(matches!(
            decode(&good[..good.len() - 1]),
            Err(Unusable::Damaged(_))
        ));
        let mut longer = good.clone();
        longer.push(0);
        assert!(matches!(decode(&longer), Err(Unusable::Damaged(_))));
        // A header that claims a huge body with a matching checksum of nothing.
        let mut lying = good[..HEADER_LEN].to_vec();
        lying[12..20].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(decode(&lying), Err(Unusable::Damaged(_))));
    }

    #[test]
    fn a_body_that_claims_billions_of_titles_is_refused_without_allocating_them() {
        // A well-formed header around a body whose first length prefix says 2^60 items.
        let mut body = Vec::new();
        let mut n: u64 = 1 << 60;
        while n >= 0x80 {
            body.push((n as u8) | 0x80);
            n >>= 7;
        }
        body.push(n as u8);
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        assert!(matches!(decode(&bytes), Err(Unusable::Damaged(_))));
    }

    #[test]
    fn one_file_per_server_that_ids_cannot_escape_and_sign_out_clears_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_for(dir.path(), "abc/../x");
        assert_eq!(path.parent(), Some(dir.path()));
        save(&path, &cached()).unwrap();
        std::fs::write(dir.path().join("catalog-old.json"), b"{}").unwrap();
        std::fs::write(dir.path().join("keep.txt"), b"").unwrap();
        clear(dir.path());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec!["keep.txt".to_string()]);
    }

    #[test]
    fn a_missing_or_oversized_file_is_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.bin");
        assert_eq!(read(&path), Err(Unusable::Missing));
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_CACHE_BYTES + 1).unwrap();
        assert_eq!(read(&path), Err(Unusable::TooBig(MAX_CACHE_BYTES + 1)));
    }
}
