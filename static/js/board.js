// Attendee board: ask (with an outbox that survives a dropped connection), follow the
// published questions live, support them. The page works without this script.
import { connect, el, format, readJSON, request, stop, uuid } from "./live.js";

const t = readJSON("board-i18n");
const form = document.getElementById("ask-form");
const textarea = document.getElementById("text");
const nameInput = document.getElementById("name");
const count = document.getElementById("count");
const counter = document.getElementById("counter");
const fieldError = document.getElementById("text-error");
const sent = document.getElementById("sent");
const list = document.getElementById("questions");
const mineList = document.getElementById("my-questions");
const connection = document.getElementById("connection");
const boardState = document.getElementById("board-state");
const submitButton = form.querySelector("button[type=submit]");
const voteAction = document.querySelector(".vote-form")?.action ?? `/${stop}/questions/soutien`;

const OUTBOX = `caravane:outbox:${stop}`;
const state = { questions: new Map(), mine: new Map(), voted: new Set(), sort: "votes", board: "open" };

// --- outbox: a question typed is kept until the server has acknowledged it -----------------
const readOutbox = () => JSON.parse(localStorage.getItem(OUTBOX) || "[]");
const writeOutbox = (items) => localStorage.setItem(OUTBOX, JSON.stringify(items));

// The server may know questions whose acknowledgement never came back (the connection dropped
// in between): the snapshot or a status event says so, and they leave the outbox.
function receiveMine(questions) {
  for (const q of questions) state.mine.set(q.id, q);
  const delivered = new Set(questions.map((q) => q.client_id));
  const outbox = readOutbox();
  const waiting = outbox.filter((item) => !delivered.has(item.client_id));
  if (waiting.length !== outbox.length) writeOutbox(waiting);
  renderMine();
}

let flushing = false;
async function flushOutbox() {
  if (flushing || !socket.connected) return;
  flushing = true;
  try {
    // Questions typed while a send is in flight join the outbox: keep going until it is empty.
    let item;
    while ((item = readOutbox()[0]) && socket.connected) {
      const answer = await request(socket, "submit", { stop, ...item });
      if (answer.timeout) {
        // Keep it. Offline, the reconnection flushes again; online but unanswered, try again
        // soon: the client_id makes a resend harmless.
        if (socket.connected) setTimeout(flushOutbox, 3000);
        break;
      }
      writeOutbox(readOutbox().filter((other) => other.client_id !== item.client_id));
      if (answer.ok) {
        state.mine.set(answer.question.id, answer.question);
        showSent(t.sent, false);
      } else {
        // Refused (closed board, too short…): give the text back so nothing is lost.
        if (!textarea.value.trim()) textarea.value = item.text;
        updateCounter();
        showError(answer.error.message);
        sent.hidden = true;
      }
      renderMine();
    }
  } finally {
    flushing = false;
  }
}

// --- rendering ---------------------------------------------------------------------------
function card(q) {
  const voted = state.voted.has(q.id);
  const button = el("button", {
    type: "submit", className: `vote${voted ? " is-voted" : ""}`, "aria-pressed": String(voted),
    disabled: state.board === "closed",
  }, el("span", { className: "vote-icon", "aria-hidden": "true", text: "▲" }), el("span", { className: "vote-count", text: String(q.votes) }),
  el("span", { className: "visually-hidden", text: t.support }));
  const voteForm = el("form", { method: "post", action: voteAction, className: "vote-form" },
    el("input", { type: "hidden", name: "question_id", value: String(q.id) }), button);
  voteForm.addEventListener("submit", (event) => { event.preventDefault(); vote(q.id); });
  const meta = el("div", { className: "question-meta" },
    q.name ? el("span", { className: "question-name", dir: "auto", text: q.name }) : null,
    q.status === "on_screen" ? el("span", { className: "badge badge-on_screen", text: t.on_screen }) : null,
    q.status === "answered" ? el("span", { className: "badge badge-answered", text: t.answered }) : null,
    voteForm);
  return el("li", { className: `question${q.status === "on_screen" ? " is-on-screen" : ""}`, id: `q${q.id}`, "data-id": q.id },
    el("p", { className: "question-text", dir: "auto", text: q.text }), meta);
}

function sorted() {
  const items = [...state.questions.values()];
  // The question being discussed comes first, whatever the order chosen.
  const onScreen = (q) => (q.status === "on_screen" ? 0 : 1);
  if (state.sort === "recent") return items.sort((a, b) => onScreen(a) - onScreen(b) || b.id - a.id);
  return items.sort((a, b) => onScreen(a) - onScreen(b) || b.votes - a.votes || a.id - b.id);
}

function renderQuestions() {
  const focused = document.activeElement?.closest?.(".question")?.dataset.id;
  list.replaceChildren(...sorted().map(card));
  document.getElementById("published-count").textContent = String(state.questions.size);
  document.getElementById("questions-empty").hidden = state.questions.size > 0;
  if (focused) list.querySelector(`#q${focused} .vote`)?.focus();
}

function renderMine() {
  const waiting = readOutbox().map((item) => ({ id: item.client_id, text: item.text, status: "queued" }));
  const items = [...waiting, ...[...state.mine.values()].sort((a, b) => b.id - a.id)];
  mineList.replaceChildren(...items.map((q) => {
    const label = q.status === "queued" ? t.sending : (q.status_label || t.statuses[q.status]);
    return el("li", { className: `my-question status-${q.status}`, "data-id": q.id },
      el("p", { className: "question-text", dir: "auto", text: q.text }),
      el("p", { className: "my-status" },
        el("span", { className: `badge badge-${q.status === "queued" ? "pending" : q.status}`, text: label }),
        q.reason_message ? el("span", { className: "reason", text: format(t.reason, { reason: q.reason_message }) }) : null));
  }));
  document.getElementById("mine-empty").hidden = items.length > 0;
}

function renderBoardStatus() {
  boardState.dataset.status = state.board;
  boardState.textContent = t[state.board];
  submitButton.disabled = state.board !== "open";
}

// --- actions -----------------------------------------------------------------------------
function showError(message) {
  fieldError.textContent = message;
  fieldError.hidden = false;
  textarea.setAttribute("aria-invalid", "true");
}

function clearError() {
  fieldError.hidden = true;
  textarea.setAttribute("aria-invalid", "false");
}

function showSent(message, queued) {
  sent.textContent = message;
  sent.classList.toggle("is-queued", queued);
  sent.hidden = false;
}

function updateCounter() {
  const length = textarea.value.trim().length;
  count.textContent = String(length);
  counter.classList.toggle("is-over", length > 500);
}

async function vote(questionId) {
  const answer = await request(socket, "vote", { question_id: questionId });
  if (!answer.ok) return;
  if (answer.voted) state.voted.add(questionId);
  else state.voted.delete(questionId);
  const question = state.questions.get(questionId);
  if (question) question.votes = answer.votes;
  renderQuestions();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textarea.value.trim();
  // Said next to the field before anything leaves the phone; the server checks again.
  if (text.length < 10 || text.length > 500) {
    showError(text.length < 10 ? t.too_short : t.too_long);
    textarea.focus();
    return;
  }
  clearError();
  writeOutbox([...readOutbox(), { client_id: uuid(), text, name: nameInput.value.trim() || null }]);
  // The form stays ready for the next question.
  textarea.value = "";
  updateCounter();
  renderMine();
  if (socket.connected) showSent(t.sending, false);
  else showSent(t.queued, true);
  flushOutbox();
});

textarea.addEventListener("input", () => {
  updateCounter();
  const length = textarea.value.trim().length;
  if (length >= 10 && length <= 500) clearError();
});

for (const link of document.querySelectorAll(".sort a")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    state.sort = link.dataset.sort;
    for (const other of document.querySelectorAll(".sort a")) other.toggleAttribute("aria-current", other === link);
    link.setAttribute("aria-current", "true");
    history.replaceState(null, "", link.href);
    renderQuestions();
  });
}

// --- live --------------------------------------------------------------------------------
const socket = connect("/", {
  onSnapshot(snapshot) {
    state.board = snapshot.board;
    state.questions = new Map(snapshot.questions.map((q) => [q.id, q]));
    state.mine = new Map();
    state.voted = new Set(snapshot.voted);
    renderBoardStatus();
    renderQuestions();
    receiveMine(snapshot.mine);
    flushOutbox();
  },
  onStatus(online) {
    connection.hidden = online;
    connection.textContent = online ? t.online : t.offline;
  },
});

state.sort = new URLSearchParams(location.search).get("tri") === "recentes" ? "recent" : "votes";
socket.on("question:published", (q) => { state.questions.set(q.id, q); renderQuestions(); });
socket.on("question:updated", (q) => { state.questions.set(q.id, q); renderQuestions(); });
socket.on("question:removed", ({ id }) => { state.questions.delete(id); renderQuestions(); });
// One event for both questions that moved: the one now on screen and the one that left it.
socket.on("screen:changed", ({ question, left }) => {
  for (const q of state.questions.values()) if (q.status === "on_screen") q.status = "approved";
  if (left) state.questions.set(left.id, left);
  if (question) state.questions.set(question.id, question);
  renderQuestions();
});
socket.on("board:status", ({ status }) => { state.board = status; renderBoardStatus(); renderQuestions(); });
socket.on("question:status", (q) => receiveMine([q]));
window.addEventListener("online", flushOutbox);
renderMine();
updateCounter();
