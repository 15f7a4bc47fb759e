//! The filters, in the fixed order the engine applies them and its nothing-matches diagnosis
//! names them.

use serde::{Deserialize, Serialize};

/// One filter. `Filter::ORDER` is the fixed order they are applied in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// Movies / shows.
    Format,
    /// Unwatched / rewatch.
    Watch,
    /// Genres to include (any of).
    IncludeGenres,
    /// Genres to exclude (none of).
    ExcludeGenres,
    /// Year range or decades.
    Years,
    /// Content-rating ceiling.
    ContentRating,
    /// Minimum critic rating.
    CriticRating,
    /// Minimum audience rating.
    AudienceRating,
    /// At most N minutes / finish by HH:MM.
    Runtime,
    /// The mood's gate.
    Mood,
    /// Recently picked or turned down.
    CoolOff,
}

impl Filter {
    /// The fixed order.
    pub const ORDER: [Filter; 11] = [
        Filter::Format,
        Filter::Watch,
        Filter::IncludeGenres,
        Filter::ExcludeGenres,
        Filter::Years,
        Filter::ContentRating,
        Filter::CriticRating,
        Filter::AudienceRating,
        Filter::Runtime,
        Filter::Mood,
        Filter::CoolOff,
    ];

    /// Stable id (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            Filter::Format => "format",
            Filter::Watch => "watch",
            Filter::IncludeGenres => "include_genres",
            Filter::ExcludeGenres => "exclude_genres",
            Filter::Years => "years",
            Filter::ContentRating => "content_rating",
            Filter::CriticRating => "critic_rating",
            Filter::AudienceRating => "audience_rating",
            Filter::Runtime => "runtime",
            Filter::Mood => "mood",
            Filter::CoolOff => "cool_off",
        }
    }

    /// "the runtime limit": what "N without …" names.
    pub fn noun(self) -> &'static str {
        match self {
            Filter::Format => "the format choice",
            Filter::Watch => "the watched/unwatched choice",
            Filter::IncludeGenres => "the genre choice",
            Filter::ExcludeGenres => "the excluded genres",
            Filter::Years => "the year range",
            Filter::ContentRating => "the content-rating ceiling",
            Filter::CriticRating => "the minimum critic rating",
            Filter::AudienceRating => "the minimum audience rating",
            Filter::Runtime => "the runtime limit",
            Filter::Mood => "the mood",
            Filter::CoolOff => "the cool-off on recent picks",
        }
    }
}
