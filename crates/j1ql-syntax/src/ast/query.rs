//! Documents, queries, entities, selectors, traversals and the closing clauses.

use super::{ast_node, child, children, token, token_where, AstNode, Filter, Literal, Path};
use crate::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken};

ast_node!(
    /// The whole input: a sequence of queries.
    Document, DOCUMENT
);
ast_node!(
    /// One query.
    Query, QUERY
);
ast_node!(
    /// An entity pattern: selector, WITH filters, alias.
    Entity, ENTITY
);
ast_node!(
    /// What an entity pattern matches: classes, types, `*`, smart classes or full text.
    Selector, SELECTOR
);
ast_node!(
    /// `(Host|aws_instance)` inside a selector.
    SelectorGroup, SELECTOR_GROUP
);
ast_node!(
    /// `WITH filter`.
    WithClause, WITH_CLAUSE
);
ast_node!(
    /// `AS name` on an entity, a relationship or an optional group.
    Alias, ALIAS
);
ast_node!(
    /// `THAT relationship target`.
    Traversal, TRAVERSAL
);
ast_node!(
    /// The relationship of a traversal: negation, verbs, direction, alias.
    Relationship, RELATIONSHIP
);
ast_node!(
    /// One relationship verb.
    Verb, VERB
);
ast_node!(
    /// `(ALLOWS|PERMITS)`.
    VerbGroup, VERB_GROUP
);
ast_node!(
    /// `( THAT ... )? [AS alias]`.
    OptionalTraversal, OPTIONAL_TRAVERSAL
);
ast_node!(
    /// `WHERE filter`.
    WhereClause, WHERE_CLAUSE
);
ast_node!(
    /// `HAVING filter`.
    HavingClause, HAVING_CLAUSE
);
ast_node!(
    /// `ORDER BY items`.
    OrderClause, ORDER_CLAUSE
);
ast_node!(
    /// `path [ASC|DESC]` or `"Column" [ASC|DESC]`.
    OrderItem, ORDER_ITEM
);
ast_node!(
    /// `SKIP n`.
    SkipClause, SKIP_CLAUSE
);
ast_node!(
    /// `LIMIT n`.
    LimitClause, LIMIT_CLAUSE
);

impl Document {
    /// The typed root of a parse (the root is always a DOCUMENT).
    pub fn cast_root(node: SyntaxNode) -> Document {
        debug_assert_eq!(node.kind(), DOCUMENT);
        Document { syntax: node }
    }

    /// The queries, in order.
    pub fn queries(&self) -> impl Iterator<Item = Query> {
        children(&self.syntax)
    }
}

/// A step after the start entity: a traversal or an optional group of traversals.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// `THAT ...`
    Traversal(Traversal),
    /// `( THAT ... )?`
    Optional(OptionalTraversal),
}

impl Step {
    fn cast(node: SyntaxNode) -> Option<Step> {
        Traversal::cast(node.clone())
            .map(Step::Traversal)
            .or_else(|| OptionalTraversal::cast(node).map(Step::Optional))
    }

    /// The underlying node.
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Step::Traversal(t) => t.syntax(),
            Step::Optional(o) => o.syntax(),
        }
    }
}

impl Query {
    /// The `FIND` keyword (absent in a full-text query written without it).
    pub fn find_token(&self) -> Option<SyntaxToken> {
        token(&self.syntax, FIND_KW)
    }

    /// Whether `UNIQUE` follows FIND.
    pub fn is_unique(&self) -> bool {
        token(&self.syntax, UNIQUE_KW).is_some()
    }

    /// The `UNIQUE` keyword.
    pub fn unique_token(&self) -> Option<SyntaxToken> {
        token(&self.syntax, UNIQUE_KW)
    }

    /// The starting entity pattern.
    pub fn entity(&self) -> Option<Entity> {
        child(&self.syntax)
    }

    /// Traversals and optional groups, in order.
    pub fn steps(&self) -> impl Iterator<Item = Step> {
        self.syntax.children().filter_map(Step::cast)
    }

    /// The WHERE clause.
    pub fn where_clause(&self) -> Option<WhereClause> {
        child(&self.syntax)
    }

    /// The RETURN clause.
    pub fn return_clause(&self) -> Option<super::ReturnClause> {
        child(&self.syntax)
    }

    /// The HAVING clause.
    pub fn having_clause(&self) -> Option<HavingClause> {
        child(&self.syntax)
    }

    /// The ORDER BY clause.
    pub fn order_clause(&self) -> Option<OrderClause> {
        child(&self.syntax)
    }

    /// The SKIP clause.
    pub fn skip_clause(&self) -> Option<SkipClause> {
        child(&self.syntax)
    }

    /// The LIMIT clause.
    pub fn limit_clause(&self) -> Option<LimitClause> {
        child(&self.syntax)
    }

    /// Every entity pattern of the query in order: the start, then each traversal target
    /// (including those inside optional groups).
    pub fn entities(&self) -> impl Iterator<Item = Entity> {
        self.syntax.descendants().filter_map(Entity::cast)
    }

    /// Every alias defined in the query, in order (entities, relationships, optional groups).
    pub fn aliases(&self) -> impl Iterator<Item = Alias> {
        self.syntax.descendants().filter_map(Alias::cast)
    }
}

impl Entity {
    /// The selector.
    pub fn selector(&self) -> Option<Selector> {
        child(&self.syntax)
    }

    /// The WITH clauses (usually one; `WITH a AS x WITH b` gives two).
    pub fn with_clauses(&self) -> impl Iterator<Item = WithClause> {
        children(&self.syntax)
    }

    /// The alias (the first one, if several were written).
    pub fn alias(&self) -> Option<Alias> {
        child(&self.syntax)
    }

    /// All aliases written on this entity.
    pub fn aliases(&self) -> impl Iterator<Item = Alias> {
        children(&self.syntax)
    }
}

/// How a selector name reads: J1QL tells classes from types by case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// TitleCase: an entity `_class` (`DataStore`).
    Class,
    /// snake_case or lower case: an entity `_type` (`aws_s3_bucket`).
    Type,
    /// `*`: any entity.
    Any,
}

impl NameKind {
    /// Classifies a selector word: `*` is any, a word starting with an upper-case letter is a
    /// class, anything else a type.
    pub fn of(text: &str) -> NameKind {
        match text.chars().next() {
            Some('*') => NameKind::Any,
            Some(c) if c.is_uppercase() => NameKind::Class,
            _ => NameKind::Type,
        }
    }
}

impl Selector {
    /// `#SmartClass` tokens, in order.
    pub fn smart_classes(&self) -> impl Iterator<Item = SyntaxToken> {
        self.syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == SMART_CLASS_NAME)
    }

    /// The class/type/`*` tokens: the direct one or those of the group.
    pub fn names(&self) -> Vec<SyntaxToken> {
        let direct = self
            .syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| matches!(t.kind(), IDENT | STAR));
        let grouped = self.group().into_iter().flat_map(|g| g.names());
        direct.chain(grouped).collect()
    }

    /// The alternation group, if the selector is one.
    pub fn group(&self) -> Option<SelectorGroup> {
        child(&self.syntax)
    }

    /// The full-text search string of `FIND "text"`.
    pub fn full_text(&self) -> Option<SyntaxToken> {
        token(&self.syntax, STRING)
    }
}

impl SelectorGroup {
    /// The names between the parentheses.
    pub fn names(&self) -> impl Iterator<Item = SyntaxToken> {
        self.syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| matches!(t.kind(), IDENT | STAR))
    }
}

impl WithClause {
    /// The filter after WITH.
    pub fn filter(&self) -> Option<Filter> {
        self.syntax.children().find_map(Filter::cast)
    }
}

impl WhereClause {
    /// The filter after WHERE.
    pub fn filter(&self) -> Option<Filter> {
        self.syntax.children().find_map(Filter::cast)
    }
}

impl HavingClause {
    /// The filter after HAVING.
    pub fn filter(&self) -> Option<Filter> {
        self.syntax.children().find_map(Filter::cast)
    }
}

impl Alias {
    /// The name token.
    pub fn name(&self) -> Option<SyntaxToken> {
        token_where(&self.syntax, |k| k != AS_KW)
    }

    /// The name as written (empty when missing).
    pub fn text(&self) -> String {
        self.name()
            .map(|t| t.text().to_string())
            .unwrap_or_default()
    }
}

impl Traversal {
    /// The relationship part.
    pub fn relationship(&self) -> Option<Relationship> {
        child(&self.syntax)
    }

    /// The target entity pattern.
    pub fn entity(&self) -> Option<Entity> {
        child(&self.syntax)
    }
}

/// Which way a relationship must point, relative to the entity before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `>>`: from the previous entity to the target.
    Outgoing,
    /// `<<`: from the target to the previous entity.
    Incoming,
    /// No arrow: either way (J1QL's default).
    Both,
}

impl Relationship {
    /// Whether the relationship is negated with `!`.
    pub fn is_negated(&self) -> bool {
        token(&self.syntax, BANG).is_some()
    }

    /// The verbs: one, or those of the alternation group.
    pub fn verbs(&self) -> Vec<Verb> {
        let direct = children::<Verb>(&self.syntax);
        let grouped = child::<VerbGroup>(&self.syntax)
            .into_iter()
            .flat_map(|g| children::<Verb>(g.syntax()).collect::<Vec<_>>());
        direct.chain(grouped).collect()
    }

    /// The alternation group, if written.
    pub fn verb_group(&self) -> Option<VerbGroup> {
        child(&self.syntax)
    }

    /// The direction arrow, if any.
    pub fn direction(&self) -> Direction {
        let arrow = self
            .syntax
            .children()
            .find(|n| n.kind() == DIRECTION)
            .and_then(|n| n.first_token());
        match arrow.map(|t| t.kind()) {
            Some(SHR) => Direction::Outgoing,
            Some(SHL) => Direction::Incoming,
            _ => Direction::Both,
        }
    }

    /// The relationship alias (`THAT ALLOWS AS rule *`).
    pub fn alias(&self) -> Option<Alias> {
        child(&self.syntax)
    }
}

impl VerbGroup {
    /// The verbs in the group.
    pub fn verbs(&self) -> impl Iterator<Item = Verb> {
        children(&self.syntax)
    }
}

impl Verb {
    /// Whether this is `RELATES TO` (any relationship).
    pub fn is_relates_to(&self) -> bool {
        token(&self.syntax, RELATES_KW).is_some()
    }

    /// The verb token (`HAS`, or `RELATES`).
    pub fn name(&self) -> Option<SyntaxToken> {
        token_where(&self.syntax, |k| matches!(k, IDENT | RELATES_KW))
    }

    /// The verb as stored in the graph: upper case (`has` → `HAS`). `None` for RELATES TO.
    pub fn class(&self) -> Option<String> {
        if self.is_relates_to() {
            return None;
        }
        self.name().map(|t| t.text().to_uppercase())
    }
}

impl OptionalTraversal {
    /// The traversals (and nested optional groups) inside.
    pub fn steps(&self) -> impl Iterator<Item = Step> {
        self.syntax.children().filter_map(Step::cast)
    }

    /// The alias after `)?`.
    pub fn alias(&self) -> Option<Alias> {
        child(&self.syntax)
    }
}

impl OrderClause {
    /// The sort keys.
    pub fn items(&self) -> impl Iterator<Item = OrderItem> {
        children(&self.syntax)
    }
}

impl OrderItem {
    /// The sort key as a path (`u.username`, `score`).
    pub fn path(&self) -> Option<Path> {
        child(&self.syntax)
    }

    /// The sort key as a quoted column name.
    pub fn column(&self) -> Option<Literal> {
        child(&self.syntax)
    }

    /// Whether DESC was given (ASC is the default).
    pub fn is_descending(&self) -> bool {
        token(&self.syntax, DESC_KW).is_some()
    }
}

/// Shared by SKIP and LIMIT: the literal and its integer value.
fn clause_number(node: &SyntaxNode) -> Option<i64> {
    let literal: Literal = child(node)?;
    literal.integer()
}

impl SkipClause {
    /// The literal after SKIP (a number or a parameter).
    pub fn value(&self) -> Option<Literal> {
        child(&self.syntax)
    }

    /// The number after SKIP, if it is an integer.
    pub fn number(&self) -> Option<i64> {
        clause_number(&self.syntax)
    }
}

impl LimitClause {
    /// The literal after LIMIT (a number or a parameter).
    pub fn value(&self) -> Option<Literal> {
        child(&self.syntax)
    }

    /// The number after LIMIT, if it is an integer.
    pub fn number(&self) -> Option<i64> {
        clause_number(&self.syntax)
    }
}

/// Whether a token kind is a keyword clause starter (used by tools that split queries).
pub fn is_clause_keyword(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        FIND_KW
            | THAT_KW
            | WITH_KW
            | WHERE_KW
            | RETURN_KW
            | HAVING_KW
            | ORDER_KW
            | SKIP_KW
            | LIMIT_KW
    )
}
