# asyncdemo: common tasks. `just` with no arguments lists them.

default:
    @just --list

# Run a lesson; the plain transcript when piped, e.g. `just run gather | less`
[group('use')]
run lesson="gather" *args:
    cargo run --release -- run {{lesson}} {{args}}

# List the lessons in course order
[group('use')]
list:
    cargo run --release -- list

# Read a lesson (text, Python original, Rust demo) without running it
[group('use')]
show lesson:
    cargo run --release -- show {{lesson}}

# The whole course as a book of handouts, in book/ (open book/index.html)
[group('use')]
book *args:
    cargo run --release -- export --course --to book {{args}}

# Validate lesson files and run their demos (the built-in course, or DIR)
[group('author')]
check dir="":
    cargo run --release -- check {{dir}}

# Run every test: engine, CLI, lesson files, Python originals, snapshots
[group('test')]
test:
    cargo test

# After an intended change to a transcript or a frame: record what changed as pending
# snapshots (`.snap.new`), then accept or reject each one, reading its diff
# (needs `cargo install cargo-insta`). Nothing is accepted without being looked at.
[group('test')]
snapshots:
    INSTA_UPDATE=new cargo test --test snapshots --test ui_frames --test tour --test export_snapshots --test python_snapshots || true
    cargo insta review

# Run a demo on tokio itself (no tracing), as `#[tokio::main(start_paused = true)]` would
[group('test')]
plain demo="gather":
    cargo run --features plain-tokio --bin asyncdemo-plain -- {{demo}}

# The engine's unit tests under Miri (the waker vtable, the log, the tables)
[group('test')]
miri:
    MIRIFLAGS=-Zmiri-disable-isolation cargo +nightly miri test --lib engine

# Formatting and lints, as CI runs them (the demos also against plain tokio)
[group('lint')]
lint:
    cargo fmt --all -- --check
    cargo clippy --all-targets -- -D warnings
    cargo clippy --all-targets --features plain-tokio -- -D warnings

# Format the code
[group('lint')]
fmt:
    cargo fmt --all

# The benchmarks: traced vs raw tokio for 100,000 tasks (and memory per task), and frame times
[group('bench')]
bench:
    cargo bench --bench spawn
    cargo bench --bench frame
    cargo bench --bench class
    cargo bench --bench python

# Everything CI runs
[group('ci')]
ci:
    .ci/run
