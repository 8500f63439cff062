//! Classroom sessions over loopback: many followers join a presenter at once and answer a poll;
//! bad clients (garbage, oversized, silent, flooding, not reading, wrong version or code) each
//! get their error and a disconnect while the presenter goes on; a presenter that quits and
//! comes back is found again.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use asyncdemo::class::client::{Client, Incoming, Lost};
use asyncdemo::class::protocol::{FromPresenter, Moment, Refusal};
use asyncdemo::class::server::{Limits, Server};
use asyncdemo::class::tally::Form;

const COURSE: &str = "course-1";

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Waits (up to 10 s) for the first message from `client` that `pick` accepts.
async fn expect<T>(client: &mut Client, what: &str, mut pick: impl FnMut(Incoming) -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let incoming = tokio::time::timeout_at(deadline, client.inbox.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .unwrap_or_else(|| panic!("the connection ended waiting for {what}"));
        if let Some(found) = pick(incoming) {
            return found;
        }
    }
}

fn is_moment(incoming: Incoming) -> Option<Moment> {
    match incoming {
        Incoming::Message(FromPresenter::Moment(moment)) => Some(moment),
        _ => None,
    }
}

#[test]
fn two_hundred_followers_join_at_once_answer_a_poll_and_a_late_one_catches_up() {
    let mut server = Server::start(loopback(), None, COURSE.into(), Limits::default()).unwrap();
    let address = server.address().to_string();
    server.publish(Moment::start_of("gather", 7));
    let runtime = runtime();
    runtime.block_on(async {
        let mut followers: Vec<Client> =
            (0..200).map(|_| Client::connect(&address, None, COURSE.into())).collect();
        for follower in &mut followers {
            let moment = expect(follower, "the moment", is_moment).await;
            assert_eq!(moment.lesson.as_deref(), Some("gather"));
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while server.followers() < 200 {
            assert!(Instant::now() < deadline, "{} of 200 joined", server.followers());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        server.open_poll(1, "gather", 0, Form::Pick(3));
        for (i, follower) in followers.iter_mut().enumerate() {
            let poll = expect(follower, "the poll", |incoming| match incoming {
                Incoming::Message(FromPresenter::Poll { poll, .. }) => Some(poll),
                _ => None,
            })
            .await;
            follower.answer(poll, vec![(i % 3) as u8]);
            // A second answer does not count.
            follower.answer(poll, vec![0]);
        }
        let mut counts = [0; 3];
        for _ in 0..200 {
            let answered = tokio::time::timeout(Duration::from_secs(10), server.answers.recv())
                .await
                .expect("an answer in time")
                .unwrap();
            counts[answered.answer[0] as usize] += 1;
        }
        assert_eq!(counts, [67, 67, 66]);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(server.answers.try_recv().is_err(), "only the first answer of each follower counts");
        // A follower who joins now gets the open poll and the latest moment at once.
        let mut moment = Moment::start_of("gather", 7);
        moment.cursor = 12;
        server.publish(moment.clone());
        let mut late = Client::connect(&address, None, COURSE.into());
        expect(&mut late, "the poll", |incoming| {
            matches!(incoming, Incoming::Message(FromPresenter::Poll { poll: 1, .. })).then_some(())
        })
        .await;
        assert_eq!(expect(&mut late, "the moment", is_moment).await, moment);
    });
}

/// A raw client: connects, sends `lines` as they are, and reads what the presenter says until
/// it closes (or 5 s pass).
fn raw(address: SocketAddr, send: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = stream.write_all(send);
    let mut said = String::new();
    let _ = stream.read_to_string(&mut said);
    said
}

fn refused_for(said: &str) -> Option<Refusal> {
    said.lines().find_map(|line| match serde_json::from_str::<FromPresenter>(line) {
        Ok(FromPresenter::Error { reason, .. }) => Some(reason),
        _ => None,
    })
}

#[test]
fn bad_clients_get_an_error_and_a_disconnect_and_the_presenter_goes_on() {
    let limits = Limits { hello: Duration::from_millis(300), queue: 8, ..Limits::default() };
    let mut server = Server::start(loopback(), None, COURSE.into(), limits).unwrap();
    let address = server.address();
    server.publish(Moment::start_of("gather", 7));
    let started = Instant::now();

    assert_eq!(refused_for(&raw(address, b"GET / HTTP/1.1\r\n\r\n")), Some(Refusal::Garbage));
    assert_eq!(refused_for(&raw(address, b"\xff\xfe\n")), Some(Refusal::Garbage), "not UTF-8");
    assert_eq!(refused_for(&raw(address, &[b'x'; 100_000])), Some(Refusal::TooLong));
    assert_eq!(refused_for(&raw(address, b"")), Some(Refusal::Silent));
    assert_eq!(refused_for(&raw(address, b"{\"type\":\"hello\",\"protocol\":99}\n")), Some(Refusal::Version));
    let hello = b"{\"type\":\"hello\",\"protocol\":1}\n".to_vec();
    let mut flood = hello.clone();
    for _ in 0..1000 {
        flood.extend_from_slice(b"{\"type\":\"answer\",\"poll\":1,\"answer\":[0]}\n");
    }
    assert_eq!(refused_for(&raw(address, &flood)), Some(Refusal::Flood));
    let mut after_hello = hello.clone();
    after_hello.extend_from_slice(b"{\"type\":\"moment\"}\n");
    assert_eq!(refused_for(&raw(address, &after_hello)), Some(Refusal::Garbage), "followers only answer");

    // A follower that never reads: its queue fills, and it is dropped.
    let mut sleepy = TcpStream::connect(address).unwrap();
    sleepy.write_all(&hello).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.followers() < 1 {
        assert!(Instant::now() < deadline, "the sleepy follower joined");
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut moment = Moment::start_of("gather", 7);
    moment.cancels = (0..2000).map(|i| (i, 2)).collect();
    for cursor in 0..2000 {
        moment.cursor = cursor;
        server.publish(moment.clone());
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.followers() > 0 {
        assert!(Instant::now() < deadline, "the sleepy follower was dropped");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(started.elapsed() < Duration::from_secs(20), "each bad client is dealt with quickly");

    // The presenter goes on: a good follower joins and is welcomed.
    let mut good = TcpStream::connect(address).unwrap();
    good.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    good.write_all(&hello).unwrap();
    let mut reader = BufReader::new(good);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.contains("\"welcome\""), "{line}");
}

#[test]
fn off_loopback_a_session_code_is_needed_and_a_wrong_one_refused() {
    let mut server =
        Server::start(loopback(), Some("K7M2Q9".into()), COURSE.into(), Limits::default()).unwrap();
    let address = server.address();
    server.publish(Moment::choosing(7));
    assert_eq!(
        refused_for(&raw(address, b"{\"type\":\"hello\",\"protocol\":1}\n")),
        Some(Refusal::WrongCode)
    );
    let wrong = b"{\"type\":\"hello\",\"protocol\":1,\"code\":\"AAAAAA\"}\n";
    assert_eq!(refused_for(&raw(address, wrong)), Some(Refusal::WrongCode));
    runtime().block_on(async {
        // The code as typed, in lower case, is fine.
        let mut right = Client::connect(&address.to_string(), Some("k7m2q9".into()), COURSE.into());
        assert_eq!(expect(&mut right, "the moment", is_moment).await, Moment::choosing(7));
        let mut wrong = Client::connect(&address.to_string(), Some("nope".into()), COURSE.into());
        let lost = expect(&mut wrong, "the refusal", |incoming| match incoming {
            Incoming::Lost { why, retrying } => Some((why, retrying)),
            _ => None,
        })
        .await;
        assert_eq!(lost, (Lost::Refused(Refusal::WrongCode), false), "no use trying again");
        let mut other = Client::connect(&address.to_string(), Some("K7M2Q9".into()), "another course".into());
        let lost = expect(&mut other, "the refusal", |incoming| match incoming {
            Incoming::Lost { why, .. } => Some(why),
            _ => None,
        })
        .await;
        assert_eq!(lost, Lost::OtherCourse);
    });
}

#[test]
fn a_follower_finds_its_presenter_again_after_it_quits_and_comes_back() {
    let server = Server::start(loopback(), None, COURSE.into(), Limits::default()).unwrap();
    let address = server.address();
    let runtime = runtime();
    runtime.block_on(async {
        let mut follower = Client::connect(&address.to_string(), None, COURSE.into());
        expect(&mut follower, "joining", |incoming| (incoming == Incoming::Joined).then_some(())).await;
        drop(server);
        let lost = expect(&mut follower, "the goodbye", |incoming| match incoming {
            Incoming::Lost { why, retrying } => Some((why, retrying)),
            _ => None,
        })
        .await;
        assert_eq!(lost, (Lost::Bye, true));
        let mut back = Server::start(address, None, COURSE.into(), Limits::default()).unwrap();
        back.publish(Moment::start_of("shield", 7));
        expect(&mut follower, "joining again", |incoming| (incoming == Incoming::Joined).then_some(())).await;
        let moment = expect(&mut follower, "the moment", is_moment).await;
        assert_eq!(moment.lesson.as_deref(), Some("shield"));
    });
}

/// A follower's view, by its keys: it shows the presenter's moment; a key that moves the run
/// detaches it, `f` snaps back; digits answer an open poll (once), `Esc` puts the poll away.
#[test]
fn a_followers_view_mirrors_detaches_on_a_move_and_answers_a_poll_with_its_keys() {
    use asyncdemo::engine::run::{self, RunConfig};
    use asyncdemo::lesson::{Catalog, Lang};
    use asyncdemo::ui::App;
    use asyncdemo::ui::classroom::{ClassRequest, Following, Poll};
    use asyncdemo::ui::keys::Action;
    use asyncdemo::ui::theme::Theme;
    use crossterm::event::{KeyCode, KeyEvent};

    let catalog = Catalog::embedded().unwrap();
    let lesson = catalog.find("tasks").unwrap();
    let trace = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
    let recorded = |app: &mut App| app.show_recorded(trace.clone());
    // The presenter, some way into the run, with a task selected and the Python tab.
    let mut presenter = App::new(lesson, Lang::Ru, Theme::new(false));
    recorded(&mut presenter);
    for _ in 0..9 {
        presenter.act(Action::StepForward);
    }
    presenter.act(Action::SelectDown);
    presenter.act(Action::ToggleCode);
    let moment = presenter.moment(7);

    let mut follower = App::new(lesson, Lang::Ru, Theme::new(false));
    recorded(&mut follower);
    follower.follow(Following::default());
    follower.on_moment(moment.clone());
    assert_eq!(follower.moment(7), moment, "the follower shows the presenter's moment");
    assert!(follower.mirroring());

    // A step of its own leaves the presenter; the next moment does not take it back.
    follower.act(Action::StepBack);
    assert!(!follower.mirroring());
    assert_eq!(follower.session().cursor(), moment.cursor - 1);
    let mut later = moment.clone();
    later.cursor += 2;
    follower.on_moment(later.clone());
    assert_eq!(follower.session().cursor(), moment.cursor - 1, "on its own, it stays");
    follower.act(Action::Follow);
    assert_eq!(follower.session().cursor(), later.cursor, "f snaps back to the presenter's moment");

    // The presenter's poll on quiz 2 ("which task finishes first"): a digit answers, once.
    let poll = Poll::new(&follower, 5, 1, &trace, false).unwrap();
    follower.poll_opened(poll);
    follower.on_key(KeyEvent::from(KeyCode::Char('9')));
    assert!(follower.take_class_requests().is_empty(), "no option 9");
    follower.on_key(KeyEvent::from(KeyCode::Char('2')));
    follower.on_key(KeyEvent::from(KeyCode::Char('1')));
    assert_eq!(follower.take_class_requests(), [ClassRequest::Answer { poll: 5, answer: vec![1] }]);
    assert!(follower.mirroring(), "answering is not moving the run");
    follower.on_key(KeyEvent::from(KeyCode::Esc));
    assert!(follower.class.as_ref().unwrap().poll.as_ref().is_some_and(|p| !p.shown));
    // With the poll put away, a digit is a stop again (and leaves the presenter).
    follower.on_key(KeyEvent::from(KeyCode::Char('1')));
    assert!(!follower.mirroring());

    // A moment no presenter of ours sends (a peer of its own making) is shown as far as it
    // makes sense, and never breaks the view.
    follower.act(Action::Follow);
    let mut absurd = moment.clone();
    absurd.cursor = usize::MAX;
    absurd.playhead = u64::MAX;
    absurd.rate = usize::MAX;
    absurd.selected = Some(u32::MAX);
    absurd.cancels = vec![(usize::MAX, u32::MAX), (0, 0)];
    follower.on_moment(absurd);
    for _ in 0..3 {
        follower.take_requests();
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        terminal.draw(|frame| follower.draw(frame)).unwrap();
    }
}
