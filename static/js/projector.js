// Projector: the question on screen, as large as the screen allows; recovers by itself.
import { connect, readJSON } from "./live.js";

const t = readJSON("screen-i18n");
const current = document.getElementById("current");
const name = document.getElementById("current-name");
const idle = document.getElementById("idle");
const box = document.getElementById("fit");
const status = document.getElementById("stage-status");

// Largest font size (in px) at which the question fits its box: a binary search.
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
  document.body.classList.toggle("is-idle", !question);
  current.hidden = !question;
  idle.hidden = Boolean(question);
  current.textContent = question ? question.text : "";
  name.textContent = question?.name ?? "";
  name.hidden = !question?.name;
  fit();
}

const socket = connect("/", {
  onSnapshot(snapshot) { show(snapshot.on_screen); },
  onStatus(online) { status.hidden = online; status.textContent = online ? "" : t.offline; },
});
socket.on("screen:changed", ({ question }) => show(question));
// Let the join address wrap after its slashes ("host/calais/" + "questions"), never mid-word:
// line breaking alone would cut "question|s". Built from text nodes, never from markup.
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
