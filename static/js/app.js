// RunStrong's own behaviour, kept out of templates so the CSP can forbid inline script.
"use strict";

document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) {
    field.select();
  }
});

document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});

// Calendar: drag a run or a planned session onto another day to move it. The drop posts
// the same form a tap on "Move" would, through htmx, and the calendar fragment comes back.
// A day inside a [data-drop-scope] (a row of the squad calendar: one athlete) takes only
// what was dragged from that same scope.
let dragged = null;

document.addEventListener("dragstart", (event) => {
  const item = event.target instanceof Element && event.target.closest("[data-move-url]");
  dragged = item || null;
  if (item && event.dataTransfer) {
    event.dataTransfer.setData("text/x-runstrong-move", item.dataset.moveUrl);
    event.dataTransfer.effectAllowed = "move";
  }
});

function dropDay(event) {
  const day = event.target instanceof Element ? event.target.closest("[data-drop-date]") : null;
  const scope = day && day.closest("[data-drop-scope]");
  if (scope && !(dragged && scope.contains(dragged))) return null;
  return day;
}

document.addEventListener("dragover", (event) => {
  const day = dropDay(event);
  if (day && event.dataTransfer && event.dataTransfer.types.includes("text/x-runstrong-move")) {
    event.preventDefault();
    day.classList.add("cal-drop-target");
  }
});

document.addEventListener("dragleave", (event) => {
  const day = dropDay(event);
  if (day) day.classList.remove("cal-drop-target");
});

document.addEventListener("drop", (event) => {
  const day = dropDay(event);
  const url = event.dataTransfer && event.dataTransfer.getData("text/x-runstrong-move");
  const refresh = day && day.closest("[data-drop-refresh]");
  if (day && url && refresh && window.htmx) {
    event.preventDefault();
    day.classList.remove("cal-drop-target");
    moveAndRefresh(day, url, refresh);
    return;
  }
  const calendar = document.getElementById("calendar");
  if (!day || !url || !calendar || !window.htmx) return;
  event.preventDefault();
  day.classList.remove("cal-drop-target");
  window.htmx.ajax("POST", url, {
    source: day,
    target: "#calendar",
    swap: "outerHTML",
    values: { date: day.dataset.dropDate, view: calendar.dataset.view, at: calendar.dataset.at },
  });
});

// The squad calendar: the move answers with the athlete's calendar, read here only for its
// message; then the row is drawn again from [data-drop-refresh], whether or not it moved.
function moveAndRefresh(day, url, row) {
  const status = document.getElementById("squad-status");
  window.htmx.ajax("POST", url, {
    source: day,
    values: { date: day.dataset.dropDate },
    handler: (_element, info) => {
      const answer = new DOMParser().parseFromString(info.xhr.responseText || "", "text/html");
      const message = answer.querySelector(".alert-danger, .alert-success");
      if (status) {
        status.textContent = message
          ? message.textContent.trim()
          : info.xhr.status >= 400 ? "The session could not be moved." : "";
      }
      window.htmx.ajax("GET", row.dataset.dropRefresh, { source: row, target: row, swap: "outerHTML" });
    },
  });
}

// The sets a phone keeps for one signed-in user, shared by Today (static/js/today.js) and
// the sign-out button. Each store lives in localStorage under a key naming the user, so
// whoever signs in next on the same phone neither sees nor sends them:
//   queue      sets tapped and not yet answered by the server, in the order tapped;
//   refused    sets the server refused, one by one (a bad value) or as a whole request
//              (HTTP 400/403), kept as needing attention until dismissed: sending them
//              again unchanged would be refused again;
//   confirmed  sets the server stored, kept until a page rendered by the server lists
//              them, because the page the service worker serves offline may predate them.
(() => {
  const BATCH = 50;
  const KEEP_CONFIRMED_MS = 3 * 24 * 60 * 60 * 1000;
  const KEEP_CONFIRMED = 500;
  const REFUSED_REQUEST = new Set([400, 403]);
  const sending = new Map(); // user → the send under way, so tabs' callers share it

  function phoneSets(user) {
    const key = (name) => `runstrong.${user}.${name}.v2`;
    function read(name) {
      try {
        const value = JSON.parse(localStorage.getItem(key(name)) || "[]");
        return Array.isArray(value) ? value : [];
      } catch {
        return [];
      }
    }
    function write(name, value) {
      if (name === "confirmed") {
        const since = Date.now() - KEEP_CONFIRMED_MS;
        value = value.filter((set) => set.confirmedAt > since).slice(-KEEP_CONFIRMED);
      }
      localStorage.setItem(key(name), JSON.stringify(value));
    }
    const without = (list, ids) => list.filter((set) => !ids.has(set.id));

    async function refusal(response) {
      try {
        const body = await response.json();
        if (body && body.error) return String(body.error);
      } catch {
        // Not JSON (a CSRF failure is an HTML page): say what happened.
      }
      return `The server refused it (HTTP ${response.status}).`;
    }

    // Send the queue in order, a batch at a time, until it is empty ("done"), the network
    // or the server fails ("retry": try again later), or the user is signed out
    // ("signed-out": keep the sets until they sign in again). Only what an answer covered
    // leaves the queue: sets tapped meanwhile stay.
    async function sendAll(url) {
      for (;;) {
        const batch = read("queue").slice(0, BATCH);
        if (batch.length === 0) return "done";
        const ids = new Set(batch.map((set) => set.id));
        let response;
        try {
          response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify({ sets: batch }),
            credentials: "same-origin",
          });
        } catch {
          return "retry";
        }
        if (response.redirected || response.status === 401) return "signed-out";
        if (REFUSED_REQUEST.has(response.status)) {
          const message = await refusal(response);
          const refused = batch.map((set) => ({ ...set, message, request: true }));
          write("refused", [...without(read("refused"), ids), ...refused]);
          write("queue", without(read("queue"), ids));
          continue;
        }
        if (!response.ok) return "retry";
        let results;
        try {
          results = (await response.json()).results;
        } catch {
          return "retry";
        }
        const answered = new Map((Array.isArray(results) ? results : []).map((r) => [r.id, r]));
        const sent = batch.filter((set) => answered.has(set.id));
        if (sent.length === 0) return "retry"; // an answer about other sets: never loop on it
        const refused = [];
        const confirmed = [];
        for (const set of sent) {
          const result = answered.get(set.id);
          if (result.status === "invalid") refused.push({ ...set, message: result.message });
          else {
            confirmed.push({
              ...set,
              set: result.set ?? set.set, // the server may have given it the next free number
              record: Boolean(result.new_record),
              confirmedAt: Date.now(),
            });
          }
        }
        const done = new Set(sent.map((set) => set.id));
        write("refused", [...without(read("refused"), done), ...refused]);
        write("confirmed", [...without(read("confirmed"), done), ...confirmed]);
        write("queue", without(read("queue"), done));
      }
    }

    return {
      key,
      read,
      write,
      send(url) {
        if (!sending.has(user)) {
          sending.set(user, sendAll(url).finally(() => sending.delete(user)));
        }
        return sending.get(user);
      },
      unsent: () => read("queue").length + read("refused").length,
      // Stored sets a page rendered by the server lists need no copy here any more.
      forgetConfirmed(ids) {
        const confirmed = read("confirmed");
        if (confirmed.some((set) => ids.has(set.id))) write("confirmed", without(confirmed, ids));
      },
      forget({ keepUnsent }) {
        const names = keepUnsent ? ["confirmed", "rest"] : ["queue", "refused", "confirmed", "rest"];
        for (const name of names) localStorage.removeItem(key(name));
        // The stores from before they were per user: nobody can say whose they are.
        for (const name of ["queue", "refused", "rest"]) localStorage.removeItem(`runstrong.${name}.v1`);
      },
    };
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch {
      return "";
    }
  }

  // The pages the service worker keeps for offline use are one user's; static files are
  // nobody's and stay.
  async function dropCachedPages() {
    if (!("caches" in window)) return;
    try {
      for (const name of await caches.keys()) {
        if (!name.startsWith("runstrong-")) continue;
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          if (!new URL(request.url).pathname.startsWith("/static/")) await cache.delete(request);
        }
      }
    } catch {
      // Storage unavailable (private mode): there is nothing cached to leak either.
    }
  }

  const within = (promise, ms) => Promise.race([promise, new Promise((done) => setTimeout(done, ms))]);

  // Sign-out: send what is waiting first; if some sets still can't be saved, ask. Then
  // forget this user's copies on the phone, so the next person starts clean.
  async function signOut(form) {
    const sets = phoneSets(form.dataset.user);
    if (sets.read("queue").length && form.dataset.syncUrl) {
      await within(sets.send(form.dataset.syncUrl), 8000);
    }
    const unsent = sets.unsent();
    if (unsent) {
      const them = unsent === 1 ? "1 set is" : `${unsent} sets are`;
      const keep =
        `${them} not saved yet. Sign out anyway? ` +
        `${unsent === 1 ? "It stays" : "They stay"} on this phone, for you only, ` +
        "until you sign in here again.";
      if (!window.confirm(keep)) return false;
    }
    sets.forget({ keepUnsent: unsent > 0 });
    // Bounded: a cache busy with the page's own copy must not keep anyone signed in. The
    // sign-in page drops the copies again, and the service worker drops them on the
    // redirect to it.
    await within(dropCachedPages(), 3000);
    return true;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-sign-out")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    signOut(form)
      // Storage that fails (full, private mode) leaves each user's sets under their own
      // key: signing out is still safe, and only "Cancel" keeps the user signed in.
      .catch(() => true)
      .then((leave) => leave && form.submit()) // no submit event: this handler does not run again
      .finally(() => delete form.dataset.busy);
  });

  // A page with no sign-out button is a signed-out visitor's (an expired session lands on
  // the sign-in page): no one's Today may be left to open offline.
  if (document.body && !document.querySelector("form[data-sign-out]")) dropCachedPages();

  window.RunStrong = { ...window.RunStrong, phoneSets };
})();
