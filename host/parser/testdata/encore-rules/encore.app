{ "id": "fixture-encore-rules", "lang": "typescript" }
