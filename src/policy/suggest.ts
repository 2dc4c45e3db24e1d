/**
 * Matching what people type against names: one normalization for every comparison, and "did you mean"
 * suggestions ranked by prefix first, then edit distance.
 */

/** `"  On Queue "`, `on_queue`, `ON-QUEUE` → `on-queue`: the form names are compared in. */
export function normalizeName(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/** `on-queue` → `onqueue`: a second, looser form, so `onqueue` and `on queue` still find `on-queue`. */
export function compactName(text: string): string {
  return normalizeName(text).replace(/-/g, '');
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours each
 * cost 1, so the usual typos (`brk`, `lnuch`) are one edit away.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The edit distance of `a` and `b` when it is at most `max`, else undefined. The distance is at least the
 * difference in length, so strings of very different lengths are answered without the quadratic table: the
 * cost is bounded by the shorter string (a catalog word) whatever anyone types.
 */
export function editDistanceWithin(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max) return undefined;
  const distance = editDistance(a, b);
  return distance <= max ? distance : undefined;
}

/** A name to suggest and the words that lead to it (the name itself, its aliases, its label). */
export interface SuggestionCandidate {
  name: string;
  words: readonly string[];
}

/**
 * Up to `limit` candidate names close to `typed`: a word that starts with what was typed ranks first, then
 * words within a few edits (one per three characters typed, at least one). Ties keep the candidates' order.
 */
export function closestNames(typed: string, candidates: readonly SuggestionCandidate[], limit = 3): string[] {
  const input = compactName(typed);
  if (input === '') return [];
  const maxDistance = Math.max(1, Math.floor(input.length / 3));
  const scored: { name: string; score: number; order: number }[] = [];
  candidates.forEach((candidate, order) => {
    let score = Number.POSITIVE_INFINITY;
    for (const word of candidate.words) {
      const compact = compactName(word);
      if (compact.startsWith(input)) score = Math.min(score, 0);
      score = Math.min(score, editDistanceWithin(input, compact, maxDistance) ?? Number.POSITIVE_INFINITY);
    }
    if (Number.isFinite(score)) scored.push({ name: candidate.name, score, order });
  });
  return scored
    .sort((x, y) => x.score - y.score || x.order - y.order)
    .slice(0, limit)
    .map((s) => s.name);
}
