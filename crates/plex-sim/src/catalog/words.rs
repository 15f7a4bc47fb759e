//! Word lists the generated catalog is built from.

pub const GENRES: &[&str] = &[
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "Thriller",
    "War",
    "Western",
];

pub const TITLE_ADJECTIVES: &[&str] = &[
    "Silent",
    "Broken",
    "Golden",
    "Hidden",
    "Last",
    "Lost",
    "Dark",
    "Electric",
    "Crimson",
    "Distant",
    "Frozen",
    "Secret",
    "Wild",
    "Burning",
    "Endless",
    "Midnight",
    "Quiet",
    "Northern",
    "Shattered",
    "Hollow",
    "Bright",
    "Iron",
    "Paper",
    "Velvet",
    "Savage",
    "Gentle",
];

pub const TITLE_NOUNS: &[&str] = &[
    "Garden",
    "River",
    "Empire",
    "Horizon",
    "Kingdom",
    "Signal",
    "Harbor",
    "Mirror",
    "Frontier",
    "Machine",
    "Summer",
    "Winter",
    "Road",
    "Island",
    "Storm",
    "Dream",
    "Promise",
    "Shadow",
    "Station",
    "Orchard",
    "Letter",
    "Circus",
    "Voyage",
    "Witness",
    "Planet",
    "Crown",
    "Canyon",
    "Detective",
    "Heart",
    "Code",
];

pub const TITLE_PLACES: &[&str] = &[
    "Paris",
    "Tokyo",
    "Nowhere",
    "the North",
    "Avalon",
    "Brooklyn",
    "Mars",
    "the Valley",
    "Berlin",
    "the Deep",
    "Cairo",
    "Eden",
];

pub const SUMMARY_SUBJECTS: &[&str] = &[
    "a retired detective",
    "a pair of estranged sisters",
    "a young inventor",
    "a small-town teacher",
    "an ambitious journalist",
    "a family of farmers",
    "a lonely astronaut",
    "a reluctant soldier",
    "a gifted pianist",
    "a band of outlaws",
    "a grieving father",
    "a teenage hacker",
    "an aging boxer",
    "a shy librarian",
];

pub const SUMMARY_VERBS: &[&str] = &[
    "must confront",
    "sets out to uncover",
    "is drawn into",
    "tries to escape",
    "stumbles upon",
    "fights to protect",
    "falls for",
    "races against time to stop",
];

pub const SUMMARY_OBJECTS: &[&str] = &[
    "a conspiracy that reaches the highest levels of power",
    "a love that could change everything",
    "a war that has already taken too much",
    "a dream that feels more real than waking life",
    "the secrets buried in the family farm",
    "a future where machines decide who lives",
    "a heist with one twist too many",
    "a haunted house on the edge of town",
    "a mind-bending puzzle left by a dead scientist",
    "an unlikely friendship across enemy lines",
    "a song that nobody else can hear",
    "the truth about the night the town went dark",
];

pub const SUMMARY_ENDINGS: &[&str] = &[
    "Nothing is what it seems.",
    "A story of love, loss and second chances.",
    "The final twist will change how you see everything.",
    "A celebration of family and friendship.",
    "Based on a true story.",
    "Time is running out.",
    "Some doors should stay closed.",
    "An epic tale of war and honour.",
    "A journey into the future of the human mind.",
    "Laughter, tears and a very large dog.",
];

pub const FIRST_NAMES: &[&str] = &[
    "Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Hiro", "Amara", "Lucas", "Ingrid",
    "Ravi", "Chloe", "Diego", "Yuki", "Fatima", "Jonas", "Mila", "Kwame", "Elena", "Owen", "Priya",
];

pub const LAST_NAMES: &[&str] = &[
    "Anderson", "Okafor", "Tanaka", "Moreau", "Silva", "Kowalski", "Haddad", "Nguyen", "Larsen",
    "Rossi", "Byrne", "Fischer", "Mendes", "Park", "Ivanova", "Walsh", "Kapoor", "Dubois",
];

pub const COUNTRIES: &[&str] = &[
    "United States of America",
    "United Kingdom",
    "France",
    "Japan",
    "Germany",
    "Canada",
    "South Korea",
    "Italy",
    "Spain",
    "Australia",
    "India",
    "Mexico",
];

pub const STUDIOS: &[&str] = &[
    "Northlight Pictures",
    "Blue Harbor Films",
    "Paper Crane Studios",
    "Ironwood Entertainment",
    "Meridian Features",
    "Little Comet",
];

pub const NETWORKS: &[&str] = &["HBO", "BBC One", "Netflix", "AMC", "FX", "NHK", "Channel 4"];

pub const MOVIE_RATINGS: &[&str] = &["G", "PG", "PG-13", "R", "NR"];
pub const TV_RATINGS: &[&str] = &["TV-Y", "TV-PG", "TV-14", "TV-MA"];

pub const EPISODE_WORDS: &[&str] = &[
    "Pilot",
    "Homecoming",
    "The Long Night",
    "Reckoning",
    "Crossroads",
    "Old Friends",
    "Fallout",
    "The Visitor",
    "Ghosts",
    "Exodus",
    "Lines",
    "Thaw",
    "Undertow",
    "Echoes",
    "Ashes",
    "Daybreak",
];

pub const ARTIST_WORDS: &[&str] = &[
    "The Velvet",
    "Neon",
    "Paper",
    "Golden",
    "Static",
    "Northern",
    "Lunar",
    "Wild",
];
pub const ARTIST_NOUNS: &[&str] = &[
    "Foxes", "Lights", "Harbor", "Choir", "Machines", "Rivers", "Sirens", "Echo",
];

pub const TAGLINES: &[&str] = &[
    "Some secrets refuse to stay buried.",
    "The future is already here.",
    "Love is the last thing left.",
    "One night. One chance.",
    "Nothing will ever be the same.",
    "Every family has its story.",
    "The war is not over.",
    "Wake up.",
    "Trust no one.",
    "The adventure of a lifetime.",
];
