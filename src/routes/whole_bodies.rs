//! Responses whose size is known (every page, JSON answer and embedded file) leave in one
//! piece. Rocket streams every body to hyper through a channel in chunks of at most 4 KiB by
//! default, so a 20 KiB list page took five trips through the channel, five wake-ups of the
//! connection's task and five writes to the socket, each its own TCP segment for the client
//! to read. Measured on the list page under load (bench/README.md, "Profiling"), that was a
//! fifth of its time. Bodies without a known size (the CSV export) keep streaming in chunks.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Request, Response};

/// Larger bodies are still sent in pieces of this size: the chunk is one buffer in memory.
pub const MAX_CHUNK: usize = 1 << 20;

pub struct WholeBodies;

#[rocket::async_trait]
impl Fairing for WholeBodies {
    fn info(&self) -> Info {
        Info {
            name: "Whole bodies",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _: &'r Request<'_>, response: &mut Response<'r>) {
        // One byte more than the body: Rocket reads the body into a buffer of the chunk size
        // and then reads again to find its end, reserving a whole new buffer first if the
        // last one is full. With room to spare, that read finds the end in the spare byte.
        if let Some(size) = response.body().preset_size()
            && size >= response.body().max_chunk_size()
        {
            response.set_max_chunk_size(size.saturating_add(1).min(MAX_CHUNK));
        }
    }
}
