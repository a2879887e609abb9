/* Một Cửa: small helpers. Every page works without this file; it only adds comfort.
   - live filter of a list (the counter's procedures, the portal's catalogue): every typed word must begin a word of
     the item, ignoring case and Vietnamese diacritics ("khai sinh" finds "Đăng ký khai sinh");
   - the print button of a document shown in a frame;
   - keyboard shortcuts outside form fields: N counter, H queues, T search, / focus the search box. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function setupFilter(input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    if (!list) { return; }
    var counter = document.querySelector('[data-filter-count="' + list.id + '"]');
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-haystack]"));
    var total = items.length;
    function apply() {
      var words = fold(input.value).split(" ").filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var hay = item.getAttribute("data-haystack").split(" ");
        var ok = words.every(function (w) {
          return hay.some(function (h) { return h.indexOf(w) === 0; });
        });
        item.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (counter) { counter.textContent = shown + " / " + total; }
      // A field's heading goes with its last shown procedure.
      Array.prototype.forEach.call(list.querySelectorAll("[data-filter-group]"), function (group) {
        group.hidden = !group.querySelector("li[data-haystack]:not([hidden])");
      });
      return shown;
    }
    input.addEventListener("input", apply);
    input.form && input.form.addEventListener("submit", function (event) {
      var visible = items.filter(function (item) { return !item.hidden; });
      if (visible.length === 1) {
        var link = visible[0].querySelector("a");
        if (link) { event.preventDefault(); window.location.href = link.href; }
      }
    });
    apply();
  }

  function setupPrint(button) {
    button.addEventListener("click", function () {
      var frame = document.getElementById(button.getAttribute("data-print-frame"));
      if (frame && frame.contentWindow) {
        frame.contentWindow.focus();
        frame.contentWindow.print();
      } else {
        window.print();
      }
    });
  }

  function typing(target) {
    var tag = (target && target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "/") {
      var box = document.querySelector("[data-search-box]");
      if (box) { event.preventDefault(); box.focus(); box.select(); return; }
      key = "t";
    }
    var link = document.querySelector('a[data-shortcut="' + key.toLowerCase() + '"]');
    if (link) { event.preventDefault(); link.click(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-list]"), setupFilter);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print-frame]"), setupPrint);
    // After a refused form, put the cursor in the first field to correct (unless the page chose a field itself).
    var invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid && !document.querySelector("[autofocus]")) { invalid.focus(); }
  });
}());
