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
