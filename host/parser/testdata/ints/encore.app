// The parser's integer fixture: fields declared with the app's `Int` alias in every form.
{ "id": "fixture-ints", "lang": "typescript" }
