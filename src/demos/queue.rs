//! queue: a producer hands work to consumers, and waits when they fall behind.
//!
//! Python's `asyncio.Queue(maxsize=2)`: `put()` waits while the queue is full (backpressure: a
//! fast producer is slowed down to the consumers' pace), `get()` waits while it is empty, and
//! `task_done()` + `join()` let the producer's side wait until every item has been *processed*,
//! not just taken. The Rust counterpart is `tokio::sync::mpsc`:
//!
//! - `mpsc::channel(2)` is a bounded queue: `send().await` waits while it is full, `recv().await`
//!   while it is empty;
//! - the channel closes when every `Sender` is dropped: `recv()` then drains what is left and
//!   returns `None`, so consumers stop by themselves (Python 3.11 cancels them instead);
//! - `mpsc` has a single receiver; several consumers share it behind a `tokio::sync::Mutex`;
//! - tokio has no `task_done()`/`join()`: here they are a counter and a `Notify`, with
//!   `task_done()` as the drop of a ticket that travels with each item.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{futures, tokio};
use futures::future::join_all;
use tokio::sync::{Mutex, Notify, mpsc};
use tokio::task::JoinError;
use tokio::time::sleep;

/// The consumers, and how long each takes per item (consumer-2 is the slower one).
const CONSUMERS: [(&str, Duration); 2] =
    [("consumer-1", Duration::from_millis(300)), ("consumer-2", Duration::from_millis(500))];

// [region: unfinished]
/// The bookkeeping behind Python's `task_done()` and `join()`: how many items were put and not
/// yet processed, and a `Notify` to wake `join()` when that drops to zero.
#[derive(Default)]
struct Unfinished {
    count: AtomicUsize,
    all_done: Notify,
}

/// One unfinished item. Creating it is the count's `+1` that `put()` does; dropping it is
/// `task_done()`. It travels through the queue with its item, so the count stays right even if
/// the item never gets processed: a consumer cancelled half-way drops it, and so does a closed
/// channel that still holds items.
struct Ticket(Arc<Unfinished>);

impl Ticket {
    fn new(unfinished: &Arc<Unfinished>) -> Ticket {
        unfinished.count.fetch_add(1, Ordering::SeqCst);
        Ticket(unfinished.clone())
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            // The last unfinished item is done: wake whoever waits in `join()`.
            self.0.all_done.notify_waiters();
        }
    }
}

impl Unfinished {
    /// `await queue.join()`: until every item put so far has been processed.
    async fn join(&self) {
        loop {
            // `notified()` *before* checking the count (the `event` lesson's rule): a
            // `notify_waiters()` between the check and the wait would otherwise be missed.
            let all_done = self.all_done.notified();
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            all_done.await;
        }
    }
}

/// What goes through the queue: the item and its ticket.
struct Job {
    item: u32,
    ticket: Ticket,
}
// [end: unfinished]

// [region: producer]
async fn producer(queue: mpsc::Sender<Job>, unfinished: Arc<Unfinished>) {
    for item in 1..=6 {
        // `queue.qsize()`: the channel's bound minus its free slots.
        println!("producer: кладу {item}, в очереди {}", queue.max_capacity() - queue.capacity());
        let job = Job { item, ticket: Ticket::new(&unfinished) };
        // `await queue.put(item)`: with both slots taken, the producer is suspended here until a
        // consumer's `recv()` frees one, and that `recv()` wakes it. That is backpressure.
        // `send` fails only if the receiver is gone (every consumer aborted); the job is handed
        // back inside the error and dropped.
        if queue.send(job).await.is_err() {
            println!("producer: потребителей не осталось");
            return;
        }
    }
    println!("producer: всё положил");
    // This `Sender` is dropped here. `main` holds another one, so the channel stays open.
}
// [end: producer]

// [region: consumer]
/// Takes items until the channel is closed and empty; returns how many it processed.
async fn consumer(name: &'static str, per_item: Duration, queue: Arc<Mutex<mpsc::Receiver<Job>>>) -> u32 {
    let mut processed = 0;
    loop {
        // `await queue.get()`. An `mpsc` channel has one receiver, so the consumers share it
        // behind a mutex: one consumer at a time waits in `recv()`, the other waits for the
        // lock. The guard lives only inside this block: processing happens without it.
        let next = {
            let mut receiver = queue.lock().await;
            receiver.recv().await
        };
        // `None`: every sender is dropped and the queue is drained. Python 3.11's `get()` has
        // no such answer (3.13 added `Queue.shutdown()` for it), which is why the Python
        // version cancels its consumers.
        let Some(Job { item, ticket }) = next else { break };
        println!("{name}: взял {item}");
        sleep(per_item).await;
        println!("{name}: обработал {item}");
        processed += 1;
        // `queue.task_done()`.
        drop(ticket);
    }
    println!("{name}: очередь закрыта и пуста, выхожу");
    processed
}
// [end: consumer]

pub async fn main() {
    // [region: main]
    // `asyncio.Queue(maxsize=2)`: a bounded channel. The `Sender` side puts, the `Receiver`
    // side gets; `Sender`s can be cloned freely (many producers), the receiver cannot.
    let (queue, receiver) = mpsc::channel(2);
    let receiver = Arc::new(Mutex::new(receiver));
    let unfinished = Arc::new(Unfinished::default());

    let producer = tokio::spawn(producer(queue.clone(), unfinished.clone()));
    let consumers: Vec<_> = CONSUMERS
        .iter()
        .map(|&(name, per_item)| tokio::spawn(consumer(name, per_item, receiver.clone())))
        .collect();
    // Only the consumers hold the receiver now: if all of them are gone, the channel notices,
    // and a waiting `send` fails instead of waiting forever.
    drop(receiver);

    if let Err(error) = producer.await {
        println!("main: producer не доработал: {}", outcome(&error));
    }
    // `await queue.join()`: every item put has been processed (its ticket dropped).
    unfinished.join().await;
    println!("main: join() вернулся, всё обработано");

    // Stop the consumers: drop the last `Sender`. The channel closes, each consumer's `recv()`
    // returns `None`, and they return normally, Done rather than Cancelled.
    drop(queue);
    let mut counts = Vec::new();
    for joined in join_all(consumers).await {
        match joined {
            Ok(processed) => counts.push(processed.to_string()),
            Err(error) => counts.push(outcome(&error).to_string()),
        }
    }
    println!("main: потребители завершились, обработали: [{}]", counts.join(", "));
    // [end: main]
}

/// How a task that did not return ended (only if it was aborted: in asyncdemo's live view, `c`
/// aborts the selected task).
fn outcome(error: &JoinError) -> &'static str {
    if error.is_cancelled() { "отменена" } else { "упала с ошибкой" }
}
