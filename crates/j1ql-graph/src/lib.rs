//! # j1ql-graph
//!
//! The graph J1QL queries run on: fixture loading (bulk-upload payloads, JSON-lines, folders),
//! subgraph ownership and relationship endpoint resolution, the relationship mapper, the
//! indexes an evaluator needs, and a generator of realistic synthetic accounts.
//!
//! ```
//! use j1ql_graph::Graph;
//!
//! let graph = Graph::from_str(r#"{
//!   "scope": "demo",
//!   "entities": [
//!     {"_key": "u1", "_type": "okta_user", "_class": "User", "email": "a@example.com"},
//!     {"_key": "b1", "_type": "aws_s3_bucket", "_class": ["DataStore"], "tag": {"Production": true}}
//!   ],
//!   "relationships": [
//!     {"_class": "OWNS", "_fromEntityKey": "u1", "_toEntityKey": "b1"}
//!   ]
//! }"#).unwrap();
//! let user = graph.entities_of_class("User")[0];
//! let edge = graph.outgoing(user)[0];
//! let bucket = graph.entity(edge.other);
//! assert_eq!(bucket.type_name(), "aws_s3_bucket");
//! assert_eq!(graph.property(edge.other, "tag.Production").and_then(|v| v.as_bool()), Some(true));
//! assert_eq!(graph.relationship(edge.rel).type_name(), "okta_user_owns_aws_s3_bucket");
//! ```
//!
//! See `docs/graph.md` for the data contract, ownership and endpoint rules, and the mapper.

mod builder;
mod deleted;
pub mod generate;
mod graph;
mod ids;
mod intern;
mod load;
pub mod mapper;
mod observe;
mod raw;
mod resolve;
pub mod stats;
mod sym_map;
mod sym_table;
mod value;
mod values;

pub use graph::{Edge, Entity, EntityId, Graph, RelId, Relationship};
pub use ids::{generated_id, relationship_key, relationship_type, stable_hash};
pub use intern::{Interner, Sym};
pub use load::{
    fixture_files, fixture_walk, load_paths, LoadError, LoadOptions, LoadReport, Loader, Progress,
    SkippedRelationship,
};
pub use mapper::{Direction, MappingRule, MappingValue, PropertyMapping, SourceFilter};
pub use observe::{SchemaSummary, ValueKind};
pub use value::{number_to_json, PropValue, ValueRef};
pub use values::{Selector, ValueGroups, ValueIndexes, MAX_GROUPS};
