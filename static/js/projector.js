// Projector: the question on screen, as large as the screen allows, its support count, and
// the way in that the board's state allows; recovers by itself.
import { connect, listen, plural, readJSON, spaced } from "./live.js";
import { followTimer } from "./timer.js";

const t = readJSON("screen-i18n");
const current = document.getElementById("current");
const name = document.getElementById("current-name");
const votes = document.getElementById("current-votes");
const idle = document.getElementById("idle");
const box = document.getElementById("fit");
const status = document.getElementById("stage-status");
const joinWay = document.getElementById("join-way");
const joinLabel = document.getElementById("join-label");
const joinClosed = document.getElementById("join-closed");

let shown = null; // id of the question on screen

// The server gives one form per CLDR plural category of the page's language (Arabic has six);
// the browser's own rules pick the category, so the count is said right as it changes.
function supports(count) {
  return plural(t.supports || {}, count);
}

// Largest font size (in px) at which the question fits its box: a binary search. The name and
// the count sit in the same box, so the question gives way to them, never the reverse.
function fit() {
  if (current.hidden) return;
  let low = 16;
  let high = Math.floor(window.innerHeight * 0.16);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    current.style.fontSize = `${middle}px`;
    if (box.scrollHeight <= box.clientHeight && box.scrollWidth <= box.clientWidth) low = middle;
    else high = middle - 1;
  }
  current.style.fontSize = `${low}px`;
}

function show(question) {
  shown = question ? question.id : null;
  document.body.classList.toggle("is-idle", !question);
  current.hidden = !question;
  idle.hidden = Boolean(question);
  current.textContent = question ? spaced(question.text, question.language) : "";
  name.textContent = question?.name ?? "";
  name.hidden = !question?.name;
  // Merged questions (issue 14): how many people asked it, next to its supports.
  const asked = question?.asked_by > 1 ? ` · ${plural(t.asked_by, question.asked_by)}` : "";
  votes.textContent = question ? supports(question.votes ?? 0) + asked : "";
  votes.hidden = !question;
  fit();
}

// open: ask; voting_only: support, no invitation to ask; closed: thanks, and no way in.
function setBoard(board) {
  const words = t.board?.[board];
  if (!words) return;
  document.body.dataset.board = board;
  const closed = board === "closed";
  idle.textContent = words.idle;
  if (!closed) joinLabel.textContent = words.join;
  joinWay.hidden = closed;
  joinClosed.hidden = !closed;
  fit();
}

const socket = connect("/", {
  onSnapshot(snapshot) {
    setBoard(snapshot.board);
    show(snapshot.on_screen);
    timer(snapshot);
  },
  onStatus(online) { status.hidden = online; status.textContent = online ? "" : t.offline; },
});
listen(socket, "screen:changed", ({ question }) => show(question));
// Supports (and a moderator's correction) of the question on screen; screen:changed alone says
// what is on screen, so an update of any other status is not ours to act on.
listen(socket, "question:updated", (question) => {
  if (question.id === shown && question.status === "on_screen") show(question);
});
listen(socket, "board:status", ({ status: board }) => setBoard(board));
const timer = followTimer(socket, document.getElementById("timer"));
// Let the join address wrap after its slashes ("host/" + "calais"), never mid-word.
// Built from text nodes, never from markup.
const joinUrl = document.querySelector(".join-url");
if (joinUrl) {
  const parts = joinUrl.textContent.split("/");
  joinUrl.replaceChildren(...parts.flatMap((part, index) => (
    index ? [document.createTextNode("/"), document.createElement("wbr"), document.createTextNode(part)]
      : [document.createTextNode(part)])));
}
window.addEventListener("resize", fit);
document.fonts?.ready.then(fit);
fit();
