// Lint: the recommended JS and TypeScript rules, over sources, tests, benchmarks and scripts;
// and the boundaries between src/ folders (see the README's design section).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * What each src/ folder may not import: the pipeline's lower rooms never reach up into the
 * ones built on them, and the CLI and the server are the only doors. Every folder may import
 * src/errors.ts, src/config.ts and its own files.
 */
const ALL = ["answers", "prompts", "models", "sandbox", "engine", "tir", "select", "solve", "rewards", "datasets", "eval", "check", "server", "cli"];
const except = (...allowed) => ALL.filter((f) => !allowed.includes(f));
const FORBIDDEN = {
  answers: except(), // pure: strings in, verdicts out
  prompts: except(),
  sandbox: except(),
  models: except("prompts"),
  engine: except("models"),
  tir: except("engine", "sandbox"),
  select: except("answers"),
  solve: except("answers", "prompts", "models", "sandbox", "engine", "tir", "select"),
  datasets: except("answers", "prompts", "models"),
  rewards: except("answers", "prompts", "models", "sandbox", "engine", "tir", "select", "solve", "datasets"),
  check: except("answers", "prompts", "models", "sandbox", "engine", "tir", "select", "solve", "rewards"),
  eval: except("answers", "prompts", "models", "sandbox", "engine", "tir", "select", "solve", "rewards", "datasets"),
  server: ["cli"],
  cli: [],
};

/** Relative import specifiers that reach folder `target` from up to three levels down in src/. */
const reaching = (target) => ["../", "../../", "../../../"].flatMap((up) => [`${up}${target}/*`, `${up}${target}/**`, `${up}${target}.js`]);

const folderPatterns = (folder) =>
  FORBIDDEN[folder].map((t) => ({ group: reaching(t), message: `src/${folder}/ may not import src/${t}/ (see the README's design section).` }));
const restrict = (files, patterns) => ({ files, rules: { "no-restricted-imports": ["error", { patterns }] } });

const boundaries = Object.keys(FORBIDDEN)
  .filter((folder) => FORBIDDEN[folder].length > 0)
  .map((folder) => restrict([`src/${folder}/**/*.ts`], folderPatterns(folder)));

/**
 * Engine implementations never import each other: they meet only in engine/types.ts. (A later
 * config replaces a rule's options, so these repeat the engine folder's own boundary.)
 */
const apart = { message: "Engine implementations do not import each other." };
const engineImplementations = [
  restrict(["src/engine/embedded/**/*.ts"], [...folderPatterns("engine"), { group: ["../remote/*", "../scripted.js"], ...apart }]),
  restrict(["src/engine/remote/**/*.ts"], [...folderPatterns("engine"), { group: ["../embedded/*", "../scripted.js"], ...apart }]),
  restrict(["src/engine/scripted.ts"], [...folderPatterns("engine"), { group: ["./embedded/*", "./remote/*"], ...apart }]),
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/fixtures/**", "src/server/static/vendor/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  ...boundaries,
  ...engineImplementations,
);
