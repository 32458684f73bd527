// A local function that happens to be called `api`: not an Encore endpoint.
function api(cfg: { path: string }) {
  return cfg;
}

export const notAnEndpoint = api({ path: "/nope" });
