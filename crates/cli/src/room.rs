//! Who a pick is for (`pick --for`): names (or ids, or `all`) matched to the Plex Home's
//! profiles by the core, and the PINs of protected ones, read from stdin or asked for on the
//! terminal, never taken from the command line. A PIN is handed to the core once (which sends it to
//! plex.tv once) and never kept.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Read};

use plexpicker_core::session::People;

use crate::context::Ctx;
use crate::error::{CliError, Result};

/// The longest PIN line read (a PIN is 4 digits; anything much longer is not one).
const PIN_LINE_MAX: u64 = 64;

/// Who a pick is for: profile ids in the Home's order, and the PINs given (by profile id).
pub struct Room {
    pub people: People,
    /// The names of the profiles whose PIN was given, to say whose was wrong.
    pub pin_names: Vec<String>,
}

/// A core failure of a pick for `room`: a wrong PIN names whose PINs were given.
pub fn wrong_pin(e: plexpicker_core::Error, room: Option<&Room>) -> CliError {
    use plexpicker_core::plex::Error as PlexError;
    match (e, room) {
        (plexpicker_core::Error::Plex(PlexError::WrongPin), Some(room)) => {
            CliError::WrongPin(room.pin_names.join(" or "))
        }
        (e, _) => e.into(),
    }
}

/// Matches `--for` and `--pin` to the Home's profiles (the core's
/// [`plexpicker_core::session::Session::people_for`]: the account is always one of the people,
/// every protected profile needs its PIN or a kept sign-in), then reads the PINs: from stdin,
/// one line per `--pin` in order, when stdin is not a terminal; else asked for on the terminal.
pub async fn resolve(ctx: &Ctx, wanted: &[String], pin_for: &[String]) -> Result<Room> {
    for p in pin_for {
        if p.contains('=') || p.contains(':') {
            return Err(CliError::Usage(format!(
                "a PIN is never taken from the command line: pass `--pin {}` and give the PIN on stdin or at the prompt",
                p.split(['=', ':']).next().unwrap_or_default()
            )));
        }
    }
    let found = ctx.session.people_for(wanted, pin_for).await?;
    let mut pins = BTreeMap::new();
    if !found.pins.is_empty() {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            for p in &found.pins {
                pins.insert(p.id.clone(), prompt(ctx, &p.name).await?);
            }
        } else {
            let mut lines = stdin.lock();
            for p in &found.pins {
                pins.insert(p.id.clone(), read_pin(&mut lines, &p.name)?);
            }
        }
    }
    Ok(Room {
        people: People {
            ids: found.ids,
            pins,
        },
        pin_names: found.pins.iter().map(|p| p.name.clone()).collect(),
    })
}

/// One PIN line from `input` (bounded: a long line is refused, never read whole).
pub fn read_pin(input: &mut impl BufRead, name: &str) -> Result<String> {
    let mut line = String::new();
    let read = (&mut *input)
        .take(PIN_LINE_MAX)
        .read_line(&mut line)
        .map_err(|e| {
            CliError::Usage(format!(
                "could not read {name}'s PIN from stdin ({e}): pipe it in as one line of digits"
            ))
        })?;
    if read == 0 {
        return Err(CliError::Usage(format!(
            "no PIN for {name} on stdin: give one line with the PIN per --pin, in order"
        )));
    }
    if !line.ends_with('\n') && read as u64 == PIN_LINE_MAX {
        return Err(CliError::Usage(format!(
            "{name}'s PIN on stdin is too long: a Plex PIN is 4 digits"
        )));
    }
    check_pin(line.trim(), name)
}

fn check_pin(pin: &str, name: &str) -> Result<String> {
    if pin.is_empty() || pin.len() > 16 || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CliError::Usage(format!(
            "{name}'s PIN must be digits (a Plex PIN is 4 digits): give it again"
        )));
    }
    Ok(pin.to_string())
}

/// Asks for `name`'s PIN on the terminal, without echo where the terminal allows it. Ctrl-C
/// while asking ends the command, and the terminal gets its echo back.
async fn prompt(ctx: &Ctx, name: &str) -> Result<String> {
    eprint!("PIN for {name}: ");
    let echo = EchoOff::new();
    let read = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .take(PIN_LINE_MAX)
            .read_line(&mut line)
            .map(|_| line)
    });
    let line = tokio::select! {
        r = read => r,
        _ = ctx.cancel.cancelled() => return Err(CliError::Cancelled),
    };
    drop(echo);
    let line = line
        .map_err(|e| CliError::Usage(format!("could not read the PIN ({e}): try again")))?
        .map_err(|e| CliError::Usage(format!("could not read the PIN ({e}): try again")))?;
    check_pin(line.trim(), name)
}

/// Turns the terminal's echo off while it lives (a no-op where that is not possible).
struct EchoOff {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl EchoOff {
    #[cfg(unix)]
    fn new() -> Self {
        // SAFETY: termios is plain data that tcgetattr fills in; fd 0 is stdin, a terminal
        // here (checked by the caller); failures leave the terminal as it was.
        let saved = unsafe {
            let mut term: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut term) != 0 {
                None
            } else {
                let saved = term;
                term.c_lflag &= !libc::ECHO;
                term.c_lflag |= libc::ECHONL;
                (libc::tcsetattr(0, libc::TCSANOW, &term) == 0).then_some(saved)
            }
        };
        EchoOff { saved }
    }

    #[cfg(not(unix))]
    fn new() -> Self {
        EchoOff {}
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // SAFETY: restores the settings read from the same terminal.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_read_one_line_each_and_checked() {
        let mut input = std::io::Cursor::new("1234\n 0042 \n");
        assert_eq!(read_pin(&mut input, "Sam").unwrap(), "1234");
        assert_eq!(read_pin(&mut input, "Kid").unwrap(), "0042");
        let missing = read_pin(&mut input, "Guest").unwrap_err();
        assert!(
            missing.to_string().contains("no PIN for Guest"),
            "{missing}"
        );
        let mut letters = std::io::Cursor::new("12a4\n");
        assert!(read_pin(&mut letters, "Sam").is_err());
        let long = "9".repeat(10_000);
        let mut long = std::io::Cursor::new(long);
        let err = read_pin(&mut long, "Sam").unwrap_err();
        assert!(err.to_string().contains("too long"), "{err}");
    }
}
