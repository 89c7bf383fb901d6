// The answer timer (docs/console.md): a countdown the console commands and the projector shows.
// The server sends whole states (docs/protocol.md, `timer:changed`), never one per second: the
// page ticks by itself, its clock corrected by the server's (`server_now`). The words are the
// page's own (templates/_timer.html): this script only says which one shows.
import { listen, request, stop } from "./live.js";

const TICK_MS = 250;

// 125000 ms -> "2:05"; a started second counts as a whole one, so 0:00 means time is up.
export function clock(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function stateOf(timer, left) {
  if (left <= 0) return "up";
  if (timer.running) return "running";
  return left >= timer.seconds * 1000 ? "reset" : "paused";
}

// Follow the stop's timer in `root` (the countdown macro); on the console, its buttons and
// length command it. Returns the function to call with each snapshot.
export function followTimer(socket, root, { failed } = {}) {
  if (!root) return () => {};
  const display = root.querySelector(".countdown-clock");
  const words = root.querySelectorAll("[data-when]");
  const buttons = Object.fromEntries([...root.querySelectorAll("[data-command]")].map((b) => [b.dataset.command, b]));
  const length = root.querySelector("[data-timer-length]");
  let timer = JSON.parse(root.dataset.timer || "null");
  let offset = timer ? timer.server_now - Date.now() : 0; // the server's clock minus ours
  let seq = -1;
  let ticking = null;

  function left() {
    if (!timer) return 0;
    if (!timer.running) return timer.left_ms;
    return Math.max(0, timer.ends_at - (Date.now() + offset));
  }

  function render() {
    if (!timer) return;
    const ms = left();
    const state = stateOf(timer, ms);
    root.dataset.state = state;
    display.textContent = clock(ms);
    for (const word of words) word.hidden = word.dataset.when !== state;
    if (state !== "running" && ticking !== null) { clearInterval(ticking); ticking = null; }
    if (buttons.start) {
      const focused = document.activeElement;
      buttons.start.disabled = state === "running";
      buttons.pause.disabled = state !== "running";
      // The key just pressed disabled its own button: the other one takes the focus.
      if (focused === buttons.start && buttons.start.disabled) buttons.pause.focus();
      if (focused === buttons.pause && buttons.pause.disabled) buttons.start.focus();
    }
    // The length cannot change under a running countdown (changing it resets it).
    if (length) length.disabled = state === "running";
  }

  function showLength(seconds) {
    if (!length || document.activeElement === length) return;
    if (![...length.options].some((option) => Number(option.value) === seconds)) {
      length.append(new Option(clock(seconds * 1000), String(seconds)));
    }
    length.value = String(seconds);
  }

  // A whole state; one older than the last applied (two consoles acting at once) is ignored.
  function apply(next) {
    if (!next) return;
    if (typeof next.seq === "number") {
      if (next.seq < seq) return;
      seq = next.seq;
    }
    timer = next;
    offset = next.server_now - Date.now();
    showLength(next.seconds);
    render();
    if (timer.running && ticking === null && left() > 0) ticking = setInterval(render, TICK_MS);
  }

  async function command(name, extra = {}) {
    const answer = await request(socket, "timer", { stop, command: name, ...extra });
    if (answer.ok) apply(answer.timer);
    else failed?.(answer);
  }

  for (const [name, button] of Object.entries(buttons)) {
    button.addEventListener("click", () => command(name, name === "reset" && length ? { seconds: Number(length.value) } : {}));
  }
  length?.addEventListener("change", () => command("reset", { seconds: Number(length.value) }));
  // "t" starts or pauses, as the other shortcuts: never while typing in a field.
  if (buttons.start) {
    document.addEventListener("keydown", (event) => {
      if (event.key !== "t" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest("textarea, input, select")) return;
      event.preventDefault();
      command(root.dataset.state === "running" ? "pause" : "start");
    });
  }
  listen(socket, "timer:changed", apply);
  apply(timer);
  return (snapshot) => apply(snapshot.timer && { ...snapshot.timer, seq: snapshot.seq });
}
