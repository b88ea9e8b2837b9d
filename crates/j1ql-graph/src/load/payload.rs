//! Payload shapes: a document is a payload object, an array of documents, or one item; a
//! payload's `source`/`scope`, its `entities`, `relationships` and `mappingRules`.

use super::scan::List;
use super::LoadError;
use crate::builder::{item_name, Builder, ItemCtx, ItemName};
use crate::intern::Sym;
use crate::mapper::MappingRule;
use crate::raw::Raw;

/// The payload key that `key` looks like a misspelling of (another case, or one or two
/// letters off), when it is not that key itself.
pub(crate) fn payload_key_typo(key: &str) -> Option<&'static str> {
    const KEYS: [&str; 3] = ["entities", "relationships", "mappingRules"];
    if KEYS.contains(&key) || key.starts_with('_') {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    KEYS.into_iter()
        .find(|known| edit_distance(&lower, &known.to_ascii_lowercase()) <= 2)
}

/// Levenshtein distance over bytes (short ASCII keys only).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return usize::MAX;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(x != y))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

impl Builder {
    /// Adds one document of a file: a payload object, an array of payloads/items, or an item.
    pub(crate) fn add_document(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        match doc {
            Raw::Arr(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.add_loose(file, line, &format!("[{i}]"), item)?;
                }
                Ok(())
            }
            other => self.add_loose(file, line, "", other),
        }
    }

    /// A payload object, or a single entity / relationship / mapping rule.
    pub(crate) fn add_loose(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let Raw::Obj(fields) = doc else {
            return Err(LoadError::Item {
                file: file.name.to_string(),
                item: item_name(line, path, "document"),
                message: format!(
                    "expected an object (a payload or an item), found {}",
                    doc.kind()
                ),
            });
        };
        let has = |k: &str| fields.iter().any(|(n, _)| n == k);
        check_payload_keys(file, line, path, fields.iter().map(|(k, _)| &**k))?;
        if has("entities") || has("relationships") || has("mappingRules") {
            return self.add_payload(file, line, path, doc);
        }
        let source = file.source;
        let ctx = ItemCtx {
            file: file.name,
            file_index: file.index,
            item: ItemName::Plain {
                line,
                path,
                what: "item",
            },
            line,
            source,
            scope: file.scope,
            text: file.text,
        };
        if [
            "_fromEntityKey",
            "_fromEntityId",
            "_toEntityKey",
            "_toEntityId",
        ]
        .iter()
        .any(|k| has(k))
        {
            let index = self.file_rel_count(file.index);
            self.add_relationship(&ctx, index, fields)
        } else if has("sourceFilter") {
            let rule = MappingRule::from_json(&doc.to_json(), format!("{} {}", ctx.file, ctx.item))
                .map_err(|m| ctx.error(m))?;
            self.rules.push(rule);
            Ok(())
        } else {
            self.add_entity(&ctx, fields)
        }
    }

    /// How many relationships of file `file` were read so far (the next one's index).
    pub(crate) fn file_rel_count(&self, file: u32) -> usize {
        match self.pending_per_file {
            (f, n) if f == file => n,
            _ => 0,
        }
    }

    pub(crate) fn add_payload(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let (source, scope) = self.payload_subgraph(file, line, path, doc)?;
        for (i, item) in payload_list(file, line, path, doc, List::Entities.key())?
            .iter()
            .enumerate()
        {
            self.add_listed(
                file,
                line,
                path,
                (source, scope),
                List::Entities,
                (i, 0),
                item,
            )?;
        }
        let base = self.file_rel_count(file.index);
        for (i, item) in payload_list(file, line, path, doc, List::Relationships.key())?
            .iter()
            .enumerate()
        {
            let list = List::Relationships;
            self.add_listed(file, line, path, (source, scope), list, (i, base), item)?;
        }
        self.add_payload_rules(file, line, path, doc)
    }

    /// A payload's `source` and `scope` (the file's defaults when it gives none).
    pub(crate) fn payload_subgraph(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(Sym, Sym), LoadError> {
        let mut source = file.source;
        let mut scope = file.scope;
        for (name, slot) in [("source", &mut source), ("scope", &mut scope)] {
            match doc.get(name) {
                Some(Raw::Str(s)) => *slot = self.intern_raw(s),
                None | Some(Raw::Null) => {}
                Some(_) => return Err(payload_field_error(file, line, path, name, "a string")),
            }
        }
        Ok((source, scope))
    }

    /// Element `i` of a payload's `entities` or `relationships`; `base`: how many relationships
    /// of the file came before the payload's (a relationship's index in the file is `base + i`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_listed(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        (source, scope): (Sym, Sym),
        list: List,
        (i, base): (usize, usize),
        item: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let (what, a_what) = match list {
            List::Entities => ("entity", "an entity"),
            List::Relationships => ("relationship", "a relationship"),
        };
        let ctx = ItemCtx {
            file: file.name,
            file_index: file.index,
            item: ItemName::Listed {
                line,
                path,
                list: list.key(),
                index: i,
                what,
            },
            line,
            source,
            scope,
            text: file.text,
        };
        match (item, list) {
            (Raw::Obj(fields), List::Entities) => self.add_entity(&ctx, fields),
            (Raw::Obj(fields), List::Relationships) => {
                self.add_relationship(&ctx, base + i, fields)
            }
            (other, _) => {
                Err(ctx.error(format!("{a_what} must be an object, not {}", other.kind())))
            }
        }
    }

    /// A payload's `mappingRules`.
    pub(crate) fn add_payload_rules(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let prefix = |name: &str, i: usize| -> String {
            if path.is_empty() {
                format!("{name}[{i}]")
            } else {
                format!("{path}.{name}[{i}]")
            }
        };
        for (i, item) in payload_list(file, line, path, doc, "mappingRules")?
            .iter()
            .enumerate()
        {
            let origin = format!(
                "{} {}",
                file.name,
                item_name(line, &prefix("mappingRules", i), "rule")
            );
            let rule = MappingRule::from_json(&item.to_json(), origin).map_err(|message| {
                LoadError::Item {
                    file: file.name.to_string(),
                    item: item_name(line, &prefix("mappingRules", i), "rule"),
                    message,
                }
            })?;
            self.rules.push(rule);
        }
        Ok(())
    }
}

/// A misspelt payload key (`entites`) would otherwise make the whole payload one entity
/// without a `_key`: say what is wrong instead.
pub(crate) fn check_payload_keys<'k>(
    file: &FileCtx<'_>,
    line: usize,
    path: &str,
    keys: impl IntoIterator<Item = &'k str>,
) -> Result<(), LoadError> {
    match keys
        .into_iter()
        .find_map(|k| payload_key_typo(k).map(|known| (k, known)))
    {
        Some((key, known)) => Err(LoadError::Item {
            file: file.name.to_string(),
            item: item_name(line, path, "document"),
            message: format!(
                "unknown top-level key `{key}` (did you mean `{known}`?); a payload has \
                 `entities`, `relationships`, `mappingRules`, `source` and `scope`"
            ),
        }),
        None => Ok(()),
    }
}

/// The array `name` of a payload (empty when absent or null).
pub(crate) fn payload_list<'d, 'a>(
    file: &FileCtx<'_>,
    line: usize,
    path: &str,
    doc: &'d Raw<'a>,
    name: &str,
) -> Result<&'d [Raw<'a>], LoadError> {
    match doc.get(name) {
        None | Some(Raw::Null) => Ok(&[]),
        Some(Raw::Arr(items)) => Ok(items),
        Some(_) => Err(payload_field_error(file, line, path, name, "an array")),
    }
}

/// A payload field of the wrong kind.
pub(crate) fn payload_field_error(
    file: &FileCtx<'_>,
    line: usize,
    path: &str,
    name: &str,
    what: &str,
) -> LoadError {
    LoadError::Item {
        file: file.name.to_string(),
        item: item_name(line, path, "payload"),
        message: format!("`{name}` must be {what}"),
    }
}

/// The file an item comes from.
pub(crate) struct FileCtx<'a> {
    pub(crate) name: &'a str,
    pub(crate) index: u32,
    pub(crate) source: Sym,
    pub(crate) scope: Sym,
    /// The file's bytes (empty for a JSON value), to turn a key into a line and column.
    pub(crate) text: &'a [u8],
}

pub(crate) fn file_ctx_ref<'a>(file: &'a (String, u32, Sym, Sym), text: &'a [u8]) -> FileCtx<'a> {
    FileCtx {
        name: &file.0,
        index: file.1,
        source: file.2,
        scope: file.3,
        text,
    }
}
