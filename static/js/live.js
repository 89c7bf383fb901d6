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
export function connect(namespace, { onSnapshot, onStatus }) {
  const socket = io(namespace, { reconnectionDelayMax: 5000 });
  socket.on("connect", async () => {
    onStatus?.(true);
    const answer = await request(socket, "join", { stop });
    if (answer.ok) {
      onSnapshot(answer);
      // A hook for people and tests alike: the page now shows the live state.
      document.documentElement.dataset.live = "joined";
    }
  });
  socket.on("disconnect", () => {
    document.documentElement.dataset.live = "offline";
    onStatus?.(false);
  });
  socket.on("connect_error", () => onStatus?.(false));
  return socket;
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
