/** Multiple-choice letters: in a reference ("C", "(C)") and in a model's answer or response. */

function unwrap(s: string): string {
  return s
    .replace(/\\(?:text|textbf|mathrm|mathbf|textrm|mbox)\s*\{([^{}]*)\}/g, "$1")
    .replace(/[{}$]/g, "")
    .replace(/\\[()[\]]/g, "")
    .trim();
}

/** The letter of a reference that is a bare choice: "C", "(C)", "C.", else null. */
export function goldChoice(s: string): string | null {
  if (!hasChoiceLetter(s)) return null; // most answers: no unwrapping needed to tell
  const m = /^\(?\s*([A-E])\s*\)?\.?$/.exec(unwrap(s));
  return m ? m[1]! : null;
}

/** The choice a short answer names: "(C)", "C", "C) 25", "C. 25", "\\text{(C)}", "option C"; else null. */
export function answerChoice(s: string): string | null {
  const t = unwrap(s);
  // Each optional mark takes the spaces after it, so a run of spaces has one way to match (three
  // adjacent \s* around optional marks made "option" and a few thousand spaces take seconds).
  const m = /^(?:option|choice|answer)?\s*(?:[:：]\s*)?(?:\(\s*)?([A-E])\s*\)?(?=$|[\s.:)，,;])/i.exec(t);
  if (!m) return null;
  // a lower-case letter only counts in parentheses or after "option": "a" alone is a variable
  if (/[a-e]/.test(m[1]!) && !/^(?:option|choice|answer)|^\(/i.test(t)) return null;
  return m[1]!.toUpperCase();
}

/** Whether s holds one of the capital letters A to E. */
function hasChoiceLetter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 69) return true;
  }
  return false;
}
