/**
 * class-transformer recurses once per nesting level, so a body nested a few thousand levels deep
 * overflowed the stack inside the ValidationPipe (a 500). No command body is nested more than a
 * handful of levels (a clinic's protocol is the deepest, under 10); anything past this is a 400.
 */
export const MAX_BODY_DEPTH = 32;

/** The dotted path of the first value nested deeper than `max`, or undefined. Iterative on purpose. */
export function pathDeeperThan(value: unknown, max: number): string | undefined {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (pending.length > 0) {
    const { value: current, depth, path } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return path;
    for (const [key, child] of Object.entries(current)) {
      pending.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
    }
  }
  return undefined;
}
