{ "id": "bad-migration", "lang": "typescript" }
