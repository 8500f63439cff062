//! A TCP server: the notes' exchange-rate server (`asyncio.start_server`), with its clients in
//! the same program and a graceful shutdown.
//!
//! Python's `start_server(handler, host, port)` listens on a socket and runs `handler(reader,
//! writer)` in a new task for every connection; `serve_forever()` keeps it accepting. In tokio the
//! pieces are explicit:
//!
//! - `TcpListener::bind` + a loop around `listener.accept()`: the accept loop is a task of its
//!   own (`serve`), and each accepted connection gets a task of its own (`handle`), so a slow
//!   client holds up nobody else;
//! - `AsyncBufReadExt::read_line` and `AsyncWriteExt::write_all` on the `TcpStream`: Python's
//!   `StreamReader.readline()` and `StreamWriter.write()` + `drain()`;
//! - graceful shutdown: a `CancellationToken` stops the accept loop (`select!`), the listener is
//!   closed, and the connections already accepted finish their answer; an `mpsc` channel whose
//!   senders the connections hold tells when the last one has finished (mini-redis's pattern).
//!
//! Real sockets in a demo that must print the same transcript on every run: the port is chosen
//! by the OS (shown only as a machine-dependent value), and the clients talk to the server one
//! step at a time, so that at any moment at most one socket event can be on its way and nothing
//! else is ready to run. Which of two simultaneous socket events the OS reports first, and when,
//! is up to the OS; this demo never has two.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use super::{tokio, tokio_util, varying};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;

/// What the server says first: the client then knows it has been accepted.
const GREETING: &str = "Курс валют. Какая валюта?\n";

// [region: handler]
/// One connection: Python's `handler(reader, writer)`, run as a task of its own.
///
/// Every `.await` here is a point where this task may be Suspended while the others run: one
/// thread serves every connection, as in asyncio. `_done` is never used: the task only holds it,
/// and dropping it when the task ends (in any way) is the signal "one connection fewer".
async fn handle(number: u32, stream: TcpStream, rate: u64, _done: mpsc::Sender<()>) -> io::Result<String> {
    println!("сервер: соединение {number}");
    // `BufReader` gives `read_line` (Python's `reader.readline()`); writes go straight to the
    // socket through `get_mut()`.
    let mut stream = BufReader::new(stream);
    // `writer.write(...)` + `await writer.drain()`. `write_all` takes bytes (`&[u8]`): a `&str`
    // does not compile, where Python's `writer.write(str)` fails only when it runs (the notes'
    // server writes a `str`).
    stream.get_mut().write_all(GREETING.as_bytes()).await?;
    let mut request = String::new();
    // The task is Suspended here until the client's request arrives: the runtime's I/O driver
    // (epoll, kqueue…) wakes it when the socket becomes readable.
    stream.read_line(&mut request).await?;
    let currency = request.trim();
    let reply = if currency == "USD" {
        format!("Rate is {rate}")
    } else {
        format!("Нет курса для {currency}")
    };
    println!("сервер: соединение {number}, {currency} -> {reply}");
    stream.get_mut().write_all(format!("{reply}\n").as_bytes()).await?;
    // One answer per connection, then hang up: dropping the stream closes the socket (Python's
    // `writer.close()`), and dropping `_done` with it reports this connection finished.
    Ok(currency.to_owned())
}
// [end: handler]

// [region: serve]
/// The accept loop: Python's `serve_forever()`. Returns how many connections it accepted.
async fn serve(listener: TcpListener, rate: u64, shutdown: CancellationToken, done: mpsc::Sender<()>) -> u32 {
    let mut accepted = 0;
    loop {
        // `select!` waits for whichever branch is ready first and drops the other. `biased;`
        // polls them in the order written (tokio's default is random), so a shutdown request
        // wins over a connection arriving at the same moment, the same way on every run. Python
        // needs no such loop: `server.close()` removes the listening socket from the event loop.
        let next = async {
            tokio::select! {
                biased;
                () = shutdown.cancelled() => None,
                accepted = listener.accept() => Some(accepted),
            }
        }
        .await;
        let Some(result) = next else { break };
        match result {
            Ok((stream, _peer)) => {
                accepted += 1;
                // One task per connection, as `start_server` does. The handle is not kept:
                // dropping a handle does not cancel the task. The clone of `done` the task
                // holds is how the shutdown learns when it has finished.
                tokio::spawn(handle(accepted, stream, rate, done.clone()));
            }
            Err(error) => println!("сервер: accept не удался: {:?}", error.kind()),
        }
    }
    // Returning drops `listener`: the socket is closed, and the OS refuses new connections.
    println!("сервер: больше не принимаю соединения");
    accepted
}
// [end: serve]

// [region: client]
/// Connects to the server and waits for its greeting: Python's `asyncio.open_connection` plus
/// the first `readline()`.
///
/// The connection is made with the standard library's blocking `connect`, then handed to tokio
/// (`TcpStream::from_std`). On 127.0.0.1 the OS completes the handshake by itself, before the
/// server calls `accept`, so the call returns at once. A real client writes
/// `TcpStream::connect(addr).await`; that await ends at the same moment as the server's
/// `accept`, and which of the two wakes the OS reports first varies from run to run, while this
/// demo's transcript must not.
async fn connect(addr: SocketAddr) -> io::Result<BufReader<TcpStream>> {
    let stream = std::net::TcpStream::connect(addr)?;
    stream.set_nonblocking(true)?;
    let mut stream = BufReader::new(TcpStream::from_std(stream)?);
    let mut greeting = String::new();
    stream.read_line(&mut greeting).await?;
    if greeting.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "сервер закрыл соединение"));
    }
    Ok(stream)
}

/// Sends one request and reads the answer; the connection is closed when `stream` is dropped.
async fn ask(mut stream: BufReader<TcpStream>, currency: &str) -> io::Result<String> {
    stream.get_mut().write_all(format!("{currency}\n").as_bytes()).await?;
    let mut answer = String::new();
    stream.read_line(&mut answer).await?;
    if answer.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "сервер закрыл соединение без ответа"));
    }
    Ok(answer.trim_end().to_owned())
}
// [end: client]

/// A client's error in words that are the same on every OS: the error's kind for an OS error
/// (its text differs between systems), the message for the demo's own errors.
fn why(error: &io::Error) -> String {
    if error.raw_os_error().is_some() { format!("{:?}", error.kind()) } else { error.to_string() }
}

pub async fn main() {
    // The notes' `rate = randint(1, 99)`, from fastrand's generator, seeded by the run (`--seed`,
    // 42 by default). Python's `random.seed(42)` seeds another generator (a Mersenne Twister;
    // fastrand's is wyrand), so the same seed draws another number: 82 in Python, 79 here.
    let rate = fastrand::u64(1..=99);

    // [region: bind]
    // Port 0: the OS picks a free port (the notes' 8080 may be taken). It differs from run to
    // run, so it is printed as a machine-dependent value.
    let listener = match TcpListener::bind("127.0.0.1:0").await {
        Ok(listener) => listener,
        Err(error) => {
            println!("bind не удался: {}", varying(error));
            return;
        }
    };
    let addr = listener.local_addr().expect("a bound listener has an address");
    println!("сервер слушает 127.0.0.1:{}", varying(addr.port()));
    // The shutdown request (one token: `clone` gives another handle to it) and the "all
    // connections finished" channel: `recv()` returns `None` once every sender is gone. The
    // server holds the first sender and gives each connection a clone.
    let shutdown = CancellationToken::new();
    let (done, mut all_done) = mpsc::channel::<()>(1);
    let server = tokio::spawn(serve(listener, rate, shutdown.clone(), done));
    // [end: bind]

    // [region: clients]
    // Clients come one after another, a second apart, each in its own connection.
    for (client, currency) in [(1, "USD"), (2, "EUR")] {
        sleep(Duration::from_secs(1)).await;
        // Real sockets from here to the end of the iteration, and no timer pending meanwhile:
        // the paused clock stands still while the bytes travel.
        match async { ask(connect(addr).await?, currency).await }.await {
            Ok(answer) => println!("клиент {client}: {currency} -> {answer}"),
            Err(error) => println!("клиент {client}: ошибка: {}", why(&error)),
        }
    }
    // [end: clients]

    // [region: shutdown]
    // Client 3 connects, is accepted, and has not asked yet when the server is told to stop.
    sleep(Duration::from_secs(1)).await;
    let client3 = connect(addr).await;
    println!("main: останавливаю сервер");
    // Python's `server.close()`. `cancel()` only asks; the accept loop sees it at its `select!`
    // and returns, closing the listener. Waiting for its handle makes sure it has (the handle
    // is awaited once, and not used again).
    shutdown.cancel();
    match server.await {
        Ok(accepted) => println!("main: сервер больше не принимает соединения (принято: {accepted})"),
        Err(error) if error.is_cancelled() => println!("main: задача serve отменена"),
        Err(error) => println!("main: задача serve упала: {error}"),
    }
    // The connection accepted before the shutdown still gets its answer.
    match async { ask(client3?, "USD").await }.await {
        Ok(answer) => println!("клиент 3: USD -> {answer}"),
        Err(error) => println!("клиент 3: ошибка: {}", why(&error)),
    }
    // Wait until every connection task has finished: each held a sender, and `recv()` gives
    // `None` when the last one is dropped (here connection 3's task is already done, so no wait).
    let _ = all_done.recv().await;
    println!("main: все соединения закрыты");
    // The listener is closed: the OS refuses a new client at once.
    match std::net::TcpStream::connect(addr) {
        Ok(_) => println!("клиент 4: подключился к закрытому серверу?"),
        Err(error) => println!("клиент 4: {:?}", error.kind()),
    }
    // [end: shutdown]
}
