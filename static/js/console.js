// Moderator console: every question of the stop, live; one click or one key per action.
// The most serious questions come first, the projector's preview and "next" stay in view.
import { connect, el, format, listen, readJSON, renderAnswer, request, spaced, stop } from "./live.js";
import { followTimer } from "./timer.js";

const t = readJSON("console-i18n");
const template = document.getElementById("question-template");
const statusLine = document.getElementById("console-status");
const connection = document.getElementById("connection");
const nextButton = document.getElementById("next-button");
const questions = new Map();
const histories = new Map(); // id -> log lines, for the cards whose history is open
let current = null; // id of the question the keyboard acts on
// A reason being chosen or a text being corrected: it survives the re-renders that live events
// cause (the assistant reading a corrected text, a colleague's action) instead of vanishing.
let open = null; // {id, kind: "reject" | "edit" | "reply", value}
// Questions chosen to be grouped into another (issue 14): "Regrouper ici" on the one kept.
const chosen = new Set();

// Which actions each status offers, in button order: the server's rules say (t.offers).
const ACTIONS = t.offers;
const KEYS = { a: "approve", r: "reject", s: "show", h: "hide", d: "answer", e: "edit", u: "restore" };
const SHORTCUT = Object.fromEntries(Object.entries(KEYS).map(([key, action]) => [action, key]));
// Flags about the words, as opposed to advice about supports.
const CONTENT_FLAGS = new Set(["abuse", "personal_data", "spam", "duplicate"]);

// Say where the moderator is looking (the header that stays in view) what just happened.
function say(message, kind = "done") {
  statusLine.textContent = message;
  statusLine.dataset.kind = kind;
}

function failed(answer) {
  if (answer.error?.question) upsert(answer.error.question);
  say(answer.error?.message ?? t.offline, "error");
}

// Send one request; personal data goes public only by a deliberate choice (confirm).
async function send(event, data, done) {
  const answer = await request(socket, event, data);
  if (answer.ok) {
    for (const q of [answer.question, answer.answered, answer.kept, ...(answer.moved ?? []), ...(answer.merged ?? [])]) if (q) questions.set(q.id, q);
    render();
    say(format(t.done[done], { id: answer.question?.id ?? "" }));
  } else if (answer.error?.code === "confirm_personal_data" && !data.confirm) {
    if (window.confirm(answer.error.message)) await send(event, { ...data, confirm: true }, done);
  } else {
    failed(answer);
  }
}

function act(id, action, extra = {}) {
  open = null;
  const q = questions.get(id);
  if (q) return send("moderate", { question_id: id, action, version: q.version, ...extra }, action);
  return undefined;
}

function arrange(id, move) {
  const q = questions.get(id);
  if (q) send("arrange", { question_id: id, move, version: q.version }, move);
}

function nextQuestion() {
  const [head] = queue();
  if (!head) { say(t.queue_empty, "error"); return; }
  send("next", { stop, head: head.id, version: head.version }, "next");
}

function severity(q) {
  if (!q.analysed) return 0;
  return Math.max(0, ...q.flags.map((flag) => flag.severity ?? 0));
}

function contentFlags(q) {
  return q.flags.filter((flag) => CONTENT_FLAGS.has(flag.code));
}

// The reason matching the most serious flag: a duplicate is set aside as already asked.
function suggestedReason(q) {
  const flags = [...contentFlags(q)].sort((a, b) => (b.severity ?? 0) - (a.severity ?? 0));
  const reasonFor = (flag) => t.reason_for_flag[`${flag.code}.${flag.reason}`] ?? t.reason_for_flag[flag.code];
  return flags.map(reasonFor).find(Boolean) ?? t.reasons[0][0];
}

function close() {
  open = null;
  render();
}

function rejectChooser(q, actions, value = null, focus = true) {
  const select = el("select", { "aria-label": t.reason_prompt });
  t.reasons.forEach(([code, label], index) => select.append(el("option", { value: code, text: `${index + 1}. ${label}` })));
  select.value = value ?? suggestedReason(q);
  open = { id: q.id, kind: "reject", value: select.value };
  select.addEventListener("change", () => { open.value = select.value; });
  const confirm = el("button", { type: "button", className: "is-primary", "data-action": "reject", text: t.actions.reject });
  const cancel = el("button", { type: "button", text: t.cancel });
  confirm.addEventListener("click", () => act(q.id, "reject", { reason: select.value }));
  cancel.addEventListener("click", close);
  select.addEventListener("keydown", (event) => {
    const index = Number(event.key) - 1;
    const codes = t.reasons.map(([code]) => code);
    if (index >= 0 && index < codes.length) { event.preventDefault(); act(q.id, "reject", { reason: codes[index] }); }
    if (event.key === "Enter") { event.preventDefault(); act(q.id, "reject", { reason: select.value }); }
    if (event.key === "Escape") close();
  });
  actions.replaceChildren(el("label", { className: "reason-label", text: t.reason_prompt }), select, confirm, cancel);
  if (focus) select.focus();
}

// A text box on a card, sent with its button or Ctrl+Enter, closed with Escape; what is typed
// survives the re-renders live events cause (`open`).
function textBox(q, kind, event, value, { attributes, saveLabel, saveAction = null }) {
  const box = el("textarea", { dir: "auto", ...attributes });
  box.value = value;
  open = { id: q.id, kind, value: box.value };
  box.addEventListener("input", () => { open.value = box.value; });
  const save = el("button", { type: "button", className: "is-primary", "data-action": saveAction, text: saveLabel });
  const cancel = el("button", { type: "button", text: t.cancel });
  // The version of the question as it is now: a re-render may have brought a newer one.
  const submit = () => {
    open = null;
    send(event, { question_id: q.id, text: box.value, version: questions.get(q.id)?.version ?? q.version }, event);
  };
  save.addEventListener("click", submit);
  cancel.addEventListener("click", close);
  box.addEventListener("keydown", (key) => {
    if (key.key === "Enter" && (key.ctrlKey || key.metaKey)) submit();
    if (key.key === "Escape") close();
  });
  return { box, actions: el("div", { className: "mod-actions" }, save, cancel) };
}

function editor(q, node, value = null, focus = true) {
  const { box, actions } = textBox(q, "edit", "edit", value ?? q.text, {
    attributes: { rows: "3", maxlength: String(t.limits.text_max), "aria-label": t.actions.edit },
    saveLabel: t.save,
  });
  node.querySelector(".mod-text").replaceWith(el("div", { className: "edit-box" }, box, actions));
  if (focus) {
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }
}

// A written answer (issue 14): plain text, shown as written; empty takes it back.
const REPLIABLE = new Set(["approved", "on_screen", "answered"]);

function answerEditor(q, node, value = null, focus = true) {
  const { box, actions } = textBox(q, "reply", "reply", value ?? q.answer ?? "", {
    attributes: { rows: "4", maxlength: String(t.answer_max), "aria-label": t.actions.reply, "aria-describedby": `answer-help-${q.id}` },
    saveLabel: t.save_answer, saveAction: "save-reply",
  });
  node.querySelector(".written-answer").replaceWith(el("div", { className: "edit-box answer-box" }, box,
    el("p", { className: "help", id: `answer-help-${q.id}`, text: t.answer_help }), actions));
  if (focus) box.focus();
}

// Group questions into `kept`: from a duplicate hint (one question) or from those chosen.
function merge(kept, ids) {
  chosen.clear();
  send("merge", { question_id: kept.id, merged: ids }, "merge");
}

function groupedInto(q) {
  return [...questions.values()].filter((x) => x.status === "merged" && x.merged_into === q.id).sort(byOldest);
}

// Re-open the chooser or the editor a re-render replaced, with what was chosen or typed.
function reopen(hadFocus) {
  const q = open && questions.get(open.id);
  const node = q && document.querySelector(`.mod-question[data-id="${q.id}"]`);
  const offered = open?.kind === "reply" ? q && REPLIABLE.has(q.status) : q && ACTIONS[q.status].includes(open.kind);
  if (!node || !offered) { open = null; return; }
  const focus = hadFocus === String(q.id);
  if (open.kind === "reject") rejectChooser(q, node.querySelector(".mod-actions"), open.value, focus);
  else if (open.kind === "reply") answerEditor(q, node, open.value, focus);
  else editor(q, node, open.value, focus);
}

function start(id, action) {
  const q = questions.get(id);
  const node = document.querySelector(`.mod-question[data-id="${id}"]`);
  if (!q || !ACTIONS[q.status].includes(action)) return;
  if (action === "reject" && node) rejectChooser(q, node.querySelector(".mod-actions"));
  else if (action === "edit" && node) editor(q, node);
  else if (action === "show") act(id, "show", { with_name: Boolean(node?.querySelector(".with-name")?.checked) });
  else if (action !== "reject" && action !== "edit") act(id, action);
}

function toggleHistory(id) {
  if (histories.has(id)) { histories.delete(id); render(); return; }
  loadHistory(id);
}

// An open history follows its question: a new version (an edit, a status, an answer; not a
// support) asks for its lines again. A history closed meanwhile stays closed.
async function loadHistory(id, { refresh = false } = {}) {
  const answer = await request(socket, "history", { question_id: id });
  if (!answer.ok) { failed(answer); return; }
  if (refresh && !histories.has(id)) return;
  histories.set(id, answer.history);
  render();
}

// A probable duplicate quotes the question it repeats, so the two are read side by side.
function flagItem(flag, q, offered) {
  const node = el("li", { className: `flag-${flag.code}`, text: flag.message });
  const original = flag.code === "duplicate" ? questions.get(flag.of) : null;
  // The question repeated may itself have been grouped since: offer the one it joined, once.
  const keeper = original?.status === "merged" ? questions.get(original.merged_into) : original;
  if (keeper && keeper.id !== q.id && !offered.has(keeper.id) && MERGEABLE.has(q.status) && KEEPERS.has(keeper.status)) {
    offered.add(keeper.id);
    node.append(" ", button(format(t.actions.merge_into, { id: keeper.id }), () => merge(keeper, [q.id]), { "data-action": "merge-into", className: "flag-merge" }));
  }
  if (original) {
    node.append(el("span", { className: "flag-repeats", dir: "auto", text: format(t.repeats, { id: original.id, text: original.text }) }));
    const jump = el("button", { type: "button", className: "flag-jump", text: format(t.see_original, { id: flag.of }) });
    jump.addEventListener("click", () => {
      current = flag.of;
      document.querySelector(`.mod-question[data-id="${flag.of}"]`)?.focus();
    });
    node.append(" ", jump);
  }
  return node;
}

// As board/merging.py: what can be grouped into another, and what others can be grouped into.
const MERGEABLE = new Set(["pending", "approved", "answered", "rejected"]);
const KEEPERS = new Set(["pending", "approved", "on_screen", "answered"]);

function button(label, onClick, attributes = {}) {
  const node = el("button", { type: "button", text: label, ...attributes });
  node.addEventListener("click", onClick);
  return node;
}

function item(q) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.dataset.id = q.id;
  const flagged = q.analysed && contentFlags(q).length > 0;
  node.classList.toggle("has-flags", q.flags.length > 0);
  node.classList.toggle("is-current", q.id === current);
  node.dataset.severity = String(severity(q));
  node.querySelector(".mod-id").textContent = `#${q.id}`;
  const status = node.querySelector(".mod-status");
  status.textContent = q.queue ? format(t.queued, { place: queue().findIndex((x) => x.id === q.id) + 1 }) : q.status_label;
  status.classList.add(`badge-${q.status}`);
  node.querySelector(".mod-lang").textContent = q.language;
  node.querySelector(".mod-votes").textContent = q.votes_label;
  node.querySelector(".mod-name").textContent = q.name ?? "";
  node.querySelector(".mod-text").textContent = spaced(q.text, q.language);
  node.querySelector(".mod-asked").textContent = q.asked_by_label ?? "";
  const grouped = groupedInto(q);
  const group = node.querySelector(".mod-grouped");
  group.hidden = grouped.length === 0;
  group.querySelector("ul").replaceChildren(...grouped.map((x) => el("li", { "data-id": x.id },
    el("span", { className: "mod-id", text: `#${x.id}` }), el("span", { dir: "auto", text: spaced(x.text, x.language) }),
    button(t.actions.unmerge, () => send("unmerge", { question_id: x.id, version: x.version }, "unmerge"), { "data-action": "unmerge" }))));
  renderAnswer(node.querySelector(".written-answer"), q);
  if (q.original_text) {
    const original = node.querySelector(".mod-original");
    original.textContent = format(t.original, { text: q.original_text });
    original.hidden = false;
  }
  const offered = new Set();
  const flags = q.flags.map((flag) => flagItem(flag, q, offered));
  if (!q.analysed) flags.unshift(el("li", { className: "flag-analysing", text: t.analysing }));
  node.querySelector(".flags").replaceChildren(...flags);
  if (q.reason_message) {
    const reason = node.querySelector(".mod-reason");
    reason.textContent = `${t.reason_prompt} ${q.reason_message}`;
    reason.hidden = false;
  }
  const actions = node.querySelector(".mod-actions");
  // On a flagged question the safe action, setting it aside, is the primary one.
  const primary = q.status === "pending" ? (flagged ? "reject" : "approve") : null;
  for (const action of ACTIONS[q.status]) {
    actions.append(button(t.actions[action], () => { current = q.id; start(q.id, action); }, {
      "data-action": action, "aria-keyshortcuts": SHORTCUT[action], className: action === primary ? "is-primary" : null,
    }));
  }
  if (q.status === "approved") {
    if (q.queue) {
      actions.append(button(t.actions.up, () => arrange(q.id, "up"), { "data-action": "up", "aria-keyshortcuts": "Shift+ArrowUp" }));
      actions.append(button(t.actions.down, () => arrange(q.id, "down"), { "data-action": "down", "aria-keyshortcuts": "Shift+ArrowDown" }));
      actions.append(button(t.actions.unqueue, () => arrange(q.id, "unqueue"), { "data-action": "unqueue", "aria-keyshortcuts": "q" }));
    } else {
      actions.append(button(t.actions.queue, () => arrange(q.id, "queue"), { "data-action": "queue", "aria-keyshortcuts": "q", className: "is-primary" }));
    }
  }
  if (q.name && ACTIONS[q.status].includes("show")) {
    const box = el("input", { type: "checkbox", className: "with-name", id: `with-name-${q.id}` });
    box.checked = q.show_name;
    actions.append(el("label", { for: `with-name-${q.id}` }, box, document.createTextNode(` ${t.with_name}`)));
  }
  if (REPLIABLE.has(q.status)) {
    actions.append(button(q.answer ? t.actions.edit_reply : t.actions.reply, () => { current = q.id; answerEditor(q, node); }, { "data-action": "reply" }));
  }
  if (chosen.size && !chosen.has(q.id) && KEEPERS.has(q.status)) {
    actions.append(button(t.actions.merge_here, () => merge(q, [...chosen]), { "data-action": "merge-here", className: "is-primary" }));
  }
  if (MERGEABLE.has(q.status)) {
    const box = el("input", { type: "checkbox", className: "choose", id: `choose-${q.id}`, "data-action": "choose" });
    box.checked = chosen.has(q.id);
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(q.id); else chosen.delete(q.id);
      render();
      if (chosen.size) say(format(t.chosen, { num: chosen.size }));
      document.getElementById(`choose-${q.id}`)?.focus();
    });
    actions.append(el("label", { for: `choose-${q.id}`, className: "choose-label" }, box, document.createTextNode(` ${t.actions.choose}`)));
  }
  actions.append(button(t.actions.history, () => toggleHistory(q.id), {
    className: "button-link", "aria-expanded": String(histories.has(q.id)), "data-action": "history",
  }));
  const lines = histories.get(q.id);
  if (lines) {
    const history = node.querySelector(".mod-history");
    history.hidden = false;
    history.replaceChildren(...(lines.length ? lines.map((line) => el("li", {},
      el("time", { datetime: line.at, text: line.time }), document.createTextNode(` ${line.message}`))) : [el("li", { text: t.no_history })]));
  }
  node.addEventListener("focus", () => { current = q.id; markCurrent(); });
  return node;
}

function byOldest(a, b) { return a.id - b.id; }

function queue() {
  return [...questions.values()].filter((q) => q.status === "approved" && q.queue).sort((a, b) => a.queue - b.queue || byOldest(a, b));
}

function onScreen() {
  return [...questions.values()].find((q) => q.status === "on_screen") ?? null;
}

// Exactly what the projector shows: the question and the name chosen for it, or its idle screen.
function renderPreview() {
  const q = onScreen();
  const text = document.getElementById("preview-text");
  const name = document.getElementById("preview-name");
  text.hidden = !q;
  text.textContent = q ? spaced(q.text, q.language) : "";
  const shownName = q?.show_name ? q.name : null;
  name.hidden = !shownName;
  name.textContent = shownName ?? "";
  document.getElementById("preview-idle").hidden = Boolean(q);
  document.getElementById("preview").dataset.questionId = q ? String(q.id) : "";
  const actions = document.getElementById("preview-actions");
  actions.replaceChildren(...(q ? [
    button(t.actions.hide, () => act(q.id, "hide"), { "data-action": "hide", "aria-keyshortcuts": "h" }),
    button(t.actions.answer, () => act(q.id, "answer"), { "data-action": "answer", "aria-keyshortcuts": "d" }),
  ] : []));
  const [head] = queue();
  document.getElementById("up-next-text").textContent = head ? `#${head.id} ${head.text}` : t.queue_empty;
  nextButton.disabled = !head;
}

function render() {
  for (const id of chosen) if (!MERGEABLE.has(questions.get(id)?.status)) chosen.delete(id);
  const groups = { pending: [], on_screen: [], queue: queue(), approved: [], answered: [], rejected: [] };
  for (const q of questions.values()) {
    if (q.status === "approved" && !q.queue) groups.approved.push(q);
    else if (q.status !== "approved") groups[q.status]?.push(q);
  }
  // Triage: threats, personal data and abuse first, then spam, duplicates, the rest; oldest
  // first within a level, so that nobody waits behind newer questions of the same weight.
  groups.pending.sort((a, b) => severity(b) - severity(a) || byOldest(a, b));
  groups.approved.sort((a, b) => b.votes - a.votes || byOldest(a, b));
  groups.answered.sort((a, b) => b.id - a.id);
  groups.rejected.sort((a, b) => b.id - a.id);
  const hadFocus = document.activeElement?.closest?.(".mod-question")?.dataset.id;
  for (const [name, items] of Object.entries(groups)) {
    const list = document.getElementById(`list-${name}`);
    list.replaceChildren(...(items.length ? items.map(item) : [el("li", { className: "empty", text: list.dataset.empty })]));
    const count = document.getElementById(`count-${name}`);
    if (count) count.textContent = String(items.length);
  }
  renderPreview();
  if (hadFocus) document.querySelector(`.mod-question[data-id="${hadFocus}"]`)?.focus();
  if (open) reopen(hadFocus);
}

function upsert(q) {
  // Two changes published at once may arrive out of order: keep the newer one.
  const before = questions.get(q.id);
  if ((before?.version ?? 0) > q.version) return;
  questions.set(q.id, q);
  if (histories.has(q.id) && before?.version !== q.version) loadHistory(q.id, { refresh: true });
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
  if (event.shiftKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
    if (questions.get(current)?.queue) { event.preventDefault(); arrange(current, event.key === "ArrowUp" ? "up" : "down"); }
    return;
  }
  if (event.key === "j") { event.preventDefault(); move(1); return; }
  if (event.key === "k") { event.preventDefault(); move(-1); return; }
  if (event.key === "n") { event.preventDefault(); nextQuestion(); return; }
  if (event.key === "q") {
    const q = questions.get(current);
    if (q?.status === "approved") { event.preventDefault(); arrange(q.id, q.queue ? "unqueue" : "queue"); }
    return;
  }
  if (event.key === "?") {
    event.preventDefault();
    const help = document.getElementById("shortcuts");
    help.scrollIntoView({ block: "nearest" });
    help.focus();
    return;
  }
  const action = KEYS[event.key];
  if (!action) return;
  const q = questions.get(current);
  // Hiding and answering speak of the question on screen unless the current one offers them.
  const target = q && ACTIONS[q.status].includes(action) ? q : (["hide", "answer"].includes(action) ? onScreen() : null);
  if (target) { event.preventDefault(); start(target.id, action); }
});

nextButton.addEventListener("click", nextQuestion);

function renderBoard(status) {
  for (const node of document.querySelectorAll("[data-board]")) {
    node.setAttribute("aria-pressed", String(node.dataset.board === status));
  }
}

for (const node of document.querySelectorAll("[data-board]")) {
  node.addEventListener("click", async () => {
    const answer = await request(socket, "board", { stop, status: node.dataset.board });
    if (answer.ok) { renderBoard(answer.status); say(node.textContent); } else failed(answer);
  });
}

// Several servers share a message queue: while it does not answer, actions are stored but
// the room may not see them; the console says so until it answers again (board/beat.py).
const queueWarning = document.getElementById("queue-warning");
function renderQueue(answering) {
  const wasDown = !queueWarning.hidden;
  queueWarning.hidden = answering;
  if (answering && wasDown) say(t.queue_back);
}

const socket = connect("/moderation", {
  onSnapshot(snapshot) {
    questions.clear();
    for (const q of snapshot.questions) questions.set(q.id, q);
    renderBoard(snapshot.board);
    renderQueue(snapshot.queue?.answering ?? true);
    render();
    timer(snapshot);
  },
  onStatus(online) {
    connection.textContent = online ? t.connected : t.offline;
    connection.dataset.online = String(online);
  },
});
listen(socket, "question:new", upsert);
listen(socket, "question:changed", upsert);
listen(socket, "board:status", ({ status }) => renderBoard(status));
const timer = followTimer(socket, document.getElementById("timer"), { failed });
socket.on("queue:status", ({ answering }) => renderQueue(answering));
