//! Rendered frames of the live view (ratatui's `TestBackend`) at chosen moments of several
//! lessons, pinned by insta snapshots. The buffer's Debug form includes every cell's style, so
//! the state colours are pinned too.

use asyncdemo::engine::run::{self, RunConfig};
use asyncdemo::lesson::{Catalog, Lang};
use asyncdemo::ui::App;
use asyncdemo::ui::keys::Action;
use asyncdemo::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

mod common;

/// The app for `lesson` with the whole recorded run received, showing the first `shown` events
/// (all of them if `None`), paused.
fn app(lesson: &str, lang: Lang, color: bool, shown: Option<usize>) -> App {
    app_with(lesson, lang, Theme::new(color), shown)
}

fn app_with(lesson: &str, lang: Lang, theme: Theme, shown: Option<usize>) -> App {
    let catalog = Catalog::embedded().unwrap();
    let lesson = catalog.find(lesson).unwrap();
    let trace = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
    let mut app = App::new(lesson, lang, theme);
    let total = trace.events.len();
    app.show_recorded(trace);
    for _ in 0..shown.unwrap_or(total) {
        app.act(Action::StepForward);
    }
    app
}

fn frame(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().buffer().clone()
}

/// Plain SSH terminals and tmux must render every frame right: only the 16 ANSI colours.
fn assert_ansi_16(buffer: &Buffer) {
    use ratatui::style::Color;
    for cell in buffer.content() {
        for color in [cell.fg, cell.bg] {
            assert!(
                !matches!(color, Color::Rgb(..) | Color::Indexed(_)),
                "a colour outside the 16 ANSI ones: {color:?}"
            );
        }
    }
}

/// The frame as text: one line per row (what a reviewer reads in `cargo insta review`).
fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Where a state is named with its symbol (`‖ Suspended`: the task list, the last event, the
/// event log), both are drawn in the state's colour: the colours that carry meaning.
/// Returns how many it checked.
fn assert_state_colours(buffer: &Buffer) -> usize {
    let mut checked = 0;
    use asyncdemo::engine::lifecycle::State;
    use asyncdemo::ui::theme::symbol;
    let theme = Theme::new(true);
    let area = buffer.area;
    for y in 0..area.height {
        let cells: Vec<&ratatui::buffer::Cell> = (0..area.width).map(|x| &buffer[(x, y)]).collect();
        let symbols: Vec<&str> = cells.iter().map(|c| c.symbol()).collect();
        for state in State::ALL {
            let name: Vec<String> = state.name().chars().map(String::from).collect();
            for x in 0..symbols.len().saturating_sub(name.len() + 2) {
                let named = symbols[x] == symbol(state)
                    && symbols[x + 1] == " "
                    && name.iter().enumerate().all(|(i, c)| symbols[x + 2 + i] == c);
                if named && cells[x].fg != ratatui::style::Color::Reset {
                    let expected = theme.state(state).fg.unwrap_or(ratatui::style::Color::Reset);
                    assert_eq!(cells[x].fg, expected, "{state:?}'s symbol at {x},{y}");
                    assert_eq!(cells[x + 2].fg, expected, "{state:?}'s name at {},{y}", x + 2);
                    checked += 1;
                }
            }
        }
    }
    checked
}

fn snapshot(name: &str, buffer: &Buffer) {
    assert_ansi_16(buffer);
    assert_state_colours(buffer);
    common::snapshot_settings().bind(|| insta::assert_snapshot!(name, text(buffer)));
}

#[test]
fn the_state_colours_are_checked_where_they_are_drawn() {
    let buffer = frame(&mut app("gather", Lang::Ru, true, Some(60)), 120, 36);
    // Eleven tasks in the list, and the last event's line.
    assert!(assert_state_colours(&buffer) >= 12);
    let plain = frame(&mut app("gather", Lang::Ru, false, Some(60)), 120, 36);
    assert_eq!(assert_state_colours(&plain), 0, "no colour, nothing to check");
}

#[test]
fn gather_mid_run_standard_layout() {
    snapshot("ui_gather_mid_120x36", &frame(&mut app("gather", Lang::Ru, true, Some(60)), 120, 36));
}

#[test]
fn gather_at_the_end_on_a_projector() {
    snapshot("ui_gather_end_200x60", &frame(&mut app("gather", Lang::Ru, true, None), 200, 60));
}

#[test]
fn cancellation_during_graceful_shutdown_in_english() {
    let mut app = app("cancellation", Lang::En, true, Some(70));
    app.act(Action::SelectDown);
    app.act(Action::SelectDown);
    snapshot("ui_cancellation_en_160x48", &frame(&mut app, 160, 48));
}

#[test]
fn tasks_on_an_80x24_terminal() {
    snapshot("ui_tasks_80x24", &frame(&mut app("tasks", Lang::Ru, true, Some(40)), 80, 24));
}

#[test]
fn no_color_uses_symbols_and_modifiers_only() {
    let buffer = frame(&mut app("gather", Lang::Ru, false, Some(60)), 80, 24);
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "no colour at all with NO_COLOR");
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    snapshot("ui_gather_no_color_80x24", &buffer);
}

#[test]
fn a_small_window_gets_one_panel_and_tab_swaps_it() {
    let mut app = app("shield", Lang::Ru, true, Some(30));
    snapshot("ui_shield_40x12", &frame(&mut app, 40, 12));
    app.act(Action::NextPanel);
    snapshot("ui_shield_40x12_next_panel", &frame(&mut app, 40, 12));
}

#[test]
fn a_tiny_window_gets_a_message_and_no_size_panics() {
    let mut app = app("gather", Lang::En, true, Some(20));
    let tiny = frame(&mut app, 20, 6);
    let text: String = tiny.content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("window too small"), "{text}");
    for (width, height) in
        [(1, 1), (2, 30), (30, 8), (31, 9), (59, 15), (79, 23), (109, 31), (159, 43), (250, 80)]
    {
        frame(&mut app, width, height);
    }
}

#[test]
fn help_lists_every_key_and_the_state_names() {
    let mut app = app("event-loop", Lang::Ru, true, Some(10));
    app.act(Action::Help);
    let buffer = frame(&mut app, 100, 46);
    let text: String = buffer.content().iter().map(|c| c.symbol()).collect();
    for expected in ["пуск / пауза", "отменить выбранную задачу", "Suspended", "приостановлена"]
    {
        assert!(text.contains(expected), "help lacks {expected:?}");
    }
    snapshot("ui_help_100x46", &buffer);
}

#[test]
fn tree_view_and_filter() {
    let mut app = app("event-loop", Lang::Ru, true, None);
    app.act(Action::ToggleTree);
    snapshot("ui_event_loop_tree_120x36", &frame(&mut app, 120, 36));
    app.set_filter("фон");
    let buffer = frame(&mut app, 120, 36);
    let text: String = buffer.content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("фон") && text.contains("#1"), "a match keeps its ancestors in tree view");
    assert!(!text.contains("call_later"), "non-matching tasks are hidden");
}

#[test]
fn python_view_of_the_code_panel() {
    let mut app = app("gather", Lang::Ru, true, Some(60));
    app.act(Action::ToggleCode);
    let buffer = frame(&mut app, 120, 36);
    let text: String = buffer.content().iter().map(|c| c.symbol()).collect();
    // The Python pane follows the selected task (main, waiting in `join_all`) to the matching
    // region of the original (`gather`), marked `┃`.
    assert!(
        text.contains("Python: оригинал") && text.contains("┃    ") && text.contains("asyncio.gather("),
        "{text}"
    );
}

/// The README's key table names every key the view knows.
#[test]
fn the_readme_documents_every_key() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = &readme[readme.find("### Keys").expect("a Keys section")..];
    for binding in asyncdemo::ui::keys::BINDINGS {
        for key in binding.shown().split(' ') {
            assert!(table.contains(&format!("`{key}`")), "README's key table lacks `{key}`");
        }
    }
}

/// Every key of the key table, pressed through the real key handler in several states of the
/// view, and a frame drawn after each: nothing panics, and only `q` and Ctrl-C leave (`Esc`
/// never does; in the tour `q` goes back to the menu).
#[test]
fn every_key_goes_through_the_key_handler() {
    use asyncdemo::ui::Exit;
    use crossterm::event::{KeyCode, KeyModifiers};
    let leaves = |key: &crossterm::event::KeyEvent| {
        key.code == KeyCode::Char('q') || key.modifiers.contains(KeyModifiers::CONTROL)
    };
    for (width, height) in [(80, 24), (100, 30), (120, 34), (160, 44)] {
        let mut app = app("cancellation", Lang::Ru, true, Some(30));
        for key in asyncdemo::ui::keys::every_key() {
            if leaves(&key) {
                continue;
            }
            app.on_key(key);
            // A prompt (`g`, `/`) takes the next keys as text: close it, as a person would.
            app.on_key(KeyCode::Esc.into());
            frame(&mut app, width, height);
            assert_eq!(app.exit, None, "{key:?} at {width}×{height} left the view");
        }
        app.on_key(KeyCode::Char('q').into());
        assert_eq!(app.exit, Some(Exit::Quit));
    }
    let mut in_tour = app("cancellation", Lang::Ru, true, Some(30));
    in_tour.in_tour = true;
    in_tour.on_key(KeyCode::Char('q').into());
    assert_eq!(in_tour.exit, Some(Exit::Menu), "q in the tour goes back to the menu");
    let mut interrupted = app("cancellation", Lang::Ru, true, Some(30));
    interrupted.in_tour = true;
    interrupted.on_key(crossterm::event::KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(interrupted.exit, Some(Exit::Quit), "Ctrl-C leaves even the tour");
}

/// The lesson text stops scrolling at its end, and says where it is.
#[test]
fn lesson_text_scrolling_stops_at_its_ends() {
    let mut app = app("gather", Lang::Ru, true, Some(10));
    app.view.panel = asyncdemo::ui::layout::Panel::Text;
    frame(&mut app, 120, 34);
    for _ in 0..500 {
        app.act(Action::TextDown);
    }
    let at_end = app.view.text_scroll;
    let text: String = frame(&mut app, 120, 34).content().iter().map(|c| c.symbol()).collect();
    let total: u16 = text
        .split("Урок · ")
        .nth(1)
        .and_then(|t| t.split('/').nth(1))
        .and_then(|t| t.split(' ').next())
        .and_then(|t| t.parse().ok())
        .expect("the position in the title");
    assert!(at_end < total, "scrolled to {at_end} of {total} lines");
    assert!(text.contains(&format!("/{total} [ ]")), "{text}");
    for _ in 0..500 {
        app.act(Action::TextUp);
    }
    assert_eq!(app.view.text_scroll, 0);
}

/// `--theme high-contrast` (a projector) uses no dark grey and bold state colours;
/// `--theme light` (a light background) no yellow and no light colours.
#[test]
fn themes_for_a_projector_and_a_light_background() {
    use asyncdemo::ui::theme::Palette;
    use ratatui::style::{Color, Modifier};
    for palette in [Palette::HighContrast, Palette::Light] {
        let mut app = app_with("cancellation", Lang::Ru, Theme { color: true, palette }, Some(30));
        let buffer = frame(&mut app, 100, 30);
        assert_ansi_16(&buffer);
        for cell in buffer.content() {
            match palette {
                Palette::HighContrast => assert_ne!(cell.fg, Color::DarkGray, "{palette:?}"),
                _ => assert!(
                    !matches!(
                        cell.fg,
                        Color::Yellow
                            | Color::LightYellow
                            | Color::LightGreen
                            | Color::LightBlue
                            | Color::LightCyan
                            | Color::LightRed
                            | Color::LightMagenta
                            | Color::Gray
                            | Color::White
                    ),
                    "{palette:?}: {:?}",
                    cell.fg
                ),
            }
        }
        if palette == Palette::HighContrast {
            // The state names and symbols: bright and bold.
            let states: Vec<_> = buffer
                .content()
                .iter()
                .filter(|c| ["»", "▶", "‖", "✓", "⊘", "✗"].contains(&c.symbol()) && c.fg != Color::Reset)
                .collect();
            assert!(!states.is_empty(), "states are drawn in bright colours");
            assert!(
                states.iter().all(|c| c.modifier.contains(Modifier::BOLD)),
                "bold state colours: {states:?}"
            );
        }
    }
}
