// The parser's "good" fixture: one of everything Encore accepts.
{
  "id": "fixture-good",
  "lang": "typescript",
  "global_cors": {
    "allow_headers": ["X-Custom"], // comments and trailing commas are allowed
  },
}
