pub struct Document; impl Document { pub fn cast_root(_: crate::SyntaxNode) -> Self { Document } }
