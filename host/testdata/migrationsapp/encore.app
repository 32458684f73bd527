{ "id": "migrationsapp", "lang": "typescript" }
