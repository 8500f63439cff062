//! What the test binaries share: the insta settings of every snapshot in `snapshots/`.
#![allow(dead_code, reason = "each test binary uses what it needs of this module")]

/// Snapshots live in `snapshots/` at the top, named without the test module.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// The same, for a run's output: values a demo or a program marks as machine-dependent (real
/// time, memory, ports, `⟪…⟫`) vary by design, and are masked.
pub fn run_snapshot_settings() -> insta::Settings {
    let mut settings = snapshot_settings();
    settings.add_filter("⟪[^⟫]*⟫", "⟪…⟫");
    settings
}
