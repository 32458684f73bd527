{ "id": "staticapp", "lang": "typescript" }
