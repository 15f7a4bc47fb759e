//! The built-in demo library: a small, entirely fictional catalog for
//! "Try the demo" (no account, no network).
//!
//! Every title, plot and name here is invented. The metadata is varied so
//! that every [`Mood`](crate::Mood) has several good matches, in movies and
//! in shows, and every format × watch-history choice yields picks. Dates are
//! relative to [`EPOCH`]; pick with `PickContext::new(demo::EPOCH, ..)` for
//! "added N days ago" to read as intended (a later `now` works too, the
//! titles just look older).
//!
//! [`library`] is deterministic and cheap: no I/O, only a few hundred small
//! allocations.

use crate::catalog::{Catalog, Episode, Title};
use crate::shared::Text;

/// The reference time of the demo library (2026-01-01T00:00:00Z): every
/// `added_at` and `last_viewed_at` is before it.
pub const EPOCH: i64 = 1_767_225_600;

/// Library section of the demo movies.
pub const MOVIE_LIBRARY: &str = "Demo Movies";
/// Library section of the demo shows.
pub const SHOW_LIBRARY: &str = "Demo TV";

const DAY: i64 = 86_400;
const MIN_MS: u64 = 60_000;

/// One movie: title, year, runtime (min), genres (", "-separated), content
/// rating, critic rating, audience rating, view count, days in the library
/// before [`EPOCH`], director, cast (", "-separated), summary.
type MovieRow = (
    &'static str,
    u16,
    u64,
    &'static str,
    Option<&'static str>,
    Option<f32>,
    Option<f32>,
    u32,
    i64,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const MOVIES: &[MovieRow] = &[
    ("The Eleventh Winter", 1952, 118, "War, Drama", None, Some(8.2), Some(7.9), 0, 1040, "Anselm Korvacek", "Dietrich Wollen, Marek Hasp, Ilse Brandauer", "In the frozen winter of 1944, an exhausted patrol must escape encirclement while carrying a wounded enemy officer through the brutal snow."),
    ("The Lantern Keeper's Daughter", 1954, 112, "Drama, Romance", Some("G"), Some(8.4), Some(8.0), 0, 985, "Margit Okonkwo-Hale", "Elsa Varnum, Theo Brandish", "On a lonely island, a lighthouse keeper's daughter falls in love with a shipwrecked cartographer, and their quiet romance slowly changes both their lives."),
    ("Sheriff of Dry Wells", 1957, 98, "Western", None, Some(7.2), Some(7.5), 1, 1020, "Cody Branwell", "Hollis Grange, Verna Tackett, Amos Pell", "A weary sheriff must hold a dusty border town together when a ruthless cattle baron hires a gang to drive the settlers out."),
    ("Night Train to Vesterholm", 1959, 104, "Mystery, Thriller, Crime", None, Some(8.1), Some(7.7), 0, 930, "Edvard Lindqvar", "Signe Mallory, Rupert Ashcombe, Klaus Venner", "A murder aboard a sleeper train leaves an insurance clerk trapped among suspects, each with a reason for revenge, before the last stop at dawn."),
    ("Captain Sparrowhawk and the Sunken Crown", 1962, 121, "Adventure, Family", Some("G"), Some(6.8), Some(7.4), 2, 900, "Rosalind Treharne", "Barnaby Quill, Tobias Fenwright", "A boy stowaway and a one-eyed captain chase a legendary crown across spectacular coral reefs in a sweeping high-seas adventure."),
    ("The Glass Orchard", 1965, 131, "Drama, History", None, Some(8.6), Some(7.9), 0, 1050, "Ilario Benvenuti", "Carla Montessi, Pietro Salvadore", "Over three harvests, a widowed orchard owner and her sons gradually lose their land to a distant war they never see, in a patient and contemplative family portrait."),
    ("Mister Pennywhistle's Marvelous Mix-Up", 1967, 88, "Comedy, Family, Music", Some("G"), Some(6.9), Some(7.6), 1, 700, "Harold Gumbridge", "Percival Dunmore, Winnie Latchford", "When a jingle composer swaps briefcases with a jewel thief, a joyful musical caper full of laughter sends him dancing across the city."),
    ("Orbit of the Silent Moon", 1969, 106, "Science Fiction, Mystery", Some("G"), Some(7.9), Some(7.1), 0, 860, "Yuri Castellane", "Dana Wexcombe, Ivor Stalbridge", "Alone on a survey station, an astronaut begins to doubt her own memory when messages arrive from a crew that never launched."),
    ("The Ransom at Kettle Creek", 1971, 102, "Crime, Thriller", Some("R"), Some(7.6), Some(7.3), 0, 640, "Walt Pemberton", "Dell Corrigan, Jesse Harlow, Ruth Anne Biddle", "Two brothers plan a simple kidnapping that spirals into a hostage standoff, a corrupt deputy and a desperate chase through flooded farmland."),
    ("Dust Over Harrow Plain", 1973, 148, "Western, Drama", Some("R"), Some(8.3), Some(8.0), 1, 1000, "Lucius Marchbank", "Clay Redmond, Esperanza Villaro", "A former gunman rides home seeking vengeance, but the majestic, empty landscapes and a haunting silence slowly change him."),
    ("Fever Street", 1976, 114, "Crime, Drama", Some("R"), Some(8.0), Some(7.8), 0, 420, "Nico Abramoff", "Sal Verducci, Maxine Tolliver", "A night-shift cab dispatcher is pulled into a cartel war when a passenger leaves behind a ledger naming every corrupt cop in the precinct."),
    ("Wayfarers of the Pale Star", 1977, 125, "Science Fiction, Adventure", Some("PG"), Some(7.4), Some(8.2), 3, 1080, "Garrick Holloway", "Jonah Fairweather, Lyra Okafor, Benedikt Zane", "A cargo pilot and a runaway android join a rebellion against a galactic regime in a spectacular space epic."),
    ("The Hollow at Winter Lake", 1979, 94, "Horror, Mystery", Some("R"), Some(7.0), Some(6.6), 0, 300, "Dorothea Kilbride", "Mina Castell, Grant Olofsson, Perry Vance", "Snowed in at a lakeside cabin, five old friends hear something moving beneath the ice and must survive until the thaw."),
    ("Pocket Full of Thunder", 1981, 84, "Animation, Family, Fantasy", Some("G"), Some(7.2), Some(7.6), 0, 1040, "Akiko Marrow", "Penny Lark, Oswald Brimley", "A timid cloud spirit leaves the sky to find its lost thunder in a delightful hand-drawn tale of courage and friendship."),
    ("Valdra of the Broken Sword", 1982, 109, "Action, Adventure, Fantasy", Some("PG-13"), Some(5.8), Some(6.9), 0, 880, "Bram Stoltenberg", "Karin Thorsdottir, Rex Malvern", "A mercenary princess leads a band of outcasts to reclaim a stolen sword in a sword-and-sorcery quest across the northern kingdoms."),
    ("Rooftop Couriers", 1983, 97, "Action, Science Fiction", Some("R"), Some(6.4), Some(7.5), 2, 750, "Vance Kurosawa-Lee", "Jett Mercado, Simone Achterberg", "In a futuristic city ruled by a surveillance regime, a courier gang races stolen data across the rooftops in a breakneck chase."),
    ("Summer at Camp Wapiti", 1984, 92, "Comedy, Family", Some("PG"), Some(6.2), Some(7.3), 4, 820, "Mort Fenstermacher", "Danny Pruitt, Lisa Okonedo-Grant, Beau Haskins", "A hapless counselor and a cabin of misfits must save their run-down summer camp in a week of pranks, friendship and canoe races."),
    ("Scrapyard Starboy", 1985, 101, "Adventure, Science Fiction, Family", Some("PG"), Some(7.3), Some(8.0), 2, 950, "Ronald Ashby", "Timmy Castellano, Gwen Farraday", "A paperboy finds a crashed robot in the town dump, and the two race across the county to escape the government agents on their trail."),
    ("The Roxy Arcade Rewind", 1986, 89, "Comedy, Fantasy", Some("PG-13"), Some(6.0), Some(7.0), 1, 600, "Stacy Vollmer", "Corey Albright, Nina Deschamps, Ray Tolan", "Three teenagers find a haunted arcade cabinet that sends them back to the start of the day, trapping them in a loop until they get prom night right."),
    ("Saxophone Weather", 1986, 96, "Music, Drama, Romance", Some("PG-13"), Some(7.7), Some(7.4), 0, 500, "Odette Marchetti", "Lorna Beaumont, Calvin Reese", "A jazz saxophonist on her last tour falls in love with the radio host who plays her records after midnight."),
    ("Red Ledger", 1987, 117, "Crime, Thriller, Action", Some("R"), Some(7.1), Some(7.4), 0, 540, "Frank Dellacorte", "Mitch Ravello, Joanne Sturgis", "A disgraced detective hunts the ruthless killer who framed him, uncovering corruption that reaches all the way to city hall."),
    ("Heartland Sweethearts", 1988, 103, "Romance, Comedy", Some("PG"), Some(6.5), Some(7.2), 1, 710, "Peggy Lindholm", "Carrie Whitlock, Dean Marbury", "A big-city wedding planner stranded in a farm town strikes sparks with the grumpy mechanic fixing her car."),
    ("Glasswater Protocol", 1989, 118, "Thriller, Action", Some("R"), Some(7.0), Some(7.1), 0, 400, "Lars Vintermark", "Gideon Pryce, Alena Sorokova", "A submarine engineer has twelve hours to stop a rogue crew from launching a bomb, in a countdown thriller beneath the Arctic ice."),
    ("Marigold & Mr. Pruitt", 1992, 99, "Comedy, Romance", Some("PG-13"), Some(6.9), Some(7.3), 2, 560, "Helen Archambault", "Daisy Cranwell, Oliver Pennock", "A sharp-tongued florist and the shy accountant auditing her shop fall into a romance neither of them planned."),
    ("The Paper Labyrinth", 1994, 121, "Mystery, Thriller, Science Fiction", Some("R"), Some(8.2), Some(8.4), 2, 890, "Tomas Irujo", "Greta Vandermeer, Paulo Senna", "A filing clerk learns that the archive where she works rewrites reality overnight, and each morning she must solve the puzzle of who she used to be."),
    ("Three Knives in Tallow", 1995, 108, "Crime, Thriller", Some("R"), Some(7.8), Some(7.9), 0, 1010, "Beau Theriot", "Claudette Arceneaux, Roy Dufresne", "A small-town pharmacist becomes the only witness to a cartel murder, and a brutal week of pursuit through the bayou follows."),
    ("The Long Quiet", 1996, 163, "Drama, Mystery", Some("R"), Some(8.5), Some(7.2), 0, 1060, "Ingrid Solvang", "Henrik Aasland, Maren Tveit", "A retired coroner returns to the fishing village where a girl vanished thirty years ago, and the case slowly unravels a haunting web of family secrets."),
    ("Grandpa Gus Goes Galactic", 1997, 86, "Animation, Comedy, Family", Some("G"), Some(6.6), Some(7.1), 1, 360, "Marty Glickstein", "Walter Brumby, Tess Okonjo", "A retired astronaut and his granddaughter accidentally launch the backyard rocket and meet charming aliens on a delightful trip around the moon."),
    ("Wings Over Kestrel Bay", 1998, 142, "War, Drama, History, Romance", Some("PG-13"), Some(7.5), Some(8.1), 0, 680, "Alistair Brenchley", "Rowan Ashdown, Imogen Fairleigh", "In 1940 a young pilot and a radar operator fall in love as the war reaches their coastal airfield, in a sweeping epic of courage and loss."),
    ("The Ballast Queen", 1999, 128, "Action, Adventure", Some("PG-13"), Some(5.9), Some(7.0), 1, 470, "Drake Solano", "Marisol Quintero, Jack Brannigan", "A salvage diver and her crew race a rival gang to a sunken treasure ship before the hurricane hits, in a spectacular chase across the islands."),
    ("Sandcastle Kings", 2001, 78, "Comedy, Family", Some("PG"), Some(5.4), Some(6.1), 0, 160, "Gary Whitcombe", "Milo Banks, Priya Castellanos", "Two rival families compete for the grand prize at a seaside sandcastle contest, and the kids end up building something together."),
    ("Twenty Years of Ash", 2003, 117, "Science Fiction, Drama", Some("R"), Some(7.8), Some(7.6), 0, 740, "Mara Vilkas", "Joel Hendry, Ezra Tallow", "Twenty years after the apocalypse, a mother and her son walk across a wasteland toward a rumored city by the sea."),
    ("Stairwell Nine", 2005, 91, "Horror, Thriller", Some("R"), Some(6.1), Some(6.4), 0, 250, "Kenji Arbogast", "Lena Vukovic, Tom Pressley", "Trapped in a locked office tower after hours, a night cleaner is hunted floor by floor by something that has learned her name."),
    ("The Cartographer's Dream", 2006, 134, "Fantasy, Adventure, Drama", Some("PG-13"), Some(8.0), Some(8.3), 1, 980, "Selma Averin", "Ottilie Granger, Caspar Nnamdi", "A mapmaker's apprentice discovers that every map she draws comes alive in her dreams, and must cross breathtaking landscapes to undo one mistake."),
    ("Gravel and Grace", 2007, 116, "Drama, Music", Some("PG-13"), Some(7.9), Some(8.0), 1, 650, "Wade Culpepper", "June Harlan, Bobby Ray Tisdale", "A washed-up bluegrass fiddler and her estranged son reunite for one last festival in an inspiring story of hope and forgiveness."),
    ("The Bingo Queens of Larkspur", 2008, 93, "Comedy", Some("PG-13"), Some(6.8), Some(7.7), 0, 200, "Nora Feldkamp", "Edith Carraway, Mavis Oduya, Phyllis Durand", "Four retired schoolteachers enter a cutthroat regional bingo tournament in an uplifting comedy about friendship and second chances."),
    ("Deep Meridian", 2009, 92, "Documentary", Some("G"), Some(8.2), Some(8.0), 0, 30, "Astrid Pellerin", "Hugo Marchant", "A two-year expedition follows humpback whales along the Pacific, with stunning underwater footage and the scientists racing to decode their songs."),
    ("The Second Sunrise", 2011, 124, "Science Fiction, Thriller", Some("PG-13"), Some(7.6), Some(7.9), 2, 1000, "Rafael Osterhaus", "Elena Marchbanks, David Achebe-Kline", "A physicist wakes each morning in a parallel timeline one hour further from her own, and must find the way back before her memories of home fade."),
    ("Otto and the Paper Kites", 2013, 82, "Animation, Family, Adventure", Some("G"), Some(7.8), Some(8.1), 0, 120, "Lotte Brinkhuis", "Finn Ashgrove, Marta Oyelaran", "A shy boy sails his grandmother's paper kites over gorgeous rooftops in a heartwarming adventure about friendship."),
    ("The Vault of Sundered Kings", 2014, 139, "Fantasy, Action, Adventure", Some("PG-13"), Some(6.7), Some(7.6), 0, 520, "Dominic Valcourt", "Sienna Rothwell, Kael Morrow", "A thief and a disgraced knight chase a cursed crown into the vault beneath a sleeping volcano, in a spectacular fantasy epic."),
    ("The Salt Caravan", 2015, 155, "Adventure, History, Drama", Some("PG-13"), Some(8.1), Some(7.8), 0, 860, "Yusuf Benali-Hart", "Idris Mahfouz, Leila Sarrani", "A medieval salt merchant leads a caravan across the desert in a sweeping, visually stunning epic of faith and survival."),
    ("Bullet Weather", 2016, 106, "Action, Crime", Some("R"), Some(6.3), Some(7.2), 1, 330, "Cole Radzinski", "Tamsin Reyes, Victor Galloway", "An ex-getaway driver is pulled into one last heist by the gang that betrayed her, setting off a violent chase across three states."),
    ("Ward Twelve", 2018, 95, "Documentary", None, Some(8.6), Some(8.1), 0, 45, "Bettina Rauschenbach", "", "Filmed over one winter inside a rural hospital, an intimate documentary about the nurses who hold a small town together."),
    ("Chorus of Strangers", 2019, 108, "Comedy, Music, Romance", Some("PG-13"), Some(7.3), Some(7.9), 0, 150, "Amelie Fontaine-Ross", "Gus Haverford, Noor Kassab", "A disbanded choir of lonely neighbours reunites to sing at a wedding, and love finds two of its members along the way."),
    ("Compliance Hour", 2021, 112, "Science Fiction, Thriller, Drama", Some("R"), Some(7.7), Some(7.0), 0, 90, "Petra Szalai", "Owen Achterberg, Zadie Fournier", "In a near future where every citizen is scored by an authoritarian surveillance network, a data auditor joins an underground rebellion."),
    ("The Last Pie Shop on Juniper Street", 2022, 79, "Comedy, Family", Some("PG"), Some(6.9), Some(7.8), 0, 20, "Molly Tennant", "Gracie Oduya, Sam Whitlow, Bea Harkin", "Three siblings try to save their late grandmother's pie shop in a charming, heartwarming comedy."),
    ("Undertow Signal", 2023, 101, "Horror, Science Fiction, Mystery", Some("R"), Some(6.8), Some(6.2), 0, 60, "Henrik Solheim-Baptiste", "Ada Kwarteng, Lucas Brevik", "A deep-sea research crew trapped on the ocean floor receives distress calls in their own voices, and their perception begins to fail."),
    ("The Translator's Summer", 2024, 118, "Romance, Drama", Some("R"), Some(8.0), Some(7.4), 0, 12, "Camille Deveraux", "Anouk Lefebvre, Tobias Wren", "Over one summer, a translator and a pianist share an intimate, quiet romance that neither of them is free to keep."),
    ("Embers and Crust", 2024, 88, "Documentary", None, Some(7.9), None, 0, 7, "Matteo Galvani", "", "A joyful documentary following three generations of village bakers keeping a wood-fired tradition alive."),
    ("The Ninth Ember", 2025, 147, "Science Fiction, Adventure, Action", Some("PG-13"), Some(7.2), Some(7.8), 0, 3, "Soren Achebe-Vail", "Nadia Quell, Ravi Castell, Hollis Trent", "When a dying sun threatens the colony of Kesh, a pilot leads a rebellion against the council hoarding the last starships, in a breathtaking future epic."),
];

/// One show: title, year, genres (", "-separated), content rating, critic
/// rating, audience rating, seasons, episodes per season, episode runtime
/// (min), watched episodes (the first ones, in order), days in the library
/// before [`EPOCH`], cast (", "-separated), summary.
type ShowRow = (
    &'static str,
    u16,
    &'static str,
    Option<&'static str>,
    Option<f32>,
    Option<f32>,
    u32,
    u32,
    u64,
    u32,
    i64,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const SHOWS: &[ShowRow] = &[
    ("The Calloway Brand", 1958, "Western, Drama", Some("TV-PG"), Some(7.0), Some(7.4), 2, 8, 26, 0, 1070, "Ward Everly, Jeb Tanner, Lucille Marsh", "A fair-minded rancher and his three sons keep the peace on the frontier, one dusty dispute at a time."),
    ("Treehouse Galaxy Scouts", 1983, "Animation, Adventure, Family", Some("TV-Y"), None, Some(7.1), 2, 8, 23, 0, 940, "Benny Marsh, Kimi Tolliver, Gus Ortiz", "A troop of young scouts and their robot dog explore the galaxy in a treehouse spaceship in this delightful eighties cartoon."),
    ("Skyward Station", 1985, "Science Fiction, Adventure", Some("TV-PG"), Some(6.9), Some(7.7), 2, 8, 45, 5, 810, "Rhea Valdane, Ty Brookmoor, Ozzie Kwan", "The crew of a battered orbital station defends the first off-world colony from pirates in this beloved space adventure."),
    ("Night Owls on 88.3", 1987, "Comedy", Some("TV-PG"), Some(6.4), Some(7.2), 2, 6, 24, 4, 560, "Marcy Delgado, Phil Ungerman, Reggie Coyle", "The hapless staff of a late-night radio call-in show handle lonely callers, a feuding couple and one very persistent alien."),
    ("Harrow & Vine", 2012, "Drama, History", Some("TV-14"), Some(8.4), Some(8.2), 3, 6, 55, 0, 1080, "Adelaide Crane, Silas Montrose, Corinne Beaudet", "Two rival winemaking families are gradually torn apart by Prohibition, ambition and a forbidden love."),
    ("Ashgrove County", 2014, "Crime, Drama, Thriller", Some("TV-MA"), Some(8.6), Some(8.5), 3, 7, 58, 0, 1000, "Hank Lowery, Della Prentiss, Shay Carrow", "A small-town sheriff takes on the ruthless cartel that owns half the county, and the violence follows him home."),
    ("Maple & Finch", 2016, "Comedy", Some("TV-PG"), Some(7.4), Some(8.0), 3, 8, 22, 24, 900, "Gloria Wendt, Arthur Pickering, Lenny Osei", "Two rival diner owners on the same small-town corner discover that their friendship is the only thing keeping Main Street alive."),
    ("The Ravens of North March", 2017, "Fantasy, Adventure, Drama", Some("TV-MA"), Some(7.8), Some(8.4), 3, 8, 60, 8, 720, "Ysolde Marr, Bran Ashcourt, Teodor Vell", "Exiled heirs, dragon riders and frozen armies collide in a sweeping epic of war and betrayal across a stunning ancient realm."),
    ("Love in Aisle Five", 2018, "Comedy, Romance", Some("TV-14"), Some(6.8), Some(7.5), 2, 8, 24, 0, 420, "Jenna Pak, Marcus Hollander, Dot Feeney", "A grocery store night crew navigates karaoke nights, inventory disasters and one very slow-burning couple in the cereal aisle."),
    ("The Bramblewood Inquiries", 2019, "Mystery, Drama, Crime", Some("TV-14"), Some(8.3), Some(8.1), 3, 6, 54, 9, 610, "Agnes Whitlow, Ravi Pellingham, Doreen Castle", "A retired schoolteacher and a young constable investigate murders in a sleepy valley, where every secret slowly unravels."),
    ("Edges of the Map", 2020, "Documentary", Some("TV-PG"), Some(8.8), Some(8.9), 2, 6, 50, 2, 240, "Imelda Fairbrook", "A breathtaking journey across the planet's most remote landscapes, following the animals that survive at the edges of the map."),
    ("Zero Hour Run", 2020, "Action, Thriller", Some("TV-14"), Some(7.0), Some(7.6), 2, 8, 44, 0, 330, "Cal Brennick, Sofia Marchetti, Dmitri Vayne", "A disgraced bomb disposal expert races a countdown across the continent to end a hostage crisis, one hour per episode."),
    ("Pip and the Pondside Helpers", 2021, "Animation, Family", Some("TV-Y"), None, Some(7.3), 2, 8, 22, 0, 180, "Poppy Laverne, Dex Amadi, Rosa Heron", "Four ducklings help their pond neighbours with small problems in cheerful stories about friendship and sharing."),
    ("The Hush at Corrow House", 2021, "Horror, Mystery", None, Some(7.3), Some(7.0), 2, 5, 48, 0, 140, "Maeve Tallis, Julian Ashby, Pru Kennard", "A grieving family moves into a seaside manor where the walls whisper, and they must escape before the house learns to keep them."),
    ("Beneath the Rime", 2022, "Science Fiction, Drama, Thriller", Some("TV-MA"), Some(7.9), Some(7.6), 2, 8, 50, 3, 300, "Iris Kade, Tomasz Renn, Willa Strand", "In a dystopian future the last humans live beneath the frozen surface under an oppressive regime, until a maintenance worker finds a door that should not exist."),
    ("Mirrorfield", 2023, "Science Fiction, Mystery, Thriller", Some("TV-MA"), Some(8.1), Some(7.9), 2, 6, 52, 0, 75, "Nell Ambrose, Felix Okoro, Hanne Lisle", "The residents of a perfect suburb discover that their town is a simulation under constant surveillance, and every memory they share is a clue to who built it."),
];

/// Words episode titles are made of ("Borrowed Lanterns", "Quiet Harbor"…).
const EPISODE_ADJECTIVES: [&str; 16] = [
    "Borrowed", "Quiet", "Crooked", "Last", "Paper", "Silver", "Broken", "Hidden", "Second",
    "Long", "Burning", "Hollow", "Northern", "Little", "Frozen", "Distant",
];
const EPISODE_NOUNS: [&str; 17] = [
    "Lanterns",
    "Harbor",
    "Promises",
    "Keys",
    "Letters",
    "Bridges",
    "Weather",
    "Signals",
    "Tides",
    "Doors",
    "Strangers",
    "Orchards",
    "Engines",
    "Mirrors",
    "Maps",
    "Bells",
    "Crossings",
];

fn list(s: &str) -> Vec<Text> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Text::from)
        .collect()
}

/// `added_at` for the `n`-th title, `days` before [`EPOCH`] (plus a few
/// hours, so titles added the same day still differ).
fn added_at(n: usize, days: i64) -> i64 {
    EPOCH - days * DAY - (n as i64 * 3_541) % (DAY / 2)
}

/// A watched title was last seen a third of its library time ago.
fn last_viewed_at(n: usize, days: i64) -> i64 {
    EPOCH - days / 3 * DAY - (n as i64 * 1_987) % (DAY / 2)
}

/// The episodes of show number `n` (0-based), the first `watched` watched.
fn episodes(
    id: &str,
    n: usize,
    seasons: u32,
    per_season: u32,
    minutes: u64,
    watched: u32,
) -> Vec<Episode> {
    let (a0, b0) = (n * 5, n * 3);
    (0..seasons * per_season)
        .map(|k| {
            let (season, index) = (k / per_season + 1, k % per_season + 1);
            let i = k as usize;
            let title = if k == 0 {
                "Pilot".to_string()
            } else {
                // 7 is coprime with 16 and the lists differ in length: no
                // repeats within a show's first 272 episodes.
                let adj = EPISODE_ADJECTIVES[(a0 + 7 * i) % EPISODE_ADJECTIVES.len()];
                let noun = EPISODE_NOUNS[(b0 + i) % EPISODE_NOUNS.len()];
                format!("{adj} {noun}")
            };
            // Runtimes vary by up to ±2 min around the show's, within 22-60.
            let wobble = u64::from((season * 3 + index * 5) % 5);
            let mins = (minutes + wobble).saturating_sub(2).clamp(22, 60);
            Episode {
                id: format!("{id}-s{season}e{index}"),
                season,
                index,
                title,
                duration_ms: Some(mins * MIN_MS),
                view_count: u32::from(k < watched),
            }
        })
        .collect()
}

/// The demo library: 49 movies ("Demo Movies") and 16 shows with their
/// episodes ("Demo TV"), ids `demo-1`, `demo-2`, …, all fictional.
pub fn library() -> Catalog {
    let mut titles = Vec::with_capacity(MOVIES.len() + SHOWS.len());
    for (i, row) in MOVIES.iter().enumerate() {
        let &(
            title,
            year,
            minutes,
            genres,
            rating,
            critic,
            audience,
            views,
            days,
            director,
            cast,
            summary,
        ) = row;
        titles.push(Title {
            year: Some(year),
            summary: summary.to_string(),
            duration_ms: Some(minutes * MIN_MS),
            genres: list(genres),
            directors: list(director),
            cast: list(cast),
            content_rating: rating.map(Text::from),
            critic_rating: critic,
            audience_rating: audience,
            view_count: views,
            last_viewed_at: (views > 0).then(|| last_viewed_at(i, days)),
            added_at: Some(added_at(i, days)),
            library: MOVIE_LIBRARY.into(),
            ..Title::movie(format!("demo-{}", i + 1), title)
        });
    }
    for (j, row) in SHOWS.iter().enumerate() {
        let &(
            title,
            year,
            genres,
            rating,
            critic,
            audience,
            seasons,
            per_season,
            minutes,
            watched,
            days,
            cast,
            summary,
        ) = row;
        let n = MOVIES.len() + j;
        let id = format!("demo-{}", n + 1);
        let episodes = episodes(&id, j, seasons, per_season, minutes, watched);
        let leaf_count = episodes.len() as u32;
        let viewed = episodes.iter().filter(|e| e.view_count > 0).count() as u32;
        titles.push(Title {
            year: Some(year),
            summary: summary.to_string(),
            genres: list(genres),
            cast: list(cast),
            content_rating: rating.map(Text::from),
            critic_rating: critic,
            audience_rating: audience,
            view_count: viewed,
            last_viewed_at: (viewed > 0).then(|| last_viewed_at(n, days)),
            added_at: Some(added_at(n, days)),
            library: SHOW_LIBRARY.into(),
            leaf_count,
            viewed_leaf_count: viewed,
            episodes,
            ..Title::show(id, title)
        });
    }
    Catalog::new(titles)
}
