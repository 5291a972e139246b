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
  const m = /^\(?\s*([A-E])\s*\)?\.?$/.exec(unwrap(s));
  return m ? m[1] : null;
}

/** The choice a short answer names: "(C)", "C", "C) 25", "\text{(C)}", "option C". */
export function answerChoice(s: string): string | null {
  const t = unwrap(s);
  let m = /^(?:option|choice|answer)?\s*[:：]?\s*\(?\s*([A-Ea-e])\s*\)?(?![A-Za-z])/i.exec(t);
  if (m && (/^[A-E]/.test(m[1]) || /^\(/.test(t.replace(/^(?:option|choice|answer)\s*[:：]?\s*/i, "")))) return m[1].toUpperCase();
  const all = [...t.matchAll(/(?<![A-Za-z\\])\(?([A-E])\)?(?![A-Za-z])/g)].map((x) => x[1]);
  const distinct = new Set(all);
  if (distinct.size === 1) return all[0];
  m = /\(([A-E])\)(?![\s\S]*\([A-E]\))/.exec(t);
  return m ? m[1] : null;
}
