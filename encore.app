{
  "id": "war-room",
  "lang": "typescript",
  "global_cors": {
    "allow_origins_without_credentials": ["*"],
    "allow_origins_with_credentials": ["http://localhost:3000", "http://localhost:5173"],
    "allow_headers": ["Authorization", "Content-Type", "X-Request-ID"],
    "expose_headers": ["X-Request-ID"]
  }
}
