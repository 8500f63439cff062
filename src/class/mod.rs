//! Classroom sessions over the network: the presenter's listener ([`server`]), a follower's
//! connection ([`client`]), what they say ([`protocol`]), and a poll's answers ([`tally`]).
//! Plain data and sockets: the views decide what to show.

pub mod client;
pub mod protocol;
pub mod server;
pub mod tally;
