//! How long the live view takes to draw a frame with 10,000 tasks (the stress demo), at several
//! moments of the run, sizes and views, and how long the interactions that redraw take.
//! Target: at most 8 ms a frame. `cargo bench --bench frame` (or `just bench`).

use std::time::{Duration, Instant};

use asyncdemo::demos;
use asyncdemo::engine::event::VTime;
use asyncdemo::engine::run::{self, RunConfig};
use asyncdemo::lesson::Lang;
use asyncdemo::ui::App;
use asyncdemo::ui::app::LessonView;
use asyncdemo::ui::keys::Action;
use asyncdemo::ui::playback::Jump;
use asyncdemo::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const FRAMES: usize = 40;

fn main() {
    let demo = demos::find("stress").unwrap();
    let trace = run::record(&demo.program, RunConfig::default()).unwrap().trace();
    let (tasks, events, end) = (trace.tasks.len(), trace.events.len(), trace.end());
    println!("live view, stress demo: {tasks} tasks, {events} events; median (max) of {FRAMES} frames");

    let theme = Theme::new(true);
    let view = LessonView::of_demo(demo, "stress".into(), ("".into(), "".into()), &theme);
    let mut app = App::with_view(view, Lang::Ru, theme);
    app.show_recorded(trace);

    let mut worst = Duration::ZERO;
    for percent in [25u64, 50, 75, 100] {
        app.playback.jump(Jump::Time(VTime(end.0 * percent / 100)));
        let live = app.session().lifecycle().tasks.iter().filter(|t| !t.state.is_terminal()).count();
        for (width, height) in [(200, 60), (120, 36), (80, 24)] {
            let (median, max) = frames(&mut app, width, height, |_| {});
            worst = worst.max(median);
            println!(
                "  {percent:>3}% of the run ({live:>5} tasks alive)  {width}×{height}  {:>6.2} ms ({:.2})",
                ms(median),
                ms(max)
            );
        }
    }

    app.act(Action::ToggleTree);
    let (median, max) = frames(&mut app, 200, 60, |_| {});
    worst = worst.max(median);
    println!("  tree view                                  200×60  {:>6.2} ms ({:.2})", ms(median), ms(max));
    app.act(Action::ToggleTree);

    app.set_filter("worker 5");
    let (median, max) = frames(&mut app, 200, 60, |_| {});
    worst = worst.max(median);
    println!("  filtered by name                           200×60  {:>6.2} ms ({:.2})", ms(median), ms(max));
    app.set_filter("");

    // Interactions, each followed by the frame it causes, from the middle of the run.
    app.playback.jump(Jump::Time(VTime(end.0 / 2)));
    let interactions: [Interaction; 8] = [
        ("select the next task + frame", 4.0, |app| app.act(Action::SelectDown)),
        ("step back one event + frame", 2.0, |app| app.act(Action::StepBack)),
        ("step forward one event + frame", 4.0, |app| app.act(Action::StepForward)),
        ("previous instant + frame", 4.0, |app| app.act(Action::PreviousInstant)),
        ("next instant + frame", 4.0, |app| app.act(Action::NextInstant)),
        ("next printed line + frame", 4.0, |app| app.act(Action::NextPrint)),
        ("previous event of the task + frame", 4.0, |app| app.act(Action::PreviousOfTask)),
        ("go to a time (back and forth) + frame", 4.0, |app| {
            let end = app.session().events.last().map_or(VTime::ZERO, |e| e.at);
            let at = if app.session().playhead > VTime(end.0 / 2) { end.0 / 4 } else { end.0 * 3 / 4 };
            app.playback.jump(Jump::Time(VTime(at)));
        }),
    ];
    let mut over = Vec::new();
    for (name, target, act) in interactions {
        let (median, max) = frames(&mut app, 200, 60, act);
        println!("  {name:<42} 200×60  {:>6.2} ms ({:.2})  target <= {target} ms", ms(median), ms(max));
        if ms(median) > target {
            over.push(name);
        }
    }
    println!("  worst frame median: {:.2} ms (target <= 8 ms)", ms(worst));
    if over.is_empty() {
        println!("  every interaction within its target");
    } else {
        println!("  over target: {over:?}");
    }
}

/// An interaction: its name, its target in ms, and what it does.
type Interaction = (&'static str, f64, fn(&mut App));

/// Draws `FRAMES` frames of `app` (after `before` each), returns the median and the maximum.
fn frames(app: &mut App, width: u16, height: u16, mut before: impl FnMut(&mut App)) -> (Duration, Duration) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut times: Vec<Duration> = (0..FRAMES)
        .map(|_| {
            let start = Instant::now();
            before(app);
            terminal.draw(|frame| app.draw(frame)).unwrap();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
