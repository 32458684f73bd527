{ "id": "bench", "lang": "typescript" }
