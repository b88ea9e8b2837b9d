//! J1QL in Markdown: the bodies of ```` ```j1ql ```` (and `~~~j1ql`) fences. Fences are found
//! line by line; pulldown-cmark, a CommonMark parser, reads the file too, and a fence it sees
//! differently (inside a block quote, say) is reported rather than guessed at.

use crate::region::{Encoding, Extraction, LineEnding, Region, Unmapped};

/// Lines with their start offsets; the content excludes the line break.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n').trim_end_matches('\r');
        out.push((pos, content));
        pos += line.len();
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_j1ql_info(info: &str) -> bool {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("j1ql"))
}

/// A fence our scanner finds: its body lines, the fence's indentation, the end of the body.
type Fence<'a> = (Vec<(usize, &'a str)>, usize, usize);

/// The `j1ql` fences of a host.
fn fences(host: &str) -> Vec<Fence<'_>> {
    let lines = lines(host);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].1;
        let indent = indent_of(line);
        let rest = &line[indent..];
        let fence = if indent < 4 && rest.starts_with("```") {
            '`'
        } else if indent < 4 && rest.starts_with("~~~") {
            '~'
        } else {
            i += 1;
            continue;
        };
        let fence_len = rest.chars().take_while(|&c| c == fence).count();
        let info = rest[fence_len..].trim();
        let mut j = i + 1;
        // A closing fence: up to 3 spaces, at least as many fence characters, then only
        // spaces or tabs (CommonMark; other Unicode whitespace does not close it).
        while j < lines.len() {
            let line = lines[j].1;
            let t = line.trim_start_matches(' ').trim_end_matches([' ', '\t']);
            if indent_of(line) < 4 && t.len() >= fence_len && t.chars().all(|c| c == fence) {
                break;
            }
            j += 1;
        }
        if is_j1ql_info(info) {
            let end = lines.get(j).map_or(host.len(), |l| l.0);
            out.push((lines[i + 1..j.min(lines.len())].to_vec(), indent, end));
        }
        i = j + 1;
    }
    out
}

/// Every J1QL fence of a Markdown host.
pub(crate) fn extract(host: &str) -> Extraction {
    let mut out = Extraction::default();
    let eol = LineEnding::detect(host);
    for (slot, (body, indent, end)) in fences(host).into_iter().enumerate() {
        let mut text = String::new();
        let mut map = Vec::new();
        for &(start, line) in &body {
            let strip = indent_of(line).min(indent);
            text.push_str(&line[strip..]);
            map.extend((strip..line.len()).map(|k| start + k));
            text.push('\n');
            map.push(start + line.len());
        }
        map.push(end);
        let start = body.first().map_or(end, |l| l.0);
        let mut region = Region::new(text, map, start..end, Encoding::Indented { indent });
        region.line_ending = eol;
        region.slot = slot;
        out.regions.push(region);
    }
    let read = parsed_fences(host);
    let ours: Vec<&str> = out.regions.iter().map(|r| r.text.as_str()).collect();
    if read != ours {
        out.unmapped.push(Unmapped {
            range: 0..0,
            reason: format!(
                "a CommonMark parser reads {} `j1ql` fence(s) here where the extractor found {}: fences inside quotes or other containers are not checked",
                read.len(),
                ours.len()
            ),
        });
    }
    out
}

/// The bodies of `j1ql` fences as pulldown-cmark reads them (line breaks as `\n`).
fn parsed_fences(host: &str) -> Vec<String> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(host) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_j1ql_info(&info) => {
                current = Some(String::new())
            }
            Event::Text(t) => {
                if let Some(c) = &mut current {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = current.take() {
                    out.push(c.replace("\r\n", "\n"));
                }
            }
            _ => {}
        }
    }
    out
}

/// Checks that `new` is `old` with the fences of some slots replaced, as pulldown-cmark
/// reads both.
pub(crate) fn verify(old: &str, new: &str, edits: &[(usize, String)]) -> Result<(), String> {
    let mut intended = parsed_fences(old);
    for (slot, text) in edits {
        *intended.get_mut(*slot).ok_or("a fence is missing")? = text.clone();
    }
    let fix_end = |t: &String| {
        let mut t = t.clone();
        if !t.ends_with('\n') {
            t.push('\n');
        }
        t
    };
    let intended: Vec<String> = intended.iter().map(fix_end).collect();
    let ours: Vec<String> = extract(new).regions.into_iter().map(|r| r.text).collect();
    if parsed_fences(new) != intended || ours != intended {
        return Err("the edited file's `j1ql` fences do not read back as intended".into());
    }
    Ok(())
}
