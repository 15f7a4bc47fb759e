//! Turning command-line words into the picker's choices: moods, content ratings, decades,
//! year ranges and clock times; and title ids.

use picker::{ClockTime, ContentLevel, Mood, YearFilter};

/// A title id as `pick` printed it (trimmed); an empty one is a usage error.
pub fn title_id(s: &str) -> crate::error::Result<&str> {
    let id = s.trim();
    if id.is_empty() {
        return Err(crate::error::CliError::Usage(
            "the title id is empty: use the id printed by `plexpicker-cli pick`".into(),
        ));
    }
    Ok(id)
}

/// A mood by id (`feel_good`; dashes and case are forgiven) or by label ("Feel Good").
pub fn parse_mood(s: &str) -> Result<Mood, String> {
    let norm = |x: &str| x.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    let want = norm(s);
    Mood::ALL
        .into_iter()
        .find(|m| m.id() == want || norm(m.label()) == want)
        .ok_or_else(|| {
            let ids: Vec<&str> = Mood::ALL.iter().map(|m| m.id()).collect();
            format!(
                "unknown mood {s:?}; one of: {} (see `plexpicker-cli moods`)",
                ids.join(", ")
            )
        })
}

/// A content-rating ceiling: a rating (`PG-13`, `TV-14`, `R`) or a level id (`teens`).
pub fn parse_content_level(s: &str) -> Result<ContentLevel, String> {
    if let Some(l) = ContentLevel::parse(s) {
        return Ok(l);
    }
    let want = s.trim().to_ascii_lowercase().replace('-', "_");
    ContentLevel::ALL
        .into_iter()
        .find(|l| l.id() == want)
        .ok_or_else(|| {
            format!("unknown content rating {s:?}; use a US rating such as G, PG, PG-13, R, TV-Y7, TV-PG, TV-14, TV-MA")
        })
}

/// One decade: `1980s`, `1980`, `80s` (two digits: below 30 means 20xx).
fn parse_decade(s: &str) -> Result<u16, String> {
    let t = s.trim().trim_end_matches(['s', 'S']).trim_end_matches('\'');
    let n: u16 = t
        .parse()
        .map_err(|_| format!("bad decade {s:?}: write it like 1980s"))?;
    let year = match n {
        0..=99 if t.len() == 2 => {
            if n < 30 {
                2000 + n
            } else {
                1900 + n
            }
        }
        1000..=9999 => n,
        _ => return Err(format!("bad decade {s:?}: write it like 1980s")),
    };
    Ok(year - year % 10)
}

/// `1980s,1990s` → decades.
pub fn parse_decades(s: &str) -> Result<YearFilter, String> {
    let mut decades = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let d = parse_decade(part)?;
        if !decades.contains(&d) {
            decades.push(d);
        }
    }
    if decades.is_empty() {
        return Err("no decade given: write them like 1980s,1990s".into());
    }
    Ok(YearFilter::Decades { decades })
}

/// `1980-1999`, `1980-`, `-1999` or `1995`.
pub fn parse_years(s: &str) -> Result<YearFilter, String> {
    let bad = || format!("bad year range {s:?}: write it like 1980-1999, 1980- or -1999");
    let year = |x: &str| -> Result<Option<u16>, String> {
        let x = x.trim();
        if x.is_empty() {
            return Ok(None);
        }
        x.parse::<u16>().map(Some).map_err(|_| bad())
    };
    let (from, to) = match s.trim().split_once('-') {
        Some((a, b)) => (year(a)?, year(b)?),
        None => {
            let y = year(s)?;
            (y, y)
        }
    };
    if from.is_none() && to.is_none() {
        return Err(bad());
    }
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(format!(
                "year range {s:?} is reversed: write the earlier year first"
            ));
        }
    }
    Ok(YearFilter::Range { from, to })
}

/// `HH:MM` (24-hour).
pub fn parse_clock(s: &str) -> Result<ClockTime, String> {
    let bad = || format!("bad time {s:?}: write it as HH:MM, 24-hour (for example 23:30)");
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let h: u8 = h.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(ClockTime::new(h, m))
}

/// A rating between 0 and 10.
pub fn parse_rating(s: &str) -> Result<f32, String> {
    let v: f32 = s
        .trim()
        .parse()
        .map_err(|_| format!("bad rating {s:?}: a number from 0 to 10"))?;
    if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
        return Err(format!("bad rating {s:?}: a number from 0 to 10"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moods_by_id_or_label() {
        assert_eq!(parse_mood("feel_good"), Ok(Mood::FeelGood));
        assert_eq!(parse_mood("Feel-Good"), Ok(Mood::FeelGood));
        assert_eq!(parse_mood("date night"), Ok(Mood::DateNight));
        assert!(parse_mood("grumpy").is_err_and(|e| e.contains("feel_good")));
    }

    #[test]
    fn content_levels() {
        assert_eq!(parse_content_level("PG-13"), Ok(ContentLevel::Teens));
        assert_eq!(parse_content_level("tv-ma"), Ok(ContentLevel::Mature));
        assert_eq!(
            parse_content_level("adults-only"),
            Ok(ContentLevel::AdultsOnly)
        );
        assert!(parse_content_level("NR").is_err());
    }

    #[test]
    fn decades_and_years() {
        assert_eq!(
            parse_decades("1980s,1990s,80s"),
            Ok(YearFilter::Decades {
                decades: vec![1980, 1990]
            })
        );
        assert_eq!(
            parse_decades("00s,1985"),
            Ok(YearFilter::Decades {
                decades: vec![2000, 1980]
            })
        );
        assert!(parse_decades("eighties").is_err());
        assert!(parse_decades("").is_err());
        assert_eq!(
            parse_years("1980-1999"),
            Ok(YearFilter::Range {
                from: Some(1980),
                to: Some(1999)
            })
        );
        assert_eq!(
            parse_years("-1999"),
            Ok(YearFilter::Range {
                from: None,
                to: Some(1999)
            })
        );
        assert_eq!(
            parse_years("1995"),
            Ok(YearFilter::Range {
                from: Some(1995),
                to: Some(1995)
            })
        );
        assert!(parse_years("1999-1980").is_err());
        assert!(parse_years("-").is_err());
    }

    #[test]
    fn clock_and_rating() {
        assert_eq!(parse_clock("23:05"), Ok(ClockTime::new(23, 5)));
        assert!(parse_clock("24:00").is_err());
        assert!(parse_clock("2300").is_err());
        assert_eq!(parse_rating("7.5"), Ok(7.5));
        assert!(parse_rating("11").is_err());
        assert!(parse_rating("NaN").is_err());
    }
}
