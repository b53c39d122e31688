// The block builder (templates/programs/block_builder.html): edits are never lost, and
// focus stays where the coach was when htmx swaps a part of the page.
//
// - A prescription row saves when a field changes (tabbing away is enough); until the
//   server answers it is marked unsaved, and leaving the page then asks first. An answer
//   that would overwrite what was typed while it travelled is not swapped in: the row
//   stays unsaved and saves again.
// - Requests that redraw the week (move, remove, add, session edits) wait for the rows'
//   saves, so the week they draw has every edit in it.
// - A select or time field in a [data-commit] form saves on a pick with the pointer, but
//   keyboard changes (each arrow key) save when the field loses focus or on Enter.
// - After a swap, focus goes back to the same control (stable ids), else to the element
//   the control names in data-focus-after, else to the week's heading.
// - Enter in the exercise picker's search adds nothing; ArrowDown moves to the results,
//   where Enter adds the result that has focus.
"use strict";

(() => {
  const ROW = "form[data-rx-row]";
  const sent = new WeakMap(); // row → its values when its save was sent
  let saving = 0; // row saves under way
  let waiters = [];

  const values = (form) => new URLSearchParams(new FormData(form)).toString();
  const status = (row, text) => {
    const element = row.querySelector(".rx-status");
    if (element) element.textContent = text;
  };

  function markUnsaved(row) {
    delete row.dataset.saveFailed; // a new edit: try again
    if (row.classList.contains("rx-unsaved")) return;
    row.classList.add("rx-unsaved");
    row.classList.remove("rx-saved");
    status(row, "Unsaved");
  }

  function save(row) {
    if (row.classList.contains("rx-unsaved") && window.htmx) window.htmx.trigger(row, "rx-save");
  }

  // Rows whose save failed (no network, a server error) wait for the next edit or Save.
  const unsavedRows = () => document.querySelectorAll(`${ROW}.rx-unsaved:not([data-save-failed])`);
  const settled = () => saving === 0 && unsavedRows().length === 0;
  // Refused rows (errors shown) and failed saves hold edits the server does not have.
  const anythingUnsaved = () =>
    !settled() ||
    document.querySelector(`${ROW}.rx-unsaved, ${ROW}.rx-invalid, [data-commit-pending]`) !== null;

  function whenSettled() {
    if (settled()) return Promise.resolve();
    unsavedRows().forEach(save);
    return new Promise((resolve) => waiters.push(resolve));
  }

  function wake() {
    if (saving !== 0 || waiters.length === 0) return;
    // Rows still unsaved (an answer was not swapped in) save again; waiters wait on.
    if (unsavedRows().length) {
      unsavedRows().forEach(save);
      return;
    }
    const ready = waiters;
    waiters = [];
    ready.forEach((resolve) => resolve());
  }

  const isMoveField = (field) => field.name === "session"; // "Move to session" is no edit

  document.addEventListener("input", (event) => {
    const row = event.target instanceof Element && event.target.closest(ROW);
    if (row && !isMoveField(event.target)) markUnsaved(row);
  });

  document.addEventListener("change", (event) => {
    const row = event.target instanceof Element && event.target.closest(ROW);
    if (row && !isMoveField(event.target)) {
      markUnsaved(row);
      save(row);
    }
  });

  // The row's own saves: count them, remember what they sent.
  document.addEventListener("htmx:configRequest", (event) => {
    const elt = event.detail.elt;
    if (elt instanceof HTMLFormElement && elt.matches(ROW)) {
      sent.set(elt, values(elt));
      status(elt, "Saving…");
    }
  });

  // Counted by the request's own end: htmx's afterRequest misses a row it swapped out.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const { elt, xhr } = event.detail;
    if (!(elt instanceof HTMLFormElement) || !elt.matches(ROW) || !xhr) return;
    saving += 1;
    xhr.addEventListener("loadend", () => {
      saving = Math.max(0, saving - 1);
      const ok = xhr.status >= 200 && xhr.status < 400;
      // A swapped row is a new element; one not swapped may hold newer edits.
      if (elt.isConnected && !ok) {
        elt.dataset.saveFailed = "1";
        status(elt, "Not saved");
      } else if (elt.isConnected && values(elt) === sent.get(elt)) {
        elt.classList.remove("rx-unsaved");
      }
      queueMicrotask(wake);
    });
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!(elt instanceof HTMLFormElement) || !elt.matches(ROW) || !sent.has(elt)) return;
    if (values(elt) !== sent.get(elt)) {
      event.detail.shouldSwap = false; // typed meanwhile: keep it, save again
      status(elt, "Unsaved");
    } else if (!event.detail.xhr || event.detail.xhr.status >= 400) {
      status(elt, "Not saved");
    }
  });

  // Anything else in the editor waits for the rows' saves before it is sent.
  document.addEventListener("htmx:confirm", (event) => {
    const { elt, verb, issueRequest } = event.detail;
    if (verb === "get" || !(elt instanceof Element) || elt.matches(ROW)) return;
    if (!elt.closest("#editor") || settled()) return;
    event.preventDefault();
    const id = elt.id;
    whenSettled().then(() => {
      if (elt.isConnected) issueRequest();
      else if (id && document.getElementById(id)) document.getElementById(id).click();
    });
  });

  window.addEventListener("beforeunload", (event) => {
    if (!anythingUnsaved()) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it to ask
  });

  // Selects and time fields: commit keyboard changes on blur or Enter.
  const KEYED = new WeakSet();

  function commit(field) {
    delete field.dataset.commitPending;
    const form = field.form;
    if (form && window.htmx) window.htmx.trigger(form, "commit");
  }

  document.addEventListener("keydown", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLElement) || !field.closest("form[data-commit]")) return;
    if (!(field instanceof HTMLSelectElement || field.type === "time")) return;
    if (event.key === "Enter" && field.dataset.commitPending) {
      event.preventDefault();
      commit(field);
    } else if (event.key !== "Tab") {
      KEYED.add(field);
    }
  });

  document.addEventListener("pointerdown", (event) => {
    if (event.target instanceof Element) {
      const field = event.target.closest("select, input[type=time]");
      if (field) KEYED.delete(field);
    }
  });

  document.addEventListener("change", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLElement) || !field.closest("form[data-commit]")) return;
    if ((field instanceof HTMLSelectElement || field.type === "time") && KEYED.has(field)) {
      field.dataset.commitPending = "1"; // wait for blur or Enter
    } else {
      commit(field);
    }
  });

  document.addEventListener("focusout", (event) => {
    const field = event.target;
    if (field instanceof HTMLElement && field.dataset.commitPending) {
      KEYED.delete(field);
      commit(field);
    }
  });

  // Focus after a swap.
  let focusAfter = null; // {selectors, onError}

  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (!(elt instanceof Element) || !elt.closest("#editor")) return;
    const source = elt.closest("[data-focus-after]");
    const submitter = document.activeElement && document.activeElement.closest("[data-focus-after]");
    const named = submitter && elt.contains(submitter) ? submitter : source;
    focusAfter = named
      ? { selectors: named.dataset.focusAfter, onError: named.dataset.focusOnError }
      : null;
  });

  function focusable(selector) {
    const element = selector && document.querySelector(selector);
    return element && element.getClientRects().length ? element : null;
  }

  document.addEventListener("htmx:afterSettle", () => {
    const lost = !document.activeElement || document.activeElement === document.body;
    if (!lost || !document.getElementById("editor")) return;
    const plan = focusAfter;
    focusAfter = null;
    const refused = plan && plan.onError && document.querySelector("#editor [role=alert]");
    const target =
      (refused && focusable(plan.onError)) ||
      (plan && focusable(plan.selectors)) ||
      focusable("#week-title");
    if (target) target.focus();
  });

  // The exercise picker.
  document.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.closest(".exercise-picker")) return;
    const results = input.closest(".exercise-picker").querySelector(".picker-results");
    if (event.key === "Enter") {
      event.preventDefault(); // never add the first result unseen
    } else if (event.key === "ArrowDown" && results) {
      const first = results.querySelector("button");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  document.addEventListener("keydown", (event) => {
    const button = event.target;
    if (!(button instanceof HTMLButtonElement) || !button.closest(".picker-results")) return;
    const buttons = [...button.closest(".picker-results").querySelectorAll("button")];
    const at = buttons.indexOf(button);
    if (event.key === "ArrowDown" && at < buttons.length - 1) {
      event.preventDefault();
      buttons[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? buttons[at - 1] : button.closest(".exercise-picker").querySelector("input")).focus();
    }
  });
})();
