{
  // A fixture app for the runtime's own tests.
  "id": "runtime-fixture",
  "lang": "typescript",
  "global_cors": { "allow_origins_with_credentials": ["https://app.example.com"] }
}
