// Shared connection helper: one Socket.IO connection per page, requests with acknowledgements,
// page data read from the document. User text is always set with textContent.
import { io } from "../vendor/socket.io.esm.min.js";

export const stop = document.body.dataset.stop;

export function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : {};
}

// Connect and (re)join on every connection: the server answers with the whole state, so a
// client that was cut off needs no replay, only a fresh snapshot.
//
// The stop's changes are numbered (docs/protocol.md, Sequence): the snapshot says which number
// it holds, each event which one it brings. A page that misses a number, or hears from the
// server's beat that the stop went further, asks for the board again: after a message queue
// outage every page heals by itself. Numbers may arrive out of order (two changes published
// at once): a missing one is only missed if it is still missing a moment later. Those requests
// are spread over a few seconds, so that a room of phones does not ask at the same instant.
// `hasOwnQuestions` says whether a phone holds questions of its own (their statuses are not
// numbered: a beat's `recheck` refreshes them).
const SPREAD_MS = 2000;
// When the venue's Wi-Fi comes back, every phone reconnects: each waits a random 0.5–1.5 s
// before its first attempt (socket.io's back-off, randomised on purpose), then 1–3 s, 2–5 s…
// up to 5 s, so that a blip becomes a ramp the server takes in its stride, not one burst
// (docs/deploy.md, Reconnect herd).
const RECONNECTION = { reconnectionDelay: 1000, randomizationFactor: 0.5, reconnectionDelayMax: 5000 };
const GRACE_MS = 1500; // an event in flight (or overtaken) arrives within this
const FAR_BEHIND = 50; // numbers skipped at once: ask for the board without waiting for them

export function connect(namespace, { onSnapshot, onStatus, hasOwnQuestions }) {
  const socket = io(namespace, RECONNECTION);
  // base: the number the snapshot holds; seen: the highest number received since;
  // missing: numbers between them not received yet; replay: events received during a join.
  const sequence = { base: null, seen: null, missing: new Set(), joining: false, replay: [], timer: null };

  async function join() {
    sequence.joining = true;
    const answer = await request(socket, "join", { stop });
    sequence.joining = false;
    const replay = sequence.replay;
    sequence.replay = [];
    if (!answer.ok) {
      if (sequence.timer === null && socket.connected && sequence.base !== null) rejoinSoon();
      return;
    }
    sequence.base = sequence.seen = answer.seq ?? null;
    sequence.missing.clear();
    onSnapshot(answer);
    // Events that came while the snapshot was on its way, and that it does not hold yet.
    for (const [handler, data] of replay) sequence.receive(handler, data);
    // A hook for people and tests alike: the page now shows the live state.
    document.documentElement.dataset.live = "joined";
  }

  function rejoinSoon() {
    if (sequence.timer !== null) return;
    sequence.timer = setTimeout(() => {
      sequence.timer = null;
      if (socket.connected) join();
    }, Math.random() * SPREAD_MS);
  }

  function laterIfStill(behind) {
    setTimeout(() => { if (behind()) rejoinSoon(); }, GRACE_MS);
  }

  sequence.receive = (handler, data) => {
    if (sequence.joining) sequence.replay.push([handler, data]);
    const seq = data?.seq;
    if (typeof seq === "number" && sequence.base !== null) {
      if (seq <= sequence.base) return; // the snapshot already holds it
      sequence.missing.delete(seq);
      if (seq - sequence.seen > FAR_BEHIND) rejoinSoon();
      else for (let n = sequence.seen + 1; n < seq; n += 1) sequence.missing.add(n);
      sequence.seen = Math.max(sequence.seen, seq);
      if (sequence.missing.size) {
        const waited = new Set(sequence.missing);
        laterIfStill(() => [...waited].some((n) => sequence.missing.has(n)));
      }
    }
    handler(data);
  };
  sequences.set(socket, sequence);
  // A numbered event this page does not use (a phone and the answer timer) still counts: its
  // number is no gap, so it never sends the page asking for the whole board again.
  sequence.listened = new Set();
  socket.onAny((name, data) => {
    if (!sequence.listened.has(name) && typeof data?.seq === "number") sequence.receive(() => {}, data);
  });

  socket.on("connect", () => {
    onStatus?.(true);
    join();
  });
  socket.on("board:sync", ({ seq, recheck }) => {
    if (sequence.base === null) return;
    if (recheck && hasOwnQuestions?.()) rejoinSoon();
    else if (seq > sequence.seen || sequence.missing.size) {
      laterIfStill(() => seq > sequence.seen || sequence.missing.size > 0);
    }
  });
  socket.on("disconnect", () => {
    document.documentElement.dataset.live = "offline";
    onStatus?.(false);
  });
  socket.on("connect_error", () => onStatus?.(false));
  return socket;
}

const sequences = new WeakMap();

// Listen to a numbered event: one the snapshot already holds is dropped, others are applied
// (a missing number noticed on the way asks for the board again).
export function listen(socket, name, handler) {
  const sequence = sequences.get(socket);
  sequence.listened.add(name);
  socket.on(name, (data) => sequence.receive(handler, data));
}

// Emit and wait for the acknowledgement; a timeout answers {ok: false, timeout: true}.
export function request(socket, event, data, timeout = 8000) {
  return new Promise((resolve) => {
    if (!socket.connected) {
      resolve({ ok: false, timeout: true });
      return;
    }
    socket.timeout(timeout).emit(event, data, (error, answer) => {
      resolve(error ? { ok: false, timeout: true } : answer);
    });
  });
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

// crypto.randomUUID needs a secure context; a phone on the venue's plain-http LAN has none.
export function uuid() {
  if (window.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// French typography at display time, as caravane/typography.py does on the server: a narrow
// no-break space replaces the spaces typed before ? ! : ; » and after «, so that a question
// mark never wraps alone. Only French texts; nothing is inserted, the stored text is untouched.
export function spaced(text, language) {
  if (language !== "fr" || !text) return text;
  return text.replace(/[ \u00a0\u202f]+(?=[?!:;»])/g, "\u202f").replace(/(?<=«)[ \u00a0\u202f]+/g, "\u202f");
}

// A written answer's web addresses as links, everything else as text (caravane/links_in_text.py
// does the same on the server): http(s) only, no referrer, no endorsement.
const ADDRESS = /\bhttps?:\/\/[^\s<>"'«»`]+/gi;
const TRAILING = ".,;:!?…’”";

function trimmed(address) {
  let value = address;
  for (;;) {
    const last = value.at(-1);
    if (last && TRAILING.includes(last)) value = value.slice(0, -1);
    else if (last === ")" && value.split(")").length > value.split("(").length) value = value.slice(0, -1);
    else return value;
  }
}

export function linked(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of (text ?? "").matchAll(ADDRESS)) {
    const address = trimmed(match[0]);
    if (address.endsWith("://")) continue;
    fragment.append(text.slice(last, match.index));
    fragment.append(el("a", { href: address, rel: "nofollow noopener noreferrer ugc", text: address }));
    last = match.index + address.length;
  }
  fragment.append((text ?? "").slice(last));
  return fragment;
}

// The name of a text's language in the page's, when it is not the page's own (a written answer
// is never translated: it says which language it is in).
export function languageName(code) {
  const page = document.documentElement.lang || "fr";
  if (!code || code === "und" || code === page) return "";
  try {
    return new Intl.DisplayNames([page], { type: "language" }).of(code) ?? "";
  } catch {
    return "";
  }
}

// Fill a written answer's block (the `written_answer` macro's markup) from a question.
export function renderAnswer(block, q) {
  if (!block) return;
  block.hidden = !q.answer;
  const name = q.answer ? languageName(q.answer_language) : "";
  block.querySelector(".answer-language").textContent = name ? ` · ${name}` : "";
  const text = block.querySelector(".answer-text");
  if (q.answer_language && q.answer_language !== "und") text.lang = q.answer_language;
  else text.removeAttribute("lang");
  text.replaceChildren(linked(spaced(q.answer ?? "", q.answer_language)));
}

// "posée par 4 personnes": `forms` holds the message in each plural category of the page's
// language (messages.plural_forms); Intl.PluralRules picks one.
export function plural(forms, count) {
  const page = document.documentElement.lang || "fr";
  const category = new Intl.PluralRules(page).select(count);
  return format(forms[category] ?? forms.other ?? "", { num: count });
}
