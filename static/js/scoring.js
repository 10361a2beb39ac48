// The unit report page: nothing typed is lost.
// - Every score cell and the report text autosave through htmx (hx-trigger on the forms).
// - What is typed is mirrored in localStorage until the server says it is saved, so a closed
//   tab, a crash or a lost connection keeps it; on the next visit it is put back and saved again
//   (when nobody changed that cell meanwhile) or offered (when somebody did).
// - A failed send (offline, server down) is retried when the connection returns and every 15 s.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var PREFIX = "thiduea:draft:";
  var store;
  try { store = window.localStorage; } catch (e) { store = null; }

  function key(form) { return PREFIX + form.getAttribute("data-draft"); }
  function values(form) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=points], textarea[name=comment], textarea[name=text]"), function (field) {
      out[field.name] = field.value;
    });
    var version = form.querySelector("input[name=version]");
    out.version = version ? version.value : "";
    return out;
  }
  function remember(form) {
    if (!store) return;
    try { store.setItem(key(form), JSON.stringify({ v: values(form), at: Date.now() })); } catch (e) { /* full */ }
  }
  function forget(form) { if (store) store.removeItem(key(form)); }
  function status(form, text, isError) {
    var box = form.querySelector(".cell-status");
    if (!box) return;
    box.textContent = "";
    var span = document.createElement("span");
    span.className = isError ? "field-error" : "saved";
    span.textContent = text;
    box.appendChild(span);
  }
  function formOf(elt) { return elt && elt.closest ? elt.closest("form[data-draft]") : null; }

  var pending = [];
  function retry() {
    var waiting = pending;
    pending = [];
    waiting.forEach(function (form) {
      if (document.body.contains(form) && window.htmx) {
        var trigger = form.querySelector("textarea[name=text]") || form;
        window.htmx.trigger(trigger, "change");
      }
    });
  }
  window.addEventListener("online", retry);
  window.setInterval(function () { if (pending.length && navigator.onLine !== false) retry(); }, 15000);

  document.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (form) remember(form);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event.detail.elt);
    if (!form) return;
    var xhr = event.detail.xhr;
    if (!event.detail.successful || !xhr) {
      if (pending.indexOf(form) < 0) pending.push(form);
      status(form, form.getAttribute("data-offline") || "Chưa lưu được (mất kết nối?). Bản nhập vẫn được giữ trên máy này và sẽ được gửi lại.", true);
      return;
    }
    var state = xhr.getResponseHeader("X-Cell-State");
    if (state === "saved" || (!state && form.id === "report-text" && !xhr.responseText.match(/field-error/))) {
      forget(form);
    }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var drop = event.target.closest("[data-drop-draft]");
    if (drop && store) store.removeItem(PREFIX + drop.getAttribute("data-drop-draft"));
    // After a conflict, "keep mine": save again over the version now stored (seen by the person).
    var keep = event.target.closest("[data-keep-mine]");
    var form = formOf(keep);
    if (keep && form && window.htmx) {
      form.querySelector("input[name=version]").value = keep.getAttribute("data-keep-mine");
      window.htmx.trigger(form, "change");
    }
  });

  // Put back what was typed here and not saved.
  function restore() {
    if (!store) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
      var raw = store.getItem(key(form));
      if (!raw) return;
      var draft;
      try { draft = JSON.parse(raw); } catch (e) { forget(form); return; }
      var now = values(form);
      var changed = Object.keys(draft.v).some(function (name) { return name !== "version" && draft.v[name] !== now[name]; });
      if (!changed) { forget(form); return; }
      Object.keys(draft.v).forEach(function (name) {
        if (name === "version") return;
        var field = form.querySelector("[name=" + name + "]");
        if (field) field.value = draft.v[name];
      });
      if (draft.v.version === now.version) {
        status(form, "Đã khôi phục nội dung chưa lưu trên máy này; đang lưu…", false);
        var trigger = form.querySelector("textarea[name=text]") || form;
        if (window.htmx) window.htmx.trigger(trigger, "change");
      } else {
        // Somebody saved this cell after the draft was typed: sending it makes the server show
        // both values (a conflict), never a silent overwrite.
        status(form, "Đã khôi phục nội dung chưa lưu trên máy này; ô này đã được người khác sửa, hãy kiểm tra.", true);
        var trigger2 = form.querySelector("textarea[name=text]") || form;
        if (window.htmx) window.htmx.trigger(trigger2, "change");
      }
    });
  }
  // After htmx has processed the page (it does so on DOMContentLoaded), so the saves it triggers
  // are sent.
  if (document.readyState === "complete") {
    window.setTimeout(restore, 0);
  } else {
    window.addEventListener("load", restore);
  }
})();
