{
  // A fixture app for the runtime's resources: object storage, cache clusters, metrics.
  "id": "resources-fixture",
  "lang": "typescript"
}
