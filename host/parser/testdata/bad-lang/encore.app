{
  "id": "bad-lang",
  "lang": "ts"
}
