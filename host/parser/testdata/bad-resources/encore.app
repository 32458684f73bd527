{
  "id": "bad-resources",
  "lang": "typescript"
}
