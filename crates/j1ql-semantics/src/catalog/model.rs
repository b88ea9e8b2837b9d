//! The records the catalog hands out: classes, properties, verbs, entity and relationship types.

use std::fmt;

/// Where a catalog record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The JupiterOne data model (class schemas, relationship verbs, metadata, global entities).
    DataModel,
    /// The entity/relationship tables of the integration docs (`types.jsonl`).
    IntegrationDocs,
    /// Seen only in data the user loaded (see [`super::Observations`]).
    Observed,
}

/// The JSON type of a property, as the data-model schemas declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PropertyType {
    /// A string.
    String,
    /// Any number (dates are numbers too: epoch milliseconds).
    Number,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A list of values; J1QL's `=` on it means "contains".
    Array,
    /// A nested object.
    Object,
    /// Not declared (or seen only in data).
    Unknown,
}

impl PropertyType {
    /// Parses a JSON-schema type name (`string`, `number`, ...); anything else is `Unknown`.
    pub fn from_schema(name: &str) -> PropertyType {
        match name {
            "string" => PropertyType::String,
            "number" => PropertyType::Number,
            "integer" => PropertyType::Integer,
            "boolean" => PropertyType::Boolean,
            "array" => PropertyType::Array,
            "object" => PropertyType::Object,
            _ => PropertyType::Unknown,
        }
    }

    /// The JSON-schema name of the type (`unknown` for [`PropertyType::Unknown`]).
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::String => "string",
            PropertyType::Number => "number",
            PropertyType::Integer => "integer",
            PropertyType::Boolean => "boolean",
            PropertyType::Array => "array",
            PropertyType::Object => "object",
            PropertyType::Unknown => "unknown",
        }
    }

    /// `Number` or `Integer`.
    pub fn is_numeric(self) -> bool {
        matches!(self, PropertyType::Number | PropertyType::Integer)
    }
}

impl fmt::Display for PropertyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One property of a class, or a metadata property.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyInfo {
    /// The property name, e.g. `encrypted`, `_createdOn`.
    pub name: String,
    /// The main (first declared) type; `Unknown` when the schema gives none.
    pub ty: PropertyType,
    /// Every declared type, in schema order (e.g. `[String, Array]` for `string | string[]`);
    /// empty when unknown. `null` is not listed here but in [`PropertyInfo::nullable`].
    pub types: Vec<PropertyType>,
    /// The schema also allows `null`.
    pub nullable: bool,
    /// The JSON-schema `format` when given: `date-time` (epoch ms), `uri`, `email`, `ip`, ...
    pub format: Option<String>,
    /// The allowed values when the schema lists them (strings, or numbers for `ipVersion`).
    pub enum_values: Vec<serde_json::Value>,
    /// The allowed values constrain the items of an array property rather than the property.
    pub enum_items: bool,
    /// A short description in our own words, when we wrote one (metadata properties); never
    /// upstream text.
    pub description: Option<String>,
}

impl PropertyInfo {
    /// A property of unknown type and no other facts.
    pub fn unknown(name: impl Into<String>) -> PropertyInfo {
        PropertyInfo {
            name: name.into(),
            ty: PropertyType::Unknown,
            types: Vec::new(),
            nullable: false,
            format: None,
            enum_values: Vec::new(),
            enum_items: false,
            description: None,
        }
    }

    /// Whether the schema declares `ty` for this property (`Integer` also accepts `Number`
    /// and vice versa). An undeclared type accepts everything.
    pub fn accepts(&self, ty: PropertyType) -> bool {
        self.types.is_empty()
            || ty == PropertyType::Unknown
            || self
                .types
                .iter()
                .any(|t| *t == ty || (t.is_numeric() && ty.is_numeric()))
    }

    /// Whether this is a timestamp (epoch milliseconds; schema format `date-time`).
    pub fn is_date(&self) -> bool {
        self.format.as_deref() == Some("date-time")
    }

    /// A compact type text for hover: `string | array`, `boolean | null`, `number (date-time)`.
    pub fn type_text(&self) -> String {
        let mut out = if self.types.is_empty() {
            PropertyType::Unknown.as_str().to_string()
        } else {
            self.types
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        if self.nullable {
            out.push_str(" | null");
        }
        if let Some(format) = &self.format {
            out.push_str(&format!(" ({format})"));
        }
        out
    }
}

/// An entity class of the data model (`_class` value), e.g. `DataStore`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassInfo {
    /// The class name; `_class` values are case-sensitive.
    pub name: String,
    /// A one-line description in our own words (empty for classes seen only in data).
    pub description: String,
    /// The parent class, e.g. `Entity` (`GraphObject` for the base classes, which is not itself
    /// a class of the catalog).
    pub extends: Option<String>,
    /// Properties the schema requires (own requirement list; parents add theirs).
    pub required: Vec<String>,
    /// Own properties (not inherited), sorted by name.
    pub properties: Vec<PropertyInfo>,
    /// Where the class comes from.
    pub origin: Origin,
}

impl ClassInfo {
    /// An own property by exact name.
    pub fn property(&self, name: &str) -> Option<&PropertyInfo> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// A relationship verb (relationship `_class`), e.g. `HAS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbInfo {
    /// The verb in upper case.
    pub name: String,
    /// A one-line description in our own words (empty for verbs seen only in data).
    pub description: String,
    /// Where the verb comes from.
    pub origin: Origin,
}

/// An entity `_type`, e.g. `aws_s3_bucket`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInfo {
    /// The `_type` value.
    pub name: String,
    /// The classes entities of this type carry, in documented order (first = main class).
    /// Empty when the docs name the type only as a relationship endpoint.
    pub classes: Vec<String>,
    /// The integration that documents the type (the first of [`TypeInfo::integrations`]).
    pub integration: Option<String>,
    /// Every integration that documents the type, sorted (e.g. `user_endpoint` has several).
    pub integrations: Vec<String>,
    /// Property names seen in data (global entities, observations), sorted; metadata
    /// properties are not listed.
    pub properties: Vec<String>,
    /// The docs name this type only as an endpoint of a relationship, not in an entity table.
    pub endpoint_only: bool,
    /// Where the type comes from.
    pub origin: Origin,
}

/// Direction of a mapped relationship (mapper rule) relative to the documented source entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MappingDirection {
    /// The relationship goes from the documented source to the target.
    Forward,
    /// The relationship goes from the target to the documented source.
    Reverse,
}

/// A relationship type: `from` VERB `to`, with its `_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipTypeInfo {
    /// The source endpoint as documented: an entity `_type`, or a class name (TitleCase) when
    /// the docs give only the class.
    pub from: String,
    /// The verb (relationship `_class`), upper case.
    pub verb: String,
    /// The target endpoint: an entity `_type` or a class name.
    pub to: String,
    /// The relationship `_type`. For documented rows it is computed with the SDK convention
    /// (`<from>_<verb>_<to minus shared prefix>`); `None` when an endpoint is a class.
    pub name: Option<String>,
    /// Integrations that document it, sorted.
    pub integrations: Vec<String>,
    /// A mapped relationship (made by the mapper from a rule), not a direct one.
    pub mapped: bool,
    /// For mapped relationships, the direction relative to `from`.
    pub direction: Option<MappingDirection>,
    /// Property names seen in data, sorted.
    pub properties: Vec<String>,
    /// Where the row comes from.
    pub origin: Origin,
}

impl RelationshipTypeInfo {
    /// The endpoint the edge really starts at (`to` for a reverse mapped relationship).
    pub fn edge_from(&self) -> &str {
        if self.direction == Some(MappingDirection::Reverse) {
            &self.to
        } else {
            &self.from
        }
    }

    /// The endpoint the edge really ends at (`from` for a reverse mapped relationship).
    pub fn edge_to(&self) -> &str {
        if self.direction == Some(MappingDirection::Reverse) {
            &self.from
        } else {
            &self.to
        }
    }
}

/// A global entity every account has (`everyone`, `internet`).
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalEntity {
    /// The data model's constant name, e.g. `EVERYONE`.
    pub name: String,
    /// The entity as the data model defines it (`_class`, `_type`, `_key`, properties).
    pub entity: serde_json::Map<String, serde_json::Value>,
}

impl GlobalEntity {
    /// The entity's `_type`.
    pub fn type_name(&self) -> Option<&str> {
        self.entity.get("_type").and_then(|v| v.as_str())
    }

    /// The entity's `_key`.
    pub fn key(&self) -> Option<&str> {
        self.entity.get("_key").and_then(|v| v.as_str())
    }

    /// The entity's classes (`_class`, string or list).
    pub fn classes(&self) -> Vec<&str> {
        match self.entity.get("_class") {
            Some(serde_json::Value::String(s)) => vec![s.as_str()],
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}
