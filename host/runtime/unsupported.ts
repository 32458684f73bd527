// Resource kinds War Room does not use (object storage, Encore cache clusters). The classes exist
// because the SDK destructures them from the library; creating such a resource fails clearly
// (Runtime.bucket / Runtime.cacheCluster throw), so no instance is ever handed out.
export enum ObjectErrorKind {
  NotFound = 0,
  PreconditionFailed = 1,
  InvalidArgument = 2,
  Other = 3,
  Internal = 4,
}
export class TypedObjectError {
  constructor(
    readonly kind: ObjectErrorKind,
    readonly message: string,
  ) {}
}
export class Bucket {}
export class BucketObject {}
export class ListEntry {}
export class ListIterator {}
export class ObjectAttrs {}
export class CacheCluster {}
