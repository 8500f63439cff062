//! `println!` in a demo: a line of output that goes into the trace.

use super::super::event::Text;
use super::super::record::shared::Foreign;
use super::super::record::shared::running_job;
use super::super::record::{self};

/// Records a printed line for the task running now (or, on a blocking job's thread, for that
/// job). Anywhere else (a thread the demo started itself) it is printed as `println!` would.
pub fn print(text: String) {
    if let Some(job) = running_job() {
        job.shared.push(Foreign::JobPrint { job: job.job.id, text: Text::from(text) });
        return;
    }
    let mut text = Some(Text::from(text));
    if record::try_with(|rec| rec.print(text.take().expect("taken once"))).is_none()
        && let Some(text) = text
    {
        ::std::println!("{text}");
    }
}
