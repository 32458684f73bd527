{
  "id": "bad-storage",
  "lang": "typescript"
}
