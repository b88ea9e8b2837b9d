//! The language server's frame reader (`j1ql_lsp::stdio::read_frame`) on any bytes: it never
//! panics and always makes progress; every message it passes on is framed exactly
//! (`Content-Length` equal to the body's length) and is a JSON-RPC 2.0 message; every bad frame
//! is answered with a parse (-32700) or invalid-request (-32600) error. And it resynchronises:
//! after any input without a `Content-Length` header, a good frame on a new line is read
//! whole.
#![no_main]

use std::sync::OnceLock;

use j1ql_lsp::stdio::{read_frame, Frame};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tokio::io::BufReader;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

/// Every frame of `input`, checked as `guard_input` reads them (`check`) or as
/// `split_output` does.
async fn frames(input: &[u8], check: bool) -> Vec<Frame> {
    let mut reader = BufReader::new(input);
    let mut out = Vec::new();
    loop {
        match read_frame(&mut reader, check).await.expect("reading a slice cannot fail") {
            Frame::Eof => return out,
            frame => out.push(frame),
        }
        // Each frame consumes at least one byte: no more frames than bytes.
        assert!(out.len() <= input.len(), "no progress");
    }
}

/// The body of a passed-on frame, after checking its framing.
fn body(frame: &[u8]) -> &[u8] {
    let text = String::from_utf8_lossy(frame);
    let header_end = text.find("\r\n\r\n").expect("a header block") + 4;
    let length: usize = text["Content-Length: ".len()..header_end - 4]
        .parse()
        .expect("a length");
    assert!(text.starts_with("Content-Length: "));
    assert_eq!(frame.len() - header_end, length, "the length names the body");
    &frame[header_end..]
}

const GOOD: &str = r#"{"jsonrpc":"2.0","id":424242,"method":"shutdown"}"#;

fuzz_target!(|data: &[u8]| {
    runtime().block_on(async {
        for frame in frames(data, true).await {
            match frame {
                Frame::Message(bytes, method) => {
                    let value: Value =
                        serde_json::from_slice(body(&bytes)).expect("a checked body is JSON");
                    assert_eq!(value["jsonrpc"], "2.0", "{value}");
                    assert_eq!(
                        method.as_deref(),
                        value.get("method").and_then(Value::as_str)
                    );
                }
                Frame::Bad(answer) => {
                    let code = answer["error"]["code"].as_i64();
                    assert!(matches!(code, Some(-32700 | -32600)), "{answer}");
                }
                Frame::Eof => unreachable!(),
            }
        }
        for frame in frames(data, false).await {
            if let Frame::Message(bytes, _) = frame {
                body(&bytes);
            }
        }
        let lower = String::from_utf8_lossy(data).to_ascii_lowercase();
        if !lower.contains("content-length") {
            let mut input = data.to_vec();
            input.extend_from_slice(
                format!("\r\nContent-Length: {}\r\n\r\n{GOOD}", GOOD.len()).as_bytes(),
            );
            let last = frames(&input, true).await.pop();
            match last {
                Some(Frame::Message(bytes, _)) => assert_eq!(body(&bytes), GOOD.as_bytes()),
                other => panic!("the good frame after the input was lost: {other:?}"),
            }
        }
    });
});
