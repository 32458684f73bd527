// The files of encore.gen/, written the way Encore's handlebars templates render them
// (tsparser/src/builder/templates) from the contexts its codegen.rs computes.
import path from "node:path";
import type { AppMeta, EndpointMeta, ServiceMeta } from "../meta.ts";

const json = (v: unknown) => JSON.stringify(v);

/** Encore's encoreNameToIdent: service names may contain '-'. */
export function ident(name: string): string {
  return name.replace(/-/g, "_");
}

function stripExt(file: string): string {
  return file.replace(/\.[^./]+$/, "");
}

/** `<up><file relative to the app root>`, optionally with the extension swapped for .js. */
function importPath(up: string, relFile: string, mode: "strip" | "js"): string {
  const f = mode === "strip" ? stripExt(relFile) : `${stripExt(relFile)}.js`;
  return path.posix.join(up, f);
}

function isStream(ep: EndpointMeta): boolean {
  return ep.streamingRequest || ep.streamingResponse;
}

/** Whether the generated client takes a params argument (codegen.rs `has_params`). */
export function hasParams(ep: EndpointMeta): boolean {
  if (isStream(ep)) return !!ep.handshake;
  if (ep.raw) return false;
  return !!ep.request && ep.request.fields.length > 0;
}

function endpointOptions(ep: EndpointMeta): string {
  return json({ expose: ep.expose, auth: ep.auth, isRaw: ep.raw, isStream: isStream(ep), tags: ep.tags });
}

/** The SDK call a client makes: streamIn = client sends a stream (streamingRequest). */
function callFn(ep: EndpointMeta): string {
  if (ep.streamingRequest && ep.streamingResponse) return "streamInOut";
  if (ep.streamingRequest) return "streamIn";
  if (ep.streamingResponse) return "streamOut";
  return "apiCall";
}

// A CommonJS service file (package.json without "type": "module") arrives as { default: module.exports },
// so its Service is one level further down.
const SERVICE_MIDDLEWARES_JS = `
function serviceMiddlewares(ns) {
    const svc = ns.default?.cfg ? ns.default : ns.default?.default;
    return svc?.cfg?.middlewares || [];
}

`;

function serviceFileOf(meta: AppMeta, service: string): string | null {
  return meta.services.find((s) => s.name === service)?.file ?? null;
}

/** The endpoints with a handler: api.static serves files and has neither a client nor a handler (as in Encore). */
export function callable(svc: ServiceMeta): EndpointMeta[] {
  return svc.endpoints.filter((e) => !e.static);
}

export function clientsIndexJs(meta: AppMeta): string {
  return meta.services.map((s) => `export * as ${ident(s.name)} from "../internal/clients/${s.name}/endpoints.js";\n`).join("");
}

export function clientsIndexDts(meta: AppMeta): string {
  return meta.services.map((s) => `export * as ${ident(s.name)} from "../internal/clients/${s.name}/endpoints";\n`).join("");
}

export function endpointsJs(svc: ServiceMeta): string {
  let out = `import { apiCall, streamIn, streamOut, streamInOut } from "encore.dev/internal/codegen/api";

// Loaded on first use rather than with a top-level await: a CommonJS app require()s this module,
// and Node cannot require() an ES module that awaits at the top level.
let TEST_ENDPOINTS;
async function testEndpoints() {
    TEST_ENDPOINTS ??= await import("./endpoints_testing.js");
    return TEST_ENDPOINTS;
}

`;
  for (const ep of callable(svc)) {
    out += hasParams(ep) ? `export async function ${ep.name}(params, opts) {\n` : `export async function ${ep.name}(opts) {\n    const params = undefined;\n`;
    out += `    if (typeof ENCORE_DROP_TESTS === "undefined" && process.env.NODE_ENV === "test") {
        return (await testEndpoints()).${ep.name}(params, opts);
    }

    return ${callFn(ep)}("${svc.name}", "${ep.name}", params, opts);
}
`;
  }
  out += `
export class Client {
  constructor() {
${callable(svc)
  .map((ep) => `    this.${ep.name} = ${ep.name};\n`)
  .join("")}  }
}

let _client_instance;

export function ref() {
  if (!_client_instance) {
    _client_instance = new Client();
  }
  return _client_instance;
}
`;
  return out;
}

export function endpointsDts(svc: ServiceMeta): string {
  const streams = callable(svc).filter(isStream);
  let out = `import { CallOpts } from "encore.dev/api";\n\n`;
  if (streams.length > 0) {
    out += `import {
  StreamInOutHandlerFn,
  StreamInHandlerFn,
  StreamOutHandlerFn,
  StreamOutWithResponse,
  StreamIn,
  StreamInOut,
} from "encore.dev/api";

`;
    for (const ep of streams) out += `import { ${ep.name} as ${ep.name}_handler } from ${json(importPath("../../../../", ep.file, "js"))};\n`;
    out += `
type StreamHandshake<Type extends (...args: any[]) => any> = Parameters<Type> extends [infer H, any] ? H : void;

type StreamRequest<Type> = Type extends
  | StreamInOutHandlerFn<any, infer Req, any>
  | StreamInHandlerFn<any, infer Req, any>
  | StreamOutHandlerFn<any, any>
  ? Req
  : never;

type StreamResponse<Type> = Type extends
  | StreamInOutHandlerFn<any, any, infer Resp>
  | StreamInHandlerFn<any, any, infer Resp>
  | StreamOutHandlerFn<any, infer Resp>
  ? Resp
  : never;

`;
  }
  out += `type Parameters<T> = T extends (...args: infer P) => unknown ? P : never;
type WithCallOpts<T extends (...args: any) => any> = (
  ...args: [...Parameters<T>, opts?: CallOpts]
) => ReturnType<T>;

`;
  for (const ep of callable(svc)) {
    const n = ep.name;
    if (!isStream(ep)) {
      out += `import { ${n} as ${n}_handler } from ${json(importPath("../../../../", ep.file, "js"))};
type ${n}_Type = WithCallOpts<typeof ${n}_handler>;
declare const ${n}: ${n}_Type;
export { ${n} };

`;
      continue;
    }
    const result =
      ep.streamingRequest && ep.streamingResponse
        ? `StreamInOut<\n    StreamResponse<typeof ${n}_handler>,\n    StreamRequest<typeof ${n}_handler>\n  >`
        : ep.streamingRequest
          ? `StreamOutWithResponse<\n    StreamRequest<typeof ${n}_handler>,\n    StreamResponse<typeof ${n}_handler>\n  >`
          : `StreamIn<\n    StreamResponse<typeof ${n}_handler>\n  >`;
    out += `type ${n}_Type = (
  ...args: StreamHandshake<typeof ${n}_handler> extends void
    ? [opts?: CallOpts]
    : [data: StreamHandshake<typeof ${n}_handler>, opts?: CallOpts]
) => Promise<
  ${result}
>;

export declare const ${n}: ${n}_Type;

`;
  }
  out += `export class Client {
  private constructor();

${callable(svc)
  .map((ep) => `  readonly ${ep.name}: ${ep.name}_Type;\n`)
  .join("")}}

export declare function ref(): Client;
`;
  return out;
}

export function endpointsTestingJs(svc: ServiceMeta): string {
  const svcIdent = `${ident(svc.name)}_service`;
  let out = `import { apiCall, streamIn, streamOut, streamInOut } from "encore.dev/internal/codegen/api";
import { registerTestHandler } from "encore.dev/internal/codegen/appinit";

${svc.file ? `import * as ${svcIdent} from ${json(importPath("../../../../", svc.file, "strip"))};\n` : ""}
`;
  if (svc.file) out += SERVICE_MIDDLEWARES_JS;
  for (const ep of callable(svc)) {
    out += `export async function ${ep.name}(params, opts) {
    const handler = (await import(${json(importPath("../../../../", ep.file, "strip"))})).${ep.name};
    registerTestHandler({
        apiRoute: { service: "${svc.name}", name: "${ep.name}", raw: ${json(ep.raw)}, handler, streamingRequest: ${ep.streamingRequest}, streamingResponse: ${ep.streamingResponse} },
        middlewares: ${svc.file ? `serviceMiddlewares(${svcIdent})` : "[]"},
        endpointOptions: ${endpointOptions(ep)},
    });

    return ${callFn(ep)}("${svc.name}", "${ep.name}", params, opts);
}

`;
  }
  return out;
}

export function authIndexTs(): string {
  return `export {type AuthData, getAuthData} from "../internal/auth/auth";`;
}

export function authTs(meta: AppMeta): string {
  const ah = meta.authHandler;
  const tail = `declare module "encore.dev/api" {
  interface CallOpts {
    authData?: AuthData;
  }
}
`;
  if (!ah) {
    return `export type AuthData = null;

// getAuthData throws an error until an auth handler is added
export function getAuthData(): AuthData | null {
    throw new Error("authData cannot be called when there are no auth handlers.")
}
${tail}`;
  }
  return `import { getAuthData as _getAuthData } from "encore.dev/internal/codegen/auth";
import { ${ah.name} as _auth_${ah.name} } from ${json(importPath("../../../", ah.file, "js"))};

export type AuthData = Awaited<ReturnType<typeof _auth_${ah.name}>>;

export function getAuthData(): AuthData | null {
    return _getAuthData()
}

${tail}`;
}

export function combinedMainTs(meta: AppMeta): string {
  const up = "../../../../";
  const endpoints = meta.services.flatMap((s) => callable(s));
  let out = `import { registerGateways, registerHandlers, run, type Handler } from "encore.dev/internal/codegen/appinit";\n\n`;
  for (const gw of meta.gateways) {
    out += `import { ${gw.bindName} as ${ident(gw.name)}GW } from ${json(importPath(up, gw.file, "strip"))};\n`;
  }
  endpoints.forEach((ep, i) => {
    out += `import { ${ep.name} as ${ident(ep.service)}_${ep.name}Impl${i} } from ${json(importPath(up, ep.file, "strip"))};\n`;
  });
  for (const sub of meta.subscriptions) out += `import ${json(importPath(up, sub.file, "strip"))};\n`;
  for (const s of meta.services) if (s.file) out += `import * as ${ident(s.name)}_service from ${json(importPath(up, s.file, "strip"))};\n`;
  out += SERVICE_MIDDLEWARES_JS.replace("(ns)", "(ns: any): any[]");
  out += `\n\nconst gateways: any[] = [\n`;
  for (const gw of meta.gateways) out += `    ${ident(gw.name)}GW,\n`;
  out += `];\n\nconst handlers: Handler[] = [\n`;
  endpoints.forEach((ep, i) => {
    out += `    {
        apiRoute: {
            service:           ${json(ep.service)},
            name:              ${json(ep.name)},
            handler:           ${ident(ep.service)}_${ep.name}Impl${i},
            raw:               ${json(ep.raw)},
            streamingRequest:  ${json(ep.streamingRequest)},
            streamingResponse: ${json(ep.streamingResponse)},
        },
        endpointOptions: ${endpointOptions(ep)},
        middlewares: ${serviceFileOf(meta, ep.service) ? `serviceMiddlewares(${ident(ep.service)}_service)` : "[]"},
    },
`;
  });
  out += `];

registerGateways(gateways);
registerHandlers(handlers);

await run(import.meta.url);
`;
  return out;
}
