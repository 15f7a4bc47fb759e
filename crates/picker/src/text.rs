//! Allocation-free text helpers: genre normalisation and classification,
//! summary keyword scanning.

/// Bytes of `s` that matter for comparison: ASCII alphanumerics lowercased
/// and every non-ASCII byte; spaces and punctuation are dropped.
fn norm_bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes()
        .filter(|b| !b.is_ascii() || b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_lowercase())
}

/// `s` normalised for comparison ("Sci-Fi" and "sci fi" both become "scifi").
pub fn normalized(s: &str) -> String {
    String::from_utf8_lossy(&norm_bytes(s).collect::<Vec<u8>>()).into_owned()
}

/// [`normalized`] into a reused buffer (valid UTF-8: only whole ASCII
/// characters are dropped).
pub(crate) fn normalize_into(s: &str, buf: &mut Vec<u8>) {
    buf.clear();
    buf.extend(norm_bytes(s));
}

/// Whether `s` normalises to `norm` (already normalised).
#[cfg(test)]
pub(crate) fn norm_eq(s: &str, norm: &str) -> bool {
    norm_bytes(s).eq(norm.bytes())
}

/// Canonical genres the moods know about, as bits of a [`GenreSet`].
pub(crate) mod g {
    pub const ACTION: u32 = 1 << 0;
    pub const ADVENTURE: u32 = 1 << 1;
    pub const ANIMATION: u32 = 1 << 2;
    pub const COMEDY: u32 = 1 << 3;
    pub const CRIME: u32 = 1 << 4;
    pub const DOCUMENTARY: u32 = 1 << 5;
    pub const DRAMA: u32 = 1 << 6;
    pub const FAMILY: u32 = 1 << 7;
    pub const FANTASY: u32 = 1 << 8;
    pub const HISTORY: u32 = 1 << 9;
    pub const HORROR: u32 = 1 << 10;
    pub const KIDS: u32 = 1 << 11;
    pub const MUSIC: u32 = 1 << 12;
    pub const MYSTERY: u32 = 1 << 13;
    pub const ROMANCE: u32 = 1 << 14;
    pub const SCIFI: u32 = 1 << 15;
    pub const THRILLER: u32 = 1 << 16;
    pub const WAR: u32 = 1 << 17;
    pub const WESTERN: u32 = 1 << 18;
    pub const NOIR: u32 = 1 << 19;
    pub const BIOGRAPHY: u32 = 1 << 20;
    pub const SPORT: u32 = 1 << 21;
}

/// Which canonical genres one Plex genre tag stands for.
pub(crate) fn classify_genre(s: &str) -> u32 {
    let mut buf = [0u8; 24];
    let mut len = 0;
    for b in norm_bytes(s) {
        if len == buf.len() {
            return 0;
        }
        buf[len] = b;
        len += 1;
    }
    match &buf[..len] {
        b"action" => g::ACTION,
        b"adventure" => g::ADVENTURE,
        b"actionadventure" => g::ACTION | g::ADVENTURE,
        b"animation" | b"anime" | b"animated" => g::ANIMATION,
        b"comedy" | b"sitcom" | b"standup" | b"standupcomedy" => g::COMEDY,
        b"crime" => g::CRIME,
        b"documentary" | b"docuseries" => g::DOCUMENTARY,
        b"drama" => g::DRAMA,
        b"family" => g::FAMILY,
        b"fantasy" => g::FANTASY,
        b"history" | b"historical" => g::HISTORY,
        b"horror" => g::HORROR,
        b"kids" | b"children" | b"childrens" => g::KIDS,
        b"music" | b"musical" => g::MUSIC,
        b"mystery" => g::MYSTERY,
        b"romance" | b"romantic" | b"romanticcomedy" => g::ROMANCE,
        b"scifi" | b"sciencefiction" => g::SCIFI,
        b"scififantasy" | b"sciencefictionfantasy" => g::SCIFI | g::FANTASY,
        b"thriller" | b"suspense" => g::THRILLER,
        b"war" | b"warpolitics" => g::WAR,
        b"western" => g::WESTERN,
        b"filmnoir" | b"noir" | b"neonoir" => g::NOIR,
        b"biography" | b"biopic" => g::BIOGRAPHY,
        b"sport" | b"sports" => g::SPORT,
        _ => 0,
    }
}

/// The canonical genres of a list of tags.
pub(crate) fn genre_set<S: AsRef<str>>(genres: &[S]) -> u32 {
    genres
        .iter()
        .fold(0, |acc, s| acc | classify_genre(s.as_ref()))
}

/// Summary keyword groups, as bits of a keyword set.
pub(crate) mod kw {
    pub const MIND: u32 = 1 << 0;
    pub const DYSTOPIA: u32 = 1 << 1;
    pub const FUTURE: u32 = 1 << 2;
    pub const DARK: u32 = 1 << 3;
    pub const FEELGOOD: u32 = 1 << 4;
    pub const LOVE: u32 = 1 << 5;
    pub const TENSION: u32 = 1 << 6;
    pub const SLOW: u32 = 1 << 7;
    pub const VISUAL: u32 = 1 << 8;
}

/// Which keyword group a lowercased word belongs to (0 for none).
fn keyword_group(word: &[u8]) -> u32 {
    match word {
        b"dream" | b"dreams" | b"reality" | b"realities" | b"memory" | b"memories" | b"paradox"
        | b"twist" | b"puzzle" | b"illusion" | b"illusions" | b"loop" | b"simulation"
        | b"parallel" | b"subconscious" | b"identity" | b"labyrinth" | b"perception"
        | b"hallucination" | b"hallucinations" | b"multiverse" | b"timeline" => kw::MIND,
        b"dystopia" | b"dystopian" | b"totalitarian" | b"apocalypse" | b"apocalyptic"
        | b"regime" | b"surveillance" | b"wasteland" | b"oppressive" | b"oppression"
        | b"authoritarian" => kw::DYSTOPIA,
        b"future" | b"futuristic" | b"rebellion" | b"uprising" => kw::FUTURE,
        b"murder" | b"murders" | b"revenge" | b"vengeance" | b"corrupt" | b"corruption"
        | b"violent" | b"violence" | b"brutal" | b"killer" | b"gang" | b"cartel" | b"ruthless"
        | b"sinister" => kw::DARK,
        b"friendship" | b"heartwarming" | b"uplifting" | b"hope" | b"joy" | b"joyful"
        | b"laughter" | b"inspiring" | b"charming" | b"delightful" => kw::FEELGOOD,
        b"love" | b"romance" | b"romantic" | b"couple" | b"wedding" | b"sparks" => kw::LOVE,
        b"chase" | b"escape" | b"hostage" | b"trapped" | b"survive" | b"survival" | b"bomb"
        | b"hunted" | b"countdown" | b"heist" | b"pursuit" => kw::TENSION,
        b"slowly" | b"gradually" | b"quiet" | b"meditative" | b"contemplative" | b"haunting"
        | b"unravel" | b"unravels" | b"intimate" | b"patient" | b"lonely" => kw::SLOW,
        b"epic" | b"stunning" | b"visually" | b"breathtaking" | b"spectacular" | b"spectacle"
        | b"landscapes" | b"sweeping" | b"majestic" | b"gorgeous" => kw::VISUAL,
        _ => 0,
    }
}

/// Calls `f(lowercased_word)` for each ASCII word of `text` (runs of ASCII
/// letters and digits, up to 16 bytes; longer runs are skipped).
fn for_each_word(text: &str, mut f: impl FnMut(&[u8])) {
    let mut buf = [0u8; 16];
    let mut len = 0usize;
    let mut overflow = false;
    for &b in text.as_bytes().iter().chain(std::iter::once(&b' ')) {
        if b.is_ascii_alphanumeric() {
            if len < buf.len() {
                buf[len] = b.to_ascii_lowercase();
                len += 1;
            } else {
                overflow = true;
            }
        } else {
            if len > 0 && !overflow {
                f(&buf[..len]);
            }
            len = 0;
            overflow = false;
        }
    }
}

/// The keyword groups found in a summary.
pub(crate) fn keyword_set(summary: &str) -> u32 {
    let mut set = 0;
    for_each_word(summary, |w| {
        // Every keyword is 3..=14 bytes long; skip the rest cheaply.
        if (3..=14).contains(&w.len()) {
            set |= keyword_group(w);
        }
    });
    set
}

/// The distinct keywords of the groups in `mask` found in a summary, in
/// order of appearance, at most `max`.
pub(crate) fn keywords_in(summary: &str, mask: u32, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for_each_word(summary, |w| {
        if out.len() < max && keyword_group(w) & mask != 0 {
            let s = String::from_utf8_lossy(w).into_owned();
            if !out.contains(&s) {
                out.push(s);
            }
        }
    });
    out
}

/// Whether `word` (lowercase ASCII) occurs in `text` as a whole word, ignoring case.
pub fn contains_word(text: &str, word: &str) -> bool {
    let mut found = false;
    for_each_word(text, |w| found |= w == word.as_bytes());
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genre_normalisation() {
        assert_eq!(normalized("Sci-Fi & Fantasy"), "scififantasy");
        assert!(norm_eq("  Science Fiction ", "sciencefiction"));
        assert!(!norm_eq("Drama", "dramas"));
        assert_eq!(classify_genre("Sci-Fi & Fantasy"), g::SCIFI | g::FANTASY);
        assert_eq!(
            classify_genre("Action & Adventure"),
            g::ACTION | g::ADVENTURE
        );
        assert_eq!(classify_genre("Suspense"), g::THRILLER);
        assert_eq!(classify_genre("Telenovela"), 0);
        assert_eq!(classify_genre(&"x".repeat(100)), 0);
        assert_eq!(normalized("Ciné-Été"), "cinéÉté"); // non-ASCII kept as is
    }

    #[test]
    fn keyword_scanning() {
        let s = "A hacker learns that REALITY is a simulation; the Dream-world... \
                 antidisestablishmentarianism";
        assert_eq!(keyword_set(s), kw::MIND);
        assert_eq!(keywords_in(s, kw::MIND, 2), vec!["reality", "simulation"]);
        assert!(contains_word(s, "dream"));
        assert!(!contains_word(s, "hack"));
        assert_eq!(keyword_set(""), 0);
    }
}
