//! `asyncdemo tour`, `present` and `follow`: read the arguments, then hand over to
//! [`crate::tour::guide`] or [`crate::tour::follow`].

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;

use super::Failure;
use crate::class::client;
use crate::class::server::{self, Limits, Server};
use crate::engine::run::RunConfig;
use crate::lesson::{Catalog, Lang, Lesson};
use crate::tour::progress::Store;
use crate::tour::{follow, guide};
use crate::ui::theme::{Palette, Theme};

pub fn tour(
    catalog: &Catalog,
    lang: Lang,
    palette: Palette,
    seed: u64,
    reset: bool,
    python: Option<std::path::PathBuf>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = Store::default_location().map_err(|e| Failure::Failed(e.to_string()))?;
    if reset {
        store.reset().map_err(|e| Failure::Failed(e.to_string()))?;
        writeln!(out, "progress reset ({})", store.path().display())?;
        return Ok(());
    }
    if !std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "the tour needs a terminal; without one, use `asyncdemo list` and `asyncdemo run LESSON --plain`"
                .into(),
        ));
    }
    let theme = Theme::from_env(palette);
    let config = RunConfig { seed, ..RunConfig::default() };
    let mode = guide::Mode { python, ..guide::Mode::default() };
    guide::run(catalog, lang, theme, config, &store, mode, None).map_err(Failure::terminal)
}

/// `asyncdemo present [LESSON]`: the tour on the presenter's screen, with speaker notes and the
/// session's clock, opening LESSON at once if given; listening for followers on `listen`.
pub fn present(
    catalog: &Catalog,
    lesson: Option<&Lesson>,
    lang: Lang,
    palette: Palette,
    seed: u64,
    listen: &str,
) -> Result<(), Failure> {
    let start = lesson.and_then(|lesson| catalog.lessons.iter().position(|l| l.id() == lesson.id()));
    let store = Store::default_location().map_err(|e| Failure::Failed(e.to_string()))?;
    if !std::io::stdout().is_terminal() {
        return Err(Failure::Usage("`present` needs a terminal".into()));
    }
    let address: SocketAddr = client::with_port(listen).parse().map_err(|_| {
        Failure::Usage(format!("`{listen}` is not an address to listen on (such as 0.0.0.0:47474)"))
    })?;
    // Off this machine, followers need the session's code.
    let code = (!address.ip().is_loopback()).then(server::session_code);
    let server =
        Server::start(address, code, catalog.fingerprint.clone(), Limits::default()).map_err(|error| {
            Failure::Failed(format!(
                "cannot listen for followers on {address}: {error} (is another `asyncdemo present` running? \
             `--listen 127.0.0.1:0` takes any free port)"
            ))
        })?;
    let shown = shown_address(server.address());
    let theme = Theme::from_env(palette);
    let config = RunConfig { seed, ..RunConfig::default() };
    let mode = guide::Mode { presenter: true, start, python: None };
    guide::run(catalog, lang, theme, config, &store, mode, Some((server, shown))).map_err(Failure::terminal)
}

/// The address followers type: for a listener on every interface (0.0.0.0), this machine's
/// address on the network its default route goes through.
fn shown_address(listening: SocketAddr) -> String {
    if !listening.ip().is_unspecified() {
        return listening.to_string();
    }
    // Connecting a UDP socket sends nothing; it only picks the interface a packet would leave by.
    let outward = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| socket.connect("192.0.2.1:9").map(|()| socket))
        .and_then(|socket| socket.local_addr());
    match outward {
        Ok(local) if !local.ip().is_unspecified() => {
            SocketAddr::new(local.ip(), listening.port()).to_string()
        }
        _ => listening.to_string(),
    }
}

/// `asyncdemo follow ADDRESS`: this terminal follows a presenter's class.
pub fn follow(
    catalog: &Catalog,
    lang: Lang,
    palette: Palette,
    address: &str,
    code: Option<String>,
) -> Result<(), Failure> {
    if !std::io::stdout().is_terminal() {
        return Err(Failure::Usage("`follow` needs a terminal".into()));
    }
    let theme = Theme::from_env(palette);
    follow::run(catalog, lang, theme, address, code).map_err(Failure::terminal)
}
