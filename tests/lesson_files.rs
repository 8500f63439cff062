//! Every kind of bad lesson file gets a precise `file:line:col` error, never a panic.

use asyncdemo::lesson::{Catalog, LessonError};

const VALID: &str = r##"format_version = 1
id = "sample"
order = 10
title = { ru = "Пример" }

[python]
code = "# [region: coro]\nprint(1)\n# [end: coro]\n"
output = "1\n"

[rust]
demo = "gather"
regions = ["coro"]

[[section]]
heading = { ru = "Идея" }
body = { ru = "Текст." }
"##;

fn load(files: &[(&str, &[u8])]) -> Result<Catalog, Vec<LessonError>> {
    Catalog::from_files(files.iter().map(|(path, bytes)| (path.to_string(), bytes.to_vec())).collect())
        .map_err(|errors| errors.0)
}

/// The single error for one file, as the user sees it (without the `error: ` prefix).
fn error_for(text: &str) -> String {
    error_for_bytes(text.as_bytes())
}

fn error_for_bytes(bytes: &[u8]) -> String {
    let errors = load(&[("lessons/sample.toml", bytes)]).expect_err("the file is bad");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors[0].to_string()
}

#[test]
fn a_valid_file_loads() {
    let catalog = load(&[("lessons/sample.toml", VALID.as_bytes())]).unwrap();
    assert_eq!(catalog.lessons[0].id(), "sample");
}

#[test]
fn a_rust_region_needs_its_python_counterpart() {
    let text = VALID.replace("# [region: coro]", "# [region: other]");
    let error = error_for(&text);
    assert!(
        error.starts_with("lessons/sample.toml:12:12: the Python original has no region `coro`"),
        "{error}"
    );
    assert!(error.contains("hint: mark the matching Python lines with `# [region: coro]`"), "{error}");
}

#[test]
fn a_printed_lines_english_has_as_many_values_as_its_russian() {
    let text = format!("{VALID}\n[[print]]\nru = \"шаг {{}}\"\nen = \"step\"\n");
    let error = error_for(&text);
    assert!(error.starts_with("lessons/sample.toml:20:6: this English has 0 `{}`, its Russian 1"), "{error}");
}

#[test]
fn toml_syntax_error() {
    let text = VALID.replace(r#"id = "sample""#, r#"id = "sample"#);
    assert_eq!(
        error_for(&text).lines().next().unwrap(),
        "lessons/sample.toml:2:13: invalid basic string, expected `\"`"
    );
}

#[test]
fn unknown_field() {
    let text = VALID.replace("title =", "titel =");
    let error = error_for(&text);
    assert!(error.starts_with("lessons/sample.toml:4:1: unknown field `titel`, expected one of"), "{error}");
    assert!(
        error.contains("hint: check the spelling; the fields are documented in src/lesson/schema.rs"),
        "{error}"
    );
}

#[test]
fn missing_field() {
    let text = VALID.replace("order = 10\n", "");
    let error = error_for(&text);
    assert!(error.starts_with("lessons/sample.toml:1:1: missing field `order`"), "{error}");
    assert!(error.contains("hint: every lesson needs this field"), "{error}");
}

#[test]
fn wrong_type() {
    let text = VALID.replace("order = 10", r#"order = "ten""#);
    assert_eq!(
        error_for(&text),
        "lessons/sample.toml:3:9: invalid type: string \"ten\", expected u32\n  |\n3 | order = \"ten\"\n  |         ^^^^^"
    );
}

#[test]
fn unknown_demo_suggests_the_closest() {
    let text = VALID.replace(r#"demo = "gather""#, r#"demo = "gathr""#);
    assert_eq!(
        error_for(&text),
        "lessons/sample.toml:11:8: unknown demo `gathr`\n   |\n11 | demo = \"gathr\"\n   |        ^^^^^^^\n  hint: did you mean `gather`?"
    );
}

#[test]
fn unknown_demo_far_from_any_lists_them() {
    let text = VALID.replace(r#"demo = "gather""#, r#"demo = "zzz""#);
    let error = error_for(&text);
    assert!(
        error.starts_with("lessons/sample.toml:11:8: unknown demo `zzz`\n   |\n11 | demo = \"zzz\"\n   |        ^^^^^\n  hint: the demos are: "),
        "{error}"
    );
    assert!(error.contains("gather"), "{error}");
}

#[test]
fn missing_region() {
    let text = VALID.replace(r#"regions = ["coro"]"#, r#"regions = ["coro", "nope"]"#);
    assert_eq!(
        error_for(&text),
        "lessons/sample.toml:12:20: demo `gather` has no region `nope`\n   |\n12 | regions = [\"coro\", \"nope\"]\n   |                    ^^^^^^\n  \
         hint: mark it in src/demos/gather.rs with `// [region: nope]` and `// [end: nope]`"
    );
}

#[test]
fn unsupported_format_version() {
    let text = VALID.replace("format_version = 1", "format_version = 2");
    assert_eq!(
        error_for(&text),
        "lessons/sample.toml:1:18: unsupported format_version 2\n  |\n1 | format_version = 2\n  |                  ^\n  hint: this asyncdemo reads format_version 1"
    );
}

#[test]
fn invalid_id() {
    let text = VALID.replace(r#"id = "sample""#, r#"id = "Sample_1""#);
    assert_eq!(
        error_for(&text),
        "lessons/sample.toml:2:6: invalid lesson id `Sample_1`\n  |\n2 | id = \"Sample_1\"\n  |      ^^^^^^^^^^\n  \
         hint: use lowercase Latin letters, digits and dashes, like `event-loop`"
    );
}

#[test]
fn no_sections() {
    let cut = VALID.find("[[section]]").unwrap();
    let error = error_for(&VALID[..cut]);
    assert!(error.starts_with("lessons/sample.toml:1:1: missing field `section`"), "{error}");
}

#[test]
fn empty_file() {
    let error = error_for("  \n\n");
    assert!(
        error.starts_with("lessons/sample.toml:1:1: the file is empty\n  hint: a lesson needs at least"),
        "{error}"
    );
}

#[test]
fn not_utf8() {
    let mut bytes = VALID.as_bytes().to_vec();
    let at = VALID.find("Пример").unwrap();
    bytes[at] = 0xff;
    assert_eq!(
        error_for_bytes(&bytes),
        "lessons/sample.toml:4:17: the file is not valid UTF-8 (byte 0xff)\n  |\n4 | title = { ru = \"\n  |                 ^\n  hint: save the file as UTF-8"
    );
}

#[test]
fn duplicate_ids_name_the_first_file() {
    let other = VALID.replace("order = 10", "order = 20");
    let errors =
        load(&[("lessons/a.toml", VALID.as_bytes()), ("lessons/b.toml", other.as_bytes())]).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].to_string(),
        "lessons/b.toml:2:6: duplicate lesson id `sample`\n  |\n2 | id = \"sample\"\n  |      ^^^^^^^^\n  hint: `sample` is already the id of lessons/a.toml"
    );
}

#[test]
fn duplicate_orders_name_the_first_file() {
    let other = VALID.replace(r#"id = "sample""#, r#"id = "other""#);
    let errors =
        load(&[("lessons/a.toml", VALID.as_bytes()), ("lessons/b.toml", other.as_bytes())]).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].to_string().starts_with(
        "lessons/b.toml:3:9: duplicate order 10\n  |\n3 | order = 10\n  |         ^^\n  hint: lessons/a.toml"
    ));
}

#[test]
fn every_problem_in_a_set_is_reported_at_once() {
    let bad_demo =
        VALID.replace(r#"demo = "gather""#, r#"demo = "gathr""#).replace(r#"id = "sample""#, r#"id = "b""#);
    let errors = load(&[("lessons/a.toml", b""), ("lessons/b.toml", bad_demo.as_bytes())]).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

#[test]
fn the_shipped_lessons_load() {
    let catalog = Catalog::embedded().expect("the built-in lessons are valid");
    assert!(!catalog.lessons.is_empty());
    let orders: Vec<u32> = catalog.lessons.iter().map(|l| l.order).collect();
    assert!(orders.windows(2).all(|w| w[0] < w[1]), "listed in course order: {orders:?}");
}

fn with_quiz(quiz: &str) -> String {
    format!("{VALID}\n[[quiz]]\n{quiz}\n")
}

#[test]
fn a_quiz_needs_a_why() {
    let error = error_for(&with_quiz(
        r#"kind = "first"
question = { ru = "?" }
tasks = ["a", "b"]"#,
    ));
    assert!(error.contains("a quiz needs `why`: why the run gives its answer"), "{error}");
}

#[test]
fn a_quiz_needs_the_fields_of_its_kind() {
    let error = error_for(&with_quiz(
        r#"kind = "order"
question = { ru = "?" }
why = { ru = "!" }
lines = ["одна"]"#,
    ));
    assert!(error.contains("an `order` quiz needs `lines`, at least two"), "{error}");
    let error = error_for(&with_quiz(
        r#"kind = "state"
question = { ru = "?" }
why = { ru = "!" }
task = "main""#,
    ));
    assert!(error.contains("a `state` quiz needs `task` and `at`"), "{error}");
    let error = error_for(&with_quiz(
        r#"kind = "first"
question = { ru = "?" }
why = { ru = "!" }
tasks = ["a", "b"]
at = 1.0"#,
    ));
    assert!(
        error.contains("this quiz has fields another kind uses") && error.contains("uses `tasks` only"),
        "{error}"
    );
    let error = error_for(&with_quiz(
        r#"kind = "first"
question = { ru = "?" }
why = { ru = "!" }
tasks = ["a", "a"]"#,
    ));
    assert!(error.contains("`a` is listed twice in `tasks`"), "{error}");
    let error = error_for(&with_quiz(
        r#"kind = "guess"
question = { ru = "?" }"#,
    ));
    assert!(error.contains("unknown variant `guess`, expected one of `order`, `first`, `state`"), "{error}");
}

/// Every input the fuzzers ever crashed on (`tests/fuzz_regressions/<target>/`), fed to what its
/// target feeds: an answer, never a panic.
#[test]
fn what_the_fuzzers_found_stays_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let inputs = |target: &str| -> Vec<Vec<u8>> {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(target))
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        files.iter().filter(|p| p.is_file()).map(|p| std::fs::read(p).unwrap()).collect()
    };
    let mut seen = 0;
    for data in inputs("lesson_file") {
        let _ = load(&[("lessons/fuzzed.toml", &data)])
            .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>());
        seen += 1;
    }
    for data in inputs("lesson_dir") {
        // As the target splits its input: at 0xFF bytes, into at most eight files.
        let files: Vec<(String, Vec<u8>)> = data
            .split(|&b| b == 0xFF)
            .take(8)
            .enumerate()
            .map(|(i, bytes)| (format!("lessons/f{i}.toml"), bytes.to_vec()))
            .collect();
        let _ = Catalog::from_files(files).map_err(|errors| errors.to_string());
        seen += 1;
    }
    for data in inputs("progress_file") {
        let store = asyncdemo::tour::progress::Store::at(std::path::Path::new("/nonexistent"));
        let _ = store.read(&data).map_err(|error| error.to_string());
        seen += 1;
    }
    assert!(seen >= 1, "the regression inputs are there");
}

#[test]
fn a_stop_says_when_in_exactly_one_way() {
    let stop = |fields: &str| format!("{VALID}\n[[stop]]\n{fields}\ncaption = {{ ru = \"!\" }}\n");
    let error = error_for(&stop("at = 1.0\nprint = 2"));
    assert!(error.contains("a stop needs exactly one of `at`, `task` + `state`, `print`"), "{error}");
    let error = error_for(&stop("task = \"worker\""));
    assert!(error.contains("`task` and `state` go together"), "{error}");
    let error = error_for(&stop("task = \"worker\"\nstate = \"Sleeping\""));
    assert!(error.contains("unknown state `Sleeping`") && error.contains("hint: one of Created"), "{error}");
    assert!(load(&[("lessons/sample.toml", stop("print = 1").as_bytes())]).is_ok());
}
