{ "id": "cjsapp", "lang": "typescript" }
