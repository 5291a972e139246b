/**
 * Final-answer extraction from a model response. This first version takes the content of
 * the last \boxed{...} / \fbox{...} (balanced braces, nested ones included).
 */

/** Content of the last \boxed{...} or \fbox{...} in the text, or null when there is none. */
export function lastBoxed(text: string): string | null {
  const re = /\\(?:boxed|fbox)\s*\{/g;
  let start = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) start = m.index + m[0].length;
  if (start < 0) return null;
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++; // skip escaped characters such as \{ and \}
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(start, i).trim();
  }
  return null; // unbalanced: the box was never closed
}

export interface ExtractOptions {
  /** Dataset name, for dataset-specific answer formats (multiple choice, GSM8K). */
  dataset?: string;
}

/** The final answer of a response, or null when none can be found. */
export function extractAnswer(response: string, _options: ExtractOptions = {}): string | null {
  return lastBoxed(response);
}
