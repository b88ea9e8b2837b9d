; TODO/FIXME/NOTE markers in comments, for editors that have the `comment` parser.
((comment) @injection.content
  (#set! injection.language "comment"))
