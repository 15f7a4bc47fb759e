//! Behaviour of `ranked`: the engine's best candidates for a model to choose among.

use std::collections::HashSet;

use picker::*;

const NOW: i64 = 1_750_000_000;

fn ctx(seed: u64) -> PickContext {
    PickContext::new(NOW, 20 * 60, seed)
}

#[test]
fn ranked_is_the_best_scored_titles_passing_every_filter_best_first() {
    let catalog = testing::synthetic_catalog(800, 3);
    let choices = Choices {
        format: Format::Movie,
        mood: Mood::FeelGood,
        ..Choices::default()
    };
    let history = History::default();
    let ranked = ranked(&catalog, &choices, &history, &ctx(1), 60).unwrap();
    let picked = pick(&catalog, &choices, &history, &ctx(1)).unwrap();
    assert_eq!(ranked.matches, picked.matches);
    assert_eq!(ranked.candidates.len(), 60.min(ranked.matches));
    assert!(
        ranked.candidates.len() > 7,
        "the synthetic library is large"
    );
    // Best first, every id once, every one a movie.
    for pair in ranked.candidates.windows(2) {
        assert!(pair[0].score >= pair[1].score, "sorted by score");
    }
    let ids: HashSet<&str> = ranked
        .candidates
        .iter()
        .map(|p| p.title_id.as_str())
        .collect();
    assert_eq!(ids.len(), ranked.candidates.len());
    for p in &ranked.candidates {
        let title = catalog.get(&p.title_id).expect("a title of the catalog");
        assert_eq!(title.kind, Kind::Movie);
        assert!(!p.reason.text().is_empty());
    }
    // The engine's own pick scores no higher than the best ranked one, and nothing left out
    // scores higher than the last one kept.
    let worst_kept = ranked.candidates.last().unwrap().score;
    let all = ranked_all(&catalog, &choices, &history);
    assert_eq!(all.candidates.len(), all.matches);
    for p in &all.candidates {
        if !ids.contains(p.title_id.as_str()) {
            assert!(p.score <= worst_kept, "{} left out", p.title_id);
        }
    }
    assert!(picked.top.score <= ranked.candidates[0].score);
    // No draw: the seed changes nothing.
    assert_eq!(
        ranked,
        picker::ranked(&catalog, &choices, &history, &ctx(99), 60).unwrap()
    );
    // The indexed catalog answers the same.
    let indexed = IndexedCatalog::new(catalog.clone());
    assert_eq!(
        indexed.ranked(&choices, &history, &ctx(1), 60).unwrap(),
        ranked
    );
}

fn ranked_all(catalog: &Catalog, choices: &Choices, history: &History) -> Ranked {
    ranked(catalog, choices, history, &ctx(1), usize::MAX).unwrap()
}

#[test]
fn ranked_honours_cool_offs_and_fails_like_pick() {
    let catalog = testing::synthetic_catalog(300, 5);
    let choices = Choices::default();
    let mut history = History::default();
    let first = ranked(&catalog, &choices, &history, &ctx(1), 5).unwrap();
    let top = first.candidates[0].title_id.clone();
    history.record_pick(top.clone(), NOW - 60);
    let again = ranked(&catalog, &choices, &history, &ctx(1), 5).unwrap();
    assert!(again.candidates.iter().all(|p| p.title_id != top));
    assert_eq!(again.matches + 1, first.matches);
    assert!(ranked(&catalog, &choices, &history, &ctx(1), 0)
        .unwrap()
        .candidates
        .is_empty());
    let empty = Catalog::new(vec![]);
    assert_eq!(
        ranked(&empty, &choices, &history, &ctx(1), 5),
        Err(PickError::EmptyCatalog)
    );
    assert_eq!(
        pick(&empty, &choices, &history, &ctx(1)).map(|_| ()),
        Err(PickError::EmptyCatalog)
    );
}
