// Moderator console: every question of the stop, live; one click or one key per action.
import { connect, el, format, readJSON, request, stop } from "./live.js";

const t = readJSON("console-i18n");
const template = document.getElementById("question-template");
const notice = document.getElementById("notice");
const connection = document.getElementById("connection");
const questions = new Map();
let current = null; // id of the question the keyboard acts on

// Which actions each status offers, in button order: the server's rules say (t.offers).
const ACTIONS = t.offers;
const KEYS = { a: "approve", r: "reject", s: "show", h: "hide", d: "answer", e: "edit", u: "restore" };
const SHORTCUT = Object.fromEntries(Object.entries(KEYS).map(([key, action]) => [action, key]));

function say(message) {
  notice.textContent = message;
  notice.hidden = !message;
}

async function act(id, action, extra = {}) {
  const q = questions.get(id);
  if (!q) return;
  const answer = await request(socket, "moderate", { question_id: id, action, version: q.version, ...extra });
  if (answer.ok) {
    upsert(answer.question);
    say("");
  } else if (answer.error?.code === "confirm_personal_data" && !extra.confirm) {
    // Personal data goes public only by a deliberate choice.
    if (window.confirm(answer.error.message)) await act(id, action, { ...extra, confirm: true });
  } else {
    if (answer.error?.question) upsert(answer.error.question);
    say(answer.error?.message ?? t.offline);
  }
}

function rejectChooser(q, actions) {
  const select = el("select", { "aria-label": t.reason_prompt });
  t.reasons.forEach(([code, label], index) => select.append(el("option", { value: code, text: `${index + 1}. ${label}` })));
  const confirm = el("button", { type: "button", "data-action": "reject", text: t.actions.reject });
  const cancel = el("button", { type: "button", text: t.cancel });
  confirm.addEventListener("click", () => act(q.id, "reject", { reason: select.value }));
  cancel.addEventListener("click", () => render());
  select.addEventListener("keydown", (event) => {
    const index = Number(event.key) - 1;
    const codes = t.reasons.map(([code]) => code);
    if (index >= 0 && index < codes.length) { event.preventDefault(); act(q.id, "reject", { reason: codes[index] }); }
    if (event.key === "Enter") { event.preventDefault(); act(q.id, "reject", { reason: select.value }); }
    if (event.key === "Escape") render();
  });
  actions.replaceChildren(select, confirm, cancel);
  select.focus();
}

function editor(q, node) {
  const box = el("textarea", { dir: "auto", rows: "3", maxlength: String(t.limits.text_max), "aria-label": t.actions.edit });
  box.value = q.text;
  const save = el("button", { type: "button", text: t.save });
  const cancel = el("button", { type: "button", text: t.cancel });
  const wrapper = el("div", { className: "edit-box" }, box, el("div", { className: "mod-actions" }, save, cancel));
  const submit = async () => {
    const answer = await request(socket, "edit", { question_id: q.id, text: box.value, version: q.version });
    if (answer.ok) { upsert(answer.question); say(""); } else {
      if (answer.error?.question) upsert(answer.error.question);
      say(answer.error?.message ?? t.offline);
    }
  };
  save.addEventListener("click", submit);
  cancel.addEventListener("click", () => render());
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit();
    if (event.key === "Escape") render();
  });
  node.querySelector(".mod-text").replaceWith(wrapper);
  box.focus();
}

function start(id, action) {
  const q = questions.get(id);
  const node = document.querySelector(`.mod-question[data-id="${id}"]`);
  if (!q || !node || !ACTIONS[q.status].includes(action)) return;
  if (action === "reject") rejectChooser(q, node.querySelector(".mod-actions"));
  else if (action === "edit") editor(q, node);
  else if (action === "show") act(id, "show", { with_name: Boolean(node.querySelector(".with-name")?.checked) });
  else act(id, action);
}

// A probable duplicate links to the question it repeats, so the two are read side by side.
function flagItem(flag) {
  const node = el("li", { className: `flag-${flag.code}`, text: flag.message });
  if (flag.code === "duplicate" && questions.has(flag.of)) {
    const jump = el("button", { type: "button", className: "flag-jump", text: format(t.see_original, { id: flag.of }) });
    jump.addEventListener("click", () => {
      current = flag.of;
      document.querySelector(`.mod-question[data-id="${flag.of}"]`)?.focus();
    });
    node.append(" ", jump);
  }
  return node;
}

function item(q) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.dataset.id = q.id;
  node.classList.toggle("has-flags", q.flags.length > 0);
  node.classList.toggle("is-current", q.id === current);
  node.querySelector(".mod-id").textContent = `#${q.id}`;
  const status = node.querySelector(".mod-status");
  status.textContent = q.status_label;
  status.classList.add(`badge-${q.status}`);
  node.querySelector(".mod-lang").textContent = q.language;
  node.querySelector(".mod-votes").textContent = q.votes_label;
  node.querySelector(".mod-name").textContent = q.name ?? "";
  node.querySelector(".mod-text").textContent = q.text;
  if (q.original_text) {
    const original = node.querySelector(".mod-original");
    original.textContent = format(t.original, { text: q.original_text });
    original.hidden = false;
  }
  const flags = q.flags.map((flag) => flagItem(flag));
  if (!q.analysed) flags.unshift(el("li", { className: "flag-analysing", text: t.analysing }));
  node.querySelector(".flags").replaceChildren(...flags);
  if (q.reason_message) {
    const reason = node.querySelector(".mod-reason");
    reason.textContent = `${t.reason_prompt} ${q.reason_message}`;
    reason.hidden = false;
  }
  const actions = node.querySelector(".mod-actions");
  for (const action of ACTIONS[q.status]) {
    const button = el("button", {
      type: "button", "data-action": action, text: t.actions[action], "aria-keyshortcuts": SHORTCUT[action],
    });
    button.addEventListener("click", () => { current = q.id; start(q.id, action); });
    actions.append(button);
  }
  if (q.name && ACTIONS[q.status].includes("show")) {
    const box = el("input", { type: "checkbox", className: "with-name", id: `with-name-${q.id}` });
    box.checked = q.show_name;
    actions.append(el("label", { for: `with-name-${q.id}` }, box, document.createTextNode(` ${t.with_name}`)));
  }
  node.addEventListener("focus", () => { current = q.id; markCurrent(); });
  return node;
}

function render() {
  const groups = { pending: [], approved: [], on_screen: [], answered: [], rejected: [] };
  for (const q of questions.values()) groups[q.status]?.push(q);
  groups.pending.sort((a, b) => b.id - a.id);
  groups.approved.sort((a, b) => b.votes - a.votes || a.id - b.id);
  groups.answered.sort((a, b) => b.id - a.id);
  groups.rejected.sort((a, b) => b.id - a.id);
  const hadFocus = document.activeElement?.closest?.(".mod-question")?.dataset.id;
  for (const [status, items] of Object.entries(groups)) {
    document.getElementById(`list-${status}`).replaceChildren(...items.map(item));
    const counter = document.getElementById(`count-${status}`);
    if (counter) counter.textContent = String(items.length);
  }
  if (hadFocus) document.querySelector(`.mod-question[data-id="${hadFocus}"]`)?.focus();
}

function upsert(q) {
  questions.set(q.id, q);
  render();
}

function markCurrent() {
  for (const node of document.querySelectorAll(".mod-question")) node.classList.toggle("is-current", Number(node.dataset.id) === current);
}

function move(step) {
  const nodes = [...document.querySelectorAll(".mod-question")];
  if (!nodes.length) return;
  const index = nodes.findIndex((node) => Number(node.dataset.id) === current);
  const next = nodes[Math.max(0, Math.min(nodes.length - 1, index + step))];
  next.focus();
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("textarea, input, select")) return;
  if (event.key === "j") { event.preventDefault(); move(1); return; }
  if (event.key === "k") { event.preventDefault(); move(-1); return; }
  if (event.key === "?") {
    event.preventDefault();
    const help = document.getElementById("shortcuts");
    help.scrollIntoView({ block: "nearest" });
    help.focus();
    return;
  }
  const action = KEYS[event.key];
  if (action && current !== null) { event.preventDefault(); start(current, action); }
});

function renderBoard(status) {
  for (const button of document.querySelectorAll("[data-board]")) {
    button.setAttribute("aria-pressed", String(button.dataset.board === status));
  }
}

for (const button of document.querySelectorAll("[data-board]")) {
  button.addEventListener("click", async () => {
    const answer = await request(socket, "board", { stop, status: button.dataset.board });
    if (answer.ok) renderBoard(answer.status); else say(answer.error?.message ?? t.offline);
  });
}

const socket = connect("/moderation", {
  onSnapshot(snapshot) {
    questions.clear();
    for (const q of snapshot.questions) questions.set(q.id, q);
    renderBoard(snapshot.board);
    render();
  },
  onStatus(online) {
    connection.textContent = online ? t.connected : t.offline;
    connection.dataset.online = String(online);
  },
});
socket.on("question:new", upsert);
socket.on("question:changed", upsert);
socket.on("board:status", ({ status }) => renderBoard(status));
