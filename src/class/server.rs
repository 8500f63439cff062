//! The presenter's side of a class: a listener on its own thread, so that no follower can ever
//! make the presenter's screen wait.
//!
//! The presenter's view hands the server each new [`Moment`] and poll, without waiting; a hub
//! task on the server's thread keeps the latest of each (for followers who join late) and puts
//! every line in each follower's bounded queue. A follower whose queue is full (it does not
//! read) is dropped with a message, as is one that breaks the protocol: no hello in time, a
//! line that is too long or not a message, another protocol version, a wrong session code, more
//! lines than a follower ever needs. What followers send that counts (answers to the open poll,
//! one per follower) comes back to the view through a bounded channel.

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::timeout;
use tokio_util::codec::{FramedRead, LinesCodec, LinesCodecError};

use super::protocol::{
    self, FromFollower, FromPresenter, MAX_FOLLOWER_LINE, Moment, Refusal, Summary, VERSION,
};
use super::tally::Form;

/// How much the server takes from followers.
#[derive(Copy, Clone, Debug)]
pub struct Limits {
    /// Time to say hello after connecting.
    pub hello: Duration,
    /// Time a write to a follower may take (a follower that does not read is dropped).
    pub write: Duration,
    /// Lines waiting for a follower; one more and it is dropped as too slow.
    pub queue: usize,
    /// Followers (and connections saying hello) at once.
    pub followers: usize,
    /// Lines a follower may send a second, on average, and at once.
    pub rate: f64,
    pub burst: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            hello: Duration::from_secs(5),
            write: Duration::from_secs(5),
            queue: 64,
            followers: 1000,
            rate: 5.0,
            burst: 20.0,
        }
    }
}

/// A follower's answer to the open poll (the first it gave, in the poll's form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    pub follower: u64,
    pub poll: u64,
    pub answer: Vec<u8>,
}

/// The presenter's listener. Dropping it says goodbye to every follower and stops the thread.
pub struct Server {
    address: SocketAddr,
    code: Option<String>,
    control: mpsc::UnboundedSender<Control>,
    /// Answers to the open poll, as they come.
    pub answers: mpsc::Receiver<Answered>,
    followers: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
    last_moment: Option<Moment>,
}

/// What the view tells the hub.
enum Control {
    Moment(Arc<str>),
    /// A poll opened (taking answers of this form) or revealed: the latest poll line.
    Poll {
        line: Arc<str>,
        taking: Option<(u64, Form)>,
    },
    PollClosed(Arc<str>),
}

impl Server {
    /// Listens on `address` (port 0: any free port). `code`: the session code followers must
    /// give (see [`session_code`]). `course`: the fingerprint of the presenter's lessons.
    pub fn start(
        address: SocketAddr,
        code: Option<String>,
        course: String,
        limits: Limits,
    ) -> io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        // A backlog for a whole class connecting at once (std's is 128); bound here, so that an
        // address in use is the caller's error at once.
        let listener = {
            let _context = runtime.enter();
            let socket = if address.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
            socket.set_reuseaddr(true)?;
            socket.bind(address)?;
            socket.listen(1024)?
        };
        let address = listener.local_addr()?;
        let (control, control_rx) = mpsc::unbounded_channel();
        let (answers_tx, answers) = mpsc::channel(4096);
        let followers = Arc::new(AtomicUsize::new(0));
        let hub = Hub {
            welcome: protocol::line(&FromPresenter::Welcome { protocol: VERSION, course }).into(),
            code: code.clone().map(Arc::from),
            limits,
            members: HashMap::new(),
            moment: None,
            poll: None,
            taking: None,
            answered: HashSet::new(),
            followers: followers.clone(),
            answers: answers_tx,
        };
        let thread = std::thread::Builder::new()
            .name("class".into())
            .spawn(move || runtime.block_on(hub.run(listener, control_rx)))?;
        Ok(Server { address, code, control, answers, followers, thread: Some(thread), last_moment: None })
    }

    /// Where followers connect.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The session code followers must give, if one is needed.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Followers connected now.
    pub fn followers(&self) -> usize {
        self.followers.load(Ordering::Relaxed)
    }

    /// Is this the moment the class was last sent?
    pub fn is_published(&self, moment: &Moment) -> bool {
        self.last_moment.as_ref() == Some(moment)
    }

    /// The presenter is here now (sent on only if it changed).
    pub fn publish(&mut self, moment: Moment) {
        if self.last_moment.as_ref() == Some(&moment) {
            return;
        }
        let line = protocol::line(&FromPresenter::Moment(moment.clone()));
        self.last_moment = Some(moment);
        let _ = self.control.send(Control::Moment(line.into()));
    }

    /// Opens poll `poll` on quiz `quiz` of `lesson`; answers must have this form.
    pub fn open_poll(&mut self, poll: u64, lesson: &str, quiz: usize, form: Form) {
        let line = protocol::line(&FromPresenter::Poll { poll, lesson: lesson.to_owned(), quiz });
        let _ = self.control.send(Control::Poll { line: line.into(), taking: Some((poll, form)) });
    }

    /// Shows the class the poll's result.
    pub fn reveal(&mut self, poll: u64, tally: Summary) {
        let line = protocol::line(&FromPresenter::Reveal { poll, tally });
        let _ = self.control.send(Control::Poll { line: line.into(), taking: None });
    }

    pub fn close_poll(&mut self, poll: u64) {
        let line = protocol::line(&FromPresenter::PollClosed { poll });
        let _ = self.control.send(Control::PollClosed(line.into()));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing the control channel ends the hub, which says goodbye to every follower.
        let (closed, _) = mpsc::unbounded_channel();
        drop(std::mem::replace(&mut self.control, closed));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A short code for a session on the room's network: six letters and digits, none that look
/// alike (no 0/O, 1/I).
pub fn session_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = fastrand::Rng::new();
    (0..6).map(|_| ALPHABET[rng.usize(..ALPHABET.len())] as char).collect()
}

/// A follower the hub sends to.
struct Member {
    queue: mpsc::Sender<Arc<str>>,
    /// Sent on when the presenter leaves; dropped when the follower is dropped as too slow.
    bye: oneshot::Sender<()>,
}

/// What connections tell the hub.
enum Report {
    Joined { id: u64, queue: mpsc::Sender<Arc<str>>, bye: oneshot::Sender<()> },
    Answer { id: u64, poll: u64, answer: Vec<u8> },
    Left { id: u64 },
}

struct Hub {
    welcome: Arc<str>,
    code: Option<Arc<str>>,
    limits: Limits,
    members: HashMap<u64, Member>,
    moment: Option<Arc<str>>,
    poll: Option<Arc<str>>,
    /// The open poll taking answers, and their form.
    taking: Option<(u64, Form)>,
    /// Who answered the open poll.
    answered: HashSet<u64>,
    followers: Arc<AtomicUsize>,
    answers: mpsc::Sender<Answered>,
}

impl Hub {
    async fn run(mut self, listener: TcpListener, mut control: mpsc::UnboundedReceiver<Control>) {
        let mut connections = JoinSet::new();
        let (reports_tx, mut reports) = mpsc::channel::<Report>(1024);
        let mut next_id = 0u64;
        loop {
            tokio::select! {
                biased;
                command = control.recv() => match command {
                    None => break,
                    Some(Control::Moment(line)) => {
                        self.moment = Some(line.clone());
                        self.broadcast(line);
                    }
                    Some(Control::Poll { line, taking }) => {
                        if taking.is_some() {
                            self.answered.clear();
                        }
                        self.taking = taking;
                        self.poll = Some(line.clone());
                        self.broadcast(line);
                    }
                    Some(Control::PollClosed(line)) => {
                        self.taking = None;
                        self.poll = None;
                        self.broadcast(line);
                    }
                },
                Some(report) = reports.recv() => self.on_report(report),
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) if connections.len() < self.limits.followers => {
                        next_id += 1;
                        let connection = Connection {
                            id: next_id,
                            welcome: self.welcome.clone(),
                            code: self.code.clone(),
                            limits: self.limits,
                            hub: reports_tx.clone(),
                        };
                        connections.spawn(connection.serve(stream));
                    }
                    Ok((stream, _)) if connections.len() < 2 * self.limits.followers => {
                        let limits = self.limits;
                        connections.spawn(async move {
                            let (_, mut write) = stream.into_split();
                            refuse(&mut write, Refusal::Full, limits.write).await;
                        });
                    }
                    // Past twice the limit: closed without a word.
                    Ok(_) => {}
                    // Out of file descriptors, say: let some connections end first.
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
                Some(_) = connections.join_next() => {}
            }
        }
        // The presenter is leaving: every follower is told (those that joined a moment ago
        // too), and given a moment to read it.
        while let Ok(report) = reports.try_recv() {
            self.on_report(report);
        }
        for (_, member) in self.members.drain() {
            let _ = member.bye.send(());
        }
        self.followers.store(0, Ordering::Relaxed);
        let _ =
            timeout(Duration::from_secs(1), async { while connections.join_next().await.is_some() {} }).await;
    }

    fn on_report(&mut self, report: Report) {
        match report {
            Report::Joined { id, queue, bye } => {
                // What a late joiner needs: the poll, then the moment.
                for line in [self.poll.clone(), self.moment.clone()].into_iter().flatten() {
                    let _ = queue.try_send(line);
                }
                self.members.insert(id, Member { queue, bye });
            }
            Report::Answer { id, poll, answer } => {
                let Some((open, form)) = self.taking else { return };
                if poll == open && form.fits(&answer) && self.answered.insert(id) {
                    // The view reads these as they come; if it ever fell this far behind, an
                    // answer is lost rather than memory grown.
                    let _ = self.answers.try_send(Answered { follower: id, poll, answer });
                }
            }
            Report::Left { id } => {
                self.members.remove(&id);
            }
        }
        self.followers.store(self.members.len(), Ordering::Relaxed);
    }

    /// Puts `line` in every follower's queue. A follower whose queue is full is dropped: its
    /// `bye` sender goes with it, and its connection says it was too slow and closes.
    fn broadcast(&mut self, line: Arc<str>) {
        self.members.retain(|_, member| member.queue.try_send(line.clone()).is_ok());
        self.followers.store(self.members.len(), Ordering::Relaxed);
    }
}

/// One follower's connection, on the server's thread.
struct Connection {
    id: u64,
    welcome: Arc<str>,
    code: Option<Arc<str>>,
    limits: Limits,
    hub: mpsc::Sender<Report>,
}

/// Tells the hub a connection ended, however it ends.
struct Leaving {
    id: u64,
    hub: mpsc::Sender<Report>,
}

impl Drop for Leaving {
    fn drop(&mut self) {
        // If the hub's inbox is full, the hub finds the queue closed at its next line.
        let _ = self.hub.try_send(Report::Left { id: self.id });
    }
}

impl Connection {
    async fn serve(self, stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let (read, mut write) = stream.into_split();
        let mut lines = FramedRead::new(read, LinesCodec::new_with_max_length(MAX_FOLLOWER_LINE));
        let limits = self.limits;
        // The hello, in time.
        let hello = match timeout(limits.hello, lines.next()).await {
            Err(_) => return refuse(&mut write, Refusal::Silent, limits.write).await,
            Ok(None) => return,
            Ok(Some(Err(error))) => return refuse(&mut write, refusal(&error), limits.write).await,
            Ok(Some(Ok(line))) => line,
        };
        match serde_json::from_str::<FromFollower>(&hello) {
            Ok(FromFollower::Hello { protocol, .. }) if protocol != VERSION => {
                return refuse(&mut write, Refusal::Version, limits.write).await;
            }
            Ok(FromFollower::Hello { code: given, .. }) => {
                let right = match &self.code {
                    None => true,
                    Some(code) => given.is_some_and(|given| given.trim().eq_ignore_ascii_case(code)),
                };
                if !right {
                    return refuse(&mut write, Refusal::WrongCode, limits.write).await;
                }
            }
            _ => return refuse(&mut write, Refusal::Garbage, limits.write).await,
        }
        // Joined before welcomed: a follower that has its welcome is in the hub's inbox, so a
        // presenter that leaves now still says goodbye to it.
        let (queue_tx, mut queue) = mpsc::channel::<Arc<str>>(limits.queue);
        let (bye_tx, mut bye) = oneshot::channel();
        if self.hub.send(Report::Joined { id: self.id, queue: queue_tx, bye: bye_tx }).await.is_err() {
            return;
        }
        let _leaving = Leaving { id: self.id, hub: self.hub.clone() };
        if write_line(&mut write, &self.welcome, limits.write).await.is_err() {
            return;
        }
        let mut bucket = Bucket::new(limits.rate, limits.burst);
        loop {
            tokio::select! {
                biased;
                leaving = &mut bye => {
                    match leaving {
                        Ok(()) => {
                            let line = protocol::line(&FromPresenter::Bye);
                            let _ = write_line(&mut write, &line, limits.write).await;
                        }
                        // The hub dropped this follower: its queue was full.
                        Err(_) => refuse(&mut write, Refusal::TooSlow, Duration::from_millis(200)).await,
                    }
                    return;
                }
                line = queue.recv() => match line {
                    Some(line) => {
                        if write_line(&mut write, &line, limits.write).await.is_err() {
                            return refuse(&mut write, Refusal::TooSlow, Duration::from_millis(200)).await;
                        }
                    }
                    None => return refuse(&mut write, Refusal::TooSlow, Duration::from_millis(200)).await,
                },
                line = lines.next() => match line {
                    None => return,
                    Some(Err(error)) => return refuse(&mut write, refusal(&error), limits.write).await,
                    Some(Ok(line)) => {
                        if !bucket.take(Instant::now()) {
                            return refuse(&mut write, Refusal::Flood, limits.write).await;
                        }
                        match serde_json::from_str::<FromFollower>(&line) {
                            Ok(FromFollower::Answer { poll, answer }) => {
                                let report = Report::Answer { id: self.id, poll, answer };
                                if self.hub.send(report).await.is_err() {
                                    return;
                                }
                            }
                            _ => return refuse(&mut write, Refusal::Garbage, limits.write).await,
                        }
                    }
                },
            }
        }
    }
}

/// What a line that could not be read was.
fn refusal(error: &LinesCodecError) -> Refusal {
    match error {
        LinesCodecError::MaxLineLengthExceeded => Refusal::TooLong,
        // Not UTF-8, or the connection broke.
        LinesCodecError::Io(_) => Refusal::Garbage,
    }
}

/// Says why, as far as the follower reads it in `within`, and closes.
async fn refuse(write: &mut OwnedWriteHalf, why: Refusal, within: Duration) {
    let line = protocol::line(&FromPresenter::Error { reason: why, message: why.message().to_owned() });
    let _ = write_line(write, &line, within).await;
    let _ = timeout(within, write.shutdown()).await;
}

async fn write_line(write: &mut OwnedWriteHalf, line: &str, within: Duration) -> io::Result<()> {
    match timeout(within, write.write_all(line.as_bytes())).await {
        Ok(result) => result,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// A token bucket: `rate` lines a second on average, `burst` at once.
struct Bucket {
    tokens: f64,
    rate: f64,
    burst: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: f64, burst: f64) -> Bucket {
        Bucket { tokens: burst, rate, burst, last: Instant::now() }
    }

    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
