//! Streams: values that arrive one at a time, each one awaited (Python's async iterators and
//! async generators, `async for`).
//!
//! Python's `async for` works with any *async iterator*: an object whose `__anext__()` returns an
//! awaitable that gives the next value, or raises `StopAsyncIteration` at the end. An *async
//! generator* (`async def` with `yield`) is the easy way to write one. The Rust counterpart is
//! the `Stream` trait from the `futures` crate (`tokio-stream` and `tokio-util` use the same trait,
//! from `futures-core`):
//!
//! - a hand-written `impl Stream` with `poll_next` is a class with `__aiter__` / `__anext__`;
//! - `futures::stream::unfold` (plus combinators such as `flat_map`) is what an async generator
//!   is for: Rust has no stable `async gen` syntax yet;
//! - `while let Some(x) = stream.next().await` is `async for x in stream`, and `stream.next()`
//!   is `anext(stream)`: a future that gives `Some(item)`, or `None` at the end;
//! - both sides are lazy: nothing is fetched until somebody asks for the next item, and a reader
//!   that stops early never pays for the rest (here: pages of a fake database).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use super::{futures, tokio};
use futures::stream::{self, Stream, StreamExt};
use tokio::time::sleep;

// [region: countdown]
/// A stream written by hand: Python's class with `__aiter__` and `__anext__`.
///
/// A `Stream` has one method, `poll_next`. The consumer's task calls it; it answers
/// `Poll::Ready(Some(item))` (the next value), `Poll::Ready(None)` (the end: Python's
/// `StopAsyncIteration`) or `Poll::Pending` (not yet: the task is suspended until the waker it was
/// given fires). It is not an `async fn`, so the step in progress has to be kept in the struct:
/// here, the timer of the next tick.
struct Countdown {
    left: u32,
    /// The timer of the step in progress; `None` between steps.
    tick: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
}

impl Countdown {
    fn new(start: u32) -> Self {
        Countdown { left: start, tick: None }
    }
}

impl Stream for Countdown {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.left == 0 {
            return Poll::Ready(None); // `raise StopAsyncIteration`
        }
        // `await asyncio.sleep(0.1)` inside `__anext__`: start the timer on the first poll of
        // this step, and return `Pending` (via `ready!`) until it fires.
        let tick = self.tick.get_or_insert_with(|| Box::pin(sleep(Duration::from_millis(100))));
        ready!(tick.as_mut().poll(cx));
        self.tick = None;
        self.left -= 1;
        Poll::Ready(Some(self.left + 1))
    }
}
// [end: countdown]

// [region: db]
/// A fake database table, served a page at a time; every query takes 200 ms.
struct FakeDb {
    rows: Vec<String>,
    page_size: usize,
    /// How many queries have been made: the proof of laziness.
    queries: AtomicU32,
}

impl FakeDb {
    fn new(rows: usize, page_size: usize) -> Self {
        let rows = (0..rows).map(|i| format!("строка {i}")).collect();
        FakeDb { rows, page_size, queries: AtomicU32::new(0) }
    }

    fn queries(&self) -> u32 {
        self.queries.load(Ordering::Relaxed)
    }

    /// One query: the rows of page `page` (empty past the end).
    async fn fetch_page(&self, page: usize) -> Vec<String> {
        let query = self.queries.fetch_add(1, Ordering::Relaxed) + 1;
        println!("база: запрос {query}, страница {page}");
        sleep(Duration::from_millis(200)).await;
        self.rows.iter().skip(page * self.page_size).take(self.page_size).cloned().collect()
    }
}
// [end: db]

// [region: read_rows]
/// The rows of the table, read lazily: Python's async generator `read_rows(db)`.
///
/// `unfold(state, f)` is a stream built from an async step function: on each `poll_next` that
/// needs a new value it calls `f(state)` and awaits the future, which gives `Some((value,
/// next_state))` or `None` (the end). Here each value is a whole page; `flat_map(stream::iter)`
/// then hands the rows of a page out one by one, and asks `unfold` for the next page only when the
/// rows of the last one are used up: the `for row in rows: yield row` of the Python generator.
///
/// Calling `read_rows` runs no query: it only builds the stream (like calling an async generator
/// function, which only creates the generator object).
fn read_rows(db: Arc<FakeDb>) -> impl Stream<Item = String> + Send {
    stream::unfold(0, move |page| {
        let db = db.clone();
        async move {
            // Whoever reads the stream is suspended here, inside its `next().await`.
            let rows = db.fetch_page(page).await;
            if rows.is_empty() { None } else { Some((rows, page + 1)) }
        }
    })
    .flat_map(stream::iter)
}
// [end: read_rows]

/// Another task, to show that the event loop (the runtime) is free while the reader waits.
async fn heartbeat() {
    for beat in 1..=3 {
        sleep(Duration::from_millis(400)).await;
        println!("heartbeat {beat}");
    }
}

pub async fn main() {
    let beats = tokio::spawn(heartbeat());

    // [region: consume]
    // `async for n in Countdown(3)`. `next()` comes from `StreamExt` and returns a future (the
    // awaitable that `__anext__` returns in Python). It needs the stream to be `Unpin`;
    // `Countdown` is, since its only future is boxed.
    let mut countdown = Countdown::new(3);
    while let Some(n) = countdown.next().await {
        println!("отсчёт: {n}");
    }

    let db = Arc::new(FakeDb::new(7, 3));
    // Nothing happens yet: no query until the first `next().await`. Streams built from `async`
    // blocks are not `Unpin` (a suspended future may point into itself), so the stream is pinned
    // before `next()` can be called: `Box::pin` here, `std::pin::pin!` works too.
    let mut rows = Box::pin(read_rows(db.clone()));
    println!("read_rows(db) -> impl Stream, запросов к базе: {}", db.queries());
    // Python's `for row in rows` and `next(rows)` raise `TypeError` at run time. In Rust they do
    // not compile: a `Stream` is not an `Iterator`.

    // `anext(rows)`: a future, and still no query. Awaiting it runs the stream up to its first
    // item: one query, three rows fetched, one handed out.
    let step = rows.next();
    println!("rows.next() -> future, запросов к базе: {}", db.queries());
    println!("await rows.next() -> {:?}", step.await);

    // `async for row in rows: ... break`. The loop resumes where `next()` left off.
    while let Some(row) = rows.next().await {
        println!("прочитал: {row}");
        if row == "строка 4" {
            break;
        }
    }
    // `await rows.aclose()`: in Rust, dropping a stream closes it (its state, and any query in
    // flight, are dropped). Page 2 was never asked for, so it was never read.
    drop(rows);
    println!("после break запросов к базе: {}", db.queries());
    // [end: consume]

    // [region: collect]
    // `[row async for row in read_rows(db)]`: `collect` reads a fresh stream to the end.
    let everything: Vec<String> = read_rows(db.clone()).collect().await;
    println!("все строки: {}, запросов к базе: {}", everything.len(), db.queries());
    // [end: collect]

    match beats.await {
        Ok(()) => {}
        Err(error) if error.is_cancelled() => println!("heartbeat: отменена"),
        Err(error) => println!("heartbeat: упала с ошибкой: {error}"),
    }
}
