// The live tone check in the reply box (web/_tone_reply_body.html). htmx posts the reply as it
// is typed and shows the warnings; this file puts a warning's suggestion in place of its words
// with one click. No inline script or handler, so it runs under a Content-Security-Policy
// without 'unsafe-inline'.
//
// The server counts characters as code points (an emoji is one); a textarea's value counts
// UTF-16 units (an emoji is two), so offsets are turned into units before cutting.
(function () {
  "use strict";
  if (window.relaydeskTone) return; // htmx runs this file again after each swap
  window.relaydeskTone = true;

  function unitsBefore(text, points) {
    var units = 0, seen = 0;
    for (var ch of text) {
      if (seen === points) break;
      units += ch.length;
      seen += 1;
    }
    return units;
  }

  // Where `words` are now. While the reply is as it was checked, exactly at the checked place;
  // once the person has typed on, the same words nearest to it; else -1.
  function placeOf(text, words, expected, unchanged) {
    if (text.slice(expected, expected + words.length) === words) return expected;
    if (unchanged) return -1;
    var best = -1, at = text.indexOf(words);
    while (at >= 0) {
      if (best < 0 || Math.abs(at - expected) < Math.abs(best - expected)) best = at;
      at = text.indexOf(words, at + 1);
    }
    return best;
  }

  function remember(form, id) {
    var used = form && form.querySelector("[data-phrases-used]");
    if (!used || !id) return;
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

  function say(live, words) {
    var status = live.parentNode.querySelector("[data-tone-status]");
    if (status) status.textContent = words;
  }

  function fix(button) {
    var live = button.closest("[data-tone-live]");
    var box = live && document.getElementById(live.dataset.target);
    if (!box) return;
    var words = button.dataset.words, suggestion = button.dataset.suggestion;
    var mirror = live.querySelector("[data-tone-mirror]");
    var unchanged = mirror !== null && mirror.textContent === box.value;
    var expected = unitsBefore(box.value, Number(button.dataset.start));
    var start = placeOf(box.value, words, expected, unchanged);
    if (start < 0) {
      say(live, "Those words are no longer in your reply.");
      return;
    }
    box.value = box.value.slice(0, start) + suggestion + box.value.slice(start + words.length);
    var caret = start + suggestion.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    remember(box.form, button.dataset.phraseId);
    say(live, "Put in your reply instead of \u201c" + words + "\u201d.");
    box.dispatchEvent(new Event("input", { bubbles: true })); // the check looks again
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-tone-live] [data-tone-fix]");
    if (!button) return;
    event.preventDefault();
    fix(button);
  });
})();
