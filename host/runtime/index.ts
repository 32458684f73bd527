// The exports of Encore's native runtime library (encore-runtime.node, napi.d.cts), implemented in
// TypeScript. The SDK loads this through ENCORE_RUNTIME_LIB (see napi.cjs beside this file).
export { SharedRuntime as Runtime, Gateway, CloudProvider, EnvironmentType } from "./runtime.ts";
export { Request, ApiCallError, ApiCallError as APICallError } from "./request.ts";
export { Logger, LogLevel } from "./log.ts";
export { Secret } from "./secrets.ts";
export { Decimal } from "./decimal.ts";
export { MetricsRegistry, MetricType } from "./metrics.ts";
export { SqlDatabase, SqlDatabase as SQLDatabase, SqlConn, SqlConn as SQLConn, Transaction, Cursor, Row, QueryArgs } from "./sqldb.ts";
export { PubSubTopic, PubSubSubscription } from "./pubsub.ts";
export { Sink, Stream, Socket, WebSocketClient } from "./streams.ts";
export { BodyReader, ResponseWriter } from "./rawapi.ts";
export { Bucket, BucketObject, ListEntry, ListIterator, ObjectAttrs, ObjectErrorKind, TypedObjectError } from "./objects.ts";
export { CacheCluster } from "./cache.ts";
