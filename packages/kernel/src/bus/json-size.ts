/**
 * An upper bound of the UTF-8 size of `JSON.stringify(value)`, found without building the
 * string: every character counted at its worst (a control character escapes to 6 bytes), numbers
 * at their longest. The bus checks the size limit against it and serializes only when the bound
 * is over the limit, so the common small event never pays for a serialization it does not need.
 * Stops counting once `limit` is passed.
 */
export function jsonSizeBound(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= limit) {
    const item = stack.pop();
    switch (typeof item) {
      case 'string':
        total += item.length * 6 + 2;
        break;
      case 'number':
        total += 24;
        break;
      case 'boolean':
        total += 5;
        break;
      case 'object':
        if (item === null) {
          total += 4;
        } else if (Array.isArray(item)) {
          total += 2 + item.length;
          if (total > limit) return total;
          for (let i = 0; i < item.length; i++) stack.push(item[i]);
        } else {
          total += 2;
          for (const key in item) {
            if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
            total += key.length * 6 + 4;
            stack.push((item as Record<string, unknown>)[key]);
          }
        }
        break;
      default:
        // undefined, functions and symbols are dropped by JSON.stringify; bigint makes it throw.
        total += 4;
    }
  }
  return total;
}
