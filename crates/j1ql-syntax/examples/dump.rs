fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    print!("{}", j1ql_syntax::parse(&text).debug_tree());
}
