/* qmath chat page: a conversation with the server's solver (POST /v1/solve) and, for follow-ups,
 * its OpenAI-compatible chat endpoint (POST /v1/chat/completions), both streamed over SSE.
 * Markdown by marked, LaTeX by KaTeX: math spans are cut out before Markdown sees them, typeset
 * with KaTeX, and put back; messages are re-rendered on each streamed chunk, once per frame. */
/* global window, document, localStorage, navigator, fetch, requestAnimationFrame, TextDecoder, AbortController, setTimeout, clearTimeout, console */
import { Marked } from "/vendor/marked.esm.js";

// ---------------------------------------------------------------------------------------------
// Rendering: Markdown with protected math
// ---------------------------------------------------------------------------------------------

const MATH_OPEN = "\uE000";
const MATH_CLOSE = "\uE001";
const MATH_PLACEHOLDER = /\uE000(\d+)\uE001/g;
/** LaTeX commands typeset even when the model writes them outside math delimiters. */
const BARE_COMMAND = /^\\(boxed|dfrac|tfrac|frac|sqrt|binom)(?![A-Za-z])(\[[^\]\n]*\])?\s*\{/;
const BARE_ENVIRONMENT = /^\\begin\{(equation|align|gather|multline|eqnarray|alignat)(\*?)\}/;

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Index just past the brace group that opens at s[open] ("{"), or -1 if it is not closed. */
function braceGroupEnd(s, open) {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Replaces the math spans of a prose fragment (no fenced code in it) with placeholders, pushing
 * { tex, display } into `maths`. Inline code spans are left alone. While streaming, an unclosed
 * display span at the end is typeset as far as it goes.
 */
function protectProse(text, maths, streaming) {
  const hold = (tex, display, partial = false) => {
    maths.push({ tex, display, partial });
    return MATH_OPEN + (maths.length - 1) + MATH_CLOSE;
  };
  const n = text.length;
  let out = "";
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === "`") {
      let run = 1;
      while (text[i + run] === "`") run++;
      const ticks = "`".repeat(run);
      const close = text.indexOf(ticks, i + run);
      const end = close >= 0 ? close + run : i + run;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === "\\") {
      const d = text[i + 1];
      if (d === "(" || d === "[") {
        const close = text.indexOf(d === "(" ? "\\)" : "\\]", i + 2);
        if (close >= 0) {
          out += hold(text.slice(i + 2, close), d === "[");
          i = close + 2;
          continue;
        }
        if (streaming && d === "[") {
          out += hold(text.slice(i + 2), true, true);
          break;
        }
      }
      const rest = text.slice(i, i + 200);
      const env = BARE_ENVIRONMENT.exec(rest);
      if (env) {
        const endTag = `\\end{${env[1]}${env[2]}}`;
        const close = text.indexOf(endTag, i);
        if (close >= 0) {
          out += hold(text.slice(i, close + endTag.length), true);
          i = close + endTag.length;
          continue;
        }
      }
      const cmd = BARE_COMMAND.exec(rest);
      if (cmd) {
        // The command and all the brace groups that follow it (\frac{a}{b}).
        let end = braceGroupEnd(text, i + cmd[0].length - 1);
        while (end > 0 && text[end] === "{") end = braceGroupEnd(text, end);
        if (end > 0) {
          out += hold(text.slice(i, end), false);
          i = end;
          continue;
        }
      }
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "$") {
      if (text[i + 1] === "$") {
        const close = text.indexOf("$$", i + 2);
        if (close >= 0) {
          out += hold(text.slice(i + 2, close), true);
          i = close + 2;
          continue;
        }
        if (streaming) {
          out += hold(text.slice(i + 2), true, true);
          break;
        }
        out += "$$";
        i += 2;
        continue;
      }
      // Inline $...$: opens before a non-space, closes after a non-space and not before a digit
      // (so "$5 and $6" stays text), never across a blank line.
      const next = text[i + 1];
      if (next !== undefined && !/\s/.test(next)) {
        let k = i + 1;
        let found = -1;
        while (k < n) {
          const ch = text[k];
          if (ch === "\\") {
            k += 2;
            continue;
          }
          if (ch === "\n" && /^\n[ \t]*\n/.test(text.slice(k, k + 10))) break;
          if (ch === "$") {
            if (!/\s/.test(text[k - 1]) && !/\d/.test(text[k + 1] ?? "")) {
              found = k;
              break;
            }
          }
          k++;
        }
        if (found > 0) {
          out += hold(text.slice(i + 1, found), false);
          i = found + 1;
          continue;
        }
      }
      out += "$";
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Cuts math out of Markdown, leaving fenced code blocks (TIR cells and outputs) untouched. */
export function protectMath(src, streaming = false) {
  const maths = [];
  const lines = src.split("\n");
  const parts = [];
  let prose = [];
  let fence = null;
  const flushProse = () => {
    if (prose.length) parts.push(protectProse(prose.join("\n"), maths, streaming));
    prose = [];
  };
  for (const line of lines) {
    if (fence) {
      parts.push(line);
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) fence = null;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      flushProse();
      parts.push(line);
      fence = open[1];
      continue;
    }
    prose.push(line);
  }
  flushProse();
  return { text: parts.join("\n"), maths };
}

const texCache = new Map();

/**
 * KaTeX HTML for a formula (cached: a streamed message is re-rendered many times). A partial
 * formula (still streaming) gets its open braces closed; if it still does not parse, its source is
 * shown quietly until the rest arrives.
 */
export function renderTex(tex, display, partial = false) {
  const key = (partial ? "P" : "") + (display ? "D" : "I") + tex;
  const hit = texCache.get(key);
  if (hit !== undefined) return hit;
  let html;
  const katex = window.katex;
  if (katex && partial) {
    let open = 0;
    for (let i = 0; i < tex.length; i++) {
      if (tex[i] === "\\") i++;
      else if (tex[i] === "{") open++;
      else if (tex[i] === "}" && open > 0) open--;
    }
    try {
      html = katex.renderToString(tex.replace(/\\$/, "") + "}".repeat(open), { throwOnError: true, displayMode: display, strict: "ignore" });
    } catch {
      html = `<span class="tex-pending">${escapeHtml(tex)}</span>`;
    }
  } else if (katex) {
    try {
      html = katex.renderToString(tex, { throwOnError: false, displayMode: display, strict: "ignore" });
    } catch (err) {
      html = `<code class="tex-error" title="${escapeHtml(String(err))}">${escapeHtml(tex)}</code>`;
    }
  } else {
    html = `<code class="tex">${escapeHtml(tex)}</code>`;
  }
  if (texCache.size > 2000) texCache.clear();
  texCache.set(key, html);
  return html;
}

const markdown = new Marked({ gfm: true, breaks: false });
markdown.use({
  renderer: {
    code({ text, lang }) {
      const language = (lang || "").trim().split(/\s+/)[0].toLowerCase();
      if (language === "output") {
        return `<figure class="cell cell-output" data-testid="cell-output"><figcaption>output</figcaption><pre><code>${escapeHtml(text)}</code></pre></figure>\n`;
      }
      const python = language === "python" || language === "py";
      const label = python ? "python" : language || "code";
      return `<figure class="cell cell-code" data-testid="${python ? "cell-code" : "code"}"><figcaption>${escapeHtml(label)}</figcaption><pre><code>${escapeHtml(text)}</code></pre></figure>\n`;
    },
    // Model output is text, not markup: show any HTML in it literally.
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const inner = this.parser.parseInline(tokens);
      if (!/^(https?:|mailto:)/i.test(href || "")) return inner;
      const t = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(href)}"${t} target="_blank" rel="noopener noreferrer">${inner}</a>`;
    },
    image({ text }) {
      return escapeHtml(text || "");
    },
  },
});

/** Markdown + LaTeX → HTML. */
export function renderMarkdown(src, streaming = false) {
  const { text, maths } = protectMath(src, streaming);
  const html = markdown.parse(text, { async: false });
  return html.replace(MATH_PLACEHOLDER, (_m, k) => {
    const m = maths[Number(k)];
    return m ? renderTex(m.tex, m.display, m.partial) : "";
  });
}

// ---------------------------------------------------------------------------------------------
// Settings and API
// ---------------------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const ui = {
  model: $("model"),
  mode: $("mode"),
  samples: $("samples"),
  apiKey: $("api-key"),
  newChat: $("new-chat"),
  main: $("main"),
  messages: $("messages"),
  empty: $("empty"),
  error: $("error"),
  form: $("ask"),
  input: $("input"),
  send: $("send"),
  stop: $("stop"),
  checkOpen: $("check-open"),
  check: $("check"),
  checkForm: $("check-form"),
  checkProblem: $("check-problem"),
  checkSolution: $("check-solution"),
  checkReference: $("check-reference"),
  checkRun: $("check-run"),
  checkExplain: $("check-explain"),
  checkClose: $("check-close"),
  checkResult: $("check-result"),
  hint: $("hint"),
};

const store = {
  get(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      if (value) localStorage.setItem(key, value);
      else localStorage.removeItem(key);
    } catch {
      // Storage disabled: settings last for this page only.
    }
  },
};

const COT_SYSTEM_PROMPT = "Please reason step by step, and put your final answer within \\boxed{}.";
const TIR_SYSTEM_PROMPT =
  "Please integrate natural language reasoning with programs to solve the problem above, and put your final answer within \\boxed{}.";

function sampleCount() {
  const n = Math.round(Number(ui.samples.value));
  return Number.isFinite(n) ? Math.min(16, Math.max(1, n)) : 1;
}

class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function apiHeaders(json) {
  const h = {};
  if (json) h["content-type"] = "application/json";
  const key = ui.apiKey.value.trim();
  if (key) h.authorization = `Bearer ${key}`;
  return h;
}

async function errorFromResponse(res) {
  let message = "";
  let code;
  try {
    const text = await res.text();
    try {
      const body = JSON.parse(text);
      message = body?.error?.message ?? body?.message ?? "";
      code = body?.error?.code ?? body?.error?.type;
    } catch {
      message = text.trim().slice(0, 300);
    }
  } catch {
    // No body.
  }
  return new ApiError(res.status, message || res.statusText, code);
}

async function api(path, body, signal) {
  let res;
  try {
    res = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: apiHeaders(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, `Could not reach the server (${err?.message || err}).`);
  }
  if (!res.ok) throw await errorFromResponse(res);
  return res;
}

/** The text a person should read for a failed request. */
function describeError(err) {
  const detail = err?.message ? String(err.message) : "";
  switch (err?.status) {
    case 429:
      return `The server is busy${detail ? ` (${detail})` : ""}. Please retry in a moment.`;
    case 401:
      return ui.apiKey.value.trim()
        ? `The API key was not accepted${detail ? ` (${detail})` : ""}. Check the “API key” field and send again.`
        : `This server needs an API key${detail ? ` (${detail})` : ""}. Enter it in the “API key” field and send again.`;
    case 403:
      return `The API key is not allowed to do this${detail ? ` (${detail})` : ""}.`;
    case undefined:
    case 0:
      return detail || "Something went wrong.";
    default:
      return `Error ${err.status}: ${detail || "the server refused the request."}`;
  }
}

function showError(text) {
  ui.error.textContent = text;
  ui.error.hidden = false;
}
function clearError() {
  ui.error.textContent = "";
  ui.error.hidden = true;
}

/** The data payloads of a Server-Sent Events response, as they arrive. */
async function* sseData(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const take = function* (final) {
    for (;;) {
      const m = /\r?\n\r?\n/.exec(buf);
      if (!m && !final) return;
      const block = m ? buf.slice(0, m.index) : buf;
      buf = m ? buf.slice(m.index + m[0].length) : "";
      const data = block
        .split(/\r?\n/)
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""));
      if (data.length) yield data.join("\n");
      if (!m) return;
    }
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    yield* take(false);
  }
  buf += decoder.decode();
  if (buf.trim()) yield* take(true);
}

let modelId = null;
let modelsRequest = null;

function loadModel() {
  modelsRequest = (async () => {
    try {
      const res = await api("/v1/models");
      const body = await res.json();
      modelId = body?.data?.[0]?.id ?? null;
      ui.model.textContent = modelId ?? "no model";
      ui.model.classList.toggle("bad", !modelId);
      return modelId;
    } catch (err) {
      modelId = null;
      ui.model.textContent = err?.status === 401 ? "API key needed" : "server unavailable";
      ui.model.classList.add("bad");
      ui.model.title = describeError(err);
      throw err;
    }
  })();
  modelsRequest.catch(() => {});
  return modelsRequest;
}

async function ensureModel() {
  if (modelId) return modelId;
  const id = await loadModel();
  if (!id) throw new ApiError(0, "The server lists no model.");
  return id;
}

// ---------------------------------------------------------------------------------------------
// Conversation
// ---------------------------------------------------------------------------------------------

/** [{ role, content, el, body, ok, streaming }] */
let conversation = [];
let solvedMode = "cot";
let busy = null; // the AbortController of the request under way

function nearBottom() {
  const m = ui.main;
  return m.scrollHeight - m.scrollTop - m.clientHeight < 120;
}
function scrollToBottom() {
  ui.main.scrollTop = ui.main.scrollHeight;
}

const dirty = new Set();
let frameRequested = false;

function renderNow(msg) {
  const stick = nearBottom();
  msg.body.innerHTML = renderMarkdown(msg.content, msg.streaming);
  if (msg.streaming && !msg.content) msg.body.innerHTML = '<p class="typing" aria-label="waiting for the answer"><span></span><span></span><span></span></p>';
  if (stick) scrollToBottom();
}

/** Re-renders a streaming message at most once per animation frame. */
function scheduleRender(msg) {
  dirty.add(msg);
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    for (const m of dirty) renderNow(m);
    dirty.clear();
  });
}

function button(label, title, testid, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "icon-button";
  b.textContent = label;
  b.title = title;
  b.setAttribute("aria-label", title);
  if (testid) b.dataset.testid = testid;
  b.addEventListener("click", onClick);
  return b;
}

async function copyText(text, btn) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
  }
  const before = btn.dataset.label ?? btn.textContent;
  btn.dataset.label = before;
  btn.textContent = ok ? "Copied" : "Copy failed";
  btn.classList.toggle("done", ok);
  clearTimeout(btn._timer);
  btn._timer = setTimeout(() => {
    btn.textContent = before;
    btn.classList.remove("done");
  }, 1500);
}

function addMessage(role, content) {
  ui.empty?.remove();
  const el = document.createElement("article");
  el.className = `msg ${role}`;
  el.dataset.testid = "message";
  el.dataset.role = role;
  el.setAttribute("aria-label", role === "user" ? "Your message" : "Answer");

  const head = document.createElement("div");
  head.className = "msg-head";
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = role === "user" ? "You" : "qmath";
  const note = document.createElement("span");
  note.className = "note";
  note.dataset.testid = "status";
  const tools = document.createElement("span");
  tools.className = "tools";
  head.append(who, note, tools);

  const body = document.createElement("div");
  body.className = "msg-body markdown";

  el.append(head, body);
  ui.messages.append(el);
  const msg = { role, content, el, body, note, tools, ok: true, streaming: false };
  tools.append(button("Copy", role === "user" ? "Copy this message" : "Copy this answer's Markdown/LaTeX", "copy-message", (e) => copyText(msg.content, e.currentTarget)));
  conversation.push(msg);
  renderNow(msg);
  scrollToBottom();
  return msg;
}

function setNote(msg, text) {
  msg.note.textContent = text;
}

function showAnswer(msg, result) {
  const box = document.createElement("div");
  box.className = "answer";
  box.dataset.testid = "answer";
  const label = document.createElement("div");
  label.className = "answer-label";
  label.textContent = "Final answer";
  const value = document.createElement("div");
  value.className = "answer-value";
  box.append(label, value);
  if (typeof result.answer === "string" && result.answer.trim()) {
    value.innerHTML = renderTex(result.answer, true);
    box.append(button("Copy answer", "Copy the final answer (LaTeX)", "copy-answer", (e) => copyText(result.answer, e.currentTarget)));
  } else {
    box.classList.add("none");
    value.textContent = "No final answer was found in the solution.";
  }
  msg.el.append(box);
}

function showVotes(msg, result) {
  const votes = Array.isArray(result.vote) ? result.vote : [];
  const total = Array.isArray(result.samples) ? result.samples.length : votes.reduce((s, v) => s + (v.size || 0), 0);
  if (!votes.length || total < 2) return;
  const sorted = [...votes].sort((a, b) => (b.size || 0) - (a.size || 0));
  const box = document.createElement("section");
  box.className = "votes";
  box.dataset.testid = "votes";
  const top = sorted[0];
  const title = document.createElement("h3");
  title.textContent = `Vote: ${top.size} of ${total} samples agree`;
  box.append(title);
  const list = document.createElement("ol");
  list.className = "vote-list";
  for (const v of sorted) {
    const li = document.createElement("li");
    li.className = "vote";
    li.dataset.testid = "vote";
    if (v === top) li.classList.add("winner");
    const ans = document.createElement("span");
    ans.className = "vote-answer";
    if (v.answer === null || v.answer === undefined || v.answer === "") {
      ans.textContent = "(no answer)";
      ans.classList.add("none");
    } else ans.innerHTML = renderTex(String(v.answer), true);
    const bar = document.createElement("span");
    bar.className = "vote-bar";
    bar.setAttribute("aria-hidden", "true");
    const fill = document.createElement("span");
    fill.style.width = `${Math.round((100 * (v.size || 0)) / Math.max(1, total))}%`;
    bar.append(fill);
    const count = document.createElement("span");
    count.className = "vote-count";
    count.textContent = `${v.size} / ${total}`;
    const members = document.createElement("span");
    members.className = "vote-members";
    const ids = (v.members || []).map((m) => `#${m + 1}`);
    members.textContent = ids.length ? `sample${ids.length > 1 ? "s" : ""} ${ids.join(", ")}` : "";
    li.append(ans, bar, count, members);
    list.append(li);
  }
  box.append(list);
  msg.el.append(box);
}

function systemPrompt(mode) {
  return mode === "tir" ? TIR_SYSTEM_PROMPT : COT_SYSTEM_PROMPT;
}

async function solve(problem, msg, signal) {
  const mode = ui.mode.value === "tir" ? "tir" : "cot";
  const n = sampleCount();
  solvedMode = mode;
  setNote(msg, n > 1 ? `${n} samples running — showing sample 1` : mode === "tir" ? "solving (TIR)…" : "solving…");
  const res = await api("/v1/solve", { problem, mode, n, stream: true }, signal);
  let result = null;
  if ((res.headers.get("content-type") || "").includes("application/json")) {
    result = await res.json();
  } else {
    const texts = [];
    let cells = 0;
    for await (const data of sseData(res)) {
      if (data === "[DONE]") break;
      let ev;
      try {
        ev = JSON.parse(data);
      } catch {
        continue;
      }
      if (ev.type === "text") {
        const i = ev.sample ?? 0;
        texts[i] = (texts[i] ?? "") + (ev.delta ?? "");
        if (i === 0) {
          msg.content = texts[0];
          scheduleRender(msg);
        }
      } else if (ev.type === "cell") {
        if ((ev.sample ?? 0) === 0) {
          cells++;
          setNote(msg, `${n > 1 ? `${n} samples running — showing sample 1 · ` : ""}${cells} code cell${cells > 1 ? "s" : ""} run`);
        }
      } else if (ev.type === "result") {
        result = ev.result;
      } else if (ev.type === "error") {
        throw new ApiError(0, `The server stopped with an error: ${ev.error?.message || "unknown error"}`, ev.error?.code);
      }
    }
  }
  if (!result) throw new ApiError(0, "The answer stream ended before the result arrived.");
  const selected = Number.isInteger(result.selected) ? result.selected : 0;
  const total = Array.isArray(result.samples) ? result.samples.length : n;
  msg.content = typeof result.text === "string" ? result.text : (result.samples?.[selected]?.text ?? msg.content);
  msg.result = result;
  const parts = [];
  if (total > 1) parts.push(`showing sample ${selected + 1} of ${total}${result.vote ? " (the vote's pick)" : ""}`);
  if (result.mode) parts.push(String(result.mode).toUpperCase());
  if (result.usage?.completion_tokens) parts.push(`${result.usage.completion_tokens} tokens`);
  setNote(msg, parts.join(" · "));
  return result;
}

async function chat(msg, signal) {
  const model = await ensureModel();
  const messages = [{ role: "system", content: systemPrompt(solvedMode) }];
  for (const m of conversation) {
    if (m === msg || !m.ok) continue;
    messages.push({ role: m.role, content: m.content });
  }
  setNote(msg, "answering…");
  const res = await api("/v1/chat/completions", { model, messages, stream: true }, signal);
  if ((res.headers.get("content-type") || "").includes("application/json")) {
    const body = await res.json();
    msg.content = body?.choices?.[0]?.message?.content ?? "";
  } else {
    for await (const data of sseData(res)) {
      if (data === "[DONE]") break;
      let chunk;
      try {
        chunk = JSON.parse(data);
      } catch {
        continue;
      }
      if (chunk.error) throw new ApiError(0, `The server stopped with an error: ${chunk.error.message || "unknown error"}`);
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        msg.content += delta;
        scheduleRender(msg);
      }
    }
  }
  setNote(msg, "");
}

function setBusy(controller) {
  busy = controller;
  ui.send.disabled = !!controller;
  ui.stop.hidden = !controller;
  ui.messages.setAttribute("aria-busy", controller ? "true" : "false");
}

async function send(text) {
  if (busy) return;
  clearError();
  const first = !conversation.some((m) => m.role === "assistant" && m.ok);
  if (first) {
    // A fresh question: drop what failed before it.
    for (const m of conversation) m.el.remove();
    conversation = [];
  }
  const user = addMessage("user", text);
  const answer = addMessage("assistant", "");
  answer.streaming = true;
  renderNow(answer);
  const controller = new AbortController();
  setBusy(controller);
  ui.input.value = "";
  try {
    if (first) {
      const result = await solve(text, answer, controller.signal);
      answer.streaming = false;
      renderNow(answer);
      showAnswer(answer, result);
      showVotes(answer, result);
    } else {
      await chat(answer, controller.signal);
      answer.streaming = false;
      renderNow(answer);
    }
    scrollToBottom();
  } catch (err) {
    answer.streaming = false;
    const stopped = controller.signal.aborted;
    if (!stopped) {
      showError(describeError(err));
      if (!(err instanceof ApiError)) console.error(err);
    }
    if (!answer.content) {
      // Nothing came back: take the question back into the input box to send again.
      user.el.remove();
      answer.el.remove();
      conversation = conversation.filter((m) => m !== user && m !== answer);
      if (!ui.input.value) ui.input.value = text;
      if (!conversation.length) ui.messages.append(ui.empty);
    } else {
      renderNow(answer);
      answer.el.classList.add("incomplete");
      setNote(answer, stopped ? "stopped" : "incomplete");
      if (first) {
        // A solve without its result does not start a conversation.
        user.ok = false;
        answer.ok = false;
      }
    }
  } finally {
    setBusy(null);
    ui.input.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Check my work: POST /v1/check, the steps coloured ok / error / unchecked with their reasons
// ---------------------------------------------------------------------------------------------

const VERDICT_LABEL = { ok: "ok", error: "error", unchecked: "not checked" };
let checked = null;

function checkBody(explain) {
  const body = { problem: ui.checkProblem.value, solution: ui.checkSolution.value };
  const ref = ui.checkReference.value.trim();
  if (ref) body.reference = ref;
  if (explain) body.explain = true;
  return body;
}

function showChecked(result) {
  const box = ui.checkResult;
  box.replaceChildren();
  const steps = Array.isArray(result.steps) ? result.steps : [];
  const summary = document.createElement("p");
  summary.className = "check-summary";
  summary.dataset.testid = "check-summary";
  const counts = { ok: 0, error: 0, unchecked: 0 };
  for (const s of steps) counts[s.verdict] = (counts[s.verdict] || 0) + 1;
  summary.textContent = !steps.length
    ? "No steps to check were found (write the math in $…$ or one step per line)."
    : result.first_error === null
      ? `No step is wrong: ${counts.ok} checked, ${counts.unchecked} not checked.`
      : `Step ${result.first_error + 1} is the first error (${counts.ok} checked ok, ${counts.error} wrong, ${counts.unchecked} not checked).`;
  box.append(summary);
  const list = document.createElement("ol");
  list.className = "check-steps";
  steps.forEach((s, i) => {
    const li = document.createElement("li");
    li.className = `check-step ${s.verdict}`;
    if (i === result.first_error) li.classList.add("first-error");
    li.dataset.testid = "check-step";
    li.dataset.verdict = s.verdict;
    const badge = document.createElement("span");
    badge.className = "verdict";
    badge.textContent = VERDICT_LABEL[s.verdict] ?? s.verdict;
    const math = document.createElement("span");
    math.className = "step-math";
    math.innerHTML = renderTex(String(s.text ?? ""), false);
    const reason = document.createElement("div");
    reason.className = "step-reason markdown";
    reason.dataset.testid = "check-reason";
    reason.innerHTML = renderMarkdown(String(s.reason ?? ""));
    li.append(badge, math, reason);
    list.append(li);
  });
  box.append(list);
  const f = result.final_answer;
  if (f) {
    const line = document.createElement("div");
    line.className = `check-final ${f.verdict}`;
    line.dataset.testid = "check-final";
    const answer = f.answer ? `$${f.answer}$` : "(none found)";
    line.innerHTML = renderMarkdown(`**Final answer** ${answer}: ${f.verdict === "unknown" ? "not judged" : f.verdict} — ${f.reason}`);
    box.append(line);
  }
  if (result.explanation) {
    const e = result.explanation;
    const ex = document.createElement("div");
    ex.className = "check-explanation";
    ex.dataset.testid = "check-explanation";
    const label = document.createElement("div");
    label.className = "explanation-label";
    label.textContent = `Explanation of step ${e.step + 1}, written by the model ${e.model} (not checked)`;
    const text = document.createElement("div");
    text.className = "markdown";
    text.innerHTML = renderMarkdown(String(e.text ?? ""));
    ex.append(label, text);
    box.append(ex);
  }
  ui.checkExplain.hidden = result.first_error === null || !!result.explanation;
  box.querySelector(".first-error")?.scrollIntoView({ block: "nearest" });
}

async function runCheck(explain) {
  clearError();
  ui.checkRun.disabled = true;
  ui.checkExplain.disabled = true;
  try {
    const res = await api("/v1/check", checkBody(explain));
    checked = await res.json();
    showChecked(checked);
  } catch (err) {
    showError(describeError(err));
    if (!(err instanceof ApiError)) console.error(err);
  } finally {
    ui.checkRun.disabled = false;
    ui.checkExplain.disabled = false;
  }
}

function openCheck(open) {
  ui.check.hidden = !open;
  ui.checkOpen.setAttribute("aria-expanded", open ? "true" : "false");
  if (!open) return;
  // the question of the conversation is the problem to check against, unless one is typed already
  const question = conversation.find((m) => m.role === "user");
  if (!ui.checkProblem.value && question) ui.checkProblem.value = question.content;
  (ui.checkProblem.value ? ui.checkSolution : ui.checkProblem).focus();
}

ui.checkOpen.addEventListener("click", () => openCheck(ui.check.hidden));
ui.checkClose.addEventListener("click", () => openCheck(false));
ui.checkForm.addEventListener("submit", (e) => {
  e.preventDefault();
  runCheck(false);
});
ui.checkExplain.addEventListener("click", () => runCheck(true));

// ---------------------------------------------------------------------------------------------
// Hints: POST /v1/hint, one rung at a time (a nudge, the method, the next step), never the answer
// ---------------------------------------------------------------------------------------------

const hints = { problem: "", level: 0 };

/** The problem a hint is for: the conversation's question, else what is typed in the box. */
function hintProblem() {
  const question = conversation.find((m) => m.role === "user");
  return (question?.content ?? ui.input.value).trim();
}

async function askHint() {
  const problem = hintProblem();
  if (!problem) {
    showError("Type the problem first, then ask for a hint.");
    return;
  }
  clearError();
  if (problem !== hints.problem) Object.assign(hints, { problem, level: 0 });
  const level = Math.min(3, hints.level + 1);
  const body = { problem, level };
  // the work in "Check my work" for this problem, when there is some
  if (ui.checkSolution.value.trim() && ui.checkProblem.value.trim() === problem) body.work = ui.checkSolution.value;
  ui.hint.disabled = true;
  const msg = addMessage("assistant", "");
  msg.el.dataset.kind = "hint";
  msg.el.dataset.testid = "hint-message";
  // a hint is for the student, not part of the conversation the model continues
  msg.ok = false;
  setNote(msg, `hint ${level} of 3…`);
  try {
    const res = await api("/v1/hint", body);
    const { hint } = await res.json();
    hints.level = level;
    msg.content = String(hint.text ?? "");
    setNote(msg, `Hint ${hint.level} of 3, written by the model ${hint.model}${hint.cut ? " (cut so as not to give the answer away)" : ""}`);
    renderNow(msg);
    scrollToBottom();
  } catch (err) {
    msg.el.remove();
    conversation = conversation.filter((m) => m !== msg);
    showError(describeError(err));
    if (!(err instanceof ApiError)) console.error(err);
  } finally {
    ui.hint.disabled = false;
  }
}

ui.hint.addEventListener("click", () => askHint());

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------

ui.apiKey.value = store.get("qmath.apiKey") ?? "";
ui.mode.value = store.get("qmath.mode") === "tir" ? "tir" : "cot";
ui.samples.value = String(Number(store.get("qmath.samples")) || 1);
ui.samples.value = String(sampleCount());

let keyTimer = null;
ui.apiKey.addEventListener("input", () => {
  store.set("qmath.apiKey", ui.apiKey.value.trim());
  clearTimeout(keyTimer);
  keyTimer = setTimeout(() => loadModel(), 400);
});
ui.mode.addEventListener("change", () => store.set("qmath.mode", ui.mode.value));
ui.samples.addEventListener("change", () => {
  ui.samples.value = String(sampleCount());
  store.set("qmath.samples", ui.samples.value);
});
ui.newChat.addEventListener("click", () => {
  busy?.abort();
  for (const m of conversation) m.el.remove();
  conversation = [];
  clearError();
  ui.messages.append(ui.empty);
  ui.input.focus();
});
ui.stop.addEventListener("click", () => busy?.abort());
ui.form.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = ui.input.value.trim();
  if (text) send(text);
});
ui.input.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.form.requestSubmit();
  }
});

loadModel();
ui.input.focus();
