// Today: log a set with one tap, with or without signal.
//
// Each set gets its id here, when it is tapped, and joins a queue kept in localStorage
// (per user: RunStrong.phoneSets in app.js). The queue is sent in order, in batches,
// whenever the network is there (now, when the browser says it is back online, every few
// seconds while sets wait, and on the next page load, even after a restart). The server
// stores a set once whatever the number of times it is sent, so a retry after a lost
// answer doubles nothing. A set the server refuses, alone or with its whole request,
// stays on screen with the reason until the athlete dismisses it; it is not sent again.
//
// Without signal the page is the service worker's copy, which may predate sets logged
// since. So the page shows the sets the server rendered, plus those it stored since
// (kept until a rendered page lists them), plus those waiting, and numbers the next set
// after the highest one known, in this tab or another: never by counting.
//
// Once an exercise has its prescribed sets (on screen: stored or waiting) its card folds
// to a summary with "Add a set", and the session says what is left, as the server
// renders them after a reload. A set logged, and a rest started or over, are said once
// in a polite live region; the timer's seconds are not read out.
"use strict";

(() => {
  const root = document.getElementById("today");
  if (!root || !root.dataset.user || !window.RunStrong) return;

  const sets = window.RunStrong.phoneSets(root.dataset.user);
  const REST = sets.key("rest");
  const RETRY_MS = 5000;
  const syncUrl = root.dataset.syncUrl;
  const unit = root.dataset.unit;
  const status = document.getElementById("sync-status");
  const announcer = document.getElementById("today-announce");
  // What the server rendered; anything it lists is stored and needs no copy on the phone.
  const rendered = new Set(
    [...root.querySelectorAll(".sets li[data-set-id]")].map((item) => item.dataset.setId),
  );

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function card(prescription) {
    return root.querySelector(`.rx-log[data-prescription="${prescription}"]`);
  }

  function describe(set) {
    // The same words as the server's loads.set_text, so a set reads alike before and after
    // a reload.
    const loaded = set.load !== "" && set.load !== null && Number(set.load) > 0;
    let text;
    if (set.duration) text = loaded ? `${set.duration} s with ${set.load} ${unit}` : `${set.duration} s`;
    else text = `${set.reps} × ${loaded ? `${set.load} ${unit}` : "bodyweight"}`;
    if (set.rpe) text += ` @ RPE ${set.rpe}`;
    return text;
  }

  // The ✓ beside a set is decoration: screen readers read "Set 2, 5 × 60 kg".
  function checkGlyph() {
    const glyph = document.createElement("span");
    glyph.setAttribute("aria-hidden", "true");
    glyph.textContent = "✓";
    return glyph;
  }

  function row(set) {
    return root.querySelector(`[data-set-id="${set.id}"]`);
  }

  function button(text, data) {
    const control = document.createElement("button");
    control.type = "button";
    control.className = "btn btn-sm btn-link p-0 ms-1";
    control.textContent = text;
    Object.assign(control.dataset, data);
    return control;
  }

  // A set on screen: waiting to sync, saved, or refused with the server's reason.
  function show(set, state) {
    const box = card(set.prescription);
    if (!box) return;
    let item = row(set);
    if (!item) {
      item = document.createElement("li");
      item.dataset.setId = set.id;
      item.dataset.local = "";
      box.querySelector(".sets").appendChild(item);
    }
    item.dataset.set = set.set;
    item.dataset.reps = set.reps ?? "";
    item.dataset.duration = set.duration ?? "";
    item.dataset.load = set.load ?? "";
    item.className = `set-${state}`;
    item.textContent = "";
    item.append(`Set ${set.set} `, checkGlyph(), ` ${describe(set)} `);
    if (state === "waiting") {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-warning";
      badge.textContent = "waiting to sync";
      item.appendChild(badge);
    } else if (state === "refused") {
      item.className = "set-refused text-danger";
      item.textContent = `Set ${set.set} not saved: ${describe(set)}: ${set.message} `;
      // A whole request refused (signed in as someone else, a stale page) may pass later.
      if (set.request) item.appendChild(button("Try again", { retry: set.id }));
      item.appendChild(button("Dismiss", { dismiss: set.id }));
    } else if (state === "record") {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-success";
      badge.textContent = "New record!";
      item.appendChild(badge);
    }
  }

  function number(item) {
    return Number(item.dataset.set) || 0;
  }

  // Set numbers in order, the ones needing attention last.
  function sortSets(box) {
    const list = box.querySelector(".sets");
    const rank = (item) => (item.classList.contains("set-refused") ? 100 : 0) + number(item);
    const items = [...list.children];
    const sorted = [...items].sort((a, b) => rank(a) - rank(b));
    if (sorted.some((item, i) => item !== items[i])) list.append(...sorted);
  }

  // The highest set number known for an exercise: on screen, or stored by another tab
  // whose news has not reached this one yet.
  function highest(prescription) {
    const box = card(prescription);
    const shown = box ? [...box.querySelectorAll(".sets li:not(.set-refused)")].map(number) : [];
    const kept = [...sets.read("queue"), ...sets.read("confirmed")]
      .filter((set) => String(set.prescription) === String(prescription))
      .map((set) => Number(set.set) || 0);
    return Math.max(0, ...shown, ...kept);
  }

  // The form offers the set after the highest one.
  function nextSet(box) {
    const form = box.querySelector(".set-form");
    if (!form) return;
    const next = highest(box.dataset.prescription) + 1;
    form.elements.set.value = next;
    const label = form.querySelector(".set-label");
    if (label) label.textContent = `Set ${next}`;
  }

  function logged(box) {
    return [...box.querySelectorAll(".sets li[data-set]:not(.set-refused)")];
  }

  // The same words as the server's selectors.sets_summary: "3 × 10 @ 40 kg", or each set
  // when they differ.
  function summarise(items) {
    const parts = items.map((item) => {
      const { reps, duration, load } = item.dataset;
      const amount = reps ? String(Number(reps)) : `${Number(duration)} s`;
      return Number(load) > 0 ? `${amount} @ ${Number(load)} ${unit}` : amount;
    });
    if (new Set(parts).size === 1) return `${parts.length} × ${parts[0]}`;
    return `${parts.length} sets: ${parts.join(", ")}`;
  }

  // Fold the card once its prescribed sets are on screen (unfold it if a refused set
  // takes one away); true when it has just folded.
  function settle(box) {
    const more = box.querySelector(".rx-more");
    const summary = box.querySelector(".rx-summary");
    if (!more || !summary) return false;
    const items = logged(box);
    const prescribed = Number(box.dataset.sets) || 0;
    const done = prescribed > 0 && items.length >= prescribed;
    summary.hidden = !done;
    if (done) summary.querySelector(".rx-summary-text").textContent = summarise(items);
    const was = box.classList.contains("rx-done");
    if (done === was) return false;
    const focused = more.contains(document.activeElement);
    box.classList.toggle("rx-done", done);
    more.open = !done;
    // The button just tapped is folded away: focus stays on this card, on "Add a set".
    if (done && focused) more.querySelector(".add-set").focus();
    return done;
  }

  // "2 of 5 exercises left", as the server writes it (selectors.left_text).
  function leftText() {
    const boxes = [...root.querySelectorAll(".rx-log")];
    const left = boxes.filter(
      (box) => !box.classList.contains("rx-done") && !box.hasAttribute("data-skipped"),
    ).length;
    if (left === 0) return "All done";
    return `${left} of ${boxes.length} exercise${boxes.length === 1 ? "" : "s"} left`;
  }

  function updateLeft() {
    const left = document.getElementById("session-left");
    if (left) left.textContent = leftText();
  }

  function announce(text) {
    if (!announcer) return;
    // Emptied first, so the same words twice ("Rest over.") are read twice.
    announcer.textContent = "";
    setTimeout(() => {
      announcer.textContent = text;
    }, 100);
  }

  // The load carries forward: the next set starts at what the last one lifted.
  function carryLoad(box) {
    const input = box.querySelector(".set-form input[name=load]");
    const done = [...box.querySelectorAll(".sets li[data-set]:not(.set-refused)")];
    if (!input || done.length === 0) return;
    const last = done.reduce((a, b) => (number(b) >= number(a) ? b : a));
    if (last.dataset.load) input.value = last.dataset.load;
  }

  // Bring the screen in line with the phone's stores: at load, after each send, and when
  // another tab changes them.
  function restore() {
    const known = new Set();
    const queued = sets.read("queue");
    const confirmed = sets.read("confirmed");
    for (const set of queued) if (!rendered.has(set.id)) show(set, "waiting");
    for (const set of confirmed) if (!rendered.has(set.id)) show(set, set.record ? "record" : "saved");
    for (const set of sets.read("refused")) show(set, "refused");
    for (const set of [...queued, ...confirmed, ...sets.read("refused")]) known.add(set.id);
    // A set another tab dismissed.
    for (const item of root.querySelectorAll(".sets li[data-local]")) {
      if (!known.has(item.dataset.setId)) item.remove();
    }
    for (const box of root.querySelectorAll(".rx-log")) {
      sortSets(box);
      nextSet(box);
      settle(box);
    }
    updateLeft();
    updateStatus();
  }

  function plural(count, one, many) {
    return `${count} set${count === 1 ? "" : "s"} ${count === 1 ? one : many}`;
  }

  let signedOut = false;
  function updateStatus() {
    if (!status) return;
    const waiting = sets.read("queue").length;
    const attention = sets.read("refused").length;
    const parts = [];
    if (waiting) {
      const why = signedOut ? " (sign in again)" : navigator.onLine ? "" : " (offline)";
      parts.push(`${plural(waiting, "waiting", "waiting")} to sync${why}`);
    }
    if (attention) parts.push(plural(attention, "needs attention", "need attention"));
    status.textContent = parts.length ? parts.join(" · ") : "All sets saved";
  }

  let retry = null;
  function retryLater() {
    if (!retry) {
      retry = setTimeout(() => {
        retry = null;
        flush();
      }, RETRY_MS);
    }
  }

  async function flush() {
    if (sets.read("queue").length === 0) return;
    updateStatus();
    const outcome = await sets.send(syncUrl);
    signedOut = outcome === "signed-out";
    // Network errors and server failures retry; a signed-out user's sets wait for them.
    if (outcome === "retry") retryLater();
    restore();
  }

  // Sets saved before sets were kept per user, for this very session: the ones this user
  // left queued when the page changed under them.
  function adoptUnscopedQueue() {
    const OLD = "runstrong.queue.v1";
    const session = root.querySelector("#session")?.dataset.session;
    let old;
    try {
      old = JSON.parse(localStorage.getItem(OLD) || "[]");
    } catch {
      old = [];
    }
    if (!session || !Array.isArray(old)) return;
    const mine = old.filter((set) => String(set.session) === session);
    if (mine.length === 0) return;
    const queued = sets.read("queue");
    const ids = new Set(queued.map((set) => set.id));
    sets.write("queue", [...queued, ...mine.filter((set) => !ids.has(set.id))]);
    const others = old.filter((set) => String(set.session) !== session);
    if (others.length) localStorage.setItem(OLD, JSON.stringify(others));
    else localStorage.removeItem(OLD);
  }

  // Rest timer: counts to an end time, so it is right when the phone wakes up. Its start
  // is said with the set; its end once, as "Rest over."
  const timer = document.getElementById("rest-timer");
  let ticking = null;
  let restCard = null;
  function startRest(seconds, box) {
    if (!timer || !seconds) return;
    restCard = box;
    localStorage.setItem(REST, String(Date.now() + seconds * 1000));
    tick();
  }
  function restWords(seconds) {
    if (seconds >= 60 && seconds % 60 === 0) {
      const minutes = seconds / 60;
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} seconds`;
  }
  // Where focus goes when the timer it was in goes: the next set to log.
  function focusAfterRest() {
    const target =
      restCard?.querySelector(".rx-more[open] .log-set") ||
      restCard?.querySelector(".add-set") ||
      root.querySelector(".rx-log:not(.rx-done) .rx-more[open] .log-set") ||
      document.getElementById("session-title");
    target?.focus();
  }
  function tick() {
    const end = Number(localStorage.getItem(REST) || 0);
    const left = Math.round((end - Date.now()) / 1000);
    if (!timer) return;
    if (left <= 0) {
      const running = !timer.hidden;
      const focused = timer.contains(document.activeElement);
      timer.hidden = true;
      localStorage.removeItem(REST);
      clearInterval(ticking);
      ticking = null;
      if (running) announce("Rest over.");
      if (focused) focusAfterRest();
      return;
    }
    timer.hidden = false;
    timer.querySelector(".rest-left").textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    if (!ticking) ticking = setInterval(tick, 1000);
  }

  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList.contains("set-form")) return;
    event.preventDefault();
    const data = new FormData(form);
    const prescription = data.get("prescription");
    const set = {
      id: newId(),
      session: data.get("session"),
      prescription,
      // Not the form's number: another tab may have logged this exercise meanwhile.
      set: highest(prescription) + 1,
      reps: data.get("reps") ?? "",
      duration: data.get("duration") ?? "",
      load: data.get("load") ?? "",
      rpe: data.get("rpe") ?? "",
      performed_on: data.get("performed_on"),
      logged_at: new Date().toISOString(),
    };
    sets.write("queue", [...sets.read("queue"), set]);
    show(set, "waiting");
    const box = card(prescription);
    const rest = Number(box?.dataset.rest || 0);
    if (box) {
      sortSets(box);
      nextSet(box);
      const prescribed = Number(box.dataset.sets) || 0;
      let words = `Set ${set.set}${set.set <= prescribed ? ` of ${prescribed}` : ""} logged.`;
      if (settle(box)) words += ` ${box.dataset.name} done. ${leftText()}.`;
      if (rest) words += ` Rest ${restWords(rest)}.`;
      announce(words);
    }
    updateLeft();
    updateStatus();
    startRest(rest, box);
    flush();
  });

  root.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const step = target.closest(".step");
    if (step) {
      const input = document.getElementById(step.dataset.stepFor);
      const value = Number(input.value || 0) + Number(step.dataset.delta);
      input.value = String(Math.max(0, Math.round(value * 100) / 100));
      return;
    }
    const dismiss = target.closest("[data-dismiss]");
    if (dismiss) {
      sets.write("refused", sets.read("refused").filter((s) => s.id !== dismiss.dataset.dismiss));
      restore();
      return;
    }
    const again = target.closest("[data-retry]");
    if (again) {
      const refused = sets.read("refused");
      const set = refused.find((s) => s.id === again.dataset.retry);
      sets.write("refused", refused.filter((s) => s !== set));
      if (set) {
        const { message, request, ...unsent } = set;
        sets.write("queue", [...sets.read("queue"), unsent]);
      }
      restore();
      flush();
      return;
    }
    if (target.closest(".rest-stop")) {
      localStorage.setItem(REST, "0");
      tick();
      // Safari does not focus a tapped button: move focus whatever had it.
      focusAfterRest();
    }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", updateStatus);
  window.addEventListener("storage", (event) => {
    // Another tab logged, sent or dismissed one of this user's sets (null: storage cleared).
    const mine = event.key === null || event.key.startsWith(`runstrong.${root.dataset.user}.`);
    if (mine && event.key !== REST) restore();
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      tick();
      flush();
    }
  });

  adoptUnscopedQueue();
  sets.forgetConfirmed(rendered);
  restore();
  for (const box of root.querySelectorAll(".rx-log")) carryLoad(box);
  tick();
  flush();

  if ("serviceWorker" in navigator && root.dataset.swUrl) {
    navigator.serviceWorker.register(root.dataset.swUrl).catch(() => null);
  }
})();
