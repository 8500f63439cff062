//! The HTML handouts in a real browser: headless Chromium (Debian's `chromium` package) opens
//! every page of the course book. A page fails if its script reports an error or does not run
//! to its end, if its timeline is missing, if it is wider than a phone's screen, or if it does
//! not print on A4. Screenshots at a phone's and a desktop's width are left in the target
//! directory to look at.
//!
//! Without Chromium the tests say so and pass, except under CI (`CI` set), where a missing
//! browser fails them: `.ci/run` installs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The browser: `ASYNCDEMO_CHROMIUM`, or the first of the usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ASYNCDEMO_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.map(|name| dir.join(name))).find(|p| p.is_file())
}

/// The browser, or `None` (and a note) where the test may skip.
fn browser_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is missing: the handout tests need it under CI (apt-get install chromium)"
        );
        eprintln!("skipped: no Chromium on this machine (set ASYNCDEMO_CHROMIUM, or install chromium)");
    }
    found
}

/// Runs the browser headless on `page` with `args`, for at most a minute. Its output goes to
/// files (a page's DOM is more than a pipe holds while nobody reads it).
fn headless(browser: &Path, args: &[&str], page: &Path) -> Output {
    let out = page.with_extension(format!("out-{}", std::process::id()));
    let err = page.with_extension(format!("err-{}", std::process::id()));
    let mut child = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"])
        .args(["--force-device-scale-factor=1", "--enable-logging=stderr", "--v=0"])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("the browser starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the browser runs") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{}: the browser did not finish in a minute", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output =
        Output { status, stdout: std::fs::read(&out).unwrap(), stderr: std::fs::read(&err).unwrap() };
    let _ = (std::fs::remove_file(&out), std::fs::remove_file(&err));
    output
}

/// The page as the browser has it once loaded and its script has run, with what the browser
/// printed of the page's console (errors and warnings).
fn load(browser: &Path, page: &Path, width: u32) -> (String, Vec<String>) {
    let size = format!("--window-size={width},900");
    let output = headless(browser, &["--dump-dom", &size], page);
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    let console = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| line.contains(":CONSOLE") || line.contains("Uncaught"))
        .map(str::to_owned)
        .collect();
    (dom, console)
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn export(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_asyncdemo")).arg("export").args(args).output().unwrap();
    assert!(output.status.success(), "export {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// The width and height of a PNG file.
fn png_size(file: &Path) -> (u32, u32) {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert_eq!(&bytes[1..4], b"PNG", "{}", file.display());
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn every_page_of_the_book_runs_its_script_and_shows_its_timeline() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = scratch("book");
    export(&["--course", "--to", dir.to_str().unwrap()]);
    let catalog = asyncdemo::lesson::Catalog::embedded().unwrap();
    let mut pages = vec![dir.join("index.html")];
    pages.extend(catalog.lessons.iter().map(|l| dir.join(format!("{}.html", l.id()))));
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let (dom, console) = load(&browser, page, 1280);
        assert!(console.is_empty(), "{name}: the page's console says:\n{}", console.join("\n"));
        assert!(dom.contains("class=\"js\""), "{name}: the script did not run to its end");
        // Every link goes to a page of the book.
        for href in dom.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next()) {
            assert!(dir.join(href).is_file(), "{name}: a link to {href}, which is not in the book");
        }
        let Some(lesson) = catalog.lessons.iter().find(|l| name == format!("{}.html", l.id())) else {
            // The contents: a link to every lesson.
            for lesson in &catalog.lessons {
                assert!(
                    dom.contains(&format!("href=\"{}.html\"", lesson.id())),
                    "index: no link to {}",
                    lesson.id()
                );
            }
            continue;
        };
        // The timeline: its bands and legend, a lane per task drawn, the stops on it.
        let drawings = dom.matches("<svg").count();
        assert!(drawings >= 2, "{name}: the timeline is missing ({drawings} drawings)");
        assert!(dom.contains("class=\"timeline\""), "{name}: the timeline is missing");
        assert!(dom.contains(">#1 "), "{name}: no lane for task #1");
        for n in 1..=lesson.stops.len() {
            assert!(dom.contains(&format!("data-stop=\"{n}\"")), "{name}: stop {n} is not on the timeline");
        }
        assert_eq!(
            dom.matches("<details class=\"answer\"").count(),
            lesson.quizzes.len(),
            "{name}: the quizzes"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_handout_fits_a_phone_and_prints_on_a4() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = scratch("handout");
    let page = dir.join("gather.html");
    export(&["gather", "--to", page.to_str().unwrap(), "--lang", "en"]);

    // At a phone's width nothing but the timeline's own box scrolls sideways. Headless
    // Chromium's window is at least 500 px wide, so the page goes in a frame of the width, and
    // a copy of it measures itself and says so on the console.
    let html = std::fs::read_to_string(&page).unwrap();
    let measured = dir.join("measured.html");
    let probe = r#"<script>console.log("asyncdemo-width " + document.documentElement.scrollWidth + " " + window.innerWidth);</script></body>"#;
    std::fs::write(&measured, html.replace("</body>", probe)).unwrap();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("handout-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, width) in [("phone", 390u32), ("desktop", 1280)] {
        let frame = dir.join(format!("{name}.html"));
        let window = width.max(500) + 20;
        for (inner, file) in
            [("measured.html", &frame), ("gather.html", &dir.join(format!("{name}-shot.html")))]
        {
            std::fs::write(
                file,
                format!(
                    r#"<!DOCTYPE html><html><body style="margin:0"><iframe src="{inner}" style="width:{width}px;height:2400px;border:0"></iframe></body></html>"#
                ),
            )
            .unwrap();
        }
        let (_, console) = load(&browser, &frame, window);
        let (probe, others): (Vec<&String>, Vec<&String>) =
            console.iter().partition(|l| l.contains("asyncdemo-width"));
        assert!(others.is_empty(), "{name}: the page's console says:\n{others:?}");
        let said = probe.first().unwrap_or_else(|| panic!("{name}: the page did not measure itself"));
        let numbers: Vec<u32> = said
            .split("asyncdemo-width ")
            .nth(1)
            .unwrap_or_default()
            .split(|c: char| !c.is_ascii_digit())
            .take(2)
            .filter_map(|n| n.parse().ok())
            .collect();
        assert_eq!(numbers.get(1), Some(&width), "{name}: the frame's width");
        assert!(numbers[0] <= width, "{name}: at {width} px the page is {} px wide", numbers[0]);

        // A screenshot to look at.
        let file = shots.join(format!("gather-{name}.png"));
        let _ = std::fs::remove_file(&file);
        let output = headless(
            &browser,
            &[&format!("--window-size={window},2400"), &format!("--screenshot={}", file.display())],
            &dir.join(format!("{name}-shot.html")),
        );
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(png_size(&file), (window, 2400), "{name}");
    }

    // Printed: A4 pages (595 × 842 points), more than one.
    let pdf = dir.join("gather.pdf");
    let output =
        headless(&browser, &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display())], &page);
    assert!(output.status.success(), "print: {}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&pdf).expect("the PDF");
    let text = String::from_utf8_lossy(&bytes);
    let boxes: Vec<&str> =
        text.split("/MediaBox [").skip(1).filter_map(|rest| rest.split(']').next()).collect();
    assert!(!boxes.is_empty(), "the PDF has no pages");
    for media in &boxes {
        let numbers: Vec<f64> = media.split_whitespace().filter_map(|n| n.parse().ok()).collect();
        assert!(
            numbers.len() == 4 && (numbers[2] - 595.0).abs() < 2.0 && (numbers[3] - 842.0).abs() < 2.0,
            "a page that is not A4: [{media}]"
        );
    }
    assert!(boxes.len() > 1, "the handout prints on more than one page");
    let _ = std::fs::remove_dir_all(&dir);
}
