// The few behaviours that templates ask for with data- attributes. Pages carry no inline
// script and no on…= handler: the Content-Security-Policy (see settings.py) forbids them.
"use strict";

// <form data-confirm="Delete this?">: ask before sending; cancel keeps the page as it is.
document.addEventListener(
  "submit",
  (event) => {
    const question = event.target.dataset ? event.target.dataset.confirm : undefined;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// <button data-print>: print the page.
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});

// <select data-autosubmit>: send its form as soon as the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
  if (field && field.form) {
    field.form.submit();
  }
});

// The main menu on a phone: collapsed behind its "Menu" button (shown only by this script,
// so that without it the menu simply stays open).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-menu-toggle]");
  if (!toggle) return;
  const header = toggle.closest("header");
  header.classList.add("menu-collapsible");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = header.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      header.classList.remove("menu-open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
});

// <details data-drawer>: open on a wide screen, closed on a phone (search facets), also in
// results that htmx swaps in.
function closeDrawersOnPhones(root) {
  if (!window.matchMedia("(max-width: 640px)").matches) return;
  for (const drawer of root.querySelectorAll("details[data-drawer]")) drawer.open = false;
}
document.addEventListener("DOMContentLoaded", () => closeDrawersOnPhones(document));
document.addEventListener("htmx:afterSwap", (event) => closeDrawersOnPhones(event.target));
