// The phrase picker in the reply box (web/_phrase_picker.html). htmx fetches the phrases as
// the person types; this file puts the chosen one into the reply, with a click or the
// keyboard, and remembers its id so that the reply counts it when it is sent. No inline
// script or handler, so it runs under a Content-Security-Policy without 'unsafe-inline'.
(function () {
  "use strict";
  if (window.relaydeskPhrases) return; // htmx runs this file again after each swap
  window.relaydeskPhrases = true;

  function show(root) {
    root.querySelectorAll("[data-phrase-picker][hidden]").forEach(function (picker) {
      picker.hidden = false;
    });
  }

  function remember(picker, id) {
    var used = picker.querySelector("[data-phrases-used]");
    var kept = Array.prototype.some.call(used.querySelectorAll("input"), function (input) {
      return input.value === id;
    });
    if (kept) return;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "reply-phrases";
    input.value = id;
    used.appendChild(input);
  }

  function insert(option) {
    var picker = option.closest("[data-phrase-picker]");
    var box = document.getElementById(picker.dataset.target);
    if (!box) return;
    var text = option.dataset.phraseText;
    var start = box.selectionStart, end = box.selectionEnd;
    if (document.activeElement !== box && start === 0 && end === 0) {
      start = end = box.value.length; // never focused: add to the end, not the start
    }
    var before = box.value.slice(0, start), after = box.value.slice(end);
    var gapBefore = before && !/\s$/.test(before) ? " " : "";
    var gapAfter = after && !/^\s/.test(after) ? " " : "";
    box.value = before + gapBefore + text + gapAfter + after;
    var caret = (before + gapBefore + text).length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true })); // the tone check looks again
    remember(picker, option.dataset.phraseId);
    var status = picker.querySelector("[data-phrase-status]");
    if (status) status.textContent = "Put in your reply: " + option.dataset.phraseTitle + ".";
  }

  function options(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[data-phrase-id]"));
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-phrase-picker] [data-phrase-id]");
    if (!option) return;
    event.preventDefault();
    insert(option);
  });

  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest && event.target.closest("[data-phrase-picker]");
    if (!picker) return;
    var search = picker.querySelector("[data-phrase-search]");
    var list = options(picker);
    var at = list.indexOf(event.target);
    if (event.target === search && (event.key === "Enter" || event.key === "ArrowDown")) {
      event.preventDefault(); // Enter in the search never sends the half-written reply
      if (list.length) list[0].focus();
    } else if (at >= 0 && event.key === "ArrowDown") {
      event.preventDefault();
      list[Math.min(at + 1, list.length - 1)].focus();
    } else if (at >= 0 && event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? list[at - 1] : search).focus();
    } else if (at >= 0 && event.key === "Escape") {
      event.preventDefault();
      search.focus();
    }
  });

  document.addEventListener("htmx:load", function (event) { show(event.detail.elt); });
  show(document);
})();
