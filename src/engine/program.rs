//! What the engine runs: a program's `main` future and the file it is written in.

use std::future::Future;
use std::pin::Pin;

/// The future a program's `main` returns.
pub type MainFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A program the engine can run and trace.
#[derive(Copy, Clone, Debug)]
pub struct Program {
    /// A short name, for the demo thread and error messages.
    pub name: &'static str,
    /// The source file, relative to the package root: await points in it are the lines the
    /// trace shows.
    pub file: &'static str,
    /// Builds the `main` future (`async fn main`), which the engine runs as `#[tokio::main]`
    /// would: as the future given to `block_on`.
    pub main: fn() -> MainFuture,
}
