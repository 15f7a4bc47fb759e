//! A loaded section: its items and, for a show section, every episode. (Turning these into the
//! picker's titles is the core's job: the client knows nothing of picking.)

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::library::{Item, LoadOptions, Section, SectionKind};
use crate::server::ServerConnection;

/// One loaded section: its items and, for show sections, every episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadedLibrary {
    /// The section.
    pub section: Section,
    /// Its movies or shows.
    pub items: Vec<Item>,
    /// Show sections: every episode (from `/all?type=4`); empty for movies.
    pub episodes: Vec<Item>,
}

impl ServerConnection {
    /// Loads a section: its items, and for a show section every episode too.
    pub async fn load_library(
        &self,
        section: &Section,
        opts: &LoadOptions,
    ) -> Result<LoadedLibrary> {
        let items = self.section_items(section, opts).await?;
        let episodes = match section.kind {
            SectionKind::Movie => Vec::new(),
            SectionKind::Show => self.section_episodes(&section.key, opts).await?,
        };
        Ok(LoadedLibrary {
            section: section.clone(),
            items,
            episodes,
        })
    }
}
