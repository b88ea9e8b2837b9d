//! A guard between the editor and tower-lsp-server on standard input and output.
//!
//! tower-lsp-server stops serving after the first message it cannot decode (tokio-util's
//! `FramedRead` ends the stream after a decoder error): one malformed message from a client
//! would shut the language server down. Here every incoming frame is checked first — framing,
//! JSON, and the shape of a JSON-RPC message — and only good ones reach the server; a bad one
//! is answered with a parse error (`-32700`) or an invalid-request error (`-32600`) and
//! dropped. Outgoing frames are copied whole, so an answer written here never lands inside
//! one of the server's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// The largest message accepted (a bigger Content-Length is a framing error).
const MAX_MESSAGE: usize = 512 * 1024 * 1024;

/// The longest header line kept; the rest of a longer line is read and dropped (a client
/// sending a body without headers, or garbage without line breaks, cannot grow memory).
const MAX_HEADER_LINE: usize = 8 * 1024;

/// One frame read from the client.
#[derive(Debug)]
pub enum Frame {
    /// A good message, ready to forward (headers included), with its method when it has one.
    Message(Vec<u8>, Option<String>),
    /// A bad one: the error response to send back.
    Bad(Value),
    /// End of input.
    Eof,
}

/// Reads one line (up to and including `\n`) into `line`, keeping at most
/// [`MAX_HEADER_LINE`] bytes of it. Returns the bytes consumed (0 at the end of input).
/// Bytes, not text: garbage that is not UTF-8 is skipped like any other.
async fn read_line_bounded<R: AsyncRead + Unpin>(
    input: &mut BufReader<R>,
    line: &mut Vec<u8>,
) -> std::io::Result<usize> {
    line.clear();
    let mut consumed = 0;
    loop {
        let buf = input.fill_buf().await?;
        if buf.is_empty() {
            return Ok(consumed);
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        line.extend_from_slice(&buf[..take.min(room)]);
        input.consume(take);
        consumed += take;
        if done {
            return Ok(consumed);
        }
    }
}

/// Reads the next frame: `Content-Length` headers, a blank line, the body.
///
/// After a bad frame the reader resynchronises on the next `Content-Length:` header: lines
/// before it (the rest of a body whose length was wrong or missing) are skipped, and a header
/// glued to the end of such a body (`{...}Content-Length: 52`) is found inside the line. So
/// one bad frame costs one error answer, never the session.
///
/// With `check`, the body must be a JSON-RPC 2.0 message (`guard_input`); without, any body is
/// passed on (`split_output`, the server's own output). Public for the fuzz target
/// (`fuzz/fuzz_targets/lsp_frame.rs`).
pub async fn read_frame<R: AsyncRead + Unpin>(
    input: &mut BufReader<R>,
    check: bool,
) -> std::io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    let mut raw = Vec::new();
    loop {
        if read_line_bounded(input, &mut raw).await? == 0 {
            return Ok(Frame::Eof);
        }
        let text = String::from_utf8_lossy(&raw);
        let line = text.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue; // Blank lines between messages.
        }
        // A Content-Length header, possibly after leftovers of a bad frame on the same line.
        let header = line
            .to_ascii_lowercase()
            .find("content-length:")
            .map(|at| &line[at..]);
        match header {
            Some(header) => {
                saw_header = true;
                let value = header["content-length:".len()..].trim();
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("bad Content-Length {value:?}")),
                );
            }
            // Another header (`Content-Type: ...`) of this frame.
            None if saw_header || looks_like_header(line) => saw_header = true,
            // Not a header: leftovers of a bad frame, skipped.
            None => {}
        }
    }
    let length = match length {
        Some(Ok(n)) if n <= MAX_MESSAGE => n,
        Some(Ok(n)) => return Ok(Frame::Bad(error(-32700, &format!("message too big: {n}")))),
        Some(Err(e)) => return Ok(Frame::Bad(error(-32700, &e))),
        None => return Ok(Frame::Bad(error(-32700, "missing Content-Length header"))),
    };
    // Read as the bytes arrive: memory grows with what the client sent, not with the length
    // it claimed (up to 512 MiB).
    let mut body = Vec::with_capacity(length.min(1 << 16));
    (&mut *input)
        .take(length as u64)
        .read_to_end(&mut body)
        .await?;
    if body.len() < length {
        return Ok(Frame::Eof);
    }
    if !check {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        return Ok(Frame::Message(frame, None));
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return Ok(Frame::Bad(error(-32700, &format!("Parse error: {e}")))),
    };
    // Checked on the parsed value by reference: a big `didOpen` is not copied again.
    use serde::Deserialize;
    let is_message = Request::deserialize(&value).is_ok() || Response::deserialize(&value).is_ok();
    if !is_message {
        let mut e = error(-32600, "Invalid request: not a JSON-RPC 2.0 message");
        if let Some(id) = value
            .get("id")
            .filter(|id| id.is_number() || id.is_string())
        {
            e["id"] = id.clone();
        }
        return Ok(Frame::Bad(e));
    }
    let method = value
        .get("method")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    Ok(Frame::Message(frame, method))
}

/// `Name: value` with a token-like name: a header line, not a leftover of a body.
fn looks_like_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// What the client asked for, for the process's exit code: the protocol wants 0 after
/// `shutdown` then `exit`, and 1 when `exit` comes without `shutdown`.
#[derive(Debug, Default)]
pub struct SessionState {
    shutdown: AtomicBool,
    exit: AtomicBool,
}

impl SessionState {
    /// Whether a `shutdown` request was forwarded.
    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Whether an `exit` notification was forwarded.
    pub fn exit_requested(&self) -> bool {
        self.exit.load(Ordering::SeqCst)
    }

    fn saw(&self, method: Option<&str>) {
        match method {
            Some("shutdown") => self.shutdown.store(true, Ordering::SeqCst),
            Some("exit") => self.exit.store(true, Ordering::SeqCst),
            _ => {}
        }
    }
}

fn error(code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": null})
}

fn encode(value: &Value) -> Vec<u8> {
    let body = value.to_string();
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body.as_bytes());
    frame
}

/// Copies the client's good frames to `server`, answering bad ones through `answers`.
pub async fn guard_input<R, W>(
    client: R,
    mut server: W,
    answers: mpsc::UnboundedSender<Vec<u8>>,
    session: Arc<SessionState>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(client);
    loop {
        match read_frame(&mut input, true).await {
            Ok(Frame::Message(frame, method)) => {
                session.saw(method.as_deref());
                if server.write_all(&frame).await.is_err() || server.flush().await.is_err() {
                    return;
                }
            }
            Ok(Frame::Bad(answer)) => {
                if answers.send(encode(&answer)).is_err() {
                    return;
                }
            }
            Ok(Frame::Eof) | Err(_) => return,
        }
    }
}

/// Splits the server's output into whole frames and sends them to `out`; at its end, an empty
/// frame tells [`write_output`] to stop.
pub async fn split_output<R: AsyncRead + Unpin>(server: R, out: mpsc::UnboundedSender<Vec<u8>>) {
    let mut input = BufReader::new(server);
    // The server's own output: framed, not checked.
    while let Ok(Frame::Message(frame, _)) = read_frame(&mut input, false).await {
        if out.send(frame).is_err() {
            return;
        }
    }
    let _ = out.send(Vec::new());
}

/// Writes frames to the client, one whole frame at a time, until the empty frame.
pub async fn write_output<W: AsyncWrite + Unpin>(
    mut client: W,
    mut frames: mpsc::UnboundedReceiver<Vec<u8>>,
) {
    while let Some(frame) = frames.recv().await {
        if frame.is_empty() {
            return;
        }
        if client.write_all(&frame).await.is_err() || client.flush().await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Result<Value, Value>> {
        let mut reader = BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader, true).await.unwrap() {
                Frame::Message(f, _) => {
                    let text = String::from_utf8(f).unwrap();
                    let body = text.split("\r\n\r\n").nth(1).unwrap();
                    out.push(Ok(serde_json::from_str(body).unwrap()));
                }
                Frame::Bad(e) => out.push(Err(e)),
                Frame::Eof => return out,
            }
        }
    }

    #[tokio::test]
    async fn bad_frames_are_answered_and_good_ones_pass() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = format!(
            "Content-Length: 5\r\n\r\n{{oops\
             Content-Length: 11\r\n\r\n{{\"id\": 7}}\r\n\
             X-Other: 1\r\n\r\n\
             Content-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let got = frames(input.as_bytes()).await;
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap_err()["error"]["code"], -32700);
        let invalid = got[1].as_ref().unwrap_err();
        assert_eq!(invalid["error"]["code"], -32600);
        assert_eq!(invalid["id"], 7);
        assert!(got[2].as_ref().unwrap_err()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Content-Length"));
        assert_eq!(got[3].as_ref().unwrap()["method"], "shutdown");
    }

    #[tokio::test]
    async fn the_reader_resynchronises_after_every_kind_of_bad_frame() {
        let good = |id: u32| format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"shutdown"}}"#);
        let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let body = good(1);
        let mut input = Vec::new();
        // A length that is not a number, then a good frame.
        input.extend(format!("Content-Length: abc\r\n\r\n{body}").bytes());
        input.extend(frame(&good(2)).bytes());
        // A missing length.
        input.extend(format!("Content-Type: x\r\n\r\n{body}").bytes());
        input.extend(frame(&good(3)).bytes());
        // A length too short for the body.
        input.extend(format!("Content-Length: 10\r\n\r\n{body}").bytes());
        input.extend(frame(&good(4)).bytes());
        // A length over the limit (the body is skipped as leftovers, not read).
        input.extend(format!("Content-Length: 999999999999\r\n\r\n{body}\r\n").bytes());
        input.extend(frame(&good(5)).bytes());
        // Bytes that are not UTF-8, and a very long line without a line break.
        input.extend([0xff, 0xfe, b'\n']);
        input.extend(std::iter::repeat_n(b'x', 100_000));
        input.extend(b"\r\n");
        input.extend(frame(&good(6)).bytes());
        // A pretty-printed body after a bad length.
        input.extend(b"Content-Length: -1\r\n\r\n{\n  \"id\": 1,\n  \"x\": 2\n}\n");
        input.extend(frame(&good(7)).bytes());
        let got = frames(&input).await;
        let ids: Vec<u64> = got
            .iter()
            .filter_map(|f| f.as_ref().ok())
            .map(|v| v["id"].as_u64().unwrap())
            .collect();
        assert_eq!(ids, [2, 3, 4, 5, 6, 7], "{got:?}");
        assert!(got.iter().any(|f| f.is_err()));
    }

    #[tokio::test]
    async fn exit_without_shutdown_is_recorded() {
        let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
        for (messages, clean) in [
            (vec![r#"{"jsonrpc":"2.0","method":"exit"}"#], false),
            (
                vec![
                    r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#,
                    r#"{"jsonrpc":"2.0","method":"exit"}"#,
                ],
                true,
            ),
        ] {
            let input: String = messages.iter().map(|m| frame(m)).collect();
            let session = Arc::new(SessionState::default());
            let (tx, _rx) = mpsc::unbounded_channel();
            guard_input(
                input.as_bytes(),
                tokio::io::sink(),
                tx,
                Arc::clone(&session),
            )
            .await;
            assert!(session.exit_requested());
            assert_eq!(session.shutdown_requested(), clean);
        }
    }
}
