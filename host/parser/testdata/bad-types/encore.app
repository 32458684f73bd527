{
  "id": "bad-types",
  "lang": "typescript"
}
