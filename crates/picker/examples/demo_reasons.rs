//! Prints a pick per mood over a synthetic library:
//! `cargo run -p picker --example demo_reasons`

use picker::{testing, Choices, History, IndexedCatalog, Mood, PickContext};

fn main() {
    let library = IndexedCatalog::new(testing::synthetic_catalog(3000, 11));
    let ctx = PickContext::new(testing::SYNTHETIC_NOW, 20 * 60, 5);
    for mood in Mood::ALL {
        let choices = Choices {
            mood,
            ..Choices::default()
        };
        match library.pick(&choices, &History::default(), &ctx) {
            Ok(r) => {
                println!(
                    "{:<22} [{}] {} — {}",
                    mood.label(),
                    r.top.score,
                    r.top.title,
                    r.top.reason
                );
                if let Some(a) = r.alternatives.first() {
                    println!("{:<22} [{}] {} — {}", "", a.score, a.title, a.reason);
                }
            }
            Err(e) => println!("{:<22} {e}", mood.label()),
        }
    }
}
