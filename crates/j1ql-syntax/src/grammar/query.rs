//! A query: FIND, UNIQUE, the start entity, traversals, and the closing clauses.

use super::{at_optional_traversal, entity, expression, filter, traversal, CLAUSE_START};
use crate::parser::Parser;
use crate::ErrorCode;
use crate::SyntaxKind::*;

pub(super) fn query(p: &mut Parser<'_>) {
    p.start_query();
    let m = p.start();
    if !p.eat(FIND_KW) && !p.at(STRING) {
        p.error_expected(ErrorCode::MissingFind, "`FIND` at the start of a query");
    }
    p.eat(UNIQUE_KW);
    entity::entity(p, entity::Position::Start);

    let mut seen: Vec<u16> = Vec::new();
    let mut post_traversal = false;
    loop {
        match p.current() {
            THAT_KW => {
                out_of_order(p, post_traversal);
                traversal::traversal(p);
            }
            L_PAREN if at_optional_traversal(p) => {
                out_of_order(p, post_traversal);
                traversal::optional_traversal(p);
            }
            WHERE_KW | RETURN_KW | HAVING_KW | ORDER_KW | SKIP_KW | LIMIT_KW => {
                post_traversal = true;
                let kind = p.current();
                if seen.contains(&(kind as u16)) {
                    let text = p.current_text().to_uppercase();
                    p.error_at_current(
                        ErrorCode::DuplicateClause,
                        format!("duplicate `{text}` clause: a query has at most one"),
                    );
                }
                seen.push(kind as u16);
                match kind {
                    WHERE_KW => filter::where_clause(p, WHERE_CLAUSE),
                    HAVING_KW => filter::where_clause(p, HAVING_CLAUSE),
                    RETURN_KW => expression::return_clause(p),
                    ORDER_KW => expression::order_clause(p),
                    _ => expression::skip_or_limit(p),
                }
            }
            SEMICOLON => {
                p.bump();
                break;
            }
            FIND_KW => break,
            // A bare string on a new line starts a new, full-text query.
            STRING if p.at_line_start() => break,
            _ if p.at_eof() => break,
            WITH_KW => {
                p.error_at_current(
                    ErrorCode::UnexpectedToken,
                    "`WITH` must directly follow the class, type or alias it filters".to_string(),
                );
                filter::with_clause(p);
            }
            AS_KW => {
                p.error_at_current(
                    ErrorCode::UnexpectedToken,
                    "`AS` must directly follow the entity, relationship or group it names"
                        .to_string(),
                );
                entity::alias(p);
            }
            // Characters the lexer did not recognise: it has reported them already.
            ERROR_TOKEN => {
                let e = p.start();
                p.bump();
                e.complete(p, ERROR);
            }
            _ => {
                let expected = if post_traversal {
                    "`WHERE`, `RETURN`, `HAVING`, `ORDER BY`, `SKIP`, `LIMIT` or the end of the query"
                } else {
                    "`THAT`, `WHERE`, `RETURN`, `HAVING`, `ORDER BY`, `SKIP`, `LIMIT` or the end of the query"
                };
                p.error_recover_until(ErrorCode::UnexpectedToken, expected, |p| {
                    p.at_set(CLAUSE_START) || p.at(STRING) && p.at_line_start()
                });
            }
        }
    }
    m.complete(p, QUERY);
}

fn out_of_order(p: &mut Parser<'_>, post_traversal: bool) {
    if post_traversal {
        p.error_at_current(
            ErrorCode::ClauseOutOfOrder,
            "traversals must come before WHERE, RETURN, ORDER BY, SKIP and LIMIT".to_string(),
        );
    }
}
