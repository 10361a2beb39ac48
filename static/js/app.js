// Small behaviours for thiduea. No inline scripts anywhere: the Content Security Policy forbids them.
(function () {
  "use strict";

  // Forms marked data-confirm ask before sending (plain submit and htmx alike).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Filter forms marked data-autosubmit send themselves when a select changes.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosubmit") && event.target.tagName === "SELECT") {
      if (window.htmx) {
        window.htmx.trigger(form, "submit");
      } else {
        form.requestSubmit();
      }
    }
  });

  // <details data-load-once> loads its body from the link inside it the first time it opens.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open) return;
    if (!details.hasAttribute("data-load-once") || details.dataset.loaded) return;
    var link = details.querySelector("a[data-load-url]");
    if (link && window.htmx) {
      details.dataset.loaded = "1";
      window.htmx.ajax("GET", link.getAttribute("data-load-url"), { target: link.closest("[data-load-target]") || link, swap: "innerHTML" });
    }
  }, true);
})();
