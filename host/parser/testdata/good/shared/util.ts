// Shared code outside any service: no resources here.
export function double(n: number): number {
  return n * 2;
}
