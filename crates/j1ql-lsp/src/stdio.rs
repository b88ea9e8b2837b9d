//! A guard between the editor and tower-lsp-server on standard input and output.
//!
//! tower-lsp-server stops serving after the first message it cannot decode (tokio-util's
//! `FramedRead` ends the stream after a decoder error): one malformed message from a client
//! would shut the language server down. Here every incoming frame is checked first — framing,
//! JSON, and the shape of a JSON-RPC message — and only good ones reach the server; a bad one
//! is answered with a parse error (`-32700`) or an invalid-request error (`-32600`) and
//! dropped. Outgoing frames are copied whole, so an answer written here never lands inside
//! one of the server's.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// The largest message accepted (a bigger Content-Length is a framing error).
const MAX_MESSAGE: usize = 512 * 1024 * 1024;

/// One frame read from the client.
enum Frame {
    /// A good message, ready to forward (headers included).
    Message(Vec<u8>),
    /// A bad one: the error response to send back.
    Bad(Value),
    /// End of input.
    Eof,
}

/// Reads the next frame: `Content-Length` headers, a blank line, the body.
async fn read_frame<R: AsyncRead + Unpin>(
    input: &mut BufReader<R>,
    check: bool,
) -> std::io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).await? == 0 {
            return Ok(Frame::Eof);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue; // Blank lines between messages.
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("bad Content-Length {:?}", value.trim())),
                );
            }
        }
    }
    let length = match length {
        Some(Ok(n)) if n <= MAX_MESSAGE => n,
        Some(Ok(n)) => return Ok(Frame::Bad(error(-32700, &format!("message too big: {n}")))),
        Some(Err(e)) => return Ok(Frame::Bad(error(-32700, &e))),
        None => return Ok(Frame::Bad(error(-32700, "missing Content-Length header"))),
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).await?;
    if !check {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        return Ok(Frame::Message(frame));
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return Ok(Frame::Bad(error(-32700, &format!("Parse error: {e}")))),
    };
    let is_message = serde_json::from_value::<Request>(value.clone()).is_ok()
        || serde_json::from_value::<Response>(value.clone()).is_ok();
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
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    Ok(Frame::Message(frame))
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
pub async fn guard_input<R, W>(client: R, mut server: W, answers: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(client);
    loop {
        match read_frame(&mut input, true).await {
            Ok(Frame::Message(frame)) => {
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
    while let Ok(Frame::Message(frame)) = read_frame(&mut input, false).await {
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
                Frame::Message(f) => {
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
}
