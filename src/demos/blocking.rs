//! Being written.

pub async fn main() {
    crate::say!("work in progress");
}
