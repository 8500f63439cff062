//! The presenter's frame time and memory with a class of 200 followers (target: at most 4 ms a
//! frame at 120×36). `cargo bench --bench class` (or `just bench`).
//!
//! The presenter (this process) steps through a lesson, 30 steps a second (the live view's
//! frame rate), and each step is a frame: the moment sent to the class and the view drawn. The followers are 200 real connections in a second
//! process (this benchmark run again with `--followers`), so the presenter's memory is its own;
//! halfway through they answer a poll, and the tally is drawn in every frame after. The same
//! frames with no class give the ratio.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use asyncdemo::class::client::{Client, Incoming};
use asyncdemo::class::protocol::FromPresenter;
use asyncdemo::class::server::{Limits, Server};
use asyncdemo::engine::run::{self, RunConfig};
use asyncdemo::lesson::{Catalog, Lang};
use asyncdemo::ui::App;
use asyncdemo::ui::classroom::Poll;
use asyncdemo::ui::keys::Action;
use asyncdemo::ui::playback::Jump;
use asyncdemo::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const FOLLOWERS: usize = 200;
const FRAMES: usize = 300;
/// The presenter's frames come at most this often (the live view's frame rate while playing).
const FRAME_EVERY: Duration = Duration::from_millis(33);
const LESSON: &str = "gather";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--followers") {
        return followers(&args[at + 1]);
    }
    let catalog = Catalog::embedded().unwrap();
    let lesson = catalog.find(LESSON).unwrap();
    let config = RunConfig::default();
    let trace = run::record(&lesson.demo.expect("a demo").program, config).unwrap().trace();
    println!(
        "class: the presenter with {FOLLOWERS} followers, lesson {LESSON} ({} events), {FRAMES} frames at 120×36",
        trace.events.len()
    );

    let app_for = |trace: &asyncdemo::engine::event::Trace| {
        let mut app = App::new(lesson, Lang::Ru, Theme::new(true));
        app.show_recorded(trace.clone());
        app
    };

    // Alone: the same frames with no class.
    let mut alone = app_for(&trace);
    let (alone_median, alone_p99) = frames(&mut alone, |_| {});
    drop(alone);
    let rss_start = rss_kib();

    let mut server =
        Server::start("127.0.0.1:0".parse().unwrap(), None, catalog.fingerprint.clone(), Limits::default())
            .unwrap();
    let rss_listening = rss_kib();
    let joining = Instant::now();
    let mut class = Command::new(std::env::current_exe().unwrap())
        .args(["--followers", &server.address().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the followers' process starts");
    let mut app = app_for(&trace);
    app.teach(server.address().to_string(), None, 0);
    server.publish(app.moment(config.seed));
    while server.followers() < FOLLOWERS {
        assert!(joining.elapsed() < Duration::from_secs(30), "only {} followers joined", server.followers());
        std::thread::sleep(Duration::from_millis(5));
    }
    let joined_in = joining.elapsed();
    let rss_joined = rss_kib();

    // Halfway, a poll: the answers come in while the frames go on.
    let poll = Poll::new(&app, 1, 0, &trace, true).expect("the lesson's first quiz has an answer");
    let form = poll.form;
    let mut frame_number = 0;
    let mut answers = 0;
    let (median, p99) = frames(&mut app, |app| {
        frame_number += 1;
        if frame_number == FRAMES / 2 {
            server.open_poll(1, LESSON, 0, form);
            app.poll_opened(Poll::new(app, 1, 0, &trace, true).unwrap());
        }
        while let Ok(answered) = server.answers.try_recv() {
            app.on_answer(answered);
            answers += 1;
        }
        app.set_followers(server.followers());
        server.publish(app.moment(config.seed));
    });
    let rss_end = rss_kib();
    let cursor = app.session().cursor();
    let tally = app.tally().unwrap_or_default();
    // Let the last moments reach the class, then say goodbye.
    std::thread::sleep(Duration::from_millis(500));
    drop(server);
    let mut report = String::new();
    BufReader::new(class.stdout.take().unwrap()).read_line(&mut report).unwrap();
    let _ = class.wait();

    println!(
        "  joined: {FOLLOWERS} followers in {:.0} ms (from starting their process)",
        joined_in.as_secs_f64() * 1000.0
    );
    println!(
        "  frame (step + moment sent + draw), alone      {:>6.3} ms median, {:.3} ms p99",
        ms(alone_median),
        ms(alone_p99)
    );
    println!(
        "  frame with {FOLLOWERS} followers and a live tally   {:>6.3} ms median, {:.3} ms p99  target <= 4 ms; {:.2}× alone",
        ms(median),
        ms(p99),
        median.as_secs_f64() / alone_median.as_secs_f64()
    );
    println!(
        "  poll: {answers} answers taken during the frames, tally {} of {}",
        tally.answered, tally.followers
    );
    println!(
        "  presenter's memory (RSS): {} KiB at start, +{} KiB listening, +{} KiB with {FOLLOWERS} joined, +{} KiB after the frames ({} KiB a follower)",
        rss_start,
        rss_listening.saturating_sub(rss_start),
        rss_joined.saturating_sub(rss_listening),
        rss_end.saturating_sub(rss_joined),
        (rss_end.saturating_sub(rss_listening)) / FOLLOWERS as u64
    );
    println!("  followers at the presenter's last moment: {} (cursor {cursor})", report.trim());
    assert!(median <= Duration::from_millis(4), "a frame takes more than 4 ms with {FOLLOWERS} followers");
    assert_eq!(answers, FOLLOWERS, "every follower's answer was counted");
}

/// `FRAMES` frames at 120×36, one every `FRAME_EVERY`, each after a step (back to the start at
/// the end of the run) and `each`: the median and the 99th percentile of the frames' time.
fn frames(app: &mut App, mut each: impl FnMut(&mut App)) -> (Duration, Duration) {
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    let mut times = Vec::with_capacity(FRAMES);
    let mut next = Instant::now();
    for _ in 0..FRAMES {
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
        next += FRAME_EVERY;
        let start = Instant::now();
        if app.session().finished() {
            app.playback.jump(Jump::Cursor(0));
        } else {
            app.act(Action::StepForward);
        }
        each(app);
        terminal.draw(|frame| app.draw(frame)).unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    (times[FRAMES / 2], times[FRAMES * 99 / 100])
}

/// The followers' process: `FOLLOWERS` connections; each answers the poll (option by its
/// number) and keeps the last cursor it saw. When the presenter says goodbye, prints how many
/// were at the last cursor any of them saw.
fn followers(address: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let catalog = Catalog::embedded().unwrap();
        let lesson = catalog.find(LESSON).unwrap();
        let quiz = &lesson.quizzes[0];
        let options = asyncdemo::quiz::options(quiz, Lang::Ru, &lesson.prints).len();
        let order = matches!(quiz.predict, asyncdemo::lesson::Predict::Order { .. });
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..FOLLOWERS {
            // Each follower its own answer: a rotation of the options, or one of them.
            let answer: Vec<u8> = if order {
                (0..options).map(|k| ((k + i) % options) as u8).collect()
            } else {
                vec![(i % options) as u8]
            };
            let mut client = Client::connect(address, None, catalog.fingerprint.clone());
            tasks.spawn(async move {
                let mut cursor = 0;
                while let Some(incoming) = client.inbox.recv().await {
                    match incoming {
                        Incoming::Message(FromPresenter::Moment(moment)) => cursor = moment.cursor,
                        Incoming::Message(FromPresenter::Poll { poll, .. }) => {
                            client.answer(poll, answer.clone());
                        }
                        Incoming::Lost { .. } => break,
                        _ => {}
                    }
                }
                cursor
            });
        }
        let cursors: Vec<usize> = tasks.join_all().await;
        let last = cursors.iter().copied().max().unwrap_or(0);
        println!("{}/{FOLLOWERS}", cursors.iter().filter(|&&c| c == last).count());
    });
}

/// This process's resident memory, in KiB (Linux).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
