//! The relationship mapper (seed 001): rules that relate a source entity to the targets found
//! by its `targetFilterKeys`, creating a target when none is found.

use std::collections::VecDeque;
use std::sync::OnceLock;

use serde_json::Value;

use crate::builder::{Builder, ItemCtx, ItemName};
use crate::graph::{find_prop, EntityId, Props};
use crate::ids;
use crate::intern::{FxMap, FxSet, Sym};
use crate::load::LoadOptions;
use crate::value::{PropValue, ScalarKey};

/// `_source` (and `_scope`) of everything the mapper makes.
pub const SYSTEM_MAPPER: &str = "system-mapper";

/// The published global rules converted to the rule format (see `docs/graph.md`).
pub const GLOBAL_MAPPINGS_JSON: &str = include_str!("../data/global-mappings.json");

/// Which way a mapped relationship points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// source -> target.
    Forward,
    /// target -> source.
    Reverse,
}

/// What a property mapping takes its value from.
#[derive(Debug, Clone, PartialEq)]
pub enum MappingValue {
    /// `sourceProperty`: the source entity's property (metadata such as `_key` included).
    Source(String),
    /// `targetValue`: a constant.
    Constant(Value),
}

/// One `propertyMappings` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyMapping {
    /// `targetProperty`.
    pub target: String,
    /// `sourceProperty` or `targetValue`.
    pub value: MappingValue,
    /// Extension `"transform": "lowerCase"`: lower-case string values (the published rules'
    /// `toLowerCase(source.x)`).
    pub lower_case: bool,
}

/// One `sourceFilter` entry: the property must equal the value, or one of the values of an
/// array (any-of); `null` also matches an absent property. Extension: `{"not": V}` negates.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFilter {
    /// Property name (metadata names `_class`, `_type`, `_key`, `_source`, `_scope` work).
    pub property: String,
    /// Accepted values (any-of).
    pub values: Vec<Value>,
    /// `{"not": ...}`: the property must match none of `values`.
    pub negated: bool,
}

/// A mapping rule in the format of seed 001.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingRule {
    /// `sourceFilter`.
    pub source_filter: Vec<SourceFilter>,
    /// `relationshipProperties` (`_class` is the verb; `_type` and `_key` are optional).
    pub relationship_properties: Vec<(String, Value)>,
    /// `relationshipDirection` (default FORWARD).
    pub direction: Direction,
    /// `targetFilterKeys`: an OR of AND-sets of property names.
    pub target_filter_keys: Vec<Vec<String>>,
    /// `propertyMappings`.
    pub property_mappings: Vec<PropertyMapping>,
    /// `skipTargetCreation`.
    pub skip_target_creation: bool,
    /// Where the rule comes from (file and item, or the global rule's title).
    pub origin: String,
}

impl MappingRule {
    /// Parses a rule; `origin` names it in reports. Errors are messages for the user.
    pub fn from_json(value: &Value, origin: String) -> Result<MappingRule, String> {
        let obj = value
            .as_object()
            .ok_or_else(|| "a mapping rule must be an object".to_string())?;
        for key in obj.keys() {
            if !matches!(
                key.as_str(),
                "sourceFilter"
                    | "relationshipProperties"
                    | "relationshipDirection"
                    | "targetFilterKeys"
                    | "propertyMappings"
                    | "skipTargetCreation"
                    | "title"
                    | "id"
                    | "name"
                    | "description"
            ) {
                return Err(format!("unknown mapping rule field `{key}`"));
            }
        }
        let mut source_filter = Vec::new();
        match obj.get("sourceFilter") {
            Some(Value::Object(m)) => {
                for (property, v) in m {
                    let (values, negated) = match v {
                        Value::Object(o) if o.len() == 1 && o.contains_key("not") => {
                            (any_of(&o["not"]), true)
                        }
                        Value::Object(_) => {
                            return Err(format!(
                                "sourceFilter `{property}`: a value must be a scalar, an array \
                                 (any-of) or {{\"not\": ...}}"
                            ))
                        }
                        other => (any_of(other), false),
                    };
                    source_filter.push(SourceFilter {
                        property: property.clone(),
                        values,
                        negated,
                    });
                }
            }
            None => return Err("a mapping rule needs `sourceFilter`".into()),
            Some(_) => return Err("`sourceFilter` must be an object".into()),
        }
        let relationship_properties = match obj.get("relationshipProperties") {
            Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            None => {
                return Err("a mapping rule needs `relationshipProperties` with `_class`".into())
            }
            Some(_) => return Err("`relationshipProperties` must be an object".into()),
        };
        let rule_class = |props: &Vec<(String, Value)>| {
            props
                .iter()
                .any(|(k, v)| k == "_class" && v.as_str().is_some_and(|s| !s.is_empty()))
        };
        if !rule_class(&relationship_properties) {
            return Err("`relationshipProperties` needs `_class` (the verb, a string)".into());
        }
        let direction = match obj.get("relationshipDirection") {
            None | Some(Value::Null) => Direction::Forward,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("FORWARD") => Direction::Forward,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("REVERSE") => Direction::Reverse,
            Some(other) => {
                return Err(format!(
                    "`relationshipDirection` must be \"FORWARD\" or \"REVERSE\", not {other}"
                ))
            }
        };
        let mut target_filter_keys = Vec::new();
        match obj.get("targetFilterKeys") {
            Some(Value::Array(sets)) => {
                for set in sets {
                    match set {
                        Value::String(s) => target_filter_keys.push(vec![s.clone()]),
                        Value::Array(keys) => {
                            let mut out = Vec::new();
                            for k in keys {
                                match k {
                                    Value::String(s) => out.push(s.clone()),
                                    _ => {
                                        return Err("`targetFilterKeys` entries must be arrays \
                                                    of property names"
                                            .into())
                                    }
                                }
                            }
                            if !out.is_empty() {
                                target_filter_keys.push(out);
                            }
                        }
                        _ => {
                            return Err(
                                "`targetFilterKeys` must be an array of arrays of property names"
                                    .into(),
                            )
                        }
                    }
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => return Err("`targetFilterKeys` must be an array".into()),
        }
        let mut property_mappings = Vec::new();
        match obj.get("propertyMappings") {
            Some(Value::Array(items)) => {
                for item in items {
                    let m = item
                        .as_object()
                        .ok_or("each `propertyMappings` entry must be an object")?;
                    let target = m
                        .get("targetProperty")
                        .and_then(Value::as_str)
                        .ok_or("each `propertyMappings` entry needs `targetProperty` (a string)")?
                        .to_string();
                    let value = match (m.get("sourceProperty"), m.get("targetValue")) {
                        (Some(Value::String(s)), None) => MappingValue::Source(s.clone()),
                        (None, Some(v)) => MappingValue::Constant(v.clone()),
                        _ => {
                            return Err(format!(
                                "propertyMappings `{target}`: give exactly one of \
                                 `sourceProperty` (a string) and `targetValue`"
                            ))
                        }
                    };
                    let lower_case = match m.get("transform") {
                        None => false,
                        Some(Value::String(t)) if t == "lowerCase" => true,
                        Some(other) => {
                            return Err(format!(
                                "propertyMappings `{target}`: unknown transform {other} (known: \
                                 \"lowerCase\")"
                            ))
                        }
                    };
                    property_mappings.push(PropertyMapping {
                        target,
                        value,
                        lower_case,
                    });
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => return Err("`propertyMappings` must be an array".into()),
        }
        let skip_target_creation = match obj.get("skipTargetCreation") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err("`skipTargetCreation` must be true or false".into()),
        };
        Ok(MappingRule {
            source_filter,
            relationship_properties,
            direction,
            target_filter_keys,
            property_mappings,
            skip_target_creation,
            origin,
        })
    }
}

fn any_of(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

/// The shipped global rules (parsed once).
pub fn global_rules() -> &'static [MappingRule] {
    static RULES: OnceLock<Vec<MappingRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let doc: Value = serde_json::from_str(GLOBAL_MAPPINGS_JSON).unwrap_or(Value::Null);
        doc.get("rules")
            .and_then(Value::as_array)
            .map(|rules| {
                rules
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| {
                        let title = r
                            .get("title")
                            .and_then(Value::as_str)
                            .unwrap_or("untitled")
                            .to_string();
                        MappingRule::from_json(r, format!("global rule {i}: {title}")).ok()
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

// ---- running --------------------------------------------------------------------------

enum Src {
    Prop(Sym, bool),
    Value(PropValue),
}

struct Compiled {
    filter: Vec<(Sym, Vec<PropValue>, bool)>,
    verb: Sym,
    rel_type: Option<Sym>,
    rel_props: Props,
    forward: bool,
    target_keys: Vec<Vec<Sym>>,
    mappings: Vec<(Sym, Src)>,
    skip: bool,
    origin: String,
}

/// Lazily built value indexes: property -> value -> entities having it.
#[derive(Default)]
struct Indexes {
    by_prop: FxMap<Sym, FxMap<ScalarKey, Vec<EntityId>>>,
}

struct Mapper<'b> {
    b: &'b mut Builder,
    rules: Vec<Compiled>,
    indexes: Indexes,
    made: FxSet<(EntityId, EntityId, Sym)>,
    depth: Vec<u32>,
    mapper_subgraph: u32,
    warned: usize,
}

fn json_to_value(b: &mut Builder, v: &Value) -> PropValue {
    match v {
        Value::Null => PropValue::Null,
        Value::Bool(x) => PropValue::Bool(*x),
        Value::Number(n) => PropValue::Number(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => PropValue::String(b.strings.intern(s)),
        Value::Array(a) => {
            PropValue::Array(Box::new(a.iter().map(|x| json_to_value(b, x)).collect()))
        }
        Value::Object(_) => PropValue::String(b.strings.intern(&v.to_string())),
    }
}

/// Values of `key` on entity `e`, metadata included.
fn values_of(b: &Builder, e: EntityId, key: Sym) -> Option<Vec<PropValue>> {
    let rec = &b.entities[e.index()];
    let n = b.names;
    let s = |sym| Some(vec![PropValue::String(sym)]);
    if key == n.key {
        return s(rec.key);
    }
    if key == n.ty {
        return s(rec.ty);
    }
    if key == n.id {
        return s(rec.id);
    }
    if key == n.class {
        return Some(
            b.class_sets[rec.classes as usize]
                .iter()
                .map(|c| PropValue::String(*c))
                .collect(),
        );
    }
    if key == n.source {
        return s(b.subgraphs[rec.subgraph as usize].source);
    }
    if key == n.scope {
        return s(b.subgraphs[rec.subgraph as usize].scope);
    }
    let v = find_prop(&rec.props, key).or_else(|| find_prop(&b.meta_defaults, key))?;
    Some(v.elements().to_vec())
}

fn elements_match(a: &[PropValue], b: &[PropValue]) -> bool {
    a.iter().any(|x| {
        b.iter().any(|y| match (x, y) {
            (PropValue::Number(p), PropValue::Number(q)) => p == q,
            _ => x == y,
        })
    })
}

pub(crate) fn run(b: &mut Builder, options: &LoadOptions) {
    if b.rules.is_empty() {
        return;
    }
    let rules = std::mem::take(&mut b.rules);
    let compiled: Vec<Compiled> = rules.iter().map(|r| compile(b, r)).collect();
    b.rules = rules;
    let sm = b.names.system_mapper;
    let mapper_subgraph = b.subgraph(sm, sm);
    // Rules by the class / type their source filter requires, to try only plausible ones.
    let mut by_class: FxMap<Sym, Vec<usize>> = FxMap::default();
    let mut by_type: FxMap<Sym, Vec<usize>> = FxMap::default();
    let mut any: Vec<usize> = Vec::new();
    for (i, r) in compiled.iter().enumerate() {
        let pick = |key: Sym| {
            r.filter.iter().find(|(k, vals, neg)| {
                *k == key && !*neg && vals.iter().all(|v| v.as_sym().is_some())
            })
        };
        if let Some((_, vals, _)) = pick(b.names.class) {
            for v in vals {
                by_class
                    .entry(v.as_sym().unwrap_or(Sym(0)))
                    .or_default()
                    .push(i);
            }
        } else if let Some((_, vals, _)) = pick(b.names.ty) {
            for v in vals {
                by_type
                    .entry(v.as_sym().unwrap_or(Sym(0)))
                    .or_default()
                    .push(i);
            }
        } else {
            any.push(i);
        }
    }
    let n = b.entities.len();
    let mut m = Mapper {
        depth: vec![0; n],
        b,
        rules: compiled,
        indexes: Indexes::default(),
        made: FxSet::default(),
        mapper_subgraph,
        warned: 0,
    };
    let mut queue: VecDeque<EntityId> = (0..n as u32).map(EntityId).collect();
    let mut candidates: Vec<usize> = Vec::new();
    while let Some(e) = queue.pop_front() {
        candidates.clear();
        let rec = &m.b.entities[e.index()];
        for c in m.b.class_sets[rec.classes as usize].iter() {
            if let Some(list) = by_class.get(c) {
                candidates.extend(list);
            }
        }
        if let Some(list) = by_type.get(&rec.ty) {
            candidates.extend(list);
        }
        candidates.extend(&any);
        candidates.sort_unstable();
        candidates.dedup();
        for &r in candidates.iter() {
            if m.source_matches(r, e) {
                m.apply(r, e, options, &mut queue);
            }
        }
    }
}

fn compile(b: &mut Builder, r: &MappingRule) -> Compiled {
    let filter = r
        .source_filter
        .iter()
        .map(|f| {
            (
                b.strings.intern(&f.property),
                f.values.iter().map(|v| json_to_value(b, v)).collect(),
                f.negated,
            )
        })
        .collect();
    let mut verb = None;
    let mut rel_type = None;
    let mut rel_props = Vec::new();
    for (k, v) in &r.relationship_properties {
        match (k.as_str(), v) {
            ("_class", Value::String(s)) => verb = Some(b.strings.intern(&s.to_ascii_uppercase())),
            ("_type", Value::String(s)) => rel_type = Some(b.strings.intern(s)),
            ("_key" | "_id" | "_source" | "_scope", _) => {}
            _ => {
                let key = b.strings.intern(k);
                let value = json_to_value(b, v);
                rel_props.push((key, value));
            }
        }
    }
    rel_props.sort_by_key(|(k, _)| *k);
    rel_props.dedup_by_key(|(k, _)| *k);
    let verb = verb.unwrap_or_else(|| b.strings.intern("RELATES_TO"));
    let target_keys = r
        .target_filter_keys
        .iter()
        .map(|set| set.iter().map(|k| b.strings.intern(k)).collect())
        .collect();
    let mappings = r
        .property_mappings
        .iter()
        .map(|pm| {
            let target = b.strings.intern(&pm.target);
            let src = match &pm.value {
                MappingValue::Source(p) => Src::Prop(b.strings.intern(p), pm.lower_case),
                MappingValue::Constant(v) => {
                    let v = if pm.lower_case {
                        lower_json(v)
                    } else {
                        v.clone()
                    };
                    Src::Value(json_to_value(b, &v))
                }
            };
            (target, src)
        })
        .collect();
    Compiled {
        filter,
        verb,
        rel_type,
        rel_props: rel_props.into_boxed_slice(),
        forward: r.direction == Direction::Forward,
        target_keys,
        mappings,
        skip: r.skip_target_creation,
        origin: r.origin.clone(),
    }
}

fn lower_json(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.to_lowercase()),
        Value::Array(a) => Value::Array(a.iter().map(lower_json).collect()),
        other => other.clone(),
    }
}

const MAX_WARNINGS: usize = 50;

impl Mapper<'_> {
    fn warn(&mut self, message: String) {
        self.warned += 1;
        if self.warned <= MAX_WARNINGS {
            self.b.report.mapper_warnings.push(message);
        } else if self.warned == MAX_WARNINGS + 1 {
            self.b
                .report
                .mapper_warnings
                .push("(further mapper warnings omitted)".into());
        }
    }

    fn source_matches(&self, r: usize, e: EntityId) -> bool {
        self.rules[r].filter.iter().all(|(key, wanted, negated)| {
            let have = values_of(self.b, e, *key);
            let hit = match &have {
                None => wanted.iter().any(|w| matches!(w, PropValue::Null)),
                Some(vals) if vals.is_empty() => {
                    wanted.iter().any(|w| matches!(w, PropValue::Null))
                }
                Some(vals) => elements_match(vals, wanted),
            };
            hit != *negated
        })
    }

    /// The target template: property -> value, from the rule's property mappings.
    fn template(&mut self, r: usize, e: EntityId) -> Vec<(Sym, PropValue)> {
        let mut out: Vec<(Sym, PropValue)> = Vec::new();
        for i in 0..self.rules[r].mappings.len() {
            let (target, value) = match &self.rules[r].mappings[i] {
                (t, Src::Value(v)) => (*t, Some(v.clone())),
                (t, Src::Prop(p, lower)) => {
                    let (t, p, lower) = (*t, *p, *lower);
                    let vals = values_of(self.b, e, p);
                    let v = vals.and_then(|mut vals| {
                        if lower {
                            for v in vals.iter_mut() {
                                if let PropValue::String(s) = v {
                                    let text = self.b.strings.resolve(*s).to_lowercase();
                                    *s = self.b.strings.intern(&text);
                                }
                            }
                        }
                        match vals.len() {
                            0 => None,
                            1 if !matches!(
                                self.b.entities[e.index()]
                                    .props
                                    .iter()
                                    .find(|(k, _)| *k == p),
                                Some((_, PropValue::Array(_)))
                            ) && p != self.b.names.class =>
                            {
                                vals.pop()
                            }
                            _ => Some(PropValue::Array(Box::new(vals))),
                        }
                    });
                    (t, v)
                }
            };
            out.retain(|(k, _)| *k != target);
            if let Some(v) = value {
                if !matches!(v, PropValue::Null) {
                    out.push((target, v));
                }
            }
        }
        out
    }

    fn index_for(&mut self, key: Sym) -> &FxMap<ScalarKey, Vec<EntityId>> {
        if !self.indexes.by_prop.contains_key(&key) {
            let mut index: FxMap<ScalarKey, Vec<EntityId>> = FxMap::default();
            for i in 0..self.b.entities.len() {
                let e = EntityId(i as u32);
                if let Some(vals) = values_of(self.b, e, key) {
                    for v in &vals {
                        if let Some(k) = ScalarKey::of(v) {
                            let list = index.entry(k).or_default();
                            if list.last() != Some(&e) {
                                list.push(e);
                            }
                        }
                    }
                }
            }
            self.indexes.by_prop.insert(key, index);
        }
        &self.indexes.by_prop[&key]
    }

    /// Adds a new or changed entity's values to the built indexes.
    fn reindex(&mut self, e: EntityId, only: Option<&[Sym]>) {
        let keys: Vec<Sym> = self.indexes.by_prop.keys().copied().collect();
        for key in keys {
            if only.is_some_and(|o| !o.contains(&key)) {
                continue;
            }
            if let Some(vals) = values_of(self.b, e, key) {
                let index = self.indexes.by_prop.get_mut(&key).expect("listed");
                for v in &vals {
                    if let Some(k) = ScalarKey::of(v) {
                        let list = index.entry(k).or_default();
                        if !list.contains(&e) {
                            list.push(e);
                        }
                    }
                }
            }
        }
    }

    fn search(
        &mut self,
        r: usize,
        source: EntityId,
        template: &[(Sym, PropValue)],
    ) -> Vec<EntityId> {
        let mut found: Vec<EntityId> = Vec::new();
        let sets = self.rules[r].target_keys.clone();
        for set in &sets {
            let mut wanted: Vec<(Sym, &PropValue)> = Vec::new();
            for k in set {
                match template.iter().find(|(t, _)| t == k) {
                    Some((_, v)) => wanted.push((*k, v)),
                    None => break,
                }
            }
            if wanted.len() != set.len() {
                continue;
            }
            // Look up by the most selective-looking key: a non-metadata one if any.
            let names = self.b.names;
            let lead = wanted
                .iter()
                .position(|(k, _)| ![names.class, names.ty].contains(k))
                .unwrap_or(0);
            let (lead_key, lead_value) = wanted[lead];
            let mut candidates: Vec<EntityId> = Vec::new();
            {
                let index = self.index_for(lead_key);
                for v in lead_value.elements() {
                    if let Some(k) = ScalarKey::of(v) {
                        if let Some(list) = index.get(&k) {
                            candidates.extend(list);
                        }
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            for c in candidates {
                if c == source {
                    continue;
                }
                let all = wanted.iter().all(|(k, v)| {
                    values_of(self.b, c, *k).is_some_and(|have| elements_match(&have, v.elements()))
                });
                if all {
                    found.push(c);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    fn apply(
        &mut self,
        r: usize,
        e: EntityId,
        options: &LoadOptions,
        queue: &mut VecDeque<EntityId>,
    ) {
        let template = self.template(r, e);
        let mut targets = self.search(r, e, &template);
        let sm = self.b.names.system_mapper;
        if !self.rules[r].skip {
            // Accumulate the template's properties on mapper-made targets.
            for &t in &targets {
                if self.b.subgraphs[self.b.entities[t.index()].subgraph as usize].source == sm
                    && self.accumulate(t, &template)
                {
                    queue.push_back(t);
                }
            }
            if targets.is_empty() {
                if let Some(t) = self.create_target(r, e, &template, options) {
                    queue.push_back(t);
                    targets.push(t);
                }
            }
        }
        for t in targets {
            if self.b.report.mapper_relationships >= options.max_mapper_relationships {
                let msg = format!(
                    "{}: the mapper already created {} relationships (the limit): not creating \
                     more",
                    self.rules[r].origin, options.max_mapper_relationships
                );
                self.warn(msg);
                return;
            }
            let (from, to) = if self.rules[r].forward {
                (e, t)
            } else {
                (t, e)
            };
            self.relate(r, from, to);
        }
    }

    /// Adds the template properties `t` lacks; whether anything changed.
    fn accumulate(&mut self, t: EntityId, template: &[(Sym, PropValue)]) -> bool {
        let names = self.b.names;
        let rec = &self.b.entities[t.index()];
        let mut added = Vec::new();
        for (k, v) in template {
            if [
                names.key,
                names.ty,
                names.class,
                names.id,
                names.source,
                names.scope,
            ]
            .contains(k)
            {
                continue;
            }
            if find_prop(&rec.props, *k).is_none() {
                added.push((*k, v.clone()));
            }
        }
        if added.is_empty() {
            return false;
        }
        let keys: Vec<Sym> = added.iter().map(|(k, _)| *k).collect();
        let rec = &mut self.b.entities[t.index()];
        let mut props = std::mem::take(&mut rec.props).into_vec();
        props.extend(added);
        props.sort_by_key(|(k, _)| *k);
        rec.props = props.into_boxed_slice();
        self.reindex(t, Some(&keys));
        true
    }

    fn create_target(
        &mut self,
        r: usize,
        source: EntityId,
        template: &[(Sym, PropValue)],
        options: &LoadOptions,
    ) -> Option<EntityId> {
        let names = self.b.names;
        let depth = self.depth.get(source.index()).copied().unwrap_or(0) + 1;
        let source_key = self
            .b
            .strings
            .resolve(self.b.entities[source.index()].key)
            .to_string();
        if depth > options.max_mapper_depth {
            let msg = format!(
                "{}: cascade stopped at depth {} (source `_key` {:?}): not creating more targets",
                self.rules[r].origin, options.max_mapper_depth, source_key
            );
            self.warn(msg);
            return None;
        }
        if self.b.report.mapper_entities >= options.max_mapper_entities {
            let msg = format!(
                "{}: the mapper already created {} entities (the limit): not creating more",
                self.rules[r].origin, options.max_mapper_entities
            );
            self.warn(msg);
            return None;
        }
        let get = |k: Sym| template.iter().find(|(t, _)| *t == k).map(|(_, v)| v);
        let mut classes: Vec<Sym> = Vec::new();
        if let Some(v) = get(names.class) {
            for x in v.elements() {
                if let PropValue::String(s) = x {
                    if !classes.contains(s) {
                        classes.push(*s);
                    }
                }
            }
        }
        let ty = match get(names.ty)
            .and_then(|v| v.elements().first())
            .and_then(PropValue::as_sym)
        {
            Some(t) => t,
            None => match classes.first() {
                Some(c) => {
                    let text = to_snake(self.b.strings.resolve(*c));
                    self.b.strings.intern(&text)
                }
                None => {
                    let msg = format!(
                        "{}: cannot create a target: its propertyMappings give no `_class` \
                         or `_type`",
                        self.rules[r].origin
                    );
                    self.warn(msg);
                    return None;
                }
            },
        };
        if classes.is_empty() {
            let text = self.b.strings.resolve(ty).to_string();
            classes.push(self.b.strings.intern(&pascal(&text)));
        }
        // The identity of the created target: the values of the first complete filter-key
        // set (so every rule looking for the same target makes the same one).
        let key = match get(names.key).and_then(PropValue::as_sym) {
            Some(k) => k,
            None => {
                let mut parts: Vec<String> = Vec::new();
                let set = self.rules[r]
                    .target_keys
                    .iter()
                    .find(|set| set.iter().all(|k| get(*k).is_some()))
                    .cloned()
                    .unwrap_or_else(|| template.iter().map(|(k, _)| *k).collect());
                for k in set {
                    if let Some(v) = get(k) {
                        parts.push(self.b.strings.resolve(k).to_string());
                        parts.push(v.to_json(&self.b.strings).to_string());
                    }
                }
                let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
                let text = format!(
                    "{}:{:016x}",
                    self.b.strings.resolve(ty),
                    ids::stable_hash(&refs)
                );
                self.b.strings.intern(&text)
            }
        };
        let mut props: Vec<(Sym, PropValue)> = template
            .iter()
            .filter(|(k, _)| {
                ![
                    names.key,
                    names.ty,
                    names.class,
                    names.id,
                    names.source,
                    names.scope,
                ]
                .contains(k)
            })
            .cloned()
            .collect();
        props.sort_by_key(|(k, _)| *k);
        let classes = self.b.class_set(&classes);
        if let Some(t) = self.b.by_subgraph_key.get(self.mapper_subgraph, key) {
            let t = EntityId(t);
            if self.accumulate(t, template) {
                return Some(t);
            }
            // Already there and unchanged: relate without re-queuing.
            let (from, to) = if self.rules[r].forward {
                (source, t)
            } else {
                (t, source)
            };
            self.relate(r, from, to);
            return None;
        }
        let ctx = ItemCtx {
            file: SYSTEM_MAPPER,
            file_index: 0,
            item: ItemName::Text(self.rules[r].origin.clone()),
            line: 0,
            source: names.system_mapper,
            scope: names.system_mapper,
            text: &[],
        };
        let t = self
            .b
            .upsert_entity(
                &ctx,
                self.mapper_subgraph,
                key,
                ty,
                classes,
                None,
                props.into_boxed_slice(),
            )
            .ok()?;
        self.b.report.mapper_entities += 1;
        if self.depth.len() <= t.index() {
            self.depth.resize(t.index() + 1, 0);
        }
        self.depth[t.index()] = depth;
        self.reindex(t, None);
        Some(t)
    }

    fn relate(&mut self, r: usize, from: EntityId, to: EntityId) {
        let verb = self.rules[r].verb;
        if !self.made.insert((from, to, verb)) {
            return;
        }
        let (fid, tid) = (
            self.b.entities[from.index()].id,
            self.b.entities[to.index()].id,
        );
        let verb_text = self.b.strings.resolve(verb).to_string();
        let key_text = ids::relationship_key(
            self.b.strings.resolve(fid),
            &verb_text,
            self.b.strings.resolve(tid),
        );
        let key = self.b.strings.intern(&key_text);
        let ty = match self.rules[r].rel_type {
            Some(t) => t,
            None => {
                let text = ids::relationship_type(
                    self.b.strings.resolve(self.b.entities[from.index()].ty),
                    &verb_text,
                    self.b.strings.resolve(self.b.entities[to.index()].ty),
                );
                self.b.strings.intern(&text)
            }
        };
        let before = self.b.relationships.len();
        let props = self.rules[r].rel_props.clone();
        self.b.insert_relationship(
            self.mapper_subgraph,
            key,
            ty,
            verb,
            None,
            from,
            to,
            props,
            None,
        );
        if self.b.relationships.len() > before {
            self.b.report.mapper_relationships += 1;
        }
    }
}

/// `UserGroup` -> `user_group`.
fn to_snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `user_group` -> `UserGroup`.
fn pascal(s: &str) -> String {
    s.split(['_', '-', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}
