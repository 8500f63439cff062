//! The follower's side of a class: a connection to the presenter that says hello, passes on
//! what the presenter sends, sends the follower's answers, and comes back by itself when the
//! presenter goes away and returns.

use std::time::Duration;

use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_util::codec::{FramedRead, LinesCodec};

use super::protocol::{
    self, DEFAULT_PORT, FromFollower, FromPresenter, MAX_PRESENTER_LINE, Refusal, VERSION,
};

/// How long to wait before connecting again.
const RETRY: Duration = Duration::from_secs(1);

/// What the connection tells the follower's view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// Connected and welcomed (again).
    Joined,
    Message(FromPresenter),
    /// The connection is gone, and why; `retrying` if it will connect again by itself.
    Lost {
        why: Lost,
        retrying: bool,
    },
}

/// Why a follower is not connected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lost {
    /// Nobody answers at the address (yet), or the connection broke.
    Unreachable,
    /// The presenter left.
    Bye,
    /// The presenter refused or dropped this follower.
    Refused(Refusal),
    /// The presenter's lessons are not this follower's.
    OtherCourse,
}

impl Lost {
    fn retry(&self) -> bool {
        match self {
            Lost::Refused(why) => why.retry(),
            Lost::OtherCourse => false,
            Lost::Unreachable | Lost::Bye => true,
        }
    }
}

/// A follower's connection; dropping it closes it.
pub struct Client {
    /// What the presenter sends, and what becomes of the connection, in order.
    pub inbox: mpsc::Receiver<Incoming>,
    outbox: mpsc::UnboundedSender<FromFollower>,
    task: tokio::task::JoinHandle<()>,
}

impl Client {
    /// Connects to `address` (`host:port`, or a host and the default port) and keeps
    /// connecting. `course`: the fingerprint of this follower's lessons. Must be called inside
    /// a tokio runtime.
    pub fn connect(address: &str, code: Option<String>, course: String) -> Client {
        let address = with_port(address);
        let (inbox_tx, inbox) = mpsc::channel(256);
        let (outbox, outbox_rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(follow(address, code, course, inbox_tx, outbox_rx));
        Client { inbox, outbox, task }
    }

    /// Answers poll `poll` (option numbers from 0).
    pub fn answer(&self, poll: u64, answer: Vec<u8>) {
        let _ = self.outbox.send(FromFollower::Answer { poll, answer });
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `host` → `host:47474` (`::1` → `[::1]:47474`); `host:port` and `[v6]:port` as they are.
pub fn with_port(address: &str) -> String {
    let has_port = match address.rsplit_once(':') {
        Some((host, port)) => port.parse::<u16>().is_ok() && (!host.contains(':') || host.ends_with(']')),
        None => false,
    };
    match address.parse::<std::net::Ipv6Addr>() {
        Ok(v6) => format!("[{v6}]:{DEFAULT_PORT}"),
        Err(_) if has_port => address.to_owned(),
        Err(_) => format!("{address}:{DEFAULT_PORT}"),
    }
}

async fn follow(
    address: String,
    code: Option<String>,
    course: String,
    inbox: mpsc::Sender<Incoming>,
    mut outbox: mpsc::UnboundedReceiver<FromFollower>,
) {
    // What the view was last told: a presenter that stays away is said once, not at every try.
    let mut told: Option<Lost> = None;
    loop {
        let (why, joined) = session(&address, &code, &course, &inbox, &mut outbox).await;
        let retrying = why.retry();
        if joined || told.is_none() || !retrying {
            if inbox.send(Incoming::Lost { why: why.clone(), retrying }).await.is_err() || !retrying {
                return;
            }
            told = Some(why);
        }
        tokio::time::sleep(RETRY).await;
        // Answers given while away were to a poll of the old connection.
        while outbox.try_recv().is_ok() {}
    }
}

/// One connection, until it is lost: why, and whether it was welcomed first.
async fn session(
    address: &str,
    code: &Option<String>,
    course: &str,
    inbox: &mpsc::Sender<Incoming>,
    outbox: &mut mpsc::UnboundedReceiver<FromFollower>,
) -> (Lost, bool) {
    let mut joined = false;
    let why = connection(address, code, course, inbox, outbox, &mut joined).await;
    (why, joined)
}

async fn connection(
    address: &str,
    code: &Option<String>,
    course: &str,
    inbox: &mpsc::Sender<Incoming>,
    outbox: &mut mpsc::UnboundedReceiver<FromFollower>,
    joined: &mut bool,
) -> Lost {
    let Ok(Ok(stream)) = timeout(Duration::from_secs(3), TcpStream::connect(address)).await else {
        return Lost::Unreachable;
    };
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let hello = protocol::line(&FromFollower::Hello { protocol: VERSION, code: code.clone() });
    if write.write_all(hello.as_bytes()).await.is_err() {
        return Lost::Unreachable;
    }
    let mut lines = FramedRead::new(read, LinesCodec::new_with_max_length(MAX_PRESENTER_LINE));
    loop {
        tokio::select! {
            line = lines.next() => {
                let Some(Ok(line)) = line else { return Lost::Unreachable };
                match serde_json::from_str::<FromPresenter>(&line) {
                    Ok(FromPresenter::Welcome { course: theirs, .. }) => {
                        if theirs != course {
                            return Lost::OtherCourse;
                        }
                        *joined = true;
                        if inbox.send(Incoming::Joined).await.is_err() {
                            return Lost::Unreachable;
                        }
                    }
                    Ok(FromPresenter::Error { reason, .. }) => return Lost::Refused(reason),
                    Ok(FromPresenter::Bye) => return Lost::Bye,
                    Ok(message) if *joined => {
                        if inbox.send(Incoming::Message(message)).await.is_err() {
                            return Lost::Unreachable;
                        }
                    }
                    // Before the welcome, or not a message: not a presenter we can follow.
                    _ => return Lost::Unreachable,
                }
            }
            Some(message) = outbox.recv() => {
                if write.write_all(protocol::line(&message).as_bytes()).await.is_err() {
                    return Lost::Unreachable;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_without_a_port_gets_the_default_one() {
        assert_eq!(with_port("192.168.1.20"), "192.168.1.20:47474");
        assert_eq!(with_port("teacher.local"), "teacher.local:47474");
        assert_eq!(with_port("127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(with_port("[::1]:5000"), "[::1]:5000");
        assert_eq!(with_port("::1"), "[::1]:47474");
    }
}
