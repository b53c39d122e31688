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
document.addEventListener("dragstart", (event) => {
  const item = event.target instanceof Element && event.target.closest("[data-move-url]");
  if (item && event.dataTransfer) {
    event.dataTransfer.setData("text/x-runstrong-move", item.dataset.moveUrl);
    event.dataTransfer.effectAllowed = "move";
  }
});

function dropDay(event) {
  return event.target instanceof Element ? event.target.closest("[data-drop-date]") : null;
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
