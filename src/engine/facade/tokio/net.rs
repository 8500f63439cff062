//! `tokio::net`, traced: `TcpListener` and `TcpStream`, whose waits (accept, connect, read,
//! write) tell the trace that the task waits for the I/O driver.

use std::fmt::{self, Debug};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

use ::tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
pub use ::tokio::net::*;

use super::super::super::event::Await;
use super::super::leaf::{Leaf, Registration};

/// A listening TCP socket: Python's `asyncio.start_server` without the handler loop.
pub struct TcpListener {
    inner: ::tokio::net::TcpListener,
}

impl Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl TcpListener {
    #[track_caller]
    pub fn bind<A: ToSocketAddrs>(addr: A) -> impl Future<Output = io::Result<TcpListener>> {
        let bound = ::tokio::net::TcpListener::bind(addr);
        Leaf::new(Await::Connect, async move { bound.await.map(|inner| TcpListener { inner }) })
    }

    /// Waits for the next connection.
    #[track_caller]
    pub fn accept(&self) -> impl Future<Output = io::Result<(TcpStream, SocketAddr)>> + '_ {
        let accepted = self.inner.accept();
        Leaf::new(
            Await::Accept,
            async move { accepted.await.map(|(inner, peer)| (TcpStream::wrap(inner), peer)) },
        )
    }

    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        ::tokio::net::TcpListener::from_std(listener).map(|inner| TcpListener { inner })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A TCP connection: Python's `(StreamReader, StreamWriter)` pair in one object.
pub struct TcpStream {
    inner: ::tokio::net::TcpStream,
    reading: Registration,
    writing: Registration,
}

impl Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl TcpStream {
    #[track_caller]
    pub fn connect<A: ToSocketAddrs>(addr: A) -> impl Future<Output = io::Result<TcpStream>> {
        let connected = ::tokio::net::TcpStream::connect(addr);
        Leaf::new(Await::Connect, async move { connected.await.map(TcpStream::wrap) })
    }

    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        ::tokio::net::TcpStream::from_std(stream).map(TcpStream::wrap)
    }

    fn wrap(inner: ::tokio::net::TcpStream) -> TcpStream {
        TcpStream { inner, reading: Registration::default(), writing: Registration::default() }
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }

    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.set_nodelay(nodelay)
    }
}

impl AsyncRead for TcpStream {
    #[track_caller]
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        this.reading.polled(&polled, |_| Await::Read, Location::caller(), None);
        polled
    }
}

impl AsyncWrite for TcpStream {
    #[track_caller]
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.writing.polled(&polled, |_| Await::Write, Location::caller(), None);
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
