//! `cargo run -p picker --release --example bench_pick [items] [runs] [--all-moods] [--room]`

use picker::{bench, Choices, Mood};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nums: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let n = nums.first().copied().unwrap_or(100_000);
    let runs = nums.get(1).copied().unwrap_or(200);
    println!("{}", bench::run(n, runs));
    if args.iter().any(|a| a == "--room") {
        let choices = bench::bench_choices();
        println!(
            "  {:<22} {}",
            "room of 3",
            bench::run_room(n, runs, &choices)
        );
        println!(
            "  {:<22} {}",
            "room of 3 (pick_in)",
            bench::run_room_unindexed(n, runs, &choices)
        );
        for watch in picker::WatchFilter::ALL {
            let c = Choices {
                watch,
                ..choices.clone()
            };
            println!(
                "  {:<22} {}",
                format!("room of 3, {}", watch.label()),
                bench::run_room(n, runs, &c)
            );
        }
    }
    if args.iter().any(|a| a == "--all-moods") {
        for mood in Mood::ALL {
            let choices = Choices {
                mood,
                ..bench::bench_choices()
            };
            println!(
                "  {:<22} {}",
                mood.label(),
                bench::run_with(n, runs, &choices)
            );
        }
        let none = Choices::default();
        println!("  {:<22} {}", "no filters", bench::run_with(n, runs, &none));
        let raw = bench::run_unindexed(n, (runs / 10).max(5), &bench::bench_choices());
        println!("  {:<22} {}", "unindexed pick()", raw);
    }
}
