//! Views of a trace. Each reads only the event stream (`crate::engine::event`) and derives
//! states with `crate::engine::lifecycle`.

pub mod compare;
pub mod describe;
pub mod perfetto;
pub mod shown;
pub mod stops;
pub mod table;
pub mod transcript;
pub mod width;
