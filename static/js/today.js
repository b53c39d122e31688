// Today: log a set with one tap, with or without signal.
//
// Each set gets its id here, when it is tapped, and joins a queue kept in localStorage.
// The queue is sent in order, in batches, whenever the network is there (now, when the
// browser says it is back online, every few seconds while sets wait, and on the next
// page load, even after a restart). The server stores a set once whatever the number of
// times it is sent, so a retry after a lost answer doubles nothing. A set the server
// refuses stays on screen with the server's message until the athlete dismisses it.
"use strict";

(() => {
  const root = document.getElementById("today");
  if (!root) return;

  const QUEUE = "runstrong.queue.v1";
  const REFUSED = "runstrong.refused.v1";
  const REST = "runstrong.rest.v1";
  const BATCH = 50;
  const RETRY_MS = 5000;
  const syncUrl = root.dataset.syncUrl;
  const unit = root.dataset.unit;
  const status = document.getElementById("sync-status");

  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key) || "[]");
    } catch {
      return [];
    }
  };
  const write = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch {
      return "";
    }
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

  function row(set) {
    return root.querySelector(`[data-set-id="${set.id}"]`);
  }

  // A set on screen: waiting to sync, synced, or refused with the server's reason.
  function show(set, state, message) {
    const box = card(set.prescription);
    if (!box) return;
    let item = row(set);
    if (!item) {
      item = document.createElement("li");
      item.dataset.setId = set.id;
      box.querySelector(".sets").appendChild(item);
    }
    item.className = `set-${state}`;
    item.textContent = `Set ${set.set} ✓ ${describe(set)} `;
    if (state === "waiting") {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-warning";
      badge.textContent = "waiting to sync";
      item.appendChild(badge);
    } else if (state === "refused") {
      item.className = "set-refused text-danger";
      item.textContent = `Set ${set.set} not saved: ${describe(set)}: ${message} `;
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "btn btn-sm btn-link p-0 dismiss";
      dismiss.textContent = "Dismiss";
      dismiss.dataset.dismiss = set.id;
      item.appendChild(dismiss);
    } else if (state === "record") {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-success";
      badge.textContent = "New record!";
      item.appendChild(badge);
    }
    nextSet(box);
  }

  // The form offers the set after the last one on screen.
  function nextSet(box) {
    const done = box.querySelectorAll(".sets li:not(.set-refused)").length;
    const form = box.querySelector(".set-form");
    if (!form) return;
    form.elements.set.value = done + 1;
    const label = form.querySelector(".set-label");
    if (label) label.textContent = `Set ${done + 1}`;
  }

  function updateStatus() {
    const waiting = read(QUEUE).length;
    if (!status) return;
    if (waiting === 0) status.textContent = "All sets saved";
    else status.textContent = `${waiting} set${waiting === 1 ? "" : "s"} waiting to sync${navigator.onLine ? "" : " (offline)"}`;
  }

  let flushing = false;
  let retry = null;

  function retryLater() {
    if (!retry) {
      retry = setTimeout(() => {
        retry = null;
        flush();
      }, RETRY_MS);
    }
  }

  // Send the queue in order, a batch at a time, until it is empty or the network fails.
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (;;) {
        const batch = read(QUEUE).slice(0, BATCH);
        if (batch.length === 0) break;
        updateStatus();
        let answer;
        try {
          const response = await fetch(syncUrl, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify({ sets: batch }),
            credentials: "same-origin",
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          answer = await response.json();
        } catch {
          // No signal, or no answer: everything stays queued for the next try.
          retryLater();
          break;
        }
        const byId = new Map(answer.results.map((r) => [r.id, r]));
        const refused = read(REFUSED);
        for (const set of batch) {
          const result = byId.get(set.id);
          if (!result) continue;
          if (result.status === "invalid") {
            refused.push({ ...set, message: result.message });
            show(set, "refused", result.message);
          } else {
            show(set, result.new_record ? "record" : "saved");
          }
        }
        write(REFUSED, refused);
        // Only what this answer covered leaves the queue: sets tapped meanwhile stay.
        write(QUEUE, read(QUEUE).filter((s) => !byId.has(s.id)));
      }
    } finally {
      flushing = false;
      updateStatus();
    }
  }

  // Rest timer: counts to an end time, so it is right when the phone wakes up.
  const timer = document.getElementById("rest-timer");
  let ticking = null;
  function startRest(seconds) {
    if (!timer || !seconds) return;
    localStorage.setItem(REST, String(Date.now() + seconds * 1000));
    tick();
  }
  function tick() {
    const end = Number(localStorage.getItem(REST) || 0);
    const left = Math.round((end - Date.now()) / 1000);
    if (!timer) return;
    if (left <= 0) {
      timer.hidden = true;
      localStorage.removeItem(REST);
      clearInterval(ticking);
      ticking = null;
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
    const set = {
      id: newId(),
      session: data.get("session"),
      prescription: data.get("prescription"),
      set: Number(data.get("set")),
      reps: data.get("reps") ?? "",
      duration: data.get("duration") ?? "",
      load: data.get("load") ?? "",
      rpe: data.get("rpe") ?? "",
      performed_on: data.get("performed_on"),
      logged_at: new Date().toISOString(),
    };
    const queue = read(QUEUE);
    queue.push(set);
    write(QUEUE, queue);
    show(set, "waiting");
    startRest(Number(card(set.prescription)?.dataset.rest || 0));
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
      write(REFUSED, read(REFUSED).filter((s) => s.id !== dismiss.dataset.dismiss));
      const item = dismiss.closest("li");
      const box = item.closest(".rx-log");
      item.remove();
      nextSet(box);
      return;
    }
    if (target.closest(".rest-stop")) {
      localStorage.setItem(REST, "0");
      tick();
    }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", updateStatus);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      tick();
      flush();
    }
  });

  // What the page did not know when the server rendered it: queued and refused sets.
  for (const set of read(QUEUE)) if (!row(set)) show(set, "waiting");
  for (const set of read(REFUSED)) show(set, "refused", set.message);
  tick();
  flush();

  if ("serviceWorker" in navigator && root.dataset.swUrl) {
    navigator.serviceWorker.register(root.dataset.swUrl).catch(() => null);
  }
})();
