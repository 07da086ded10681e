/** Why `filter` is no MQTT topic filter (MQTT 3.1.1 section 4.7), or undefined. */
export function topicFilterProblem(filter: string): string | undefined {
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level === '#' && i !== levels.length - 1) return `'#' may only be the last level of '${filter}'`;
    if (level !== '#' && level !== '+' && /[#+]/.test(level)) return `'+' and '#' must stand alone in a level of '${filter}'`;
  }
  return undefined;
}

/** Whether a topic matches an MQTT filter (`+` one level, `#` this level and all below). */
export function topicMatches(filter: string, topic: string): boolean {
  // Topics starting with $ (broker internals) never match a filter starting with a wildcard.
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
