// Attendee board: ask (with an outbox that survives a dropped connection), follow the
// published questions live, support them. The page works without this script.
import { connect, format, listen, plural, readJSON, renderAnswer, request, spaced, stop, uuid } from "./live.js";

const t = readJSON("board-i18n");
const form = document.getElementById("ask-form");
const textarea = document.getElementById("text");
const nameInput = document.getElementById("name");
const count = document.getElementById("count");
const counter = document.getElementById("counter");
const fieldError = document.getElementById("text-error");
const sent = document.getElementById("sent");
const list = document.getElementById("questions");
const now = document.getElementById("now");
const nowList = document.getElementById("now-list");
const title = document.getElementById("board-title");
const mineList = document.getElementById("my-questions");
const connection = document.getElementById("connection");
const boardState = document.getElementById("board-state");
const submitButton = form.querySelector("button[type=submit]");
const { text_min: TEXT_MIN, text_max: TEXT_MAX } = t.limits;

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
// The card's markup comes from the server's template (the same macro renders the page).
const cardTemplate = document.getElementById("card-template").content.firstElementChild;

function card(q) {
  const node = cardTemplate.cloneNode(true);
  const voted = state.voted.has(q.id);
  const badged = q.status === "on_screen" || q.status === "answered";
  node.id = `q${q.id}`;
  node.dataset.id = q.id;
  node.classList.toggle("is-on-screen", q.status === "on_screen");
  const mine = state.mine.has(q.id);
  node.classList.toggle("is-mine", mine);
  node.querySelector(".question-mine").hidden = !mine;
  node.querySelector(".question-text").textContent = spaced(q.text, q.language);
  const name = node.querySelector(".question-name");
  name.textContent = q.name ?? "";
  name.hidden = !q.name;
  const asked = node.querySelector(".question-asked");
  asked.hidden = !(q.asked_by > 1);
  asked.textContent = asked.hidden ? "" : plural(t.asked_by, q.asked_by);
  renderAnswer(node.querySelector(".written-answer"), q);
  const badge = node.querySelector(".question-badge");
  badge.textContent = badged ? t.statuses[q.status] : "";
  badge.classList.toggle(`badge-${q.status}`, badged);
  badge.hidden = !badged;
  const button = node.querySelector(".vote");
  button.value = String(q.id);
  button.classList.toggle("is-voted", voted);
  button.setAttribute("aria-pressed", String(voted));
  button.disabled = state.board === "closed";
  node.querySelector(".vote-count").textContent = String(q.votes);
  button.addEventListener("click", (event) => { event.preventDefault(); vote(q.id); });
  return node;
}

function sorted() {
  // The question being discussed is pinned at the top of the page ("À l'écran maintenant").
  const items = [...state.questions.values()].filter((q) => q.status !== "on_screen");
  if (state.sort === "recent") return items.sort((a, b) => b.id - a.id);
  return items.sort((a, b) => b.votes - a.votes || a.id - b.id);
}

function renderQuestions() {
  const focused = document.activeElement?.closest?.(".question")?.dataset.id;
  const onScreen = [...state.questions.values()].find((q) => q.status === "on_screen");
  nowList.replaceChildren(...(onScreen ? [card(onScreen)] : []));
  now.hidden = !onScreen;
  list.replaceChildren(...sorted().map(card));
  document.getElementById("published-count").textContent = String(state.questions.size);
  document.getElementById("questions-empty").hidden = state.questions.size > 0;
  if (focused) document.querySelector(`#q${focused} .vote`)?.focus();
}

const mineTemplate = document.getElementById("mine-template").content.firstElementChild;

function myQuestion(q) {
  const node = mineTemplate.cloneNode(true);
  const queued = q.status === "queued";
  node.className = `my-question status-${q.status}`;
  node.dataset.id = q.id;
  node.querySelector(".question-text").textContent = spaced(q.text, q.language);
  const badge = node.querySelector(".badge");
  badge.className = `badge badge-${queued ? "pending" : q.status}`;
  badge.textContent = queued ? t.sending : (q.status_label || t.statuses[q.status]);
  const reason = node.querySelector(".reason");
  reason.textContent = q.reason_message ? format(t.reason, { reason: q.reason_message }) : "";
  reason.hidden = !q.reason_message;
  const votes = node.querySelector(".my-votes");
  votes.hidden = !["approved", "on_screen", "answered"].includes(q.status);
  votes.textContent = format(t.supports, { num: q.votes ?? 0 });
  // Corrected by a moderator: the author is told, and can reread their own words.
  const edited = node.querySelector(".my-edited");
  edited.hidden = !q.original_text;
  node.querySelector(".my-original").textContent = q.original_text ?? "";
  renderAnswer(node.querySelector(".written-answer"), q);
  // Grouped with a question that says the same: what it joined, and a way to support it.
  const merged = node.querySelector(".my-merged");
  const joined = q.status === "merged" ? (state.questions.get(q.merged_into?.id) ?? q.merged_into) : null;
  merged.hidden = !joined;
  if (joined) {
    merged.querySelector(".merged-text").textContent = spaced(joined.text, joined.language);
    merged.querySelector(".merged-asked").textContent = plural(t.asked_by, joined.asked_by ?? 1);
    merged.querySelector("input[name=question_id]").value = String(joined.id);
    const support = merged.querySelector(".merged-support");
    const supported = state.voted.has(joined.id);
    support.setAttribute("aria-pressed", String(supported));
    support.classList.toggle("is-voted", supported);
    support.disabled = state.board === "closed";
    merged.querySelector(".merged-form").addEventListener("submit", (event) => { event.preventDefault(); vote(joined.id); });
  }
  // Set aside as already asked: the earlier question is one tap away, to support it instead.
  const repeat = node.querySelector(".repeat-form");
  repeat.hidden = !state.questions.has(q.repeats);
  if (!repeat.hidden) {
    repeat.querySelector("input[name=question_id]").value = String(q.repeats);
    repeat.querySelector(".repeat-link").href = `#q${q.repeats}`;
    const support = repeat.querySelector(".repeat-support");
    support.disabled = state.voted.has(q.repeats) || state.board === "closed";
    repeat.addEventListener("submit", (event) => { event.preventDefault(); vote(q.repeats); });
  }
  return node;
}

function renderMine() {
  const waiting = readOutbox().map((item) => ({ id: item.client_id, text: item.text, status: "queued" }));
  const items = [...waiting, ...[...state.mine.values()].sort((a, b) => b.id - a.id)];
  mineList.replaceChildren(...items.map(myQuestion));
  document.getElementById("mine-empty").hidden = items.length > 0;
}

function renderBoardStatus() {
  boardState.dataset.status = state.board;
  boardState.textContent = t.board[state.board];
  title.textContent = t.titles[state.board];
  const closed = state.board !== "open";
  submitButton.disabled = closed;
  textarea.disabled = closed;
  nameInput.disabled = closed;
  if (closed) sent.hidden = true;
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

// Brief: once sent, the live status in "Mes questions" takes over.
let sentTimer = null;
function showSent(message, queued) {
  sent.textContent = message;
  sent.classList.toggle("is-queued", queued);
  sent.hidden = false;
  clearTimeout(sentTimer);
  if (!queued) sentTimer = setTimeout(() => { sent.hidden = true; }, 8000);
}

function updateCounter() {
  const length = textarea.value.trim().length;
  count.textContent = String(length);
  counter.classList.toggle("is-over", length > TEXT_MAX);
}

async function vote(questionId) {
  const answer = await request(socket, "vote", { question_id: questionId });
  if (!answer.ok) return;
  if (answer.voted) state.voted.add(questionId);
  else state.voted.delete(questionId);
  const question = state.questions.get(questionId);
  if (question) question.votes = answer.votes;
  renderQuestions();
  renderMine();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textarea.value.trim();
  // Said next to the field before anything leaves the phone; the server checks again.
  if (text.length < TEXT_MIN || text.length > TEXT_MAX) {
    showError(text.length < TEXT_MIN ? t.too_short : t.too_long);
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
  if (!sent.classList.contains("is-queued")) sent.hidden = true;
  const length = textarea.value.trim().length;
  if (length >= TEXT_MIN && length <= TEXT_MAX) clearError();
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
    receiveMine(snapshot.mine);
    renderQuestions();
    flushOutbox();
  },
  onStatus(online) {
    connection.hidden = online;
    connection.textContent = online ? t.online : t.offline;
  },
  hasOwnQuestions: () => state.mine.size > 0,
});

state.sort = new URLSearchParams(location.search).get("tri") === "recentes" ? "recent" : "votes";
// A published question of one's own: its support count in "Mes questions" follows the room's.
function published(q) {
  state.questions.set(q.id, q);
  const own = state.mine.get(q.id);
  if (own) state.mine.set(q.id, { ...own, votes: q.votes, text: q.text });
  renderQuestions();
  renderMine();
}
listen(socket, "question:published", published);
listen(socket, "question:updated", published);
listen(socket, "question:removed", ({ id }) => { state.questions.delete(id); renderQuestions(); renderMine(); });
// One event for both questions that moved: the one now on screen and the one that left it.
listen(socket, "screen:changed", ({ question, left }) => {
  for (const q of state.questions.values()) if (q.status === "on_screen") q.status = "approved";
  if (left) state.questions.set(left.id, left);
  if (question) state.questions.set(question.id, question);
  renderQuestions();
  renderMine();
});
listen(socket, "board:status", ({ status }) => { state.board = status; renderBoardStatus(); renderQuestions(); });
socket.on("question:status", (q) => { receiveMine([q]); renderQuestions(); });
window.addEventListener("online", flushOutbox);
renderMine();
updateCounter();
