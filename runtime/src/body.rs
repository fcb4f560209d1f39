//! Reads a response body chunk by chunk up to a limit, for the attempt loop in `send.rs`: a
//! body larger than the limit, or one that never ends, takes no more memory than the limit.

use bytes::Bytes;

/// What was read of a body.
pub(crate) struct Read {
    pub(crate) bytes: Bytes,
    /// More arrived than the limit allowed: `bytes` holds the first `limit` bytes, and the rest
    /// was left unread.
    pub(crate) cut: bool,
}

/// Reads the body of `response` until it ends or passes `limit` bytes.
pub(crate) async fn read(response: &mut reqwest::Response, limit: usize) -> Result<Read, reqwest::Error> {
    // A body that announced its length gets one buffer of that size, when it is within the limit.
    let announced = response.content_length().map_or(0, |length| length.min(limit as u64) as usize);
    let mut chunks = Chunks::Empty;
    while let Some(chunk) = response.chunk().await? {
        let room = limit - chunks.len();
        if chunk.len() > room {
            chunks.push(chunk.slice(..room), announced, limit);
            return Ok(Read { bytes: chunks.into_bytes(), cut: true });
        }
        chunks.push(chunk, announced, limit);
    }
    Ok(Read { bytes: chunks.into_bytes(), cut: false })
}

/// The chunks read so far. Most bodies arrive in one chunk, which is kept as it came; a second
/// one starts a buffer that both are copied into.
enum Chunks {
    Empty,
    One(Bytes),
    Many(Vec<u8>),
}

impl Chunks {
    fn len(&self) -> usize {
        match self {
            Chunks::Empty => 0,
            Chunks::One(bytes) => bytes.len(),
            Chunks::Many(buffer) => buffer.len(),
        }
    }

    /// Adds `chunk`, which fits within `limit`; `announced` is the length the body announced.
    fn push(&mut self, chunk: Bytes, announced: usize, limit: usize) {
        *self = match std::mem::replace(self, Chunks::Empty) {
            Chunks::Empty => Chunks::One(chunk),
            Chunks::One(first) => {
                let mut buffer = Vec::new();
                grow(&mut buffer, announced.max(first.len() + chunk.len()), limit);
                buffer.extend_from_slice(&first);
                buffer.extend_from_slice(&chunk);
                Chunks::Many(buffer)
            }
            Chunks::Many(mut buffer) => {
                let needed = buffer.len() + chunk.len();
                grow(&mut buffer, needed, limit);
                buffer.extend_from_slice(&chunk);
                Chunks::Many(buffer)
            }
        };
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Chunks::Empty => Bytes::new(),
            Chunks::One(bytes) => bytes,
            Chunks::Many(buffer) => buffer.into(),
        }
    }
}

/// Makes room for `needed` bytes in all, doubling the capacity as `Vec` does but never past
/// `limit`, so that a body cut at the limit holds no more than the limit.
fn grow(buffer: &mut Vec<u8>, needed: usize, limit: usize) {
    if needed <= buffer.capacity() {
        return;
    }
    let capacity = needed.max(buffer.capacity().saturating_mul(2)).min(limit).max(needed);
    buffer.reserve_exact(capacity - buffer.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_stops_at_the_limit() {
        // (capacity before, needed, limit, capacity after)
        let cases = [
            (0, 10, 100, 10),
            (10, 11, 100, 20),
            (60, 70, 100, 100),
            (100, 100, 100, 100),
            (64, 65, 1000, 128),
        ];
        for (before, needed, limit, after) in cases {
            let mut buffer = Vec::with_capacity(before);
            grow(&mut buffer, needed, limit);
            // The allocator may round up, but `reserve_exact` asks for no more than this.
            assert!(buffer.capacity() >= after, "{before} {needed} {limit}: {}", buffer.capacity());
            assert!(buffer.capacity() < after + 16, "{before} {needed} {limit}: {}", buffer.capacity());
        }
    }

    #[test]
    fn chunks_join_in_order() {
        assert_eq!(Chunks::Empty.into_bytes(), "");
        let mut chunks = Chunks::Empty;
        for (chunk, length) in [("ab", 2), ("cd", 4), ("e", 5)] {
            chunks.push(Bytes::from(chunk), 0, 100);
            assert_eq!(chunks.len(), length);
        }
        assert_eq!(chunks.into_bytes(), "abcde");
    }
}
